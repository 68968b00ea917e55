"""Transport faults (``add_fault``) and instant retries (issue 10, points 9 and 10), through boto3.

botocore decides whether and how often to retry (standard, adaptive and legacy modes, ``max_attempts``,
``total_max_attempts``); while a mock is active its customer-profiles retries follow at once, unless the
mock's ``retry_delays`` option asks for the real back-off. Other services' retries are left alone.
"""

from __future__ import annotations

import time
from typing import Any

import boto3
import botocore.endpoint
import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

from mock_customer_profiles import CustomerProfilesMock, ServerThread, mock_customer_profiles

pytestmark = pytest.mark.async_door  # again through an aiobotocore client where it is installed

SEARCH = {"DomainName": "acme", "KeyName": "_email", "Values": ["a@x.com"]}


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off sleeps botocore's endpoint asks for (recorded, and not slept)."""
    asked: list[float] = []
    monkeypatch.setattr(botocore.endpoint.time, "sleep", asked.append)
    return asked


def make_client(door: str, request: pytest.FixtureRequest, **config: Any) -> Any:
    """A client through ``door`` (boto3, or an aiobotocore client driven synchronously) with ``config``."""
    if door == "async":
        from async_support import SyncFacade

        facade = SyncFacade(region_name="us-east-1", config=Config(**config))
        request.addfinalizer(facade.close)
        return facade
    return boto3.client("customer-profiles", region_name="us-east-1", config=Config(**config))


@pytest.fixture
def acme(mock: CustomerProfilesMock) -> CustomerProfilesMock:
    mock.create_domain("acme")
    return mock


def outcomes(mock: CustomerProfilesMock) -> list[str]:
    return [str(call).rsplit(" -> ", 1)[1] if " -> " in str(call) else "ok" for call in mock.calls]


# ------------------------------------------------------------------------------------------ instant retries


def test_throttled_twice_then_succeeds_costs_no_back_off(
    acme: CustomerProfilesMock, door: str, request: pytest.FixtureRequest
) -> None:
    client = make_client(door, request)  # the default retry configuration
    acme.add_error("SearchProfiles", "ThrottlingException", times=2)

    started = time.perf_counter()
    response = client.search_profiles(**SEARCH)

    assert time.perf_counter() - started < 0.5  # botocore's back-off alone is 1.3 to 1.9 s here
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert outcomes(acme) == ["ThrottlingException", "ThrottlingException", "ok"]


@pytest.mark.parametrize(
    ("retries", "attempts"),
    [
        ({"mode": "legacy"}, 5),  # legacy: max_attempts 4 retries for this service, so 5 attempts
        ({"mode": "standard"}, 3),
        ({"mode": "adaptive"}, 3),
        ({"mode": "standard", "max_attempts": 5}, 6),  # max_attempts counts retries
        ({"mode": "standard", "total_max_attempts": 5}, 5),  # total_max_attempts counts attempts
        ({"mode": "legacy", "total_max_attempts": 2}, 2),
        ({"mode": "adaptive", "total_max_attempts": 4}, 4),
    ],
    ids=str,
)
def test_every_retry_mode_keeps_its_attempt_count(
    acme: CustomerProfilesMock, door: str, request: pytest.FixtureRequest, retries: dict[str, Any], attempts: int
) -> None:
    client = make_client(door, request, retries=retries)
    acme.add_error("GetDomain", "InternalServerException", times=10)

    started = time.perf_counter()
    with pytest.raises(client.exceptions.InternalServerException) as raised:
        client.get_domain(DomainName="acme")

    assert time.perf_counter() - started < 1
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == attempts - 1
    assert len(acme.get_calls("GetDomain")) == attempts


def test_botocore_still_decides_what_is_retried(
    acme: CustomerProfilesMock, door: str, request: pytest.FixtureRequest
) -> None:
    client = make_client(door, request, retries={"mode": "standard"})
    acme.add_error("GetDomain", "AccessDeniedException", times=3)
    with pytest.raises(client.exceptions.AccessDeniedException):
        client.get_domain(DomainName="acme")
    assert len(acme.get_calls("GetDomain")) == 1  # not a retryable error: one attempt


