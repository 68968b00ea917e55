"""Templates that fill the standard objects (_asset, _order, _case) as AWS's admin guide tables map them, and
the Sources a mapping may use: Handlebars blocks, array spreads over list items, and the forms refused.

Pages: "Mapping Salesforce objects to the standard asset", "Mapping Shopify objects to the standard order",
"Mapping Zendesk objects to the standard case", "Mapping ServiceNow objects to the standard case",
"Field definitions in Customer Profiles object type mappings".
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from dataplane_helpers import objects_of, put_object, put_type, search

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

SHOPIFY_ORDER: dict[str, Any] = {
    "id": 450789469,
    "email": "bob@example.com",
    "phone": "+16135551212",
    "customer": {"id": 207119551, "first_name": "Bob", "last_name": "Norman"},
    "created_at": "2024-03-01T10:00:00-05:00",
    "currency": "CAD",
    "financial_status": "paid",
    "order_status_url": "https://shop.example.com/orders/450789469",
    "total_price": "409.94",
    "total_tax": "11.94",
    "total_shipping_price_set": {"shop_money": {"amount": "10.00"}},
    "payment_details": {"credit_card_company": "Visa"},
    "billing_address": {"name": "Bob Norman", "city": "Ottawa", "country": "Canada"},
    "line_items": [
        {"title": "IPod Nano - 8gb", "price": "199.00", "quantity": 1},
        {"title": "Sleeve", "price": "9.99", "quantity": 3},
    ],
}


def _from_template(client: Any, template_id: str, name: str | None = None) -> str:
    name = name or template_id
    client.put_profile_object_type(
        DomainName="acme", ObjectTypeName=name, Description=f"from {template_id}", TemplateId=template_id
    )
    return name


def _records(client: Any, standard: str, profile_id: str, **extra: Any) -> list[dict[str, Any]]:
    return objects_of(client, standard, profile_id, **extra)


def _without_ids(record: dict[str, Any], id_field: str) -> dict[str, Any]:
    return {name: value for name, value in record.items() if name not in (id_field, "ProfileId")}


@pytest.fixture
def refused(client: Any, domain: str) -> Any:
    """Calls PutProfileObjectType with one field and returns the BadRequestException's message."""

    def put(definition: dict[str, str], keys: dict[str, Any] | None = None) -> str:
        fields = {"id": {"Source": "_source.id"}, "field": definition}
        keys = keys or {"orderId": [{"FieldNames": ["id"], "StandardIdentifiers": ["UNIQUE", "ORDER", "PROFILE"]}]}
        with pytest.raises(ClientError) as info:
            put_type(client, "T", fields, keys)
        assert info.value.response["Error"]["Code"] == "BadRequestException"
        assert client.list_profile_object_types(DomainName="acme")["Items"] == []
        return str(info.value.response["Error"]["Message"])

    return put


# ------------------------------------------------------------------------------------------ templates


def test_a_shopify_order_lands_as_a_standard_order(client: Any, domain: str) -> None:
    name = _from_template(client, "Shopify-Order")
    put_object(client, name, SHOPIFY_ORDER)
    (pid,) = search(client, "_shopifyOrderId", "450789469")
    (order,) = _records(client, "_order", pid)
    assert order["ProfileId"] == pid
    assert {k: order[k] for k in ("TotalPrice", "TotalTax", "Currency", "CustomerEmail", "Status")} == {
        "TotalPrice": "409.94",
        "TotalTax": "11.94",
        "Currency": "CAD",
        "CustomerEmail": "bob@example.com",
        "Status": "paid",
    }
    assert order["TotalShippingPrice"] == "10.00"
    assert order["CreditCardCompany"] == "Visa"
    assert order["StatusCode"] == "ACTIVATED"  # order_status_url exists in the source
    assert order["StatusUrl"] == SHOPIFY_ORDER["order_status_url"]
    assert order["BillingAddress"] == {"Name": "Bob Norman", "City": "Ottawa", "Country": "Canada"}
    assert order["OrderItems"] == [
        {"Title": "IPod Nano - 8gb", "Price": "199.00", "Quantity": "1"},
        {"Title": "Sleeve", "Price": "9.99", "Quantity": "3"},
    ]
    assert order["Attributes"] == {"ShopifyOrderId": "450789469", "ShopifyCustomerId": "207119551"}
    # The template's own key filters the standard order ("use _shopifyOrderId as an ObjectFilter.KeyName").
    by_key = _records(client, "_order", pid, ObjectFilter={"KeyName": "_shopifyOrderId", "Values": ["450789469"]})
    assert by_key == [order]
    assert search(client, "_orderId", order["OrderId"]) == [pid]
    # The profile the order created, and the raw object under the type's own name.
    profile = client.batch_get_profile(DomainName="acme", ProfileIds=[pid])["Profiles"][0]
    assert (profile["FirstName"], profile["EmailAddress"]) == ("Bob", "bob@example.com")
    assert objects_of(client, name, pid) == [SHOPIFY_ORDER]


