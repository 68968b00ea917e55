"""Side effects outside the service, kept as plain data on the mock instead of being sent anywhere.

Dead-letter queue messages, event stream records, segment snapshots, exports to S3, uploaded files:
a family records each with ``ctx.effects.record(kind, record)`` (a frozen dataclass or a dict of
JSON-like data), and a test reads them with ``cp.effects(kind)`` (or the family's own property on the
mock), in the order they happened. The server's control API serves the same lists.
"""

from __future__ import annotations

import threading
from typing import Any


class Effects:
    """Records of side effects by kind, oldest first."""

    def __init__(self) -> None:
        self._by_kind: dict[str, list[Any]] = {}
        self._lock = threading.Lock()

    def record(self, kind: str, record: Any) -> None:
        with self._lock:
            self._by_kind.setdefault(kind, []).append(record)

    def of(self, kind: str) -> list[Any]:
        """A copy of the records of ``kind`` (an empty list for a kind nothing recorded)."""
        with self._lock:
            return list(self._by_kind.get(kind, ()))

    def kinds(self) -> list[str]:
        with self._lock:
            return sorted(self._by_kind)

    def clear(self) -> None:
        with self._lock:
            self._by_kind.clear()
