"""The wire codec: rest-json, as the service model describes it, seen from the server's side.

It routes a request by HTTP method and ``requestUri`` template, parses uri, querystring, header and
body members into the operation's input params, and serializes output and modelled errors. It knows
the protocol and the model, nothing about profiles. Every door (the botocore hook, ``responses``, the
HTTP server) hands it a ``WireRequest`` and sends back the ``WireResponse`` it gets.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import itertools
import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

from mock_customer_profiles._errors import BadRequest, ServiceError
from mock_customer_profiles._model import error_status, operation_model, operation_names
from mock_customer_profiles._schema import wire_members, wire_name

if TYPE_CHECKING:
    from botocore.model import OperationModel

    from mock_customer_profiles._model import Shape

JSON = "application/json"


def _model_of(operation: str | OperationModel) -> OperationModel:
    """Codec functions take an operation name of the service model, or an ``OperationModel`` of any
    rest-json model (the tests drive the codec with a small synthetic one)."""
    return operation_model(operation) if isinstance(operation, str) else operation


@dataclass(slots=True)
class WireRequest:
    """One HTTP request as it reached a door; ``path`` is still percent-encoded."""

    method: str
    path: str
    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(slots=True)  # every answered call keeps its response (Call parses it on first use): no __dict__
class WireResponse:
    status: int
    headers: dict[str, str]
    body: bytes


# ------------------------------------------------------------------------------------------------ routing


@dataclass(frozen=True)
class Route:
    operation: str
    method: str
    regex: re.Pattern[str]
    labels: tuple[tuple[str, str], ...]  # (regex group, member name)
    query_literals: tuple[tuple[str, str], ...]
    specificity: tuple[int, int, int, int]  # smaller sorts first: the most specific template wins
    segments: int | None  # how many "/" a matching path holds; None when a greedy label spans any number

    def match(self, path: str, query: str) -> dict[str, str] | None:
        found = self.regex.match(path)
        if found is None:
            return None
        if self.query_literals:
            given = dict(parse_qsl(query, keep_blank_values=True))
            for key, value in self.query_literals:
                if key not in given or (value and given[key] != value):
                    return None
        return {member: unquote(found.group(group)) for group, member in self.labels}


def _compile_route(model: OperationModel) -> Route:
    http = model.http
    template, _, literal_query = http["requestUri"].partition("?")
    labels: list[tuple[str, str]] = []
    pattern = ["^"]
    literal_chars = greedy_labels = 0
    for index, piece in enumerate(re.split(r"(\{[^}]+\})", template)):
        if index % 2 == 0:
            pattern.append(re.escape(piece))
            literal_chars += len(piece)
            continue
        name = piece[1:-1]
        greedy = name.endswith("+")
        greedy_labels += greedy
        group = f"l{len(labels)}"
        labels.append((group, name.rstrip("+")))
        pattern.append(f"(?P<{group}>.+)" if greedy else f"(?P<{group}>[^/]+)")
    pattern.append("/?$" if template != "/" else "$")
    literals = tuple(parse_qsl(literal_query, keep_blank_values=True))
    # More literal path characters, then more query literals, then fewer greedy labels, then fewer labels.
    specificity = (-literal_chars, -len(literals), greedy_labels, len(labels))
    segments = None if greedy_labels else _segments(template)
    regex = re.compile("".join(pattern))
    return Route(model.name, http["method"], regex, tuple(labels), literals, specificity, segments)


def _segments(path: str) -> int:
    """The number of "/" in a path, a trailing one (which every template allows) not counted."""
    return path.count("/") - (1 if len(path) > 1 and path.endswith("/") else 0)


_ROUTE_CACHE_SIZE = 4096


class Router:
    """Finds the operation for a method and path; the most specific template wins.

    Only the routes that can match a path's number of segments are tried, and answers are remembered
    (routing is a pure function of method, path and, where a template has literal query keys, query).
    """

    def __init__(self, operations: Iterable[OperationModel] | None = None) -> None:
        models = operations if operations is not None else (operation_model(name) for name in operation_names())
        routes = sorted((_compile_route(model) for model in models), key=lambda r: (r.specificity, r.operation))
        self._by_method: dict[str, list[Route]] = {}
        for route in routes:
            self._by_method.setdefault(route.method, []).append(route)
        self._candidates: dict[tuple[str, int], list[Route]] = {}
        self._uses_query = any(route.query_literals for route in routes)
        self._cache: dict[tuple[str, str, str], tuple[str, dict[str, str]] | None] = {}

    def match(self, method: str, path: str, query: str = "") -> tuple[str, dict[str, str]] | None:
        key = (method, path, query if self._uses_query else "")
        try:
            found = self._cache[key]
        except KeyError:
            found = self._match(method.upper(), path, query)
            if len(self._cache) >= _ROUTE_CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = found
        if found is None:
            return None
        operation, labels = found
        return operation, dict(labels)  # a copy: the caller may change it

    def _match(self, method: str, path: str, query: str) -> tuple[str, dict[str, str]] | None:
        count = _segments(path)
        candidates = self._candidates.get((method, count))
        if candidates is None:
            candidates = [
                route for route in self._by_method.get(method, ()) if route.segments in (None, count)
            ]  # in the order of specificity of _by_method
            self._candidates[(method, count)] = candidates
        for route in candidates:
            labels = route.match(path, query)
            if labels is not None:
                return route.operation, labels
        return None

    def methods_for(self, path: str) -> list[str]:
        """Methods that some operation answers on this path (for a 405 from the server door)."""
        return sorted(
            method for method, routes in self._by_method.items() if any(route.regex.match(path) for route in routes)
        )


@functools.cache
def router() -> Router:
    return Router()


# ------------------------------------------------------------------------------------------- value codecs


@functools.cache
def _needs_walk(shape: Shape) -> bool:
    """Whether JSON values of this shape differ from params (timestamps, blobs, renamed members)."""
    return _walk_needed(shape, set())


def _walk_needed(shape: Shape, seen: set[str]) -> bool:
    kind = shape.type_name
    if kind in ("timestamp", "blob"):
        return True
    if shape.name in seen:
        return False
    seen.add(shape.name)
    if kind == "structure":
        return any(
            wire_name(name, member) != name or _walk_needed(member, seen) for name, member in shape.members.items()
        )
    if kind == "list":
        return _walk_needed(shape.member, seen)
    if kind == "map":
        return _walk_needed(shape.value, seen)
    return False


def decode(shape: Shape, value: Any) -> Any:
    """JSON value (already validated) to params: wire names to member names, epochs to datetimes."""
    if not _needs_walk(shape):
        return value
    kind = shape.type_name
    if kind == "structure":
        wire = wire_members(shape)
        out: dict[str, Any] = {}
        for key, item in value.items():
            name, member = wire[key]
            out[name] = decode(member, item)
        return out
    if kind == "list":
        return [decode(shape.member, item) for item in value]
    if kind == "map":
        return {key: decode(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":  # the schema keeps it within the years 1 to 9999
        return dt.datetime.fromtimestamp(value, tz=dt.timezone.utc)
    return base64.b64decode(value)  # blob; the schema checked that it is base64


def encode(shape: Shape, value: Any) -> Any:
    """Params-style value to JSON: member names to wire names, datetimes to epoch seconds."""
    if not _needs_walk(shape):
        return value
    kind = shape.type_name
    if kind == "structure":
        members = shape.members
        out: dict[str, Any] = {}
        for name, item in value.items():
            member = members.get(name)
            if member is None:  # not in the shape: kept, so that output validation names it (a member of a
                out[name] = _jsonable(item)  # newer model answered under an older one must still encode)
            elif item is not None:
                out[wire_name(name, member)] = encode(member, item)
        return out
    if kind == "list":
        return [encode(shape.member, item) for item in value]
    if kind == "map":
        return {key: encode(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":
        return _epoch(value)
    if isinstance(value, str):  # as botocore takes a blob: text is sent as its UTF-8 bytes
        value = value.encode()
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


def _jsonable(value: Any) -> Any:
    """A value of no known shape as JSON takes it: datetimes as epoch seconds, inside lists and maps too."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return _epoch(value)


