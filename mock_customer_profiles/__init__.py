"""A moto-style mock of Amazon Connect Customer Profiles for Python test suites.

See README.md and docs/ for the manual. Importing the package registers its botocore hook (inert until a mock
is active); everything else loads on first use, so that importing the package (which the pytest
plugin does at start-up) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mock_customer_profiles import _hook

if TYPE_CHECKING:
    from mock_customer_profiles._errors import NotImplementedOperation
    from mock_customer_profiles._guard import UnansweredCall
    from mock_customer_profiles._handlers.event_streams import StreamRecord
    from mock_customer_profiles._handlers.event_triggers import EventTriggerInvocation
    from mock_customer_profiles._hints import RegionMismatchWarning
    from mock_customer_profiles._ingest import DeadLetter, MappingNote
    from mock_customer_profiles._mock import CustomerProfilesMock, mock_customer_profiles
    from mock_customer_profiles._options import Options
    from mock_customer_profiles._seed import SeedError
    from mock_customer_profiles._server import ServerThread
    from mock_customer_profiles._service import Call, CallList, InjectedError

__all__ = [
    "Call",
    "CallList",
    "CustomerProfilesMock",
    "DeadLetter",
    "EventTriggerInvocation",
    "InjectedError",
    "MappingNote",
    "NotImplementedOperation",
    "Options",
    "RegionMismatchWarning",
    "SeedError",
    "ServerThread",
    "StreamRecord",
    "UnansweredCall",
    "mock_customer_profiles",
]
__version__ = "0.1.0"

_EXPORTS = {
    "Call": "_service",
    "CallList": "_service",
    "CustomerProfilesMock": "_mock",
    "DeadLetter": "_ingest",
    "EventTriggerInvocation": "_handlers.event_triggers",
    "InjectedError": "_service",
    "MappingNote": "_ingest",
    "NotImplementedOperation": "_errors",
    "Options": "_options",
    "RegionMismatchWarning": "_hints",
    "SeedError": "_seed",
    "ServerThread": "_server",
    "StreamRecord": "_handlers.event_streams",
    "UnansweredCall": "_guard",
    "mock_customer_profiles": "_mock",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mock_customer_profiles' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"mock_customer_profiles.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


_hook.install()
