"""PutProfileObjectType (upsert and rules), GetProfileObjectType, ListProfileObjectTypes, DeleteProfileObjectType."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from dataplane_helpers import (
    bad_request,
    field,
    key,
    not_found,
    put_loyalty_type,
    put_object,
    put_type,
    search,
)

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

SIMPLE_FIELDS = {"id": field("id")}
SIMPLE_KEYS = {"ticketId": key("id", ids=("UNIQUE", "PROFILE"))}


def test_put_returns_the_type_with_defaults(client: Any, domain: str) -> None:
    out = put_loyalty_type(client, Tags={"team": "loyalty"}, SourcePriority=3, MaxProfileObjectCount=5)
    assert out["ObjectTypeName"] == "Loyalty"
    assert out["Description"] == "Loyalty objects"
    assert out["ExpirationDays"] == 365  # the domain's DefaultExpirationDays
    assert out["AllowProfileCreation"] is True
    assert out["Keys"]["cardNumber"] == [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["card"]}]
    assert out["Fields"]["phone"] == {
        "Source": "_source.phone",
        "Target": "_profile.PhoneNumber",
        "ContentType": "PHONE_NUMBER",
    }
    assert (out["SourcePriority"], out["MaxProfileObjectCount"]) == (3, 5)
    assert out["Tags"] == {"team": "loyalty"}
    assert out["CreatedAt"] == out["LastUpdatedAt"]
    got = client.get_profile_object_type(DomainName="acme", ObjectTypeName="Loyalty")
    assert {k: v for k, v in got.items() if k != "ResponseMetadata"} == {
        k: v for k, v in out.items() if k != "ResponseMetadata"
    }


def test_allow_profile_creation_defaults_to_false(client: Any, domain: str) -> None:
    out = put_type(client, "Ticket", SIMPLE_FIELDS, SIMPLE_KEYS, allow=None, ExpirationDays=30)
    assert out["AllowProfileCreation"] is False
    assert out["ExpirationDays"] == 30
    assert "Tags" not in out


def test_put_is_an_upsert(client: Any, domain: str) -> None:
    first = put_type(client, "Ticket", SIMPLE_FIELDS, SIMPLE_KEYS, Tags={"a": "1"})
    second = client.put_profile_object_type(
        DomainName="acme",
        ObjectTypeName="Ticket",
        Description="Support tickets",
        Fields={**SIMPLE_FIELDS, "mail": field("mail", "EmailAddress", "EMAIL_ADDRESS")},
        Keys={**SIMPLE_KEYS, "_email": key("mail")},
        Tags={"b": "2"},
    )
    assert second["CreatedAt"] == first["CreatedAt"]
    assert second["Description"] == "Support tickets"
    assert set(second["Keys"]) == {"ticketId", "_email"}
    assert second["Tags"] == {"a": "1", "b": "2"}
    assert second["AllowProfileCreation"] is False  # not given this time
    listed = client.list_profile_object_types(DomainName="acme")["Items"]
    assert [item["ObjectTypeName"] for item in listed] == ["Ticket"]


def test_at_most_fifty_tags(client: Any, domain: str) -> None:
    put_type(client, "Ticket", SIMPLE_FIELDS, SIMPLE_KEYS, Tags={f"k{n}": "v" for n in range(30)})
    with bad_request("Object type Ticket would have 51 tags; at most 50 are allowed"):
        put_type(client, "Ticket", SIMPLE_FIELDS, SIMPLE_KEYS, Tags={f"t{n}": "v" for n in range(21)})
    assert len(client.get_profile_object_type(DomainName="acme", ObjectTypeName="Ticket")["Tags"]) == 30


def test_a_template_id_gives_the_template_mapping(client: Any, domain: str) -> None:
    out = client.put_profile_object_type(
        DomainName="acme", ObjectTypeName="Contacts", Description="SF contacts", TemplateId="Salesforce-Contact"
    )
    template = client.get_profile_object_type_template(TemplateId="Salesforce-Contact")
    assert out["TemplateId"] == "Salesforce-Contact"
    assert out["Fields"] == template["Fields"]
    assert out["Keys"] == template["Keys"]
    assert out["AllowProfileCreation"] is True  # the template's


@pytest.mark.parametrize(
    "member",
    [{"AllowProfileCreation": True}, {"AllowProfileCreation": False}, {"SourceLastUpdatedTimestampFormat": "x"}],
)
def test_template_members_cannot_be_given_with_a_template_id(client: Any, domain: str, member: dict[str, Any]) -> None:
    # PutProfileObjectType, TemplateId: "If these attributes are present in the request, the service may return
    # a BadRequestException" (AllowProfileCreation, SourceLastUpdatedTimestampFormat, Fields, Keys)
    (name,) = member
    with bad_request(f"{name} cannot be given with TemplateId: the template's own value applies (template CTR)"):
        client.put_profile_object_type(
            DomainName="acme", ObjectTypeName="Calls", Description="calls", TemplateId="CTR", **member
        )
    assert client.list_profile_object_types(DomainName="acme")["Items"] == []


def test_reserved_type_names(client: Any, domain: str) -> None:
    with bad_request(
        "Object type name _asset is reserved: custom object type names may not start with '_' "
        "(those are the standard object types)"
    ):
        put_type(client, "_asset", SIMPLE_FIELDS, SIMPLE_KEYS)


@pytest.mark.parametrize(
    "members",
    [
        {"TemplateId": "CTR", "Fields": SIMPLE_FIELDS, "Keys": SIMPLE_KEYS},
        {"TemplateId": "CTR", "Keys": SIMPLE_KEYS},
        {"Fields": SIMPLE_FIELDS},
        {"Keys": SIMPLE_KEYS},
        {},
    ],
    ids=["all-three", "template-and-keys", "fields-only", "keys-only", "nothing"],
)
def test_template_id_or_fields_and_keys(client: Any, domain: str, members: dict[str, Any]) -> None:
    with bad_request("Either TemplateId or both Fields and Keys must be given, not all three"):
        client.put_profile_object_type(DomainName="acme", ObjectTypeName="T", Description="d", **members)
    assert client.list_profile_object_types(DomainName="acme")["Items"] == []


def test_unknown_template(client: Any, domain: str) -> None:
    with bad_request("Template Hubspot-Contact does not exist"):
        client.put_profile_object_type(
            DomainName="acme", ObjectTypeName="T", Description="d", TemplateId="Hubspot-Contact"
        )


def test_at_most_ten_keys(client: Any, domain: str) -> None:
    fields = {f"f{n}": field(f"f{n}") for n in range(11)}
    keys = {"k0": key("f0", ids=("UNIQUE",)), **{f"k{n}": key(f"f{n}") for n in range(1, 10)}}
    assert len(put_type(client, "Ten", fields, keys)["Keys"]) == 10
    with bad_request("Object type Eleven has 11 keys; at most 10 are allowed"):
        put_type(client, "Eleven", fields, {**keys, "k10": key("f10")})


def test_keys_are_counted_per_definition(client: Any, domain: str) -> None:
    fields = {f"f{n}": field(f"f{n}") for n in range(11)}
    keys = {
        "k0": key("f0", ids=("UNIQUE",)),
        "many": [{"FieldNames": [f"f{n}"]} for n in range(1, 11)],
    }
    with bad_request("Object type Many has 11 keys; at most 10 are allowed"):
        put_type(client, "Many", fields, keys)


def test_at_most_one_hundred_types(client: Any, domain: str) -> None:
    for n in range(100):
        put_type(client, f"T{n:03d}", SIMPLE_FIELDS, SIMPLE_KEYS)
    with bad_request("Domain acme already has the maximum of 100 object types"):
        put_type(client, "OneTooMany", SIMPLE_FIELDS, SIMPLE_KEYS)
    put_type(client, "T000", SIMPLE_FIELDS, SIMPLE_KEYS, Description="still an upsert")


@pytest.mark.parametrize(
    ("fields", "keys", "message"),
    [
        (
            SIMPLE_FIELDS,
            {"ticketId": key("id", ids=("PROFILE",))},
            "Object type T must have exactly one key with the UNIQUE identifier, found 0",
        ),
        (
            {"id": field("id"), "n": field("n")},
            {"a": key("id", ids=("UNIQUE",)), "b": key("n", ids=("UNIQUE",))},
            "Object type T must have exactly one key with the UNIQUE identifier, found 2",
        ),
        (
            SIMPLE_FIELDS,
            {"ticketId": key("id", "missing", ids=("UNIQUE",))},
            "Key ticketId of object type T refers to field missing, which is not in Fields",
        ),
        (
            SIMPLE_FIELDS,
            {"ticketId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": []}]},
            "Key ticketId of object type T has no FieldNames",
        ),
        (
            SIMPLE_FIELDS,
            {"ticketId": []},
            "Key ticketId of object type T has no definition",
        ),
        (
            SIMPLE_FIELDS,
            {"_ticketId": key("id", ids=("UNIQUE",))},
            "Key name _ticketId is reserved: custom key names may not start with '_' (only the predefined keys do)",
        ),
        (
            {"id": {"Target": "_profile.FirstName"}},
            SIMPLE_KEYS,
            "Field id of object type T has no Source",
        ),
        (
            {"id": {"Source": "$.id"}},
            SIMPLE_KEYS,
            "Field id of object type T: Source must be a _source.<path> accessor or a {{_source.<path>}} template, "
            "not $.id",
        ),
        (
            {"id": field("id", "Nickname")},
            SIMPLE_KEYS,
            "Field id of object type T: Target _profile.Nickname is not a standard profile field "
            "(_profile.<Field>, _profile.<Address>.<Part> or _profile.Attributes.<Name>)",
        ),
        (
            {"id": field("id", "Address.Street")},
            SIMPLE_KEYS,
            "Field id of object type T: Target _profile.Address.Street is not a standard profile field "
            "(_profile.<Field>, _profile.<Address>.<Part> or _profile.Attributes.<Name>)",
        ),
        (
            {"id": {"Source": "_source.id", "Target": "_order.OrderId"}},
            SIMPLE_KEYS,
            "Field id of object type T: Target _order.OrderId is the system-managed ID of _order, which a Target "
            "can't set: put your source's own ID in _order.Attributes.<Name>",
        ),
    ],
    ids=[
        "no-unique",
        "two-unique",
        "unknown-field",
        "no-field-names",
        "empty-key",
        "reserved-key-name",
        "no-source",
        "bad-source",
        "bad-target",
        "bad-address-part",
        "standard-object-id",
    ],
)
def test_mapping_rules(client: Any, domain: str, fields: Any, keys: Any, message: str) -> None:
    with bad_request(message):
        put_type(client, "T", fields, keys)
    with not_found("Object type T not found in domain acme"):
        client.get_profile_object_type(DomainName="acme", ObjectTypeName="T")


def test_valid_targets(client: Any, domain: str) -> None:
    fields = {
        "id": field("id"),
        "city": field("city", "ShippingAddress.City"),
        "tier": field("tier", "Attributes.tier"),
        "gender": field("gender", "GenderString"),
        "greeting": {"Source": "Hello {{_source.name}}", "Target": "_profile.AdditionalInformation"},
    }
    out = put_type(client, "T", fields, SIMPLE_KEYS)
    assert set(out["Fields"]) == set(fields)


def test_shape_rules_are_checked_on_the_server(raw_client: Any, domain: str) -> None:
    with bad_request(
        "1 validation error detected: Value '*** Sensitive Data Redacted ***' at 'fields.id.contentType' "
        "failed to satisfy constraint: Member must satisfy enum value set: "
        "[STRING, NUMBER, PHONE_NUMBER, EMAIL_ADDRESS, NAME]"
    ):
        put_type(raw_client, "T", {"id": field("id", content_type="PHONE")}, SIMPLE_KEYS)


def test_get_and_delete_unknown(client: Any, domain: str) -> None:
    with not_found("Object type Nope not found in domain acme"):
        client.get_profile_object_type(DomainName="acme", ObjectTypeName="Nope")
    with not_found("Object type Nope not found in domain acme"):
        client.delete_profile_object_type(DomainName="acme", ObjectTypeName="Nope")
    for call in (
        lambda: client.get_profile_object_type(DomainName="nowhere", ObjectTypeName="Nope"),
        lambda: client.delete_profile_object_type(DomainName="nowhere", ObjectTypeName="Nope"),
        lambda: client.list_profile_object_types(DomainName="nowhere"),
        lambda: put_type(client, "T", SIMPLE_FIELDS, SIMPLE_KEYS, domain="nowhere"),
    ):
        with not_found("Domain nowhere not found"):
            call()


def test_list_is_sorted_and_paginated(client: Any, domain: str) -> None:
    for name in ("Orders", "Cases", "Visits"):
        put_type(client, name, SIMPLE_FIELDS, SIMPLE_KEYS, Tags={"kind": name.lower()}, SourcePriority=2)
    first = client.list_profile_object_types(DomainName="acme", MaxResults=2)
    assert [item["ObjectTypeName"] for item in first["Items"]] == ["Cases", "Orders"]
    assert first["Items"][0]["Description"] == "Cases objects"
    assert first["Items"][0]["Tags"] == {"kind": "cases"}
    assert first["Items"][0]["SourcePriority"] == 2
    second = client.list_profile_object_types(DomainName="acme", MaxResults=2, NextToken=first["NextToken"])
    assert [item["ObjectTypeName"] for item in second["Items"]] == ["Visits"]
    assert "NextToken" not in second
    with bad_request(
        "The NextToken is not valid for this request: it is malformed, expired, or belongs to another request"
    ):
        client.list_domains(NextToken=first["NextToken"])


def test_delete_removes_objects_and_the_key_values_only_they_held(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    put_loyalty_type(client)
    put_loyalty_type(client, "Coupons", allow=False)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    (pid,) = search(client, "cardNumber", "K-1")
    put_object(client, "Coupons", {"card": "C-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    client.add_profile_key(DomainName="acme", ProfileId=pid, KeyName="memberId", Values=["M-7"])
    put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100001", "member": {"id": "M-7"}})
    assert client.get_domain(DomainName="acme")["Stats"]["ObjectCount"] == 3

    response = client.delete_profile_object_type(DomainName="acme", ObjectTypeName="Loyalty")
    assert response["Message"] == "Object type Loyalty deleted"
    assert search(client, "cardNumber", "K-1") == []  # only the Loyalty object held it
    assert search(client, "cardNumber", "C-1") == [pid]  # the Coupons object still holds it
    assert search(client, "memberId", "M-1") == [pid]  # held by the Coupons object too
    assert search(client, "memberId", "M-7") == [pid]  # held by AddProfileKey too
    assert client.get_domain(DomainName="acme")["Stats"]["ObjectCount"] == 1
    with not_found("Object type Loyalty not found in domain acme"):
        client.list_profile_objects(DomainName="acme", ObjectTypeName="Loyalty", ProfileId=pid)
    # the profile and the fields the objects gave it stay
    assert client.batch_get_profile(DomainName="acme", ProfileIds=[pid])["Profiles"][0]["PhoneNumber"] == (
        "+15550100001"
    )
