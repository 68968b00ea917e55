"""Support for the codec's tests: hypothesis strategies for params of a botocore shape, as a boto3 user
passes them, and the request botocore sends / the parse botocore makes around the codec.

Every value honours the constraints of the model (``min``/``max``, ``enum``, ``pattern``, unions), so
botocore's own validating serializer accepts it and the mock's schema must accept it too. Values are in
params form: ``datetime`` for timestamps, ``bytes`` for blobs, member names (not serialized names).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any
from urllib.parse import urlsplit

import botocore.parsers
import botocore.serialize
from botocore.awsrequest import HeadersDict, create_request_object, prepare_request_dict
from botocore.model import OperationModel, Shape
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from mock_customer_profiles import _codec

UTC = dt.timezone.utc
# Timestamps between 1970 and 2100: botocore's parser turns epoch numbers into datetimes with the
# platform's localtime(), which some platforms refuse outside this range.
_EARLIEST = dt.datetime(1970, 1, 2)
_LATEST = dt.datetime(2100, 1, 1)
_TEXT = st.characters(codec="utf-8")
# What a header can carry (HTTP field values): visible ASCII, no surrounding space.
_HEADER_TEXT = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
_COLLECTION_CAP = 3


def strict(pattern: str) -> str:
    """A model pattern as the service applies it: ``$`` means the end of the value, not before a newline."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern


def _sized(low: int, high: int | None) -> tuple[int, int]:
    return low, min(high, low + _COLLECTION_CAP) if high is not None else low + _COLLECTION_CAP


