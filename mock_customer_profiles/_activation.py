"""Which mock answers: a process-wide stack of active mocks; the innermost (last started) wins.

Removal finds the mock wherever it is, so mocks stopped out of order, twice, or never started leave
the stack consistent.

The pytest plugin also *holds* the mock it started for the running test (and one per decorated class,
for class-level set-up): a decorated test method, ``setUp`` or ``setUpClass`` finding its scope's mock
held runs inside it instead of starting a second one.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_customer_profiles._mock import CustomerProfilesMock

_stack: list[CustomerProfilesMock] = []
_lock = threading.Lock()


def push(mock: CustomerProfilesMock) -> None:
    with _lock:
        _stack.append(mock)


def remove(mock: CustomerProfilesMock) -> bool:
    """Take ``mock`` off the stack; ``False`` when it was not on it."""
    with _lock:
        for index in range(len(_stack) - 1, -1, -1):
            if _stack[index] is mock:
                del _stack[index]
                return True
    return False


def current() -> CustomerProfilesMock | None:
    return _stack[-1] if _stack else None


def active() -> tuple[CustomerProfilesMock, ...]:
    return tuple(_stack)


_held: dict[object, CustomerProfilesMock] = {}
TEST = "test"
"""The key of the mock held for the running test; a decorated class is the key of its class-level mock."""


def hold(key: object, mock: CustomerProfilesMock) -> None:
    with _lock:
        _held[key] = mock


def release(key: object) -> None:
    with _lock:
        _held.pop(key, None)


def held(key: object) -> CustomerProfilesMock | None:
    """The active mock held for ``key``, if any."""
    mock = _held.get(key)
    return mock if mock is not None and mock.active else None
