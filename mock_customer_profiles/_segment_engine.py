"""The segment engine: which profiles of a domain a ``SegmentGroups`` structure selects.

A definition is compiled once (``compile_groups``), which checks everything the service model cannot
say (operator arity, dates and numbers, empty dimensions, source segments) and raises ``BadRequest``
before anything is stored. The compiled form answers two questions:

- ``members(domain)``: the set of profile ids in the segment (estimates, snapshots, subscriptions).
- ``holds(domain, profile)``: whether one profile is in it (``GetSegmentMembership``, ``is_member``).

Both follow the same rules (see docs/families/segments.md, "How a segment is evaluated"):

1. A group's source: every profile of the domain when it has no ``SourceSegments``, else the members of
   its source segments combined by ``SourceType`` (``ALL`` intersection, ``ANY`` union (the default),
   ``NONE`` the domain minus their union).
2. A group's filter: its dimensions combined by ``Type`` (``ALL`` every one (the default), ``ANY`` at
   least one, ``NONE`` none of them); a group without dimensions keeps its whole source.
3. The segment: the groups combined by ``Include`` (``ALL`` intersection (the default), ``ANY`` union,
   ``NONE`` the domain minus their union).
4. In one dimension every attribute given must hold (AND); a field holds when its value matches the
   operator and any of ``Values`` (``EXCLUSIVE``: none of them; ``LIST_CONTAINS_ALL``: all of them).
   A field the profile does not have matches no operator, ``EXCLUSIVE`` included.

How membership is computed without scanning the domain: ``FieldIndex`` keeps, per profile attribute that
some segment has used (``FirstName``, ``Address.City``, ``Attributes.tier``, ...), the ids of the
profiles holding each distinct value. A profile-attribute test is answered from it: ``INCLUSIVE`` is one
look-up per value, every other operator tests each *distinct value* once (a domain of 100 000 profiles
with 30 cities tests 30 strings), never each profile. Only tests that depend on the profile itself
(dynamic ``{{_profile.X}}`` values, calculated attributes) run per profile, and only over the candidates
the index-answered tests of the same dimension (or the group's source) left. The index is built for a
field the first time a segment needs it and then kept current through the change feed
(``_changes.subscribe``), so a domain that never evaluates a segment pays nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles._backend import Domain, Profile
from mock_customer_profiles._conditions import NUMERIC, ORDERS
from mock_customer_profiles._errors import BadRequest

ALL, ANY, NONE = "ALL", "ANY", "NONE"
STRING_OPS = frozenset({"INCLUSIVE", "EXCLUSIVE", "CONTAINS", "BEGINS_WITH", "ENDS_WITH"})
DATE_OPS = frozenset({"BEFORE", "AFTER", "BETWEEN", "NOT_BETWEEN", "ON"})
NUMBER_OPS = NUMERIC
LIST_OPS = frozenset({"LIST_CONTAINS", "LIST_CONTAINS_ALL"})
RANGE_OPS = frozenset({"BETWEEN", "NOT_BETWEEN"})
# "You can specify up to 5 starting audiences": the admin guide, Build customer segments
# (https://docs.aws.amazon.com/connect/latest/adminguide/customer-segments-building-segments.html)
MAX_SOURCE_SEGMENTS = 5

# The profile fields a ProfileAttributes dimension can name, by the kind of dimension the model gives them.
STRING_FIELDS = (
    "AccountNumber",
    "AdditionalInformation",
    "FirstName",
    "LastName",
    "MiddleName",
    "GenderString",
    "PartyTypeString",
    "PhoneNumber",
    "BusinessName",
    "BusinessPhoneNumber",
    "HomePhoneNumber",
    "MobilePhoneNumber",
    "EmailAddress",
    "PersonalEmailAddress",
    "BusinessEmailAddress",
)
DATE_FIELDS = ("BirthDate",)
ADDRESS_FIELDS = ("Address", "ShippingAddress", "MailingAddress", "BillingAddress")
ADDRESS_PARTS = ("City", "Country", "County", "PostalCode", "Province", "State")

_DYNAMIC = re.compile(r"^\{\{(_profile|_calculated_attribute)\.([A-Za-z0-9_.-]+)\}\}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
_NUMBER = re.compile(r"^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$")

Path = str  # "FirstName", "Address.City", "Attributes.tier", "ProfileType"
CalculatedValue = Callable[[Domain, str, Profile, "Mapping[str, Any] | None"], "str | None"]


# ----------------------------------------------------------------------------------------- values


def parse_date(text: str) -> dt.date | None:
    """The calendar date an ISO-8601 date or timestamp starts with (``2024-05-01``, ``2024-05-01T10:00Z``)."""
    found = _DATE.match(text)
    if found is None:
        return None
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def parse_number(text: str) -> float | None:
    if _NUMBER.match(text) is None:
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def parse_list(text: str) -> list[str]:
    """A list-valued attribute: a JSON array, else comma-separated items (spaces around them ignored)."""
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list):
            return [item if isinstance(item, str) else json.dumps(item) for item in items]
    return [item.strip() for item in text.split(",") if item.strip()]


def value_matches(op: str, values: list[str], actual: str | None) -> bool:
    """Whether a field value ``actual`` (``None``: the profile does not have it) satisfies the operator."""
    if actual is None or actual == "":
        return False
    if op == "INCLUSIVE":
        return actual in values
    if op == "EXCLUSIVE":
        return actual not in values
    if op == "CONTAINS":
        return any(value in actual for value in values)
    if op == "BEGINS_WITH":
        return any(actual.startswith(value) for value in values)
    if op == "ENDS_WITH":
        return any(actual.endswith(value) for value in values)
    if op in LIST_OPS:
        items = set(parse_list(actual))
        return all(v in items for v in values) if op == "LIST_CONTAINS_ALL" else any(v in items for v in values)
    if op in NUMBER_OPS:
        number, bound = parse_number(actual), parse_number(values[0])
        return number is not None and bound is not None and ORDERS[op](number, bound)
    day = parse_date(actual)
    bounds = [bound for bound in (parse_date(value) for value in values[:2]) if bound is not None]
    if day is None or len(bounds) != min(len(values), 2):
        return False
    if op == "BEFORE":
        return day < bounds[0]
    if op == "AFTER":
        return day > bounds[0]
    if op == "ON":
        return day == bounds[0]
    low, high = sorted(bounds)
    inside = low <= day <= high
    return inside if op == "BETWEEN" else not inside


def field_value(fields: Mapping[str, Any], path: Path) -> str | None:
    """The value of a profile attribute path (``FirstName``, ``Address.City``, ``Attributes.tier``)."""
    head, _, part = path.partition(".")
    value = fields.get(head)
    if part:
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, str) and value else None


# ------------------------------------------------------------------------------------------ index


class FieldIndex:
    """Per profile attribute path: distinct value -> ids of the profiles holding it, and the reverse.

    A path is indexed the first time a segment asks for it (one pass over the domain) and kept current
    by ``update`` (called for every change of a profile of the domain)."""

    def __init__(self) -> None:
        self._by_value: dict[Path, dict[str, set[str]]] = {}
        self._by_profile: dict[Path, dict[str, str]] = {}

    def values(self, domain: Domain, path: Path) -> dict[str, set[str]]:
        """Distinct value -> holders for ``path`` (do not modify)."""
        found = self._by_value.get(path)
        if found is None:
            found, forward = {}, {}
            for profile_id, profile in domain.profiles.items():
                value = field_value(profile.fields, path)
                if value is not None:
                    found.setdefault(value, set()).add(profile_id)
                    forward[profile_id] = value
            self._by_value[path], self._by_profile[path] = found, forward
        return found

    def update(self, domain: Domain, profile_id: str) -> None:
        """Bring every indexed path in line with the profile's current fields (or its removal)."""
        profile = domain.profiles.get(profile_id)
        for path, forward in self._by_profile.items():
            old = forward.get(profile_id)
            new = field_value(profile.fields, path) if profile is not None else None
            if old == new:
                continue
            by_value = self._by_value[path]
            if old is not None:
                holders = by_value[old]
                holders.discard(profile_id)
                if not holders:
                    del by_value[old]
                del forward[profile_id]
            if new is not None:
                by_value.setdefault(new, set()).add(profile_id)
                forward[profile_id] = new


