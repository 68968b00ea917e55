"""The mock's own words: calls rendered as the API writes them, operation and parameter names checked
against the service model, and the docs sections that messages point at.

``SearchProfiles(DomainName='acme', KeyName='_email', Values=['a@x.com'])`` is how every message shows
a call, an injected error's filter or an expectation.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from mock_customer_profiles._model import operation_model, operation_names

PREFIX = "mock_customer_profiles:"

# Where messages send the reader: a docs page and the anchor of its heading (docs/<page>.md#<anchor>, a path from
# the repository root; the site serves the same page at <page>/#<anchor>). The headings are part of the public
# contract: tests/test_docs_examples.py checks that each page and anchor exists.
README_SEEDING = "docs/seeding.md#seeding"
README_CALLS = "docs/calls.md#inspecting-calls"
README_ERRORS = "docs/faults.md#injecting-errors"
README_TEARDOWN = "docs/activation.md#teardown-checks"
README_MARKER = "docs/activation.md#pytest-fixture-and-marker"
README_OPTIONS = "docs/behaviour.md#options-and-behaviour-choices"
README_FAULTS = "docs/faults.md#transport-faults"


def call_text(operation: str, params: Mapping[str, Any]) -> str:
    """``Operation(Name=value, ...)`` with Python literals, in the order of ``params``."""
    return f"{operation}(" + ", ".join(f"{name}={value!r}" for name, value in params.items()) + ")"


def pattern_text(operation: str, params: Mapping[str, Any]) -> str:
    """A filter in the API's words: ``SearchProfiles(KeyName='_email')``, or just the operation name."""
    return call_text(operation, params) if params else operation


def bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


@functools.cache
def _by_python_name() -> dict[str, str]:
    from botocore import xform_name

    return {xform_name(name): name for name in operation_names()}


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {found[0]}?)" if found else ""


def resolve_operation(name: str, readme: str) -> str:
    """The model's name of an operation, given as in the API (``SearchProfiles``) or as boto3's method
    (``search_profiles``). Anything else is a ``ValueError`` that names the closest operation."""
    if name in operation_names():
        return name
    found = _by_python_name().get(name)
    if found is not None:
        return found
    hint = _suggest(name, operation_names()) or _suggest(name, _by_python_name())
    raise ValueError(f"{PREFIX} {name!r} is not a Customer Profiles operation{hint} (see {readme}).")


@functools.cache
def parameter_names(operation: str) -> tuple[str, ...]:
    shape = operation_model(operation).input_shape
    return tuple(shape.members) if shape is not None else ()


def check_parameters(operation: str, names: Iterable[str], readme: str) -> None:
    """A ``TypeError`` for a name that is not a member of the operation's input (a filter that could
    never match is a typo, not a filter)."""
    known = parameter_names(operation)
    for name in names:
        if name not in known:
            import difflib

            lines = [f"parameters of {operation}: {', '.join(known) or 'none'}"]
            found = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            if found:
                lines.insert(0, f"did you mean {found[0]}?")
            raise TypeError(f"{PREFIX} {operation} has no parameter {name} (see {readme}):\n{bullets(lines)}")
