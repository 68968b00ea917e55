"""The fake service of one mock: backends, the dispatch of a request through codec and handler, and
the record of calls. The doors (botocore hook, ``responses``, HTTP server) all end here."""

from __future__ import annotations

import functools
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, cast

from mock_customer_profiles import _codec, _hints
from mock_customer_profiles._backend import Backend
from mock_customer_profiles._effects import Effects
from mock_customer_profiles._errors import NotImplementedOperation, ServiceError
from mock_customer_profiles._handlers import HANDLERS, KEEPS_PARAMS, Context, Output, Params
from mock_customer_profiles._lifecycle import Jobs
from mock_customer_profiles._model import operation_model
from mock_customer_profiles._options import Options
from mock_customer_profiles._schema import input_validator
from mock_customer_profiles._words import call_text, pattern_text

_SCOPE = re.compile(r"Credential=[^/,]+/\d{8}/([^/,]+)/")
_HOST_REGION = re.compile(r"^profile[.-]([a-z0-9-]+)\.amazonaws\.com", re.IGNORECASE)


def region_of(headers: Any, host: str = "") -> str | None:
    """The region a request was meant for: its SigV4 credential scope, else the endpoint's host name."""
    auth = headers.get("Authorization") or headers.get("authorization")
    if auth:
        text = auth if isinstance(auth, str) else auth.decode()
        # A match holds no comma, so if the part before the first comma (where SigV4 puts the credential,
        # the same from call to call) holds one, it is the first match of the whole header.
        region = _scope_region(text.partition(",")[0]) or _scope_region(text)
        if region:
            return region
    found = _HOST_REGION.match(host)
    return found.group(1) if found else None


@functools.lru_cache(maxsize=256)
def _scope_region(text: str) -> str | None:
    found = _SCOPE.search(text)
    return found.group(1) if found else None


class Call:
    """One call the code under test made, as plain data.

    ``params``: the input as sent, by member name (uri labels first), as boto3 takes them.
    ``response``: the parsed output a client sees (botocore's own parser), without ``ResponseMetadata``;
    ``None`` when the call failed. ``error``: the ``botocore.exceptions.ClientError`` the client raised,
    or ``None``. Both are parsed from the wire response on first use, so recording costs nothing.
    """

    __match_args__ = ("operation", "params", "response", "error")
    __slots__ = ("_error", "_response", "_wire", "operation", "params")  # kept for every call: no __dict__

    def __init__(
        self,
        operation: str,
        params: dict[str, Any],
        response: dict[str, Any] | None = None,
        error: Exception | None = None,
    ) -> None:
        self.operation = operation
        self.params = params
        self._response = response
        self._error = error
        self._wire: _codec.WireResponse | None = None

    @classmethod
    def answered(cls, operation: str, params: dict[str, Any], wire: _codec.WireResponse) -> Call:
        """A call answered with ``wire`` (a response or a modelled error), parsed when first read."""
        call = cls(operation, params)
        call._wire = wire
        return call

    def _parse(self) -> None:
        wire = self._wire
        if wire is None:
            return
        parsed = parse_wire(self.operation, wire)
        if wire.status >= 300:
            from botocore.exceptions import ClientError

            self._error = ClientError(cast(Any, parsed), self.operation)  # parsed as botocore parses it
        else:
            parsed.pop("ResponseMetadata", None)
            self._response = parsed
        self._wire = None

    @property
    def response(self) -> dict[str, Any] | None:
        self._parse()
        return self._response

    @property
    def error(self) -> Exception | None:
        self._parse()
        return self._error

    def __str__(self) -> str:
        """The call in the API's words, and the error code when it failed."""
        text = call_text(self.operation, self.params)
        error = self.error
        if error is None:
            return text
        code = getattr(error, "response", {}).get("Error", {}).get("Code") or type(error).__name__
        return f"{text} -> {code}"

    def __repr__(self) -> str:
        return (
            f"Call(operation={self.operation!r}, params={self.params!r}, "
            f"response={self.response!r}, error={self.error!r})"
        )


