"""Segment subscriptions and the segment stream (operations of the newest botocore models)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError

from mock_customer_profiles import CustomerProfilesMock
from mock_customer_profiles._handlers.segment_subscriptions import SubscriptionState
from mock_customer_profiles._model import operation_names

NEEDED = (
    "PutSegmentSubscription",
    "GetSegmentSubscription",
    "DeleteSegmentSubscription",
    "ListSegmentSubscriptionEvents",
    "AssociateStreamForSegments",
    "GetStreamForSegments",
    "DisassociateStreamForSegments",
)
pytestmark = pytest.mark.skipif(
    not set(NEEDED) <= set(operation_names()),
    reason="the installed botocore model has no segment subscription or segment stream operations",
)
STREAM = "arn:aws:kinesis:us-east-1:123456789012:stream/segments"
ROLE = "arn:aws:iam::123456789012:role/segment-stream"
GOLD = {
    "Groups": [
        {
            "Dimensions": [
                {"ProfileAttributes": {"Attributes": {"tier": {"DimensionType": "INCLUSIVE", "Values": ["gold"]}}}}
            ]
        }
    ]
}


@pytest.fixture
def gold(client: Any, domain: str) -> str:
    client.create_segment_definition(
        DomainName=domain, SegmentDefinitionName="gold", DisplayName="Gold", SegmentGroups=GOLD
    )
    return "gold"


def _code(error: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return error.value.response["Error"]["Code"], error.value.response["Error"]["Message"]


def _events(client: Any, domain: str, **page: Any) -> list[tuple[str, str, str]]:
    found = client.list_segment_subscription_events(DomainName=domain, SegmentDefinitionName="gold", **page)["Events"]
    return [(event["ProfileId"], event["Event"], event["EventType"]) for event in found]


def test_subscription_lifecycle(client: Any, domain: str, gold: str) -> None:
    put = client.put_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
    assert put["Status"] == "STARTING"
    assert put["ScheduleConfiguration"] == {"Interval": 24, "Unit": "HOURLY"}  # the documented default
    first = client.get_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
    assert first["Status"] == "STARTING"
    second = client.get_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
    assert second["Status"] == "RUNNING"
    executions = second["ScheduledExecutions"]
    assert executions["NextExecutedAt"] - executions["LastExecutedAt"] == dt.timedelta(hours=24)
    updated = client.put_segment_subscription(
        DomainName=domain, SegmentDefinitionName=gold, ScheduleConfiguration={"Interval": 6}
    )
    assert updated["ScheduleConfiguration"] == {"Interval": 6, "Unit": "HOURLY"}
    assert updated["StartedAt"] == put["StartedAt"]
    deleted = client.delete_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
    assert deleted["Message"] == "Subscription for segment definition gold deleted"
    with pytest.raises(ClientError) as caught:
        client.get_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
    assert _code(caught) == ("ResourceNotFoundException", "No subscription found for segment definition gold")


def test_unknown_segment_and_failed_subscription(
    mock: CustomerProfilesMock, client: Any, domain: str, gold: str
) -> None:
    with pytest.raises(ClientError) as caught:
        client.put_segment_subscription(DomainName=domain, SegmentDefinitionName="ghost")
    assert _code(caught)[0] == "ResourceNotFoundException"
    mock.fail_next("SegmentSubscription", "Role cannot be assumed")
    client.put_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
    mock.settle()
    got = client.get_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
    assert (got["Status"], got["Message"], "ScheduledExecutions" in got) == ("FAILED", "Role cannot be assumed", False)


def test_live_events_follow_profile_changes(mock: CustomerProfilesMock, client: Any, domain: str, gold: str) -> None:
    ana = mock.create_profile(domain, Attributes={"tier": "gold"})
    client.put_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
    assert _events(client, domain) == []  # ana was a member when the initial snapshot was taken
    bo = mock.create_profile(domain, Attributes={"tier": "gold"})
    client.update_profile(DomainName=domain, ProfileId=ana, Attributes={"tier": "silver"})
    client.update_profile(DomainName=domain, ProfileId=ana, FirstName="Ana")  # no change of membership
    client.delete_profile(DomainName=domain, ProfileId=bo)
    assert _events(client, domain) == [(bo, "LEFT", "LIVE"), (ana, "LEFT", "LIVE"), (bo, "JOINED", "LIVE")]
    page = client.list_segment_subscription_events(DomainName=domain, SegmentDefinitionName=gold, MaxResults=2)
    assert len(page["Events"]) == 2
    rest = _events(client, domain, MaxResults=2, NextToken=page["NextToken"])
    assert rest == [(bo, "JOINED", "LIVE")]


def test_scheduled_execution_reports_what_changed_since(
    mock: CustomerProfilesMock, client: Any, domain: str, gold: str
) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), tick=False) as clock:
        client.put_segment_subscription(
            DomainName=domain, SegmentDefinitionName=gold, ScheduleConfiguration={"Interval": 1, "Unit": "HOURLY"}
        )
        client.get_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
        # a change the live path cannot see (as when time alone moves a calculated attribute)
        state = mock.service.backend().domains[domain].family(SubscriptionState)
        ana = mock.create_profile(domain, Attributes={"tier": "gold"})
        state.subscriptions[gold].members.add("0" * 32)
        state.subscriptions[gold].members.discard(ana)
        assert _events(client, domain) == [(ana, "JOINED", "LIVE")]
        clock.shift(dt.timedelta(minutes=61))
        assert _events(client, domain) == [
            ("0" * 32, "LEFT", "SCHEDULE"),
            (ana, "JOINED", "SCHEDULE"),
            (ana, "JOINED", "LIVE"),
        ]
        got = client.get_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
        assert got["ScheduledExecutions"]["LastExecutedAt"] == dt.datetime(2026, 1, 1, 1, 1, tzinfo=dt.timezone.utc)


def test_a_subscribed_segment_cannot_be_deleted(client: Any, domain: str, gold: str) -> None:
    client.put_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
    with pytest.raises(ClientError) as caught:
        client.delete_segment_definition(DomainName=domain, SegmentDefinitionName=gold)
    assert _code(caught) == (
        "BadRequestException",
        "Segment definition gold has a subscription: delete it with DeleteSegmentSubscription first",
    )


def test_stream_receives_events_while_associated(
    mock: CustomerProfilesMock, client: Any, domain: str, gold: str
) -> None:
    with pytest.raises(ClientError) as caught:
        client.get_stream_for_segments(DomainName=domain)
    assert _code(caught) == ("ResourceNotFoundException", f"No stream is associated with domain {domain}")
    assert client.associate_stream_for_segments(DomainName=domain, DestinationArn=STREAM, DestinationRoleArn=ROLE)
    with pytest.raises(ClientError) as caught:
        client.associate_stream_for_segments(DomainName=domain, DestinationArn=STREAM, DestinationRoleArn=ROLE)
    assert _code(caught)[0] == "BadRequestException"
    client.put_segment_subscription(DomainName=domain, SegmentDefinitionName=gold)
    ana = mock.create_profile(domain, Attributes={"tier": "gold"})
    [record] = mock.effects("SegmentStreamRecord")
    assert record["DestinationArn"] == STREAM
    assert (record["ProfileId"], record["Event"], record["EventType"]) == (ana, "JOINED", "LIVE")
    stream = client.get_stream_for_segments(DomainName=domain)
    assert (stream["State"], stream["DestinationArn"], stream["DestinationRoleArn"]) == ("RUNNING", STREAM, ROLE)
    assert stream["AssociatedSegments"] == [{"SegmentName": gold, "Status": "STARTING"}]
    client.disassociate_stream_for_segments(DomainName=domain)
    stopped = client.get_stream_for_segments(DomainName=domain)
    assert stopped["State"] == "STOPPED"
    assert stopped["DisassociatedAt"] >= stopped["AssociatedAt"]
    assert stopped["AssociatedSegments"] == [{"SegmentName": gold, "Status": "STOPPED"}]
    mock.create_profile(domain, Attributes={"tier": "gold"})
    assert len(mock.effects("SegmentStreamRecord")) == 1  # a stopped subscription sends nothing
    with pytest.raises(ClientError) as caught:
        client.disassociate_stream_for_segments(DomainName=domain)
    assert _code(caught)[0] == "ResourceNotFoundException"
    client.associate_stream_for_segments(DomainName=domain, DestinationArn=STREAM, DestinationRoleArn=ROLE)
    assert client.get_stream_for_segments(DomainName=domain)["State"] == "RUNNING"


def test_stream_destination_must_be_a_kinesis_stream(client: Any, domain: str) -> None:
    with pytest.raises(ClientError) as caught:
        client.associate_stream_for_segments(
            DomainName=domain, DestinationArn="arn:aws:sqs:us-east-1:123456789012:queue", DestinationRoleArn=ROLE
        )
    assert _code(caught) == (
        "BadRequestException",
        "DestinationArn arn:aws:sqs:us-east-1:123456789012:queue is not the ARN of a Kinesis data stream",
    )
