"""The shared foundations of the families: the change feed, the lifecycle of asynchronous resources,
the side-effect record and per-domain family state. The families' own tests exercise them through
their operations; these tests pin the rules every family relies on."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from mock_customer_profiles import CustomerProfilesMock, ServerThread, mock_customer_profiles
from mock_customer_profiles._changes import SUBSCRIBERS, Change, subscribe
from mock_customer_profiles._lifecycle import Flow, Jobs

ESTIMATE = Flow("Example", ("RUNNING",), "SUCCEEDED", "FAILED")


@pytest.fixture
def changes() -> Iterator[list[tuple[str, str, str]]]:
    seen: list[tuple[str, str, str]] = []

    def record(_: Any, change: Change) -> None:
        seen.append((change.action, change.object_type, change.profile_id))

    subscribe(record)
    yield seen
    SUBSCRIBERS.remove(record)


def test_every_profile_and_object_change_is_reported_once(
    client: Any, domain: str, changes: list[tuple[str, str, str]]
) -> None:
    first = client.create_profile(DomainName=domain, FirstName="Ana")["ProfileId"]
    client.update_profile(DomainName=domain, ProfileId=first, LastName="Silva")
    client.add_profile_key(DomainName=domain, ProfileId=first, KeyName="_account", Values=["A-1"])
    client.delete_profile_key(DomainName=domain, ProfileId=first, KeyName="_account", Values=["A-1"])
    client.put_profile_object_type(
        DomainName=domain,
        ObjectTypeName="Order",
        Description="orders",
        AllowProfileCreation=True,
        Fields={
            "id": {"Source": "_source.id", "Target": "_profile.AccountNumber", "ContentType": "STRING"},
            "email": {"Source": "_source.email", "Target": "_profile.EmailAddress", "ContentType": "EMAIL_ADDRESS"},
        },
        Keys={
            "orderId": [{"FieldNames": ["id"], "StandardIdentifiers": ["UNIQUE"]}],
            "_email": [{"FieldNames": ["email"], "StandardIdentifiers": ["PROFILE"]}],
        },
    )
    key = client.put_profile_object(
        DomainName=domain, ObjectTypeName="Order", Object=json.dumps({"id": "O-1", "email": "b@x.com"})
    )["ProfileObjectUniqueKey"]
    second = client.search_profiles(DomainName=domain, KeyName="_email", Values=["b@x.com"])["Items"][0]["ProfileId"]
    client.delete_profile_object(
        DomainName=domain, ObjectTypeName="Order", ProfileId=second, ProfileObjectUniqueKey=key
    )
    client.merge_profiles(DomainName=domain, MainProfileId=first, ProfileIdsToBeMerged=[second])
    client.delete_profile(DomainName=domain, ProfileId=first)
    assert changes == [
        ("CREATED", "_profile", first),
        ("UPDATED", "_profile", first),
        ("ADDED_PROFILE_KEY", "_profile", first),
        ("DELETED_PROFILE_KEY", "_profile", first),
        ("CREATED", "_profile", second),
        ("INGESTED", "Order", second),
        ("DELETED_BY_CUSTOMER", "Order", second),
        ("DELETED_BY_MERGE", "_profile", second),
        ("MERGED", "_profile", first),
        ("DELETED_BY_CUSTOMER", "_profile", first),
    ]


def test_a_rejected_call_reports_no_change(client: Any, domain: str, changes: list[tuple[str, str, str]]) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.update_profile(DomainName=domain, ProfileId="0" * 32, FirstName="Ana")
    assert changes == []


def test_stepped_runs_show_one_in_progress_read_then_the_final_state() -> None:
    done: list[str] = []
    run = Jobs("stepped").start(ESTIMATE, on_done=lambda finished: done.append(finished.state))
    assert [run.observe(), run.observe(), run.observe()] == ["RUNNING", "SUCCEEDED", "SUCCEEDED"]
    assert done == ["SUCCEEDED"]  # the work of the resource runs once, when it finishes
    assert run.finished_at is not None
    assert run.finished_at >= run.started_at


def test_instant_runs_are_final_at_once_and_manual_runs_wait_for_settle() -> None:
    assert Jobs("instant").start(ESTIMATE).observe() == "SUCCEEDED"
    jobs = Jobs("manual")
    run = jobs.start(ESTIMATE)
    assert [run.observe() for _ in range(5)] == ["RUNNING"] * 5
    assert jobs.settle("Other") == []
    assert jobs.settle("Example") == [run]
    assert run.observe() == "SUCCEEDED"


def test_fail_next_fails_only_the_next_run_of_its_kind_and_skips_its_work() -> None:
    jobs = Jobs("instant")
    done: list[Any] = []
    jobs.fail_next("Example", "no data")
    failed = jobs.start(ESTIMATE, on_done=done.append)
    assert (failed.observe(), failed.failure_reason, done) == ("FAILED", "no data", [])
    assert jobs.start(ESTIMATE, on_done=done.append).observe() == "SUCCEEDED"
    assert len(done) == 1


def test_the_lifecycle_option_is_checked_and_settle_needs_an_active_mock() -> None:
    with pytest.raises(ValueError, match=r"lifecycle must be one of 'stepped', 'instant', 'manual', not 'later'"):
        mock_customer_profiles(lifecycle="later")
    with pytest.raises(RuntimeError, match=r"settle\(\) needs an active mock"):
        mock_customer_profiles().settle()


def test_settle_and_fail_next_reach_the_runs_of_the_active_mock() -> None:
    with mock_customer_profiles(lifecycle="manual") as cp:
        run = cp.service.jobs.start(ESTIMATE)
        cp.fail_next("Example", "boom")
        failing = cp.service.jobs.start(ESTIMATE)
        assert cp.settle() == 2
        assert (run.state, failing.state, failing.failure_reason) == ("SUCCEEDED", "FAILED", "boom")


def test_effects_are_plain_data_on_the_mock_and_over_http(mock: CustomerProfilesMock) -> None:
    mock.service.effects.record("Example", {"n": 1})
    assert mock.effects("Example") == [{"n": 1}]
    assert mock.effects("Nothing") == []
    with (
        ServerThread(mock) as server,
        urllib.request.urlopen(f"{server.endpoint_url}/_mock/effects?kind=Example") as answer,
    ):
        assert json.loads(answer.read()) == {"Example": [{"n": 1}]}


def test_family_state_is_one_instance_per_domain_and_goes_with_it(client: Any, mock: CustomerProfilesMock) -> None:
    class Notes:
        def __init__(self) -> None:
            self.items: list[str] = []

    client.create_domain(DomainName="one", DefaultExpirationDays=1)
    client.create_domain(DomainName="two", DefaultExpirationDays=1)
    domains = mock.service.backend().domains
    domains["one"].family(Notes).items.append("x")
    assert domains["one"].family(Notes).items == ["x"]
    assert domains["two"].family(Notes).items == []
    client.delete_domain(DomainName="one")
    client.create_domain(DomainName="one", DefaultExpirationDays=1)
    assert mock.service.backend().domains["one"].family(Notes).items == []
