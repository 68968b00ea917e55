"""What the robustness tests share: a recording boto3 client, backend snapshots, and strategies built from
the service model's shapes (valid values through hypothesis-jsonschema, hostile ones by mutating them).

Everything here reads the model and the mock's state from the outside; none of it is part of the package.
The judge of requests and answers is ``oracle.py``, a walker of botocore's shapes of its own: the package's
schema compiler only *generates* candidate values here (a value it wrongly calls valid is then judged by
the oracle, and the mock's answer to it must agree with the oracle's verdict).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import functools
import itertools
import json
import re
import string
import types
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from mock_customer_profiles import CustomerProfilesMock, ServerThread
from mock_customer_profiles._model import error_status, operation_errors, operation_model
from mock_customer_profiles._schema import compile_shape
from mock_customer_profiles._server import MAX_BODY

from . import oracle
from .oracle import wire_members

REGION = "us-east-1"
VALIDATION = re.compile(r"\A[1-9][0-9]* validation errors? detected: Value ")
NOT_JSON = "mock_customer_profiles: the request body is not valid JSON"
NOT_OBJECT = "mock_customer_profiles: the request body must be a JSON object"
# What answers a path no operation routes (an empty uri label): no operation at all, or (the server door)
# none for this method.
NO_ROUTE = ("UnknownOperationException", "MethodNotAllowedException")
TOO_DEEP = "mock_customer_profiles: the request body is nested more than 64 levels deep"

# ------------------------------------------------------------------------------------------ the wire client


@dataclass
class Outcome:
    """One call as it went: what was sent, what came back, and how it ended."""

    operation: str
    params: dict[str, Any]
    delivered: bool = False  # the request was built (botocore serialized it) and handed on to be sent
    method: str = ""
    url: str = ""
    body: bytes = b""
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""
    response: dict[str, Any] | None = None
    error: ClientError | None = None
    exception: Exception | None = None

    @property
    def code(self) -> str | None:
        return None if self.error is None else str(self.error.response["Error"]["Code"])

    @property
    def message(self) -> str:
        return "" if self.error is None else str(self.error.response["Error"].get("Message", ""))

    def describe(self) -> str:
        ending = self.code or (type(self.exception).__name__ if self.exception else "success")
        return (
            f"{self.operation}({self.params!r})\n- sent: {self.method} {self.url} {self.body[:500]!r}\n"
            f"- ended: {ending} {self.message or self.exception or ''}\n- answer: {self.status} {self.raw[:500]!r}"
        )


class WireClient:
    """A boto3 client that records each request as sent and each response as received.

    ``call(..., body=b"...")`` replaces the JSON body botocore serialized (a ``request-created`` handler),
    so that members no botocore client would send (unknown names, nulls, wrong types) reach the server.
    Retries are off: one call is one request.
    """

    def __init__(self, *, validate: bool = False, region: str = REGION, server: ServerThread | None = None) -> None:
        config = Config(parameter_validation=validate, retries={"total_max_attempts": 1})
        if server is not None:  # over HTTP to the server door, even while an in-process mock is active
            self.client = server.client(region, config=config)
        else:
            self.client = boto3.client(
                "customer-profiles",
                region_name=region,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                config=config,
            )
        self._body: bytes | None = None
        self._outcome: Outcome | None = None
        events = self.client.meta.events
        events.register("request-created.customer-profiles", self._created)
        events.register("before-parse.customer-profiles", self._received)

    def _created(self, request: Any, **_: Any) -> None:
        if self._body is not None:
            request.data = self._body
        if self._outcome is not None:
            data = request.data
            self._outcome.delivered = True
            self._outcome.method = request.method
            self._outcome.url = request.url
            self._outcome.body = data if isinstance(data, bytes) else str(data or "").encode()

    def _received(self, response_dict: dict[str, Any], **_: Any) -> None:
        if self._outcome is not None:
            self._outcome.status = response_dict["status_code"]
            self._outcome.headers = dict(response_dict["headers"])
            self._outcome.raw = response_dict["body"]

    def call(self, operation: str, params: dict[str, Any], body: bytes | None = None) -> Outcome:
        outcome = self._outcome = Outcome(operation, params)
        self._body = body
        try:
            outcome.response = getattr(self.client, xform_name(operation))(**params)
        except ClientError as error:
            outcome.error = error
        except Exception as error:  # noqa: BLE001 - recorded for the test to judge
            outcome.exception = error
        finally:
            self._body = None
            self._outcome = None
        return outcome


def attempt(call: Any, *args: Any, **kwargs: Any) -> tuple[Any, ClientError | None]:
    """``(call(*args, **kwargs), None)`` or ``(None, error)``: for calls where either ending is allowed."""
    try:
        return call(*args, **kwargs), None
    except ClientError as error:
        return None, error


def error_text(error: ClientError) -> tuple[str, str]:
    return str(error.response["Error"]["Code"]), str(error.response["Error"]["Message"])


# ----------------------------------------------------------------------------------------------- snapshots


def plain(value: Any) -> Any:
    """A deep, comparable copy of the mock's state: objects as their attributes (private ones included),
    dicts as ordered item lists (creation order is state), sets sorted."""
    if isinstance(value, dict):
        return [(key, plain(item)) for key, item in value.items()]
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(item) for item in value), key=repr)
    if value is None or isinstance(value, (str, bytes, int, float, dt.datetime, dt.date)):
        return value
    if isinstance(value, itertools.count):
        return repr(value)  # "count(3)": the next sequence number is state too
    if dataclasses.is_dataclass(value):  # slotted ones (Profile) have no __dict__
        return (type(value).__name__, [(f.name, plain(getattr(value, f.name))) for f in dataclasses.fields(value)])
    if hasattr(value, "__dict__"):
        return (type(value).__name__, plain(vars(value)))
    return repr(value)


def snapshot(mock: CustomerProfilesMock) -> Any:
    """Everything every backend of ``mock`` holds, as plain data."""
    with mock.service.lock:
        return plain(mock.service.backends)


# ------------------------------------------------------------------------------------------ shape helpers

_JSON_KIND = oracle.JSON_KIND  # the JSON type of each shape kind on the wire


def fits(value: Any, kind: str) -> bool:
    """Whether ``value`` is of the JSON kind (an integral float is no integer here: it is the wrong type)."""
    if kind == "any":
        return True
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    return isinstance(value, list)


def input_shape(operation: str) -> Any:
    return operation_model(operation).input_shape


def located_members(operation: str) -> dict[str, tuple[str, Any]]:
    """Members that travel in the uri, query string or headers: ``{name: (location, shape)}``."""
    shape = input_shape(operation)
    if shape is None:
        return {}
    return {
        name: (member.serialization["location"], member)
        for name, member in shape.members.items()
        if member.serialization.get("location")
    }


def output_failures(outcome: Outcome) -> list[str]:
    """What is wrong with a successful response as it came over the wire, judged by the output shape."""
    shape = operation_model(outcome.operation).output_shape
    document: Any = json.loads(outcome.raw or b"{}")
    if shape is not None and isinstance(document, dict):
        lowered = {key.lower(): value for key, value in outcome.headers.items()}
        for name, member in shape.members.items():
            where = member.serialization.get("location")
            if where == "statusCode":
                document[name] = outcome.status
            elif where == "header" and member.serialization.get("name", name).lower() in lowered:
                document[name] = lowered[member.serialization.get("name", name).lower()]
    return oracle.problems(shape, document) if shape is not None else []


# ---------------------------------------------------------------------------------------- the oracle

_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+\Z")
_NUMBER_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def depth(value: Any) -> int:
    """How deep JSON containers nest in ``value`` (a scalar is 0, ``{}`` is 1)."""
    if isinstance(value, dict):
        return 1 + max((depth(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(item) for item in value), default=0)
    return 0


def nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


# Bodies that are no JSON object, or one nested beyond reason.
RAW_BODIES = (
    b"{not json",
    b"{}{}",
    b"NaN",
    b"\xff\xfe",
    b"[1]",
    b'"text"',
    b"null",
    b'{"a": ' + nested(70) + b"}",
    nested(100_000),
)


def expected_rejection(outcome: Outcome) -> str | None:
    """How the server must answer what was actually sent, worked out from the model alone.

    ``"validation"`` for a request that breaks the input shape; ``NOT_JSON``, ``NOT_OBJECT`` or ``TOO_DEEP``
    for a body that is no JSON object or nests beyond the mock's limit; ``None`` for a valid request;
    ``"unknown"`` where the wire cannot say (an empty uri label, a located member of a type botocore
    renders its own way)."""
    operation = outcome.operation
    for name, (where, _) in located_members(operation).items():  # the route comes before the body
        if where == "uri" and outcome.params.get(name) == "":
            return "unknown"
    try:
        body = json.loads(outcome.body, parse_constant=_reject_constant) if outcome.body.strip() else {}
    except RecursionError:
        return TOO_DEEP
    except (ValueError, UnicodeDecodeError):
        return NOT_JSON
    if not isinstance(body, dict):
        return NOT_OBJECT
    if depth(body) > 64:
        return TOO_DEEP
    view: dict[str, Any] = dict(body)
    type_error = False
    sent = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(outcome.url).query, keep_blank_values=True))
    for name, (where, member) in located_members(operation).items():
        if name in body:
            return "validation"  # a located member in the body
        if name not in outcome.params or outcome.params[name] is None:
            continue
        value = outcome.params[name]
        if member.type_name == "list" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            view[name] = value
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return "unknown"
        text = str(value)
        if where == "querystring":  # judged as rendered: botocore lower-cases a boolean member's text ("True")
            text = sent.get(member.serialization.get("name", name), text)
        if where == "uri" and text == "":
            return "unknown"
        kind = member.type_name
        if kind in ("integer", "long"):
            if _INTEGER_TEXT.match(text):
                view[name] = int(text)
            else:
                type_error = True
        elif kind in ("float", "double"):
            if _NUMBER_TEXT.match(text):
                view[name] = float(text)
            else:
                type_error = True
        elif kind == "boolean":
            if text in ("true", "false"):
                view[name] = text == "true"
            else:
                type_error = True
        elif kind == "string":
            view[name] = text
        else:
            return "unknown"
    if type_error or oracle.problems(input_shape(operation), view):
        return "validation"
    return None


def check_outcome(outcome: Outcome, before: Any, after: Any) -> None:
    """The contract of every call: a parsed response that fits the output shape, or a modelled error that
    changed nothing; never a 500, never an exception out of the mock; rejected exactly when invalid."""
    assert outcome.exception is None, f"an exception came out of the mock\n- {outcome.describe()}"
    assert outcome.status is not None, f"no response was received\n- {outcome.describe()}"
    assert outcome.status < 500, f"a server error\n- {outcome.describe()}"
    headers = {name.lower() for name in outcome.headers}
    assert "x-amzn-requestid" in headers, f"no x-amzn-RequestId\n- {outcome.describe()}"
    expected = expected_rejection(outcome)
    if outcome.error is None:
        assert outcome.response is not None
        assert expected in (None, "unknown"), f"an invalid request was accepted ({expected})\n- {outcome.describe()}"
        if expected == "unknown":  # an empty uri label may route to another operation (GET /domains/)
            return
        failures = output_failures(outcome)
        assert failures == [], f"the response does not fit the output shape\n- {failures}\n- {outcome.describe()}"
        return
    code = outcome.code
    if code == "RequestEntityTooLargeException":  # the server door's own limit, before any operation runs
        assert len(outcome.body) > MAX_BODY, f"a body within the server's limit was refused\n- {outcome.describe()}"
        assert outcome.status == 413, outcome.describe()
        assert after == before, f"a refused body changed the state\n- {outcome.describe()}"
        return
    modelled = set(operation_errors(outcome.operation))
    if expected == "unknown":
        modelled.update(NO_ROUTE)
    assert code in modelled, f"an error the model does not declare for the operation\n- {outcome.describe()}"
    if code not in NO_ROUTE:
        assert outcome.status == error_status(str(code)), f"wrong status for {code}\n- {outcome.describe()}"
    assert outcome.message, f"an error without a message\n- {outcome.describe()}"
    assert after == before, f"a rejected call changed the state\n- {outcome.describe()}"
    if expected in (NOT_JSON, NOT_OBJECT, TOO_DEEP):
        assert (code, outcome.message) == ("BadRequestException", expected), outcome.describe()
    elif expected == "validation":
        assert code == "BadRequestException", f"an invalid request got {code}\n- {outcome.describe()}"
        assert VALIDATION.match(outcome.message), f"not a validation message\n- {outcome.describe()}"
    elif expected is None:
        assert not VALIDATION.match(outcome.message), f"a valid request was rejected\n- {outcome.describe()}"


# ------------------------------------------------------------------------------------------ strategies

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
# Texts that break things elsewhere: paths, query syntax, control and bidi characters, emoji, the "$" trap.
NASTY_TEXT = (
    "",
    " ",
    "\n",
    "a\n",
    "\x00",
    "a b",
    "\u00e4",
    "\u202eevil",
    "\U0001f642",
    ".",
    "..",
    "../..",
    "a/b",
    "%2F",
    "?x=1",
    "#frag",
    "a&b=c",
    "+",
    "aws:tag",
    "null",
    "{}",
    "'",
    '"',
    "\\",
    "*",
    "\ud800",
)
# How a query-string integer may be written; only plain ASCII digits with an optional sign are integers.
INTEGER_TEXT = ("abc", " 5", "5 ", "+5", "-0", "5_0", "\u0665", "1.0", "1e1", "0x10", "", "007", "9" * 30)


@functools.cache
def valid(shape: Any) -> st.SearchStrategy[Any]:
    """Valid JSON values of a shape, generated by hypothesis-jsonschema from the compiled schema."""
    return from_schema(compile_shape(shape))


def wrong_type(shape: Any) -> st.SearchStrategy[Any]:
    kind = _JSON_KIND[shape.type_name]
    return ANY_JSON.filter(lambda value: not fits(value, kind))


def _repeat(char: str, count: int) -> str:
    return char * count


def bad_string(shape: Any) -> st.SearchStrategy[str]:
    meta = shape.metadata
    options: list[st.SearchStrategy[str]] = [
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=30),
        st.text(st.characters(codec="utf-8", min_codepoint=0x80), min_size=1, max_size=8),
    ]
    if "max" in meta:
        options.append(st.builds(_repeat, st.characters(codec="utf-8"), st.integers(meta["max"] + 1, meta["max"] + 3)))
    if meta.get("min", 0) > 0:
        options.append(st.builds(_repeat, st.just("x"), st.integers(0, meta["min"] - 1)))
    if shape.enum:
        options.append(st.sampled_from([v.lower() for v in shape.enum] + [v + " " for v in shape.enum] + ["XOR"]))
    if "pattern" in meta:
        options.append(valid(shape).map(lambda text: text + "\n"))
        options.append(valid(shape).map(lambda text: " " + text))
    return st.one_of(options)


def bad_number(shape: Any) -> st.SearchStrategy[Any]:
    meta = shape.metadata
    options: list[st.SearchStrategy[Any]] = [st.sampled_from([2**31, 2**63, -(2**63) - 1, 10**30, -1, 0])]
    if "min" in meta:
        options.append(st.integers(max_value=int(meta["min"]) - 1))
    if "max" in meta:
        options.append(st.integers(min_value=int(meta["max"]) + 1))
    if shape.type_name in ("integer", "long"):
        options.append(st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()))
    else:
        options.append(st.floats())
    return st.one_of(options)


def bad_scalar(shape: Any) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind in ("string", "blob"):
        return bad_string(shape)
    if kind in ("integer", "long", "float", "double"):
        return bad_number(shape)
    if kind == "timestamp":
        return st.one_of(st.sampled_from([1e20, -1e20, 2**63, "2024-01-01", "yesterday"]), st.floats())
    if kind == "boolean":
        return st.sampled_from(["true", "false", 0, 1, "yes"])
    return wrong_type(shape)


def _copies(value: Any, count: int) -> list[Any]:
    return [value] * count


def bad_list(shape: Any) -> st.SearchStrategy[list[Any]]:
    meta = shape.metadata
    item = valid(shape.member)
    # Just past the limit where the model sets one; else very long (thousands of copies of a nested item
    # under a bounded list only made the request megabytes long, never a different verdict).
    counts = st.integers(meta["max"] + 1, meta["max"] + 2) if "max" in meta else st.sampled_from([1000, 5000])
    options: list[st.SearchStrategy[list[Any]]] = [st.builds(_copies, item, counts)]
    if meta.get("min", 0) > 0:
        options.append(st.just([]))
    return st.one_of(options)


def _numbered(value: Any, count: int) -> dict[str, Any]:
    return {f"k{index}": value for index in range(count)}


def bad_map(shape: Any) -> st.SearchStrategy[dict[str, Any]]:
    meta = shape.metadata
    counts = st.integers(meta["max"] + 1, meta["max"] + 2) if "max" in meta else st.sampled_from([500, 2000])
    options: list[st.SearchStrategy[dict[str, Any]]] = [
        st.builds(lambda key, value: {key: value}, bad_string(shape.key), valid(shape.value)),
        st.builds(_numbered, valid(shape.value), counts),
    ]
    if meta.get("min", 0) > 0:
        options.append(st.just({}))
    return st.one_of(options)


def unknown_member(known: Iterable[str]) -> st.SearchStrategy[str]:
    names = set(known)
    cased = [name[:1].lower() + name[1:] for name in names] + [name.upper() for name in names]
    candidates = st.sampled_from(sorted({*cased, "Bogus", "", "__proto__", "Profile"} - names))
    return st.one_of(candidates, st.text(string.ascii_letters, min_size=1, max_size=12)).filter(
        lambda name: name not in names
    )


@st.composite
def mutated(draw: st.DrawFn, shape: Any, value: Any, top: bool = False) -> Any:
    """``value`` with one defect somewhere inside: a wrong type or null, a broken constraint, a missing or
    unknown member, a list or map too short or too long. ``top``: the request itself stays an object."""
    kind = shape.type_name
    if not top and kind != "document" and draw(st.integers(0, 9)) == 0:  # a document takes any JSON
        return draw(wrong_type(shape))
    if kind == "structure":
        members = wire_members(shape)
        out = dict(value) if isinstance(value, dict) else {}
        action = draw(st.sampled_from(["descend", "descend", "descend", "unknown", "drop"]))
        if action == "unknown":
            out[draw(unknown_member(members))] = draw(ANY_JSON)
        elif action == "drop" and out:
            del out[draw(st.sampled_from(sorted(out)))]
        elif members:
            wire = draw(st.sampled_from(sorted(members)))
            member = members[wire][1]
            current = out[wire] if wire in out else draw(valid(member))
            out[wire] = draw(mutated(member, current))
        return out
    if kind == "list":
        if isinstance(value, list) and value and draw(st.booleans()):
            items = list(value)
            index = draw(st.integers(0, len(items) - 1))
            items[index] = draw(mutated(shape.member, items[index]))
            return items
        return draw(bad_list(shape))
    if kind == "map":
        if isinstance(value, dict) and value and draw(st.booleans()):
            entries = dict(value)
            key = draw(st.sampled_from(sorted(entries)))
            entries[key] = draw(mutated(shape.value, entries[key]))
            return entries
        return draw(bad_map(shape))
    if kind == "document":
        return draw(ANY_JSON)
    return draw(bad_scalar(shape))


def hostile_located(member: Any) -> st.SearchStrategy[Any]:
    """A value for a uri, query or header member as a botocore user could pass it."""
    kind = member.type_name
    if kind in ("integer", "long"):
        return st.one_of(bad_number(member).filter(lambda v: isinstance(v, int)), st.sampled_from(INTEGER_TEXT))
    if kind == "boolean":
        return st.sampled_from(["True", "1", "yes", ""])
    if kind == "list":
        return st.lists(bad_string(member.member), max_size=3)
    return bad_string(member)


# --------------------------------------------------------------------------------------- requests

PROFILE_ID = "[a-f0-9]{32}"
# Members whose values are best taken from the seeded state, so that requests reach the handlers' paths:
# member name -> pool name (a list member draws its items from the pool).
POOLED = {
    "DomainName": "DomainName",
    "KeyName": "KeyName",
    "ObjectTypeName": "ObjectTypeName",
    "ProfileObjectUniqueKey": "ProfileObjectUniqueKey",
    "TemplateId": "TemplateId",
    "AttributeName": "AttributeName",
    "resourceArn": "resourceArn",
    "Object": "Object",
    "Values": "Values",
    "ProfileIds": "ProfileId",
    "ProfileIdsToBeMerged": "ProfileId",
    "tagKeys": "tagKey",
    "Fields": "Fields",
    "Keys": "Keys",
    "Uri": "Uri",
    "EventStreamName": "EventStreamName",
    "EventTriggerName": "EventTriggerName",
    "EventTriggerNames": "EventTriggerName",
    "EventTriggerConditions": "EventTriggerConditions",
    "FlowDefinition": "FlowDefinition",
    "WorkflowId": "WorkflowId",
    "CalculatedAttributeName": "CalculatedAttributeName",
    "AttributeDetails": "AttributeDetails",
    "Id": "HistoryId",
    # the jobs family (upload jobs, layouts, detection)
    "JobId": "JobId",
    "LayoutDefinitionName": "LayoutDefinitionName",
    "UniqueKey": "UniqueKey",
    "Objects": "Object",
    # identity resolution and recommenders (see _seed_identity_and_recommenders)
    "SearchKey": "KeyName",
    "SearchValue": "Values",
    "KeyValues": "KeyValues",
    "RecommenderName": "RecommenderName",
    "RecommenderSchemaName": "RecommenderSchemaName",
    "RecommenderFilterName": "RecommenderFilterName",
    "RecommenderFilterExpression": "RecommenderFilterExpression",
    "MatchingAttributesList": "MatchingAttributesList",
    "Recommender": "Recommender",
    "Tags": "Tags",
    "SegmentDefinitionName": "SegmentDefinitionName",
    "EstimateId": "EstimateId",
    "SnapshotId": "SnapshotId",
    "SegmentGroups": "SegmentGroups",
    "SegmentQuery": "SegmentGroups",
    "DestinationArn": "DestinationArn",
    "SegmentFilter": "SegmentDefinitionName",
}
# Members whose pool is another for one operation: a JobId is an upload job's, but an identity resolution
# job's in GetIdentityResolutionJob.
POOL_ALIASES: dict[str, dict[str, str]] = {"GetIdentityResolutionJob": {"JobId": "IdentityJobId"}}
RECOMMENDER_FIELDS = {"_catalogItem": [{"TargetFieldName": "Category"}]}
# Pools whose first item must differ for one operation (coherent requests use the first item).
OPERATION_POOLS: dict[str, dict[str, list[Any]]] = {
    "CreateSegmentDefinition": {"SegmentDefinitionName": ["fresh", "vip"]},  # a name not taken yet
    "DeleteSegmentDefinition": {"SegmentDefinitionName": ["everyone", "vip"]},  # no subscription, no dependant
    "CreateEventTrigger": {"EventTriggerName": ["fresh", "spare"]},  # a name not taken yet
    # a schema name not taken yet, and a schema's Fields (the object type's come first in the shared pool)
    "CreateRecommenderSchema": {"RecommenderSchemaName": ["fresh", "schema1"], "Fields": [RECOMMENDER_FIELDS]},
    "CreateRecommender": {"RecommenderName": ["fresh", "active"]},
    "StartRecommender": {"RecommenderName": ["stopped", "active"]},  # only a stopped recommender starts
    "CreateCalculatedAttributeDefinition": {"CalculatedAttributeName": ["fresh", "orders"]},
    "CreateRecommenderFilter": {"RecommenderFilterName": ["filter2", "filter1"]},
}
# Members a coherent request leaves out, because the rules exclude them beside the pooled ones:
# PutProfileObjectType takes a TemplateId or both Fields and Keys, never all three.
COHERENT_LEAVES_OUT: dict[str, frozenset[str]] = {"PutProfileObjectType": frozenset({"TemplateId"})}
SEARCH_KEYS = ("_email", "_profileId", "_account", "_phone", "_fullName", "_orderId", "orderNo", "customKey")
SEED_PROFILES = (
    {"FirstName": "Ana", "LastName": "Silva", "EmailAddress": "ana@example.com", "PhoneNumber": "+15550001111"},
    {"FirstName": "Bo", "EmailAddress": "bo@example.com", "AccountNumber": "A-1", "Attributes": {"tier": "gold"}},
    {"BusinessName": "Acme", "BusinessEmailAddress": "ana@example.com", "MobilePhoneNumber": "+15550002222"},
)
ORDER_TYPE = {
    "Description": "orders",
    "AllowProfileCreation": True,
    "Fields": {
        "orderNo": {"Source": "_source.orderNo", "ContentType": "STRING"},
        "email": {"Source": "_source.email", "Target": "_profile.EmailAddress", "ContentType": "EMAIL_ADDRESS"},
        # named like the first AttributeName of the pools, so that the attribute reads find a field
        "FirstName": {"Source": "_source.first"},
    },
    "Keys": {
        "orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderNo"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
    "Tags": {"team": "blue"},
}
CONNECT = "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555"
CAMPAIGN = "arn:aws:connect-campaigns:us-east-1:123456789012:campaign/c-1"
KINESIS = "arn:aws:kinesis:us-east-1:123456789012:stream/profile-events"
TRIGGER_CONDITIONS = [
    {
        "EventTriggerDimensions": [
            {"ObjectAttributes": [{"Source": "_source.orderNo", "ComparisonOperator": "BEGINS_WITH", "Values": ["O-"]}]}
        ],
        "LogicalOperator": "ALL",
    }
]


def flow_definition(name: str) -> dict[str, Any]:
    return {
        "FlowName": name,
        "KmsArn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "SourceFlowConfig": {
            "ConnectorType": "Salesforce",
            "ConnectorProfileName": "sf-conn",
            "SourceConnectorProperties": {"Salesforce": {"Object": "Account"}},
        },
        "Tasks": [{"SourceFields": ["Id"], "TaskType": "Map"}],
        "TriggerConfig": {"TriggerType": "OnDemand"},
    }


# Calculated attribute definitions of "acme" over the Order type (the first one counts Bo's order).
CALCULATED = (
    {
        "CalculatedAttributeName": "orders",
        "AttributeDetails": {"Attributes": [{"Name": "orderNo"}], "Expression": "{Order.orderNo}"},
        "Statistic": "COUNT",
        "UseHistoricalData": True,
    },
    {
        "CalculatedAttributeName": "last_email",
        "DisplayName": "Last email",
        "AttributeDetails": {"Attributes": [{"Name": "email"}], "Expression": "{Order.email}"},
        "Statistic": "LAST_OCCURRENCE",
        "Conditions": {"Range": {"Value": 30, "Unit": "DAYS"}, "ObjectCount": 5},
    },
)
ORDERS = (
    {"orderNo": "O-1", "email": "bo@example.com"},  # joins Bo
    {"orderNo": "O-2", "email": "new@example.com"},  # creates a profile
)


DOMAIN_OBJECT_FIELDS = {"amount": {"Source": "_source.amount", "Target": "_orders.amount", "ContentType": "NUMBER"}}


def _seed_jobs(mock: CustomerProfilesMock, pools: dict[str, list[Any]]) -> None:
    """An upload job not started (first: Start, Stop and GetUploadJobPath succeed on it), a layout and a
    domain object type named like the profile object type, all in acme."""
    client = mock.client()
    fields = ORDER_TYPE["Fields"]
    pools["JobId"] = [
        client.create_upload_job(DomainName="acme", DisplayName="a.csv", Fields=fields, UniqueKey="orderNo")["JobId"]
    ]
    pools["UniqueKey"] = ["orderNo", "email"]
    layout = {"Description": "d", "DisplayName": "Agents", "LayoutType": "PROFILE_EXPLORER", "Layout": "{}"}
    client.create_domain_layout(DomainName="acme", LayoutDefinitionName="agent", **layout)
    pools["LayoutDefinitionName"] = ["agent"]
    client.put_domain_object_type(DomainName="acme", ObjectTypeName="Order", Fields=DOMAIN_OBJECT_FIELDS)


@dataclass
class _Seeded:
    """A copy of what ``_seed_through_calls`` left in a mock: its backends and runs (whose closures act on
    them, and on ``effects``), the options it was made under, and the pools."""

    options: Any
    effects: Any
    backends: Any
    jobs: Any
    pools: dict[str, list[Any]]


_SEEDED: list[_Seeded] = []


def seed(mock: CustomerProfilesMock) -> dict[str, list[Any]]:
    """Two domains; in the first, three profiles, an object type with two objects and a template type, and
    the resources of every family. Returns the pools a request draws existing names and values from (by pool
    name, see ``POOLED``).

    The first call in a process seeds through the mock's own calls and keeps a copy of the result; later
    calls (hypothesis asks for a seeded mock per example) get a copy of that copy: the same state at a
    fraction of the cost."""
    service = mock.service
    if not _SEEDED:
        pools = _seed_through_calls(mock)
        with service.lock:
            assert not service.effects.kinds(), "seeding recorded side effects, which a copy would lose"
            kept = type(service.effects)()
            _SEEDED.append(
                _Seeded(
                    service.options, kept, *_copied(service.backends, service.jobs, pools, {id(service.effects): kept})
                )
            )
        return pools
    seeded = _SEEDED[0]
    assert service.options == seeded.options, "the kept seed was made under other options"
    backends, jobs, pools = _copied(seeded.backends, seeded.jobs, seeded.pools, {id(seeded.effects): service.effects})
    with service.lock:
        service.backends.clear()
        service.backends.update(backends)
        service.jobs = jobs
    return pools


def _copied(
    backends: Any, jobs: Any, pools: dict[str, list[Any]], memo: dict[int, Any]
) -> tuple[Any, Any, dict[str, list[Any]]]:
    """Deep copies of ``backends``, ``jobs`` and ``pools`` in one pass (a run both lists share stays one
    run), with the objects ``memo`` maps put in place of others."""
    with _closures_copied():
        copied: tuple[Any, Any, dict[str, list[Any]]] = copy.deepcopy((backends, jobs, pools), memo)
    return copied


@contextlib.contextmanager
def _closures_copied() -> Iterator[None]:
    """``copy.deepcopy`` treats a function as atomic; within this, a closure is rebuilt over copies of the
    values it captured (a run's ``on_done`` captures the handler's context and the resource it finishes)."""
    dispatch: dict[type, Any] = getattr(copy, "_deepcopy_dispatch")  # noqa: B009 (private: no stub names it)
    atomic = dispatch[types.FunctionType]

    def copy_function(function: types.FunctionType, memo: dict[int, Any]) -> types.FunctionType:
        if not function.__closure__:
            return function
        cells = tuple(_copied_cell(cell, memo) for cell in function.__closure__)
        clone = types.FunctionType(
            function.__code__, function.__globals__, function.__name__, function.__defaults__, cells
        )
        clone.__kwdefaults__ = function.__kwdefaults__
        return clone

    dispatch[types.FunctionType] = copy_function
    try:
        yield
    finally:
        dispatch[types.FunctionType] = atomic


def _copied_cell(cell: types.CellType, memo: dict[int, Any]) -> types.CellType:
    try:
        contents = cell.cell_contents
    except ValueError:  # a cell not filled yet
        return types.CellType()
    return types.CellType(copy.deepcopy(contents, memo))


def _seed_through_calls(mock: CustomerProfilesMock) -> dict[str, list[Any]]:
    pools: dict[str, list[Any]] = {
        "DomainName": ["acme", "empty"],
        "KeyName": list(SEARCH_KEYS),
        "ObjectTypeName": ["Order", "Calls"],
        "TemplateId": ["CTR", "Shopify-Customer", "Zendesk-users"],
        "AttributeName": ["FirstName", "EmailAddress", "Address.City", "Attributes.tier"],
        "tagKey": ["team", "env"],
        "Object": [json.dumps(order) for order in ORDERS] + ['{"orderNo": "O-3", "email": "ana@example.com"}'],
        "Values": ["O-1", "O-2"],
        "ProfileId": [],
        "ProfileObjectUniqueKey": [],
        "Fields": [ORDER_TYPE["Fields"], DOMAIN_OBJECT_FIELDS],
        "Keys": [ORDER_TYPE["Keys"]],
        # the seeded definitions (reads find them), then a free name (a create takes it first: OPERATION_POOLS)
        "CalculatedAttributeName": [definition["CalculatedAttributeName"] for definition in CALCULATED] + ["fresh"],
        "AttributeDetails": [definition["AttributeDetails"] for definition in CALCULATED],
    }
    for name in pools["DomainName"]:  # acme has the data store (domain object types, attribute statistics)
        mock.create_domain(name, Tags={"env": "test"}, **({"DataStore": {"Enabled": True}} if name == "acme" else {}))
    for fields in SEED_PROFILES:
        pools["ProfileId"].append(mock.create_profile("acme", **fields))
        pools["Values"].extend(value for value in fields.values() if isinstance(value, str))
    pools["ProfileId"].insert(0, pools["ProfileId"].pop(1))  # Bo first: the owner of the first order
    mock.put_object_type("acme", "Order", **ORDER_TYPE)
    mock.put_object_type("acme", "Calls", Description="contact records", TemplateId="CTR")
    for definition in CALCULATED:
        mock.service.call("CreateCalculatedAttributeDefinition", {"DomainName": "acme", **definition})
    for order in ORDERS:
        pools["ProfileObjectUniqueKey"].append(mock.put_object("acme", "Order", order))
    pools["Values"].extend(pools["ProfileId"])
    history = mock.client().list_profile_history_records(DomainName="acme", ProfileId=pools["ProfileId"][0])
    pools["HistoryId"] = [record["Id"] for record in history["ProfileHistoryRecords"]]
    _seed_jobs(mock, pools)
    arn = f"arn:aws:profile:{mock.options.region}:{mock.options.account_id}:domains/acme"
    pools["resourceArn"] = [arn, f"{arn}/object-types/Order"]
    _seed_segments(mock, pools)
    # The configuration. In acme: two triggers (one used by an integration whose Uri is the Kinesis stream's,
    # so that one pooled Uri serves both families), no stream (so CreateEventStream can succeed). A stream in
    # "empty"; a third domain configured through a seed document (the load path).
    trigger = {"ObjectTypeName": "Order", "EventTriggerConditions": TRIGGER_CONDITIONS}
    triggers = [{"EventTriggerName": name, **trigger} for name in ("gold", "spare")]
    stream = {"EventStreamName": "export", "Uri": KINESIS}
    types = [
        {"ObjectTypeName": "Order", **ORDER_TYPE},
        {"ObjectTypeName": "Calls", "Description": "contact records", "TemplateId": "CTR"},
    ]
    configured = {"objectTypes": types, "eventTriggers": triggers, "eventStreams": [stream]}
    configured["integrations"] = [{"Uri": CONNECT, "ObjectTypeName": "Calls"}]
    mock.load({"domains": [{"DomainName": "configured", **configured}]})
    for entry in triggers:
        mock.service.call("CreateEventTrigger", {"DomainName": "acme", **entry})
    integration = {"Uri": KINESIS, "ObjectTypeName": "Order", "EventTriggerNames": ["gold"]}
    mock.service.call("PutIntegration", {"DomainName": "acme", **integration})
    mock.service.call("CreateEventStream", {"DomainName": "empty", **stream})
    workflow = mock.service.call(
        "CreateIntegrationWorkflow",
        {
            "DomainName": "acme",
            "WorkflowType": "APPFLOW_INTEGRATION",
            "IntegrationConfig": {"AppflowIntegration": {"FlowDefinition": flow_definition("seeded")}},
            "ObjectTypeName": "Order",
            "RoleArn": "arn:aws:iam::123456789012:role/profiles",
        },
    )
    pools.update(
        {
            "Uri": [KINESIS, CONNECT, CAMPAIGN],
            "EventStreamName": ["export"],
            "EventTriggerName": ["spare", "gold", "fresh"],  # unused, used by an integration, not yet created
            "EventTriggerConditions": [TRIGGER_CONDITIONS],
            "FlowDefinition": [flow_definition("generated")],
            "WorkflowId": [workflow["WorkflowId"]],
        }
    )
    _seed_identity_and_recommenders(mock, pools)
    return pools


def _seed_identity_and_recommenders(mock: CustomerProfilesMock, pools: dict[str, list[Any]]) -> None:
    """acme: ML and rule-based matching on (Ana and Acme share an email), one finished identity resolution
    job; a recommender schema, a filter, an ACTIVE recommender and a stopped (INACTIVE) one."""
    client = mock.client()
    selector = {"AttributeMatchingModel": "MANY_TO_MANY", "EmailAddress": ["EmailAddress", "BusinessEmailAddress"]}
    client.update_domain(
        DomainName="acme",
        Matching={"Enabled": True},
        RuleBasedMatching={
            "Enabled": True,
            "MatchingRules": [{"Rule": ["EmailAddress"]}],
            "AttributeTypesSelector": selector,
        },
    )
    pools["IdentityJobId"] = [mock.run_identity_resolution("acme")]  # JobId of GetIdentityResolutionJob
    fields = RECOMMENDER_FIELDS
    client.create_recommender_schema(DomainName="acme", RecommenderSchemaName="schema1", Fields=fields)
    expression = 'INCLUDE ItemID WHERE Items.Category IN ("shoes")'
    client.create_recommender_filter(
        DomainName="acme", RecommenderFilterName="filter1", RecommenderFilterExpression=expression, Tags={"t": "1"}
    )
    for name in ("active", "stopped"):
        client.create_recommender(DomainName="acme", RecommenderName=name, RecommenderRecipeName="popular-items")
    mock.settle("Recommender")
    client.stop_recommender(DomainName="acme", RecommenderName="stopped")
    mock.settle("Recommender")
    pools["RecommenderName"] = ["active", "stopped"]
    pools["RecommenderSchemaName"] = ["schema1"]
    pools["RecommenderFilterName"] = ["filter1", "filter2"]  # filter2 is free: a Create may use it
    pools["KeyValues"] = ["ana@example.com", "bo@example.com"]  # coherent requests take bo's: one profile
    pools["Tags"] = [{"team": "blue"}]
    pools["RecommenderFilterExpression"] = [expression]
    pools["Fields"].append(fields)  # a schema's Fields (the object type's come first)
    pools["MatchingAttributesList"] = [[["LastName"], ["EmailAddress", "FirstName"]]]
    pools["Recommender"] = [{"Name": "active"}]


def _seed_segments(mock: CustomerProfilesMock, pools: dict[str, list[Any]]) -> None:
    """Two segment definitions of "acme" (one built on the other), an estimate, a snapshot, a subscription
    and a segment stream; "fresh" is a name no definition has yet."""
    gold = {"ProfileAttributes": {"Attributes": {"tier": {"DimensionType": "INCLUSIVE", "Values": ["gold"]}}}}
    service = mock.service
    for name, groups in (
        ("vip", {"Groups": [{"Dimensions": [gold]}]}),
        ("everyone", {"Groups": [{"SourceSegments": [{"SegmentDefinitionName": "vip"}], "SourceType": "NONE"}, {}]}),
    ):
        params = {"DomainName": "acme", "SegmentDefinitionName": name, "DisplayName": name, "SegmentGroups": groups}
        service.call("CreateSegmentDefinition", params)
    pools["SegmentDefinitionName"] = ["vip", "everyone", "fresh"]
    pools["SegmentGroups"] = [{"Groups": [{"SourceSegments": [{"SegmentDefinitionName": "vip"}]}]}]
    service.call("PutSegmentSubscription", {"DomainName": "acme", "SegmentDefinitionName": "vip"})
    stream = "arn:aws:kinesis:us-east-1:123456789012:stream/segments"
    pools["DestinationArn"] = [stream]
    role = "arn:aws:iam::123456789012:role/segments"
    service.call(
        "AssociateStreamForSegments", {"DomainName": "acme", "DestinationArn": stream, "DestinationRoleArn": role}
    )
    estimate = service.call("CreateSegmentEstimate", {"DomainName": "acme", "SegmentQuery": {"Groups": [{}]}})
    pools["EstimateId"] = [estimate["EstimateId"]]
    snapshot = {
        "DomainName": "acme",
        "SegmentDefinitionName": "vip",
        "DataFormat": "CSV",
        "DestinationUri": "s3://b",
    }
    pools["SnapshotId"] = [service.call("CreateSegmentSnapshot", snapshot)["SnapshotId"]]


@st.composite
def adopted(draw: st.DrawFn, shape: Any, value: Any, pools: dict[str, list[Any]], coherent: bool) -> Any:
    """``value`` with names and ids replaced by ones that exist in the seeded state (only where the
    replacement is still valid for the member). ``coherent``: the first item of every pool, which all
    belong together (the object type, its object and the object's profile), and the next ones for lists."""
    if shape.type_name == "list" and isinstance(value, list):
        return [draw(adopted(shape.member, item, pools, coherent)) for item in value]
    if shape.type_name != "structure" or not isinstance(value, dict):
        if shape.type_name == "string" and shape.metadata.get("pattern") == PROFILE_ID:
            return pools["ProfileId"][0] if coherent else draw(st.sampled_from([value, *pools["ProfileId"]]))
        return value
    out = dict(value)
    members = wire_members(shape)
    for wire, item in value.items():
        name, member = members[wire]
        pool = pools.get(POOLED.get(name, ""))
        replacement: Any = None
        if pool and isinstance(item, str):
            replacement = pool[0] if coherent else draw(st.sampled_from(pool))
        elif pool and isinstance(item, list) and isinstance(pool[0], str):
            if coherent:
                replacement = (pool[1:] or pool)[: max(len(item), 1)]
            else:
                replacement = draw(st.lists(st.sampled_from(pool), min_size=len(item), max_size=len(item)))
        elif pool:  # structured values: an object type's Fields and Keys
            replacement = pool[0] if coherent else draw(st.sampled_from(pool))
        adopt = coherent or draw(st.integers(0, 4)) > 0
        if replacement is not None and adopt and not oracle.problems(member, replacement):
            out[wire] = replacement
        else:
            out[wire] = draw(adopted(member, item, pools, coherent))
    return out


@st.composite
def valid_request(draw: st.DrawFn, operation: str, pools: dict[str, list[Any]]) -> dict[str, Any]:
    """A request (wire names, JSON values) that satisfies the input shape, leaning on existing names."""
    shape = input_shape(operation)
    if shape is None:
        return {}
    coherent = draw(st.booleans(), label="coherent names")
    pools = {**pools, **OPERATION_POOLS.get(operation, {})}
    for name, pool_name in POOL_ALIASES.get(operation, {}).items():
        pools[name] = pools.get(pool_name, [])
    request: dict[str, Any] = draw(adopted(shape, draw(valid(shape)), pools, coherent))
    if coherent:  # every pooled member, then optional ones dropped at random: rules between members hold
        required = set(shape.required_members)
        for wire in COHERENT_LEAVES_OUT.get(operation, frozenset()):
            request.pop(wire, None)
        for wire, (name, member) in wire_members(shape).items():
            if wire in COHERENT_LEAVES_OUT.get(operation, frozenset()):
                continue
            pool = pools.get(POOLED.get(name, ""))
            if wire not in request and pool and not oracle.problems(member, pool[0]):
                request[wire] = pool[0]
            if name not in required and wire in request and draw(st.booleans(), label=f"drop {wire}"):
                del request[wire]
    return request


def sweep_settings() -> settings:
    """The settings of a per-operation sweep (three tests over every operation, each example a seeded mock and a
    call): half the examples of the profile in force (20 of "ci"'s 40, 1000 of "deep"'s 2000), which keeps the
    suite within CI's time budget while every operation still gets its hostile and its valid requests."""
    return settings(max_examples=max(10, settings().max_examples // 2))


def split(operation: str, request: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(params of the located members, the JSON body members) of a request in wire form."""
    located = located_members(operation)
    return (
        {key: value for key, value in request.items() if key in located},
        {key: value for key, value in request.items() if key not in located},
    )


def as_params(operation: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """Body members under their botocore parameter names; ``None`` when some name is unknown to the model."""
    shape = input_shape(operation)
    members = wire_members(shape) if shape is not None else {}
    if any(key not in members for key in body):
        return None
    return {members[key][0]: value for key, value in body.items()}


def new_client() -> Any:
    """A boto3 client of the mock's own region with fake credentials, which never retries (a retry would
    hide what the first answer was)."""
    return boto3.client(
        "customer-profiles",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}),
    )