def test_the_retry_quota_stays_botocores(acme: CustomerProfilesMock, door: str, request: pytest.FixtureRequest) -> None:
    """Standard mode's quota (500 a client, 5 a retry, 5 back on a success after retries) runs dry after a
    hundred calls throttled twice: the client then raises at once, as against AWS; a new client retries."""
    client = make_client(door, request, retries={"mode": "standard"})
    succeeded, refused = 0, None
    while refused is None and succeeded < 150:
        acme.add_error("GetDomain", "ThrottlingException", times=2)
        try:
            client.get_domain(DomainName="acme")
        except client.exceptions.ThrottlingException as error:
            refused = error
        else:
            succeeded += 1
    assert refused is not None
    assert 90 <= succeeded <= 100  # 500 / (2 retries x 5 - 5 back) = 100 calls, less what the last retries took
    retried = refused.response["ResponseMetadata"]["RetryAttempts"]
    assert retried < 2
    left = 2 - (1 + retried)  # the queued errors the last call's attempts did not use
    fresh = make_client(door, request, retries={"mode": "standard"})
    acme.add_error("GetDomain", "ThrottlingException", times=2 - left)
    assert fresh.get_domain(DomainName="acme")["ResponseMetadata"]["RetryAttempts"] == 2


def test_the_endpoint_is_asked_to_sleep_zero_seconds(acme: CustomerProfilesMock, sleeps: list[float]) -> None:
    client = boto3.client("customer-profiles", region_name="us-east-1")
    acme.add_error("GetDomain", "ThrottlingException", times=2)
    client.get_domain(DomainName="acme")
    assert sleeps == [0, 0]


def test_retry_delays_true_keeps_botocores_back_off(sleeps: list[float]) -> None:
    with mock_customer_profiles(retry_delays=True) as cp:
        cp.create_domain("acme")
        client = boto3.client("customer-profiles", region_name="us-east-1", config=Config(retries={"mode": "standard"}))
        cp.add_error("GetDomain", "ThrottlingException", times=2)
        client.get_domain(DomainName="acme")
    assert len(sleeps) == 2
    assert all(0 < seconds <= 20 for seconds in sleeps)  # standard mode: random, capped at 20 s


def test_after_the_mock_stops_retries_wait_again(sleeps: list[float]) -> None:
    with mock_customer_profiles() as cp:
        client = boto3.client("customer-profiles", region_name="us-east-1")
    other = boto3.client(
        "customer-profiles",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",  # nothing listens: a connection error, retried
        aws_access_key_id="x",
        aws_secret_access_key="y",
        config=Config(retries={"mode": "standard", "total_max_attempts": 2}, connect_timeout=1),
    )
    with pytest.raises(EndpointConnectionError):
        other.list_domains()
    assert len(sleeps) == 1
    assert sleeps[0] > 0
    assert cp.calls == []
    assert client.meta.service_model.service_name == "customer-profiles"


def test_other_services_retries_are_left_alone(mock: CustomerProfilesMock, sleeps: list[float]) -> None:
    client = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="x",
        aws_secret_access_key="y",
        config=Config(retries={"mode": "standard", "total_max_attempts": 3}, connect_timeout=1),
    )
    with pytest.raises(EndpointConnectionError):
        client.get_caller_identity()
    assert len(sleeps) == 2
    assert all(seconds > 0 for seconds in sleeps)


# ----------------------------------------------------------------------------------------- transport faults


def test_a_read_timeout_is_retried_as_from_urllib3(
    acme: CustomerProfilesMock, door: str, request: pytest.FixtureRequest
) -> None:
    client = make_client(door, request, retries={"mode": "standard"})
    acme.add_fault("GetDomain", "timeout", times=2)

    assert client.get_domain(DomainName="acme")["ResponseMetadata"]["RetryAttempts"] == 2
    assert outcomes(acme) == ["ReadTimeoutError", "ReadTimeoutError", "ok"]


def test_a_connection_error_that_lasts_reaches_the_code(
    acme: CustomerProfilesMock, door: str, request: pytest.FixtureRequest
) -> None:
    client = make_client(door, request, retries={"mode": "standard", "total_max_attempts": 3})
    injected = acme.add_fault("SearchProfiles", "connection", times=5)

    with pytest.raises(EndpointConnectionError) as raised:
        client.search_profiles(**SEARCH)

    assert (
        str(raised.value)
        == 'Could not connect to the endpoint URL: "https://profile.us-east-1.amazonaws.com/domains/acme/profiles/search"'
    )
    assert injected.used == 3
    assert str(injected) == "SearchProfiles -> EndpointConnectionError (times=5, used 3)"
    assert isinstance(acme.calls.last.error, EndpointConnectionError)
    assert acme.calls.last.response is None


