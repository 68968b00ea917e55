"""AddProfileKey and DeleteProfileKey."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found, put_loyalty_type, put_object, search

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

UNKNOWN_ID = "0" * 32


def test_add_profile_key_echoes_and_makes_values_searchable(client: Any, make_profile: Callable[..., str]) -> None:
    pid = make_profile(FirstName="Ana")
    response = client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="_orderId", Values=["O-1", "O-2"])
    assert (response["KeyName"], response["Values"]) == ("_orderId", ["O-1", "O-2"])
    assert search(client, "_orderId", "O-2") == [pid]
    assert search(client, "_orderId", "O-3") == []


def test_added_standard_key_values_sit_beside_the_fields(client: Any, make_profile: Callable[..., str]) -> None:
    pid = make_profile(EmailAddress="ana@example.com")
    client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="_email", Values=["ana@work.example"])
    assert search(client, "_email", "ana@example.com") == [pid]
    assert search(client, "_email", "ana@work.example") == [pid]
    # exact matching by default: the mock is the stricter one
    assert search(client, "_email", "ANA@work.example") == []


def test_lenient_matching_applies_to_added_standard_keys(client_for: Callable[[CustomerProfilesMock], Any]) -> None:
    with mock_customer_profiles(lenient_matching=True) as cp:
        cp.create_domain("acme")
        pid = cp.create_profile("acme", FirstName="Ana")
        client = client_for(cp)
        client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="_phone", Values=["+1 (555) 010-2000"])
        client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="_email", Values=["Ana@Example.com"])
        assert search(client, "_phone", "5550102000") == [pid]
        assert search(client, "_email", "ana@example.COM") == [pid]


def test_a_key_defined_by_an_object_type_can_be_added(client: Any, make_profile: Callable[..., str]) -> None:
    put_loyalty_type(client)
    pid = make_profile(FirstName="Ana")
    client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="memberId", Values=["M-9"])
    assert search(client, "memberId", "M-9") == [pid]


def test_added_values_take_the_matching_rule_of_the_defining_type(
    client: Any, make_profile: Callable[..., str]
) -> None:
    put_loyalty_type(client)  # defines _phone with ContentType PHONE_NUMBER
    pid = make_profile(FirstName="Ana")
    client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="_phone", Values=["+15550104000"])
    assert search(client, "_phone", "(555)-010-4000") == [pid]


def test_undefined_key_is_a_bad_request_and_stores_nothing(client: Any, make_profile: Callable[..., str]) -> None:
    pid = make_profile(FirstName="Ana")
    with bad_request(
        "Key loyaltyId is not defined in domain acme: "
        "use a predefined key or a key that an object type of the domain defines"
    ):
        client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="loyaltyId", Values=["L-1"])
    assert search(client, "loyaltyId", "L-1") == []


def test_a_key_some_profile_holds_stays_defined_after_its_type_is_gone(
    client: Any, make_profile: Callable[..., str]
) -> None:
    put_loyalty_type(client)
    ana, ben = make_profile(FirstName="Ana"), make_profile(FirstName="Ben")
    client.add_profile_key(DomainName="acme", ProfileId=ana, KeyName="memberId", Values=["M-1"])
    client.delete_profile_object_type(DomainName="acme", ObjectTypeName="Loyalty")
    client.add_profile_key(DomainName="acme", ProfileId=ben, KeyName="memberId", Values=["M-2"])
    assert search(client, "memberId", "M-1", "M-2") == [ana, ben]


def test_delete_profile_key_removes_only_the_given_values(client: Any, make_profile: Callable[..., str]) -> None:
    pid = make_profile(FirstName="Ana")
    client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="_caseId", Values=["C-1", "C-2", "C-3"])
    response = client.delete_profile_key(DomainName="acme", ProfileId=pid, KeyName="_caseId", Values=["C-1", "C-3"])
    assert response["Message"] == f"Deleted 2 value(s) of key _caseId from profile {pid}"
    assert search(client, "_caseId", "C-1") == []
    assert search(client, "_caseId", "C-3") == []
    assert search(client, "_caseId", "C-2") == [pid]


def test_delete_profile_key_removes_a_value_an_object_holds(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    (pid,) = search(client, "memberId", "M-1")
    client.delete_profile_key(DomainName="acme", ProfileId=pid, KeyName="memberId", Values=["M-1"])
    assert search(client, "memberId", "M-1") == []
    assert search(client, "cardNumber", "K-1") == [pid]
    # the object goes later without complaint, and takes its other values with it
    (item,) = client.list_profile_objects(DomainName="acme", ObjectTypeName="Loyalty", ProfileId=pid)["Items"]
    client.delete_profile_object(
        DomainName="acme",
        ProfileId=pid,
        ObjectTypeName="Loyalty",
        ProfileObjectUniqueKey=item["ProfileObjectUniqueKey"],
    )
    assert search(client, "cardNumber", "K-1") == []


def test_delete_profile_key_leaves_values_that_come_from_fields(client: Any, make_profile: Callable[..., str]) -> None:
    pid = make_profile(EmailAddress="ana@example.com")
    client.delete_profile_key(DomainName="acme", ProfileId=pid, KeyName="_email", Values=["ana@example.com"])
    assert search(client, "_email", "ana@example.com") == [pid]


def test_delete_profile_key_of_an_undefined_key_is_a_bad_request(client: Any, make_profile: Callable[..., str]) -> None:
    pid = make_profile(FirstName="Ana")
    with bad_request(
        "Key nope is not defined in domain acme: "
        "use a predefined key or a key that an object type of the domain defines"
    ):
        client.delete_profile_key(DomainName="acme", ProfileId=pid, KeyName="nope", Values=["x"])


def test_unknown_domain_and_profile(client: Any, domain: str) -> None:
    with not_found("Domain nowhere not found"):
        client.add_profile_key(DomainName="nowhere", ProfileId=UNKNOWN_ID, KeyName="_orderId", Values=["O"])
    with not_found(f"Profile {UNKNOWN_ID} not found in domain acme"):
        client.add_profile_key(DomainName="acme", ProfileId=UNKNOWN_ID, KeyName="_orderId", Values=["O"])
    with not_found("Domain nowhere not found"):
        client.delete_profile_key(DomainName="nowhere", ProfileId=UNKNOWN_ID, KeyName="_orderId", Values=["O"])
    with not_found(f"Profile {UNKNOWN_ID} not found in domain acme"):
        client.delete_profile_key(DomainName="acme", ProfileId=UNKNOWN_ID, KeyName="_orderId", Values=["O"])


def test_values_are_validated_on_the_server(raw_client: Any, make_profile: Callable[..., str]) -> None:
    pid = make_profile(FirstName="Ana")
    with bad_request(
        "1 validation error detected: Value '' at 'values.2.member' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    ):
        raw_client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="_orderId", Values=["ok", ""])
    assert search(raw_client, "_orderId", "ok") == []
