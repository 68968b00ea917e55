"""The two validation paths agree: the compiled fast check (fastjsonschema, on every request) and the
jsonschema reference (which names the failures in the error message) accept and reject the same
requests, for every implemented operation.

If the fast check accepted a request the reference rejects, validation would be looser than the model;
if it rejected one the reference accepts, the request would pay for the slow walk and then pass. The
requests are generated from the schema each operation's input shape compiles to (hypothesis-jsonschema),
valid ones as they are and invalid ones by breaking a valid one in one place. They are the JSON form of
a request (wire names, uri labels and query members included) as the codec hands it to validation, so
the validators are called directly here; tests/test_validation.py covers what a boto3 client sees.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from mock_customer_profiles._handlers import HANDLERS
from mock_customer_profiles._model import operation_model, operation_names
from mock_customer_profiles._schema import ShapeValidator, input_validator

# Handlers of operations that an older botocore's model lacks are never routed to: left out here.
OPERATIONS = sorted(
    name for name in HANDLERS if name in operation_names() and operation_model(name).input_shape is not None
)
SETTINGS = settings(
    max_examples=20,  # per operation and test; the slow part is drawing instances of the larger shapes
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

# Any value a JSON body can carry (json.loads in the codec refuses NaN and infinities).
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=6,
)


def fast_accepts(validator: ShapeValidator, instance: Any) -> bool:
    try:
        validator.fast(instance)
    except Exception:  # noqa: BLE001 - fastjsonschema's JsonSchemaException and its subclasses
        return False
    return True


def assert_agree(validator: ShapeValidator, instance: Any) -> bool:
    """Both paths decide alike, and ``check`` (what a request goes through) follows them; returns the verdict."""
    verdict = validator.reference.is_valid(instance)
    assert fast_accepts(validator, instance) == verdict, instance
    assert bool(validator.describe(instance)) == (not verdict), instance
    return verdict


def _positions(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every value inside ``value`` (not the root itself)."""
    found: list[tuple[Any, ...]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found.append((*path, key))
        found += _positions(item, (*path, key))
    return found


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _stretched(value: Any, times: int) -> Any:
    """A value pushed past the usual bounds: longer strings (up to 1 200 times) and lists, larger numbers."""
    if isinstance(value, str):
        return (value or "x") * (times * 30)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value * times + times
    if isinstance(value, list):
        return (value or [None]) * times
    return value


@functools.cache
def valid(operation: str) -> st.SearchStrategy[Any]:
    """Valid requests of an operation (built once: turning a schema into a strategy is slow)."""
    return from_schema(input_validator(operation).schema)


@st.composite
def broken(draw: st.DrawFn, operation: str) -> Any:
    """A valid instance changed in one place: a value replaced, stretched or removed, or a member added."""
    instance = draw(valid(operation))
    positions = _positions(instance)
    how = draw(st.sampled_from(["replace", "stretch", "remove", "add"]))
    if how == "add" or not positions:
        containers = [()] + [p for p in positions if isinstance(_get(instance, p), dict)]
        target = _get(instance, draw(st.sampled_from(containers)))
        target[draw(st.text(min_size=1, max_size=12))] = draw(JSON_VALUES)
        return instance
    path = draw(st.sampled_from(positions))
    parent, last = _get(instance, path[:-1]), path[-1]
    if how == "replace":
        parent[last] = draw(JSON_VALUES)
    elif how == "stretch":
        parent[last] = _stretched(parent[last], draw(st.sampled_from([2, 3, 40])))
    else:
        del parent[last]
    return instance


@pytest.mark.parametrize("operation", OPERATIONS)
def test_valid_requests_pass_both_paths(operation: str) -> None:
    validator = input_validator(operation)

    @settings(SETTINGS, max_examples=10)
    @given(valid(operation))
    def check(instance: Any) -> None:
        assert assert_agree(validator, instance)
        validator.check(instance)  # no BadRequest

    check()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_broken_requests_get_the_same_verdict_from_both_paths(operation: str) -> None:
    validator = input_validator(operation)

    @SETTINGS
    @given(broken(operation))
    def check(instance: Any) -> None:
        assert_agree(validator, instance)

    check()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_arbitrary_json_objects_get_the_same_verdict_from_both_paths(operation: str) -> None:
    validator = input_validator(operation)
    shape_name = operation_model(operation).input_shape.name
    members = sorted(validator.schema["definitions"][shape_name]["properties"])

    @SETTINGS
    @given(st.dictionaries(st.sampled_from(members) | st.text(max_size=8), JSON_VALUES, max_size=6))
    def check(instance: dict[str, Any]) -> None:
        assert_agree(validator, instance)

    check()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_unknown_member_fails_both_paths(operation: str) -> None:
    validator = input_validator(operation)

    @settings(SETTINGS, max_examples=10)
    @given(valid(operation), JSON_VALUES)
    def check(instance: dict[str, Any], value: Any) -> None:
        instance["NotAMemberOfTheShape"] = value
        assert not assert_agree(validator, instance)

    check()