def test_a_timeout_without_retries(acme: CustomerProfilesMock, door: str, request: pytest.FixtureRequest) -> None:
    client = make_client(door, request, retries={"total_max_attempts": 1}, read_timeout=5)
    acme.add_fault("GetDomain", "timeout", DomainName="acme")
    started = time.perf_counter()
    with pytest.raises(ReadTimeoutError) as raised:
        client.get_domain(DomainName="acme")
    assert time.perf_counter() - started < 1  # as if read_timeout had passed, without the wait
    assert str(raised.value) == 'Read timeout on endpoint URL: "https://profile.us-east-1.amazonaws.com/domains/acme"'


def test_a_slow_answer_within_read_timeout_arrives_late(
    acme: CustomerProfilesMock, door: str, request: pytest.FixtureRequest
) -> None:
    client = make_client(door, request, read_timeout=5)
    acme.add_fault("GetDomain", "slow", latency=0.2)
    started = time.perf_counter()
    assert client.get_domain(DomainName="acme")["DomainName"] == "acme"
    assert time.perf_counter() - started >= 0.2


def test_a_slow_write_past_read_timeout_happens_and_times_out(
    acme: CustomerProfilesMock, door: str, request: pytest.FixtureRequest
) -> None:
    """A Connect Lambda (8 s budget) with read_timeout=2: the write lands, the client gives up, and its
    retry writes again, all without waiting."""
    client = make_client(door, request, read_timeout=2, retries={"mode": "standard", "total_max_attempts": 2})
    acme.add_fault("CreateProfile", "slow", latency=7, times=2)

    started = time.perf_counter()
    with pytest.raises(ReadTimeoutError):
        client.create_profile(DomainName="acme", EmailAddress="a@x.com")

    assert time.perf_counter() - started < 1
    assert outcomes(acme) == ["ReadTimeoutError", "ReadTimeoutError"]
    assert len(client.search_profiles(**SEARCH)["Items"]) == 2  # both attempts were written


def test_a_late_modelled_error_past_read_timeout_is_a_timeout(acme: CustomerProfilesMock) -> None:
    client = boto3.client(
        "customer-profiles", region_name="us-east-1", config=Config(read_timeout=1, retries={"total_max_attempts": 1})
    )
    acme.add_error("GetDomain", "InternalServerException", latency=3)
    with pytest.raises(ReadTimeoutError):
        client.get_domain(DomainName="acme")


def test_faults_through_the_server_stay_queued(acme: CustomerProfilesMock) -> None:
    injected = acme.add_fault("GetDomain", "connection")
    with ServerThread(acme) as server:
        assert server.client().get_domain(DomainName="acme")["DomainName"] == "acme"
    assert injected.used == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"fault": "reset"},
            "mock_customer_profiles: 'reset' is not a transport fault (see "
            "docs/faults.md#transport-faults):\n"
            "- 'timeout': ReadTimeoutError\n"
            "- 'connection': EndpointConnectionError\n"
            "- 'slow': slow answer",
        ),
        (
            {"fault": "slow"},
            "mock_customer_profiles: a 'slow' fault needs latency=, in seconds, more than 0 "
            "(see docs/faults.md#transport-faults).",
        ),
        (
            {"fault": "timeout", "times": 0},
            "mock_customer_profiles: times must be a whole number of calls, at least 1, not 0 "
            "(see docs/faults.md#transport-faults).",
        ),
        (
            {"fault": "slow", "latency": -1},
            "mock_customer_profiles: latency must be a number of seconds, at least 0, not -1 "
            "(see docs/faults.md#transport-faults).",
        ),
    ],
    ids=["kind", "slow-without-latency", "times", "latency"],
)
def test_bad_fault_arguments_are_refused(mock: CustomerProfilesMock, arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="mock_customer_profiles:") as raised:
        mock.add_fault("GetDomain", **arguments)
    assert str(raised.value) == message


def test_a_fault_needs_an_active_mock() -> None:
    with pytest.raises(RuntimeError, match=r"add_fault\(\) needs an active mock"):
        mock_customer_profiles().add_fault("GetDomain", "timeout")


def test_a_slow_fault_is_listed_with_its_latency(mock: CustomerProfilesMock) -> None:
    injected = mock.add_fault("search_profiles", "slow", latency=2.5, KeyName="_phone")
    assert str(injected) == "SearchProfiles(KeyName='_phone') -> slow answer after 2.5 s"
    assert mock.injected_errors == [injected]
