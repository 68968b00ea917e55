"""The codec against botocore itself, for every operation of the service model.

Inputs: params generated from each input shape are serialized by botocore's own rest-json serializer
and turned into the URL, headers and body botocore sends; the codec routes that request and parses it
back to the same params. Outputs: results generated from each output shape are serialized by the codec
and parsed by botocore's own rest-json parser to the same result. Errors: every modelled error code
comes out of botocore's parser with its code, message and status.

These tests call the codec directly because they test it against botocore's real serializer and parser;
every other test of the project goes through a boto3 client.
"""

from __future__ import annotations

from typing import Any

import botocore.parsers
import pytest
from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel
from codec_support import EXAMPLES, parsed_by_botocore, parsed_by_codec, sent_request, strategy
from hypothesis import given
from hypothesis import strategies as st

from mock_customer_profiles import _codec
from mock_customer_profiles._errors import ServiceError
from mock_customer_profiles._model import operation_errors, operation_model, operation_names, service_model
from mock_customer_profiles._schema import input_validator, output_validator

OPERATIONS = sorted(operation_names())


# -------------------------------------------------------------------------------------------------- input


@pytest.mark.parametrize("operation", OPERATIONS)
@EXAMPLES
@given(data=st.data())
def test_botocore_request_parses_back_to_the_same_params(operation: str, data: st.DataObject) -> None:
    model = operation_model(operation)
    sent = data.draw(strategy(model.input_shape), label="params")
    name, received = parsed_by_codec(sent_request(model, sent), _codec.router(), model, input_validator(operation))
    assert name == operation
    assert received == sent


# ------------------------------------------------------------------------------------------------- output


@pytest.mark.parametrize("operation", OPERATIONS)
@EXAMPLES
@given(data=st.data())
def test_codec_response_parses_back_to_the_same_result(operation: str, data: st.DataObject) -> None:
    model = operation_model(operation)
    shape = model.output_shape
    result = data.draw(strategy(shape, output=True), label="output")
    expected = dict(result)
    status_members = [
        name for name, member in shape.members.items() if member.serialization.get("location") == "statusCode"
    ]
    for name in status_members:
        status = data.draw(st.none() | st.integers(200, 299), label=name)
        if status is not None:
            result[name] = status
        expected[name] = status if status is not None else int(model.http.get("responseCode", 200))

    document = _codec.output_document(operation, result)
    output_validator(operation).check(document)
    response = _codec.serialize_output(operation, document)
    parsed = parsed_by_botocore(model, response)

    assert parsed.pop("ResponseMetadata")["RequestId"] == response.headers["x-amzn-RequestId"]
    assert parsed == expected


# ------------------------------------------------------------------------------------------------- errors


def modelled_error_codes() -> list[str]:
    return sorted({code for name in OPERATIONS for code in operation_errors(name)})


@pytest.mark.parametrize("code", modelled_error_codes())
def test_modelled_error_parses_as_botocore_reads_it(code: str) -> None:
    shape = service_model().shape_for(code)
    message = f"Something about {code}: 'quotes', \"double quotes\" and ünïcödé"
    response = _codec.serialize_error(ServiceError(message, code=code))

    assert response.status == shape.metadata["error"]["httpStatusCode"]
    assert response.headers["x-amzn-ErrorType"] == code
    for operation in [name for name in OPERATIONS if code in operation_errors(name)]:
        parsed = parsed_by_botocore(operation_model(operation), response)
        assert parsed["Error"] == {"Code": code, "Message": message}
        assert parsed["Message"] == message
        assert parsed["ResponseMetadata"]["RequestId"] == response.headers["x-amzn-RequestId"]


def test_error_status_of_its_own_wins_over_the_model() -> None:
    response = _codec.serialize_error(ServiceError("gone", code="ResourceNotFoundException", status=410))
    assert response.status == 410


def test_error_code_the_model_does_not_know_is_a_400() -> None:
    response = _codec.serialize_error(ServiceError("odd", code="NoSuchThingException"))
    assert response.status == 400
    parsed = botocore.parsers.create_parser("rest-json").parse(
        {"status_code": 400, "headers": HeadersDict(response.headers), "body": response.body},
        operation_model("GetDomain").output_shape,
    )
    assert parsed["Error"] == {"Code": "NoSuchThingException", "Message": "odd"}


# ------------------------------------------------------------------------------------------------ routing


def label_values(model: OperationModel, value: str) -> dict[str, Any]:
    shape = model.input_shape
    if shape is None:
        return {}
    return {name: value for name, member in shape.members.items() if member.serialization.get("location") == "uri"}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_template_routes_to_its_operation(operation: str) -> None:
    model = operation_model(operation)
    labels = label_values(model, "x-1")
    path = model.http["requestUri"].format(**labels)
    assert _codec.router().match(model.http["method"], path) == (operation, labels)
    assert _codec.router().match(model.http["method"].lower(), path + "/") == (operation, labels)


LITERAL_SEGMENTS = sorted(
    {seg for name in OPERATIONS for seg in operation_model(name).http["requestUri"].split("/") if "{" not in seg} - {""}
)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_labels_named_like_literal_segments_still_route_to_their_operation(operation: str) -> None:
    """No template of the model has a literal where another of its method has a label, so a label whose
    value reads like a literal segment ("profiles", "search", ...) still routes to its own operation.
    (Where templates do overlap, the most specific wins: see test_codec_synthetic.py.)"""
    model = operation_model(operation)
    for literal in LITERAL_SEGMENTS:
        labels = label_values(model, literal)
        path = model.http["requestUri"].format(**labels)
        assert _codec.router().match(model.http["method"], path) == (operation, labels)


def test_an_unknown_path_or_method_routes_nowhere() -> None:
    assert _codec.router().match("GET", "/no/such/path") is None
    assert _codec.router().match("PATCH", "/domains/acme") is None
    assert _codec.router().methods_for("/domains/acme") == ["DELETE", "GET", "POST", "PUT"]
    assert _codec.router().methods_for("/no/such/path") == []


def test_the_model_has_no_two_operations_on_one_route() -> None:
    routes = [(operation_model(name).http["method"], operation_model(name).http["requestUri"]) for name in OPERATIONS]
    assert len(set(routes)) == len(routes)
