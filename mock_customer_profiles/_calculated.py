"""Calculated attribute definitions and their values, computed from one profile's own objects.

A value is computed at each read from the objects of the definition's object type that the profile
holds (``profile.objects[type_name]``: custom object types and standard objects alike), so it follows
every write at once (ingestion, deletion, merge, expiry) and never looks at another profile. What each
object contributes is cached per object version, and a profile's contributions are kept in time order
until the next write to that profile, so a read is a bisection and a cached slice value.

How a value is computed (FIDELITY.md "Calculated attributes", reference/families-semantics.md §1;
the rules marked there as INFERRED are the mock's [default] choices, listed in the docs page):

1. The objects: those of the expression's object type on the profile. Without ``UseHistoricalData``,
   only objects ingested after the definition was created; with it, older ones too once the definition's
   ``Status`` is ``COMPLETED`` (the historical data is then indexed).
2. Each object's timestamp: the ``Range.TimestampSource`` field read with ``TimestampFormat``, else
   its ingestion time. With a ``Range``, objects outside the window (``Value`` days back to now, or
   ``ValueRange`` ``Start`` to ``End`` days back, negative numbers meaning the future) or whose timestamp
   cannot be read are left out.
3. ``Filter``: an object passes a dimension when each of its attributes matches (``_conditions``), a
   group by its ``Type`` (ALL/ANY/NONE of its dimensions), the filter by ``Include`` over its groups.
4. The expression's value for the object: the attribute's text for ``{Type.attr}``, or the arithmetic
   (``+ - * /``, parentheses, numbers) over numeric attributes; an object without a value is left out.
5. ``ObjectCount``: only the newest that many of the remaining objects.
6. The statistic over them (oldest to newest by timestamp, ingestion order breaking ties), then the
   ``Threshold`` (the value becomes ``"true"`` or ``"false"``). No object left: no value.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal, Inexact, localcontext
from fractions import Fraction
from typing import Any

from mock_customer_profiles import _conditions
from mock_customer_profiles._backend import Domain, Profile, StoredObject
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._lifecycle import Flow, Run
from mock_customer_profiles._sources import read_path, read_source

MAX_ATTRIBUTES = 2  # "at most, two fields from that ObjectType" (CreateCalculatedAttributeDefinition doc)
MAX_RANGE_DAYS = 366  # CloudFormation Range.Value "Minimum: 1 Maximum: 366"
MAX_OBJECT_COUNT = 300  # CloudFormation Conditions.ObjectCount "Maximum: 300"
TIMESTAMP_FORMATS = ("EPOCHMILLI", "ISO_8601")
MAX_VALUE = 255  # Value is string1To255

READINESS = Flow("CalculatedAttributeDefinition", ("PREPARING", "IN_PROGRESS"), "COMPLETED", "FAILED")
PROGRESS = {"PREPARING": 0, "IN_PROGRESS": 50, "COMPLETED": 100, "FAILED": 0}

_SOURCE = "_source."


# --------------------------------------------------------------------------------------- expression


@dataclass(frozen=True)
class Ref:
    attribute: str


@dataclass(frozen=True)
class Num:
    value: Fraction


@dataclass(frozen=True)
class Op:
    symbol: str
    left: Node
    right: Node


Node = Ref | Num | Op
_TOKEN = re.compile(r"\s*(?:(\{[^{}]*\})|(\d+(?:\.\d+)?)|([-+*/()]))")
_REF = re.compile(r"^\{([a-zA-Z_][a-zA-Z_0-9-]*)\.([a-zA-Z0-9_.-]+)\}$")


def parse_expression(text: str) -> tuple[str, Node]:
    """The object type and the syntax tree of an ``Expression`` (a ``BadRequest`` when it is not one)."""
    tokens: list[str] = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        found = _TOKEN.match(stripped, position)
        if found is None:
            raise BadRequest(
                f"Expression {text!r} is not valid: each element must be {{ObjectTypeName.AttributeName}}, "
                "a number, an operator (+ - * /) or a parenthesis"
            )
        tokens.append(found.group(found.lastindex or 0))
        position = found.end()
    types: set[str] = set()
    at = 0

    def fail(why: str) -> BadRequest:
        return BadRequest(f"Expression {text!r} is not valid: {why}")

    def primary() -> Node:
        nonlocal at
        if at >= len(tokens):
            raise fail("it ends where an attribute or a number is expected")
        token = tokens[at]
        at += 1
        if token == "(":
            node = additive()
            if at >= len(tokens) or tokens[at] != ")":
                raise fail("a parenthesis is not closed")
            at += 1
            return node
        if token.startswith("{"):
            ref = _REF.match(token)
            if ref is None:
                raise fail(f"{token} is not {{ObjectTypeName.AttributeName}}")
            types.add(ref.group(1))
            return Ref(ref.group(2))
        if token[0].isdigit():
            return Num(Fraction(token))
        raise fail(f"{token!r} where an attribute or a number is expected")

    def level(operand: Callable[[], Node], symbols: str) -> Node:
        """Operands joined by the (left-associative) operators ``symbols`` of one precedence level."""
        nonlocal at
        node = operand()
        while at < len(tokens) and tokens[at] in symbols:
            at += 1
            node = Op(tokens[at - 1], node, operand())
        return node

    def term() -> Node:
        return level(primary, "*/")

    def additive() -> Node:
        return level(term, "+-")

    tree = additive()
    if at < len(tokens):
        raise fail(f"unexpected {tokens[at]!r}")
    if not types:
        raise fail("it names no attribute ({ObjectTypeName.AttributeName})")
    if len(types) > 1:
        raise fail(f"a calculated attribute can only reference one object type, not {', '.join(sorted(types))}")
    return types.pop(), tree


def references(node: Node) -> list[str]:
    if isinstance(node, Ref):
        return [node.attribute]
    if isinstance(node, Op):
        return references(node.left) + references(node.right)
    return []


MAX_EXPONENT = 300  # numbers beyond 1e300 (or below 1e-300) are not numbers to the mock: doubles end near 1e308


def decimal_number(text: str | None) -> Decimal | None:
    """A value as a number (``None`` when it is not one, or beyond the range the mock computes with)."""
    number = _conditions.number(text)
    if number is None or (number and abs(number.adjusted()) > MAX_EXPONENT):
        return None
    return number


def rational(text: str | None) -> Fraction | None:
    """A value as an exact rational number (``None`` when it is not a number)."""
    number = decimal_number(text)
    return None if number is None else Fraction(number)


def exact_sum(numbers: list[Decimal]) -> Fraction:
    """The exact sum: in decimal arithmetic wide enough for every sum of numbers within 1e±300 (fast),
    in rationals when that still rounded (numbers with hundreds of significant digits)."""
    with localcontext(Context(prec=_SUM_DIGITS, traps=[])) as context:
        total = sum(numbers, Decimal(0))
        if not context.flags[Inexact]:
            return Fraction(total)
    return sum(map(Fraction, numbers), Fraction(0))


_SUM_DIGITS = 2 * MAX_EXPONENT + 40


def format_number(value: Fraction) -> str | None:
    """Numbers are computed exactly (rationals) and rounded once, here: a whole number prints without a
    decimal point, any other as the shortest decimal that reads back as the nearest double (``repr``).
    ``None`` for a result beyond the range of a double."""
    if value.denominator == 1 and abs(value) < 10**21:
        return str(value.numerator)
    try:
        return repr(float(value))
    except OverflowError:
        return None


def _arithmetic(node: Node, values: Mapping[str, str | None]) -> Fraction | None:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return rational(values.get(node.attribute))
    left, right = _arithmetic(node.left, values), _arithmetic(node.right, values)
    if left is None or right is None:
        return None
    if node.symbol == "+":
        return left + right
    if node.symbol == "-":
        return left - right
    if node.symbol == "*":
        return left * right
    return left / right if right else None  # x/0: the object gives no value


# --------------------------------------------------------------------------------------- definitions


@dataclass(eq=False)
class Definition:
    """One calculated attribute definition of a domain."""

    name: str
    config: dict[str, Any]  # the Create members as given (DisplayName, AttributeDetails, Statistic, ...)
    type_name: str
    tree: Node
    created_at: dt.datetime  # full precision (objects ingested after it count without UseHistoricalData)
    updated_at: dt.datetime
    first_new_seq: int  # objects of the domain with a lower sequence number were ingested before creation
    run: Run
    version: int = 0  # bumped when Conditions change (what each object contributes depends on them)
    # object unique key -> (object seq, definition version, object type stamp, what the object gives)
    cache: dict[str, tuple[int, int, Any, Contribution | None]] = field(default_factory=dict)
    rows: dict[str, Rows] = field(default_factory=dict)  # profile id -> its contributions, in time order

    @property
    def conditions(self) -> dict[str, Any]:
        conditions: dict[str, Any] = self.config.get("Conditions") or {}
        return conditions

    @property
    def historical_included(self) -> bool:
        """Whether objects ingested before the definition count: asked for, and indexed (run completed)."""
        return bool(self.config.get("UseHistoricalData")) and self.run.finished and not self.run.failed


@dataclass(frozen=True)
class Contribution:
    """What one object gives a definition: its timestamp, its ingestion order, the expression's value."""

    at: dt.datetime
    seq: int
    value: str
    number: Decimal | None  # the value as a number (parsed once), None when it is not one


