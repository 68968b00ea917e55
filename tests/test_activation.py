"""Every way to switch the mock on, isolation between activations, and the hook's reach."""

from __future__ import annotations

import asyncio
import os
import unittest
from collections.abc import Iterator
from typing import Any

import boto3
import botocore
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError, NoCredentialsError

from mock_customer_profiles import CustomerProfilesMock, NotImplementedOperation, mock_customer_profiles
from mock_customer_profiles._handlers import HANDLERS

REGION = "us-east-1"


def new_client(region: str = REGION, **kwargs: Any) -> Any:
    return boto3.client("customer-profiles", region_name=region, **kwargs)


def domain_names(client: Any) -> list[str]:
    return [d["DomainName"] for d in client.list_domains()["Items"]]


@mock_customer_profiles
def test_bare_decorator() -> None:
    client = new_client()
    client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    assert domain_names(client) == ["acme"]


@mock_customer_profiles(account_id="111122223333", region="eu-west-2")
def test_decorator_with_options() -> None:
    client = new_client("eu-west-2")
    assert client.create_domain(DomainName="acme", DefaultExpirationDays=1)["DomainName"] == "acme"
    assert domain_names(client) == ["acme"]


def test_decorated_async_function() -> None:
    @mock_customer_profiles
    async def handler() -> list[str]:
        client = new_client()
        client.create_domain(DomainName="async", DefaultExpirationDays=1)
        return domain_names(client)

    assert asyncio.run(handler()) == ["async"]
    assert asyncio.run(handler()) == ["async"]  # each call its own, empty, backend


def test_decorated_function_keeps_its_name_and_return_value() -> None:
    @mock_customer_profiles()
    def lookup(name: str) -> str:
        return str(new_client().create_domain(DomainName=name, DefaultExpirationDays=1)["DomainName"])

    assert lookup.__name__ == "lookup"
    assert lookup("x") == "x"
    assert lookup("x") == "x"  # no "already exists": the second call starts empty


@mock_customer_profiles
class TestDecoratedClass:
    def test_first(self) -> None:
        client = new_client()
        client.create_domain(DomainName="shared-name", DefaultExpirationDays=1)
        assert domain_names(client) == ["shared-name"]

    def test_second(self) -> None:  # runs in its own, empty, backend whatever the order
        client = new_client()
        client.create_domain(DomainName="shared-name", DefaultExpirationDays=1)
        assert domain_names(client) == ["shared-name"]


@mock_customer_profiles
class TestDecoratedTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.client = new_client()
        self.client.create_domain(DomainName="from-setup", DefaultExpirationDays=1)

    def test_sees_what_set_up_made(self) -> None:
        assert domain_names(self.client) == ["from-setup"]

    def test_again_from_empty(self) -> None:
        assert domain_names(self.client) == ["from-setup"]


def test_context_manager_returns_the_active_mock() -> None:
    with mock_customer_profiles() as cp:
        assert isinstance(cp, CustomerProfilesMock)
        assert cp.active
        cp.create_domain("acme")
        assert domain_names(cp.client()) == ["acme"]
    assert not cp.active


def test_start_and_stop() -> None:
    cp = mock_customer_profiles()
    assert cp.start() is cp
    try:
        cp.create_domain("acme")
        assert domain_names(new_client()) == ["acme"]
    finally:
        cp.stop()
    cp.start()
    try:
        assert domain_names(new_client()) == []  # a restart is a fresh backend
    finally:
        cp.stop()


def test_nesting_innermost_wins_until_it_stops() -> None:
    with mock_customer_profiles() as outer:
        outer.create_domain("outer")
        with mock_customer_profiles() as inner:
            inner.create_domain("inner")
            assert domain_names(new_client()) == ["inner"]
        assert domain_names(new_client()) == ["outer"]


def test_stop_twice_stop_unstarted_and_out_of_order_unwinding() -> None:
    never_started = mock_customer_profiles()
    never_started.stop()
    first = mock_customer_profiles().start()
    second = mock_customer_profiles().start()
    first.create_domain("first")
    second.create_domain("second")
    first.stop()  # out of order: the second stays the one answering
    assert domain_names(new_client()) == ["second"]
    first.stop()
    second.stop()
    second.stop()
    with mock_customer_profiles():
        assert domain_names(new_client()) == []


def test_restarting_an_active_mock_starts_it_afresh() -> None:
    cp = mock_customer_profiles().start()
    try:
        cp.create_domain("old")
        cp.start()
        assert domain_names(new_client()) == []
    finally:
        cp.stop()
    assert not cp.active


