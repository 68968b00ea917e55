"""The mock's own words: the prefix of its messages, calls rendered as the API writes them, bullets, and
the "did you mean" of a name that is close to a known one.

``SearchProfiles(DomainName='acme', KeyName='_email', Values=['a@x.com'])`` is how every message shows
a call, an injected error's filter or an expectation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

PREFIX = "mock_customer_profiles:"


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


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known name closest to ``word``, if one is close enough to be what was meant."""
    import difflib  # here: only a message needs it

    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """`` (did you mean X?)`` for the closest known name, or ``""``."""
    found = closest(word, choices, cutoff)
    return f" (did you mean {found}?)" if found else ""
