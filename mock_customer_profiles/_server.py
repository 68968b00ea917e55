"""The HTTP door: a WSGI application over the same codec and ``Service.handle`` as the botocore hook,
served by werkzeug's threaded server (``python -m mock_customer_profiles serve``, ``ServerThread``).

Only this module speaks HTTP. It takes the raw (still percent-encoded) request target, so labels such
as ``resourceArn`` keep their ``%2F``; answers bad HTTP with modelled JSON errors; and keeps serving
whatever a request does. Control endpoints live under ``/_mock/``. werkzeug is imported only when a
server starts, so the package itself does not need it.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import http.client
import json
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO, cast
from urllib.parse import parse_qsl, quote, urlsplit

from mock_customer_profiles import _codec, _seed, _uploads
from mock_customer_profiles._errors import NotImplementedOperation, ServiceError
from mock_customer_profiles._links import README_IMPLEMENTED, README_SERVER
from mock_customer_profiles._mock import CustomerProfilesMock
from mock_customer_profiles._names import resolve_operation
from mock_customer_profiles._service import Service, region_of

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from werkzeug.serving import BaseWSGIServer

MAX_BODY = 1024 * 1024
"""Largest API request body the server reads (1 MB); a larger one is answered with 413. A file PUT to an upload
URL may be larger (``_uploads.MAX_UPLOAD``)."""
CONTROL_PREFIX = "/_mock/"
JSON = "application/json"


# ------------------------------------------------------------------------------------------- responses


def _error(message: str, code: str, status: int) -> _codec.WireResponse:
    return _codec.serialize_error(ServiceError(message, code=code, status=status))


def _json(document: Any, status: int = 200) -> _codec.WireResponse:
    body = json.dumps(document, default=_jsonable, separators=(",", ":")).encode()
    return _codec.WireResponse(status, {"Content-Type": JSON, "x-amzn-RequestId": _codec.request_id()}, body)


def _jsonable(value: Any) -> Any:
    """Recorded params and responses as JSON: timestamps in epoch seconds (as on the wire), blobs in base64."""
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _not_implemented(operation: str) -> _codec.WireResponse:
    return _error(
        f"mock_customer_profiles: {operation} is not implemented by the mock server.\n"
        f"- nothing was sent to AWS\n"
        f"- implemented operations are listed in {README_IMPLEMENTED}",
        code="NotImplementedOperation",
        status=501,
    )


def _method_not_allowed(method: str, path: str, allowed: list[str]) -> _codec.WireResponse:
    response = _error(
        f"mock_customer_profiles: {method} is not allowed on {path}\n- methods this path answers: {', '.join(allowed)}",
        code="MethodNotAllowedException",
        status=405,
    )
    response.headers["Allow"] = ", ".join(allowed)
    return response


def _too_large(size: int | None) -> _codec.WireResponse:
    told = f"{size} bytes" if size is not None else "more than that"
    return _error(
        f"mock_customer_profiles: the request body is too large.\n- sent: {told}\n- the server accepts at most "
        f"{MAX_BODY} bytes (1 MB)",
        code="RequestEntityTooLargeException",
        status=413,
    )


# --------------------------------------------------------------------------------------------- requests


def _raw_target(environ: WSGIEnvironment) -> tuple[str, str]:
    """Path (still percent-encoded) and query of the request. WSGI's ``PATH_INFO`` is already decoded,
    which would turn an ARN label's ``%2F`` into a path separator, so the raw request target wins."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        target = raw.encode("latin-1").decode("utf-8", "replace")
        parts = urlsplit(target)
        if parts.scheme and parts.netloc:  # absolute-form target (a client talking to a proxy)
            return parts.path or "/", parts.query
        path, _, query = target.partition("?")
        return path or "/", query
    path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
    return quote(path, safe="/:@!$&'()*+,;=-._~") or "/", environ.get("QUERY_STRING", "")


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").title()] = value
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            headers[name] = environ[key]
    return headers


