"""The fake service of one mock: backends, the dispatch of a request through codec and handler, and
the record of calls. The doors (botocore hook, ``responses``, HTTP server) all end here."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles import _codec
from mock_customer_profiles._backend import Backend
from mock_customer_profiles._errors import NotImplementedOperation, ServiceError
from mock_customer_profiles._handlers import HANDLERS, Context, Output, Params
from mock_customer_profiles._model import operation_model
from mock_customer_profiles._options import Options
from mock_customer_profiles._schema import input_validator

_SCOPE = re.compile(r"Credential=[^/,]+/\d{8}/([^/,]+)/")
_HOST_REGION = re.compile(r"^profile[.-]([a-z0-9-]+)\.amazonaws\.com", re.IGNORECASE)


def region_of(headers: Any, host: str = "") -> str | None:
    """The region a request was meant for: its SigV4 credential scope, else the endpoint's host name."""
    auth = headers.get("Authorization") or headers.get("authorization")
    if auth:
        found = _SCOPE.search(auth if isinstance(auth, str) else auth.decode())
        if found:
            return found.group(1)
    found = _HOST_REGION.match(host)
    return found.group(1) if found else None


@dataclass
class Call:
    """One call the code under test made: the params as sent, and the response or the error."""

    operation: str
    params: dict[str, Any]
    response: dict[str, Any] | None = None
    error: Exception | None = None


class CallList(list[Call]):
    @property
    def last(self) -> Call:
        """The most recent call (``IndexError`` when there is none)."""
        return self[-1]


@dataclass
class InjectedError:
    operation: str
    code: str
    message: str
    times: int
    match: dict[str, Any] = field(default_factory=dict)
    used: int = 0

    def matches(self, operation: str, params: Params) -> bool:
        return operation == self.operation and all(params.get(k) == v for k, v in self.match.items())


def client_error(operation: str, error: ServiceError, status: int) -> Exception:
    from botocore.exceptions import ClientError

    response = {
        "Error": {"Code": error.code, "Message": error.message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    error_type: type[Exception] = ClientError
    return error_type(response, operation)


class Service:
    """Backends per account and region, behind one lock; dispatches wire requests and seeding calls."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.backends: dict[tuple[str, str], Backend] = {}
        self.lock = threading.RLock()
        self.calls = CallList()
        self.injected: list[InjectedError] = []
        self.unimplemented: list[str] = []

    def backend(self, region: str | None = None, account_id: str | None = None) -> Backend:
        key = (account_id or self.options.account_id, region or self.options.region)
        backend = self.backends.get(key)
        if backend is None:
            backend = self.backends[key] = Backend(*key)
        return backend

    # ------------------------------------------------------------------------------------------ dispatch

    def handle(self, request: _codec.WireRequest, region: str | None = None) -> _codec.WireResponse:
        """Answer one wire request. Raises ``NotImplementedOperation`` for an operation with no handler."""
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
            with self.lock:
                self.unimplemented.append(operation)
            raise NotImplementedOperation(operation)
        params: Params = {}
        try:
            wire = _codec.wire_params(operation, labels, request)
            input_validator(operation).check(wire)
            params = _codec.finish_params(operation, wire)
            with self.lock:
                self._inject(operation, params)
                output = HANDLERS[operation](Context(self.backend(region), self.options), params)
                document = _codec.output_document(operation, output)
        except ServiceError as error:
            response = _codec.serialize_error(error)
            self._record(Call(operation, params, error=client_error(operation, error, response.status)))
            return response
        self._record(Call(operation, params, response=output))
        return _codec.serialize_output(operation, document)

    def call(self, operation: str, params: Params, region: str | None = None) -> Output:
        """Run an operation for a seeding helper: the same validation and handler as a wire call."""
        shape = operation_model(operation).input_shape
        wire = _codec.encode(shape, params) if shape is not None else {}
        input_validator(operation).check(wire)
        finished = _codec.finish_params(operation, wire)
        with self.lock:
            return HANDLERS[operation](Context(self.backend(region), self.options), finished)

    def _inject(self, operation: str, params: Params) -> None:
        for injected in self.injected:
            if injected.used < injected.times and injected.matches(operation, params):
                injected.used += 1
                raise ServiceError(injected.message, code=injected.code)

    def _record(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)
