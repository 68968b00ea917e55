"""The botocore door: a ``before-send`` handler for customer-profiles, registered once at import.

It is inert while no mock is active. Registered on the service's own event name, it runs before
handlers registered on plain ``before-send`` (moto's), so customer-profiles calls stay ours inside
``mock_aws`` too. A ``before-sign`` handler lends fake credentials to clients that have none while a
mock is active, so a client built before activation on a machine without credentials still works.

Every customer-profiles client class gets a door of its own (``creating-client-class``, botocore's
public event for extending client classes): each client swaps the shared ``before-send`` handler for
one that knows the client, so that an aiobotocore/aioboto3 client is answered in the form it awaits,
the client's ``read_timeout`` is honoured, and its retries do not wait while a mock is active.
"""

from __future__ import annotations

import functools
import io
import sys
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from mock_customer_profiles import _activation

SEND_EVENT = "before-send.customer-profiles"
SIGN_EVENT = "before-sign.customer-profiles"
CLASS_EVENT = "creating-client-class.customer-profiles"
DOOR_ID = "mock_customer_profiles.door"
"""The ``unique_id`` of a client's own ``before-send`` handler: ``client.meta.events.unregister(SEND_EVENT,
unique_id=DOOR_ID)`` takes the mock off one client."""


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
    """The shared handler: answers clients whose class has no door of its own (made before this import)."""
    mock = _activation.current()
    if mock is None:
        return None
    return _SYNC.answer(mock, request)


class ClientDoor:
    """One client's door: how its calls are answered (synchronously, or in the awaitable form of an
    aiobotocore client) and after how long it gives up reading (its ``read_timeout``)."""

    __slots__ = ("is_async", "read_timeout")

    def __init__(self, is_async: bool = False, read_timeout: float | None = None) -> None:
        self.is_async = is_async
        self.read_timeout = read_timeout

    def before_send(self, request: Any, **_: Any) -> Any:
        mock = _activation.current()
        if mock is None:
            return None
        return self.answer(mock, request)

    def answer(self, mock: Any, request: Any) -> Any:
        aws_response, wire_request, region_of = _answering()
        path, query, host = _split(request.url)
        wire = wire_request(request.method, path, query, request.headers, _body_bytes(request.body))
        answer = mock.service.respond(
            wire, region_of(request.headers, host), url=request.url, read_timeout=self.read_timeout
        )
        response = answer.response
        if response is None:  # a transport fault: raised here, botocore's endpoint handles it as urllib3's
            raise answer.error or AssertionError("an answer holds a response or an error")
        if self.is_async:
            return _async_answer(request.url, response, answer.latency)
        if answer.latency:
            time.sleep(answer.latency)
        return aws_response(request.url, response.status, response.headers, _Raw(response.body))


_SYNC = ClientDoor()


# ------------------------------------------------------------------------------------------ async clients


class _AsyncRaw:
    """The raw response of an answer to an aiobotocore client, as much of aiohttp's (and httpx's) as
    aiobotocore reads: the body with ``await`` (``read``; ``aread`` for httpx), and ``raw_headers``, which
    aiobotocore before 2.13 reads the headers from (pairs of bytes)."""

    __slots__ = ("_body", "raw_headers")

    def __init__(self, body: bytes, headers: dict[str, str]) -> None:
        self._body = body
        self.raw_headers = tuple((name.encode(), value.encode()) for name, value in headers.items())

    async def read(self, *_: Any) -> bytes:
        return self._body

    async def aread(self) -> bytes:  # pragma: no cover - aiobotocore 3's httpx backend (CI runs aiohttp's)
        return self._body


async def _async_answer(url: str, response: Any, latency: float) -> Any:
    """The answer an aiobotocore client awaits: its endpoint awaits what the ``before-send`` handlers
    return (``resolve_awaitable`` in its event emitter), then awaits ``http_response.content``.
    Checked against aiobotocore 2.11 (botocore 1.34), 2.25 (aioboto3 15.5) and 3.10 (botocore 1.43);
    the response class is aiobotocore's own ``AioAWSResponse``, loaded since its client is asking."""
    if latency:
        await _async_sleep(latency)
    from aiobotocore.awsrequest import AioAWSResponse  # type: ignore[import-not-found, unused-ignore]

    return AioAWSResponse(url, response.status, response.headers, _AsyncRaw(response.body, response.headers))