@dataclass(frozen=True)
class Result:
    value: str | None
    partial: bool
    last_object_at: dt.datetime | None


def attribute_reader(domain: Domain, type_name: str) -> Callable[[str, Any], str | None]:
    """Read an attribute of an object: a field of the object type (its ``Source``) first, else a dotted
    path into the object's JSON (the event filter guide: the object type field name wins)."""
    object_type = domain.object_types.get(type_name)
    fields = object_type.fields if object_type is not None else {}

    def read(name: str, document: Any) -> str | None:
        definition = fields.get(name)
        if definition is not None and "Source" in definition:
            return read_source(definition["Source"], document)
        return read_path(_SOURCE + name, document)

    return read


def timestamp_path(source: str, type_name: str) -> str:
    """The attribute a ``TimestampSource`` (``{ObjectTypeName.path}``) names (``BadRequest`` otherwise)."""
    found = _REF.match(source.strip())
    if found is None:
        raise BadRequest(f"TimestampSource {source!r} is not {{ObjectTypeName.<path of the timestamp field>}}")
    if found.group(1) != type_name:
        raise BadRequest(
            f"TimestampSource {source!r} names object type {found.group(1)}, but the expression uses {type_name}"
        )
    return found.group(2)


def read_timestamp(text: str | None, form: str | None) -> dt.datetime | None:
    """A TimestampSource value read with its TimestampFormat; without one, ISO 8601 or else an epoch number."""
    if form == "EPOCHMILLI":
        return _conditions.epoch(text)
    if form == "ISO_8601":
        return _conditions.date(text)
    return _conditions.date(text) or _conditions.epoch(text)