def test_the_same_order_again_updates_its_record_field_by_field(client: Any, domain: str) -> None:
    name = _from_template(client, "Shopify-Order")
    put_object(client, name, SHOPIFY_ORDER)
    (pid,) = search(client, "_shopifyOrderId", "450789469")
    (first,) = _records(client, "_order", pid)
    # Shopify sends the whole order again; one item fewer does not remove the stored item (a standard object
    # "keeps fields previously written and updates only the fields the new object provides").
    update = {**SHOPIFY_ORDER, "fulfillment_status": "fulfilled", "total_price": "399.95"}
    update["line_items"] = [{"title": "IPod Nano - 8gb", "price": "189.00", "quantity": 1}]
    put_object(client, name, update)
    (second,) = _records(client, "_order", pid)
    assert second["OrderId"] == first["OrderId"]
    items = [{**first["OrderItems"][0], "Price": "189.00"}, first["OrderItems"][1]]
    assert second == {**first, "FulfillmentStatus": "fulfilled", "TotalPrice": "399.95", "OrderItems": items}
    assert objects_of(client, name, pid) == [update]


def test_a_draft_order_without_a_status_url_is_a_draft(client: Any, domain: str) -> None:
    name = _from_template(client, "Shopify-DraftOrder")
    draft = {
        "id": 994118539,
        "email": "bob@example.com",
        "customer": {"id": 207119551},
        "name": "#D2",
        "status": "open",
        "invoice_url": "https://shop.example.com/invoices/994118539",
        "line_items": [{"title": "Sleeve", "price": "9.99", "quantity": 2}],
    }
    put_object(client, name, draft)
    (pid,) = search(client, "_shopifyOrderId", "994118539")
    (order,) = _records(client, "_order", pid)
    assert (order["StatusCode"], order["Status"], order["Name"]) == ("DRAFT", "open", "#D2")
    assert order["StatusUrl"] == draft["invoice_url"]
    assert order["OrderItems"] == [{"Title": "Sleeve", "Price": "9.99", "Quantity": "2"}]
    # The inferred profile takes the order's EMAIL_ADDRESS field, though it targets _order.CustomerEmail.
    profile = client.batch_get_profile(DomainName="acme", ProfileIds=[pid])["Profiles"][0]
    assert profile["EmailAddress"] == "bob@example.com"


def test_a_salesforce_asset_lands_as_a_standard_asset(client: Any, domain: str) -> None:
    contact = _from_template(client, "Salesforce-Contact")
    put_object(client, contact, {"Id": "0035e000002", "LastName": "Gonzalez"})
    (pid,) = search(client, "_salesforceContactId", "0035e000002")
    asset = _from_template(client, "Salesforce-Asset")
    source = {
        "Id": "02i5e000003",
        "ContactId": "0035e000002",
        "SerialNumber": "SN-42",
        "StockKeepingUnit": "SKU-9",
        "Status": "Installed",
        "Price": 49.5,
        "Name": "not mapped",
    }
    put_object(client, asset, source)
    (record,) = _records(client, "_asset", pid)
    assert _without_ids(record, "AssetId") == {
        "SerialNumber": "SN-42",
        "ProductSKU": "SKU-9",
        "Status": "Installed",
        "Price": "49.5",
        "Attributes": {"sfdcAssetId": "02i5e000003", "sfdcContactId": "0035e000002"},
    }
    assert search(client, "_serialNumber", "SN-42") == [pid]
    filtered = {"KeyName": "_salesforceAssetId", "Values": ["02i5e000003"]}
    assert _records(client, "_asset", pid, ObjectFilter=filtered) == [record]
    # A second asset of the same contact is a second record.
    put_object(client, asset, {"Id": "02i5e000004", "ContactId": "0035e000002", "SerialNumber": "SN-43"})
    assert sorted(r["SerialNumber"] for r in _records(client, "_asset", pid)) == ["SN-42", "SN-43"]