async def _async_sleep(seconds: float) -> None:
    """Sleep without blocking the event loop: anyio's sleep where anyio is loaded (asyncio or trio),
    else asyncio's."""
    anyio = sys.modules.get("anyio")
    if anyio is not None:
        await anyio.sleep(seconds)
        return
    import asyncio

    await asyncio.sleep(seconds)


# ----------------------------------------------------------------------------------- the client's own door


def on_client_class(base_classes: list[Any], **_: Any) -> None:
    """``creating-client-class.customer-profiles``: every customer-profiles client class, botocore's or
    aiobotocore's, opens its own door when an instance is made."""
    if DoorMixin not in base_classes:
        base_classes.insert(0, DoorMixin)


class DoorMixin:
    """Mixed into customer-profiles client classes (first base): after the client is made, its event
    emitter (a copy per client) answers with a ``ClientDoor`` of its own instead of the shared handler,
    and wraps the retry handlers that botocore registers next (see ``_instant_retries``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _open_door(self)


def _open_door(client: Any) -> None:
    import inspect

    # An aiobotocore client's API calls are coroutines: that is what says which form it awaits.
    is_async = inspect.iscoroutinefunction(type(client)._make_api_call)
    config = client.meta.config
    door = ClientDoor(is_async, getattr(config, "read_timeout", None))
    events = client.meta.events
    events.unregister(SEND_EVENT, before_send)
    events.register(SEND_EVENT, door.before_send, unique_id=DOOR_ID)
    _instant_retries(events)


def _instant_retries(events: Any) -> None:
    """Retry handlers that botocore (or aiobotocore) registers on this client from now on keep their
    decisions, but while a mock is active (and its ``retry_delays`` option is off) nothing waits:

    - a ``needs-retry`` handler's back-off (the endpoint sleeps for what it returns) becomes 0;
    - adaptive mode's client-side rate limiter (``on_sending_request`` on ``before-send``, which blocks
      until its token bucket allows the next attempt) is not consulted.

    ``register`` is shadowed on this client's emitter only (each client has its own copy). Standard,
    adaptive and legacy modes all register through it: checked against botocore 1.34 to 1.44 and
    aiobotocore 2.11 to 3.10."""
    register = events.register

    def register_without_waiting(
        event_name: str, handler: Any, unique_id: Any = None, unique_id_uses_count: bool = False
    ) -> None:
        if event_name.startswith("needs-retry"):
            handler = _without_waiting(handler)
        elif event_name == "before-send" and getattr(handler, "__name__", "") == "on_sending_request":
            handler = _unless_mocked(handler)
        register(event_name, handler, unique_id, unique_id_uses_count)

    events.register = register_without_waiting


def _waits() -> bool:
    """Whether retries wait now: no mock is active, or the active one asks for real delays."""
    mock = _activation.current()
    return mock is None or bool(mock.options.retry_delays)


def _unless_mocked(handler: Any) -> Any:
    def on_sending_request(**kwargs: Any) -> Any:
        return handler(**kwargs) if _waits() else None

    return on_sending_request


def _without_waiting(handler: Any) -> Any:
    def needs_retry(**kwargs: Any) -> Any:
        delay = handler(**kwargs)
        if hasattr(delay, "__await__"):  # aiobotocore's handlers are coroutines
            return _awaited_without_waiting(delay)
        return _no_wait(delay)

    return needs_retry


async def _awaited_without_waiting(delay: Any) -> Any:
    return _no_wait(await delay)


def _no_wait(delay: Any) -> Any:
    """0 for a retry's back-off while a mock that does not ask for real delays is active; else ``delay``.
    (``None`` and ``False`` mean "no retry" and stay so.)"""
    if delay is None or isinstance(delay, bool) or _waits():
        return delay
    return 0


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
    ours: list[tuple[str, Any]] = [(SEND_EVENT, before_send), (SIGN_EVENT, before_sign), (CLASS_EVENT, on_client_class)]
    handlers.BUILTIN_HANDLERS.extend(ours)
    boto3 = sys.modules.get("boto3")
    session = getattr(boto3, "DEFAULT_SESSION", None)
    if session is not None:  # made before this import, so without the built-in handlers above
        session._session.register(SEND_EVENT, before_send)
        session._session.register(SIGN_EVENT, before_sign)
        session._session.register(CLASS_EVENT, on_client_class)


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
