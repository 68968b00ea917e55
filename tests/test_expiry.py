"""Expiry of objects and profiles, with the clock moved by time-machine as a user's test would move it.

Objects expire ``ExpirationDays`` after ingestion (the object type's, else the domain's
``DefaultExpirationDays``), fixed at ingestion (admin guide, "Additional properties of object types":
"Retention on individual objects is set at the time of ingestion of data"); expired objects are gone
from search, lists and counts, with an ``EXPIRED`` history record. Profiles expire
``DefaultExpirationDays`` after their last change (option ``expire_profiles``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from dataplane_helpers import objects_of, put_loyalty_type, put_object, search

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

START = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=n)


def stats(client: Any, domain: str = "acme") -> dict[str, int]:
    return dict(client.get_domain(DomainName=domain)["Stats"])


def history(client: Any, pid: str, **filters: Any) -> list[dict[str, Any]]:
    answer = client.list_profile_history_records(DomainName="acme", ProfileId=pid, **filters)
    return list(answer["ProfileHistoryRecords"])


def test_an_object_expires_after_the_domains_default_days(client: Any, clock: time_machine.Coordinates) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=30)
    put_loyalty_type(client)
    unique_key = put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    (pid,) = search(client, "cardNumber", "K-1")
    client.update_profile(DomainName="acme", ProfileId=pid, LastName="Silva")  # keeps the profile alive
    clock.shift(days(29))
    client.update_profile(DomainName="acme", ProfileId=pid, LastName="Silva")
    assert search(client, "memberId", "M-1") == [pid]
    clock.shift(days(2))  # 31 days after ingestion
    assert search(client, "cardNumber", "K-1") == []
    assert search(client, "memberId", "M-1") == []
    assert search(client, "_phone", "+15550100001") == [pid]  # the mapped field stays on the profile
    assert objects_of(client, "Loyalty", pid) == []
    assert stats(client) == {"ProfileCount": 1, "MeteringProfileCount": 1, "ObjectCount": 0, "TotalSize": 0}
    (expired,) = history(client, pid, ActionType="EXPIRED")
    assert (expired["ObjectTypeName"], expired["ProfileObjectUniqueKey"]) == ("Loyalty", unique_key)
    assert expired["PerformedBy"] == "profile.amazonaws.com"
    assert expired["CreatedAt"] == START + days(30)


def test_the_object_types_days_are_fixed_at_ingestion(client: Any, clock: time_machine.Coordinates) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    put_loyalty_type(client, ExpirationDays=10)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001"})
    put_loyalty_type(client, ExpirationDays=100)  # applies to new objects only
    put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100001"})
    clock.shift(days(11))
    assert search(client, "cardNumber", "K-1") == []
    (pid,) = search(client, "cardNumber", "K-2")
    clock.shift(days(90))
    assert search(client, "cardNumber", "K-2") == []
    assert stats(client)["ObjectCount"] == 0
    assert search(client, "_profileId", pid) == [pid]  # its objects kept the profile alive until now


def test_re_ingesting_an_object_starts_its_retention_again(client: Any, clock: time_machine.Coordinates) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    put_loyalty_type(client, ExpirationDays=10)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001"})
    clock.shift(days(8))
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    clock.shift(days(8))
    assert len(search(client, "cardNumber", "K-1")) == 1
    clock.shift(days(3))
    assert search(client, "cardNumber", "K-1") == []


def test_a_profile_expires_after_the_default_days_since_its_last_change(
    client: Any, clock: time_machine.Coordinates
) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=10)
    kept = client.create_profile(DomainName="acme", FirstName="Ana")["ProfileId"]
    gone = client.create_profile(DomainName="acme", FirstName="Bo", EmailAddress="bo@example.com")["ProfileId"]
    clock.shift(days(6))
    client.add_profile_key(DomainName="acme", ProfileId=kept, KeyName="_account", Values=["A-1"])
    clock.shift(days(6))
    assert search(client, "_email", "bo@example.com") == []
    assert search(client, "_profileId", kept, gone) == [kept]
    errors = client.batch_get_profile(DomainName="acme", ProfileIds=[gone])["Errors"]
    assert [error["ProfileId"] for error in errors] == [gone]
    records = history(client, gone)
    assert [record["ActionType"] for record in records] == ["EXPIRED", "CREATED"]  # newest first, still readable
    assert records[0]["CreatedAt"] == START + days(10)
    clock.shift(days(5))
    assert stats(client)["ProfileCount"] == 0


def test_a_profile_lives_as_long_as_the_objects_ingested_onto_it(client: Any, clock: time_machine.Coordinates) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=10)
    put_loyalty_type(client, ExpirationDays=40)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001"})
    (pid,) = search(client, "cardNumber", "K-1")
    clock.shift(days(39))
    assert search(client, "cardNumber", "K-1") == [pid]
    clock.shift(days(2))
    assert stats(client)["ProfileCount"] == 0


def test_profiles_can_be_kept_from_expiring(
    clock: time_machine.Coordinates, client_for: Callable[[CustomerProfilesMock], Any]
) -> None:
    with mock_customer_profiles(expire_profiles=False) as cp:
        client = client_for(cp)
        client.create_domain(DomainName="acme", DefaultExpirationDays=1)
        put_loyalty_type(client)
        put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001"})
        clock.shift(days(400))
        assert search(client, "_phone", "+15550100001") != []
        assert stats(client)["ObjectCount"] == 0  # objects still expire


def test_nothing_expires_in_a_test_that_does_not_move_the_clock(client: Any) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001"})
    assert stats(client)["ObjectCount"] == 1
    assert len(search(client, "cardNumber", "K-1")) == 1


def test_profiles_deleted_or_merged_away_before_their_time_leave_nothing_to_expire(
    client: Any, clock: time_machine.Coordinates
) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=10)
    put_loyalty_type(client, ExpirationDays=40)
    main = client.create_profile(DomainName="acme", FirstName="Ana")["ProfileId"]
    deleted = client.create_profile(DomainName="acme", FirstName="Bo")["ProfileId"]
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001"})
    (merged,) = search(client, "cardNumber", "K-1")
    client.delete_profile(DomainName="acme", ProfileId=deleted)
    client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[merged])
    clock.shift(days(11))
    assert search(client, "cardNumber", "K-1") == [main]  # the object it took in keeps it
    assert [r["ActionType"] for r in history(client, deleted)] == ["DELETED_BY_CUSTOMER", "CREATED"]
    assert history(client, merged)[0]["ActionType"] == "DELETED_BY_MERGE"
    clock.shift(days(30))
    assert stats(client)["ProfileCount"] == 0
    assert [r["ActionType"] for r in history(client, main)][:2] == ["EXPIRED", "EXPIRED"]
