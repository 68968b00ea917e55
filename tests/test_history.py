"""Profile history: ListProfileHistoryRecords and GetProfileHistoryRecord. Every change of a profile
writes a record in the model's ActionType words; the rules of when and what (reference notes §6.2) are
the mock's documented choices."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found, put_loyalty_type, put_object, search

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

CALLER = "arn:aws:iam::123456789012:root"
UNKNOWN_ID = "0" * 32


def records(client: Any, pid: str, **params: Any) -> list[dict[str, Any]]:
    return list(
        client.list_profile_history_records(DomainName="acme", ProfileId=pid, **params)["ProfileHistoryRecords"]
    )


def content(client: Any, pid: str, record: dict[str, Any]) -> Any:
    full = client.get_profile_history_record(DomainName="acme", ProfileId=pid, Id=record["Id"])
    assert {k: v for k, v in full.items() if k not in ("Content", "ResponseMetadata")} == record
    return json.loads(full["Content"])


def test_every_change_of_a_profile_writes_a_record_newest_first(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    pid = make_profile(FirstName="Ana", PhoneNumber="+15550100001")
    client.update_profile(DomainName="acme", ProfileId=pid, LastName="Silva")
    client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="_account", Values=["A-1"])
    client.delete_profile_key(DomainName="acme", ProfileId=pid, KeyName="_account", Values=["A-1"])
    put_loyalty_type(client)
    unique_key = put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "name": {"first": "X"}})
    client.delete_profile_object(
        DomainName="acme", ProfileId=pid, ObjectTypeName="Loyalty", ProfileObjectUniqueKey=unique_key
    )
    got = records(client, pid)
    assert [(r["ActionType"], r["ObjectTypeName"]) for r in got] == [
        ("DELETED_BY_CUSTOMER", "Loyalty"),
        ("INGESTED", "Loyalty"),
        ("DELETED_PROFILE_KEY", "_profile"),
        ("ADDED_PROFILE_KEY", "_profile"),
        ("UPDATED", "_profile"),
        ("CREATED", "_profile"),
    ]
    assert {r["PerformedBy"] for r in got} == {CALLER}
    assert all(len(r["Id"]) == 32 and r["CreatedAt"] == r["LastUpdatedAt"] for r in got)
    assert [r.get("ProfileObjectUniqueKey") for r in got[:2]] == [unique_key, unique_key]
    assert "ProfileObjectUniqueKey" not in got[2]
    deleted, ingested, key_deleted, key_added, updated, created = got
    assert content(client, pid, created) == {"ProfileId": pid, "FirstName": "Ana", "PhoneNumber": "+15550100001"}
    assert content(client, pid, updated)["LastName"] == "Silva"
    assert content(client, pid, key_added) == {"KeyName": "_account", "Values": ["A-1"]}
    assert content(client, pid, key_deleted) == {"KeyName": "_account", "Values": ["A-1"]}
    assert content(client, pid, ingested) == {"card": "K-1", "phone": "+15550100001", "name": {"first": "X"}}
    assert content(client, pid, deleted) == content(client, pid, ingested)


def test_ingestion_that_creates_or_changes_a_profile_records_it(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    text = '{"card": "K-1",  "phone": "+15550100001"}'
    put_object(client, "Loyalty", text)
    (pid,) = search(client, "cardNumber", "K-1")
    put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100001", "name": {"first": "Ana"}})
    put_object(client, "Loyalty", {"card": "K-3", "phone": "+15550100001", "name": {"first": "Ana"}})
    actions = [r["ActionType"] for r in records(client, pid)]
    assert actions == ["INGESTED", "INGESTED", "UPDATED", "INGESTED", "CREATED"]  # K-3 changed no field
    first = records(client, pid)[-2]
    full = client.get_profile_history_record(DomainName="acme", ProfileId=pid, Id=first["Id"])
    assert full["Content"] == text  # the object as it was sent


def test_merges_record_on_both_sides_and_records_of_gone_profiles_stay_readable(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    main = make_profile(FirstName="Ana")
    other = make_profile(FirstName="Bo", LastName="Silva")
    client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[other])
    merged = records(client, main)[0]
    assert merged["ActionType"] == "MERGED"
    assert content(client, main, merged) == {"ProfileId": main, "FirstName": "Ana", "LastName": "Silva"}
    gone = records(client, other)[0]
    assert gone["ActionType"] == "DELETED_BY_MERGE"
    assert content(client, other, gone) == {"ProfileId": other, "FirstName": "Bo", "LastName": "Silva"}
    client.delete_profile(DomainName="acme", ProfileId=main)
    assert [r["ActionType"] for r in records(client, main)] == ["DELETED_BY_CUSTOMER", "MERGED", "CREATED"]


def test_filters_are_anded_and_pages_follow_tokens(client: Any, domain: str, make_profile: Callable[..., str]) -> None:
    pid = make_profile(PhoneNumber="+15550100001")
    put_loyalty_type(client)
    for n in range(5):
        put_object(client, "Loyalty", {"card": f"K-{n}", "phone": "+15550100001"})
        client.update_profile(DomainName="acme", ProfileId=pid, AccountNumber=f"A-{n}")
    ingested = records(client, pid, ActionType="INGESTED")
    assert len(ingested) == 5
    assert records(client, pid, ObjectTypeName="Loyalty") == ingested
    assert records(client, pid, ObjectTypeName="_profile", ActionType="INGESTED") == []
    assert records(client, pid, PerformedBy=CALLER, ActionType="UPDATED") == records(client, pid, ActionType="UPDATED")
    assert records(client, pid, PerformedBy="arn:aws:iam::123456789012:user/else") == []
    first = client.list_profile_history_records(DomainName="acme", ProfileId=pid, ActionType="INGESTED", MaxResults=2)
    second = client.list_profile_history_records(
        DomainName="acme", ProfileId=pid, ActionType="INGESTED", MaxResults=3, NextToken=first["NextToken"]
    )
    assert first["ProfileHistoryRecords"] + second["ProfileHistoryRecords"] == ingested
    assert "NextToken" not in second
    with bad_request(
        "The NextToken is not valid for this request: it is malformed, expired, or belongs to another request"
    ):
        client.list_profile_history_records(DomainName="acme", ProfileId=pid, NextToken=first["NextToken"])


def test_unknown_profile_record_and_domain(client: Any, domain: str, make_profile: Callable[..., str]) -> None:
    pid = make_profile(FirstName="Ana")
    other = make_profile(FirstName="Bo")
    (record,) = records(client, other)
    with not_found(f"Profile {UNKNOWN_ID} not found in domain acme"):
        records(client, UNKNOWN_ID)
    with not_found(f"Profile {UNKNOWN_ID} not found in domain acme"):
        client.get_profile_history_record(DomainName="acme", ProfileId=UNKNOWN_ID, Id=record["Id"])
    with not_found(f"Profile history record {record['Id']} not found for profile {pid}"):
        client.get_profile_history_record(DomainName="acme", ProfileId=pid, Id=record["Id"])
    with not_found("Domain nowhere not found"):
        client.list_profile_history_records(DomainName="nowhere", ProfileId=pid)
    odd = "z" + "0" * 32  # the model's pattern is not anchored: this one passes it
    with not_found(f"Profile history record {odd} not found for profile {pid}"):
        client.get_profile_history_record(DomainName="acme", ProfileId=pid, Id=odd)
