"""Segment membership against an oracle: random profiles and random definitions, every answer the mock
gives (GetSegmentMembership, the estimate, the snapshot) compared with a brute-force evaluator written
here from the rules in docs/families/segments.md and families-semantics.md §2.2-2.3, not from the engine.

The oracle walks every profile and every condition literally; the engine answers from its field index.
Profiles change after the index exists, so keeping the index current is checked as well.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_customer_profiles import mock_customer_profiles

NAMES = ["Ana", "Bo", "Cy", "Anabel"]
CITIES = ["Seattle", "Boston", "Seaside"]
TIERS = ["gold", "silver", "bronze"]
SPENDS = ["0", "20", "120.5", "1e3", "n/a"]
DATES = ["1985-12-01", "1990-04-12", "2001-02-03T10:00:00Z", "12/01/1985"]
TAGS = ['["vip", "beta"]', "beta, news", "vip", "[]"]
KINDS = ["PROFILE", "ACCOUNT_PROFILE"]


# --------------------------------------------------------------------------------------- the oracle


def oracle_value(profile: dict[str, Any], path: str) -> str | None:
    """The profile's value at ``FirstName`` / ``Address.City`` / ``Attributes.tier``; absent or empty: None."""
    if "." in path:
        outer, inner = path.split(".", 1)
        value = (profile.get(outer) or {}).get(inner)
    else:
        value = profile.get(path)
    return value or None


def as_date(text: str) -> datetime.date | None:
    # "an ISO-8601 date or timestamp; dates compare by calendar day"
    if len(text) < 10 or text[4] != "-" or text[7] != "-" or (len(text) > 10 and text[10] not in "T "):
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def as_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return None if number != number or number in (float("inf"), float("-inf")) else number


def as_list(text: str) -> list[str]:
    # "a JSON array, else comma-separated items"
    if text.startswith("["):
        try:
            items = json.loads(text)
            if isinstance(items, list):
                return [str(item) for item in items]
        except ValueError:
            pass
    return [part.strip() for part in text.split(",") if part.strip()]


def oracle_test(op: str, values: list[str], actual: str | None) -> bool:
    if actual is None:
        return False  # a missing field matches no operator, EXCLUSIVE included
    if op == "INCLUSIVE":
        return actual in values
    if op == "EXCLUSIVE":
        return actual not in values
    if op == "CONTAINS":
        return any(v in actual for v in values)
    if op == "BEGINS_WITH":
        return any(actual.startswith(v) for v in values)
    if op == "ENDS_WITH":
        return any(actual.endswith(v) for v in values)
    if op == "LIST_CONTAINS":
        return any(v in as_list(actual) for v in values)
    if op == "LIST_CONTAINS_ALL":
        return all(v in as_list(actual) for v in values)
    if op in ("EQUAL", "GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL"):
        a, b = as_number(actual), as_number(values[0])
        if a is None or b is None:
            return False
        return {
            "EQUAL": a == b,
            "GREATER_THAN": a > b,
            "LESS_THAN": a < b,
            "GREATER_THAN_OR_EQUAL": a >= b,
            "LESS_THAN_OR_EQUAL": a <= b,
        }[op]
    day = as_date(actual)
    if day is None:
        return False
    bounds = [as_date(v) for v in values]
    if op == "BEFORE":
        return day < bounds[0]  # type: ignore[operator]
    if op == "AFTER":
        return day > bounds[0]  # type: ignore[operator]
    if op == "ON":
        return day == bounds[0]
    low, high = min(bounds), max(bounds)  # type: ignore[type-var]
    return (low <= day <= high) == (op == "BETWEEN")


def oracle_dimension(dimension: dict[str, Any], profile: dict[str, Any]) -> bool:
    conditions: list[tuple[str, dict[str, Any]]] = []
    for name, spec in dimension["ProfileAttributes"].items():
        if name in ("Address", "ShippingAddress"):
            conditions += [(f"{name}.{part}", cond) for part, cond in spec.items()]
        elif name == "Attributes":
            conditions += [(f"Attributes.{key}", cond) for key, cond in spec.items()]
        else:
            conditions.append((name, spec))
    return all(oracle_test(c["DimensionType"], c["Values"], oracle_value(profile, path)) for path, c in conditions)


