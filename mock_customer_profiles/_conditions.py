"""Comparison operators on attribute values, shared by the families that filter on them.

Calculated attribute filters (``FilterDimensionType``), segment dimensions (``AttributeDimensionType``,
``ProfileDimension``, ``DateDimension``) and event trigger conditions all compare one value of a profile
or an object with the ``Values`` of a condition. The model names the operators; the documentation never
defines them, so these are the mock's rules (reference/families-semantics.md §2.3, INFERRED, except
case sensitivity, which the event filter guide states):

- ``INCLUSIVE``: the value equals one of ``Values``. ``EXCLUSIVE``: the value is set and equals none.
- ``CONTAINS`` / ``BEGINS_WITH`` / ``ENDS_WITH``: substring / prefix / suffix of any of ``Values``.
- ``EQUAL``, ``GREATER_THAN``, ``LESS_THAN``, ``GREATER_THAN_OR_EQUAL``, ``LESS_THAN_OR_EQUAL``: numeric
  comparison with ``Values[0]``; a side that is not a number does not match.
- ``BEFORE`` / ``AFTER`` / ``ON``: date comparison with ``Values[0]`` (``ON``: the same calendar day, in
  UTC). ``BETWEEN`` / ``NOT_BETWEEN``: ``Values[0]`` to ``Values[1]`` inclusive. Dates are ISO 8601
  (``YYYY-MM-DD`` or a full timestamp, a missing offset meaning UTC); a value that is not a date does not
  match.
- ``LIST_CONTAINS`` / ``LIST_CONTAINS_ALL``: the value is a list (a JSON array, or comma-separated
  text) that holds any / all of ``Values``.
- Comparisons are case-sensitive ("Values are case sensitive", Amazon Connect admin guide, "Set up
  event filters"). A missing value (``None``) matches no operator.

``matches(operator, value, values)`` answers one comparison; ``check_values(operator, values)`` says
what is wrong with a condition's ``Values`` before anything is stored (``None`` when nothing is).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

# The numeric operators, each as the test of a value (left) against its bound (right): numbers of one
# kind (Decimal here, float in the segment and event trigger evaluators).
ORDERS: Mapping[str, Callable[[Any, Any], bool]] = {
    "EQUAL": lambda left, right: left == right,
    "GREATER_THAN": lambda left, right: left > right,
    "LESS_THAN": lambda left, right: left < right,
    "GREATER_THAN_OR_EQUAL": lambda left, right: left >= right,
    "LESS_THAN_OR_EQUAL": lambda left, right: left <= right,
}
NUMERIC = frozenset(ORDERS)
DATES = frozenset({"BEFORE", "AFTER", "ON", "BETWEEN", "NOT_BETWEEN"})
TEXT = frozenset({"INCLUSIVE", "EXCLUSIVE", "CONTAINS", "BEGINS_WITH", "ENDS_WITH"})
LISTS = frozenset({"LIST_CONTAINS", "LIST_CONTAINS_ALL"})
OPERATORS = NUMERIC | DATES | TEXT | LISTS


def number(text: str | None) -> Decimal | None:
    """``text`` as a finite decimal number, else ``None`` (no NaN, no infinity, no thousands separators)."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def date(text: str | None) -> dt.datetime | None:
    """``text`` as an aware datetime (ISO 8601: a date, or a timestamp with an optional offset; UTC when none)."""
    if not text:
        return None
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.timezone.utc)


def epoch(text: str | None) -> dt.datetime | None:
    """An epoch timestamp in seconds (up to 11 digits) or milliseconds (more), as an aware datetime."""
    value = number(text)
    if value is None:
        return None
    seconds = float(value) / 1000 if abs(value) >= Decimal(10) ** 11 else float(value)
    if not math.isfinite(seconds):  # pragma: no cover - a finite Decimal below 1e400 stays finite
        return None
    try:
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _as_list(text: str) -> list[str]:
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except ValueError:
            items = None
        if isinstance(items, list):
            return [item if isinstance(item, str) else json.dumps(item) for item in items]
    return [part.strip() for part in text.split(",")]


def _compare_numbers(test: Callable[[Decimal, Decimal], bool]) -> Callable[[str, Sequence[str]], bool]:
    def run(value: str, values: Sequence[str]) -> bool:
        left, right = number(value), number(values[0])
        return left is not None and right is not None and test(left, right)

    return run


def _between(value: str, values: Sequence[str]) -> bool | None:
    when, low, high = date(value), date(values[0]), date(values[1]) if len(values) > 1 else None
    if when is None or low is None or high is None:
        return None
    return low <= when <= high


def _dates(test: Callable[[dt.datetime, dt.datetime], bool]) -> Callable[[str, Sequence[str]], bool]:
    def run(value: str, values: Sequence[str]) -> bool:
        left, right = date(value), date(values[0])
        return left is not None and right is not None and test(left, right)

    return run


def _same_day(left: dt.datetime, right: dt.datetime) -> bool:
    return left.astimezone(dt.timezone.utc).date() == right.astimezone(dt.timezone.utc).date()


_TESTS: dict[str, Callable[[str, Sequence[str]], bool]] = {
    "INCLUSIVE": lambda value, values: value in values,
    "EXCLUSIVE": lambda value, values: value not in values,
    "CONTAINS": lambda value, values: any(item in value for item in values),
    "BEGINS_WITH": lambda value, values: any(value.startswith(item) for item in values),
    "ENDS_WITH": lambda value, values: any(value.endswith(item) for item in values),
    **{name: _compare_numbers(test) for name, test in ORDERS.items()},
    "BEFORE": _dates(lambda left, right: left < right),
    "AFTER": _dates(lambda left, right: left > right),
    "ON": _dates(_same_day),
    "BETWEEN": lambda value, values: _between(value, values) is True,
    "NOT_BETWEEN": lambda value, values: _between(value, values) is False,
    "LIST_CONTAINS": lambda value, values: any(item in _as_list(value) for item in values),
    "LIST_CONTAINS_ALL": lambda value, values: all(item in _as_list(value) for item in values),
}


def matches(operator: str, value: str | None, values: Sequence[str]) -> bool:
    """Whether ``value`` satisfies ``operator`` with ``values`` (see the module docstring)."""
    if value is None or not values:
        return False
    return _TESTS[operator](value, values)


def check_values(operator: str, values: Sequence[str]) -> str | None:
    """What is wrong with ``values`` for ``operator`` (a sentence), or ``None``."""
    if operator not in _TESTS:
        return f"{operator} is not a comparison operator"
    if operator in NUMERIC and number(values[0]) is None:
        return f"{operator} compares numbers, and {values[0]!r} is not a number"
    if operator in DATES:
        wanted = 2 if operator in ("BETWEEN", "NOT_BETWEEN") else 1
        if len(values) != wanted:
            return f"{operator} takes {wanted} value(s), not {len(values)}"
        for item in values:
            if date(item) is None:
                return f"{operator} compares dates, and {item!r} is not an ISO 8601 date"
    return None
