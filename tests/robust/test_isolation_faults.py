"""Activation under faults: tests that raise inside the decorator, the context manager or the fixture,
``stop()`` without ``start()``, double ``stop()``, nested mocks unwound in any order. Whatever happened,
the next activation starts empty and answers, and with no mock active the hook stays out of the way.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles

CANNED = b'{"Items": [{"DomainName": "not-the-mock", "CreatedAt": 0, "LastUpdatedAt": 0}]}'


class Boom(Exception):
    pass


class _Raw:
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield CANNED


def canned(request: Any, **_: Any) -> AWSResponse:
    """What answers when the mock does not: registered after the mock's hook, so it only ever comes second."""
    return AWSResponse(request.url, 200, {}, _Raw())


@functools.cache
def client() -> Any:
    made = boto3.client(
        "customer-profiles", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    made.meta.events.register("before-send.customer-profiles", canned)
    return made


def answering() -> list[str]:
    return [domain["DomainName"] for domain in client().list_domains()["Items"]]


# ----------------------------------------------------------------------------- a state machine of activations


class ActivationMachine(RuleBasedStateMachine):
    """Three mocks started, stopped, entered and left in any order, with failures inside; the model is the
    stack of active mocks (the innermost, last started, answers)."""

    def __init__(self) -> None:
        super().__init__()
        self.mocks = [mock_customer_profiles() for _ in range(3)]
        self.stack: list[int] = []

    def teardown(self) -> None:
        for mock in self.mocks:
            mock.stop()

    def activate(self, index: int) -> None:
        self.mocks[index].create_domain(f"mock{index}")  # how we tell which one answers
        if index in self.stack:
            self.stack.remove(index)
        self.stack.append(index)

    @rule(index=st.integers(0, 2))
    def start(self, index: int) -> None:
        self.mocks[index].start()  # a restart of an active mock starts it afresh, innermost again
        self.activate(index)

    @rule(index=st.integers(0, 2))
    def stop(self, index: int) -> None:
        self.mocks[index].stop()  # of an active mock, out of order, twice, or never started
        if index in self.stack:
            self.stack.remove(index)

    @rule(raising=st.booleans())
    def context_manager(self, raising: bool) -> None:
        outside = self.expected()
        inner = mock_customer_profiles()

        def scope() -> None:
            with inner:
                inner.create_domain("inner")
                assert answering() == ["inner"]
                if raising:
                    raise Boom

        if raising:
            with pytest.raises(Boom):
                scope()
        else:
            scope()
        assert not inner.active
        assert answering() == outside

    @rule(raising=st.booleans(), make_async=st.booleans())
    def decorated(self, raising: bool, make_async: bool) -> None:
        outside = self.expected()

        def body() -> str:
            assert answering() == []  # a fresh, empty mock answers inside
            if raising:
                raise Boom
            return "done"

        async def body_async() -> str:
            return body()

        decorated_async = mock_customer_profiles(body_async)

        def call() -> str:
            return asyncio.run(decorated_async()) if make_async else mock_customer_profiles(body)()

        if raising:
            with pytest.raises(Boom):
                call()
        else:
            assert call() == "done"
        assert answering() == outside

    def expected(self) -> list[str]:
        return [f"mock{self.stack[-1]}"] if self.stack else ["not-the-mock"]

    @invariant()
    def the_innermost_active_mock_answers(self) -> None:
        assert answering() == self.expected()
        assert [mock.active for mock in self.mocks] == [index in self.stack for index in range(3)]


TestActivationUnderFaults = ActivationMachine.TestCase


# --------------------------------------------------------------------------------- across real test runs

FAULTY_TESTS = """
import boto3
import pytest
from mock_customer_profiles import mock_customer_profiles


def client():
    return boto3.client("customer-profiles", region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def names():
    return [d["DomainName"] for d in client().list_domains()["Items"]]


@mock_customer_profiles
def test_1_raises_inside_the_decorator():
    client().create_domain(DomainName="leak-decorator", DefaultExpirationDays=1)
    raise RuntimeError("mid-way")


def test_2_raises_inside_the_context_manager():
    with mock_customer_profiles() as cp:
        cp.create_domain("leak-context")
        raise RuntimeError("mid-way")


def test_3_fails_with_the_fixture(customer_profiles_mock):
    customer_profiles_mock.create_domain("leak-fixture")
    assert False, "mid-way"


@pytest.mark.customer_profiles_mock(region="eu-west-1")
def test_4_errors_in_a_marked_test():
    client().create_domain(DomainName="leak-marker", DefaultExpirationDays=1)
    raise KeyError("mid-way")


def test_5_stops_badly():
    never = mock_customer_profiles()
    never.stop()
    outer = mock_customer_profiles().start()
    inner = mock_customer_profiles().start()
    outer.stop()
    outer.stop()
    inner.stop()
    inner.stop()


def test_6_starts_clean_and_intercepts():
    from mock_customer_profiles import _activation

    assert _activation.active() == ()
    with mock_customer_profiles() as cp:
        assert names() == []
        client().create_domain(DomainName="fresh", DefaultExpirationDays=1)
        assert names() == ["fresh"]
        assert [call.operation for call in cp.calls] == ["ListDomains", "CreateDomain", "ListDomains"]


def test_7_fixture_starts_clean(customer_profiles_mock):
    assert names() == []
"""


def test_the_next_test_starts_clean_and_intercepts(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_faulty=FAULTY_TESTS)
    result = user_project.runpytest_inprocess("-p", "no:randomly", "-p", "no:cacheprovider", "-p", "no:xdist")
    result.assert_outcomes(passed=3, failed=4)
    assert not mock_customer_profiles().active
    with mock_customer_profiles():
        assert answering() == []
    assert answering() == ["not-the-mock"]


def test_a_mock_object_survives_its_own_failures() -> None:
    mock: CustomerProfilesMock = mock_customer_profiles()

    def fail_inside() -> None:
        with mock:
            mock.create_domain("again")  # no "already exists": every activation starts empty
            raise Boom

    for _ in range(3):
        with pytest.raises(Boom):
            fail_inside()
    assert not mock.active
    assert answering() == ["not-the-mock"]
