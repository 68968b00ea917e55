"""Calculated attributes through boto3: definitions, their lifecycle, and values per profile.

Expected values are worked out by hand in each test from the rules in the docs page
(docs/families/calculated-attributes.md); the randomised comparison with an independent evaluator is
tests/robust/test_calculated_oracle.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError
from model_support import model_has, modelled, needs, unless_model_accepts

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles

DOMAIN = "acme"
Put = Callable[..., str]
CREATE = "CreateCalculatedAttributeDefinition"


def _order_type(client: Any, name: str = "Order") -> None:
    client.put_profile_object_type(
        DomainName=DOMAIN,
        ObjectTypeName=name,
        Description="Orders",
        AllowProfileCreation=True,
        Fields={
            "orderNo": {"Source": "_source.orderNo"},
            "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
            "price": {"Source": "_source.price"},
            "qty": {"Source": "_source.qty"},
            "channel": {"Source": "_source.channel"},
            "placed": {"Source": "_source.placed.at"},
        },
        Keys={
            "orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderNo"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )


@pytest.fixture
def orders(client: Any, domain: str) -> Put:
    """``put(orderNo, email="a@x.com", **fields) -> profile id``: ingest one Order object."""
    _order_type(client)

    def put(order_no: str, email: str = "a@x.com", **fields: Any) -> str:
        client.put_profile_object(
            DomainName=DOMAIN,
            ObjectTypeName="Order",
            Object=json.dumps({"orderNo": order_no, "email": email, **fields}),
        )
        found = client.search_profiles(DomainName=DOMAIN, KeyName="_email", Values=[email])["Items"]
        return str(found[0]["ProfileId"])

    return put


def define(client: Any, name: str = "attr", expression: str = "{Order.price}", **extra: Any) -> dict[str, Any]:
    names = dict.fromkeys(re.findall(r"\{[^.{}]+\.([^{}]+)\}", expression))
    attributes = [{"Name": name} for name in names]
    params: dict[str, Any] = {
        "DomainName": DOMAIN,
        "CalculatedAttributeName": name,
        "AttributeDetails": {"Attributes": attributes, "Expression": expression},
        "Statistic": "SUM",
        **extra,
    }
    return dict(client.create_calculated_attribute_definition(**params))


def value(client: Any, profile_id: str, name: str = "attr") -> dict[str, Any]:
    out = client.get_calculated_attribute_for_profile(
        DomainName=DOMAIN, ProfileId=profile_id, CalculatedAttributeName=name
    )
    out.pop("ResponseMetadata")
    return dict(out)


def error(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


# ------------------------------------------------------------------------------------------ definitions


def test_create_get_list_update_delete(client: Any, orders: Put) -> None:
    # Filter, Status and Readiness are newer than botocore 1.34: on a model without them the rest still runs.
    created = define(
        client,
        DisplayName="Total spent",
        Description="Sum of order prices",
        Conditions={"ObjectCount": 10},
        **modelled(
            CREATE,
            {
                "Filter": {
                    "Include": "ALL",
                    "Groups": [
                        {
                            "Type": "ALL",
                            "Dimensions": [
                                {"Attributes": {"channel": {"DimensionType": "INCLUSIVE", "Values": ["web"]}}}
                            ],
                        }
                    ],
                }
            },
        ),
        Tags={"team": "crm"},
    )
    assert created["Statistic"] == "SUM"
    assert created["AttributeDetails"] == {"Attributes": [{"Name": "price"}], "Expression": "{Order.price}"}
    assert created["Tags"] == {"team": "crm"}
    progress = modelled(CREATE, {"Status": "PREPARING", "Readiness": {"ProgressPercentage": 0}}, output=True)
    assert {name: created.get(name) for name in progress} == progress

    got = client.get_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="attr")
    if model_has(CREATE, "Filter"):
        assert got["Filter"]["Groups"][0]["Dimensions"][0]["Attributes"]["channel"]["Values"] == ["web"]
    assert got["Conditions"] == {"ObjectCount": 10}

    items = client.list_calculated_attribute_definitions(DomainName=DOMAIN)["Items"]
    assert [item["CalculatedAttributeName"] for item in items] == ["attr"]
    listed = ("CalculatedAttributeName", "DisplayName", "Description", "CreatedAt", "LastUpdatedAt", "Status", "Tags")
    assert set(items[0]) == {
        name for name in listed if model_has("ListCalculatedAttributeDefinitions", "Items", name, output=True)
    }

    updated = client.update_calculated_attribute_definition(
        DomainName=DOMAIN, CalculatedAttributeName="attr", DisplayName="Spend", Conditions={"ObjectCount": 2}
    )
    assert updated["DisplayName"] == "Spend"
    assert updated["Description"] == "Sum of order prices"
    assert updated["Conditions"] == {"ObjectCount": 2}
    assert "Filter" not in updated  # the Update response shape has no Filter

    assert (
        client.delete_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="attr")[
            "ResponseMetadata"
        ]["HTTPStatusCode"]
        == 200
    )
    assert client.list_calculated_attribute_definitions(DomainName=DOMAIN)["Items"] == []
    code, message = error(
        lambda: client.get_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="attr")
    )
    assert (code, message) == (
        "ResourceNotFoundException",
        "Calculated attribute definition attr not found in domain acme",
    )


def test_list_definitions_pages_by_name(client: Any, orders: Put) -> None:
    for name in ("c", "a", "b"):
        define(client, name)
    first = client.list_calculated_attribute_definitions(DomainName=DOMAIN, MaxResults=2)
    assert [item["CalculatedAttributeName"] for item in first["Items"]] == ["a", "b"]
    rest = client.list_calculated_attribute_definitions(DomainName=DOMAIN, MaxResults=2, NextToken=first["NextToken"])
    assert [item["CalculatedAttributeName"] for item in rest["Items"]] == ["c"]
    assert "NextToken" not in rest


def test_duplicate_name_uses_the_service_message(client: Any, orders: Put) -> None:
    define(client)
    assert error(lambda: define(client)) == (
        "BadRequestException",
        "Calculated attribute definition with name attr already exists",
    )


@pytest.mark.parametrize(
    ("expression", "attributes", "message"),
    [
        ("{Nope.price}", ["price"], "Object type Nope of the expression does not exist in domain acme"),
        ("{Order.price}", ["qty"], "Attributes (qty) must name exactly the attributes of the Expression (price)"),
        pytest.param(
            "{Order.price} + {Order.qty} + {Order.channel}",
            ["price", "qty", "channel"],
            "A calculated attribute can reference at most 2 attributes of its object type",
            marks=unless_model_accepts(
                CREATE,
                "AttributeDetails",
                {
                    "Attributes": [{"Name": "price"}, {"Name": "qty"}, {"Name": "channel"}],
                    "Expression": "{Order.price} + {Order.qty} + {Order.channel}",
                },
            ),
        ),
        (
            "{Order.price} + {Other.qty}",
            ["price", "qty"],
            "Expression '{Order.price} + {Other.qty}' is not valid: a calculated attribute can only reference one "
            "object type, not Order, Other",
        ),
        (
            "{Order.price} +",
            ["price"],
            "Expression '{Order.price} +' is not valid: it ends where an attribute or a number is expected",
        ),
        ("({Order.price}", ["price"], "Expression '({Order.price}' is not valid: a parenthesis is not closed"),
        (
            "{Order.price} {Order.qty}",
            ["price", "qty"],
            "Expression '{Order.price} {Order.qty}' is not valid: unexpected '{Order.qty}'",
        ),
        ("{Order}", ["price"], "Expression '{Order}' is not valid: {Order} is not {ObjectTypeName.AttributeName}"),
        (
            "price % 2",
            ["price"],
            "Expression 'price % 2' is not valid: each element must be {ObjectTypeName.AttributeName}, a number, "
            "an operator (+ - * /) or a parenthesis",
        ),
        ("1 + 2", ["price"], "Expression '1 + 2' is not valid: it names no attribute ({ObjectTypeName.AttributeName})"),
        (
            "* {Order.price}",
            ["price"],
            "Expression '* {Order.price}' is not valid: '*' where an attribute or a number is expected",
        ),
    ],
)
def test_attribute_details_are_checked(
    client: Any, orders: Put, expression: str, attributes: list[str], message: str
) -> None:
    call = lambda: client.create_calculated_attribute_definition(  # noqa: E731
        DomainName=DOMAIN,
        CalculatedAttributeName="attr",
        AttributeDetails={"Attributes": [{"Name": name} for name in attributes], "Expression": expression},
        Statistic="SUM",
    )
    assert error(call) == ("BadRequestException", message)
    assert client.list_calculated_attribute_definitions(DomainName=DOMAIN)["Items"] == []


CONDITIONS_CHECKED = [
    ({"Range": {"Value": 30}}, "Range needs a Unit (DAYS)"),
    ({"Range": {"Unit": "DAYS"}}, "Range needs a Value or a ValueRange"),
    ({"Range": {"Value": 0, "Unit": "DAYS"}}, "Range Value must be between 1 and 366 days, not 0"),
    ({"Range": {"Value": 367, "Unit": "DAYS"}}, "Range Value must be between 1 and 366 days, not 367"),
    (
        {"Range": {"Unit": "DAYS", "ValueRange": {"Start": 1, "End": 5}}},
        "ValueRange Start (1) must not be less than End (5): positive numbers are days in the past, "
        "negative numbers days in the future",
    ),
    (
        {"Range": {"Value": 3, "Unit": "DAYS", "TimestampFormat": "ISO_8601"}},
        "TimestampFormat needs a TimestampSource (the field it reads)",
    ),
    (
        {"Range": {"Value": 3, "Unit": "DAYS", "TimestampSource": "{Order.placed}", "TimestampFormat": "RFC"}},
        "TimestampFormat must be one of EPOCHMILLI, ISO_8601, not 'RFC'",
    ),
    (
        {"Range": {"Value": 3, "Unit": "DAYS", "TimestampSource": "placed", "TimestampFormat": "ISO_8601"}},
        "TimestampSource 'placed' is not {ObjectTypeName.<path of the timestamp field>}",
    ),
    (
        {"Range": {"Value": 3, "Unit": "DAYS", "TimestampSource": "{Other.placed}", "TimestampFormat": "ISO_8601"}},
        "TimestampSource '{Other.placed}' names object type Other, but the expression uses Order",
    ),
    ({"ObjectCount": 301}, "ObjectCount must be between 1 and 300, not 301"),
]


# botocore 1.34's model requires Range's Unit and Value, bounds Value to 1..366 and ObjectCount to 1..100:
# there it refuses those cases itself, before the mock's own check, and knows no TimestampFormat or ValueRange.
@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        pytest.param(conditions, message, marks=unless_model_accepts(CREATE, "Conditions", conditions))
        for conditions, message in CONDITIONS_CHECKED
    ],
)
def test_conditions_are_checked_on_create_and_update(
    client: Any, orders: Put, conditions: dict[str, Any], message: str
) -> None:
    assert error(lambda: define(client, Conditions=conditions)) == ("BadRequestException", message)
    define(client)
    call = lambda: client.update_calculated_attribute_definition(  # noqa: E731
        DomainName=DOMAIN, CalculatedAttributeName="attr", Conditions=conditions
    )
    assert error(call) == ("BadRequestException", message)


@pytest.mark.parametrize(
    ("dimension", "message"),
    [
        (
            {"DimensionType": "GREATER_THAN", "Values": ["ten"]},
            "Filter attribute price: GREATER_THAN compares numbers, and 'ten' is not a number",
        ),
        (
            {"DimensionType": "BETWEEN", "Values": ["2024-01-01"]},
            "Filter attribute price: BETWEEN takes 2 value(s), not 1",
        ),
        (
            {"DimensionType": "BEFORE", "Values": ["yesterday"]},
            "Filter attribute price: BEFORE compares dates, and 'yesterday' is not an ISO 8601 date",
        ),
    ],
)
def test_filter_values_are_checked(client: Any, orders: Put, dimension: dict[str, Any], message: str) -> None:
    flt = {"Include": "ALL", "Groups": [{"Type": "ALL", "Dimensions": [{"Attributes": {"price": dimension}}]}]}
    assert error(lambda: define(client, Filter=flt)) == ("BadRequestException", message)


def test_empty_filter_dimension_is_rejected(client: Any, orders: Put) -> None:
    flt = {"Include": "ALL", "Groups": [{"Type": "ALL", "Dimensions": [{"Attributes": {}}]}]}
    assert error(lambda: define(client, Filter=flt)) == (
        "BadRequestException",
        "A Filter dimension needs at least one attribute",
    )


def test_unknown_domain_definition_and_profile(client: Any, orders: Put) -> None:
    pid = orders("O1", price=1)
    assert (
        error(lambda: client.list_calculated_attribute_definitions(DomainName="nope"))[0] == "ResourceNotFoundException"
    )
    assert error(lambda: value(client, pid, "missing")) == (
        "ResourceNotFoundException",
        "Calculated attribute definition missing not found in domain acme",
    )
    define(client)
    assert error(lambda: value(client, "0" * 32))[0] == "ResourceNotFoundException"
    assert (
        error(
            lambda: client.update_calculated_attribute_definition(
                DomainName=DOMAIN, CalculatedAttributeName="nope", DisplayName="x"
            )
        )[0]
        == "ResourceNotFoundException"
    )
    assert error(
        lambda: client.delete_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="nope")
    )[0] == ("ResourceNotFoundException")


def test_the_number_of_definitions_per_domain_is_capped(client: Any, orders: Put) -> None:
    for index in range(50):
        define(client, f"a{index}")
    assert error(lambda: define(client, "one_more")) == (
        "BadRequestException",
        "Domain acme already has the maximum of 50 calculated attribute definitions",
    )


# ------------------------------------------------------------------------------------------ lifecycle


@needs("GetCalculatedAttributeDefinition", "Status", output=True)
def test_status_steps_from_preparing_to_completed(client: Any, orders: Put) -> None:
    assert define(client)["Status"] == "PREPARING"
    first = client.get_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="attr")
    assert (first["Status"], first["Readiness"]) == ("PREPARING", {"ProgressPercentage": 0})
    second = client.get_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="attr")
    assert (second["Status"], second["Readiness"]) == ("COMPLETED", {"ProgressPercentage": 100})


@needs("GetCalculatedAttributeDefinition", "Status", output=True)
def test_instant_manual_and_failed_definitions() -> None:
    with mock_customer_profiles(lifecycle="instant"):
        client = boto3.client("customer-profiles", region_name="us-east-1")
        client.create_domain(DomainName=DOMAIN, DefaultExpirationDays=30)
        _order_type(client)
        assert define(client)["Status"] == "COMPLETED"
    with mock_customer_profiles(lifecycle="manual") as cp:
        client = boto3.client("customer-profiles", region_name="us-east-1")
        client.create_domain(DomainName=DOMAIN, DefaultExpirationDays=30)
        _order_type(client)
        define(client)
        for _ in range(3):
            assert (
                client.get_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="attr")["Status"]
                == "PREPARING"
            )
        assert cp.settle("CalculatedAttributeDefinition") == 1
        assert (
            client.get_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="attr")["Status"]
            == "COMPLETED"
        )
        cp.fail_next("CalculatedAttributeDefinition", "The object type has no data")
        define(client, "broken")
        cp.settle()
        got = client.get_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="broken")
        assert got["Status"] == "FAILED"
        assert got["Readiness"] == {"ProgressPercentage": 0, "Message": "The object type has no data"}
        define(client, "pending")
        client.delete_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="pending")
        assert cp.settle() == 0  # a deleted definition's run is forgotten


def test_historical_data_counts_only_once_indexed(client: Any, orders: Put) -> None:
    pid = orders("O1", price=5)
    define(client, "new_only")
    define(client, "with_history", UseHistoricalData=True)
    orders("O2", price=7)
    assert value(client, pid, "new_only")["Value"] == "7"  # objects ingested before creation never count
    early = value(client, pid, "with_history")  # first read: still PREPARING, history not indexed yet
    assert (early["Value"], early["IsDataPartial"]) == ("7", "true")
    late = value(client, pid, "with_history")
    assert (late["Value"], late["IsDataPartial"]) == ("12", "false")


# ---------------------------------------------------------------------------------------------- values


def _stat(
    client: Any, orders: Put, statistic: str, prices: list[Any], expression: str = "{Order.price}"
) -> dict[str, Any]:
    define(client, expression=expression, Statistic=statistic)
    pid = ""
    for index, price in enumerate(prices):
        pid = orders(f"O{index}", price=price, qty=index + 1, channel=str(price))
    return value(client, pid)


@pytest.mark.parametrize(
    ("statistic", "expected"),
    [
        ("SUM", "16.5"),
        ("AVERAGE", "5.5"),
        ("MINIMUM", "2.5"),
        ("MAXIMUM", "10"),
        ("COUNT", "4"),  # every object with a value counts, the text one too
        ("FIRST_OCCURRENCE", "10"),
        ("LAST_OCCURRENCE", "n/a"),
    ],
)
def test_statistics(client: Any, orders: Put, statistic: str, expected: str) -> None:
    got = _stat(client, orders, statistic, [10, 2.5, 4, "n/a"])
    assert got["Value"] == expected
    assert got["IsDataPartial"] == "false"
    if model_has("GetCalculatedAttributeForProfile", "LastObjectTimestamp", output=True):  # newer than botocore 1.34
        assert isinstance(got["LastObjectTimestamp"], dt.datetime)


def test_sum_is_exact_in_decimal_and_average_is_the_shortest_decimal(client: Any, orders: Put) -> None:
    assert _stat(client, orders, "SUM", [12.1, 13.2])["Value"] == "25.3"
    client.delete_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="attr")
    define(client, Statistic="AVERAGE")
    pid = orders("O9", price=1)
    orders("O10", price=0)
    orders("O11", price=1)
    assert value(client, pid)["Value"] == "0.6666666666666666"


def test_max_occurrence_breaks_ties_by_the_most_recent(client: Any, orders: Put) -> None:
    define(client, expression="{Order.channel}", Statistic="MAX_OCCURRENCE")
    pid = ""
    for index, channel in enumerate(["voice", "chat", "chat", "voice", "web"]):
        pid = orders(f"O{index}", channel=channel)
    assert value(client, pid)["Value"] == "voice"


def test_recent_occurrences_lists_values_newest_first(client: Any, orders: Put) -> None:
    define(client, expression="{Order.channel}", Statistic="RECENT_OCCURRENCES", Conditions={"ObjectCount": 2})
    pid = ""
    for index, channel in enumerate(["voice", "chat", "web"]):
        pid = orders(f"O{index}", channel=channel)
    assert value(client, pid)["Value"] == '["web", "chat"]'


def test_recent_occurrences_keeps_within_255_characters(client: Any, orders: Put) -> None:
    define(client, expression="{Order.channel}", Statistic="RECENT_OCCURRENCES")
    pid = ""
    for index in range(5):
        pid = orders(f"O{index}", channel=str(index) * 100)
    assert value(client, pid)["Value"] == json.dumps(["4" * 100, "3" * 100])


def test_long_text_values_are_clipped_to_255(client: Any, orders: Put) -> None:
    define(client, expression="{Order.channel}", Statistic="LAST_OCCURRENCE")
    pid = orders("O1", channel="x" * 300)
    assert value(client, pid)["Value"] == "x" * 255


def test_expressions_over_two_attributes(client: Any, orders: Put) -> None:
    define(client, "spend", "{Order.price} * {Order.qty}", Statistic="SUM")
    define(client, "ratio", "({Order.price} - 1) / {Order.qty}", Statistic="MAXIMUM")
    pid = orders("O1", price=10, qty=2)
    orders("O2", price=3, qty=0)  # division by zero: O2 gives "ratio" no value
    orders("O3", price="free", qty=1)  # not a number: no value for either
    orders("O4", price=1.5, qty=4)
    assert value(client, pid, "spend")["Value"] == "26"
    assert value(client, pid, "ratio")["Value"] == "4.5"


def test_threshold_turns_the_value_into_true_or_false(client: Any, orders: Put) -> None:
    for name, operator, limit in [
        ("gt", "GREATER_THAN", "20"),
        ("lt", "LESS_THAN", "20"),
        ("eq", "EQUAL_TO", "25.0"),
        ("ne", "NOT_EQUAL_TO", "25"),
    ]:
        define(client, name, Conditions={"Threshold": {"Value": limit, "Operator": operator}})
    define(
        client,
        "text",
        "{Order.channel}",
        Statistic="LAST_OCCURRENCE",
        Conditions={"Threshold": {"Value": "voice", "Operator": "GREATER_THAN"}},
    )
    pid = orders("O1", price=20, channel="web")
    orders("O2", price=5, channel="web")
    got = {name: value(client, pid, name)["Value"] for name in ("gt", "lt", "eq", "ne", "text")}
    assert got == {"gt": "true", "lt": "false", "eq": "true", "ne": "false", "text": "true"}


def test_object_count_takes_the_newest_and_marks_partial_data(client: Any, orders: Put) -> None:
    define(client, Conditions={"ObjectCount": 3})
    pid = orders("O1", price=1)
    orders("O2", price=10)
    assert value(client, pid)["IsDataPartial"] == "true"  # fewer than 3 objects yet
    orders("O3", price=100)
    orders("O4", price=1000)
    got = value(client, pid)
    assert (got["Value"], got["IsDataPartial"]) == ("1110", "false")


def test_a_profile_without_data_gets_no_value(client: Any, orders: Put, make_profile: Callable[..., str]) -> None:
    define(client, DisplayName="Spend")
    pid = make_profile(FirstName="Ana")
    assert value(client, pid) == {"CalculatedAttributeName": "attr", "DisplayName": "Spend", "IsDataPartial": "false"}
    assert client.list_calculated_attributes_for_profile(DomainName=DOMAIN, ProfileId=pid)["Items"] == []


def test_range_by_timestamp_source(client: Any, orders: Put) -> None:
    today = dt.datetime.now(dt.timezone.utc)
    iso = lambda days: (today - dt.timedelta(days=days)).isoformat()  # noqa: E731
    millis = lambda days: int((today - dt.timedelta(days=days)).timestamp() * 1000)  # noqa: E731
    span = {"Unit": "DAYS", "TimestampSource": "{Order.placed}"}
    define(
        client,
        "iso",
        Conditions={"Range": {**span, "Value": 30, "TimestampFormat": "ISO_8601"}},
        UseHistoricalData=True,
    )
    define(
        client,
        "epoch",
        Conditions={"Range": {**span, "Value": 30, "TimestampFormat": "EPOCHMILLI"}},
        UseHistoricalData=True,
    )
    define(
        client,
        "window",
        Conditions={"Range": {**span, "ValueRange": {"Start": 10, "End": -5}, "TimestampFormat": "ISO_8601"}},
    )
    pid = orders("O1", price=1, placed={"at": iso(3)})
    orders("O2", price=10, placed={"at": iso(40)})  # too old for every range
    orders("O3", price=100, placed={"at": iso(-3)})  # in the future: only the ValueRange reaches it
    orders("O4", price=1000, placed={"at": "not a date"})  # no timestamp: left out of every range
    orders("O5", price=10000, placed={"at": iso(20)})
    assert value(client, pid, "iso")["Value"] == "10001"
    assert value(client, pid, "window")["Value"] == "101"
    orders("O6", price=3, placed={"at": millis(2)})
    orders("O7", price=30, placed={"at": millis(31)})
    orders("O8", price=300, placed={"at": str(millis(1) // 1000)})  # seconds are accepted too
    assert value(client, pid, "epoch")["Value"] == "303"
    first = value(client, pid, "iso")
    assert first["IsDataPartial"] == "true"  # created today: 30 days of data are not covered yet
    assert first["LastObjectTimestamp"] == dt.datetime.fromisoformat(iso(3))


def test_range_by_ingestion_time_follows_the_clock(mock: CustomerProfilesMock, client: Any, orders: Put) -> None:
    start = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    with time_machine.travel(start, tick=False) as traveller:
        define(client, Conditions={"Range": {"Value": 7, "Unit": "DAYS"}})
        pid = orders("O1", price=1)
        traveller.shift(dt.timedelta(days=5))
        orders("O2", price=10)
        got = value(client, pid)
        assert (got["Value"], got["IsDataPartial"]) == ("11", "true")
        traveller.shift(dt.timedelta(days=3))  # O1 is 8 days old now, and the definition has 7 days of data
        got = value(client, pid)
        assert (got["Value"], got["IsDataPartial"]) == ("10", "false")
        traveller.shift(dt.timedelta(days=10))
        got = value(client, pid)
        assert "Value" not in got
        assert got["IsDataPartial"] == "false"


def test_filter_groups_and_dimensions(client: Any, orders: Put) -> None:
    web_or_chat = {"channel": {"DimensionType": "INCLUSIVE", "Values": ["web", "chat"]}}
    pricey = {"price": {"DimensionType": "GREATER_THAN", "Values": ["10"]}}
    define(
        client,
        "any",
        Filter={
            "Include": "ANY",
            "Groups": [
                {"Type": "ALL", "Dimensions": [{"Attributes": web_or_chat}]},
                {"Type": "ANY", "Dimensions": [{"Attributes": pricey}]},
            ],
        },
    )
    define(
        client,
        "both",
        Filter={
            "Include": "ALL",
            "Groups": [{"Type": "ALL", "Dimensions": [{"Attributes": {**web_or_chat, **pricey}}]}],
        },
    )
    define(
        client,
        "none",
        Filter={"Include": "NONE", "Groups": [{"Type": "ALL", "Dimensions": [{"Attributes": web_or_chat}]}]},
    )
    define(
        client,
        "group_none",
        Filter={
            "Include": "ALL",
            "Groups": [{"Type": "NONE", "Dimensions": [{"Attributes": pricey}, {"Attributes": web_or_chat}]}],
        },
    )
    pid = orders("O1", price=5, channel="web")
    orders("O2", price=50, channel="voice")
    orders("O3", price=500, channel="chat")
    orders("O4", price=5000, channel="Web")  # values are case-sensitive
    got = {name: value(client, pid, name)["Value"] for name in ("any", "both", "none")}
    assert got == {"any": "5555", "both": "500", "none": "5050"}
    assert "Value" not in value(client, pid, "group_none")


def test_values_follow_deletion_replacement_and_merge(client: Any, orders: Put) -> None:
    define(client)
    ana = orders("O1", price=1)
    orders("O2", price=10)
    bo = orders("O3", email="bo@x.com", price=100)
    orders("O1", price=2)  # the same UNIQUE value: the object is replaced
    assert value(client, ana)["Value"] == "12"
    listed = client.list_profile_objects(DomainName=DOMAIN, ObjectTypeName="Order", ProfileId=ana)["Items"]
    o2 = next(item for item in listed if json.loads(item["Object"])["orderNo"] == "O2")
    client.delete_profile_object(
        DomainName=DOMAIN, ObjectTypeName="Order", ProfileId=ana, ProfileObjectUniqueKey=o2["ProfileObjectUniqueKey"]
    )
    assert value(client, ana)["Value"] == "2"
    client.merge_profiles(DomainName=DOMAIN, MainProfileId=ana, ProfileIdsToBeMerged=[bo])
    assert value(client, ana)["Value"] == "102"
    client.delete_profile_object_type(DomainName=DOMAIN, ObjectTypeName="Order")
    assert "Value" not in value(client, ana)


def test_object_type_fields_win_over_json_paths(client: Any, orders: Put) -> None:
    """``placed`` is a field of the type (Source ``_source.placed.at``); ``extra.n`` is only a JSON path."""
    define(client, "field", "{Order.placed}", Statistic="LAST_OCCURRENCE")
    define(client, "path", "{Order.extra.n}", Statistic="SUM")
    pid = orders("O1", placed={"at": "2024-01-01"}, extra={"n": 4})
    assert value(client, pid, "field")["Value"] == "2024-01-01"
    assert value(client, pid, "path")["Value"] == "4"
    _order_type(client)  # put again with the same fields: cached contributions stay valid
    client.put_profile_object_type(
        DomainName=DOMAIN,
        ObjectTypeName="Order",
        Description="Orders",
        Fields={
            "orderNo": {"Source": "_source.orderNo"},
            "email": {"Source": "_source.email"},
            "placed": {"Source": "_source.orderNo"},
        },
        Keys={
            "orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderNo"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )
    assert value(client, pid, "field")["Value"] == "O1"  # the new mapping applies at once


def _three_definitions(client: Any, orders: Put) -> str:
    """``spend``, ``count`` and ``channel``, and Ana (one order, price 4, no channel): her profile id."""
    define(client, "spend", DisplayName="Spend")
    define(client, "count", Statistic="COUNT")
    define(client, "channel", "{Order.channel}", Statistic="LAST_OCCURRENCE")
    return orders("O1", price=4)


def test_list_for_a_profile(client: Any, orders: Put) -> None:
    """Also under botocore 1.34, whose list item has no LastObjectTimestamp: the mock's item holds one
    (a datetime), which must still go out as JSON (botocore then leaves it out)."""
    ana = _three_definitions(client, orders)
    listed = client.list_calculated_attributes_for_profile(DomainName=DOMAIN, ProfileId=ana, MaxResults=1)
    assert [item["CalculatedAttributeName"] for item in listed["Items"]] == ["count"]
    rest = client.list_calculated_attributes_for_profile(
        DomainName=DOMAIN, ProfileId=ana, NextToken=listed["NextToken"], MaxResults=1
    )
    assert [(item["CalculatedAttributeName"], item["Value"]) for item in rest["Items"]] == [("spend", "4")]
    assert "NextToken" not in rest  # "channel" has no value for Ana: it is not listed
    if model_has("ListCalculatedAttributesForProfile", "Items", "LastObjectTimestamp", output=True):
        assert isinstance(rest["Items"][0]["LastObjectTimestamp"], dt.datetime)


def test_a_datetime_member_the_model_lacks_goes_out_as_epoch_seconds() -> None:
    """botocore 1.34's ListCalculatedAttributesForProfile item: strings only, so the codec does not walk
    it, and the handler's LastObjectTimestamp (a newer member) reaches the JSON encoder as a datetime."""
    from botocore.model import ServiceModel

    from mock_customer_profiles._codec import output_document, serialize_output

    text = {"type": "string"}
    model = ServiceModel(
        {
            "metadata": {"protocol": "rest-json", "apiVersion": "2020-08-15", "endpointPrefix": "profile"},
            "operations": {
                "List": {"name": "List", "http": {"method": "GET", "requestUri": "/"}, "output": {"shape": "Out"}}
            },
            "shapes": {
                "Text": text,
                "Item": {"type": "structure", "members": {"Name": {"shape": "Text"}}},
                "Items": {"type": "list", "member": {"shape": "Item"}},
                "Out": {"type": "structure", "members": {"Items": {"shape": "Items"}}},
            },
        }
    )
    operation = model.operation_model("List")
    when = dt.datetime(2024, 5, 1, 12, 0, 0, 500000, tzinfo=dt.timezone.utc)
    output = {"Items": [{"Name": "spend", "LastObjectTimestamp": when}]}
    body = json.loads(serialize_output(operation, output_document(operation, output)).body)
    assert body == {"Items": [{"Name": "spend", "LastObjectTimestamp": when.timestamp()}]}
    with pytest.raises(TypeError, match="Object of type object is not JSON serializable"):  # a mock bug still shows
        serialize_output(operation, {"Items": [{"Name": "spend", "Odd": object()}]})


