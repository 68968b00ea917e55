"""Every operation of the model, implemented or not, is answered in process: with every socket connection and
name lookup refused (any address, loopback included), each call returns, raises a modelled ``ClientError``,
or raises ``NotImplementedOperation``. The client finds no credentials anywhere, so a credential lookup
over the network (instance metadata, container endpoint) would show up too.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.config import Config

from mock_customer_profiles import NotImplementedOperation, mock_customer_profiles
from mock_customer_profiles._handlers import HANDLERS
from mock_customer_profiles._model import operation_errors, operation_model, operation_names

from .support import attempt, error_text


def minimal(shape: Any) -> Any:
    """The smallest value of a shape that botocore will serialize: required members only."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        return {name: minimal(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        return [minimal(shape.member)] * max(int(meta.get("min", 0)), 1)
    if kind in ("map", "document"):
        return {}
    if kind == "string":
        return shape.enum[0] if shape.enum else "a" * max(int(meta.get("min", 1)), 1)
    if kind in ("integer", "long"):
        return int(meta.get("min", 1))
    if kind in ("float", "double"):
        return float(meta.get("min", 1))
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    return b"x"  # blob


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Refuse, and record, every connection and name lookup, whatever the address."""
    attempts: list[Any] = []

    def refuse(*args: Any, **_: Any) -> Any:
        attempts.append(args)
        raise OSError("mock_customer_profiles test: the network is off")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    return attempts


def test_every_operation_answers_locally(no_network: list[Any]) -> None:
    answered: dict[str, str] = {}
    with mock_customer_profiles() as mock:
        mock.create_domain("acme")
        client = boto3.Session().client(
            "customer-profiles", config=Config(parameter_validation=False, retries={"total_max_attempts": 1})
        )
        for operation in operation_names():
            shape = operation_model(operation).input_shape
            params = minimal(shape) if shape is not None else {}
            method = getattr(client, xform_name(operation))
            if operation not in HANDLERS:
                with pytest.raises(NotImplementedOperation) as caught:
                    method(**params)
                assert caught.value.operation == operation
                assert str(caught.value) == (
                    f"mock_customer_profiles: {operation} is not implemented by the mock.\n"
                    "- the call never left the process: nothing was sent to AWS\n"
                    "- implemented operations are listed in docs/coverage.md#operation-coverage"
                )
                answered[operation] = "not implemented"
                continue
            _, error = attempt(method, **params)
            if error is None:
                answered[operation] = "response"
                continue
            code, _ = error_text(error)
            assert code in operation_errors(operation), (operation, code)
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] < 500, (operation, error)
            answered[operation] = code
        unimplemented = [call.operation for call in mock.unimplemented_calls]
    assert no_network == [], f"something tried the network: {no_network}"
    assert sorted(answered) == sorted(operation_names())
    assert sorted(op for op, how in answered.items() if how != "not implemented") == sorted(HANDLERS)
    assert unimplemented == [op for op in operation_names() if op not in HANDLERS]


def test_an_upload_job_file_never_leaves_the_process(no_network: list[Any]) -> None:
    """The upload URL of GetUploadJobPath is answered in process: the PUT of the file through ``requests``
    and the job that ingests it open no socket and look up no name."""
    import requests
    from test_upload_jobs import sse_headers

    with mock_customer_profiles() as mock:
        mock.create_domain("acme")
        client = boto3.Session().client("customer-profiles", config=Config(retries={"total_max_attempts": 1}))
        fields = {"id": {"Source": "_source.id"}, "first": {"Source": "_source.first", "Target": "_profile.FirstName"}}
        job_id = client.create_upload_job(DomainName="acme", DisplayName="a.csv", Fields=fields, UniqueKey="id")[
            "JobId"
        ]
        path = client.get_upload_job_path(DomainName="acme", JobId=job_id)
        headers = sse_headers(path["ClientToken"])
        assert requests.put(path["Url"], data="id,first\n1,Ana\n", headers=headers, timeout=5).status_code == 200
        client.start_upload_job(DomainName="acme", JobId=job_id)
        mock.settle("UploadJob")
        job = client.get_upload_job(DomainName="acme", JobId=job_id)
        assert job["ResultsSummary"]["CreatedRecords"] == 1
    assert no_network == [], f"something tried the network: {no_network}"