def combine(how: str, results: list[bool]) -> bool:
    return all(results) if how == "ALL" else any(results) if how == "ANY" else not any(results)


def oracle_member(definitions: dict[str, dict[str, Any]], name: str, profile: dict[str, Any]) -> bool:
    structure = definitions[name]
    groups = []
    for group in structure["Groups"]:
        ok = True
        if group.get("SourceSegments"):
            inside = [oracle_member(definitions, s["SegmentDefinitionName"], profile) for s in group["SourceSegments"]]
            ok = combine(group.get("SourceType", "ANY"), inside)
        if group.get("Dimensions"):
            ok = ok and combine(group.get("Type", "ALL"), [oracle_dimension(d, profile) for d in group["Dimensions"]])
        groups.append(ok)
    return combine(structure.get("Include", "ALL"), groups)


# ------------------------------------------------------------------------------------ random input


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def maybe(pool: list[str]) -> st.SearchStrategy[str | None]:
    """A value of the pool, or (less often) none."""
    return st.sampled_from([None, *pool])


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, pool in (("FirstName", NAMES), ("LastName", NAMES), ("BirthDate", DATES), ("ProfileType", KINDS)):
        value = draw(maybe(pool))
        if value is not None:
            fields[key] = value
    for address in ("Address", "ShippingAddress"):
        city = draw(maybe(CITIES))
        if city is not None:
            fields[address] = {"City": city}
    attributes = {
        key: draw(maybe(pool)) for key, pool in (("tier", TIERS), ("spend", SPENDS), ("since", DATES), ("tags", TAGS))
    }
    if any(attributes.values()):
        fields["Attributes"] = {key: value for key, value in attributes.items() if value is not None}
    return fields


def condition(ops: list[str], pool: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        op = draw(st.sampled_from(ops))
        if op in ("BETWEEN", "NOT_BETWEEN"):
            values = [draw(st.sampled_from(pool)), draw(st.sampled_from(pool))]
        elif op in ("BEFORE", "AFTER", "ON") or op.endswith(("THAN", "EQUAL")):
            values = [draw(st.sampled_from(pool))]
        else:
            values = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))
        return {"DimensionType": op, "Values": values}

    return build()


STRING = ["INCLUSIVE", "EXCLUSIVE", "CONTAINS", "BEGINS_WITH", "ENDS_WITH"]
DATE = ["BEFORE", "AFTER", "BETWEEN", "NOT_BETWEEN", "ON"]
NUMBER = ["EQUAL", "GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL"]
ISO_DATES = ["1985-12-01", "1990-01-01", "2001-02-03", "1970-01-01"]


@st.composite
def dimensions(draw: st.DrawFn) -> dict[str, Any]:
    choices = {
        "FirstName": condition(STRING, [*NAMES, "An", "bel", "o"]),
        "LastName": condition(STRING, NAMES),
        "BirthDate": condition(DATE, ISO_DATES),
        "ProfileType": st.builds(
            lambda op, kind: {"DimensionType": op, "Values": [kind]},
            st.sampled_from(["INCLUSIVE", "EXCLUSIVE"]),
            st.sampled_from(KINDS),
        ),
        "Address": st.builds(lambda c: {"City": c}, condition(STRING, [*CITIES, "Sea", "ton"])),
        "ShippingAddress": st.builds(lambda c: {"City": c}, condition(STRING, CITIES)),
        "Attributes": st.one_of(
            st.builds(lambda c: {"tier": c}, condition([*STRING, "LIST_CONTAINS"], TIERS)),
            st.builds(lambda c: {"spend": c}, condition(NUMBER, ["0", "20", "100", "120.5", "-1"])),
            st.builds(lambda c: {"since": c}, condition(DATE, ISO_DATES)),
            st.builds(
                lambda c: {"tags": c}, condition(["LIST_CONTAINS", "LIST_CONTAINS_ALL"], ["vip", "beta", "news"])
            ),
        ),
    }
    names = draw(st.lists(st.sampled_from(sorted(choices)), min_size=1, max_size=2, unique=True))
    return {"ProfileAttributes": {name: draw(choices[name]) for name in names}}


