"""The last line of defence: no Customer Profiles request leaves the process while a mock is active.

The botocore hook answers every client whose botocore session carries it. A client of a session that
does not (one made before this package was imported, or whose hook was unregistered) would send its
request to AWS. While a mock is active, botocore's HTTP sender is wrapped: a request for a Customer
Profiles endpoint of AWS that reaches it is refused with ``UnansweredCall`` instead of being sent, and
the mock records it (the fixture reports it at teardown if the code under test swallowed the error).
Requests for any other host (another service, a local endpoint such as the mock's own server) pass.

botocore gives no public hook below ``before-send``: the wrapper replaces ``URLLib3Session.send``, the
public method every botocore client sends through (unchanged from botocore 1.34, the oldest this package
supports, to 1.44; tests/test_leaks.py checks it on the installed one), while some mock is active, and puts
the original back when the last one stops.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urlsplit

from mock_customer_profiles import _activation
from mock_customer_profiles._links import README_LEAKS
from mock_customer_profiles._words import PREFIX

AWS_HOST = re.compile(r"^profile(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$", re.IGNORECASE)

_lock = threading.Lock()
_original: dict[str, Any] = {}


class UnansweredCall(RuntimeError):
    """A Customer Profiles call that the active mock could not answer and that was therefore not sent.

    Not a ``ClientError``, so ``except ClientError`` in the code under test cannot swallow it."""

    def __init__(self, method: str, url: str) -> None:
        self.method = method
        self.url = url
        super().__init__(
            f"{PREFIX} a Customer Profiles call reached botocore's HTTP layer while a mock is active: the "
            f"mock's hook never saw it, so nothing answered it, and it was not sent (see {README_LEAKS}).\n"
            f"- {method} {url}\n"
            "- its client comes from a botocore session without the mock's hook: one made before "
            "mock_customer_profiles was imported, or one whose hook was unregistered\n"
            "- make the client with boto3.client() or a boto3.Session() made after that import (the pytest "
            "plugin imports it at start-up), or use the mock's client()"
        )


def _guarded(send: Any) -> Any:
    def send_unless_ours(self: Any, request: Any) -> Any:
        mock = _activation.current()
        if mock is not None and AWS_HOST.match(urlsplit(request.url).hostname or ""):
            error = UnansweredCall(request.method, request.url)
            mock.unanswered.append(error)
            raise error
        return send(self, request)

    return send_unless_ours


def sync() -> None:
    """Wrap botocore's sender while some mock is active, unwrap it when none is. Idempotent."""
    from botocore.httpsession import URLLib3Session

    with _lock:
        wanted = bool(_activation.active())
        if wanted and not _original:
            _original["send"] = URLLib3Session.send
            URLLib3Session.send = _guarded(URLLib3Session.send)  # type: ignore[method-assign,unused-ignore]
        elif not wanted and _original:
            URLLib3Session.send = _original.pop("send")  # type: ignore[method-assign,unused-ignore]