# ------------------------------------------------------------------------------------ compiled form


@dataclass(frozen=True)
class Test:
    """One attribute condition: a profile attribute path, or a calculated attribute (``calculated``)."""

    path: str  # the profile attribute path, or the calculated attribute's name
    op: str
    values: tuple[str, ...]
    calculated: bool = False
    override: Mapping[str, Any] | None = None  # the calculated attribute's ConditionOverrides.Range

    @property
    def dynamic(self) -> bool:
        return any(_DYNAMIC.match(value) for value in self.values)

    @property
    def indexed(self) -> bool:
        """Answered from the field index (not per profile)."""
        return not self.calculated and not self.dynamic


@dataclass(frozen=True)
class Group:
    tests: tuple[tuple[Test, ...], ...]  # the dimensions, each a conjunction of tests
    sources: tuple[str, ...]
    source_type: str
    type: str


@dataclass(frozen=True)
class Query:
    """A compiled ``SegmentGroups`` / ``SegmentQuery``."""

    groups: tuple[Group, ...]
    include: str


def _check_values(where: str, op: str, values: list[str]) -> None:
    literal = [value for value in values if not _DYNAMIC.match(value)]
    if op in NUMBER_OPS or op in ("BEFORE", "AFTER", "ON"):
        if len(values) != 1:
            raise BadRequest(f"{where}: {op} takes exactly one value, got {len(values)}")
    elif op in RANGE_OPS and len(values) != 2:
        raise BadRequest(f"{where}: {op} takes exactly two values (the start and end dates), got {len(values)}")
    if op in NUMBER_OPS:
        for value in literal:
            if parse_number(value) is None:
                raise BadRequest(f"{where}: {op} compares numbers, and {value!r} is not a number")
    elif op in DATE_OPS:
        for value in literal:
            if parse_date(value) is None:
                raise BadRequest(f"{where}: {op} compares dates, and {value!r} is not an ISO-8601 date (YYYY-MM-DD)")


