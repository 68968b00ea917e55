"""Operation and parameter names, checked against the service model: what ``get_calls``, ``assert_called``,
``add_error`` and the server's ``/_mock/calls`` accept, with the closest name suggested for a typo."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from mock_customer_profiles._model import operation_model, operation_names
from mock_customer_profiles._words import PREFIX, bullets, closest, did_you_mean


@functools.cache
def _by_python_name() -> dict[str, str]:
    from botocore import xform_name

    return {xform_name(name): name for name in operation_names()}


def resolve_operation(name: str, link: str) -> str:
    """The model's name of an operation, given as in the API (``SearchProfiles``) or as boto3's method
    (``search_profiles``). Anything else is a ``ValueError`` that names the closest operation."""
    if name in operation_names():
        return name
    found = _by_python_name().get(name)
    if found is not None:
        return found
    hint = did_you_mean(name, operation_names(), cutoff=0.75) or did_you_mean(name, _by_python_name(), cutoff=0.75)
    raise ValueError(f"{PREFIX} {name!r} is not a Customer Profiles operation{hint} (see {link}).")


@functools.cache
def parameter_names(operation: str) -> tuple[str, ...]:
    shape = operation_model(operation).input_shape
    return tuple(shape.members) if shape is not None else ()


def check_parameters(operation: str, names: Iterable[str], link: str) -> None:
    """A ``TypeError`` for a name that is not a member of the operation's input (a filter that could
    never match is a typo, not a filter)."""
    known = parameter_names(operation)
    for name in names:
        if name not in known:
            lines = [f"parameters of {operation}: {', '.join(known) or 'none'}"]
            found = closest(name, known)
            if found:
                lines.insert(0, f"did you mean {found}?")
            raise TypeError(f"{PREFIX} {operation} has no parameter {name} (see {link}):\n{bullets(lines)}")
