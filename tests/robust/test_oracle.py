"""The robustness oracle judges by botocore's shapes alone: it knows the model's constraints without the
package's schema compiler, so a constraint the compiler dropped cannot pass the fuzzer unseen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mock_customer_profiles._model import operation_model

from . import oracle
from .support import Outcome, check_outcome


def shape(operation: str) -> Any:
    return operation_model(operation).input_shape


def test_the_oracle_does_not_use_the_package() -> None:
    source = (Path(__file__).parent / "oracle.py").read_text(encoding="utf-8")
    assert "mock_customer_profiles" not in source


@pytest.mark.parametrize(
    ("operation", "request_", "expected"),
    [
        ("CreateDomain", {"DomainName": "acme", "DefaultExpirationDays": 1}, []),
        ("CreateDomain", {"DomainName": "a" * 65, "DefaultExpirationDays": 1}, ["$.DomainName: length 65 is above"]),
        ("CreateDomain", {"DomainName": "a b", "DefaultExpirationDays": 1}, ["$.DomainName: 'a b' does not match"]),
        ("CreateDomain", {"DomainName": "acme\n", "DefaultExpirationDays": 1}, ["$.DomainName: 'acme\\n' does"]),
        ("CreateDomain", {"DomainName": "acme", "DefaultExpirationDays": 0}, ["$.DefaultExpirationDays: value 0"]),
        ("CreateDomain", {"DomainName": "acme", "DefaultExpirationDays": True}, ["$.DefaultExpirationDays: not an"]),
        ("CreateDomain", {"DomainName": "acme"}, ["$.DefaultExpirationDays: required by CreateDomainRequest"]),
        ("CreateDomain", {"DomainName": "acme", "DefaultExpirationDays": 1, "Bogus": 1}, ["$.Bogus: not a member"]),
        (
            "SearchProfiles",
            {"DomainName": "acme", "KeyName": "_email", "Values": ["a"], "LogicalOperator": "XOR"},
            ["$.LogicalOperator: 'XOR' is not one of"],
        ),
        (
            "SearchProfiles",
            {"DomainName": "acme", "KeyName": "_email", "Values": ["a"], "AdditionalSearchKeys": []},
            ["$.AdditionalSearchKeys: length 0 is below"],
        ),
    ],
)
def test_the_oracle_reads_the_constraints_from_the_shapes(
    operation: str, request_: dict[str, Any], expected: list[str]
) -> None:
    found = oracle.problems(shape(operation), request_)
    assert len(found) == len(expected), found
    for line, start in zip(found, expected, strict=True):
        assert line.startswith(start), (line, start)


def test_timestamps_blobs_and_documents_on_the_wire() -> None:
    timestamp = next(m for m in _all_shapes() if m.type_name == "timestamp")
    assert oracle.problems(timestamp, 1_700_000_000.5) == []
    assert oracle.problems(timestamp, 1e20) != []
    assert oracle.problems(timestamp, "2024-01-01") != []
    blob = next((m for m in _all_shapes() if m.type_name == "blob"), None)
    if blob is not None:
        assert oracle.problems(blob, "YWJj") == []
        assert oracle.problems(blob, "abc") != []


def _all_shapes() -> list[Any]:
    from mock_customer_profiles._model import service_model

    model = service_model()
    return [model.shape_for(name) for name in model.shape_names]


def test_an_invalid_request_the_mock_accepted_fails_the_check() -> None:
    """As if the package's validator had dropped DomainName's max: the oracle still knows it."""
    body = json.dumps({"DefaultExpirationDays": 1}).encode()
    outcome = Outcome(
        "CreateDomain",
        {"DomainName": "a" * 65, "DefaultExpirationDays": 1},
        delivered=True,
        body=body,
        status=200,
        headers={"x-amzn-RequestId": "r"},
        raw=b'{"DomainName": "' + b"a" * 65 + b'", "DefaultExpirationDays": 1, "CreatedAt": 1, "LastUpdatedAt": 1}',
        response={"DomainName": "a" * 65},
    )
    with pytest.raises(AssertionError, match="an invalid request was accepted"):
        check_outcome(outcome, before=None, after=None)


def test_an_answer_with_a_member_the_model_does_not_have_fails_the_check() -> None:
    raw = b'{"DomainName": "acme", "DefaultExpirationDays": 1, "CreatedAt": 1, "LastUpdatedAt": 1, "Extra": 1}'
    outcome = Outcome(
        "GetDomain",
        {"DomainName": "acme"},
        delivered=True,
        status=200,
        headers={"x-amzn-RequestId": "r"},
        raw=raw,
        response={"DomainName": "acme"},
    )
    with pytest.raises(AssertionError, match=r"\$\.Extra: not a member of GetDomainResponse"):
        check_outcome(outcome, before=None, after=None)