def _passes_filter(flt: Mapping[str, Any], read: Callable[[str], str | None]) -> bool:
    def dimension(dim: Mapping[str, Any]) -> bool:
        return all(
            _conditions.matches(spec["DimensionType"], read(name), spec["Values"])
            for name, spec in dim["Attributes"].items()
        )

    def combine(kind: str, results: Iterable[bool]) -> bool:
        items = list(results)
        if kind == "ALL":
            return all(items)
        if kind == "ANY":
            return any(items)
        return not any(items)

    groups = [combine(group["Type"], (dimension(dim) for dim in group["Dimensions"])) for group in flt["Groups"]]
    return combine(flt["Include"], groups)


def window(spec: Mapping[str, Any], now: dt.datetime) -> tuple[dt.datetime, dt.datetime, int]:
    """The time window of a Range (or a RangeOverride) and how many days back it reaches."""
    value_range = spec.get("ValueRange")
    if value_range is not None:
        start, end = value_range["Start"], value_range["End"]
    elif "Start" in spec:  # a RangeOverride: Start days back to End (default 0) days back
        start, end = spec["Start"], spec.get("End", 0)
    else:
        start, end = spec["Value"], 0
    return days_back(now, start), days_back(now, end), start


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
_LATEST = dt.datetime.max.replace(tzinfo=dt.timezone.utc)


