"""ListProfileObjectTypeTemplates, GetProfileObjectTypeTemplate, and object types made from templates."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dataplane_helpers import not_found, objects_of, put_object, search

from mock_customer_profiles import CustomerProfilesMock

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

REQUIRED = [
    "CTR",
    "Marketo-leads",
    "Salesforce-Account",
    "Salesforce-Contact",
    "Segment-Identify",
    "Servicenow-sys_user",
    "Shopify-Customer",
    "Shopify-Order",
    "Zendesk-tickets",
    "Zendesk-users",
]

# Template -> (a source object as the integration sends it, the predefined keys it must give, profile fields)
CREATING: dict[str, tuple[dict[str, Any], dict[str, str], dict[str, Any]]] = {
    "CTR": (
        {"ContactId": "ctr-1", "Channel": "VOICE", "CustomerEndpoint": {"Address": "+15550001111"}},
        {"_ctrContactId": "ctr-1", "_phone": "+15550001111"},
        {"PhoneNumber": "+15550001111"},
    ),
    "Shopify-Customer": (
        {
            "id": 207119551,
            "email": "bob@example.com",
            "first_name": "Bob",
            "last_name": "Norman",
            "phone": "+16135551111",
            "default_address": {"address1": "Chestnut Street 92", "city": "Ottawa", "zip": "K2P 1L4"},
        },
        {"_shopifyCustomerId": "207119551", "_email": "bob@example.com", "_fullName": "Bob Norman"},
        {"Address": {"Address1": "Chestnut Street 92", "City": "Ottawa", "PostalCode": "K2P 1L4"}},
    ),
    "Shopify-Order": (
        {
            "id": 450789469,
            "email": "bob@example.com",
            "customer": {"id": 207119551, "first_name": "Bob"},
            "billing_address": {"city": "Ottawa", "country": "Canada"},
        },
        {"_shopifyOrderId": "450789469", "_shopifyCustomerId": "207119551"},
        {
            "FirstName": "Bob",
            "EmailAddress": "bob@example.com",
            "BillingAddress": {"City": "Ottawa", "Country": "Canada"},
        },
    ),
    "Salesforce-Account": (
        {"Id": "0015e000001", "Name": "Edge Communications", "AccountNumber": "CD451796", "BillingCity": "Austin"},
        {"_salesforceAccountId": "0015e000001", "_account": "CD451796"},
        {"BusinessName": "Edge Communications", "BillingAddress": {"City": "Austin"}},
    ),
    "Salesforce-Contact": (
        {"Id": "0035e000002", "AccountId": "0015e000001", "FirstName": "Rose", "LastName": "Gonzalez"},
        {"_salesforceContactId": "0035e000002", "_salesforceAccountId": "0015e000001", "_fullName": "Rose Gonzalez"},
        {"FirstName": "Rose", "LastName": "Gonzalez"},
    ),
    "Zendesk-users": (
        {"id": 35436, "external_id": "crm-77", "email": "johnny@example.com", "name": "Johnny Agent"},
        {"_zendeskUserId": "35436", "_zendeskExternalId": "crm-77", "_email": "johnny@example.com"},
        {"EmailAddress": "johnny@example.com"},
    ),
    "Marketo-leads": (
        {"id": 318581, "firstName": "Erik", "lastName": "Lin", "city": "Portland", "mobilePhone": "+15035550100"},
        {"_marketoLeadId": "318581", "_phone": "+15035550100"},
        {"Address": {"City": "Portland"}},
    ),
    "Servicenow-sys_user": (
        {"sys_id": "6816f79cc0a8016401c5a33be04be441", "first_name": "Fred", "last_name": "Luddy"},
        {"_serviceNowSystemId": "6816f79cc0a8016401c5a33be04be441"},
        {"FirstName": "Fred", "LastName": "Luddy"},
    ),
    "Segment-Identify": (
        {"type": "identify", "userId": "97980cfea0067", "traits": {"firstName": "Peter", "address": {"city": "SF"}}},
        {"_segmentUserId": "97980cfea0067"},
        {"FirstName": "Peter", "Address": {"City": "SF"}},
    ),
}

# Templates whose objects belong to a profile that another template made:
# (parent template, parent object, child object, the child's key and value, a child object of nobody's)
LINKING: dict[str, tuple[str, dict[str, Any], dict[str, Any], tuple[str, str], dict[str, Any]]] = {
    "Zendesk-tickets": (
        "Zendesk-users",
        {"id": 35436},
        {"id": 5501, "requester_id": 35436},
        ("_zendeskTicketId", "5501"),
        {"id": 5502, "requester_id": 1},
    ),
    "Salesforce-Asset": (
        "Salesforce-Contact",
        {"Id": "0035e000002"},
        {"Id": "02i5e000003", "ContactId": "0035e000002"},
        ("_salesforceAssetId", "02i5e000003"),
        {"Id": "02i5e000004", "ContactId": "0035e000009"},
    ),
    "Servicenow-incident": (
        "Servicenow-sys_user",
        {"sys_id": "u-1"},
        # AWS's page indexes the caller by caller_id.link ("Mapping ServiceNow objects to the standard case").
        {"sys_id": "inc-1", "caller_id": {"link": "u-1", "value": "https://x/u-1"}},
        ("_serviceNowIncidentId", "inc-1"),
        {"sys_id": "inc-2", "caller_id": {"link": "u-9", "value": "u-1"}},
    ),
}


def _type_from(client: Any, template_id: str) -> str:
    name = template_id.replace("_", "-")
    client.put_profile_object_type(
        DomainName="acme", ObjectTypeName=name, Description=f"from {template_id}", TemplateId=template_id
    )
    return name


def test_list_has_the_integration_templates_in_order(client: Any) -> None:
    items = client.list_profile_object_type_templates()["Items"]
    ids = [item["TemplateId"] for item in items]
    assert ids == sorted(ids)
    assert set(REQUIRED) <= set(ids)
    assert {"TemplateId": "Shopify-Order", "SourceName": "Shopify", "SourceObject": "Order"} in items


def test_list_is_paginated(client: Any) -> None:
    everything = [item["TemplateId"] for item in client.list_profile_object_type_templates()["Items"]]
    seen: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": 5}
    while True:
        page = client.list_profile_object_type_templates(**kwargs)
        seen += [item["TemplateId"] for item in page["Items"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == everything


@pytest.mark.parametrize("template_id", REQUIRED + list(LINKING))
def test_every_template_has_one_unique_key_and_a_predefined_key(client: Any, template_id: str) -> None:
    template = client.get_profile_object_type_template(TemplateId=template_id)
    assert template["TemplateId"] == template_id
    assert template["SourceName"] in ("Connect", template_id.split("-")[0])
    assert template_id.endswith(template["SourceObject"])
    keys = template["Keys"]
    unique = [name for name, defs in keys.items() for d in defs if "UNIQUE" in d["StandardIdentifiers"]]
    assert len(unique) == 1
    assert unique[0].startswith("_")
    for defs in keys.values():
        for definition in defs:
            assert set(definition["FieldNames"]) <= set(template["Fields"])


@pytest.mark.parametrize("template_id", list(CREATING))
def test_a_templated_type_ingests_its_source_object(client: Any, domain: str, template_id: str) -> None:
    source, keys, fields = CREATING[template_id]
    name = _type_from(client, template_id)
    put_object(client, name, source)
    first_key, first_value = next(iter(keys.items()))
    (pid,) = search(client, first_key, first_value)
    for key_name, value in keys.items():
        assert search(client, key_name, value) == [pid], key_name
    profile = client.batch_get_profile(DomainName="acme", ProfileIds=[pid])["Profiles"][0]
    assert {k: profile[k] for k in fields} == fields


@pytest.mark.parametrize("template_id", list(LINKING))
def test_linking_templates_attach_to_the_parent_profile(
    mock: CustomerProfilesMock, client: Any, domain: str, template_id: str
) -> None:
    parent, parent_object, child_object, (child_key, child_value), orphan = LINKING[template_id]
    put_object(client, _type_from(client, parent), parent_object)
    child = _type_from(client, template_id)
    put_object(client, child, child_object)
    assert client.get_domain(DomainName="acme")["Stats"]["ProfileCount"] == 1
    (pid,) = search(client, child_key, child_value)
    assert objects_of(client, child, pid) == [child_object]
    put_object(client, child, orphan)  # accepted, and written to the dead-letter queue
    (letter,) = mock.dead_letters
    assert (letter.object_type, json.loads(letter.object)) == (child, orphan)
    assert objects_of(client, child, pid) == [child_object]
    assert client.get_domain(DomainName="acme")["Stats"]["ProfileCount"] == 1


def test_unknown_template(client: Any) -> None:
    with not_found("Template Hubspot-Contact not found"):
        client.get_profile_object_type_template(TemplateId="Hubspot-Contact")