def test_batch_get_for_profiles(client: Any, orders: Put, make_profile: Callable[..., str]) -> None:
    ana = _three_definitions(client, orders)
    bo = make_profile(FirstName="Bo")
    missing = "f" * 32
    out = client.batch_get_calculated_attribute_for_profile(
        DomainName=DOMAIN, CalculatedAttributeName="spend", ProfileIds=[ana, bo, missing, ana]
    )
    assert [(item["ProfileId"], item.get("Value")) for item in out["CalculatedAttributeValues"]] == [
        (ana, "4"),
        (bo, None),
    ]
    assert out["Errors"] == [
        {
            "Code": "ResourceNotFoundException",
            "Message": f"Profile {missing} not found in domain acme",
            "ProfileId": missing,
        }
    ]
    assert "ConditionOverrides" not in out


def test_batch_get_condition_overrides(client: Any, orders: Put) -> None:
    define(
        client,
        Conditions={
            "Range": {"Value": 30, "Unit": "DAYS", "TimestampSource": "{Order.placed}", "TimestampFormat": "ISO_8601"}
        },
    )
    today = dt.datetime.now(dt.timezone.utc)
    pid = orders("O1", price=1, placed={"at": (today - dt.timedelta(days=2)).isoformat()})
    orders("O2", price=10, placed={"at": (today - dt.timedelta(days=20)).isoformat()})
    orders("O3", price=100, placed={"at": (today - dt.timedelta(days=200)).isoformat()})
    overrides = {"Range": {"Start": 365, "End": 10, "Unit": "DAYS"}}
    out = client.batch_get_calculated_attribute_for_profile(
        DomainName=DOMAIN, CalculatedAttributeName="attr", ProfileIds=[pid], ConditionOverrides=overrides
    )
    assert out["CalculatedAttributeValues"][0]["Value"] == "110"
    assert out["ConditionOverrides"] == overrides
    assert value(client, pid)["Value"] == "11"  # the definition itself is unchanged
    bad = {"Range": {"Start": 1, "End": 10, "Unit": "DAYS"}}
    assert error(
        lambda: client.batch_get_calculated_attribute_for_profile(
            DomainName=DOMAIN, CalculatedAttributeName="attr", ProfileIds=[pid], ConditionOverrides=bad
        )
    ) == ("BadRequestException", "ConditionOverrides Range Start (1) must not be less than End (10)")


