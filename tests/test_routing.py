"""Routing: every operation of the service model, sent by botocore, reaches that operation.

Implemented operations answer (here with an error: the domain does not exist); the others raise
``NotImplementedOperation`` naming exactly the operation that was called. Each call is made twice, so
the second one is answered from the router's memory of the first.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_customer_profiles import CustomerProfilesMock, NotImplementedOperation
from mock_customer_profiles._model import operation_model, operation_names


def _uri_params(operation: str) -> dict[str, str]:
    shape = operation_model(operation).input_shape
    if shape is None:
        return {}
    return {
        name: f"label-{index}"  # never equal to a literal segment of any template
        for index, (name, member) in enumerate(shape.members.items())
        if member.serialization.get("location") == "uri"
    }


def _routed(mock: CustomerProfilesMock, client: Any, operation: str) -> str:
    method = getattr(client, _python_name(client, operation))
    before = len(mock.calls)
    try:
        method(**_uri_params(operation))
    except NotImplementedOperation as error:
        return error.operation
    except ClientError:
        pass
    assert len(mock.calls) == before + 1
    return mock.calls.last.operation


def _python_name(client: Any, operation: str) -> str:
    return next(name for name, api in client.meta.method_to_api_mapping.items() if api == operation)


@pytest.mark.parametrize("operation", operation_names())
def test_every_operation_routes_to_itself(mock: CustomerProfilesMock, raw_client: Any, operation: str) -> None:
    assert _routed(mock, raw_client, operation) == operation
    assert _routed(mock, raw_client, operation) == operation
