"""The botocore door: a ``before-send`` handler for customer-profiles, registered once at import.

It is inert while no mock is active. Registered on the service's own event name, it runs before
handlers registered on plain ``before-send`` (moto's), so customer-profiles calls stay ours inside
``mock_aws`` too. A ``before-sign`` handler lends fake credentials to clients that have none while a
mock is active, so a client built before activation on a machine without credentials still works.
"""

from __future__ import annotations

import functools
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


@functools.cache
def _answering() -> tuple[Any, Any, Any]:
    """What answering needs, imported on the first answer (importing the package stays cheap), once."""
    from botocore.awsrequest import AWSResponse

    from mock_customer_profiles._codec import WireRequest
    from mock_customer_profiles._service import region_of

    return AWSResponse, WireRequest, region_of


@functools.lru_cache(maxsize=512)
def _split(url: str) -> tuple[str, str, str]:
    """Path, query and host name of a request URL (a client sends the same few URLs over and over)."""
    parts = urlsplit(url)
    return parts.path or "/", parts.query, parts.hostname or ""


def before_send(request: Any, **_: Any) -> Any:
    mock = _activation.current()
    if mock is None:
        return None
    aws_response, wire_request, region_of = _answering()
    path, query, host = _split(request.url)
    wire = wire_request(request.method, path, query, request.headers, _body_bytes(request.body))
    response = mock.service.handle(wire, region_of(request.headers, host))
    return aws_response(request.url, response.status, response.headers, _Raw(response.body))


def before_sign(request: Any, request_signer: Any = None, **_: Any) -> None:
    if _activation.current() is None or request_signer is None or request_signer._credentials is not None:
        return
    from botocore.credentials import Credentials

    request.context.setdefault("signing", {})["request_credentials"] = Credentials("testing", "testing")


def install() -> None:
    """Register the handlers for every botocore session made from now on, and for boto3's default
    session if one was made before this import. Idempotent.

    Importing botocore costs about 100 ms, more than the rest of this package. When it is not loaded
    yet, the handlers join botocore's built-in list the moment ``botocore.handlers`` is imported, which
    is before any botocore session can exist; importing the package (at pytest start-up, through the
    plugin) then costs only the package itself."""
    handlers = sys.modules.get(_HANDLERS_MODULE)
    if handlers is not None:
        _register(handlers)
    elif not any(isinstance(finder, _OnBotocoreImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _OnBotocoreImport())


_HANDLERS_MODULE = "botocore.handlers"


def _register(handlers: Any) -> None:
    if (SEND_EVENT, before_send) in handlers.BUILTIN_HANDLERS:
        return
    handlers.BUILTIN_HANDLERS.extend([(SEND_EVENT, before_send), (SIGN_EVENT, before_sign)])
    boto3 = sys.modules.get("boto3")
    session = getattr(boto3, "DEFAULT_SESSION", None)
    if session is not None:  # made before this import, so without the built-in handlers above
        session._session.register(SEND_EVENT, before_send)
        session._session.register(SIGN_EVENT, before_sign)


class _OnBotocoreImport:
    """A ``sys.meta_path`` entry that finds nothing itself: it lets the other finders find
    ``botocore.handlers`` and has the module's loader register our handlers right after running it.

    (A plain object with ``find_spec``: subclassing ``importlib.abc.MetaPathFinder`` would import
    ``importlib.abc``, which costs more than this whole package.)"""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != _HANDLERS_MODULE:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(fullname, path, target) if finder is not self and find is not None else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        run = getattr(loader, "exec_module", None)
        if run is None:  # pragma: no cover - every loader of a Python module has exec_module
            return None

        def exec_module(module: Any) -> None:
            run(module)
            _register(module)

        loader.exec_module = exec_module  # this module's own loader object: no other import sees it
        return spec