def test_updated_conditions_apply_to_the_next_read(client: Any, orders: Put) -> None:
    define(client, Conditions={"ObjectCount": 1})
    pid = orders("O1", price=1)
    orders("O2", price=10)
    assert value(client, pid)["Value"] == "10"
    client.update_calculated_attribute_definition(
        DomainName=DOMAIN, CalculatedAttributeName="attr", Conditions={"ObjectCount": 2}
    )
    assert value(client, pid)["Value"] == "11"


# ---------------------------------------------------------------------------------------------- seeding

SEED_ORDER_TYPE = {
    "ObjectTypeName": "Order",
    "Description": "Orders",
    "AllowProfileCreation": True,
    "Fields": {
        "orderNo": {"Source": "_source.orderNo"},
        "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
    },
    "Keys": {
        "orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderNo"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


def test_seed_documents_declare_definitions(mock: CustomerProfilesMock, client: Any) -> None:
    mock.load(
        {
            "domains": [
                {
                    "DomainName": DOMAIN,
                    "objectTypes": [SEED_ORDER_TYPE],
                    "calculatedAttributes": [
                        {
                            "CalculatedAttributeName": "spend",
                            "DisplayName": "Spend",
                            "AttributeDetails": {"Attributes": [{"Name": "total"}], "Expression": "{Order.total}"},
                            "Statistic": "SUM",
                        }
                    ],
                    "objects": [
                        {"ObjectTypeName": "Order", "Object": {"orderNo": "O-1", "email": "ana@x.com", "total": 20}},
                        {"ObjectTypeName": "Order", "Object": {"orderNo": "O-2", "email": "ana@x.com", "total": 5}},
                    ],
                }
            ]
        }
    )
    (ana,) = client.search_profiles(DomainName=DOMAIN, KeyName="_email", Values=["ana@x.com"])["Items"]
    assert value(client, ana["ProfileId"], "spend")["Value"] == "25"  # objects seeded after the definition count


def test_a_bad_seeded_definition_is_named_by_its_path(mock: CustomerProfilesMock) -> None:
    bad = {
        "CalculatedAttributeName": "spend",
        "AttributeDetails": {"Attributes": [{"Name": "t"}], "Expression": "{Order.t}"},
    }
    with pytest.raises(ValueError, match=r"domains\[0\]\.calculatedAttributes\[0\]\.Statistic: missing"):
        mock.load(
            {"domains": [{"DomainName": DOMAIN, "objectTypes": [SEED_ORDER_TYPE], "calculatedAttributes": [bad]}]}
        )
    unknown = {**bad, "Statistic": "SUM", "AttributeDetails": {"Attributes": [{"Name": "t"}], "Expression": "{Nope.t}"}}
    with pytest.raises(
        ValueError, match=r"CreateCalculatedAttributeDefinition rejected domains\[0\]\.calculatedAttributes\[0\]"
    ):
        mock.load({"domains": [{"DomainName": DOMAIN, "calculatedAttributes": [unknown]}]})


# ------------------------------------------------------------------------------------- standard objects


def test_aws_sample_total_dollars_spent_in_a_year_over_air_segments(client: Any, domain: str) -> None:
    """AWS's travel and hospitality sample: SUM of ``{_airSegment.Seat.Price}`` over the 366 days before
    the departure date (CA_TotalDollarsSpentInAYear.json, as quoted in reference/standard-objects.md §3.4;
    the sample gives no TimestampFormat)."""
    client.put_profile_object_type(
        DomainName=DOMAIN,
        ObjectTypeName="Booking",
        Description="Airline bookings, one segment per row",
        AllowProfileCreation=True,
        Fields={
            "LoyaltyId": {"Source": "_source.LoyaltyId", "Target": "_profile.AccountNumber"},
            "RowId": {"Source": "_source.RowId"},
            "SegmentId": {"Source": "_source.SegmentId", "Target": "_airSegment.Attributes.SegmentId"},
            "DepartureDate": {"Source": "_source.DepartureDate", "Target": "_airSegment.Departure.Date"},
            "SeatPrice": {"Source": "_source.SeatPrice", "Target": "_airSegment.Seat.Price"},
        },
        Keys={
            "_account": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["LoyaltyId"]}],
            "RowId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["RowId"]}],
            "SegmentId": [{"StandardIdentifiers": ["AIR_SEGMENT"], "FieldNames": ["SegmentId"]}],
        },
    )
    created = client.create_calculated_attribute_definition(
        DomainName=DOMAIN,
        CalculatedAttributeName="total_dollars_spent_in_a_year",
        DisplayName="Total dollars spent in a year",
        AttributeDetails={"Attributes": [{"Name": "Seat.Price"}], "Expression": "{_airSegment.Seat.Price}"},
        Statistic="SUM",
        Conditions={
            "Range": {
                "Unit": "DAYS",
                "ValueRange": {"Start": 366, "End": 0},
                "TimestampSource": "{_airSegment.Departure.Date}",
            }
        },
        UseHistoricalData=True,
    )
    assert created["Conditions"]["Range"]["ValueRange"] == {"Start": 366, "End": 0}
    today = dt.date.today()
    rows = [("S-1", 40, 10), ("S-2", 160.5, 200), ("S-3", 1000, 400), ("S-1", 45, 10)]  # S-1 again: updated
    for number, (segment, price, days_ago) in enumerate(rows):
        client.put_profile_object(
            DomainName=DOMAIN,
            ObjectTypeName="Booking",
            Object=json.dumps(
                {
                    "LoyaltyId": "L-1",
                    "RowId": f"R-{number}",
                    "SegmentId": segment,
                    "SeatPrice": price,
                    "DepartureDate": (today - dt.timedelta(days=days_ago)).isoformat(),
                }
            ),
        )
    (ana,) = client.search_profiles(DomainName=DOMAIN, KeyName="_account", Values=["L-1"])["Items"]
    segments = client.list_profile_objects(DomainName=DOMAIN, ObjectTypeName="_airSegment", ProfileId=ana["ProfileId"])
    assert len(segments["Items"]) == 3  # one record per segment
    client.get_calculated_attribute_definition(
        DomainName=DOMAIN, CalculatedAttributeName="total_dollars_spent_in_a_year"
    )
    got = value(client, ana["ProfileId"], "total_dollars_spent_in_a_year")
    assert got["Value"] == "205.5"  # S-1 at its latest price (45) + S-2; S-3 departed over a year ago


def test_expired_objects_leave_the_value(mock: CustomerProfilesMock, client: Any, orders: Put) -> None:
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc), tick=False) as traveller:
        define(client)
        pid = orders("O1", price=1)  # the domain keeps objects 365 days (the domain fixture)
        traveller.shift(dt.timedelta(days=200))
        orders("O2", price=10)
        assert value(client, pid)["Value"] == "11"
        traveller.shift(dt.timedelta(days=200))  # O1 is 400 days old: expired
        assert value(client, pid)["Value"] == "10"