def days_back(now: dt.datetime, days: int) -> dt.datetime:
    """``now`` minus ``days`` days (negative: in the future), held within the years 1 to 9999."""
    try:
        return now - dt.timedelta(days=days)
    except OverflowError:
        return _EARLIEST if days > 0 else _LATEST


class Evaluator:
    """Computes values of definitions for profiles (the caches live on each ``Definition``)."""

    def contribution(
        self, definition: Definition, obj: StoredObject, read: Callable[[str, Any], str | None], stamp: Any
    ) -> Contribution | None:
        """What ``obj`` gives ``definition`` whatever the time (timestamp, filter, expression), cached per
        version of the object, of the definition's conditions and of the object type's fields."""
        cached = definition.cache.get(obj.unique_key)
        if cached is not None and cached[0] == obj.seq and cached[1] == definition.version and cached[2] is stamp:
            return cached[3]
        document = json.loads(obj.body)
        found = self._contribution(definition, obj, document, lambda name: read(name, document))
        definition.cache[obj.unique_key] = (obj.seq, definition.version, stamp, found)
        return found

    @staticmethod
    def _contribution(
        definition: Definition, obj: StoredObject, document: Any, read: Callable[[str], str | None]
    ) -> Contribution | None:
        at = dt.datetime.fromtimestamp(obj.ingested_at, dt.timezone.utc)
        span = definition.conditions.get("Range")
        if span is not None and "TimestampSource" in span:
            at_or_none = read_timestamp(
                read(timestamp_path(span["TimestampSource"], definition.type_name)), span.get("TimestampFormat")
            )
            if at_or_none is None:
                return None
            at = at_or_none
        flt = definition.config.get("Filter")
        if flt is not None and not _passes_filter(flt, read):
            return None
        tree = definition.tree
        if isinstance(tree, Ref):
            value = read(tree.attribute)
        else:
            number = _arithmetic(tree, {name: read(name) for name in set(references(tree))})
            value = None if number is None else format_number(number)
        return None if value is None else Contribution(at, obj.seq, value, decimal_number(value))

    def rows(self, domain: Domain, definition: Definition, profile: Profile) -> Rows:
        """The profile's contributions to ``definition`` in time order, rebuilt only when the profile's
        objects of the type, the definition or the object type's fields changed since the last read.

        A profile's objects of one type are kept oldest first and every write appends a new object with
        a new, higher sequence number (a replaced object too; a merge re-sorts them), so their number and
        the last one's sequence number change with every write."""
        objects = profile.objects.get(definition.type_name, {})
        object_type = domain.object_types.get(definition.type_name)
        stamp = object_type.fields if object_type is not None else None  # a new dict at each PutProfileObjectType
        last = next(reversed(objects.values())).seq if objects else -1
        historical = definition.historical_included
        key = (len(objects), last, definition.version, historical)
        cached = definition.rows.get(profile.profile_id)
        if cached is not None and cached.key == key and cached.stamp is stamp:
            return cached
        read = attribute_reader(domain, definition.type_name)
        found: list[Contribution] = []
        oldest = definition.created_at.timestamp()
        cache, version, first_new = definition.cache, definition.version, definition.first_new_seq
        for obj in objects.values():  # the hot loop of a read after a write: the cache check inlined
            if not historical and obj.seq < first_new:
                continue
            if obj.ingested_at < oldest:
                oldest = obj.ingested_at
            known = cache.get(obj.unique_key)
            if known is not None and known[0] == obj.seq and known[1] == version and known[2] is stamp:
                contribution = known[3]
            else:
                contribution = self.contribution(definition, obj, read, stamp)
            if contribution is not None:
                found.append(contribution)
        found.sort(key=_TIME_ORDER)
        rows = Rows(key, stamp, found, [item.at for item in found], dt.datetime.fromtimestamp(oldest, dt.timezone.utc))
        definition.rows[profile.profile_id] = rows
        return rows

    def evaluate(
        self,
        domain: Domain,
        definition: Definition,
        profile: Profile,
        now: dt.datetime,
        override: Mapping[str, Any] | None = None,
    ) -> Result:
        conditions = definition.conditions
        rows = self.rows(domain, definition, profile)
        span = override if override is not None else conditions.get("Range")
        first, end, reach = 0, len(rows.items), 0
        if span is not None:  # the rows are in time order: the window is a slice
            low, high, reach = window(span, now)
            first, end = bisect.bisect_left(rows.times, low), bisect.bisect_right(rows.times, high)
        count = conditions.get("ObjectCount")
        if count is not None:
            first = max(first, end - count)
        partial = bool(definition.config.get("UseHistoricalData")) and not definition.historical_included
        if span is not None and reach > 0 and rows.oldest > days_back(now, reach):
            partial = True
        if count is not None and end - first < count:
            partial = True
        if (first, end) not in rows.values:
            value = statistic(definition.config["Statistic"], rows.items[first:end])
            threshold = conditions.get("Threshold")
            if value is not None and threshold is not None:
                value = "true" if compare(threshold["Operator"], value, threshold["Value"]) else "false"
            rows.values[(first, end)] = value
        value = rows.values[(first, end)]
        return Result(value, partial, rows.times[end - 1] if end > first and value is not None else None)


