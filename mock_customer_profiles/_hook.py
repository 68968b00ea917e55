"""The botocore door: a ``before-send`` handler for customer-profiles, registered once at import.

It is inert while no mock is active. Registered on the service's own event name, it runs before
handlers registered on plain ``before-send`` (moto's), so customer-profiles calls stay ours inside
``mock_aws`` too. A ``before-sign`` handler lends fake credentials to clients that have none while a
mock is active, so a client built before activation on a machine without credentials still works.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from mock_customer_profiles import _activation

SEND_EVENT = "before-send.customer-profiles"
SIGN_EVENT = "before-sign.customer-profiles"


class _Raw(io.BytesIO):
    """The raw body botocore reads from an ``AWSResponse``."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if hasattr(body, "read"):  # pragma: no cover - customer-profiles has no streaming input
        data = body.read()
        return data if isinstance(data, bytes) else str(data).encode()
    return bytes(body)  # pragma: no cover - bytearray and memoryview


def before_send(request: Any, **_: Any) -> Any:
    mock = _activation.current()
    if mock is None:
        return None
    from botocore.awsrequest import AWSResponse

    from mock_customer_profiles._codec import WireRequest
    from mock_customer_profiles._service import region_of

    parts = urlsplit(request.url)
    wire = WireRequest(request.method, parts.path or "/", parts.query, request.headers, _body_bytes(request.body))
    response = mock.service.handle(wire, region_of(request.headers, parts.hostname or ""))
    return AWSResponse(request.url, response.status, response.headers, _Raw(response.body))


def before_sign(request: Any, request_signer: Any = None, **_: Any) -> None:
    if _activation.current() is None or request_signer is None or request_signer._credentials is not None:
        return
    from botocore.credentials import Credentials

    request.context.setdefault("signing", {})["request_credentials"] = Credentials("testing", "testing")


def install() -> None:
    """Register the handlers for every botocore session made from now on, and for boto3's default
    session if one was made before this import. Idempotent."""
    import botocore.handlers

    if (SEND_EVENT, before_send) in botocore.handlers.BUILTIN_HANDLERS:
        return
    botocore.handlers.BUILTIN_HANDLERS.extend([(SEND_EVENT, before_send), (SIGN_EVENT, before_sign)])
    boto3 = sys.modules.get("boto3")
    session = getattr(boto3, "DEFAULT_SESSION", None)
    if session is not None:  # made before this import, so without the built-in handlers above
        session._session.register(SEND_EVENT, before_send)
        session._session.register(SIGN_EVENT, before_sign)