def test_a_client_made_before_activation_is_answered() -> None:
    client = new_client(aws_access_key_id="x", aws_secret_access_key="y")
    with mock_customer_profiles():
        client.create_domain(DomainName="early", DefaultExpirationDays=1)
        assert domain_names(client) == ["early"]


@pytest.mark.skipif(
    tuple(int(part) for part in botocore.__version__.split(".")[:2]) < (1, 35),
    reason="botocore before 1.35 signs without per-request credentials (request_credentials came in 1.35.0)",
)
def test_a_client_without_credentials_gets_fake_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = boto3.Session().client("customer-profiles", region_name=REGION)
    with mock_customer_profiles():
        assert domain_names(client) == []


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without credentials or region anywhere, and a fresh boto3 default session."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


@pytest.mark.usefixtures("no_credentials")
def test_no_credentials_are_left_behind_in_the_default_session() -> None:
    with mock_customer_profiles():
        assert domain_names(boto3.client("customer-profiles")) == []
        session = boto3.DEFAULT_SESSION
        assert session is not None
        assert session.get_credentials().access_key == "testing"
    assert boto3.DEFAULT_SESSION is session  # kept: making a session is what makes boto3.client() slow
    assert session.get_credentials() is None
    s3 = boto3.client("s3", region_name=REGION)  # any service: it finds no credentials, so it cannot sign
    with pytest.raises(NoCredentialsError):
        s3.list_buckets()


@pytest.mark.usefixtures("no_credentials")
def test_credentials_of_other_origins_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    session = boto3.setup_default_session(aws_access_key_id="testing", aws_secret_access_key="testing")
    assert session is None
    with mock_customer_profiles():
        assert domain_names(boto3.client("customer-profiles")) == []
    assert boto3.DEFAULT_SESSION is not None
    assert boto3.DEFAULT_SESSION.get_credentials().access_key == "testing"  # given explicitly, not the mock's
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")  # the user's own environment: not the mock's to drop
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    with mock_customer_profiles():
        assert domain_names(boto3.client("customer-profiles")) == []
    assert boto3.DEFAULT_SESSION.get_credentials().method == "env"


@pytest.fixture
def bare_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("bare_env")
def test_fake_environment_inside_the_scope_only() -> None:
    with mock_customer_profiles(region="ap-southeast-2"):
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        assert os.environ["AWS_SECRET_ACCESS_KEY"] == "testing"
        assert os.environ["AWS_DEFAULT_REGION"] == "ap-southeast-2"
        client = boto3.client("customer-profiles")  # no region, no credentials given: the fake env serves
        assert client.meta.region_name == "ap-southeast-2"
        client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        assert name not in os.environ


@pytest.mark.usefixtures("bare_env")
def test_existing_environment_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_REGION", "sa-east-1")
    with mock_customer_profiles():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"
        assert "AWS_DEFAULT_REGION" not in os.environ
    assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"


def test_regions_are_separate_backends() -> None:
    with mock_customer_profiles():
        east, west = new_client("us-east-1"), new_client("eu-west-1")
        east.create_domain(DomainName="acme", DefaultExpirationDays=1)
        assert domain_names(west) == []
        west.create_domain(DomainName="acme", DefaultExpirationDays=1)  # no clash
        assert domain_names(east) == ["acme"]


def test_region_comes_from_the_signature_scope_with_a_custom_endpoint() -> None:
    with mock_customer_profiles():
        west = new_client("eu-west-1", endpoint_url="https://profile.example.internal")
        west.create_domain(DomainName="acme", DefaultExpirationDays=1)
        assert domain_names(new_client("eu-west-1")) == ["acme"]
        assert domain_names(new_client("us-east-1")) == []


def test_seeding_helpers_reach_the_default_region_backend() -> None:
    with mock_customer_profiles(region="eu-central-1") as cp:
        cp.create_domain("acme")
        assert domain_names(cp.client()) == ["acme"]
        assert domain_names(new_client("eu-central-1")) == ["acme"]
        assert domain_names(new_client("us-east-1")) == []


