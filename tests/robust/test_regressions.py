"""Bugs the robustness suite found, each pinned by a plain example (the fuzzers might not draw it again)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from mock_customer_profiles import mock_customer_profiles

from .support import TOO_DEEP, WireClient, nested

INVALID_TOKEN = "The NextToken is not valid for this request: it is malformed, expired, or belongs to another request"


@pytest.mark.parametrize("token", [".\x80", "abc.\u00e9", "\U0001f642.\U0001f642"])
def test_a_non_ascii_next_token_is_a_bad_request(client: Any, domain: str, token: str) -> None:
    with pytest.raises(client.exceptions.BadRequestException) as caught:
        client.list_domains(NextToken=token)
    assert caught.value.response["Error"]["Message"] == INVALID_TOKEN
    with pytest.raises(client.exceptions.BadRequestException) as caught:
        client.search_profiles(DomainName=domain, KeyName="_email", Values=["a"], NextToken=token)
    assert caught.value.response["Error"]["Message"] == INVALID_TOKEN


@pytest.mark.parametrize("text", [" 5", "5 ", "5_0", "\u0665", "1.0", "0x10", "1e1", ""])
def test_a_query_integer_is_plain_digits(raw_client: Any, domain: str, text: str) -> None:
    with pytest.raises(raw_client.exceptions.BadRequestException) as caught:
        raw_client.list_domains(MaxResults=text)
    assert caught.value.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{text}' at 'maxResults' failed to satisfy constraint: "
        "Member must be of type integer"
    )


@pytest.mark.parametrize(("text", "size"), [("+2", 2), ("02", 2), ("3", 3)])
def test_a_signed_or_zero_padded_query_integer_is_read(raw_client: Any, domain: str, text: str, size: int) -> None:
    for name in ("b", "c"):
        raw_client.create_domain(DomainName=name, DefaultExpirationDays=1)
    page = raw_client.list_domains(MaxResults=text)
    assert [item["DomainName"] for item in page["Items"]] == [domain, "b", "c"][:size]
    assert ("NextToken" in page) == (size < 3)


@mock_customer_profiles(lenient_matching=True)
def test_lenient_matching_never_matches_values_that_fold_to_nothing() -> None:
    client = boto3.client("customer-profiles", region_name="us-east-1")
    client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    na = client.create_profile(DomainName="acme", PhoneNumber="n/a", FirstName=" ")["ProfileId"]
    client.create_profile(DomainName="acme", PhoneNumber="none", FirstName="  ")

    def found(key: str, value: str) -> list[str]:
        items = client.search_profiles(DomainName="acme", KeyName=key, Values=[value])["Items"]
        return [item["ProfileId"] for item in items]

    assert found("_phone", "n/a") == [na]  # itself, as exact matching would find it
    assert found("_phone", "unknown") == []  # not every other phone without digits
    assert found("_fullName", " ") == [na]
    assert found("_fullName", "   ") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"KeyName": "_email", "Values": ["a"], "Bogus": ' + nested(400) + b"}", TOO_DEEP),
        (b'{"KeyName": "_email", "Values": ' + nested(2000) + b"}", TOO_DEEP),
        (nested(100_000), TOO_DEEP),
        (b'{"KeyName": "_email", "Values": ["a"], "Bogus": ' + nested(63) + b"}", None),
    ],
    ids=["render", "parse", "parse-huge", "at-the-limit"],
)
def test_a_deeply_nested_body_is_a_bad_request(body: bytes, message: str | None) -> None:
    with mock_customer_profiles() as mock:
        mock.create_domain("acme")
        outcome = WireClient().call("SearchProfiles", {"DomainName": "acme"}, body=body)
    assert outcome.exception is None, outcome.describe()
    assert outcome.code == "BadRequestException"
    if message is None:  # 64 levels, the body itself included: parsed, so the unknown member is named
        assert outcome.message.startswith("1 validation error detected: Value '[[[")
        assert outcome.message.endswith(
            "at 'Bogus' failed to satisfy constraint: Member must be a member of SearchProfilesRequest"
        )
    else:
        assert outcome.message == message