@pytest.mark.parametrize(
    ("parent", "parent_object", "template_id", "source", "expected"),
    [
        (
            "Zendesk-users",
            {"id": 35436},
            "Zendesk-tickets",
            {
                "id": 5501,
                "requester_id": 35436,
                "subject": "Printer on fire",
                "description": "It smokes",
                "status": "open",
                "created_at": "2024-03-01T10:00:00Z",
            },
            {
                "Title": "Printer on fire",
                "Summary": "It smokes",
                "Status": "open",
                "CreatedBy": "35436",
                "CreatedDate": "2024-03-01T10:00:00Z",
                "Attributes": {"ZendeskTicketId": "5501", "ZendeskUserId": "35436"},
            },
        ),
        (
            "Servicenow-sys_user",
            {"sys_id": "u-1"},
            "Servicenow-task",
            {
                "sys_id": "t-1",
                "opened_by": {"link": "u-1"},
                "short_description": "Reset password",
                "sys_created_by": "admin",
            },
            {
                "Title": "Reset password",
                "CreatedBy": "admin",
                "Attributes": {"ServiceNowTaskId": "t-1", "ServiceNowSystemUserId": "u-1"},
            },
        ),
        (
            "Servicenow-sys_user",
            {"sys_id": "u-1"},
            "Servicenow-incident",
            {"sys_id": "inc-1", "caller_id": {"link": "u-1"}, "category": "network", "resolved_at": "2024-03-02"},
            {
                "Reason": "network",
                "ClosedDate": "2024-03-02",
                "CreatedBy": "u-1",
                "Attributes": {"ServiceNowIncidentId": "inc-1", "ServiceNowSystemUserId": "u-1"},
            },
        ),
    ],
)
def test_case_templates_land_as_standard_cases(
    client: Any,
    domain: str,
    parent: str,
    parent_object: dict[str, Any],
    template_id: str,
    source: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    put_object(client, _from_template(client, parent), parent_object)
    name = _from_template(client, template_id)
    put_object(client, name, source)
    unique_key = next(
        key
        for key, definitions in client.get_profile_object_type_template(TemplateId=template_id)["Keys"].items()
        if "UNIQUE" in definitions[0]["StandardIdentifiers"]
    )
    (pid,) = search(client, unique_key, str(source.get("id", source.get("sys_id"))))
    (case,) = _records(client, "_case", pid)
    assert _without_ids(case, "CaseId") == expected
    assert search(client, "_caseId", case["CaseId"]) == [pid]
    assert client.get_domain(DomainName="acme")["Stats"]["ProfileCount"] == 1


def test_a_template_and_the_same_mapping_written_out_fill_the_same_record(client: Any, domain: str) -> None:
    template = client.get_profile_object_type_template(TemplateId="Shopify-Order")
    _from_template(client, "Shopify-Order", "ByTemplate")
    put_type(client, "ByHand", template["Fields"], template["Keys"], allow=True)
    put_object(client, "ByTemplate", SHOPIFY_ORDER)
    (pid,) = search(client, "_shopifyOrderId", "450789469")
    (by_template,) = _records(client, "_order", pid)
    client.delete_profile(DomainName="acme", ProfileId=pid)
    put_object(client, "ByHand", SHOPIFY_ORDER)
    (pid,) = search(client, "_shopifyOrderId", "450789469")
    (by_hand,) = _records(client, "_order", pid)
    assert _without_ids(by_hand, "OrderId") == _without_ids(by_template, "OrderId")


def test_templates_reading_a_standard_object_carry_its_identifier_on_the_unique_key(client: Any) -> None:
    for template_id, identifier in [
        ("Salesforce-Asset", "ASSET"),
        ("Shopify-Order", "ORDER"),
        ("Shopify-DraftOrder", "ORDER"),
        ("Zendesk-tickets", "CASE"),
        ("Servicenow-incident", "CASE"),
        ("Servicenow-task", "CASE"),
    ]:
        template = client.get_profile_object_type_template(TemplateId=template_id)
        standard = "_" + {"ASSET": "asset", "ORDER": "order", "CASE": "case"}[identifier] + "."
        assert any(field.get("Target", "").startswith(standard) for field in template["Fields"].values())
        carried = [
            ids
            for definitions in template["Keys"].values()
            for d in definitions
            if identifier in (ids := d["StandardIdentifiers"])
        ]
        assert carried == [["UNIQUE", identifier]], template_id


# -------------------------------------------------------------------------------------------- sources


def test_handlebars_blocks_in_a_source(client: Any, domain: str) -> None:
    put_type(
        client,
        "Member",
        {
            "id": {"Source": "_source.id"},
            "tier": {"Source": "{{#if _source.vip}}gold{{else}}basic{{/if}}", "Target": "_profile.Attributes.tier"},
            "mail": {"Source": "{{#unless _source.optOut}}yes{{/unless}}", "Target": "_profile.Attributes.mail"},
            "tags": {
                "Source": "{{#each _source.tags}}{{@index}}:{{this.name}};{{/each}}",
                "Target": "_profile.Attributes.tags",
            },
            "codes": {
                "Source": "{{#each _source.codes}}{{this}},{{else}}none{{/each}}",
                "Target": "_profile.Attributes.codes",
            },
            "note": {"Source": "{{! a comment }}id {{ _source.id }}", "Target": "_profile.AdditionalInformation"},
        },
        {"memberId": [{"FieldNames": ["id"], "StandardIdentifiers": ["UNIQUE", "PROFILE"]}]},
    )
    put_object(client, "Member", {"id": "M-1", "vip": True, "tags": [{"name": "a"}, {"name": "b"}], "codes": [7, "x"]})
    put_object(client, "Member", {"id": "M-2", "vip": 0, "optOut": True, "tags": []})
    put_object(client, "Member", {"id": "M-3", "tags": [{"name": "a"}, {"other": "no name"}]})
    profiles = {}
    for member in ("M-1", "M-2", "M-3"):
        (pid,) = search(client, "memberId", member)
        profiles[member] = client.batch_get_profile(DomainName="acme", ProfileIds=[pid])["Profiles"][0]
    assert profiles["M-1"]["Attributes"] == {"tier": "gold", "mail": "yes", "tags": "0:a;1:b;", "codes": "7,x,"}
    assert profiles["M-1"]["AdditionalInformation"] == "id M-1"
    assert profiles["M-2"]["Attributes"] == {"tier": "basic", "codes": "none"}  # an empty rendering is no value
    # An element without the value the block reads: the field has no value (as for a missing {{_source.x}}).
    assert profiles["M-3"]["Attributes"] == {"tier": "basic", "mail": "yes", "codes": "none"}


def test_a_spread_fills_one_item_per_element_and_skips_what_an_element_lacks(client: Any, domain: str) -> None:
    put_type(
        client,
        "Cart",
        {
            "id": {"Source": "_source.id"},
            "ref": {"Source": "_source.id", "Target": "_order.Attributes.cartId"},
            "title": {"Source": "_source.items[].name", "Target": "_order.OrderItems[].Title"},
            "price": {"Source": "_source.items[].cost", "Target": "_order.OrderItems.Price"},
        },
        {"cartId": [{"FieldNames": ["id"], "StandardIdentifiers": ["UNIQUE", "ORDER", "PROFILE"]}]},
    )
    put_object(client, "Cart", {"id": "C-1", "items": [{"name": "a", "cost": 1}, {"cost": 2.5}, {"name": "c"}]})
    put_object(client, "Cart", {"id": "C-2", "items": "not a list"})
    (pid,) = search(client, "cartId", "C-1")
    (order,) = _records(client, "_order", pid)
    assert order["OrderItems"] == [{"Title": "a", "Price": "1"}, {"Price": "2.5"}, {"Title": "c"}]
    (other,) = search(client, "cartId", "C-2")
    (empty,) = _records(client, "_order", other)
    assert "OrderItems" not in empty


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ("{{$.id}}", "{{$.id}} names no value the mock reads"),
        ("{{id}}", "{{id}} names no value the mock reads"),
        ("{{lookup _source.a 'b'}}", "is a helper call"),
        ("{{#with _source.a}}x{{/with}}", "{{#with}} is a block helper the mock does not evaluate"),
        ("{{{_source.id}}}", "a triple-stash"),
        ("{{{_source.id}}", "has unbalanced braces"),
        ("{{#if _source.a}}x", "{{#if}} is never closed with {{/if}}"),
        ("{{#if _source.a}}x{{/each}}", "{{/each}} closes no open block"),
        ("{{else}}", "{{else}} closes no open block"),
        ("{{#if _source.a}}x{{else}}y{{else}}z{{/if}}", "{{#if}} has two {{else}}"),
        ("{{#each _source.a as |item|}}{{item}}{{/each}}", "is a helper call"),
        ("{{#each _source.a}}{{../id}}{{/each}}", "names no value the mock reads"),
        ("{{> partial}}", "partials"),
        ("{{_source.id}", "unbalanced"),
        ("{{this}}", "names no value the mock reads"),
    ],
)
def test_handlebars_the_mock_does_not_evaluate_is_refused(refused: Any, source: str, why: str) -> None:
    message = refused({"Source": source, "Target": "_profile.Attributes.x"})
    assert message.startswith("mock_customer_profiles: Field field of object type T: the Handlebars Source")
    assert why in message


