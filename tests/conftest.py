"""Shared fixtures: every test drives the mock through a real boto3 client.

A test (or module, with ``pytestmark``) marked ``both_doors`` runs twice: with ``client`` and
``raw_client`` answered in process by the botocore hook (``[hook]``), and again over HTTP by a
``ServerThread`` serving the same mock (``[server]``), as moto runs its suite in server mode too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from hypothesis import HealthCheck, settings

from mock_customer_profiles import CustomerProfilesMock, ServerThread, mock_customer_profiles

REGION = "us-east-1"
DOORS = ["hook", "server"]

# Hypothesis profiles. "ci" (the default): bounded and derandomized, so every run tries the same examples
# and the suite stays within its time budget. "deep": `pytest --hypothesis-profile=deep` for long local
# runs with fresh random examples (failures are kept in .hypothesis/ and replayed first next time).
settings.register_profile(
    "ci",
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "deep",
    max_examples=2000,
    stateful_step_count=80,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci")  # the hypothesis plugin loads --hypothesis-profile=NAME after this, when given


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_doors: run through the botocore hook and again through the HTTP server")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "door" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_doors"):
        metafunc.parametrize("door", DOORS, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``both_doors`` means what it says: a marked test that never reaches the ``door`` fixture (through
    ``client``, ``raw_client`` or a fixture of its own) would claim a server run it does not have."""
    claims = [
        item.nodeid
        for item in items
        if item.get_closest_marker("both_doors") is not None and "door" not in getattr(item, "fixturenames", ())
    ]
    if claims:
        raise pytest.UsageError("marked both_doors but never use the door fixture:\n" + "\n".join(claims))


@pytest.fixture
def door(request: pytest.FixtureRequest) -> str:
    """How ``client`` reaches the mock: ``hook`` (in process) or ``server`` (HTTP)."""
    return str(getattr(request, "param", "hook"))


@pytest.fixture(scope="session")
def server_thread() -> Iterator[ServerThread]:
    """One server per test process (so per xdist worker), on a free port; each test points it at its mock."""
    with ServerThread() as server:
        yield server


@pytest.fixture
def mock() -> Iterator[CustomerProfilesMock]:
    with mock_customer_profiles() as active:
        yield active


def _client(request: pytest.FixtureRequest, door: str, mock: CustomerProfilesMock, **kwargs: Any) -> Any:
    if door == "server":
        server: ServerThread = request.getfixturevalue("server_thread")
        server.mock = mock
        return server.client(REGION, **kwargs)
    return boto3.client("customer-profiles", region_name=REGION, **kwargs)


@pytest.fixture
def client(request: pytest.FixtureRequest, door: str, mock: CustomerProfilesMock) -> Any:
    return _client(request, door, mock)


@pytest.fixture
def raw_client(request: pytest.FixtureRequest, door: str, mock: CustomerProfilesMock) -> Any:
    """A client that skips botocore's own validation, as if a buggy or foreign client sent the request."""
    return _client(request, door, mock, config=Config(parameter_validation=False))


@pytest.fixture
def client_for(request: pytest.FixtureRequest, door: str) -> Callable[[CustomerProfilesMock], Any]:
    """A client through this test's door for a mock the test made itself (with options of its own)."""
    return lambda mock: _client(request, door, mock)


@pytest.fixture
def domain(client: Any) -> str:
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    return "acme"


@pytest.fixture
def make_profile(client: Any, domain: str) -> Callable[..., str]:
    def make(**fields: Any) -> str:
        return str(client.create_profile(DomainName=domain, **fields)["ProfileId"])

    return make


@pytest.fixture(scope="session")
def _preloaded() -> None:
    """The modules the mock imports lazily and keeps objects of (compiled validators, botocore's parser,
    the responses door). pytester drops every module first imported while its fixture is up, so these
    are imported first, once, and stay the same for every run and every other test."""
    import botocore.awsrequest
    import botocore.parsers  # noqa: F401
    import fastjsonschema  # noqa: F401
    import jsonschema  # noqa: F401
    import requests  # noqa: F401
    import responses  # noqa: F401

    import mock_customer_profiles._mock  # noqa: F401


@pytest.fixture
def user_project(_preloaded: None, pytester: pytest.Pytester) -> pytest.Pytester:
    """A fresh directory in which to run pytest, in process, on a user's test files."""
    return pytester
