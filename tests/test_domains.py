"""CreateDomain, GetDomain, ListDomains, DeleteDomain through boto3."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)


def test_create_domain_echoes_its_settings_with_timestamps(client: Any) -> None:
    response = client.create_domain(
        DomainName="acme", DefaultExpirationDays=365, DeadLetterQueueUrl="https://sqs.example/q", Tags={"team": "cx"}
    )
    assert response["DomainName"] == "acme"
    assert response["DefaultExpirationDays"] == 365
    assert response["DeadLetterQueueUrl"] == "https://sqs.example/q"
    assert response["Tags"] == {"team": "cx"}
    assert isinstance(response["CreatedAt"], dt.datetime)
    assert response["CreatedAt"] == response["LastUpdatedAt"]


def test_create_existing_domain_is_bad_request(client: Any, domain: str) -> None:
    with pytest.raises(client.exceptions.BadRequestException) as caught:
        client.create_domain(DomainName=domain, DefaultExpirationDays=30)
    assert caught.value.response["Error"]["Message"] == "Domain acme already exists"


def test_at_most_100_domains_per_account(client_for: Callable[[CustomerProfilesMock], Any]) -> None:
    with mock_customer_profiles() as cp:
        for n in range(100):
            cp.create_domain(f"d{n}")
        client = client_for(cp)
        with pytest.raises(client.exceptions.BadRequestException) as caught:
            client.create_domain(DomainName="one-too-many", DefaultExpirationDays=1)
        assert caught.value.response["Error"]["Message"] == "The account already has the maximum of 100 domains"


def test_get_domain_has_stats(client: Any, make_profile: Any) -> None:
    make_profile(FirstName="Ana")
    make_profile(FirstName="Ben")
    response = client.get_domain(DomainName="acme")
    assert response["DefaultExpirationDays"] == 365
    assert response["Stats"]["ProfileCount"] == 2
    assert "Tags" not in response  # unset, not empty


def test_get_unknown_domain_is_not_found(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.get_domain(DomainName="nowhere")
    assert caught.value.response["Error"]["Message"] == "Domain nowhere not found"


def test_list_domains_pages_in_name_order(client: Any) -> None:
    for name in ["delta", "alpha", "charlie", "bravo", "echo"]:
        client.create_domain(DomainName=name, DefaultExpirationDays=10)
    first = client.list_domains(MaxResults=2)
    assert [d["DomainName"] for d in first["Items"]] == ["alpha", "bravo"]
    second = client.list_domains(MaxResults=2, NextToken=first["NextToken"])
    assert [d["DomainName"] for d in second["Items"]] == ["charlie", "delta"]
    third = client.list_domains(MaxResults=2, NextToken=second["NextToken"])
    assert [d["DomainName"] for d in third["Items"]] == ["echo"]
    assert "NextToken" not in third
    assert [d["DomainName"] for d in client.list_domains()["Items"]] == ["alpha", "bravo", "charlie", "delta", "echo"]


def test_list_domains_rejects_a_foreign_token(client: Any, domain: str) -> None:
    with pytest.raises(client.exceptions.BadRequestException):
        client.list_domains(NextToken="not-a-token")


def test_delete_domain_removes_it_and_its_profiles(client: Any, make_profile: Any) -> None:
    make_profile(EmailAddress="ana@example.com")
    assert client.delete_domain(DomainName="acme")["Message"] == "Domain acme deleted"
    assert client.list_domains()["Items"] == []
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    assert client.search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])["Items"] == []
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_domain(DomainName="nowhere")
