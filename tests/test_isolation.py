"""Isolation beyond activation (tests/test_activation.py covers decorated functions, classes, restarts,
nesting and regions): the fixture per test, accounts, the record of nested mocks, concurrent callers.

The tests that create the domain ``acme`` several times would fail with "Domain acme already exists"
if state leaked between them, whatever order pytest-randomly or pytest-xdist give them.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles


def _domains(client: Any) -> list[str]:
    return [item["DomainName"] for item in client.list_domains()["Items"]]


def _client(region: str = "us-east-1") -> Any:
    return boto3.client("customer-profiles", region_name=region)


@pytest.mark.parametrize("round_", [1, 2, 3])
def test_the_fixture_starts_empty_for_every_test(customer_profiles_mock: CustomerProfilesMock, round_: int) -> None:
    customer_profiles_mock.create_domain("acme")
    assert _domains(customer_profiles_mock.client()) == ["acme"]


def test_accounts_are_separate_backends() -> None:
    with mock_customer_profiles(account_id="111111111111") as first:
        first.create_domain("acme")
        with mock_customer_profiles(account_id="222222222222") as second:
            assert _domains(_client()) == []
            second.create_domain("beta")
            assert list(second.service.backends) == [("222222222222", "us-east-1")]
        assert _domains(_client()) == ["acme"]
        assert list(first.service.backends) == [("111111111111", "us-east-1")]


def test_calls_are_recorded_by_the_mock_that_answered() -> None:
    with mock_customer_profiles() as outer:
        outer.create_domain("outer")
        with mock_customer_profiles() as inner:
            _client().create_domain(DomainName="inner", DefaultExpirationDays=1)
            assert _domains(_client()) == ["inner"]
        assert _domains(_client()) == ["outer"]
        assert [call.params["DomainName"] for call in inner.calls if call.operation == "CreateDomain"] == ["inner"]
        assert outer.get_calls("CreateDomain") == []


def test_concurrent_callers_are_all_answered_and_recorded(mock: CustomerProfilesMock) -> None:
    mock.create_domain("acme")
    clients = [_client() for _ in range(8)]

    def work(client: Any, n: int) -> None:
        for i in range(25):
            client.create_profile(DomainName="acme", AccountNumber=f"{n}-{i}")

    threads = [threading.Thread(target=work, args=(client, n)) for n, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(mock.get_calls("CreateProfile")) == 200
    assert len({call.response["ProfileId"] for call in mock.calls}) == 200
    assert _client().get_domain(DomainName="acme")["Stats"]["ProfileCount"] == 200
