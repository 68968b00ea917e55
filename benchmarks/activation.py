"""3. Activation: entering and leaving ``mock_customer_profiles()``, the pytest fixture's set-up and
teardown, against moto's ``mock_aws``; and the cost of a test's first call, where moto's fresh boto3
session shows."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import boto3

from benchmarks._harness import Figure, Ratio, Results, compare
from mock_customer_profiles import mock_customer_profiles

SECTION = "Activation"
REGION = "us-east-1"
BUDGET_MS = 0.5


class _Node:
    """The parts of a pytest item the fixture uses: its markers (none here) and its stash."""

    def __init__(self) -> None:
        self.stash: dict[Any, Any] = {}

    def iter_markers(self, name: str | None = None) -> Iterator[Any]:
        return iter(())


class _Config:
    def getini(self, name: str) -> bool:
        return True  # the teardown checks are on by default


class _Request:
    """The parts of pytest's ``request`` the fixture uses."""

    def __init__(self) -> None:
        self.node = _Node()
        self.config = _Config()


def _fixture_function() -> Callable[..., Iterator[Any]]:
    """The function behind the ``customer_profiles_mock`` fixture (pytest wraps it so that calling it
    directly fails; its logic is what a test pays for, on top of pytest's own fixture machinery)."""
    from mock_customer_profiles._plugin import customer_profiles_mock

    wrapped = getattr(customer_profiles_mock, "__wrapped__", None)
    if wrapped is None:  # older pytest
        wrapped = customer_profiles_mock.__pytest_wrapped__.obj  # type: ignore[attr-defined]
    function = inspect.unwrap(wrapped)
    assert inspect.isgeneratorfunction(function)
    return function  # type: ignore[no-any-return]


def run(quick: bool) -> Results:
    from moto import mock_aws

    number, rounds = (200, 5) if quick else (1000, 11)
    fixture = _fixture_function()
    request = _Request()

    def mock_enter_exit() -> None:
        with mock_customer_profiles():
            pass

    def fixture_setup_teardown() -> None:
        steps = fixture(request)
        next(steps)
        next(steps, None)

    def moto_enter_exit() -> None:
        with mock_aws():
            pass

    boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    times = compare(
        {"mock": mock_enter_exit, "fixture": fixture_setup_teardown, "moto": moto_enter_exit},
        number=number,
        rounds=rounds,
        numbers={"moto": number // 10},
    )

    # A test's first call: activation, boto3.client(...), one call, deactivation. moto swaps in a fresh
    # boto3 session on activation, so its first client rebuilds everything the session had cached.
    kept: dict[str, bool] = {}

    def mock_first_call() -> None:
        with mock_customer_profiles():
            boto3.client("customer-profiles", region_name=REGION).list_domains()
            kept["mock"] = boto3.DEFAULT_SESSION is session

    def moto_first_call() -> None:
        with mock_aws():
            boto3.client("dynamodb", region_name=REGION).list_tables()
            kept["moto"] = boto3.DEFAULT_SESSION is session

    first = compare({"mock": mock_first_call, "moto": moto_first_call}, number=1, rounds=5 if quick else 11)

    results = Results()
    results.figures += [
        Figure(SECTION, "mock_customer_profiles() enter + exit", times["mock"] * 1e6, "µs"),
        Figure(SECTION, "customer_profiles_mock fixture set-up + teardown", times["fixture"] * 1e6, "µs"),
        Figure(SECTION, "moto mock_aws() enter + exit", times["moto"] * 1e6, "µs"),
        Figure(SECTION, "first call: enter, boto3.client, 1 call, exit (mock)", first["mock"] * 1e3, "ms"),
        Figure(SECTION, "first call: enter, boto3.client, 1 call, exit (moto)", first["moto"] * 1e3, "ms"),
        Figure(SECTION, "boto3 default session kept inside the mock", float(kept["mock"]), "yes=1"),
        Figure(SECTION, "boto3 default session kept inside moto", float(kept["moto"]), "yes=1"),
    ]
    results.ratios += [
        Ratio(SECTION, "mock enter + exit ÷ 0.5 ms budget", times["mock"] * 1e3 / BUDGET_MS, 1.0, False),
        Ratio(SECTION, "fixture set-up + teardown ÷ 0.5 ms budget", times["fixture"] * 1e3 / BUDGET_MS, 1.0, False),
        Ratio(SECTION, "moto enter + exit ÷ mock enter + exit", times.ratio("moto", "mock")),
        Ratio(SECTION, "moto first call ÷ mock first call", first.ratio("moto", "mock")),
    ]
    if not kept["mock"]:
        results.notes.append("activation: the mock replaced boto3's default session (it must not)")
    return results