_TIME_ORDER = operator.attrgetter("at", "seq")


@dataclass(eq=False)
class Rows:
    """A profile's contributions to one definition, oldest first, and the values of slices of them."""

    key: tuple[int, int, int, bool]
    stamp: Any
    items: list[Contribution]
    times: list[dt.datetime]
    oldest: dt.datetime  # the oldest ingestion among the objects considered (or the definition's creation)
    values: dict[tuple[int, int], str | None] = field(default_factory=dict)


def statistic(name: str, selected: list[Contribution]) -> str | None:
    """The statistic over the selected values (oldest first); ``None`` when there is nothing to compute."""
    if not selected:
        return None
    values = [item.value for item in selected]
    if name == "FIRST_OCCURRENCE":
        return clip(values[0])
    if name == "LAST_OCCURRENCE":
        return clip(values[-1])
    if name == "COUNT":
        return str(len(values))
    if name == "MAX_OCCURRENCE":
        counts: dict[str, int] = {}
        last: dict[str, int] = {}
        for position, value in enumerate(values):
            counts[value] = counts.get(value, 0) + 1
            last[value] = position
        return clip(max(counts, key=lambda value: (counts[value], last[value])))
    if name == "RECENT_OCCURRENCES":
        newest_first = list(reversed(values))
        text = json.dumps(newest_first)
        while len(text) > MAX_VALUE and len(newest_first) > 1:
            newest_first.pop()
            text = json.dumps(newest_first)
        return clip(text)
    numbers = [item.number for item in selected if item.number is not None]
    if not numbers:
        return None
    if name == "SUM":
        return format_number(exact_sum(numbers))
    if name == "MINIMUM":
        return format_number(Fraction(min(numbers)))
    if name == "MAXIMUM":
        return format_number(Fraction(max(numbers)))
    return format_number(exact_sum(numbers) / len(numbers))  # AVERAGE


def clip(value: str) -> str:
    return value[:MAX_VALUE]


def compare(operator: str, value: str, wanted: str) -> bool:
    """A Threshold: numerically when both sides are numbers, else as text."""
    left, right = _conditions.number(value), _conditions.number(wanted)
    pair: tuple[Any, Any] = (left, right) if left is not None and right is not None else (value, wanted)
    if operator == "EQUAL_TO":
        return bool(pair[0] == pair[1])
    if operator == "NOT_EQUAL_TO":
        return bool(pair[0] != pair[1])
    if operator == "GREATER_THAN":
        return bool(pair[0] > pair[1])
    return bool(pair[0] < pair[1])  # LESS_THAN