@pytest.mark.parametrize(
    ("definition", "why"),
    [
        (
            {"Source": "_source.items[*].name", "Target": "_order.OrderItems[].Title"},
            "has brackets the mock does not read",
        ),
        (
            {"Source": "_source.items[0].name", "Target": "_order.OrderItems[].Title"},
            "has brackets the mock does not read",
        ),
        ({"Source": "_source.a[].b[].c", "Target": "_order.OrderItems[].Title"}, "has brackets the mock does not read"),
        ({"Source": "_source.items[]x", "Target": "_order.OrderItems[].Title"}, "has brackets the mock does not read"),
        ({"Source": "_source.items[].name", "Target": "_profile.FirstName"}, "spreads an array"),
        ({"Source": "_source.items[].name", "Target": "_order.Name"}, "spreads an array"),
        ({"Source": "_source.items[].name"}, "not no Target"),
        (
            {"Source": "_source.type", "Target": "_communicationRecord.Events.{{_source.type}}.Attributes.x"},
            "has a Handlebars expression, which the mock does not evaluate in a Target",
        ),
    ],
)
def test_sources_and_targets_the_mock_does_not_read_are_refused(
    refused: Any, definition: dict[str, str], why: str
) -> None:
    message = refused(definition)
    assert message.startswith("mock_customer_profiles: Field field of object type T:")
    assert why in message


