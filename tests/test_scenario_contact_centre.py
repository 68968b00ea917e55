"""A user's scenario: a contact-centre Lambda ingests a contact record and a Shopify order for a caller,
then finds the caller's profile by phone AND order number.

The Lambda makes its own ``boto3.client("customer-profiles")``, as deployed code does. Each test runs twice
(``both_doors``): with the mock active in process (``[hook]``), and with no mock active at all, the same
code reaching a ``ServerThread`` over HTTP through ``AWS_ENDPOINT_URL_CUSTOMER_PROFILES`` (``[server]``), as
a Lambda run by SAM or in a container would reach ``python -m mock_customer_profiles serve``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from mock_customer_profiles import CustomerProfilesMock, ServerThread, _activation, mock_customer_profiles

pytestmark = [pytest.mark.both_doors, pytest.mark.usefixtures("contact_centre")]  # both doors: tests/conftest.py

DOMAIN = "contact-centre"


# ----------------------------------------------------------------- the code under test (a Lambda handler)


def lambda_handler(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    """On the end of a call: store the contact record and the order the caller asked about, then answer
    with the caller's profile, found by the number they called from and the order they quoted."""
    client = boto3.client("customer-profiles")
    client.put_profile_object(DomainName=DOMAIN, ObjectTypeName="ContactRecord", Object=json.dumps(event["ctr"]))
    client.put_profile_object(DomainName=DOMAIN, ObjectTypeName="ShopifyOrder", Object=json.dumps(event["order"]))
    found = client.search_profiles(
        DomainName=DOMAIN,
        KeyName="_phone",
        Values=[event["ctr"]["CustomerEndpoint"]["Address"]],
        AdditionalSearchKeys=[{"KeyName": "_shopifyOrderId", "Values": [str(event["order"]["id"])]}],
        LogicalOperator="AND",
    )["Items"]
    if len(found) != 1:
        return {"status": "unknown-caller"}
    profile = found[0]
    return {
        "status": "found",
        "profileId": profile["ProfileId"],
        "name": " ".join(profile[k] for k in ("FirstName", "LastName") if k in profile),
        "foundBy": profile["FoundByItems"],
    }


def set_up_domain() -> None:
    """What the team's infrastructure code does once: a domain and two integrations from templates."""
    client = boto3.client("customer-profiles", region_name="us-east-1")
    client.create_domain(DomainName=DOMAIN, DefaultExpirationDays=365)
    client.put_profile_object_type(
        DomainName=DOMAIN, ObjectTypeName="ContactRecord", Description="Amazon Connect contacts", TemplateId="CTR"
    )
    client.put_profile_object_type(
        DomainName=DOMAIN, ObjectTypeName="ShopifyOrder", Description="Shopify orders", TemplateId="Shopify-Order"
    )


@pytest.fixture
def contact_centre(request: pytest.FixtureRequest, door: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The service the Lambda's own clients reach: the mock in process, or a server over HTTP."""
    if door == "hook":
        with mock_customer_profiles():
            yield door
        return
    server: ServerThread = request.getfixturevalue("server_thread")
    server.mock = CustomerProfilesMock()  # served, never activated: only HTTP reaches it
    monkeypatch.setenv("AWS_ENDPOINT_URL_CUSTOMER_PROFILES", server.endpoint_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    yield door
    assert _activation.current() is None  # nothing answered in process
    assert len(server.mock.calls) > 0  # everything went over HTTP to the server


CTR = {
    "ContactId": "3b5a8a43-6b2d-4b1a-9bd4-1b7f4a1c0001",
    "Channel": "VOICE",
    "InitiationMethod": "INBOUND",
    "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+15551234567"},
    "SystemEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+18005550199"},
}
ORDER = {
    "id": 450789469,
    "name": "#1001",
    "email": "ana.silva@example.com",
    "phone": "(555)-123-4567",  # the shop keeps the number in another format
    "customer": {"id": 207119551, "first_name": "Ana", "last_name": "Silva"},
    "shipping_address": {"address1": "Rua Augusta 10", "city": "Lisbon", "country": "Portugal", "zip": "1100-053"},
}


def test_the_lambda_finds_the_caller_by_phone_and_order() -> None:
    set_up_domain()
    answer = lambda_handler({"ctr": CTR, "order": ORDER})

    assert answer["status"] == "found"
    assert answer["name"] == "Ana Silva"
    assert answer["foundBy"] == [
        {"KeyName": "_phone", "Values": ["+15551234567"]},
        {"KeyName": "_shopifyOrderId", "Values": ["450789469"]},
    ]
    client = boto3.client("customer-profiles", region_name="us-east-1")
    pid = answer["profileId"]
    # one caller, one profile: the order found the profile the contact record made, by phone in another format
    assert client.get_domain(DomainName=DOMAIN)["Stats"]["ProfileCount"] == 1
    profile = client.batch_get_profile(DomainName=DOMAIN, ProfileIds=[pid])["Profiles"][0]
    assert profile["ShippingAddress"] == {
        "Address1": "Rua Augusta 10",
        "City": "Lisbon",
        "Country": "Portugal",
        "PostalCode": "1100-053",
    }
    for type_name, sent in (("ContactRecord", CTR), ("ShopifyOrder", ORDER)):
        items = client.list_profile_objects(DomainName=DOMAIN, ObjectTypeName=type_name, ProfileId=pid)["Items"]
        assert [json.loads(item["Object"]) for item in items] == [sent]


def test_a_second_call_from_the_same_caller_lands_on_the_same_profile() -> None:
    set_up_domain()
    first = lambda_handler({"ctr": CTR, "order": ORDER})
    again = lambda_handler(
        {
            "ctr": {**CTR, "ContactId": "3b5a8a43-6b2d-4b1a-9bd4-1b7f4a1c0002"},
            "order": {**ORDER, "id": 450789470, "name": "#1002"},
        }
    )
    assert again["profileId"] == first["profileId"]
    client = boto3.client("customer-profiles", region_name="us-east-1")
    found = client.search_profiles(DomainName=DOMAIN, KeyName="_shopifyOrderId", Values=["450789469", "450789470"])
    assert [item["ProfileId"] for item in found["Items"]] == [first["profileId"]]
    ctrs = client.list_profile_objects(DomainName=DOMAIN, ObjectTypeName="ContactRecord", ProfileId=first["profileId"])
    assert [json.loads(i["Object"])["ContactId"][-4:] for i in ctrs["Items"]] == ["0002", "0001"]


def test_an_order_for_another_customer_does_not_find_the_caller() -> None:
    set_up_domain()
    answer = lambda_handler(
        {"ctr": CTR, "order": {**ORDER, "phone": "+15559990000", "email": "bo@example.com", "customer": {"id": 1}}}
    )
    assert answer == {"status": "unknown-caller"}
    client = boto3.client("customer-profiles", region_name="us-east-1")
    assert client.get_domain(DomainName=DOMAIN)["Stats"]["ProfileCount"] == 2
