"""DetectProfileObjectType and the attribute reads (ListObjectTypeAttributes, ListObjectTypeAttributeValues,
GetObjectTypeAttributeStatistics): reference notes §6.5 and §6.6."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

SAMPLE = {
    "orderId": "O-1",
    "customer": {"firstName": "Ana", "email": "ana@example.com", "mobile": "+1 555 010 0001"},
    "address": {"city": "Lisbon", "zip": "1000-001"},
    "total": 42.5,
    "tags": ["a", "b"],
    "updatedAt": "2026-01-02T03:04:05Z",
}


def detect(client: Any, *objects: Any) -> dict[str, Any]:
    texts = [o if isinstance(o, str) else json.dumps(o) for o in objects]
    [mapping] = client.detect_profile_object_type(DomainName="acme", Objects=texts)["DetectedProfileObjectTypes"]
    return dict(mapping)


def test_detection_proposes_fields_targets_and_keys(client: Any, domain: str) -> None:
    mapping = detect(client, SAMPLE, {"orderId": "O-2", "channel": "web"})
    fields = mapping["Fields"]
    assert fields["customer_email"] == {
        "Source": "_source.customer.email",
        "Target": "_profile.EmailAddress",
        "ContentType": "EMAIL_ADDRESS",
    }
    assert fields["customer_mobile"]["ContentType"] == "PHONE_NUMBER"
    assert fields["customer_mobile"]["Target"] == "_profile.MobilePhoneNumber"
    assert fields["customer_firstName"]["ContentType"] == "NAME"
    assert fields["address_zip"]["Target"] == "_profile.Address.PostalCode"
    assert fields["total"]["ContentType"] == "NUMBER"
    assert fields["channel"] == {"Source": "_source.channel", "ContentType": "STRING"}  # from the second object
    assert "tags" not in fields  # lists are skipped
    assert fields["sourceLastUpdatedTimestamp"]["Source"] == "_source.updatedAt"
    assert mapping["SourceLastUpdatedTimestampFormat"] == "yyyy-MM-dd'T'HH:mm:ss'Z'"
    assert mapping["Keys"] == {
        "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderId"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["customer_email"]}],
        "_phone": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["customer_mobile"]}],
    }


def test_a_detected_mapping_is_a_valid_object_type(client: Any, domain: str) -> None:
    mapping = detect(client, SAMPLE)
    client.put_profile_object_type(
        DomainName="acme", ObjectTypeName="Orders", Description="Detected", AllowProfileCreation=True, **mapping
    )
    client.put_profile_object(DomainName="acme", ObjectTypeName="Orders", Object=json.dumps(SAMPLE))
    [profile] = client.search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])["Items"]
    assert (profile["FirstName"], profile["Address"]["City"]) == ("Ana", "Lisbon")


def test_without_an_id_the_unique_key_is_the_email(client: Any, domain: str) -> None:
    mapping = detect(client, {"name": "Bo", "mail": "bo@example.com"})
    assert mapping["Keys"]["mail"] == [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["mail"]}]
    assert mapping["Fields"]["name"]["ContentType"] == "NAME"
    assert "SourceLastUpdatedTimestampFormat" not in mapping


def test_phone_by_name_and_names_that_collide(client: Any, domain: str) -> None:
    mapping = detect(client, {"a": {"b": "x"}, "a_b": "y", "phone": 5550100})
    assert mapping["Fields"]["phone"]["ContentType"] == "PHONE_NUMBER"
    assert mapping["Fields"]["a_b"]["Source"] == "_source.a.b"
    assert mapping["Fields"]["a_b_2"]["Source"] == "_source.a_b"


def test_detection_refuses_what_is_not_a_json_object(client: Any, domain: str) -> None:
    with bad_request("Objects[1] is not valid JSON"):
        detect(client, {"a": 1}, "{nope")
    with bad_request("Objects[0] must be a JSON object"):
        detect(client, "[1, 2]")
    with bad_request("The objects hold no field to detect (every value is a list or an empty object)"):
        detect(client, {"a": [], "b": {}})


# ------------------------------------------------------------------------------------------ attributes

ORDER_FIELDS = {
    "id": {"Source": "_source.id"},
    "email": {"Source": "_source.email", "ContentType": "EMAIL_ADDRESS"},
    "amount": {"Source": "_source.amount", "ContentType": "NUMBER"},
    "status": {"Source": "_source.status"},
}
ORDER_KEYS = {
    "orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
    "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
}


@pytest.fixture
def orders(client: Any) -> str:
    client.create_domain(DomainName="acme", DefaultExpirationDays=365, DataStore={"Enabled": True})
    client.put_profile_object_type(
        DomainName="acme",
        ObjectTypeName="Orders",
        Description="Orders",
        AllowProfileCreation=True,
        Fields=ORDER_FIELDS,
        Keys=ORDER_KEYS,
    )
    return "Orders"


def put(client: Any, **order: Any) -> str:
    order.setdefault("email", "ana@example.com")
    return str(
        client.put_profile_object(DomainName="acme", ObjectTypeName="Orders", Object=json.dumps(order))[
            "ProfileObjectUniqueKey"
        ]
    )


def values(client: Any, attribute: str) -> list[str]:
    items = client.list_object_type_attribute_values(
        DomainName="acme", ObjectTypeName="Orders", AttributeName=attribute
    )
    return [item["Value"] for item in items["Items"]]


def statistics(client: Any, attribute: str) -> dict[str, Any]:
    answer = client.get_object_type_attribute_statistics(
        DomainName="acme", ObjectTypeName="Orders", AttributeName=attribute
    )
    return dict(answer["Statistics"])


def test_attributes_are_the_fields_of_the_type(client: Any, orders: str) -> None:
    put(client, id="1", amount=5)
    items = client.list_object_type_attributes(DomainName="acme", ObjectTypeName="Orders")["Items"]
    assert [item["AttributeName"] for item in items] == ["amount", "email", "id", "status"]
    page = client.list_object_type_attributes(DomainName="acme", ObjectTypeName="Orders", MaxResults=3)
    assert len(page["Items"]) == 3
    assert "NextToken" in page


def test_values_are_distinct_and_the_most_recent_first(client: Any, orders: str) -> None:
    assert values(client, "status") == []
    put(client, id="1", status="open")
    put(client, id="2", status="paid")
    put(client, id="3", status="open")
    assert values(client, "status") == ["open", "paid"]
    put(client, id="4", status="refunded")
    assert values(client, "status") == ["refunded", "open", "paid"]  # the kept aggregate follows new objects


def test_values_follow_replaced_deleted_and_expired_objects(client: Any, orders: str) -> None:
    key = put(client, id="1", status="open")
    put(client, id="2", status="paid")
    assert values(client, "status") == ["paid", "open"]
    put(client, id="1", status="shipped")  # replaces object 1
    assert values(client, "status") == ["shipped", "paid"]
    [profile] = client.search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])["Items"]
    client.delete_profile_object(
        DomainName="acme", ObjectTypeName="Orders", ProfileId=profile["ProfileId"], ProfileObjectUniqueKey=key
    )
    assert values(client, "status") == ["paid"]
    client.delete_profile(DomainName="acme", ProfileId=profile["ProfileId"])
    assert values(client, "status") == []


def test_a_type_put_again_reads_its_new_fields(client: Any, orders: str) -> None:
    put(client, id="1", status="open", state="x")
    fields = {**ORDER_FIELDS, "status": {"Source": "_source.state"}}
    client.put_profile_object_type(
        DomainName="acme", ObjectTypeName="Orders", Description="Orders", Fields=fields, Keys=ORDER_KEYS
    )
    assert values(client, "status") == ["x"]


def test_statistics_of_the_numeric_values(client: Any, orders: str) -> None:
    for n, amount in enumerate([10, 20, 30, 40]):
        put(client, id=str(n), amount=amount)
    put(client, id="text", amount="n/a")  # not a number: not counted
    stats = statistics(client, "amount")
    assert (stats["Minimum"], stats["Maximum"], stats["Average"]) == (10.0, 40.0, 25.0)
    assert math.isclose(stats["StandardDeviation"], math.sqrt(125))  # population standard deviation
    assert stats["Percentiles"] == {"P5": 11.5, "P25": 17.5, "P50": 25.0, "P75": 32.5, "P95": 38.5}


def test_statistics_without_numbers_are_zeros(client: Any, orders: str) -> None:
    put(client, id="1", status="open")
    stats = statistics(client, "status")
    assert stats["Maximum"] == stats["Minimum"] == stats["Average"] == stats["StandardDeviation"] == 0.0


def test_statistics_need_the_data_store(client: Any, domain: str) -> None:
    with bad_request(
        "Attribute statistics are available only for domains with data store enabled: domain acme has no "
        "DataStore with Enabled true"
    ):
        client.get_object_type_attribute_statistics(DomainName="acme", ObjectTypeName="Orders", AttributeName="a")


def test_unknown_types_and_attributes_are_not_found(client: Any, orders: str) -> None:
    with not_found("Attribute nope is not a field of object type Orders"):
        values(client, "nope")
    with not_found("Attribute nope is not a field of object type Orders"):
        statistics(client, "nope")
    with not_found("Object type Other not found in domain acme"):
        client.list_object_type_attributes(DomainName="acme", ObjectTypeName="Other")


def test_values_page_most_recent_first(client: Any, orders: str) -> None:
    for n in range(5):
        put(client, id=str(n), status=f"s{n}")
    seen: list[str] = []
    token: dict[str, str] = {}
    while True:
        page = client.list_object_type_attribute_values(
            DomainName="acme", ObjectTypeName="Orders", AttributeName="status", MaxResults=2, **token
        )
        seen += [item["Value"] for item in page["Items"]]
        if "NextToken" not in page:
            break
        token = {"NextToken": page["NextToken"]}
    assert seen == ["s4", "s3", "s2", "s1", "s0"]
