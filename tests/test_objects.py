"""PutProfileObject (the ingestion rules and limits), ListProfileObjects, DeleteProfileObject."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from dataplane_helpers import (
    bad_request,
    field,
    key,
    not_found,
    objects_of,
    put_loyalty_type,
    put_object,
    put_type,
    search,
)

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

UNKNOWN_ID = "0" * 32


def profile_of(client: Any, pid: str) -> dict[str, Any]:
    found = client.batch_get_profile(DomainName="acme", ProfileIds=[pid])["Profiles"]
    assert len(found) == 1
    return {k: v for k, v in found[0].items() if k != "ProfileId"}


def stats(client: Any) -> dict[str, int]:
    return dict(client.get_domain(DomainName="acme")["Stats"])


# ----------------------------------------------------------------------------------------------- fields


def test_fields_map_source_paths_onto_the_profile(client: Any, domain: str) -> None:
    put_type(
        client,
        "Member",
        {
            "id": field("id"),
            "first": field("person.name.first", "FirstName", "NAME"),
            "city": field("addresses.0.city", "Address.City"),
            "zip": field("addresses.1.zip", "ShippingAddress.PostalCode"),
            "tier": field("loyalty.tier", "Attributes.tier"),
            "points": field("loyalty.points", "Attributes.points", "NUMBER"),
            "vip": field("loyalty.vip", "Attributes.vip"),
            "nothing": field("loyalty.missing", "Attributes.missing"),
            "null": field("loyalty.none", "MiddleName"),
            "nested": field("person", "LastName"),
            "label": {"Source": "{{_source.loyalty.tier}}/{{_source.id}}", "Target": "_profile.AdditionalInformation"},
            "broken": {"Source": "{{_source.id}}-{{_source.nope}}", "Target": "_profile.BusinessName"},
        },
        {"memberId": key("id", ids=("UNIQUE", "PROFILE"))},
    )
    put_object(
        client,
        "Member",
        {
            "id": "M-1",
            "person": {"name": {"first": "Ana"}},
            "addresses": [{"city": "Lisbon"}, {"zip": "1000-001"}],
            "loyalty": {"tier": "gold", "points": 1200, "vip": True, "none": None},
        },
    )
    (pid,) = search(client, "memberId", "M-1")
    assert profile_of(client, pid) == {
        "FirstName": "Ana",
        "Address": {"City": "Lisbon"},
        "ShippingAddress": {"PostalCode": "1000-001"},
        "Attributes": {"tier": "gold", "points": "1200", "vip": "true"},
        "AdditionalInformation": "gold/M-1",
    }


def test_object_values_fill_empty_fields_and_never_overwrite_fields_set_through_the_api(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    # "it will not overwrite fields manually populated through an API call ... it will not overwrite the
    # FirstName 'John'" (admin guide, "Additional properties of object types")
    pid = make_profile(FirstName="Ana", PhoneNumber="+15550100001", Attributes={"tier": "silver", "since": "2019"})
    put_loyalty_type(client)
    put_type(
        client,
        "Tiering",
        {"id": field("id"), "phone": field("phone", None, "PHONE_NUMBER"), "tier": field("tier", "Attributes.tier")},
        {"tierId": key("id", ids=("UNIQUE",)), "_phone": key("phone", ids=("PROFILE",))},
    )
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "name": {"first": "Ana Maria"}})
    put_object(client, "Tiering", {"id": "T-1", "phone": "+15550100001", "tier": "gold"})
    assert profile_of(client, pid) == {
        "FirstName": "Ana",
        "PhoneNumber": "+15550100001",
        "Attributes": {"tier": "silver", "since": "2019"},
    }
    # an empty field (or attribute) is filled, and a value an object wrote gives way to a later object
    client.update_profile(DomainName="acme", ProfileId=pid, FirstName="", Attributes={"tier": ""})
    put_object(client, "Tiering", {"id": "T-2", "phone": "+15550100001", "tier": "gold"})
    put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100001", "name": {"first": "Ana Maria"}})
    put_object(client, "Tiering", {"id": "T-3", "phone": "+15550100001", "tier": "platinum"})
    assert profile_of(client, pid) == {
        "FirstName": "Ana Maria",
        "PhoneNumber": "+15550100001",
        "Attributes": {"tier": "platinum", "since": "2019"},
    }
    # setting it through the API again makes it the API's: objects leave it alone from then on
    client.update_profile(DomainName="acme", ProfileId=pid, Attributes={"tier": "bronze"})
    put_object(client, "Tiering", {"id": "T-4", "phone": "+15550100001", "tier": "gold"})
    assert profile_of(client, pid)["Attributes"] == {"tier": "bronze", "since": "2019"}


def test_a_key_of_several_fields_joins_their_values_in_order(client: Any, domain: str) -> None:
    put_type(
        client,
        "Booking",
        {"ref": field("ref"), "last": field("last"), "first": field("first")},
        {"bookingId": key("ref", ids=("UNIQUE",)), "traveller": key("last", "first")},
    )
    put_object(client, "Booking", {"ref": "B-1", "last": "Silva", "first": "Ana"})
    put_object(client, "Booking", {"ref": "B-2", "last": "Okafor"})  # a part missing: no value
    assert len(search(client, "traveller", "Silva Ana")) == 1
    assert search(client, "traveller", "Ana Silva") == []
    assert search(client, "traveller", "Okafor") == []
    assert stats(client)["ProfileCount"] == 2


def test_the_unique_key_must_have_a_value(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    with bad_request("The object has no value for the UNIQUE key cardNumber (fields: card)"):
        put_object(client, "Loyalty", {"phone": "+15550100001", "card": {"nested": "not a value"}})
    assert stats(client)["ProfileCount"] == 0


# ------------------------------------------------------------------------------------ finding profiles


def test_profile_keys_attach_to_the_one_profile_they_find(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    pid = make_profile(FirstName="Ana", PhoneNumber="+15550100001")
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    assert search(client, "cardNumber", "K-1") == [pid]
    assert search(client, "memberId", "M-1") == [pid]
    assert stats(client)["ProfileCount"] == 1


def test_an_ambiguous_profile_key_never_attaches_the_object(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    # "If more than one profile matches, the match is ambiguous - that key is discarded and the next is
    # tried ... If no key produces a single match, the outcome depends on AllowProfileCreation"
    ana = make_profile(FirstName="Ana", PhoneNumber="+15550100001")
    ben = make_profile(FirstName="Ben", MobilePhoneNumber="+15550100001")
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    (new,) = search(client, "cardNumber", "K-1")
    assert new not in (ana, ben)  # AllowProfileCreation: a profile of its own
    assert search(client, "memberId", "M-1") == [new]
    assert stats(client)["ProfileCount"] == 3


def _secondary_type(client: Any) -> None:
    put_type(
        client,
        "Invoice",
        {"no": field("no"), "account": field("account"), "mail": field("mail", None, "EMAIL_ADDRESS")},
        {
            "invoiceNo": key("no", ids=("UNIQUE",)),
            "_account": key("account", ids=("PROFILE",)),
            "_email": key("mail", ids=("PROFILE", "SECONDARY")),
        },
        allow=False,
    )


def test_secondary_keys_are_not_consulted_when_the_others_found_a_profile(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    ana = make_profile(AccountNumber="A-1")
    make_profile(EmailAddress="ben@example.com")
    _secondary_type(client)
    put_object(client, "Invoice", {"no": "I-1", "account": "A-1", "mail": "ben@example.com"})
    assert search(client, "invoiceNo", "I-1") == [ana]


def test_secondary_keys_find_the_profile_when_the_others_found_none(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    make_profile(AccountNumber="A-1")
    ben = make_profile(EmailAddress="ben@example.com")
    _secondary_type(client)
    put_object(client, "Invoice", {"no": "I-1", "account": "A-404", "mail": "ben@example.com"})
    assert search(client, "invoiceNo", "I-1") == [ben]
    assert search(client, "_account", "A-404") == [ben]  # a stored PROFILE key value
    put_object(client, "Invoice", {"no": "I-2", "account": "A-405", "mail": "carl@example.com"})  # a dead letter
    assert search(client, "invoiceNo", "I-2") == []
    assert stats(client)["ObjectCount"] == 1


def test_allow_profile_creation_makes_a_profile_from_the_mapped_fields(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "name": {"first": "Ana"}})
    (pid,) = search(client, "cardNumber", "K-1")
    assert profile_of(client, pid) == {"FirstName": "Ana", "PhoneNumber": "+15550100001"}


def test_lookup_only_keys_find_the_profile_and_are_never_stored(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    ana = make_profile(EmailAddress="ana@example.com")
    put_type(
        client,
        "Survey",
        {"id": field("id"), "mail": field("mail"), "ref": field("ref")},
        {
            "surveyId": key("id", ids=("UNIQUE",)),
            "_email": key("mail", ids=("LOOKUP_ONLY",)),
            "respondent": key("ref", ids=("PROFILE", "LOOKUP_ONLY")),
        },
    )
    put_object(client, "Survey", {"id": "S-1", "mail": "ana@example.com", "ref": "R-1"})
    assert search(client, "surveyId", "S-1") == [ana]
    put_object(client, "Survey", {"id": "S-2", "mail": "new@example.com", "ref": "R-2"})
    (other,) = search(client, "surveyId", "S-2")
    assert other != ana
    assert search(client, "_email", "new@example.com") == []
    assert search(client, "respondent", "R-1", "R-2") == []


def test_new_only_keys_are_stored_only_on_a_profile_the_object_created(client: Any, domain: str) -> None:
    put_type(
        client,
        "Device",
        {"id": field("id"), "phone": field("phone", None, "PHONE_NUMBER"), "device": field("device")},
        {
            "deviceEventId": key("id", ids=("UNIQUE",)),
            "_phone": key("phone", ids=("PROFILE",)),
            "deviceId": key("device", ids=("NEW_ONLY",)),
        },
    )
    first = put_object(client, "Device", {"id": "E-1", "phone": "+15550100001", "device": "D-1"})
    (pid,) = search(client, "deviceId", "D-1")
    put_object(client, "Device", {"id": "E-2", "phone": "+15550100001", "device": "D-2"})
    assert search(client, "deviceEventId", "E-2") == [pid]
    assert search(client, "deviceId", "D-2") == []
    # a NEW_ONLY key still finds the profile, and its value belongs to the profile, not to the object
    put_object(client, "Device", {"id": "E-3", "phone": "+15550109999", "device": "D-1"})
    assert search(client, "deviceEventId", "E-3") == [pid]
    client.delete_profile_object(
        DomainName="acme", ProfileId=pid, ObjectTypeName="Device", ProfileObjectUniqueKey=first
    )
    assert search(client, "deviceId", "D-1") == [pid]


def test_keys_without_identifiers_are_stored_but_do_not_find_profiles(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100002", "member": {"id": "M-1"}})
    assert len(search(client, "memberId", "M-1")) == 2
    assert stats(client)["ProfileCount"] == 2


# -------------------------------------------------------------------------------------- UNIQUE


def test_the_same_unique_value_replaces_the_earlier_object(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    first = put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    other = put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100001"})
    again = put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-2"}})
    assert again == first
    (pid,) = search(client, "cardNumber", "K-1")
    assert objects_of(client, "Loyalty", pid) == [
        {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-2"}},
        {"card": "K-2", "phone": "+15550100001"},
    ]
    assert other != first
    assert search(client, "memberId", "M-1") == []
    assert search(client, "memberId", "M-2") == [pid]
    assert stats(client)["ObjectCount"] == 2


# --------------------------------------------------------------------------------- matching rules


def test_phone_number_values_match_in_any_format(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15551234567"})
    (pid,) = search(client, "cardNumber", "K-1")
    assert search(client, "_phone", "(555)-123-4567") == [pid]
    assert search(client, "_phone", "555.123.4567") == [pid]
    assert search(client, "_phone", "+15551234568") == []
    # and objects find profiles by it too
    put_object(client, "Loyalty", {"card": "K-2", "phone": "(555)-123-4567"})
    assert search(client, "cardNumber", "K-2") == [pid]


def test_a_phone_number_field_does_not_relax_the_profiles_own_phone(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    pid = make_profile(PhoneNumber="(555)-123-4567")
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15551234567"})
    (other,) = search(client, "cardNumber", "K-1")
    assert other != pid  # the standard _phone value matches exactly, so the object made a profile of its own
    assert search(client, "_phone", "(555)-123-4567") == [pid, other]


def _contact_type(client: Any) -> None:
    put_type(
        client,
        "Contact",
        {
            "id": field("id"),
            "mail": field("mail", None, "EMAIL_ADDRESS"),
            "name": field("name", None, "NAME"),
        },
        {"contactId": key("id", ids=("UNIQUE",)), "workMail": key("mail"), "alias": key("name")},
    )


def test_email_and_name_values_match_exactly_by_default(client: Any, domain: str) -> None:
    _contact_type(client)
    put_object(client, "Contact", {"id": "C-1", "mail": "Ana@Example.com", "name": "Ana  Silva"})
    (pid,) = search(client, "contactId", "C-1")
    assert search(client, "workMail", "Ana@Example.com") == [pid]
    assert search(client, "workMail", "ana@example.com") == []
    assert search(client, "alias", "Ana  Silva") == [pid]
    assert search(client, "alias", "ana silva") == []


def test_lenient_matching_folds_email_and_name_values(client_for: Callable[[CustomerProfilesMock], Any]) -> None:
    with mock_customer_profiles(lenient_matching=True) as cp:
        cp.create_domain("acme")
        client = client_for(cp)
        _contact_type(client)
        put_object(client, "Contact", {"id": "C-1", "mail": "Ana@Example.com", "name": "Ana  Silva"})
        (pid,) = search(client, "contactId", "C-1")
        assert search(client, "workMail", "ana@example.com") == [pid]
        assert search(client, "alias", "ana silva") == [pid]


# --------------------------------------------------------------------------- rejections and limits


def test_mapped_values_the_profile_cannot_hold_never_reject_the_object(
    mock: CustomerProfilesMock, client: Any, domain: str
) -> None:
    # AWS's travel-and-hospitality sample maps "M"/"F" to _profile.Gender (enum MALE/FEMALE/UNSPECIFIED):
    # fields are mapped after the call is accepted, so the object stays; the value goes to the string twin
    put_type(
        client,
        "Person",
        {
            "id": field("id"),
            "gender": field("gender", "Gender"),
            "type": field("type", "ProfileType"),
            "first": field("first", "FirstName"),
        },
        {"personId": key("id", ids=("UNIQUE", "PROFILE"))},
    )
    put_object(client, "Person", {"id": "P-1", "gender": "M", "type": "VIP", "first": "Ana"})
    (pid,) = search(client, "personId", "P-1")
    assert profile_of(client, pid) == {"GenderString": "M", "FirstName": "Ana"}
    gender, profile_type = mock.mapping_notes
    assert (gender.domain, gender.object_type, gender.profile_id) == ("acme", "Person", pid)
    assert (gender.target, gender.value, gender.stored_in) == ("_profile.Gender", "M", "GenderString")
    assert "Member must satisfy enum value set: [MALE, FEMALE, UNSPECIFIED]" in gender.reason
    assert (profile_type.target, profile_type.value, profile_type.stored_in) == ("_profile.ProfileType", "VIP", None)
    assert stats(client)["ObjectCount"] == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [("not json", "The Object is not valid JSON"), ('["a list"]', "The Object must be a JSON object")],
)
def test_the_object_must_be_a_json_object(client: Any, domain: str, text: str, message: str) -> None:
    put_loyalty_type(client)
    with bad_request(message):
        put_object(client, "Loyalty", text)


def test_objects_are_at_most_250_kb(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    body = {"card": "K-1", "phone": "+15550100001", "note": ""}
    overhead = len(json.dumps(body))
    put_object(client, "Loyalty", {**body, "note": "x" * (256_000 - overhead)})
    assert stats(client)["TotalSize"] == 256_000
    wide = json.dumps({**body, "card": "K-2", "note": "é" * 128_000}, ensure_ascii=False)
    with bad_request(f"The object is {len(wide.encode())} bytes; at most 256000 bytes (250 KB) are allowed"):
        put_object(client, "Loyalty", wide)
    assert stats(client)["ObjectCount"] == 1


def test_at_most_1000_objects_per_profile(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    for n in range(1000):
        put_object(client, "Loyalty", {"card": f"K-{n}", "phone": "+15550100001"})
    (pid,) = search(client, "cardNumber", "K-0")
    with bad_request(f"Profile {pid} already has the maximum of 1000 objects"):
        put_object(client, "Loyalty", {"card": "K-1000", "phone": "+15550100001"})
    put_object(client, "Loyalty", {"card": "K-999", "phone": "+15550100001", "member": {"id": "M"}})  # a replace
    assert stats(client)["ObjectCount"] == 1000
    assert search(client, "cardNumber", "K-1000") == []


def test_max_profile_object_count_of_a_type(client: Any, domain: str) -> None:
    put_loyalty_type(client, MaxProfileObjectCount=2)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001"})
    put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100001"})
    (pid,) = search(client, "cardNumber", "K-1")
    with bad_request(f"Profile {pid} already has the maximum of 2 objects of type Loyalty (MaxProfileObjectCount)"):
        put_object(client, "Loyalty", {"card": "K-3", "phone": "+15550100001"})


def test_unknown_domain_and_type(client: Any, domain: str) -> None:
    with not_found("Domain nowhere not found"):
        put_object(client, "Loyalty", {"card": "K-1"}, domain="nowhere")
    with not_found("Object type Loyalty not found in domain acme"):
        put_object(client, "Loyalty", {"card": "K-1"})


# ------------------------------------------------------------------------------------------ listing


def test_list_is_newest_first_and_paginated(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    for n in range(5):
        put_object(client, "Loyalty", {"card": f"K-{n}", "phone": "+15550100001"})
    (pid,) = search(client, "cardNumber", "K-0")
    first = client.list_profile_objects(DomainName="acme", ObjectTypeName="Loyalty", ProfileId=pid, MaxResults=2)
    assert [json.loads(i["Object"])["card"] for i in first["Items"]] == ["K-4", "K-3"]
    assert {i["ObjectTypeName"] for i in first["Items"]} == {"Loyalty"}
    second = client.list_profile_objects(
        DomainName="acme", ObjectTypeName="Loyalty", ProfileId=pid, MaxResults=2, NextToken=first["NextToken"]
    )
    third = client.list_profile_objects(
        DomainName="acme", ObjectTypeName="Loyalty", ProfileId=pid, MaxResults=2, NextToken=second["NextToken"]
    )
    assert [json.loads(i["Object"])["card"] for i in second["Items"] + third["Items"]] == ["K-2", "K-1", "K-0"]
    assert "NextToken" not in third
    with bad_request(
        "The NextToken is not valid for this request: it is malformed, expired, or belongs to another request"
    ):
        client.list_profile_objects(
            DomainName="acme",
            ObjectTypeName="Loyalty",
            ProfileId=pid,
            NextToken=first["NextToken"],
            ObjectFilter={"KeyName": "cardNumber", "Values": ["K-1"]},
        )


def test_objects_come_back_exactly_as_sent(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    text = '{ "card" : "K-1",\n  "phone": "+15550100001", "extra": [1, 2.50, null] }'
    key_of_object = put_object(client, "Loyalty", text)
    (pid,) = search(client, "cardNumber", "K-1")
    items = client.list_profile_objects(DomainName="acme", ObjectTypeName="Loyalty", ProfileId=pid)["Items"]
    assert items == [{"ObjectTypeName": "Loyalty", "ProfileObjectUniqueKey": key_of_object, "Object": text}]


def test_object_filter(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    put_object(client, "Loyalty", {"card": "K-2", "phone": "(555) 010-0001", "member": {"id": "M-2"}})
    put_object(client, "Loyalty", {"card": "K-3", "phone": "+15550100001", "member": {"id": "M-1"}})
    (pid,) = search(client, "cardNumber", "K-1")

    def cards(key_name: str, *values: str) -> list[str]:
        found = objects_of(client, "Loyalty", pid, ObjectFilter={"KeyName": key_name, "Values": list(values)})
        return [obj["card"] for obj in found]

    assert cards("memberId", "M-1") == ["K-3", "K-1"]
    assert cards("cardNumber", "K-2", "K-9") == ["K-2"]
    assert cards("_phone", "5550100001") == ["K-3", "K-2", "K-1"]  # PHONE_NUMBER matching
    with bad_request("Object type Loyalty has no key orderId"):
        cards("orderId", "O-1")


def test_list_of_an_unknown_type_profile_or_domain(client: Any, domain: str, make_profile: Callable[..., str]) -> None:
    put_loyalty_type(client)
    pid = make_profile(FirstName="Ana")
    assert objects_of(client, "Loyalty", pid) == []
    with not_found("Object type Orders not found in domain acme"):
        objects_of(client, "Orders", pid)
    with not_found(f"Profile {UNKNOWN_ID} not found in domain acme"):
        objects_of(client, "Loyalty", UNKNOWN_ID)
    with not_found("Domain nowhere not found"):
        objects_of(client, "Loyalty", pid, domain="nowhere")


# ----------------------------------------------------------------------------------------- deleting


def test_delete_removes_the_object_and_the_key_values_only_it_held(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    k1 = put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100001", "member": {"id": "M-2"}})
    (pid,) = search(client, "cardNumber", "K-1")
    client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="memberId", Values=["M-1"])
    response = client.delete_profile_object(
        DomainName="acme", ProfileId=pid, ObjectTypeName="Loyalty", ProfileObjectUniqueKey=k1
    )
    assert response["Message"] == f"Profile object {k1} deleted"
    assert search(client, "cardNumber", "K-1") == []
    assert search(client, "memberId", "M-1") == [pid]  # AddProfileKey holds it too
    assert search(client, "_phone", "+15550100001") == [pid]  # the other object and the field hold it
    assert [obj["card"] for obj in objects_of(client, "Loyalty", pid)] == ["K-2"]
    # the unique value is free again: a new object with it is a new object
    again = put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001"})
    assert again != k1
    with not_found(f"Profile object {k1} of type Loyalty not found in profile {pid}"):
        client.delete_profile_object(
            DomainName="acme", ProfileId=pid, ObjectTypeName="Loyalty", ProfileObjectUniqueKey=k1
        )


def test_delete_of_an_unknown_type_profile_or_domain(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    params = {"ProfileId": UNKNOWN_ID, "ProfileObjectUniqueKey": "k", "ObjectTypeName": "Loyalty"}
    with not_found(f"Profile {UNKNOWN_ID} not found in domain acme"):
        client.delete_profile_object(DomainName="acme", **params)
    with not_found("Object type Orders not found in domain acme"):
        client.delete_profile_object(DomainName="acme", **{**params, "ObjectTypeName": "Orders"})
    with not_found("Domain nowhere not found"):
        client.delete_profile_object(DomainName="nowhere", **params)


def test_deleting_a_profile_deletes_its_objects(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    first = put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001"})
    (pid,) = search(client, "cardNumber", "K-1")
    client.delete_profile(DomainName="acme", ProfileId=pid)
    assert stats(client) == {"ProfileCount": 0, "MeteringProfileCount": 0, "ObjectCount": 0, "TotalSize": 0}
    assert search(client, "cardNumber", "K-1") == []
    assert put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001"}) != first
