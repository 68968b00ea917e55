"""Server-side validation: every constraint of the model, with botocore's client validation on and off."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from mock_customer_profiles import CustomerProfilesMock


@pytest.fixture(params=[True, False], ids=["client-validation", "no-client-validation"])
def any_client(request: pytest.FixtureRequest, mock: CustomerProfilesMock) -> Any:
    """Both kinds of client: the server must reject what botocore lets through either way."""
    client = boto3.client(
        "customer-profiles", region_name="us-east-1", config=Config(parameter_validation=request.param)
    )
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    return client


def bad_request(client: Any, call: Callable[[], Any]) -> str:
    with pytest.raises(client.exceptions.BadRequestException) as caught:
        call()
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    message: str = caught.value.response["Error"]["Message"]
    return message


def one(value: str, member: str, constraint: str) -> str:
    return f"1 validation error detected: Value {value} at '{member}' failed to satisfy constraint: {constraint}"


# Constraints botocore never checks on the client: max, pattern, enum, list sizes above max.


def test_max_results_above_max(any_client: Any) -> None:
    message = bad_request(
        any_client,
        lambda: any_client.search_profiles(DomainName="acme", KeyName="_email", Values=["a"], MaxResults=101),
    )
    assert message == one("'101'", "maxResults", "Member must have value less than or equal to 100")


def test_domain_name_pattern_in_the_uri(any_client: Any) -> None:
    message = bad_request(any_client, lambda: any_client.get_domain(DomainName="bad.name"))
    assert message == one(
        "'bad.name'", "domainName", "Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$"
    )


def test_pattern_end_means_end_of_string(any_client: Any) -> None:
    message = bad_request(any_client, lambda: any_client.get_domain(DomainName="acme\n"))
    assert "Member must satisfy regular expression pattern" in message


def test_domain_name_too_long(any_client: Any) -> None:
    name = "d" * 65
    message = bad_request(any_client, lambda: any_client.create_domain(DomainName=name, DefaultExpirationDays=1))
    assert message == one(f"'{name}'", "domainName", "Member must have length less than or equal to 64")


def test_expiration_days_range(any_client: Any) -> None:
    message = bad_request(any_client, lambda: any_client.create_domain(DomainName="d", DefaultExpirationDays=1099))
    assert message == one("'1099'", "defaultExpirationDays", "Member must have value less than or equal to 1098")


def test_logical_operator_enum(any_client: Any) -> None:
    message = bad_request(
        any_client,
        lambda: any_client.search_profiles(DomainName="acme", KeyName="_email", Values=["a"], LogicalOperator="XOR"),
    )
    assert message == one("'XOR'", "logicalOperator", "Member must satisfy enum value set: [AND, OR]")


def test_more_than_four_additional_search_keys(any_client: Any) -> None:
    extra = [{"KeyName": "_email", "Values": [f"{n}@example.com"]} for n in range(5)]
    message = bad_request(
        any_client,
        lambda: any_client.search_profiles(
            DomainName="acme", KeyName="_email", Values=["a"], AdditionalSearchKeys=extra
        ),
    )
    rendered = "[" + ", ".join(f"{{KeyName=_email, Values=[{n}@example.com]}}" for n in range(5)) + "]"
    assert message == one(f"'{rendered}'", "additionalSearchKeys", "Member must have length less than or equal to 4")


def test_nested_member_path_is_one_based(any_client: Any) -> None:
    extra = [{"KeyName": "_email", "Values": ["a"]}, {"KeyName": "bad key!", "Values": ["b"]}]
    message = bad_request(
        any_client,
        lambda: any_client.search_profiles(
            DomainName="acme", KeyName="_email", Values=["a"], AdditionalSearchKeys=extra
        ),
    )
    assert message == one(
        "'bad key!'",
        "additionalSearchKeys.2.member.keyName",
        "Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$",
    )


def test_value_longer_than_255(any_client: Any) -> None:
    value = "v" * 256
    message = bad_request(
        any_client, lambda: any_client.search_profiles(DomainName="acme", KeyName="_email", Values=["ok", value])
    )
    assert message == one(f"'{value}'", "values.2.member", "Member must have length less than or equal to 255")


def test_sensitive_values_are_redacted(any_client: Any) -> None:
    message = bad_request(
        any_client, lambda: any_client.create_profile(DomainName="acme", FirstName="x" * 256, Gender="ROBOT")
    )
    redacted = "'*** Sensitive Data Redacted ***'"
    assert message == (
        "2 validation errors detected: "
        f"Value {redacted} at 'firstName' failed to satisfy constraint: "
        "Member must have length less than or equal to 255; "
        f"Value {redacted} at 'gender' failed to satisfy constraint: "
        "Member must satisfy enum value set: [MALE, FEMALE, UNSPECIFIED]"
    )


def test_nested_sensitive_values_are_redacted(any_client: Any) -> None:
    message = bad_request(any_client, lambda: any_client.create_profile(DomainName="acme", Address={"City": "c" * 256}))
    assert message == one(
        "'*** Sensitive Data Redacted ***'", "address.city", "Member must have length less than or equal to 255"
    )


def test_map_key_constraint(any_client: Any) -> None:
    message = bad_request(
        any_client,
        lambda: any_client.create_domain(DomainName="tagged", DefaultExpirationDays=1, Tags={"aws:reserved": "x"}),
    )
    assert message == one(
        "'aws:reserved'",
        "tags",
        "Map keys must satisfy constraint: "
        "[Member must satisfy regular expression pattern: ^(?!aws:)[a-zA-Z+-=._:/]+$]",
    )


def test_a_rejected_call_changes_nothing(any_client: Any) -> None:
    bad_request(any_client, lambda: any_client.create_domain(DomainName="ok", DefaultExpirationDays=5000))
    assert [d["DomainName"] for d in any_client.list_domains()["Items"]] == ["acme"]
    bad_request(any_client, lambda: any_client.create_profile(DomainName="acme", Gender="ROBOT", FirstName="Ana"))
    assert any_client.get_domain(DomainName="acme")["Stats"]["ProfileCount"] == 0


# Constraints botocore checks on the client; with parameter_validation=False the server must catch them.


def test_missing_required_members(raw_client: Any) -> None:
    raw_client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    message = bad_request(raw_client, lambda: raw_client.search_profiles(DomainName="acme"))
    assert message == (
        "2 validation errors detected: "
        "Value null at 'keyName' failed to satisfy constraint: Member must not be null; "
        "Value null at 'values' failed to satisfy constraint: Member must not be null"
    )


def test_min_length_and_min_value(raw_client: Any) -> None:
    raw_client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    message = bad_request(
        raw_client, lambda: raw_client.search_profiles(DomainName="acme", KeyName="", Values=["a"], MaxResults=0)
    )
    # One sentence per failed constraint, as AWS reports them: the empty key name fails two.
    assert message == (
        "3 validation errors detected: "
        "Value '' at 'keyName' failed to satisfy constraint: Member must have length greater than or equal to 1; "
        "Value '' at 'keyName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$; "
        "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
    )


def test_wrong_types(raw_client: Any) -> None:
    message = bad_request(raw_client, lambda: raw_client.create_domain(DomainName="d", DefaultExpirationDays="many"))
    assert message == one("'many'", "defaultExpirationDays", "Member must be of type integer")
    message = bad_request(raw_client, lambda: raw_client.list_domains(MaxResults="lots"))
    assert message == one("'lots'", "maxResults", "Member must be of type integer")


def test_nested_required_member(raw_client: Any) -> None:
    raw_client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    message = bad_request(
        raw_client,
        lambda: raw_client.search_profiles(
            DomainName="acme", KeyName="_email", Values=["a"], AdditionalSearchKeys=[{"Values": ["b"]}]
        ),
    )
    assert message == one("null", "additionalSearchKeys.1.member.keyName", "Member must not be null")


def test_empty_additional_search_keys_is_below_min(raw_client: Any) -> None:
    raw_client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    message = bad_request(
        raw_client,
        lambda: raw_client.search_profiles(DomainName="acme", KeyName="_email", Values=["a"], AdditionalSearchKeys=[]),
    )
    assert message == one("'[]'", "additionalSearchKeys", "Member must have length greater than or equal to 1")


# Bodies no botocore client would send: the server answers them with a modelled error all the same.


@pytest.fixture
def body_rewriter(client: Any, domain: str) -> Iterator[Callable[[bytes], None]]:
    """Replace the JSON body of the next request, after botocore serialized it."""
    replacement: list[bytes] = []

    def rewrite(request: Any, **_: Any) -> None:
        if replacement:
            request.data = replacement.pop()

    client.meta.events.register("request-created.customer-profiles", rewrite)
    yield replacement.append
    client.meta.events.unregister("request-created.customer-profiles", rewrite)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "mock_customer_profiles: the request body is not valid JSON"),
        (b'{"KeyName": NaN, "Values": []}', "mock_customer_profiles: the request body is not valid JSON"),
        (b"\xff\xfe", "mock_customer_profiles: the request body is not valid JSON"),
        (b'["KeyName"]', "mock_customer_profiles: the request body must be a JSON object"),
        (b'"text"', "mock_customer_profiles: the request body must be a JSON object"),
        (
            b'{"KeyName": "_email", "Values": ["a"], "Bogus": 1}',
            one("'1'", "Bogus", "Member must be a member of SearchProfilesRequest"),
        ),
        (
            b'{"KeyName": "_email", "Values": ["a"], "DomainName": "other"}',
            one("'other'", "DomainName", "Member must be sent in the URI, not in the body"),
        ),
        (
            b'{"KeyName": "_email", "Values": "a@example.com"}',
            one("'a@example.com'", "values", "Member must be of type list"),
        ),
        (b'{"KeyName": 7, "Values": [null]}', None),
    ],
)
def test_bodies_no_client_would_send(
    client: Any, body_rewriter: Callable[[bytes], None], body: bytes, message: str | None
) -> None:
    body_rewriter(body)
    got = bad_request(client, lambda: client.search_profiles(DomainName="acme", KeyName="_email", Values=["a"]))
    if message is None:
        assert got == (
            "2 validation errors detected: "
            "Value '7' at 'keyName' failed to satisfy constraint: Member must be of type string; "
            "Value null at 'values.1.member' failed to satisfy constraint: Member must be of type string"
        )
    else:
        assert got == message


def test_a_body_where_the_operation_takes_none(client: Any, body_rewriter: Callable[[bytes], None]) -> None:
    body_rewriter(b'{"Extra": true}')
    message = bad_request(client, lambda: client.get_domain(DomainName="acme"))
    assert message == one("'true'", "Extra", "Member must be a member of GetDomainRequest")
    body_rewriter(b"[1]")
    message = bad_request(client, lambda: client.get_domain(DomainName="acme"))
    assert message == "mock_customer_profiles: the request body must be a JSON object"
