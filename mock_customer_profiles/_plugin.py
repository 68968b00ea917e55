"""The pytest plugin (entry point ``pytest11``): the ``customer_profiles_mock`` fixture and marker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mock_customer_profiles._mock import CustomerProfilesMock

MARKER = "customer_profiles_mock"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): activate the Customer Profiles mock for this test with these options "
        "(the same keywords as mock_customer_profiles(...)).",
    )


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers(MARKER))):  # closest marker wins
        if marker.args:
            raise TypeError(f"mock_customer_profiles: @pytest.mark.{MARKER} takes keyword options only")
        options.update(marker.kwargs)
    return options


@pytest.fixture
def customer_profiles_mock(request: pytest.FixtureRequest) -> Iterator[CustomerProfilesMock]:
    """An active mock for this test (options from ``@pytest.mark.customer_profiles_mock(...)``)."""
    from mock_customer_profiles._mock import CustomerProfilesMock

    mock = CustomerProfilesMock(**_marker_options(request))
    mock.start()
    try:
        yield mock
    finally:
        mock.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test with the marker gets the fixture without asking for it."""
    for item in items:
        if item.get_closest_marker(MARKER) is not None:
            fixturenames = getattr(item, "fixturenames", None)
            if fixturenames is not None and "customer_profiles_mock" not in fixturenames:
                fixturenames.insert(0, "customer_profiles_mock")