class CallList(list[Call]):
    """The calls recorded by a mock, oldest first."""

    @property
    def last(self) -> Call:
        """The most recent call (``IndexError`` when there is none)."""
        return self[-1]


@functools.cache
def _parser() -> Any:
    from botocore.parsers import create_parser

    return create_parser("rest-json")


def parse_wire(operation: str, wire: _codec.WireResponse) -> dict[str, Any]:
    """``wire`` as botocore's client parses it (``ResponseMetadata`` included)."""
    from botocore.awsrequest import HeadersDict

    response = {"status_code": wire.status, "headers": HeadersDict(wire.headers), "body": wire.body}
    parsed: dict[str, Any] = _parser().parse(response, operation_model(operation).output_shape)
    return parsed


def params_include(params: Params, wanted: Params) -> bool:
    """Whether ``params`` hold every member of ``wanted`` with an equal value (the filters of
    ``get_calls``, ``assert_called`` and ``add_error``)."""
    return all(name in params and params[name] == value for name, value in wanted.items())


@dataclass
class InjectedError:
    """An error that ``add_error`` queued: the next ``times`` calls matching it fail with ``code``."""

    operation: str
    code: str
    message: str
    times: int = 1
    match: dict[str, Any] = field(default_factory=dict)
    latency: float = 0.0
    used: int = 0

    def matches(self, operation: str, params: Params) -> bool:
        return operation == self.operation and params_include(params, self.match)

    def __str__(self) -> str:
        times = f" (times={self.times}, used {self.used})" if self.times > 1 else ""
        return f"{pattern_text(self.operation, self.match)} -> {self.code}{times}"


def client_error(operation: str, error: ServiceError) -> Exception:
    """The ``ClientError`` a boto3 client raises for ``error`` (for the seeding helpers)."""
    return Call.answered(operation, {}, _codec.serialize_error(error)).error or error