def test_seeding_helpers_validate_like_the_wire() -> None:
    with mock_customer_profiles() as cp:
        with pytest.raises(ClientError) as caught:
            cp.create_domain("bad name")
        assert caught.value.response["Error"]["Code"] == "BadRequestException"
        assert caught.value.response["Error"]["Message"] == (
            "1 validation error detected: Value 'bad name' at 'domainName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$"
        )
        with pytest.raises(ClientError) as caught:
            cp.create_profile("nowhere", FirstName="Ana")
        assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_unknown_option_is_a_type_error() -> None:
    with pytest.raises(TypeError) as caught:
        mock_customer_profiles(regoin="us-east-1")
    assert str(caught.value) == (
        "mock_customer_profiles: unknown option(s) 'regoin' (see docs/behaviour.md#options-and-behaviour-choices)\n"
        "- known options: account_id, delete_standard_objects, expire_profiles, lenient_matching, lifecycle, region, "
        "retry_delays, seed, strict_search_keys"
    )


# --------------------------------------------------------------------------------------- the hook's reach


def canned(request: Any, **_: Any) -> AWSResponse:
    class Raw:
        def stream(self, **_: Any) -> Iterator[bytes]:
            yield b'{"Items": [{"DomainName": "from-elsewhere", "CreatedAt": 0, "LastUpdatedAt": 0}]}'

    return AWSResponse(request.url, 200, {}, Raw())


def test_hook_is_inert_without_an_active_mock() -> None:
    client = new_client(aws_access_key_id="x", aws_secret_access_key="y")
    client.meta.events.register("before-send.customer-profiles", canned)
    assert domain_names(client) == ["from-elsewhere"]  # our hook said nothing; the next handler answered
    with mock_customer_profiles():
        assert domain_names(client) == []  # now ours answers first
    assert domain_names(client) == ["from-elsewhere"]


def test_unimplemented_operation_raises_not_implemented(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(HANDLERS, "ListRecommenderRecipes")  # every operation has a handler: pretend one has not
    with pytest.raises(NotImplementedOperation) as caught:
        client.list_recommender_recipes()
    assert isinstance(caught.value, NotImplementedError)
    assert not isinstance(caught.value, ClientError)
    assert caught.value.operation == "ListRecommenderRecipes"
    assert str(caught.value) == (
        "mock_customer_profiles: ListRecommenderRecipes is not implemented by the mock.\n"
        "- the call never left the process: nothing was sent to AWS\n"
        "- implemented operations are listed in docs/coverage.md#operation-coverage"
    )


def test_except_client_error_cannot_swallow_it(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(HANDLERS, "GetMatches")  # every operation has a handler: pretend one has not

    def code_under_test() -> str:
        try:
            client.get_matches(DomainName="acme")
        except ClientError:
            return "swallowed"
        return "answered"

    with pytest.raises(NotImplementedOperation):
        code_under_test()


def test_fixture_gives_an_active_mock(customer_profiles_mock: CustomerProfilesMock) -> None:
    assert customer_profiles_mock.active
    customer_profiles_mock.create_domain("acme")
    pid = customer_profiles_mock.create_profile("acme", EmailAddress="ana@example.com")
    items = new_client().search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])["Items"]
    assert [i["ProfileId"] for i in items] == [pid]


@pytest.mark.customer_profiles_mock(lenient_matching=True, account_id="999999999999")
def test_marker_options_reach_the_fixture(customer_profiles_mock: CustomerProfilesMock) -> None:
    assert customer_profiles_mock.options.lenient_matching
    assert customer_profiles_mock.options.account_id == "999999999999"


@pytest.mark.customer_profiles_mock
def test_marker_alone_activates_the_mock() -> None:
    assert domain_names(new_client()) == []


def test_the_mocks_client_takes_boto3s_client_arguments() -> None:
    from botocore.config import Config

    with mock_customer_profiles(region="eu-west-2") as cp:
        cp.create_domain("acme")
        cp.add_error("GetDomain", "ThrottlingException")
        client = cp.client(config=Config(retries={"total_max_attempts": 1}), endpoint_url="https://example.test")
        assert client.meta.region_name == "eu-west-2"
        assert client.meta.endpoint_url == "https://example.test"
        with pytest.raises(client.exceptions.ThrottlingException):
            client.get_domain(DomainName="acme")  # one attempt: the config reached the client
        assert len(cp.get_calls("GetDomain")) == 1
        assert cp.client("us-west-2").list_domains()["Items"] == []  # its region: another backend
        assert cp.client(
            aws_access_key_id="mine", aws_secret_access_key="s"
        )._request_signer._credentials.access_key == ("mine")


def test_the_mocks_client_is_typed_as_the_stubs_client() -> None:
    assert CustomerProfilesMock.client.__annotations__["return"] == "CustomerProfilesClient"