def _dimension_tests(
    where: str, dimension: Mapping[str, Any], calculated_exists: Callable[[str], bool]
) -> tuple[Test, ...]:
    tests: list[Test] = []
    attributes = dimension.get("ProfileAttributes")
    calculated = dimension.get("CalculatedAttributes")  # the codec lets exactly one of the two through
    if attributes is not None:
        for name, spec in attributes.items():
            if name in ADDRESS_FIELDS:
                parts = [(f"{name}.{part}", spec[part]) for part in ADDRESS_PARTS if part in spec]
                if not parts:
                    raise BadRequest(f"{where}.ProfileAttributes.{name}: name at least one address part")
            elif name == "Attributes":
                parts = [(f"Attributes.{key}", value) for key, value in spec.items()]
                if not parts:
                    raise BadRequest(f"{where}.ProfileAttributes.Attributes: name at least one attribute")
            else:
                parts = [(name, spec)]
            for path, condition in parts:
                _check_values(f"{where}.ProfileAttributes.{path}", condition["DimensionType"], condition["Values"])
                tests.append(Test(path, condition["DimensionType"], tuple(condition["Values"])))
    else:
        assert calculated is not None
        for name, condition in calculated.items():
            if not calculated_exists(name):
                raise BadRequest(f"{where}.CalculatedAttributes: calculated attribute definition {name} does not exist")
            _check_values(f"{where}.CalculatedAttributes.{name}", condition["DimensionType"], condition["Values"])
            override = condition.get("ConditionOverrides", {}).get("Range")
            if override is not None and "End" in override and override["Start"] < override["End"]:
                raise BadRequest(
                    f"{where}.CalculatedAttributes.{name}: ConditionOverrides Range Start ({override['Start']}) "
                    f"must not be less than End ({override['End']})"
                )
            tests.append(Test(name, condition["DimensionType"], tuple(condition["Values"]), True, override))
    if not tests:
        raise BadRequest(f"{where}: the dimension names no attribute")
    return tuple(tests)


def compile_groups(
    structure: Mapping[str, Any],
    where: str,
    source_exists: Callable[[str], bool],
    calculated_exists: Callable[[str], bool],
) -> Query:
    """Check and compile a ``SegmentGroup`` (``SegmentGroups`` of a definition, ``SegmentQuery`` of an
    estimate). ``source_exists`` / ``calculated_exists`` tell whether a source segment / a calculated
    attribute definition of that name exists in the domain."""
    groups: list[Group] = []
    raw_groups = structure.get("Groups") or []
    if not raw_groups:
        raise BadRequest(f"{where}.Groups: a segment needs at least one group")
    for g, raw in enumerate(raw_groups):
        at = f"{where}.Groups[{g}]"
        dims = tuple(
            _dimension_tests(f"{at}.Dimensions[{d}]", dim, calculated_exists)
            for d, dim in enumerate(raw.get("Dimensions", ()))
        )
        if any("SegmentDefinitionName" not in source for source in raw.get("SourceSegments", ())):
            raise BadRequest(f"{at}.SourceSegments: each source segment needs a SegmentDefinitionName")
        sources = tuple(source["SegmentDefinitionName"] for source in raw.get("SourceSegments", ()))
        if len(sources) > MAX_SOURCE_SEGMENTS:
            raise BadRequest(f"{at}.SourceSegments: at most {MAX_SOURCE_SEGMENTS} source segments, got {len(sources)}")
        for name in sources:
            if not source_exists(name):
                raise BadRequest(f"{at}.SourceSegments: segment definition {name} does not exist")
        groups.append(Group(dims, sources, raw.get("SourceType", ANY), raw.get("Type", ALL)))
    return Query(tuple(groups), structure.get("Include", ALL))


# ----------------------------------------------------------------------------------------- evaluation