def timestamps(*, whole_seconds: bool = False, milliseconds: bool = False) -> st.SearchStrategy[dt.datetime]:
    stamps = st.datetimes(min_value=_EARLIEST, max_value=_LATEST, timezones=st.just(UTC))
    if whole_seconds:
        return stamps.map(lambda value: value.replace(microsecond=0))
    if milliseconds:
        return stamps.map(lambda value: value.replace(microsecond=value.microsecond // 1000 * 1000))
    return stamps


def strings(shape: Shape, *, header: bool = False, label: bool = False) -> st.SearchStrategy[str]:
    meta = shape.metadata
    if shape.enum:
        return st.sampled_from(list(shape.enum))
    low = max(meta.get("min", 0), 1 if label else 0)
    high = meta.get("max")
    if "pattern" in meta:
        pattern = strict(meta["pattern"])
        values = st.from_regex(re.compile(pattern), fullmatch=False)
        return values.filter(lambda text: low <= len(text) <= (high if high is not None else len(text)))
    cap = low + 20 if high is None else min(high, low + 20)
    return st.text(_HEADER_TEXT if header else _TEXT, min_size=low, max_size=cap)


@functools.cache
def strategy(shape: Shape, output: bool = False) -> st.SearchStrategy[Any]:
    """One strategy per shape, reused by every example (hypothesis caches what it learns inside it)."""
    return params(shape, output=output)


def params(shape: Shape, *, where: str | None = None, output: bool = False) -> st.SearchStrategy[Any]:
    """Params for ``shape``; ``where`` is the location (``header``, ``uri``, ...) of the member it fills."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        return _structure(shape, output=output)
    if kind == "list":
        low = meta.get("min", 0)
        if where in ("header", "querystring"):
            low = max(low, 1)  # botocore sends nothing for an empty list there
        low, high = _sized(low, meta.get("max"))
        item = params(shape.member, where=where, output=output)
        if where == "header" and shape.member.type_name == "string":
            # botocore quotes an item holding a comma or a quote but leaves a final backslash bare, which
            # then reads as an escaped closing quote; its parser splits output on every comma.
            item = item.filter(lambda text: "," not in text if output else not text.endswith("\\"))
        return st.lists(item, min_size=low, max_size=high)
    if kind == "map":
        low = meta.get("min", 0)
        if where in ("headers", "querystring"):
            low = max(low, 1)  # an empty map there sends nothing at all
        low, high = _sized(low, meta.get("max"))
        # Header names are case-insensitive: keys of a prefixed header map that differ only in case collide.
        keys = st.from_regex(r"[a-z0-9-]{1,10}", fullmatch=True) if where == "headers" else strings(shape.key)
        return st.dictionaries(keys, params(shape.value, where=where, output=output), min_size=low, max_size=high)
    if kind == "string":
        if where == "header" and shape.serialization.get("jsonvalue"):
            return st.dictionaries(st.text(_HEADER_TEXT, max_size=5), st.integers() | st.text(max_size=5), max_size=3)
        return strings(shape, header=where in ("header", "headers"), label=where == "uri")
    if kind in ("integer", "long"):
        bits = 31 if kind == "integer" else 63
        return st.integers(min_value=meta.get("min", -(2**bits)), max_value=meta.get("max", 2**bits - 1))
    if kind in ("float", "double"):
        return st.floats(min_value=meta.get("min"), max_value=meta.get("max"), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        # Headers carry RFC 822 dates (whole seconds); JSON output carries epoch seconds as sent.
        return timestamps(whole_seconds=where == "header", milliseconds=output)
    if kind == "blob":
        low, high = meta.get("min", 0), meta.get("max")
        return st.binary(min_size=low, max_size=high if high is not None else low + 20)
    raise AssertionError(f"no strategy for shape type {kind!r} ({shape.name})")


def _structure(shape: Shape, *, output: bool) -> st.SearchStrategy[dict[str, Any]]:
    members = shape.members
    if output:
        members = {
            name: member for name, member in members.items() if member.serialization.get("location") != "statusCode"
        }
    strategies = {
        name: params(member, where=member.serialization.get("location"), output=output)
        for name, member in members.items()
    }
    if shape.metadata.get("union"):
        return st.one_of([st.fixed_dictionaries({name: value}) for name, value in strategies.items()])
    required = {name: strategies[name] for name in shape.required_members if name in strategies}
    optional = {name: value for name, value in strategies.items() if name not in required}
    return st.fixed_dictionaries(required, optional=optional)


# ------------------------------------------------------------------------------- botocore around the codec

ENDPOINT = "https://profile.us-east-1.amazonaws.com"
EXAMPLES = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=12,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def sent_request(model: OperationModel, parameters: dict[str, Any]) -> _codec.WireRequest:
    """The request a boto3 client sends for ``parameters``, as a door hands it to the codec."""
    serializer = botocore.serialize.create_serializer("rest-json", include_validation=True)
    request_dict = serializer.serialize_to_request(parameters, model)
    prepare_request_dict(request_dict, endpoint_url=ENDPOINT, context={})
    prepared = create_request_object(request_dict).prepare()
    parts = urlsplit(prepared.url)
    body = prepared.body if isinstance(prepared.body, bytes) else (prepared.body or "").encode()
    return _codec.WireRequest(prepared.method, parts.path or "/", parts.query, prepared.headers, body)


def parsed_by_codec(
    request: _codec.WireRequest, router: _codec.Router, model: OperationModel, validator: Any
) -> tuple[str, dict[str, Any]]:
    routed = router.match(request.method, request.path, request.query)
    assert routed is not None, f"no route for {request.method} {request.path}?{request.query}"
    name, labels = routed
    wire = _codec.wire_params(model, labels, request)
    validator.check(wire)
    return name, _codec.finish_params(model, wire)


def parsed_by_botocore(model: OperationModel, response: _codec.WireResponse) -> dict[str, Any]:
    parser = botocore.parsers.create_parser("rest-json")
    http = {"status_code": response.status, "headers": HeadersDict(response.headers), "body": response.body}
    parsed: dict[str, Any] = parser.parse(http, model.output_shape)
    if response.status >= 300:  # as botocore's endpoint does: the modelled error's own members too
        code = parsed["Error"]["Code"]
        parsed.update(parser.parse(http, model.service_model.shape_for_error_code(code)))
    return parsed
