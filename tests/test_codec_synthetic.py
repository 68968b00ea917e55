"""The codec's branches that the Customer Profiles model never uses, driven by a small synthetic model.

Header members (string, integer, boolean, timestamp, lists, ``jsonvalue``), prefixed header maps, greedy
``{Key+}`` labels, querystring lists and maps, query literals in ``requestUri``, timestamps and blobs in
bodies, renamed body members, and ``statusCode``/header members of an output: each goes through
botocore's own serializer or parser and back, as in ``test_codec_roundtrip.py``.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
from typing import Any

import pytest
from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel, ServiceModel, Shape
from codec_support import EXAMPLES, parsed_by_botocore, parsed_by_codec, sent_request, strategy
from hypothesis import assume, given
from hypothesis import strategies as st

from mock_customer_profiles import _codec
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._schema import ShapeValidator


def _member(shape: str, where: str | None = None, wire: str | None = None, **more: Any) -> dict[str, Any]:
    member: dict[str, Any] = {"shape": shape, **more}
    if where is not None:
        member["location"] = where
    if wire is not None:
        member["locationName"] = wire
    return member


def _op(method: str, uri: str, input_shape: str | None = None, output_shape: str | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {"http": {"method": method, "requestUri": uri}}
    if input_shape is not None:
        operation["input"] = {"shape": input_shape}
    if output_shape is not None:
        operation["output"] = {"shape": output_shape}
    return operation


SHAPES: dict[str, Any] = {
    "Str": {"type": "string"},
    "Label": {"type": "string", "min": 1},
    "Int": {"type": "integer"},
    "Long": {"type": "long"},
    "Bool": {"type": "boolean"},
    "Double": {"type": "double"},
    "Time": {"type": "timestamp"},
    "Blob": {"type": "blob"},
    "StrList": {"type": "list", "member": {"shape": "Str"}},
    "IntList": {"type": "list", "member": {"shape": "Int"}},
    "BoolList": {"type": "list", "member": {"shape": "Bool"}},
    "StrMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Str"}},
    "ListMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "StrList"}},
    "Inner": {
        "type": "structure",
        "members": {"When": _member("Time"), "Data": _member("Blob"), "Renamed": _member("Str", wire="renamedOnWire")},
    },
    "InnerList": {"type": "list", "member": {"shape": "Inner"}},
    "InnerMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Inner"}},
    "Choice": {"type": "structure", "union": True, "members": {"Text": _member("Str"), "Number": _member("Int")}},
    "HeadersInput": {
        "type": "structure",
        "required": ["Id"],
        "members": {
            "Id": _member("Label", "uri", "Id"),
            "Text": _member("Str", "header", "x-text"),
            "Count": _member("Int", "header", "x-count"),
            "Flag": _member("Bool", "header", "x-flag"),
            "Since": _member("Time", "header", "x-since"),
            "Ratio": _member("Double", "header", "x-ratio"),
            "Tags": _member("StrList", "header", "x-tags"),
            "Numbers": _member("IntList", "header", "x-numbers"),
            "Switches": _member("BoolList", "header", "x-switches"),
            "Doc": _member("Str", "header", "x-doc", jsonvalue=True),
            "Meta": _member("StrMap", "headers", "x-meta-"),
            "When": _member("Time"),
            "Data": _member("Blob"),
            "Renamed": _member("Str", wire="renamedOnWire"),
            "Inner": _member("Inner"),
            "Inners": _member("InnerList"),
            "InnerMap": _member("InnerMap"),
            "Choice": _member("Choice"),
        },
    },
    "HeadersOutput": {
        "type": "structure",
        "members": {
            "Status": _member("Int", "statusCode"),
            "Text": _member("Str", "header", "x-text"),
            "Count": _member("Int", "header", "x-count"),
            "Flag": _member("Bool", "header", "x-flag"),
            "Since": _member("Time", "header", "x-since"),
            "Tags": _member("StrList", "header", "x-tags"),
            "Doc": _member("Str", "header", "x-doc", jsonvalue=True),
            "Meta": _member("StrMap", "headers", "x-meta-"),
            "When": _member("Time"),
            "Data": _member("Blob"),
            "Renamed": _member("Str", wire="renamedOnWire"),
            "Inner": _member("Inner"),
            "InnerMap": _member("InnerMap"),
        },
    },
    "ObjectInput": {
        "type": "structure",
        "required": ["Bucket", "Key"],
        "members": {
            "Bucket": _member("Label", "uri", "Bucket"),
            "Key": _member("Label", "uri", "Key"),
            "Tags": _member("StrList", "querystring", "tag"),
            "Sizes": _member("IntList", "querystring", "size"),
            "Since": _member("Time", "querystring", "since"),
            "Flag": _member("Bool", "querystring", "flag"),
            "Ratio": _member("Double", "querystring", "ratio"),
            "Count": _member("Long", "querystring", "count"),
            "Extra": _member("StrMap", "querystring"),
        },
    },
    "TaggingInput": {
        "type": "structure",
        "required": ["Bucket", "Key"],
        "members": {
            "Bucket": _member("Label", "uri", "Bucket"),
            "Key": _member("Label", "uri", "Key"),
            "Extra": _member("ListMap", "querystring"),
        },
    },
    "TaggingOutput": {"type": "structure", "members": {"Tags": _member("StrList")}},
    "ItemsInput": {"type": "structure", "members": {"Ids": _member("StrList")}},
    "ThingInput": {"type": "structure", "required": ["Id"], "members": {"Id": _member("Label", "uri", "Id")}},
    "BucketInput": {"type": "structure", "required": ["Bucket"], "members": {"Bucket": _member("Label", "uri")}},
    "PartInput": {"type": "structure", "required": ["Part"], "members": {"Part": _member("Label", "uri")}},
    "PathInput": {"type": "structure", "required": ["Path"], "members": {"Path": _member("Label", "uri")}},
    "Empty": {"type": "structure", "members": {}},
}

OPERATIONS: dict[str, Any] = {
    "PutHeaders": _op("POST", "/things/{Id}", "HeadersInput", "HeadersOutput"),
    "GetThing": _op("GET", "/things/{Id}", "ThingInput"),
    "GetSpecialThing": _op("GET", "/things/special", "Empty"),
    "GetObject": _op("GET", "/objects/{Bucket}/{Key+}", "ObjectInput"),
    "GetObjectTagging": _op("GET", "/objects/{Bucket}/{Key+}?tagging", "TaggingInput", "TaggingOutput"),
    "GetBucketMeta": _op("GET", "/objects/{Bucket}/meta", "BucketInput"),
    "GetPart": _op("GET", "/parts/{Part}/z", "PartInput"),
    "GetDeepPart": _op("GET", "/parts/{Path+}/z", "PathInput"),
    "PostItems": _op("POST", "/items", "ItemsInput"),
    "ArchiveItems": _op("POST", "/items?action=archive", "ItemsInput"),
    "Ping": _op("GET", "/"),
}

SERVICE = ServiceModel(
    {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01",
            "endpointPrefix": "synthetic",
            "protocol": "rest-json",
            "serviceId": "Synthetic",
            "signatureVersion": "v4",
            "jsonVersion": "1.1",
        },
        "operations": {name: {"name": name, **operation} for name, operation in OPERATIONS.items()},
        "shapes": SHAPES,
    },
    service_name="synthetic",
)


@functools.cache
def model(name: str) -> OperationModel:
    return SERVICE.operation_model(name)


@functools.cache
def router() -> _codec.Router:
    return _codec.Router(model(name) for name in SERVICE.operation_names)


@functools.cache
def validator(shape: Shape | None) -> ShapeValidator:
    return ShapeValidator(shape)


def request(name: str, parameters: dict[str, Any]) -> _codec.WireRequest:
    return sent_request(model(name), parameters)


def parse(name: str, wire: _codec.WireRequest) -> dict[str, Any]:
    routed, received = parsed_by_codec(wire, router(), model(name), validator(model(name).input_shape))
    assert routed == name
    return received


def reject(name: str, wire: _codec.WireRequest) -> str:
    with pytest.raises(BadRequest) as caught:
        parse(name, wire)
    return caught.value.message


# ---------------------------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", ["PutHeaders", "GetObject", "GetObjectTagging", "PostItems", "ArchiveItems"])
@EXAMPLES
@given(data=st.data())
def test_botocore_request_parses_back_to_the_same_params(name: str, data: st.DataObject) -> None:
    sent = data.draw(strategy(model(name).input_shape), label="params")
    # A query map cannot carry the keys the operation's own query members or its requestUri use, and a
    # key named like the literal segment of a more specific template is routed there; neither is sendable.
    assume(not set(sent.get("Extra", {})) & {"tag", "size", "since", "flag", "ratio", "count", "tagging"})
    assume(sent.get("Key") != "meta")
    assert parse(name, request(name, sent)) == sent


@EXAMPLES
@given(data=st.data())
def test_codec_response_parses_back_to_the_same_result(data: st.DataObject) -> None:
    operation = model("PutHeaders")
    result = data.draw(strategy(operation.output_shape, output=True), label="output")
    status = data.draw(st.none() | st.integers(200, 299), label="Status")
    if status is not None:
        result["Status"] = status
    document = _codec.output_document(operation, result)
    validator(operation.output_shape).check(document)
    parsed = parsed_by_botocore(operation, _codec.serialize_output(operation, document))
    parsed.pop("ResponseMetadata")
    # botocore's parser gives a prefixed header map even when no such header came: an empty one.
    assert parsed == {"Meta": {}, **result, "Status": 200 if status is None else status}


def test_header_list_items_with_commas_and_quotes_come_back_whole() -> None:
    tags = ["plain", "a,b", 'say "hi"', "back\\slash", 'x\\"y', ""]
    wire = request("PutHeaders", {"Id": "t", "Tags": tags, "Numbers": [1, -2], "Switches": [True, False]})
    assert wire.headers["x-tags"] == 'plain,"a,b","say \\"hi\\"",back\\slash,"x\\\\"y",'
    assert parse("PutHeaders", wire) == {"Id": "t", "Tags": tags, "Numbers": [1, -2], "Switches": [True, False]}


def test_prefixed_header_map_keeps_the_rest_of_each_name() -> None:
    wire = request("PutHeaders", {"Id": "t", "Meta": {"Colour": "red", "size": "L"}})
    assert parse("PutHeaders", wire) == {"Id": "t", "Meta": {"Colour": "red", "size": "L"}}


def test_greedy_label_takes_every_segment_and_slashes_stay_slashes() -> None:
    wire = request("GetObject", {"Bucket": "b/1", "Key": "dir/sub dir/file%.txt"})
    assert wire.path == "/objects/b%2F1/dir/sub%20dir/file%25.txt"
    assert parse("GetObject", wire) == {"Bucket": "b/1", "Key": "dir/sub dir/file%.txt"}


def test_query_literal_is_not_a_member_of_the_query_map() -> None:
    wire = request("GetObjectTagging", {"Bucket": "b", "Key": "k", "Extra": {"a": ["1", "2"], "b": [""]}})
    assert wire.query == "tagging&a=1&a=2&b="
    assert parse("GetObjectTagging", wire) == {"Bucket": "b", "Key": "k", "Extra": {"a": ["1", "2"], "b": [""]}}


def test_timestamp_in_query_header_and_body_all_mean_the_same_instant() -> None:
    when = dt.datetime(2024, 2, 29, 12, 30, 15, tzinfo=dt.timezone.utc)
    headers = parse("PutHeaders", request("PutHeaders", {"Id": "t", "Since": when, "When": when}))
    query = parse("GetObject", request("GetObject", {"Bucket": "b", "Key": "k", "Since": when}))
    assert headers["Since"] == headers["When"] == query["Since"] == when


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1709209815", 1709209815),
        ("1709209815.5", 1709209815.5),
        ("2024-02-29T12:30:15Z", 1709209815),
        ("2024-02-29T12:30:15", 1709209815),
        ("2024-02-29T13:30:15+01:00", 1709209815),
        ("Thu, 29 Feb 2024 12:30:15 GMT", 1709209815),
    ],
)
def test_header_timestamp_in_every_format_botocore_may_send(text: str, seconds: float) -> None:
    wire = _codec.WireRequest("POST", "/things/t", headers={"X-Since": text})
    assert parse("PutHeaders", wire)["Since"] == dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


# ------------------------------------------------------------------------------------------ bad requests


@pytest.mark.parametrize(
    ("header", "text", "member", "aws_type"),
    [
        ("x-count", "many", "count", "integer"),
        ("x-flag", "yes", "flag", "boolean"),
        ("x-ratio", "half", "ratio", "double"),
        ("x-since", "Thu, 99 Nowhere", "since", "timestamp"),
        ("x-since", "yesterday", "since", "timestamp"),
        ("x-since", "nan", "since", "timestamp"),
        ("x-since", "inf", "since", "timestamp"),
        ("x-numbers", "1,two", "numbers", "integer"),
        ("x-doc", "not base64!", "doc", "base64-encoded JSON"),
        ("x-doc", base64.b64encode(b"{not json").decode(), "doc", "base64-encoded JSON"),
        ("x-doc", base64.b64encode(b"NaN").decode(), "doc", "base64-encoded JSON"),
    ],
)
def test_header_that_is_not_of_its_type(header: str, text: str, member: str, aws_type: str) -> None:
    wire = _codec.WireRequest("POST", "/things/t", headers={header: text})
    shown = text.rpartition(",")[2] if header == "x-numbers" else text  # a list item is judged on its own
    assert reject("PutHeaders", wire) == (
        f"1 validation error detected: Value '{shown}' at '{member}' failed to satisfy constraint: "
        f"Member must be of type {aws_type}"
    )


def test_query_value_that_is_not_of_its_type() -> None:
    wire = _codec.WireRequest("GET", "/objects/b/k", query="size=1&size=x")
    assert reject("GetObject", wire) == (
        "1 validation error detected: Value 'x' at 'sizes' failed to satisfy constraint: Member must be of type integer"
    )


def test_blob_in_body_must_be_base64() -> None:
    wire = _codec.WireRequest("POST", "/things/t", body=b'{"Data": "not base64!", "Inner": {"Data": "QUJD"}}')
    assert reject("PutHeaders", wire) == (
        "1 validation error detected: Value 'not base64!' at 'data' failed to satisfy constraint: "
        "Member must be base64-encoded binary data"
    )


@pytest.mark.parametrize("seconds", [1e300, -1e20, 253402300800])
def test_timestamp_in_body_must_be_a_date_of_years_1_to_9999(seconds: float) -> None:
    wire = _codec.WireRequest("POST", "/things/t", body=json.dumps({"Inner": {"When": seconds}}).encode())
    assert reject("PutHeaders", wire) == (
        f"1 validation error detected: Value '{seconds}' at 'inner.when' failed to satisfy constraint: "
        "Member must be a timestamp between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z"
    )


def test_renamed_member_is_known_only_by_its_serialized_name() -> None:
    wire = _codec.WireRequest("POST", "/things/t", body=b'{"Renamed": "x", "renamedOnWire": "y"}')
    assert reject("PutHeaders", wire) == (
        "1 validation error detected: Value 'x' at 'Renamed' failed to satisfy constraint: "
        "Member must be a member of HeadersInput"
    )


@pytest.mark.parametrize(("choice", "shown"), [({}, "{}"), ({"Text": "a", "Number": 1}, "{Text=a, Number=1}")])
def test_union_takes_exactly_one_member(choice: dict[str, Any], shown: str) -> None:
    wire = _codec.WireRequest("POST", "/things/t", body=json.dumps({"Choice": choice}).encode())
    assert reject("PutHeaders", wire) == (
        f"1 validation error detected: Value '{shown}' at 'choice' failed to satisfy constraint: "
        "Member must have exactly one of its members set: [Text, Number]"
    )


@pytest.mark.parametrize(
    ("body", "where"),
    [(b'{"Id": "other"}', "URI"), (b'{"Count": 3}', "headers"), (b'{"Meta": {}}', "headers")],
)
def test_located_member_sent_in_the_body(body: bytes, where: str) -> None:
    wire = _codec.WireRequest("POST", "/things/t", body=body)
    member, value = next(iter(json.loads(body).items()))
    assert reject("PutHeaders", wire) == (
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: "
        f"Member must be sent in the {where}, not in the body"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"Since": 1}', "Value '1' at 'Since' failed to satisfy constraint: Member must be sent in the query string"),
        (b'{"Other": 1}', "Value '1' at 'Other' failed to satisfy constraint: Member must be a member of ObjectInput"),
    ],
)
def test_body_of_an_operation_whose_members_all_travel_elsewhere(body: bytes, message: str) -> None:
    wire = _codec.WireRequest("GET", "/objects/b/k", body=body)
    assert reject("GetObject", wire).startswith(f"1 validation error detected: {message}")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[1, 2]", "mock_customer_profiles: the request body must be a JSON object"),
        (b"{nope", "mock_customer_profiles: the request body is not valid JSON"),
        (b'{"Ids": [NaN]}', "mock_customer_profiles: the request body is not valid JSON"),
        (b'{"Ids": ["\xff"]}', "mock_customer_profiles: the request body is not valid JSON"),
    ],
)
def test_body_that_is_not_a_json_object(body: bytes, message: str) -> None:
    assert reject("PostItems", _codec.WireRequest("POST", "/items", body=body)) == message


def test_body_where_none_belongs_must_still_be_json() -> None:
    assert reject("GetObject", _codec.WireRequest("GET", "/objects/b/k", body=b"nope")) == (
        "mock_customer_profiles: the request body is not valid JSON"
    )


# --------------------------------------------------------------------------------------------- routing


@pytest.mark.parametrize(
    ("method", "path", "query", "expected"),
    [
        ("GET", "/things/special", "", ("GetSpecialThing", {})),
        ("GET", "/things/specials", "", ("GetThing", {"Id": "specials"})),
        ("GET", "/objects/b/meta", "", ("GetBucketMeta", {"Bucket": "b"})),
        ("GET", "/objects/b/meta/more", "", ("GetObject", {"Bucket": "b", "Key": "meta/more"})),
        ("GET", "/objects/b/k", "tagging", ("GetObjectTagging", {"Bucket": "b", "Key": "k"})),
        ("GET", "/objects/b/k", "tagging=&x=1", ("GetObjectTagging", {"Bucket": "b", "Key": "k"})),
        ("GET", "/objects/b/k", "tag=tagging", ("GetObject", {"Bucket": "b", "Key": "k"})),
        ("GET", "/parts/p/z", "", ("GetPart", {"Part": "p"})),
        ("GET", "/parts/p/q/z", "", ("GetDeepPart", {"Path": "p/q"})),
        ("POST", "/items", "action=archive", ("ArchiveItems", {})),
        ("POST", "/items", "action=restore", ("PostItems", {})),
        ("POST", "/items/", "", ("PostItems", {})),
        ("GET", "/", "", ("Ping", {})),
    ],
)
def test_most_specific_template_wins(method: str, path: str, query: str, expected: tuple[str, Any]) -> None:
    assert router().match(method, path, query) == expected


def test_paths_no_template_matches() -> None:
    assert router().match("GET", "/things/a/b") is None
    assert router().match("GET", "") is None
    assert router().match("DELETE", "/things/special") is None
    assert router().methods_for("/items") == ["POST"]


# ------------------------------------------------------------------------------------------ no shapes, seams


def test_operation_without_input_or_output_shape() -> None:
    ping = model("Ping")
    wire = request("Ping", {})
    assert parse("Ping", wire) == {}
    assert _codec.finish_params(ping, {}) == {}
    assert _codec.output_document(ping, {}) == {}
    response = _codec.serialize_output(ping, {})
    assert (response.status, response.body) == (200, b"{}")
    assert parsed_by_botocore(ping, response)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_unset_output_members_are_omitted() -> None:
    operation = model("PutHeaders")
    document = _codec.output_document(operation, {"Text": None, "Renamed": None, "Count": 0, "Tags": []})
    response = _codec.serialize_output(operation, {**document, "Flag": None})
    assert "x-text" not in response.headers
    assert "x-flag" not in response.headers
    assert json.loads(response.body) == {}
    parsed = parsed_by_botocore(operation, response)
    parsed.pop("ResponseMetadata")
    assert parsed == {"Status": 200, "Count": 0, "Meta": {}}


def test_params_of_a_seeding_helper_encode_as_botocore_would_send_them() -> None:
    shape = model("PutHeaders").input_shape
    naive = dt.datetime(2024, 1, 1, 0, 0, 0, 250000)
    encoded = _codec.encode(shape, {"Id": "t", "Data": "text", "When": naive, "Inner": {"When": 1704067200}})
    assert encoded == {
        "Id": "t",
        "Data": base64.b64encode(b"text").decode(),
        "When": 1704067200.25,
        "Inner": {"When": 1704067200},
    }
    validator(shape).check(encoded)
    assert _codec.finish_params(model("PutHeaders"), encoded) == {
        "Id": "t",
        "Data": b"text",
        "When": naive.replace(tzinfo=dt.timezone.utc),
        "Inner": {"When": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)},
    }


def test_wire_params_of_operation_without_input() -> None:
    assert _codec.wire_params(model("Ping"), {}, _codec.WireRequest("GET", "/")) == {}
    assert reject("Ping", _codec.WireRequest("GET", "/", body=b'{"Extra": [null, true, {"a": false}]}')) == (
        "1 validation error detected: Value '[null, true, {a=false}]' at 'Extra' failed to satisfy constraint: "
        "Member must be a member of the input"
    )


def test_headers_as_a_server_door_hands_them_over() -> None:
    headers = HeadersDict({"X-Count": "7", "X-META-Colour": "red"})
    wire = _codec.WireRequest("POST", "/things/t", headers=headers)
    assert parse("PutHeaders", wire) == {"Id": "t", "Count": 7, "Meta": {"Colour": "red"}}


def test_output_member_the_shape_lacks_is_kept_for_the_output_check_to_name() -> None:
    operation = model("PutHeaders")
    when = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    document = _codec.output_document(operation, {"When": when, "Bogus": None})
    assert document == {"When": 1704067200, "Bogus": None}
    assert validator(operation.output_shape).describe(document) == [
        "Value null at 'Bogus' failed to satisfy constraint: Member must be a member of HeadersOutput"
    ]