@st.composite
def definitions(draw: st.DrawFn, earlier: list[str]) -> dict[str, Any]:
    groups = []
    for _ in range(draw(st.integers(1, 2))):
        group: dict[str, Any] = {}
        sourced = bool(earlier) and draw(st.booleans())
        dims = draw(st.lists(dimensions(), min_size=0 if sourced else 1, max_size=2))
        if dims:
            group["Dimensions"] = dims
        if sourced:
            names = draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=3, unique=True))
            group["SourceSegments"] = [{"SegmentDefinitionName": name} for name in names]
        for key in ("Type", "SourceType"):
            how = draw(optional(st.sampled_from(["ALL", "ANY", "NONE"])))
            if how is not None:
                group[key] = how
        groups.append(group)
    structure: dict[str, Any] = {"Groups": groups}
    include = draw(optional(st.sampled_from(["ALL", "ANY", "NONE"])))
    if include is not None:
        structure["Include"] = include
    return structure


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[int, dict[str, Any]]]]:
    people = draw(st.lists(profiles(), min_size=3, max_size=12))
    structures: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 3))):
        structures.append(draw(definitions([f"s{i}" for i in range(n)])))
    changes = draw(st.lists(st.tuples(st.integers(0, len(people) - 1), profiles()), max_size=3))
    return people, structures, changes


# ------------------------------------------------------------------------------------------- the test


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios())
def test_membership_matches_the_oracle(
    scenario: tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[int, dict[str, Any]]]],
) -> None:
    people, structures, changes = scenario
    with mock_customer_profiles(lifecycle="instant") as cp:
        cp.create_domain("acme")
        client = cp.client()
        ids = [cp.create_profile("acme", **fields) for fields in people]
        current = dict(zip(ids, people, strict=True))
        definitions: dict[str, dict[str, Any]] = {}
        for n, structure in enumerate(structures):
            name = f"s{n}"
            client.create_segment_definition(
                DomainName="acme", SegmentDefinitionName=name, DisplayName=name, SegmentGroups=structure
            )
            definitions[name] = structure

        def check() -> None:
            for name, structure in definitions.items():
                expected = [pid for pid, fields in current.items() if oracle_member(definitions, name, fields)]
                answer = client.get_segment_membership(DomainName="acme", SegmentDefinitionName=name, ProfileIds=ids)
                present = [item["ProfileId"] for item in answer["Profiles"] if item["QueryResult"] == "PRESENT"]
                assert present == expected, f"{name}: {json.dumps(structure)}"
                estimate = client.create_segment_estimate(DomainName="acme", SegmentQuery=structure)["EstimateId"]
                got = client.get_segment_estimate(DomainName="acme", EstimateId=estimate)
                assert got["Estimate"] == str(len(expected)), f"{name}: {json.dumps(structure)}"
            last = f"s{len(definitions) - 1}"
            client.create_segment_snapshot(
                DomainName="acme", SegmentDefinitionName=last, DataFormat="JSONL", DestinationUri="s3://b"
            )
            expected_last = [pid for pid, fields in current.items() if oracle_member(definitions, last, fields)]
            assert cp.segment_snapshots[-1].profile_ids == expected_last

        check()
        for position, fields in changes:  # replace a profile's fields after the index exists
            pid = ids[position]
            client.delete_profile(DomainName="acme", ProfileId=pid)
            new = cp.create_profile("acme", **fields)
            ids[position] = new
            del current[pid]
            current[new] = fields
        if changes:
            order = {pid: n for n, pid in enumerate(current)}
            ids.sort(key=order.__getitem__)
            check()
