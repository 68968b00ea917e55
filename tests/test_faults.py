"""Fault injection: ``add_error`` through botocore's own error path and retry logic."""

from __future__ import annotations

import time
from typing import Any

import boto3
import botocore.endpoint
import pytest
from botocore.config import Config

from mock_customer_profiles import CustomerProfilesMock, InjectedError, mock_customer_profiles

NO_RETRIES = Config(retries={"total_max_attempts": 1})
SEARCH = {"DomainName": "acme", "KeyName": "_email", "Values": ["a@x.com"]}


@pytest.fixture
def once(mock: CustomerProfilesMock) -> Any:
    """A client that does not retry, on a mock with the domain ``acme``."""
    mock.create_domain("acme")
    return boto3.client("customer-profiles", region_name="us-east-1", config=NO_RETRIES)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off sleeps botocore's retry logic asks for (recorded instead of slept)."""
    asked: list[float] = []
    monkeypatch.setattr(botocore.endpoint.time, "sleep", asked.append)
    return asked


def test_the_modelled_error_comes_out_as_client_exceptions(mock: CustomerProfilesMock, once: Any) -> None:
    mock.add_error("SearchProfiles", "ThrottlingException")

    with pytest.raises(once.exceptions.ThrottlingException) as raised:
        once.search_profiles(**SEARCH)
    response = raised.value.response
    assert response["Error"] == {
        "Code": "ThrottlingException",
        "Message": "mock_customer_profiles: injected ThrottlingException for SearchProfiles",
    }
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == "ThrottlingException"
    assert (
        str(mock.calls.last)
        == "SearchProfiles(DomainName='acme', KeyName='_email', Values=['a@x.com']) -> ThrottlingException"
    )
    assert once.search_profiles(**SEARCH)["Items"] == []  # times=1: used up


def test_each_code_has_the_status_of_its_error_shape(mock: CustomerProfilesMock, once: Any) -> None:
    statuses = {}
    for code in (
        "BadRequestException",
        "AccessDeniedException",
        "ResourceNotFoundException",
        "InternalServerException",
    ):
        mock.add_error("GetDomain", code, f"no: {code}")
        with pytest.raises(getattr(once.exceptions, code)) as raised:
            once.get_domain(DomainName="acme")
        assert raised.value.response["Error"]["Message"] == f"no: {code}"
        statuses[code] = raised.value.response["ResponseMetadata"]["HTTPStatusCode"]
    assert statuses == {
        "BadRequestException": 400,
        "AccessDeniedException": 403,
        "ResourceNotFoundException": 404,
        "InternalServerException": 500,
    }


def test_botocore_retries_a_throttled_call_and_the_third_attempt_succeeds(
    mock: CustomerProfilesMock, sleeps: list[float]
) -> None:
    mock.create_domain("acme")
    client = boto3.client("customer-profiles", region_name="us-east-1")  # default retry configuration
    injected = mock.add_error("SearchProfiles", "ThrottlingException", times=2)

    response = client.search_profiles(**SEARCH)

    assert response["Items"] == []
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert len(sleeps) == 2  # botocore backed off before each retry
    assert [str(call).split(") ")[-1] for call in mock.calls] == [
        "-> ThrottlingException",
        "-> ThrottlingException",
        "SearchProfiles(DomainName='acme', KeyName='_email', Values=['a@x.com'])",
    ]
    assert injected.used == 2


def test_standard_retry_mode_gives_up_after_its_attempts(mock: CustomerProfilesMock, sleeps: list[float]) -> None:
    mock.create_domain("acme")
    client = boto3.client(
        "customer-profiles",
        region_name="us-east-1",
        config=Config(retries={"mode": "standard", "total_max_attempts": 3}),
    )
    injected = mock.add_error("search_profiles", "InternalServerException", times=5)

    with pytest.raises(client.exceptions.InternalServerException) as raised:
        client.search_profiles(**SEARCH)

    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 2
    assert len(mock.get_calls("SearchProfiles")) == 3
    assert (injected.used, injected.times) == (3, 5)


def test_param_filters_choose_the_calls_that_fail(mock: CustomerProfilesMock, once: Any) -> None:
    mock.add_error("SearchProfiles", "AccessDeniedException", times=2, KeyName="_phone")

    assert once.search_profiles(**SEARCH)["Items"] == []
    with pytest.raises(once.exceptions.AccessDeniedException):
        once.search_profiles(DomainName="acme", KeyName="_phone", Values=["+15550001111"])
    assert once.search_profiles(**SEARCH)["Items"] == []
    with pytest.raises(once.exceptions.AccessDeniedException):
        once.search_profiles(DomainName="acme", KeyName="_phone", Values=["+15550002222"])
    assert once.search_profiles(DomainName="acme", KeyName="_phone", Values=["+15550001111"])["Items"] == []


def test_errors_queue_in_the_order_they_were_added(mock: CustomerProfilesMock, once: Any) -> None:
    mock.add_error("GetDomain", "ThrottlingException")
    mock.add_error("GetDomain", "InternalServerException")
    codes = []
    for _ in range(3):
        try:
            once.get_domain(DomainName="acme")
            codes.append("ok")
        except once.exceptions.ClientError as error:
            codes.append(error.response["Error"]["Code"])
    assert codes == ["ThrottlingException", "InternalServerException", "ok"]