def test_a_spread_into_no_standard_field_is_refused_for_its_target(refused: Any) -> None:
    message = refused({"Source": "_source.items[].name", "Target": "_order.Lines[].Title"})
    assert message == "Field field of object type T: Target _order.Lines[].Title: Lines is not a field of _order"


def test_a_key_on_a_spread_field_is_refused(refused: Any) -> None:
    message = refused(
        {"Source": "_source.items[].name", "Target": "_order.OrderItems[].Title"},
        keys={
            "orderId": [{"FieldNames": ["id"], "StandardIdentifiers": ["UNIQUE", "ORDER", "PROFILE"]}],
            "itemName": [{"FieldNames": ["field"], "StandardIdentifiers": []}],
        },
    )
    assert message == (
        "mock_customer_profiles: Key itemName of object type T refers to field field, whose Source spreads an "
        "array: a key takes one value per object"
    )


def test_the_template_bodies_round_trip_through_get(client: Any) -> None:
    template = client.get_profile_object_type_template(TemplateId="Shopify-Order")
    assert (
        template["Fields"]["status_code"]["Source"] == "{{#if _source.order_status_url}}ACTIVATED{{else}}DRAFT{{/if}}"
    )
    assert template["Fields"]["OrderItemTitle"] == {
        "Source": "_source.line_items[].title",
        "Target": "_order.OrderItems[].Title",
        "ContentType": "STRING",
    }
    assert json.loads(json.dumps(template["Keys"]))["_shopifyOrderId"] == [
        {"StandardIdentifiers": ["UNIQUE", "ORDER"], "FieldNames": ["id"]}
    ]