def _epoch(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        stamp = value.timestamp()
        return int(stamp) if stamp == int(stamp) else stamp
    return value


def _reject(value: str, member: str, aws_type: str) -> BadRequest:
    return BadRequest(
        f"1 validation error detected: Value '{value}' at '{member[:1].lower() + member[1:]}' "
        f"failed to satisfy constraint: Member must be of type {aws_type}"
    )


# Numbers as a querystring or header writes them: ASCII digits only. Python's int() and float() also take
# spaces, underscores, other scripts' digits, "nan" and "inf", which no AWS service reads as numbers.
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+\Z")
_NUMBER_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")


def _scalar_from_text(shape: Shape, text: str, member: str) -> Any:
    """A uri, querystring or header value to its JSON value (the schema then checks it)."""
    kind = shape.type_name
    if kind in ("integer", "long"):
        if not _INTEGER_TEXT.match(text):
            raise _reject(text, member, kind)
        return int(text)
    if kind in ("float", "double"):
        if not _NUMBER_TEXT.match(text):
            raise _reject(text, member, kind)
        return float(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise _reject(text, member, kind)
        return text == "true"
    if kind == "timestamp":
        return _parse_time_text(text, member)
    return text


def _parse_time_text(text: str, member: str) -> float:
    """Epoch seconds of a timestamp as botocore writes it in a uri or query (ISO 8601), a header (RFC 822),
    or with ``timestampFormat: unixTimestamp``."""
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(number):
            return number
        raise _reject(text, member, "timestamp")
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        import email.utils  # here, not at the top: rarely needed, and 10 ms to import

        try:
            stamp = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            raise _reject(text, member, "timestamp") from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.timestamp()


def _text_of(shape: Shape, value: Any) -> str:
    """A member of the output document (JSON form) as the text of a response header."""
    kind = shape.type_name
    if kind == "timestamp":
        import email.utils

        return email.utils.formatdate(value, usegmt=True)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "list":
        return ",".join(_text_of(shape.member, item) for item in value)
    if shape.serialization.get("jsonvalue"):
        return base64.b64encode(json.dumps(value, separators=(",", ":")).encode()).decode("ascii")
    return str(value)


# One item of a comma-separated header: a quoted string (botocore quotes an item that holds a comma or a
# double quote, and escapes its double quotes, only those, with a backslash) or plain text up to a comma.
_HEADER_ITEM = re.compile(r'\s*(?:"((?:\\"|[^"])*)"|([^,]*))\s*(,|\Z)')


def _header_items(text: str) -> list[str]:
    items: list[str] = []
    position = 0
    while True:
        found = _HEADER_ITEM.match(text, position)
        assert found is not None  # the plain alternative matches anything up to a comma or the end
        quoted, plain, separator = found.groups()
        items.append(quoted.replace('\\"', '"') if quoted is not None else plain.strip())
        if not separator:
            return items
        position = found.end()


# ------------------------------------------------------------------------------------------------ parsing


def _json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# Built once: json.loads and json.dumps build a new decoder or encoder on every call that passes options.
_DECODER = json.JSONDecoder(parse_constant=_json_constant)


def _unshaped(value: Any) -> Any:
    """A value the walk over the output shape never reached, as JSON takes it: a datetime in a member that
    the installed model lacks, nested in a shape that needs no walk (an older botocore's list item without a
    timestamp, say ``LastObjectTimestamp`` in ListCalculatedAttributesForProfile's items under botocore 1.34)
    goes out as epoch seconds, like every modelled timestamp; botocore leaves out a member its model lacks."""
    if isinstance(value, dt.datetime):
        return _epoch(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# Outputs are fresh dicts and lists that handlers build, never cyclic: no bookkeeping to detect cycles.
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False, default=_unshaped)


def _compact_json() -> Callable[[Any], str]:
    """``_ENCODER.encode``, without building the C encoder again for every output: JSONEncoder.iterencode
    makes one per call from the same arguments (Python 3.10 to 3.13). Where that is not possible, or
    gives other text, the encoder object itself."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython has the C accelerator
        return _ENCODER.encode
    try:
        chunks = make(None, _ENCODER.default, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, True)
    except TypeError:  # pragma: no cover - another signature
        return _ENCODER.encode

    def encode(value: Any) -> str:
        return "".join(chunks(value, 0))

    sample = {"a": [1, -2.5, "\u00e9\n", None, True, {"b": []}], "c": 10**20}
    return encode if encode(sample) == _ENCODER.encode(sample) else _ENCODER.encode


_to_json = _compact_json()


# The deepest input shape of the model nests 10 levels; a body nested far deeper is hostile, and would
# exhaust the interpreter's recursion limit in the parser, the validator or the messages (RecursionError).
MAX_BODY_DEPTH = 64
_TOO_DEEP = f"mock_customer_profiles: the request body is nested more than {MAX_BODY_DEPTH} levels deep"


def _too_deep(data: Any) -> bool:
    stack = [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, (dict, list)):
            if level > MAX_BODY_DEPTH:
                return True
            stack.extend((item, level + 1) for item in (value.values() if isinstance(value, dict) else value))
    return False


def parse_body(body: bytes) -> dict[str, Any]:
    """The JSON object of a request body; anything else is a ``BadRequestException``."""
    if not body.strip():
        return {}
    # What json.loads does with bytes: UTF-8, -16 or -32, told apart by the first bytes. A body that opens
    # with "{" and no NUL after it is UTF-8 by that rule (what every SDK sends): no need to ask.
    utf8 = body[:1] == b"{" and body[1:2] != b"\x00"
    try:
        data = _DECODER.decode(body.decode("utf-8" if utf8 else json.detect_encoding(body), "surrogatepass"))
    except RecursionError:
        raise BadRequest(_TOO_DEEP) from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("mock_customer_profiles: the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("mock_customer_profiles: the request body must be a JSON object")
    # Nesting deeper than the limit needs more brackets than the limit: a cheap test first (they may sit in strings).
    if body.count(b"[") + body.count(b"{") > MAX_BODY_DEPTH and _too_deep(data):
        raise BadRequest(_TOO_DEEP)
    return data


def wire_params(operation: str | OperationModel, labels: Mapping[str, str], request: WireRequest) -> dict[str, Any]:
    """Input params in JSON form (wire names, epoch numbers), ready for validation."""
    model = _model_of(operation)
    shape = model.input_shape
    if shape is None:  # no members at all: whatever the body holds fails validation as unknown
        return parse_body(request.body)
    plan = _input_plan(model)
    params = parse_body(request.body)  # where no member belongs in the body, the schema rejects any it holds
    for key in params:
        if key in plan.located:
            raise BadRequest(
                f"1 validation error detected: Value '{params[key]}' at '{key}' failed to satisfy "
                f"constraint: Member must be sent in the {plan.located[key]}, not in the body"
            )
    members = shape.members
    for name, value in labels.items():
        params[name] = _scalar_from_text(members[name], value, name)
    if (plan.query or plan.query_map) and request.query:
        params.update(_query_params(plan, members, request.query))
    if plan.headers:
        params.update(_header_params(plan, members, request.headers))
    return params


def _query_params(plan: _InputPlan, members: Mapping[str, Shape], query: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    rest: dict[str, list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        name = plan.query.get(key)
        if name is None:
            if key not in plan.query_literals:
                rest.setdefault(key, []).append(value)
            continue
        member = members[name]
        if member.type_name == "list":
            found.setdefault(name, []).append(_scalar_from_text(member.member, value, name))
        else:
            found[name] = _scalar_from_text(member, value, name)
    if plan.query_map and rest:
        value_shape = members[plan.query_map].value
        found[plan.query_map] = {
            key: values if value_shape.type_name == "list" else values[-1] for key, values in rest.items()
        }
    return found


def _header_params(plan: _InputPlan, members: Mapping[str, Shape], headers: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    lowered = {key.lower(): (key, value) for key, value in headers.items()}
    for wire, name in plan.headers.items():
        if wire.endswith("*"):  # a map of prefixed headers: the rest of each header's name is the key
            prefix = wire[:-1]
            prefixed = {key[len(prefix) :]: value for low, (key, value) in lowered.items() if low.startswith(prefix)}
            if prefixed:
                found[name] = prefixed
        elif wire in lowered:
            found[name] = _header_value(members[name], lowered[wire][1], name)
    return found


def _header_value(member: Shape, text: str, name: str) -> Any:
    if member.type_name == "list":
        return [_scalar_from_text(member.member, item, name) for item in _header_items(text)]
    if member.serialization.get("jsonvalue"):  # base64-encoded JSON text
        try:
            return json.loads(base64.b64decode(text, validate=True), parse_constant=_json_constant)
        except ValueError:  # binascii.Error, JSONDecodeError and UnicodeDecodeError are all ValueErrors
            raise _reject(text, name, "base64-encoded JSON") from None
    return _scalar_from_text(member, text, name)


@dataclass(frozen=True)
class _InputPlan:
    located: dict[str, str]  # member name -> where it goes
    query: dict[str, str]  # wire name -> member name
    query_map: str | None
    query_literals: frozenset[str]  # keys the requestUri itself puts in the query string
    headers: dict[str, str]  # lowercase wire name (prefix + "*" for maps) -> member name


@functools.cache
def _input_plan(model: OperationModel) -> _InputPlan:
    shape: Shape = model.input_shape
    located: dict[str, str] = {}
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    query_map = None
    for name, member in shape.members.items():
        where = member.serialization.get("location")
        wire = str(member.serialization.get("name", name))
        if where is None:
            continue
        located[name] = {"uri": "URI", "querystring": "query string"}.get(where, "headers")
        if where == "querystring":
            if member.type_name == "map":
                query_map = name
            else:
                query[wire] = name
        elif where == "header":
            headers[wire.lower()] = name
        elif where == "headers":
            headers[wire.lower() + "*"] = name
    literal_query = model.http["requestUri"].partition("?")[2]
    literals = frozenset(key for key, _ in parse_qsl(literal_query, keep_blank_values=True))
    return _InputPlan(located, query, query_map, literals, headers)


def finish_params(operation: str | OperationModel, params: dict[str, Any]) -> dict[str, Any]:
    """Validated JSON params to handler params (datetimes, bytes, member names)."""
    shape = _model_of(operation).input_shape
    if shape is None or not _needs_walk(shape):
        return params
    decoded: dict[str, Any] = decode(shape, params)
    return decoded


# ---------------------------------------------------------------------------------------------- responses


# Request ids: a random UUID (version 4) per process whose last 12 hex digits count the responses, so each
# id is unique in the process and shaped like the ones AWS sends, without a random draw per response.
_REQUEST_ID_PREFIX = str(uuid.uuid4())[:24]
_request_numbers = itertools.count(int(str(uuid.uuid4())[24:], 16))


def request_id() -> str:
    return f"{_REQUEST_ID_PREFIX}{next(_request_numbers) & 0xFFFFFFFFFFFF:012x}"


def output_document(operation: str | OperationModel, output: Mapping[str, Any]) -> dict[str, Any]:
    """The output as it goes on the wire: every member in its JSON form (for validation and serializing)."""
    shape = _model_of(operation).output_shape
    if shape is None:
        return {}
    if _needs_walk(shape):
        return dict(encode(shape, output))
    members = shape.members
    # A member the installed model lacks (a handler written for a newer model): JSON-ready, kept for validation.
    return {name: value if name in members else _jsonable(value) for name, value in output.items()}


@dataclass(frozen=True)
class _OutputPlan:
    status: int
    has_shape: bool
    located: dict[str, Shape]  # output members that travel outside the body (status code, headers)


@functools.cache
def _output_plan(model: OperationModel) -> _OutputPlan:
    shape = model.output_shape
    located = {
        name: member
        for name, member in (shape.members.items() if shape is not None else ())
        if member.serialization.get("location")
    }
    return _OutputPlan(int(model.http.get("responseCode", 200)), shape is not None, located)


def serialize_output(operation: str | OperationModel, document: Mapping[str, Any]) -> WireResponse:
    plan = _output_plan(_model_of(operation))
    status = plan.status
    headers = {"Content-Type": JSON, "x-amzn-RequestId": request_id()}
    if not plan.has_shape:
        return WireResponse(status, headers, b"{}")
    if not plan.located:  # all members in the body (all but three operations): the document as it is
        if None in document.values():  # unset: omitted, as AWS does
            document = {key: value for key, value in document.items() if value is not None}
        return WireResponse(status, headers, _to_json(document).encode())
    body: dict[str, Any] = {}
    for key, value in document.items():
        if value is None:  # unset: omitted, as AWS does
            continue
        member = plan.located.get(key)  # None for a body member (also one with a serialized name of its own)
        if member is None:
            body[key] = value
            continue
        where = member.serialization["location"]
        if where == "statusCode":
            status = int(value)
        elif where == "header":
            if value == []:  # as botocore sends a list header: an empty list is no header at all
                continue
            headers[str(member.serialization.get("name", key))] = _text_of(member, value)
        else:  # "headers": a map of headers that share a prefix
            prefix = str(member.serialization.get("name", ""))
            headers.update({prefix + k: str(v) for k, v in value.items()})
    return WireResponse(status, headers, _to_json(body).encode())


def serialize_error(error: ServiceError) -> WireResponse:
    headers = {
        "Content-Type": JSON,
        "x-amzn-RequestId": request_id(),
        "x-amzn-ErrorType": error.code,
    }
    body = json.dumps({"Message": error.message}).encode()
    return WireResponse(error.status or error_status(error.code), headers, body)
