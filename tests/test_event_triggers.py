"""Event triggers: Create/Get/Update/Delete/ListEventTrigger(s), and their evaluation on ingestion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dataplane_helpers import bad_request, field, key, not_found, put_object, put_type

from mock_customer_profiles import CustomerProfilesMock

CAMPAIGN = "arn:aws:connect-campaigns:us-east-1:123456789012:campaign/c-1"


@pytest.fixture
def orders(client: Any, domain: str) -> str:
    put_type(
        client,
        "Order",
        {
            "id": field("id"),
            "email": field("email", "EmailAddress", "EMAIL_ADDRESS"),
            "total": field("total", content_type="NUMBER"),
            "status": field("status"),
        },
        {"orderId": key("id", ids=("UNIQUE",)), "_email": key("email", ids=("PROFILE",))},
    )
    return "Order"


def attribute(operator: str, *values: str, name: str = "total", source: bool = False) -> dict[str, Any]:
    where = {"Source": f"_source.{name}"} if source else {"FieldName": name}
    return {**where, "ComparisonOperator": operator, "Values": list(values)}


def condition(*dimensions: list[dict[str, Any]], operator: str = "ALL") -> dict[str, Any]:
    return {
        "EventTriggerDimensions": [{"ObjectAttributes": attributes} for attributes in dimensions],
        "LogicalOperator": operator,
    }


def create(client: Any, *conditions: dict[str, Any], name: str = "big", **extra: Any) -> Any:
    return client.create_event_trigger(
        DomainName="acme",
        EventTriggerName=name,
        ObjectTypeName="Order",
        EventTriggerConditions=list(conditions) or [condition([attribute("GREATER_THAN", "100")])],
        **extra,
    )


def wire(client: Any, *names: str, uri: str = CAMPAIGN) -> None:
    client.put_integration(DomainName="acme", Uri=uri, ObjectTypeName="Order", EventTriggerNames=list(names))


def fired(mock: CustomerProfilesMock, trigger: str | None = None) -> list[str]:
    return [invocation.object["id"] for invocation in mock.event_trigger_invocations("acme", trigger)]


def ingest(client: Any, number: int, email: str = "ana@example.com", **fields: Any) -> str:
    return put_object(client, "Order", {"id": f"O-{number}", "email": email, **fields})


# -------------------------------------------------------------------------------------- operations


@pytest.mark.both_doors
def test_create_get_update_list_delete(client: Any, orders: str) -> None:
    limits = {"EventExpiration": 60000, "Periods": [{"Unit": "DAYS", "Value": 1, "MaxInvocationsPerProfile": 2}]}
    created = create(client, Description="big orders", EventTriggerLimits=limits, Tags={"team": "sales"})
    conditions = [condition([attribute("GREATER_THAN", "100")])]
    expected = {
        "EventTriggerName": "big",
        "ObjectTypeName": "Order",
        "Description": "big orders",
        "EventTriggerConditions": conditions,
        "EventTriggerLimits": limits,
        "Tags": {"team": "sales"},
    }
    assert {k: v for k, v in created.items() if k not in ("CreatedAt", "LastUpdatedAt", "ResponseMetadata")} == expected
    got = client.get_event_trigger(DomainName="acme", EventTriggerName="big")
    assert {k: got[k] for k in expected} == expected
    updated = client.update_event_trigger(DomainName="acme", EventTriggerName="big", Description="huge orders")
    assert updated["Description"] == "huge orders"
    assert updated["EventTriggerConditions"] == conditions
    assert updated["EventTriggerLimits"] == limits
    assert updated["CreatedAt"] == created["CreatedAt"]
    items = client.list_event_triggers(DomainName="acme")["Items"]
    assert [{k: v for k, v in item.items() if k not in ("CreatedAt", "LastUpdatedAt")} for item in items] == [
        {"ObjectTypeName": "Order", "EventTriggerName": "big", "Description": "huge orders", "Tags": {"team": "sales"}}
    ]
    assert (
        client.delete_event_trigger(DomainName="acme", EventTriggerName="big")["Message"] == "Event trigger big deleted"
    )
    with not_found("Event trigger big not found in domain acme"):
        client.get_event_trigger(DomainName="acme", EventTriggerName="big")
    with not_found("Event trigger big not found in domain acme"):
        client.update_event_trigger(DomainName="acme", EventTriggerName="big", Description="x")


def test_names_are_unique_and_lists_page(client: Any, orders: str) -> None:
    for name in ("c", "a", "b"):
        create(client, name=name)
    with bad_request("Event trigger a already exists in domain acme"):
        create(client, name="a")
    first = client.list_event_triggers(DomainName="acme", MaxResults=2)
    second = client.list_event_triggers(DomainName="acme", NextToken=first["NextToken"])
    assert [i["EventTriggerName"] for i in first["Items"] + second["Items"]] == ["a", "b", "c"]
    assert "NextToken" not in second


def test_a_trigger_an_integration_uses_cannot_be_deleted(client: Any, orders: str) -> None:
    create(client)
    wire(client, "big")
    with bad_request(
        "You cannot delete an Event Trigger with an active Integration associated: event trigger big is used by "
        f"integration {CAMPAIGN}"
    ):
        client.delete_event_trigger(DomainName="acme", EventTriggerName="big")
    client.delete_integration(DomainName="acme", Uri=CAMPAIGN)
    client.delete_event_trigger(DomainName="acme", EventTriggerName="big")


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        (
            [{"ComparisonOperator": "EQUAL", "Values": ["1"]}],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: set exactly one of Source and "
            "FieldName",
        ),
        (
            [{"Source": "_source.total", "FieldName": "total", "ComparisonOperator": "EQUAL", "Values": ["1"]}],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: set exactly one of Source and "
            "FieldName",
        ),
        (
            [attribute("EQUAL", "1"), {"Source": "total", "ComparisonOperator": "EQUAL", "Values": ["1"]}],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[1]: Source must be a _source.<path> "
            "accessor, not total",
        ),
        (
            [attribute("EQUAL", "1", name="price")],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: FieldName price is not a field "
            "of object type Order",
        ),
        (
            [attribute("GREATER_THAN", "1", "2")],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: GREATER_THAN compares with "
            "exactly one value, not 2",
        ),
        (
            [attribute("LESS_THAN", "ten")],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: LESS_THAN needs a number, "
            "not ten",
        ),
        (
            [attribute("EQUAL", "inf")],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: EQUAL needs a number, not inf",
        ),
        (
            [attribute("BEFORE", "yesterday")],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: BEFORE needs an ISO 8601 date, "
            "not yesterday",
        ),
        (
            [attribute("BETWEEN", "1")],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: BETWEEN needs exactly two values "
            "(the range's bounds), not 1",
        ),
        (
            [attribute("NOT_BETWEEN", "1", "2024-01-01")],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: NOT_BETWEEN needs two numbers or "
            "two ISO 8601 dates, not ['1', '2024-01-01']",
        ),
        (
            [attribute("BETWEEN", "2024-02-01", "2024-01-01")],
            "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: the range 2024-02-01..2024-01-01 "
            "is empty (start after end)",
        ),
    ],
)
def test_conditions_are_checked(client: Any, orders: str, attributes: list[dict[str, Any]], message: str) -> None:
    with bad_request(message):
        create(client, condition(attributes))
    assert client.list_event_triggers(DomainName="acme")["Items"] == []


def test_the_object_type_must_exist(client: Any, domain: str) -> None:
    with bad_request("Object type Order not found in domain acme"):
        create(client)


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"EventExpiration": -1}, "EventTriggerLimits.EventExpiration is a latency in milliseconds, not -1"),
        (
            {"Periods": [{"Unit": "DAYS", "Value": 1}]},
            "EventTriggerLimits.Periods[0]: set either MaxInvocationsPerProfile or Unlimited: true",
        ),
        (
            {"Periods": [{"Unit": "DAYS", "Value": 1, "Unlimited": True, "MaxInvocationsPerProfile": 3}]},
            "EventTriggerLimits.Periods[0]: set either MaxInvocationsPerProfile or Unlimited: true",
        ),
    ],
)
def test_limits_are_checked(client: Any, orders: str, limits: dict[str, Any], message: str) -> None:
    with bad_request(message):
        create(client, EventTriggerLimits=limits)


def test_the_model_constraints_are_enforced_by_the_server(raw_client: Any, orders: str) -> None:
    bad = condition([attribute("GREATER_THAN", "1")], operator="XOR")
    with pytest.raises(raw_client.exceptions.BadRequestException, match="Member must satisfy enum value set"):
        create(raw_client, bad)
    too_many = [condition([attribute("GREATER_THAN", "1")])] * 6
    with pytest.raises(raw_client.exceptions.BadRequestException, match="Member must have length less than or equal"):
        create(raw_client, *too_many)
    with pytest.raises(raw_client.exceptions.BadRequestException, match="Member must have value less than or equal"):
        create(raw_client, EventTriggerLimits={"Periods": [{"Unit": "DAYS", "Value": 61, "Unlimited": True}]})


def test_update_checks_the_result_before_changing_anything(client: Any, orders: str) -> None:
    create(client)
    with bad_request(
        "EventTriggerConditions[0].EventTriggerDimensions[0].ObjectAttributes[0]: FieldName price is not a field "
        "of object type Order"
    ):
        client.update_event_trigger(
            DomainName="acme",
            EventTriggerName="big",
            EventTriggerConditions=[condition([attribute("EQUAL", "1", name="price")])],
        )
    got = client.get_event_trigger(DomainName="acme", EventTriggerName="big")
    assert got["EventTriggerConditions"] == [condition([attribute("GREATER_THAN", "100")])]


# --------------------------------------------------------------------------------------- evaluation


def test_a_trigger_fires_through_its_integration_when_an_object_meets_it(
    mock: CustomerProfilesMock, client: Any, orders: str
) -> None:
    create(client)
    ingest(client, 1, total=500)  # no integration yet: nothing to invoke
    wire(client, "big")
    unique = ingest(client, 2, total=150)
    ingest(client, 3, total=50)
    ingest(client, 4, status="no total")
    (invocation,) = mock.event_trigger_invocations()
    pid = client.search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])["Items"][0][
        "ProfileId"
    ]
    assert (
        invocation.event_trigger_name,
        invocation.domain_name,
        invocation.integration_uri,
        invocation.profile_id,
        invocation.object_type_name,
        invocation.profile_object_unique_key,
        invocation.object,
    ) == ("big", "acme", CAMPAIGN, pid, "Order", unique, {"id": "O-2", "email": "ana@example.com", "total": 150})
    assert abs(invocation.invoked_at - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=1)
    assert mock.effects("EventTriggerInvocation") == [invocation]


def test_conditions_are_or_dimensions_follow_the_operator_attributes_are_and(
    mock: CustomerProfilesMock, client: Any, orders: str
) -> None:
    gold = [attribute("EQUAL", "1", source=True, name="gold")]
    big = [attribute("GREATER_THAN", "100"), attribute("INCLUSIVE", "paid", name="status")]
    create(client, condition(big, gold, operator="ALL"), name="all")
    create(client, condition(big, gold, operator="ANY"), name="any")
    create(client, condition(big, gold, operator="NONE"), name="none")
    create(client, condition(gold), condition([attribute("BEGINS_WITH", "ref", name="status")]), name="or")
    for n, name in enumerate(("all", "any", "none", "or")):
        wire(client, name, uri=f"{CAMPAIGN}-{n}")
    ingest(client, 1, total=500, status="paid", gold=1)  # both dimensions
    ingest(client, 2, total=500, status="open", gold=1)  # gold only
    ingest(client, 3, total=500, status="paid")  # big only
    ingest(client, 4, total=5, status="refunded")  # neither
    assert fired(mock, "all") == ["O-1"]
    assert fired(mock, "any") == ["O-1", "O-2", "O-3"]
    assert fired(mock, "none") == ["O-4"]
    assert fired(mock, "or") == ["O-1", "O-2", "O-4"]


@pytest.mark.parametrize(
    ("operator", "values", "expected"),
    [
        ("INCLUSIVE", ["red"], ["O-1", "O-3"]),
        ("INCLUSIVE", ["red", "blue"], ["O-3"]),  # "includes all the specified values"
        ("EXCLUSIVE", ["red", "blue"], ["O-1", "O-2", "O-4"]),  # "does not contain all the specified values"
        ("CONTAINS", ["ee"], ["O-2"]),
        ("BEGINS_WITH", ["bl", "gr"], ["O-2", "O-3"]),
        ("ENDS_WITH", ["d"], ["O-1", "O-3"]),
    ],
)
def test_text_operators(
    mock: CustomerProfilesMock, client: Any, orders: str, operator: str, values: list[str], expected: list[str]
) -> None:
    create(client, condition([attribute(operator, *values, name="tags", source=True)]))
    wire(client, "big")
    for n, tags in enumerate([["red"], ["green"], ["red", "blue"], "BLUE"], start=1):
        ingest(client, n, tags=tags)
    ingest(client, 5)  # no tags: meets no operator
    assert fired(mock) == expected


@pytest.mark.parametrize(
    ("operator", "values", "expected"),
    [
        ("EQUAL", ["100"], ["O-2"]),
        ("GREATER_THAN_OR_EQUAL", ["100"], ["O-2", "O-3"]),
        ("LESS_THAN", ["100"], ["O-1"]),
        ("LESS_THAN_OR_EQUAL", ["100.0"], ["O-1", "O-2"]),
        ("BETWEEN", ["50", "100"], ["O-2"]),
        ("NOT_BETWEEN", ["50", "100"], ["O-1", "O-3"]),
    ],
)
def test_number_operators(
    mock: CustomerProfilesMock, client: Any, orders: str, operator: str, values: list[str], expected: list[str]
) -> None:
    create(client, condition([attribute(operator, *values)]))
    wire(client, "big")
    for n, total in enumerate([9.5, 100, "250", "n/a"], start=1):
        ingest(client, n, total=total)
    assert fired(mock) == expected


@pytest.mark.parametrize(
    ("operator", "values", "expected"),
    [
        ("BEFORE", ["2024-03-01"], ["O-1"]),
        ("AFTER", ["2024-03-01T12:00:00Z"], ["O-3"]),
        ("ON", ["2024-03-01"], ["O-2"]),
        ("BETWEEN", ["2024-02-01", "2024-03-02"], ["O-2"]),
        ("NOT_BETWEEN", ["2024-02-01", "2024-03-02"], ["O-1", "O-3"]),
    ],
)
def test_date_operators(
    mock: CustomerProfilesMock, client: Any, orders: str, operator: str, values: list[str], expected: list[str]
) -> None:
    create(client, condition([attribute(operator, *values, name="placed.at", source=True)]))
    wire(client, "big")
    for n, at in enumerate(["2024-01-15", "2024-03-01T08:00:00Z", "2024-05-01T00:00:00+02:00", "soon"], start=1):
        ingest(client, n, placed={"at": at})
    assert fired(mock) == expected


def test_periods_cap_invocations_per_profile(mock: CustomerProfilesMock, client: Any, orders: str) -> None:
    limits = {
        "Periods": [
            {"Unit": "HOURS", "Value": 1, "MaxInvocationsPerProfile": 2},
            {"Unit": "MONTHS", "Value": 1, "Unlimited": True},
        ]
    }
    create(client, EventTriggerLimits=limits)
    wire(client, "big")
    for n in range(1, 5):
        ingest(client, n, total=500)
    ingest(client, 5, email="bo@example.com", total=500)
    assert fired(mock) == ["O-1", "O-2", "O-5"]


def test_only_objects_of_the_triggers_type_are_evaluated(mock: CustomerProfilesMock, client: Any, orders: str) -> None:
    put_type(client, "Refund", {"id": field("id"), "total": field("total")}, {"refundId": key("id", ids=("UNIQUE",))})
    create(client)
    wire(client, "big")
    put_object(client, "Refund", {"id": "R-1", "total": 900})
    client.create_profile(DomainName="acme", FirstName="Ana")
    assert fired(mock) == []


def test_a_field_removed_from_the_type_meets_nothing(mock: CustomerProfilesMock, client: Any, orders: str) -> None:
    create(client)
    wire(client, "big")
    put_type(client, "Order", {"id": field("id")}, {"orderId": key("id", ids=("UNIQUE",))}, allow=True)
    put_object(client, "Order", {"id": "O-1", "total": 900})
    assert fired(mock) == []


def test_seed_documents_declare_triggers_before_integrations(mock: CustomerProfilesMock, client: Any) -> None:
    mock.load(
        {
            "domains": [
                {
                    "DomainName": "acme",
                    "objectTypes": [
                        {
                            "ObjectTypeName": "Order",
                            "Description": "orders",
                            "AllowProfileCreation": True,
                            "Fields": {"id": field("id"), "total": field("total")},
                            "Keys": {"orderId": key("id", ids=("UNIQUE",))},
                        }
                    ],
                    "objects": [{"ObjectTypeName": "Order", "Object": {"id": "O-0", "total": 900}}],
                    "eventTriggers": [
                        {
                            "EventTriggerName": "big",
                            "ObjectTypeName": "Order",
                            "EventTriggerConditions": [condition([attribute("GREATER_THAN", "100")])],
                        }
                    ],
                    "integrations": [{"Uri": CAMPAIGN, "ObjectTypeName": "Order", "EventTriggerNames": ["big"]}],
                }
            ]
        }
    )
    put_object(client, "Order", {"id": "O-1", "total": 900})
    assert fired(mock) == ["O-1"]


def test_sources_read_booleans_list_items_and_nested_paths(
    mock: CustomerProfilesMock, client: Any, orders: str
) -> None:
    vip = [attribute("INCLUSIVE", "true", name="vip", source=True)]
    first_sku = [attribute("BEGINS_WITH", "SKU-9", name="lines.0.sku", source=True)]
    create(client, condition(vip), condition(first_sku))
    wire(client, "big")
    ingest(client, 1, vip=True)
    ingest(client, 2, vip=False, lines=[{"sku": "SKU-1"}, {"sku": "SKU-9"}])
    ingest(client, 3, lines=[{"sku": "SKU-90"}])
    ingest(client, 4, vip=None, lines={"0": {"sku": "SKU-9"}})  # a map is not a list: "0" is a key here
    ingest(client, 5, lines=[])
    assert fired(mock) == ["O-1", "O-3", "O-4"]


def _gold_segment(client: Any) -> None:
    gold = {"ProfileAttributes": {"Attributes": {"tier": {"DimensionType": "INCLUSIVE", "Values": ["gold"]}}}}
    client.create_segment_definition(
        DomainName="acme",
        SegmentDefinitionName="gold",
        DisplayName="gold members",
        SegmentGroups={"Groups": [{"Dimensions": [gold]}]},
    )


def test_the_segment_filter_must_name_a_segment_definition(client: Any, orders: str) -> None:
    with bad_request("Segment definition gold not found in domain acme"):
        create(client, SegmentFilter="gold")
    _gold_segment(client)
    assert create(client, SegmentFilter="gold")["SegmentFilter"] == "gold"
    with bad_request("Segment definition silver not found in domain acme"):
        client.update_event_trigger(DomainName="acme", EventTriggerName="big", SegmentFilter="silver")


def test_a_segment_filter_restricts_firing_to_its_members(mock: CustomerProfilesMock, client: Any, orders: str) -> None:
    _gold_segment(client)
    client.create_profile(DomainName="acme", EmailAddress="ana@example.com", Attributes={"tier": "gold"})
    client.create_profile(DomainName="acme", EmailAddress="bo@example.com", Attributes={"tier": "silver"})
    create(client, SegmentFilter="gold")
    wire(client, "big")
    ingest(client, 1, total=500)
    ingest(client, 2, email="bo@example.com", total=500)
    ingest(client, 3, email="new@example.com", total=500)  # a new profile: in no segment
    assert fired(mock) == ["O-1"]


def test_a_segment_a_trigger_filters_on_cannot_be_deleted(client: Any, orders: str) -> None:
    _gold_segment(client)
    create(client, SegmentFilter="gold")
    with bad_request(
        "Segment definition gold is the SegmentFilter of event trigger(s) big: update or delete them first"
    ):
        client.delete_segment_definition(DomainName="acme", SegmentDefinitionName="gold")
    client.delete_event_trigger(DomainName="acme", EventTriggerName="big")
    client.delete_segment_definition(DomainName="acme", SegmentDefinitionName="gold")