def _read_body(
    environ: WSGIEnvironment, limit: int, too_large: Callable[[int | None], _codec.WireResponse]
) -> bytes | _codec.WireResponse:
    """The request body, or ``too_large(size sent)`` (``None`` when chunked) for one over ``limit``, which is
    then never read."""
    stream = environ.get("wsgi.input")
    text = environ.get("CONTENT_LENGTH") or ""
    if text:
        try:
            length = int(text)
        except ValueError:
            return _error(
                f"mock_customer_profiles: Content-Length {text!r} is not a number", "BadRequestException", 400
            )
        if length > limit:
            return too_large(length)
        return stream.read(length) if stream is not None and length > 0 else b""
    if stream is not None and environ.get("wsgi.input_terminated"):  # chunked: read up to one byte past the limit
        body: bytes = stream.read(limit + 1)
        return too_large(None) if len(body) > limit else body
    return b""


def _upload_too_large(size: int | None) -> _codec.WireResponse:
    return _codec.WireResponse(*_uploads.too_large(size))


# ------------------------------------------------------------------------------------------------ the app


class ServerApp:
    """The WSGI application: service requests go to ``Service.handle``, ``/_mock/...`` to the controls.

    ``mock`` is called for every request, so the mock it serves may be replaced while running."""

    def __init__(self, mock: Callable[[], CustomerProfilesMock]) -> None:
        self._mock = mock

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            response = self.respond(environ)
        except Exception as error:  # noqa: BLE001 - a bug in one request must not stop the server
            traceback.print_exc(file=environ.get("wsgi.errors") or sys.stderr)
            response = _error(
                f"mock_customer_profiles: the server failed on this request: {error!r}\n"
                f"- the server keeps serving; please report this with the request that caused it",
                code="InternalServerException",
                status=500,
            )
        headers = [*response.headers.items(), ("Content-Length", str(len(response.body)))]
        start_response(f"{response.status} {http.client.responses.get(response.status, 'Error')}", headers)
        return [response.body]

    def respond(self, environ: WSGIEnvironment) -> _codec.WireResponse:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        path, query = _raw_target(environ)
        headers = _headers(environ)
        host = urlsplit("//" + headers.get("Host", "")).hostname or ""
        upload = path.startswith(_uploads.SERVER_PREFIX) or host.endswith(_uploads.HOST_SUFFIX)
        if upload:  # a file for S3, which takes more than an API body
            body = _read_body(environ, _uploads.MAX_UPLOAD, _upload_too_large)
        else:
            body = _read_body(environ, MAX_BODY, _too_large)
        if isinstance(body, _codec.WireResponse):
            return body
        if upload:
            status, head, text = _uploads.receive(self._mock().service, method, host, path, query, headers, body)
            return _codec.WireResponse(status, head, text)
        if path.startswith(CONTROL_PREFIX) or path == CONTROL_PREFIX.rstrip("/"):
            return _control(self._mock(), method, path, query, body)
        router = _codec.router()
        if router.match(method, path, query) is None:
            allowed = router.methods_for(path)
            if allowed:
                return _method_not_allowed(method, path, allowed)
        request = _codec.WireRequest(method, path, query, headers, body)
        service = self._mock().service
        # Upload URLs that GetUploadJobPath hands out through the server point at the server (_uploads).
        service.upload_base = f"{environ.get('wsgi.url_scheme', 'http')}://{headers.get('Host', '')}/_mock/uploads"
        try:
            return service.handle(request, region_of(headers, headers.get("Host", "")))
        except NotImplementedOperation as error:  # the hook raises it; over HTTP it must be an answer
            return _not_implemented(error.operation)


# ----------------------------------------------------------------------------------- control endpoints

CONTROLS = {
    "/_mock/reset": "POST",
    "/_mock/seed": "POST",
    "/_mock/calls": "GET",
    "/_mock/effects": "GET",
    "/_mock/settle": "POST",
}


