"""Isolation: every activation, test and test method starts empty; accounts and regions are apart.

The tests that create the domain ``acme`` in several places would fail with "Domain acme already
exists" if state leaked between them, whatever order pytest-randomly or pytest-xdist give them.
"""

from __future__ import annotations

import threading
import unittest
from typing import Any

import boto3
import pytest

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles


def _domains(client: Any) -> list[str]:
    return [item["DomainName"] for item in client.list_domains()["Items"]]


def _client(region: str = "us-east-1") -> Any:
    return boto3.client("customer-profiles", region_name=region)


def test_each_activation_starts_empty() -> None:
    cp = mock_customer_profiles()
    for _ in range(3):
        with cp:
            assert _domains(cp.client()) == []
            cp.create_domain("acme")


@mock_customer_profiles
class TestDecoratedClass:
    def test_one(self) -> None:
        client = _client()
        client.create_domain(DomainName="acme", DefaultExpirationDays=1)
        assert _domains(client) == ["acme"]

    def test_two(self) -> None:
        client = _client()
        client.create_domain(DomainName="acme", DefaultExpirationDays=1)
        assert _domains(client) == ["acme"]


@mock_customer_profiles
class TestDecoratedTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.client = _client()
        self.client.create_domain(DomainName="acme", DefaultExpirationDays=1)

    def test_one(self) -> None:
        assert _domains(self.client) == ["acme"]

    def test_two(self) -> None:
        self.client.create_domain(DomainName="beta", DefaultExpirationDays=1)
        assert _domains(self.client) == ["acme", "beta"]


@pytest.mark.parametrize("round_", [1, 2, 3])
def test_the_fixture_starts_empty_for_every_test(customer_profiles_mock: CustomerProfilesMock, round_: int) -> None:
    customer_profiles_mock.create_domain("acme")
    assert _domains(customer_profiles_mock.client()) == ["acme"]


def test_regions_are_separate_backends(mock: CustomerProfilesMock) -> None:
    east, west = _client("us-east-1"), _client("eu-west-1")
    east.create_domain(DomainName="acme", DefaultExpirationDays=1)
    west.create_domain(DomainName="acme", DefaultExpirationDays=2)
    west.create_domain(DomainName="beta", DefaultExpirationDays=2)

    assert _domains(east) == ["acme"]
    assert _domains(west) == ["acme", "beta"]
    assert east.get_domain(DomainName="acme")["DefaultExpirationDays"] == 1
    assert _domains(mock.client("eu-west-1")) == ["acme", "beta"]
    assert sorted(mock.service.backends) == [("123456789012", "eu-west-1"), ("123456789012", "us-east-1")]


def test_accounts_are_separate_backends() -> None:
    with mock_customer_profiles(account_id="111111111111") as first:
        first.create_domain("acme")
        with mock_customer_profiles(account_id="222222222222") as second:
            assert _domains(_client()) == []
            second.create_domain("beta")
            assert list(second.service.backends) == [("222222222222", "us-east-1")]
        assert _domains(_client()) == ["acme"]
        assert list(first.service.backends) == [("111111111111", "us-east-1")]


def test_the_innermost_mock_answers_until_it_stops() -> None:
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