@dataclass
class Evaluator:
    """Evaluates compiled queries in one domain.

    ``resolve(name)`` gives the compiled query of a source segment; ``calculated(domain, name, profile,
    override)`` the value of a calculated attribute for a profile (``None``: no value)."""

    domain: Domain
    index: FieldIndex
    resolve: Callable[[str], Query]
    calculated: CalculatedValue
    _cache: dict[str, frozenset[str]] = field(default_factory=dict)

    # ---- one profile

    def holds(self, query: Query, profile: Profile) -> bool:
        results = [self._group_holds(group, profile) for group in query.groups]
        return _combine_bools(query.include, results)

    def _group_holds(self, group: Group, profile: Profile) -> bool:
        if group.sources:
            inside = [self.holds(self.resolve(name), profile) for name in group.sources]
            if not _combine_bools(group.source_type, inside):
                return False
        if not group.tests:
            return True
        return _combine_bools(group.type, [all(self._test(test, profile) for test in dim) for dim in group.tests])

    def _test(self, test: Test, profile: Profile) -> bool:
        values = self._values(test, profile)
        if values is None:
            return False
        if test.calculated:
            actual = self.calculated(self.domain, test.path, profile, test.override)
        else:
            actual = field_value(profile.fields, test.path)
        return value_matches(test.op, values, actual)

    def _values(self, test: Test, profile: Profile) -> list[str] | None:
        """The test's values with dynamic ``{{...}}`` ones replaced by the profile's (``None``: one of
        them has no value for this profile, so the test cannot hold)."""
        values: list[str] = []
        for value in test.values:
            found = _DYNAMIC.match(value)
            if found is None:
                values.append(value)
                continue
            source, name = found[1], found[2]
            if source == "_profile":
                resolved = field_value(profile.fields, name)
            else:
                resolved = self.calculated(self.domain, name, profile, None)
            if resolved is None:
                return None
            values.append(resolved)
        return values

    # ---- the whole domain

    def members(self, query: Query) -> frozenset[str]:
        results = [self._group_members(group) for group in query.groups]
        return self._combine_sets(query.include, results)

    def segment_members(self, name: str) -> frozenset[str]:
        """Members of a defined segment (each evaluated once per evaluator)."""
        found = self._cache.get(name)
        if found is None:
            found = self._cache[name] = self.members(self.resolve(name))
        return found

    def _group_members(self, group: Group) -> frozenset[str] | None:
        """The group's members; ``None`` stands for every profile of the domain."""
        source: frozenset[str] | None = None
        if group.sources:
            source = self._combine_sets(group.source_type, [self.segment_members(name) for name in group.sources])
        if not group.tests:
            return source
        if group.type == ALL:
            current = source
            for dim in group.tests:
                current = self._dimension_members(dim, current)
            return current
        matched = frozenset().union(*(self._dimension_members(dim, source) for dim in group.tests))
        if group.type == ANY:
            return matched
        return (self._all() if source is None else source) - matched

    def _dimension_members(self, tests: tuple[Test, ...], within: frozenset[str] | None) -> frozenset[str]:
        """Profiles (of ``within``; ``None``: of the domain) for which every test holds."""
        current = within
        for test in sorted((t for t in tests if t.indexed), key=lambda t: t.op != "INCLUSIVE"):
            found = self._indexed(test)
            current = found if current is None else current & found
            if not current:
                return frozenset()
        rest = [test for test in tests if not test.indexed]
        if not rest:
            assert current is not None  # a dimension has at least one test
            return current
        profiles = self.domain.profiles
        ids: Iterable[str] = profiles if current is None else current
        return frozenset(pid for pid in ids if all(self._test(test, profiles[pid]) for test in rest))

    def _indexed(self, test: Test) -> frozenset[str]:
        by_value = self.index.values(self.domain, test.path)
        values = list(test.values)
        if test.op == "INCLUSIVE":
            return frozenset().union(*(by_value.get(value, ()) for value in values))
        return frozenset().union(
            *(holders for value, holders in by_value.items() if value_matches(test.op, values, value))
        )

    def _all(self) -> frozenset[str]:
        return frozenset(self.domain.profiles)

    def _combine_sets(self, how: str, sets: list[frozenset[str] | None]) -> frozenset[str]:
        if how == ALL:
            known = [s for s in sets if s is not None]
            if not known:
                return self._all()
            known.sort(key=len)
            return known[0].intersection(*known[1:])
        union = self._all() if any(s is None for s in sets) else frozenset().union(*sets)  # type: ignore[arg-type]
        return union if how == ANY else self._all() - union


def _combine_bools(how: str, results: list[bool]) -> bool:
    if how == ALL:
        return all(results)
    return any(results) if how == ANY else not any(results)