class Service:
    """Backends per account and region, behind one lock; dispatches wire requests and seeding calls."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.backends: dict[tuple[str, str], Backend] = {}
        self.lock = threading.RLock()
        self.calls = CallList()
        self.injected: list[InjectedError] = []
        self.unimplemented = CallList()
        self.effects = Effects()
        self.jobs = Jobs(options.lifecycle)

    def reset(self) -> None:
        """Forget every domain, profile, recorded call, injected error, side effect and run of an
        asynchronous resource (tokens issued before go stale)."""
        with self.lock:
            self.backends.clear()
            self.calls.clear()
            self.injected.clear()
            self.unimplemented.clear()
            self.effects.clear()
            self.jobs = Jobs(self.options.lifecycle)

    def context(self, region: str | None = None) -> Context:
        """What a handler of a call for ``region`` gets."""
        return Context(self.backend(region), self.options, self.effects, self.jobs)

    def backend(self, region: str | None = None, account_id: str | None = None) -> Backend:
        key = (account_id or self.options.account_id, region or self.options.region)
        backend = self.backends.get(key)
        if backend is None:
            backend = self.backends[key] = Backend(*key)
        return backend

    # ------------------------------------------------------------------------------------------ dispatch

    def handle(self, request: _codec.WireRequest, region: str | None = None) -> _codec.WireResponse:
        """Answer one wire request and record it in ``calls``.

        Raises ``NotImplementedOperation`` for an operation with no handler (recorded in ``unimplemented``)."""
        routed = _codec.router().match(request.method, request.path, request.query)
        if routed is None:
            return _codec.serialize_error(
                ServiceError(
                    f"mock_customer_profiles: no Customer Profiles operation answers {request.method} {request.path}",
                    code="UnknownOperationException",
                    status=404,
                )
            )
        operation, labels = routed
        if operation not in HANDLERS:
            return self._unimplemented(operation, _loose_params(operation, labels, request))
        params: Params = dict(labels)
        try:
            wire = _codec.wire_params(operation, labels, request)
            params = _labels_first(labels, _loose_finish(operation, wire))
            input_validator(operation).check(wire)
            injected = self._take_injected(operation, params)
            if injected is not None:
                return self._fail(operation, params, injected)
            with self.lock:
                output = HANDLERS[operation](self.context(region), params)
                document = _codec.output_document(operation, output)
        except ServiceError as error:
            response = _codec.serialize_error(error)
            if error.code == "ResourceNotFoundException":
                _hints.region_miss(self, operation, params, region)
        else:
            response = _codec.serialize_output(operation, document)
        return self._record(operation, params, response)

    def _unimplemented(self, operation: str, params: Params) -> _codec.WireResponse:
        """An injected error still fails the call (error paths are testable for every operation);
        otherwise ``NotImplementedOperation``."""
        injected = self._take_injected(operation, params)
        if injected is not None:
            return self._fail(operation, params, injected)
        error = NotImplementedOperation(operation)
        with self.lock:
            self.unimplemented.append(Call(operation, params, error=error))
        raise error

    def _fail(self, operation: str, params: Params, injected: InjectedError) -> _codec.WireResponse:
        if injected.latency:
            time.sleep(injected.latency)
        return self._record(
            operation, params, _codec.serialize_error(ServiceError(injected.message, code=injected.code))
        )

    def _record(self, operation: str, params: Params, response: _codec.WireResponse) -> _codec.WireResponse:
        call = Call.answered(operation, _copy(params) if operation in KEEPS_PARAMS else params, response)
        with self.lock:
            self.calls.append(call)
        return response

    def call(self, operation: str, params: Params, region: str | None = None) -> Output:
        """Run an operation for a seeding helper: the same validation and handler as a wire call, not
        recorded in ``calls`` and never failed by an injected error. The handler gets a copy of ``params``:
        what a caller (or a seed document applied to every activation) passes in is never stored itself."""
        if operation not in HANDLERS:
            raise NotImplementedOperation(operation)
        shape = operation_model(operation).input_shape
        wire = _codec.encode(shape, _copy(params)) if shape is not None else {}
        input_validator(operation).check(wire)
        finished = _codec.finish_params(operation, wire)
        with self.lock:
            return HANDLERS[operation](self.context(region), finished)

    def _take_injected(self, operation: str, params: Params) -> InjectedError | None:
        """The first injected error that matches this call and has uses left (that use is taken)."""
        if not self.injected:  # the common case: nothing queued, no lock to take
            return None
        with self.lock:
            for injected in self.injected:
                if injected.used < injected.times and injected.matches(operation, params):
                    injected.used += 1
                    return injected
        return None


def _copy(value: Any) -> Any:
    """A copy of JSON-like data, so that the record never shares a dict or list with the backend."""
    if isinstance(value, dict):
        return {key: _copy(item) if isinstance(item, _CONTAINERS) else item for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) if isinstance(item, _CONTAINERS) else item for item in value]
    return value


_CONTAINERS = (dict, list)  # what _copy copies; everything else in params is immutable (str, numbers, ...)


def _labels_first(labels: dict[str, str], params: Params) -> Params:
    """Params with the uri labels (``DomainName``, ...) first, as a reader expects them."""
    ordered = {name: params[name] for name in labels if name in params}
    ordered.update(params)
    return ordered


def _loose_finish(operation: str, wire: Params) -> Params:
    """Params by member name for the record, even from a request that fails validation."""
    try:
        return _codec.finish_params(operation, wire)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError, OSError):
        return dict(wire)


def _loose_params(operation: str, labels: dict[str, str], request: _codec.WireRequest) -> Params:
    try:
        wire = _codec.wire_params(operation, labels, request)
    except ServiceError:
        return dict(labels)
    return _labels_first(labels, _loose_finish(operation, wire))
