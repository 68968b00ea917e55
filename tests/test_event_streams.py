"""Event streams: CreateEventStream, GetEventStream, DeleteEventStream, ListEventStreams, and the records a
stream would put on its Kinesis data stream (kept on the mock)."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.request
from typing import Any

import pytest
from dataplane_helpers import bad_request, field, key, not_found, put_object, put_type

from mock_customer_profiles import CustomerProfilesMock, ServerThread, mock_customer_profiles

STREAM = "arn:aws:kinesis:us-east-1:123456789012:stream/profile-events"
ARN = "arn:aws:profile:us-east-1:123456789012:domains/acme/event-streams/export"
UUID = re.compile(r"\A[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\Z")
STAMP = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\Z")


def create(client: Any, name: str = "export", uri: str = STREAM, domain: str = "acme", **extra: Any) -> Any:
    return client.create_event_stream(DomainName=domain, EventStreamName=name, Uri=uri, **extra)


def payloads(mock: CustomerProfilesMock, domain: str = "acme") -> list[dict[str, Any]]:
    return [record.data for record in mock.stream_records(domain)]


def brief(data: dict[str, Any]) -> tuple[Any, ...]:
    return (data["EventType"], data["ObjectTypeName"], data.get("AssociatedProfileId"), data["Object"])


# -------------------------------------------------------------------------------------- operations


@pytest.mark.both_doors
def test_create_get_list_delete(client: Any, domain: str) -> None:
    created = create(client, Tags={"team": "data"})
    assert created["EventStreamArn"] == ARN
    assert created["Tags"] == {"team": "data"}
    got = client.get_event_stream(DomainName=domain, EventStreamName="export")
    assert {k: v for k, v in got.items() if k not in ("CreatedAt", "ResponseMetadata")} == {
        "DomainName": "acme",
        "EventStreamArn": ARN,
        "State": "RUNNING",
        "DestinationDetails": {"Uri": STREAM, "Status": "HEALTHY"},
        "Tags": {"team": "data"},
    }
    assert abs(got["CreatedAt"] - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=1)
    assert client.list_event_streams(DomainName=domain)["Items"] == [
        {
            "DomainName": "acme",
            "EventStreamName": "export",
            "EventStreamArn": ARN,
            "State": "RUNNING",
            "DestinationSummary": {"Uri": STREAM, "Status": "HEALTHY"},
            "Tags": {"team": "data"},
        }
    ]
    assert client.delete_event_stream(DomainName=domain, EventStreamName="export")["ResponseMetadata"]
    assert client.list_event_streams(DomainName=domain)["Items"] == []
    with not_found("Event stream export not found in domain acme"):
        client.get_event_stream(DomainName=domain, EventStreamName="export")
    with not_found("Event stream export not found in domain acme"):
        client.delete_event_stream(DomainName=domain, EventStreamName="export")


@pytest.mark.both_doors
def test_one_active_event_stream_per_domain(client: Any, domain: str) -> None:
    create(client)
    message = "The Customer Profiles Domain: acme is already associated with an active EventStream"
    with bad_request(message):
        create(client, "second")
    with bad_request(message):
        create(client)
    client.create_domain(DomainName="beta", DefaultExpirationDays=30)
    create(client, domain="beta")


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        (
            "arn:aws:sqs:us-east-1:123456789012:queue",
            "Uri arn:aws:sqs:us-east-1:123456789012:queue is not the ARN of a Kinesis data stream "
            "(arn:aws:kinesis:<region>:<account>:stream/<name>)",
        ),
        (
            "arn:aws:kinesis:eu-west-1:123456789012:stream/x",
            "The Kinesis data stream arn:aws:kinesis:eu-west-1:123456789012:stream/x must be in the same region and "
            "account as the domain (us-east-1, 123456789012)",
        ),
        (
            "arn:aws:kinesis:us-east-1:210987654321:stream/x",
            "The Kinesis data stream arn:aws:kinesis:us-east-1:210987654321:stream/x must be in the same region and "
            "account as the domain (us-east-1, 123456789012)",
        ),
    ],
)
def test_the_destination_is_a_kinesis_stream_of_the_domains_region_and_account(
    client: Any, domain: str, uri: str, message: str
) -> None:
    with bad_request(message):
        create(client, uri=uri)


def test_invalid_names_are_refused_by_the_server(raw_client: Any, domain: str) -> None:
    with pytest.raises(raw_client.exceptions.BadRequestException, match="Member must satisfy regular expression"):
        create(raw_client, "bad name!")


def test_pages_of_streams_across_domains_of_the_account(client: Any) -> None:
    for name in ("a", "b", "c"):
        client.create_domain(DomainName=name, DefaultExpirationDays=30)
        create(client, f"s-{name}", domain=name)
    page = client.list_event_streams(DomainName="b", MaxResults=1)
    assert [item["EventStreamName"] for item in page["Items"]] == ["s-b"]
    assert "NextToken" not in page


# ------------------------------------------------------------------------------------------ records


def test_profile_changes_become_records_in_the_documented_format(
    mock: CustomerProfilesMock, client: Any, domain: str
) -> None:
    before = client.create_profile(DomainName=domain, FirstName="Early")["ProfileId"]
    create(client)
    pid = client.create_profile(DomainName=domain, FirstName="Ana", Gender="FEMALE")["ProfileId"]
    client.update_profile(DomainName=domain, ProfileId=pid, LastName="Silva")
    client.add_profile_key(DomainName=domain, ProfileId=pid, KeyName="_account", Values=["A-1"])
    client.merge_profiles(DomainName=domain, MainProfileId=pid, ProfileIdsToBeMerged=[before])
    client.delete_profile(DomainName=domain, ProfileId=pid)
    data = payloads(mock)
    assert [brief(item) for item in data] == [
        ("CREATED", "_profile", None, {"ProfileId": pid, "FirstName": "Ana", "Gender": "FEMALE"}),
        ("UPDATED", "_profile", None, {"ProfileId": pid, "FirstName": "Ana", "Gender": "FEMALE", "LastName": "Silva"}),
        ("DELETED", "_profile", None, {"ProfileId": before, "FirstName": "Early"}),
        ("UPDATED", "_profile", None, {"ProfileId": pid, "FirstName": "Ana", "Gender": "FEMALE", "LastName": "Silva"}),
        ("DELETED", "_profile", None, {"ProfileId": pid, "FirstName": "Ana", "Gender": "FEMALE", "LastName": "Silva"}),
    ]
    first = data[0]
    assert list(first) == [
        "SchemaVersion",
        "EventId",
        "EventTimestamp",
        "EventType",
        "DomainName",
        "ObjectTypeName",
        "Object",
        "IsMessageRealTime",
    ]
    assert (first["SchemaVersion"], first["DomainName"], first["IsMessageRealTime"]) == (0, "acme", True)
    assert UUID.match(first["EventId"])
    assert STAMP.match(first["EventTimestamp"])
    assert len({item["EventId"] for item in data}) == len(data)
    record = mock.stream_records()[0]
    assert (record.event_stream_name, record.domain_name, record.stream_arn) == ("export", "acme", STREAM)
    assert UUID.match(record.partition_key)


def test_object_changes_carry_the_profile_and_the_unique_key(
    mock: CustomerProfilesMock, client: Any, domain: str
) -> None:
    put_type(
        client,
        "Order",
        {"id": field("id"), "email": field("email", "EmailAddress", "EMAIL_ADDRESS")},
        {"orderId": key("id", ids=("UNIQUE",)), "_email": key("email", ids=("PROFILE",))},
    )
    pid = client.create_profile(DomainName=domain, EmailAddress="ana@example.com")["ProfileId"]
    create(client)
    unique = put_object(client, "Order", {"id": "O-1", "email": "ana@example.com"})
    put_object(client, "Order", {"id": "O-1", "email": "ana@example.com", "total": 5})
    client.delete_profile_object(
        DomainName=domain, ObjectTypeName="Order", ProfileId=pid, ProfileObjectUniqueKey=unique
    )
    data = payloads(mock)
    assert [brief(item) for item in data] == [
        ("CREATED", "Order", pid, {"id": "O-1", "email": "ana@example.com"}),
        ("UPDATED", "Order", pid, {"id": "O-1", "email": "ana@example.com", "total": 5}),
        ("DELETED", "Order", pid, {"id": "O-1", "email": "ana@example.com", "total": 5}),
    ]
    assert {item["ProfileObjectUniqueKey"] for item in data} == {unique}


def test_ingestion_that_creates_a_profile_records_the_profile_then_the_object(
    mock: CustomerProfilesMock, client: Any, domain: str
) -> None:
    put_type(
        client,
        "Order",
        {"id": field("id"), "email": field("email", "EmailAddress", "EMAIL_ADDRESS")},
        {"orderId": key("id", ids=("UNIQUE",)), "_email": key("email", ids=("PROFILE",))},
    )
    create(client)
    put_object(client, "Order", {"id": "O-1", "email": "new@example.com"})
    assert [(item["EventType"], item["ObjectTypeName"]) for item in payloads(mock)] == [
        ("CREATED", "_profile"),
        ("CREATED", "Order"),
    ]


def test_no_stream_no_records_and_records_stop_with_the_stream(
    mock: CustomerProfilesMock, client: Any, domain: str
) -> None:
    client.create_profile(DomainName=domain, FirstName="Before")
    create(client)
    client.create_profile(DomainName=domain, FirstName="During")
    client.delete_event_stream(DomainName=domain, EventStreamName="export")
    client.create_profile(DomainName=domain, FirstName="After")
    assert [item["Object"]["FirstName"] for item in payloads(mock)] == ["During"]
    client.create_domain(DomainName="beta", DefaultExpirationDays=30)
    create(client, domain="beta")
    client.create_profile(DomainName="beta", FirstName="Other")
    assert [r.data["Object"]["FirstName"] for r in mock.stream_records(event_stream="export")] == ["During", "Other"]
    assert [r.data["Object"]["FirstName"] for r in mock.stream_records("beta")] == ["Other"]
    assert mock.effects("StreamRecord") == mock.stream_records()


def test_an_unhealthy_destination_receives_nothing() -> None:
    with mock_customer_profiles(lifecycle="instant") as mock:
        client = mock.client()
        client.create_domain(DomainName="acme", DefaultExpirationDays=30)
        mock.fail_next("EventStreamDestination", "Kinesis stream profile-events does not exist")
        create(client)
        details = client.get_event_stream(DomainName="acme", EventStreamName="export")["DestinationDetails"]
        assert (details["Status"], details["Message"]) == ("UNHEALTHY", "Kinesis stream profile-events does not exist")
        assert "UnhealthySince" in details
        summary = client.list_event_streams(DomainName="acme")["Items"][0]["DestinationSummary"]
        assert summary["Status"] == "UNHEALTHY"
        assert "UnhealthySince" in summary
        client.create_profile(DomainName="acme", FirstName="Lost")
        assert mock.stream_records() == []


def test_a_destination_made_to_fail_turns_unhealthy_on_the_next_read(client: Any, mock: CustomerProfilesMock) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=30)
    mock.fail_next("EventStreamDestination", "AccessDenied on kinesis:PutRecords")
    create(client)
    statuses = [
        client.get_event_stream(DomainName="acme", EventStreamName="export")["DestinationDetails"]["Status"]
        for _ in range(2)
    ]
    assert statuses == ["HEALTHY", "UNHEALTHY"]


def test_seeded_streams_record_only_what_happens_after_seeding(mock: CustomerProfilesMock, client: Any) -> None:
    mock.load(
        {
            "domains": [
                {
                    "DomainName": "seeded",
                    "profiles": [{"FirstName": "Seed"}],
                    "eventStreams": [{"EventStreamName": "export", "Uri": STREAM}],
                }
            ]
        }
    )
    assert mock.stream_records() == []
    client.create_profile(DomainName="seeded", FirstName="Test")
    assert [r.data["Object"]["FirstName"] for r in mock.stream_records("seeded")] == ["Test"]


def test_records_are_served_by_the_control_api(mock: CustomerProfilesMock, server_thread: ServerThread) -> None:
    server_thread.mock = mock
    client = server_thread.client("us-east-1")
    client.create_domain(DomainName="acme", DefaultExpirationDays=30)
    create(client)
    pid = client.create_profile(DomainName="acme", FirstName="Ana")["ProfileId"]
    with urllib.request.urlopen(f"{server_thread.endpoint_url}/_mock/effects?kind=StreamRecord") as answer:
        (record,) = json.loads(answer.read())["StreamRecord"]
    assert record["event_stream_name"] == "export"
    assert record["stream_arn"] == STREAM
    assert record["data"]["Object"] == {"ProfileId": pid, "FirstName": "Ana"}
    assert record["data"] == mock.stream_records()[0].data
