"""Calculated attribute values against a brute-force evaluator written here, from the rules in
docs/families/calculated-attributes.md and reference/families-semantics.md §1 (not from the package).

Hypothesis draws a few profiles' objects (numbers, text, missing values, timestamps around now) and a
definition (any statistic, one attribute or arithmetic over two, Range by TimestampSource with Value or
ValueRange, ObjectCount, Threshold, Filter); the definition is created first, the objects ingested
after it, then every profile's GetCalculatedAttributeForProfile is compared with the oracle.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from fractions import Fraction
from typing import Any

import boto3
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_customer_profiles import mock_customer_profiles

DOMAIN = "oracle"
NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
TAGS = ["web", "Web", "chat", "voice", "webinar"]

# ----------------------------------------------------------------------------------------------- oracle


def number(value: Any) -> Fraction | None:
    """A JSON value as a number: a JSON number, or text that is a plain decimal number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return Fraction(str(value))
    try:
        return Fraction(value.strip()) if value.strip().lstrip("+-").replace(".", "", 1).isdigit() else None
    except (ValueError, ZeroDivisionError):
        return None


def text(value: Any) -> str | None:
    """How an attribute reads as a calculated attribute value (numbers as JSON writes them)."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value)


def show(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else repr(value.numerator / value.denominator)


def evaluate_expression(expression: tuple[Any, ...], doc: dict[str, Any]) -> str | None:
    if expression[0] == "attr":
        return text(doc.get(expression[1]))
    _, left_name, symbol, right_name = expression
    left, right = number(text(doc.get(left_name))), number(text(doc.get(right_name)))
    if left is None or right is None:
        return None
    if symbol == "/":
        return None if right == 0 else show(left / right)
    return show({"+": left + right, "-": left - right, "*": left * right}[symbol])


def passes(op: str, value: str | None, values: list[str]) -> bool:
    if value is None:
        return False
    if op == "INCLUSIVE":
        return value in values
    if op == "EXCLUSIVE":
        return value not in values
    if op == "BEGINS_WITH":
        return any(value.startswith(v) for v in values)
    if op == "CONTAINS":
        return any(v in value for v in values)
    left, right = number(value), number(values[0])
    if left is None or right is None:
        return False
    return left > right if op == "GREATER_THAN" else left < right


def oracle(definition: dict[str, Any], docs: list[dict[str, Any]]) -> str | None:
    conditions = definition.get("Conditions", {})
    rows = []
    for seq, doc in enumerate(docs):
        when = dt.datetime.fromisoformat(doc["ts"]) if "ts" in doc else None
        span = conditions.get("Range")
        if span is not None:
            if when is None:
                continue
            if "ValueRange" in span:
                start, end = span["ValueRange"]["Start"], span["ValueRange"]["End"]
            else:
                start, end = span["Value"], 0
            if not NOW - dt.timedelta(days=start) <= when <= NOW - dt.timedelta(days=end):
                continue
        flt = definition.get("Filter")
        if flt is not None:
            ((name, spec),) = flt["Groups"][0]["Dimensions"][0]["Attributes"].items()
            hit = passes(spec["DimensionType"], text(doc.get(name)), spec["Values"])
            if hit == (flt["Include"] == "NONE"):
                continue
        value = evaluate_expression(definition["_expression"], doc)
        if value is not None:
            rows.append((when if span is not None else seq, seq, value))
    rows.sort(key=lambda row: (row[0], row[1]) if isinstance(row[0], dt.datetime) else (row[1], row[1]))
    if "ObjectCount" in conditions:
        rows = rows[len(rows) - conditions["ObjectCount"] :] if len(rows) > conditions["ObjectCount"] else rows
    values = [row[2] for row in rows]
    if not values:
        return None
    statistic = definition["Statistic"]
    result: str | None
    if statistic == "FIRST_OCCURRENCE":
        result = values[0]
    elif statistic == "LAST_OCCURRENCE":
        result = values[-1]
    elif statistic == "COUNT":
        result = str(len(values))
    elif statistic == "MAX_OCCURRENCE":
        counts = Counter(values)
        best = max(counts.values())
        result = next(v for v in reversed(values) if counts[v] == best)
    else:
        numbers = [n for n in map(number, values) if n is not None]
        if not numbers:
            return None
        if statistic == "SUM":
            result = show(sum(numbers, Fraction(0)))
        elif statistic == "MINIMUM":
            result = show(min(numbers))
        elif statistic == "MAXIMUM":
            result = show(max(numbers))
        else:
            result = show(sum(numbers, Fraction(0)) / len(numbers))
    threshold = conditions.get("Threshold")
    if threshold is not None:
        left, right = number(result), number(threshold["Value"])
        pair: tuple[Any, Any] = (
            (left, right) if left is not None and right is not None else (result, threshold["Value"])
        )
        outcome = {
            "EQUAL_TO": pair[0] == pair[1],
            "NOT_EQUAL_TO": pair[0] != pair[1],
            "GREATER_THAN": pair[0] > pair[1],
            "LESS_THAN": pair[0] < pair[1],
        }[threshold["Operator"]]
        result = "true" if outcome else "false"
    return result


# ------------------------------------------------------------------------------------------- strategies

numbers = st.one_of(
    st.integers(-50, 50),
    st.sampled_from([0.5, 2.25, -1.5, 10.1, 3.3]),
    st.sampled_from(["7", "1.5", "n/a", ""]),
)
objects = st.fixed_dictionaries(
    {"profile": st.integers(0, 2), "n": numbers, "m": numbers, "tag": st.sampled_from(TAGS)},
    optional={"ts": st.integers(-10, 50).map(lambda days: (NOW - dt.timedelta(days=days, hours=1)).isoformat())},
)
expressions = st.one_of(
    st.tuples(st.just("attr"), st.sampled_from(["n", "tag"])),
    st.tuples(st.just("math"), st.just("n"), st.sampled_from("+-*/"), st.just("m")),
)
ranges = st.one_of(
    st.builds(lambda days: {"Value": days}, st.integers(1, 40)),
    st.builds(
        lambda a, b: {"ValueRange": {"Start": max(a, b), "End": min(a, b)}}, st.integers(-5, 40), st.integers(-5, 40)
    ),
)
conditions = st.fixed_dictionaries(
    {},
    optional={
        "Range": ranges,
        "ObjectCount": st.integers(1, 6),
        "Threshold": st.fixed_dictionaries(
            {
                "Value": st.sampled_from(["0", "3", "10.5", "web", "chat"]),
                "Operator": st.sampled_from(["EQUAL_TO", "NOT_EQUAL_TO", "GREATER_THAN", "LESS_THAN"]),
            }
        ),
    },
)
filters = st.one_of(
    st.none(),
    st.builds(
        lambda include, name, op, values: {
            "Include": include,
            "Groups": [
                {"Type": "ALL", "Dimensions": [{"Attributes": {name: {"DimensionType": op, "Values": values}}}]}
            ],
        },
        st.sampled_from(["ALL", "NONE"]),
        st.just("tag"),
        st.sampled_from(["INCLUSIVE", "EXCLUSIVE", "BEGINS_WITH", "CONTAINS"]),
        st.lists(st.sampled_from(TAGS), min_size=1, max_size=2),
    )
    | st.builds(
        lambda include, op, limit: {
            "Include": include,
            "Groups": [
                {"Type": "ANY", "Dimensions": [{"Attributes": {"n": {"DimensionType": op, "Values": [limit]}}}]}
            ],
        },
        st.sampled_from(["ALL", "NONE"]),
        st.sampled_from(["GREATER_THAN", "LESS_THAN"]),
        st.sampled_from(["0", "2.5", "-3"]),
    ),
)
STATISTICS = ["FIRST_OCCURRENCE", "LAST_OCCURRENCE", "COUNT", "SUM", "MINIMUM", "MAXIMUM", "AVERAGE", "MAX_OCCURRENCE"]


@settings(max_examples=60)
@given(
    docs=st.lists(objects, max_size=14),
    expression=expressions,
    statistic=st.sampled_from(STATISTICS),
    cond=conditions,
    flt=filters,
)
def test_values_match_the_brute_force_evaluator(
    docs: list[dict[str, Any]],
    expression: tuple[Any, ...],
    statistic: str,
    cond: dict[str, Any],
    flt: dict[str, Any] | None,
) -> None:
    if "Range" in cond:
        cond = {
            **cond,
            "Range": {**cond["Range"], "Unit": "DAYS", "TimestampSource": "{Rec.ts}", "TimestampFormat": "ISO_8601"},
        }
    names = [expression[1]] if expression[0] == "attr" else ["n", "m"]
    text_expression = f"{{Rec.{names[0]}}}" if expression[0] == "attr" else f"{{Rec.n}} {expression[2]} {{Rec.m}}"
    definition: dict[str, Any] = {
        "AttributeDetails": {"Attributes": [{"Name": name} for name in names], "Expression": text_expression},
        "Statistic": statistic,
    }
    if cond:
        definition["Conditions"] = cond
    if flt is not None:
        definition["Filter"] = flt
    with mock_customer_profiles(lifecycle="instant"):
        client = boto3.client("customer-profiles", region_name="us-east-1")
        client.create_domain(DomainName=DOMAIN, DefaultExpirationDays=30)
        client.put_profile_object_type(
            DomainName=DOMAIN,
            ObjectTypeName="Rec",
            Description="records",
            AllowProfileCreation=True,
            Fields={"id": {"Source": "_source.id"}, "who": {"Source": "_source.who"}},
            Keys={
                "id": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
                "who": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["who"]}],
            },
        )
        client.create_calculated_attribute_definition(DomainName=DOMAIN, CalculatedAttributeName="x", **definition)
        per_profile: dict[int, list[dict[str, Any]]] = {}
        ids: dict[int, str] = {}

        def check(who: int) -> None:
            got = client.get_calculated_attribute_for_profile(
                DomainName=DOMAIN, ProfileId=ids[who], CalculatedAttributeName="x"
            )
            expected = oracle({**definition, "_expression": expression}, per_profile[who])
            assert got.get("Value") == expected, (definition, per_profile[who])

        for index, doc in enumerate(docs):
            body = {key: value for key, value in doc.items() if key != "profile"}
            who = doc["profile"]
            key = client.put_profile_object(
                DomainName=DOMAIN,
                ObjectTypeName="Rec",
                Object=json.dumps({"id": f"r{index}", "who": f"p{who}", **body}),
            )["ProfileObjectUniqueKey"]
            per_profile.setdefault(who, []).append({**body, "_key": key})
            if who not in ids:
                (found,) = client.search_profiles(DomainName=DOMAIN, KeyName="who", Values=[f"p{who}"])["Items"]
                ids[who] = found["ProfileId"]
            check(who)  # after every write: the cached values must follow it
            if index % 4 == 3:  # now and then, delete the profile's oldest object
                gone = per_profile[who].pop(0)
                client.delete_profile_object(
                    DomainName=DOMAIN, ObjectTypeName="Rec", ProfileId=ids[who], ProfileObjectUniqueKey=gone["_key"]
                )
                if per_profile[who]:
                    check(who)
                else:  # the profile lost the only object holding its key: the next one makes a new profile
                    del ids[who]
        for who in per_profile:
            if per_profile[who]:
                check(who)