def test_injected_errors_are_listed_with_their_use(mock: CustomerProfilesMock, once: Any) -> None:
    first = mock.add_error("GetDomain", "ThrottlingException", times=3, DomainName="acme")
    second = mock.add_error("DeleteDomain", "AccessDeniedException")
    with pytest.raises(once.exceptions.ThrottlingException):
        once.get_domain(DomainName="acme")

    assert mock.injected_errors == [first, second]
    assert isinstance(first, InjectedError)
    assert str(first) == "GetDomain(DomainName='acme') -> ThrottlingException (times=3, used 1)"
    assert str(second) == "DeleteDomain -> AccessDeniedException"


def test_seeding_helpers_are_never_failed_by_injected_errors(mock: CustomerProfilesMock) -> None:
    mock.add_error("CreateDomain", "ThrottlingException")
    mock.create_domain("acme")
    assert mock.injected_errors[0].used == 0


def test_latency_delays_the_error(mock: CustomerProfilesMock, once: Any) -> None:
    mock.add_error("GetDomain", "ThrottlingException", latency=0.2)
    started = time.perf_counter()
    with pytest.raises(once.exceptions.ThrottlingException):
        once.get_domain(DomainName="acme")
    assert time.perf_counter() - started >= 0.2


def test_a_code_the_operation_does_not_list_is_refused(mock: CustomerProfilesMock) -> None:
    with pytest.raises(ValueError, match="mock_customer_profiles:") as raised:
        mock.add_error("MergeProfiles", "AccessDeniedException")
    assert str(raised.value) == (
        "mock_customer_profiles: MergeProfiles cannot fail with AccessDeniedException: the service model lists "
        "only these errors for it (see docs/faults.md#injecting-errors):\n"
        "- BadRequestException\n"
        "- ResourceNotFoundException\n"
        "- ThrottlingException\n"
        "- InternalServerException"
    )


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda m: m.add_error("SerchProfiles", "ThrottlingException"),
            ValueError,
            "mock_customer_profiles: 'SerchProfiles' is not a Customer Profiles operation "
            "(did you mean SearchProfiles?) (see docs/faults.md#injecting-errors).",
        ),
        (
            lambda m: m.add_error("GetDomain", "ThrottlingException", Domain="acme"),
            TypeError,
            "mock_customer_profiles: GetDomain has no parameter Domain (see docs/faults.md#injecting-errors):\n"
            "- did you mean DomainName?\n"
            "- parameters of GetDomain: DomainName",
        ),
        (
            lambda m: m.add_error("GetDomain", "ThrottlingException", times=0),
            ValueError,
            "mock_customer_profiles: times must be a whole number of calls, at least 1, not 0 "
            "(see docs/faults.md#injecting-errors).",
        ),
        (
            lambda m: m.add_error("GetDomain", "ThrottlingException", times=True),
            ValueError,
            "mock_customer_profiles: times must be a whole number of calls, at least 1, not True "
            "(see docs/faults.md#injecting-errors).",
        ),
        (
            lambda m: m.add_error("GetDomain", "ThrottlingException", latency="1"),
            ValueError,
            "mock_customer_profiles: latency must be a number of seconds, at least 0, not '1' "
            "(see docs/faults.md#injecting-errors).",
        ),
        (
            lambda m: m.add_error("GetDomain", "ThrottlingException", latency=-1),
            ValueError,
            "mock_customer_profiles: latency must be a number of seconds, at least 0, not -1 "
            "(see docs/faults.md#injecting-errors).",
        ),
    ],
    ids=["operation", "parameter", "times", "times-bool", "latency-text", "latency"],
)
def test_bad_arguments_are_refused(mock: CustomerProfilesMock, call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="mock_customer_profiles:") as raised:
        call(mock)
    assert str(raised.value) == message
    assert mock.injected_errors == []


def test_an_operation_the_mock_does_not_implement_can_still_fail(
    mock: CustomerProfilesMock, once: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mock_customer_profiles._handlers import HANDLERS

    monkeypatch.delitem(HANDLERS, "GetMatches")  # every operation has a handler: pretend one has not
    from mock_customer_profiles import NotImplementedOperation

    mock.add_error("GetMatches", "AccessDeniedException", DomainName="acme")
    with pytest.raises(once.exceptions.AccessDeniedException):
        once.get_matches(DomainName="acme")
    assert str(mock.calls.last) == "GetMatches(DomainName='acme') -> AccessDeniedException"
    with pytest.raises(NotImplementedOperation):
        once.get_matches(DomainName="acme")


def test_an_inactive_mock_refuses_errors_it_would_lose() -> None:
    cp = mock_customer_profiles()
    with pytest.raises(RuntimeError, match="mock_customer_profiles:") as raised:
        cp.add_error("GetDomain", "ThrottlingException")
    assert str(raised.value) == (
        "mock_customer_profiles: add_error() needs an active mock: call it after start(), inside the with "
        "block, or in the decorated test (see docs/faults.md#injecting-errors)."
    )