def _control(mock: CustomerProfilesMock, method: str, path: str, query: str, body: bytes) -> _codec.WireResponse:
    wanted = CONTROLS.get(path.rstrip("/"))
    if wanted is None:
        listed = "\n".join(f"- {verb} {name}" for name, verb in CONTROLS.items())
        return _error(
            f"mock_customer_profiles: no control endpoint at {path}\n{listed}\n- see {README_SERVER}",
            code="UnknownOperationException",
            status=404,
        )
    if method != wanted:
        return _method_not_allowed(method, path, [wanted])
    if path.rstrip("/") == "/_mock/reset":
        mock.service.reset()
        return _json({"reset": True})
    if path.rstrip("/") == "/_mock/calls":
        operation = dict(parse_qsl(query, keep_blank_values=True)).get("operation")
        try:  # named as in the API or as boto3's method, checked like get_calls()
            operation = resolve_operation(operation, README_SERVER) if operation is not None else None
        except ValueError as error:
            return _error(str(error), code="BadRequestException", status=400)
        return _json(calls_document(mock.service, operation))
    if path.rstrip("/") == "/_mock/effects":
        return _json(effects_document(mock.service, dict(parse_qsl(query)).get("kind")))
    if path.rstrip("/") == "/_mock/settle":
        with mock.service.lock:
            settled = mock.service.jobs.settle(dict(parse_qsl(query)).get("kind"))
        return _json({"settled": len(settled)})
    try:
        return _json(seed(mock, _codec.parse_body(body)))
    except _seed.SeedError as error:
        return _error(str(error), code="BadRequestException", status=400)
    except ServiceError as error:
        return _error(error.message, code=error.code, status=400)


def calls_document(service: Service, operation: str | None = None) -> dict[str, Any]:
    """The recorded calls as JSON-ready data, oldest first, optionally of one operation only."""
    with service.lock:
        calls = [call for call in service.calls if operation is None or call.operation == operation]
        unimplemented = [call.operation for call in service.unimplemented]
    return {
        "calls": [
            {
                "operation": call.operation,
                "params": call.params,
                "response": call.response,
                "error": getattr(call.error, "response", {}).get("Error") if call.error is not None else None,
            }
            for call in calls
        ],
        "unimplemented": unimplemented,
    }


def effects_document(service: Service, kind: str | None = None) -> dict[str, Any]:
    """The side effects kept on the mock as JSON-ready data: ``{kind: [record, ...]}`` (one kind, when given)."""
    kinds = [kind] if kind is not None else service.effects.kinds()
    return {name: [_plain(record) for record in service.effects.of(name)] for name in kinds}


def _plain(value: Any) -> Any:
    """JSON-ready data from a record: dataclasses as dicts, datetimes as ISO 8601 text, bytes (an uploaded file,
    an ORC snapshot) in base64."""
    import dataclasses
    import datetime as dt

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def seed(mock: CustomerProfilesMock, source: _seed.SeedSource) -> dict[str, list[str]]:
    """Load a seed document into the served mock, as ``CustomerProfilesMock.load`` does (all or nothing;
    ``SeedError`` names every bad entry). Returns the new profile ids per domain."""
    return _seed.read(source).apply(mock.service)


# ------------------------------------------------------------------------------------------ the servers


NEEDS_WERKZEUG = "mock_customer_profiles: server mode needs werkzeug: pip install 'mock-customer-profiles[server]'"


def _make_server(host: str, port: int, app: ServerApp, quiet: bool) -> BaseWSGIServer:
    try:
        from werkzeug.serving import WSGIRequestHandler, make_server
    except ImportError:
        raise RuntimeError(NEEDS_WERKZEUG) from None

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass

    try:
        return make_server(host, port, app, threaded=True, request_handler=QuietHandler if quiet else None)
    except SystemExit:  # werkzeug has printed why (e.g. the port is in use) and exits
        raise OSError(f"mock_customer_profiles: cannot listen on {host}:{port}") from None


def endpoint_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@functools.cache
def _direct_session() -> Any:
    """A boto3 session whose clients go over HTTP even while an in-process mock is active."""
    import boto3
    import botocore.session

    from mock_customer_profiles import _hook

    session = botocore.session.get_session()
    session.unregister(_hook.SEND_EVENT, cast(Any, _hook.before_send))  # botocore calls it with keywords
    session.unregister(_hook.SIGN_EVENT, cast(Any, _hook.before_sign))
    session.unregister(_hook.CLASS_EVENT, cast(Any, _hook.on_client_class))
    return boto3.Session(botocore_session=session)


_client_lock = threading.Lock()


class ServerThread:
    """The mock served over HTTP from a background thread, for tests and integration environments.

    ``ServerThread()`` serves a mock of its own (keyword options as for ``mock_customer_profiles``);
    ``ServerThread(cp)`` serves the given mock, so its seeding helpers, ``calls`` and ``add_error``
    work through the server too. Port 0 (the default) picks a free port, so parallel test workers never
    collide. Use it as a context manager, or ``start()`` and ``stop()``.
    """

    def __init__(
        self, mock: CustomerProfilesMock | None = None, *, host: str = "127.0.0.1", port: int = 0, **options: Any
    ) -> None:
        if mock is not None and options:
            raise TypeError("mock_customer_profiles: give ServerThread either a mock or options, not both")
        self.mock: CustomerProfilesMock = mock if mock is not None else CustomerProfilesMock(**options)
        """The mock being served; it may be replaced while the server runs."""
        if mock is None and self.mock.seed is not None:  # a mock of its own is never started: seed it now
            self.mock.seed.apply(self.mock.service)
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def endpoint_url(self) -> str:
        """``http://host:port`` of the running server, for ``endpoint_url=`` and ``--endpoint-url``."""
        if self._server is None:
            raise RuntimeError("mock_customer_profiles: the ServerThread is not running; call start() first")
        return endpoint_url(self.host, self.port)

    def start(self) -> ServerThread:
        """Listen and serve from a daemon thread. Starting a running server does nothing."""
        if self._server is not None:
            return self
        server = _make_server(self.host, self.port, ServerApp(lambda: self.mock), quiet=True)
        self.port = server.server_port
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"mock_customer_profiles server {self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket. Stopping a stopped server does nothing."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._server = self._thread = None
        server.shutdown()
        thread.join()
        server.server_close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def client(self, region: str | None = None, **kwargs: Any) -> Any:
        """A boto3 ``customer-profiles`` client for this server (fake credentials). It goes over HTTP even
        while an in-process mock is active. ``kwargs`` go to ``session.client`` (e.g. ``config=``)."""
        with _client_lock:  # creating clients from one session is not thread-safe
            return _direct_session().client(
                "customer-profiles",
                region_name=region or self.mock.options.region,
                endpoint_url=self.endpoint_url,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                **kwargs,
            )


# -------------------------------------------------------------------------------------- the command line


def banner(url: str, region: str, account_id: str) -> list[str]:
    return [
        f"mock_customer_profiles: serving Customer Profiles at {url} (region {region}, account {account_id})",
        f"- AWS CLI: AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing aws --region {region} "
        f"--endpoint-url {url} customer-profiles list-domains",
        f'- boto3: boto3.client("customer-profiles", region_name="{region}", endpoint_url="{url}")',
        f"- control: POST {url}/_mock/reset, POST {url}/_mock/seed, GET {url}/_mock/calls",
        "- stop: Ctrl-C or SIGTERM",
    ]


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(
    host: str,
    port: int,
    seed_file: str | None = None,
    region: str = "us-east-1",
    account_id: str = "123456789012",
    out: TextIO | None = None,
) -> int:
    """Serve until Ctrl-C or SIGTERM; the exit status of ``python -m mock_customer_profiles serve``."""
    stream = out or sys.stdout
    try:
        import werkzeug.serving  # noqa: F401 - checked first: without it, one line and no traceback
    except ImportError:
        print(NEEDS_WERKZEUG, file=sys.stderr)
        return 1
    mock = CustomerProfilesMock(region=region, account_id=account_id)
    if seed_file is not None:
        try:
            ids = seed(mock, seed_file)
        except _seed.SeedError as error:  # invalid, or not readable (the message says where it looked)
            print(error, file=sys.stderr)
            return 2
        profiles = sum(len(found) for found in ids.values())
        print(f"mock_customer_profiles: seeded {seed_file}: {len(ids)} domains, {profiles} profiles", file=stream)
    try:
        server = _make_server(host, port, ServerApp(lambda: mock), quiet=False)
    except OSError as error:
        print(error, file=sys.stderr)
        return 1
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        for line in banner(endpoint_url(host, server.server_port), region, account_id):
            print(line, file=stream)
        stream.flush()
        server.serve_forever()  # returns on KeyboardInterrupt (Ctrl-C, or SIGTERM through _interrupt)
    except KeyboardInterrupt:  # pragma: no cover - a signal that lands before serve_forever starts
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
    print("mock_customer_profiles: server stopped", file=stream, flush=True)
    return 0
