"""Nothing a mocked test does reaches AWS: every activation style covers the test's whole set-up and
tear-down, two activations on one test share one mock (or fail at once), and a call that the hook
cannot see is stopped and reported. Each test runs a user's test file with ``pytester``; the project's
root conftest refuses every connection outside the loopback, so a call that escaped fails loudly."""

from __future__ import annotations

import textwrap
import unittest
from typing import Any

import boto3
import pytest

from mock_customer_profiles import mock_customer_profiles

HEADER = """
import unittest

import boto3
import pytest
from mock_customer_profiles import mock_customer_profiles


def client():
    return boto3.client("customer-profiles", region_name="us-east-1")


def make(name):
    client().create_domain(DomainName=name, DefaultExpirationDays=1)


def names():
    return sorted(d["DomainName"] for d in client().list_domains()["Items"])
"""

DECORATED_CLASSES = (
    HEADER
    + """

class Mixin:
    def test_inherited_from_an_undecorated_mixin(self):
        make("test")
        assert names() == ["fixture", "set-up", "test"]


class Base:
    def test_inherited_from_an_undecorated_base(self):
        make("test")
        assert names() == ["fixture", "set-up", "test"]


@mock_customer_profiles
class TestPlain(Base, Mixin):
    @classmethod
    def setup_class(cls):
        make("class-level")  # its own mock: answered, and not seen by the tests

    @classmethod
    def teardown_class(cls):
        assert names() == ["class-fixture", "class-level"]

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def class_fixture(cls):
        make("class-fixture")
        yield
        assert names() == ["class-fixture", "class-level"]

    def setup_method(self, method):
        make("set-up")

    @pytest.fixture(autouse=True)
    def own_fixture(self):
        make("fixture")
        yield
        assert "test" in names()

    def teardown_method(self, method):
        assert names() == ["fixture", "set-up", "test"]

    def test_own(self):
        make("test")
        assert names() == ["fixture", "set-up", "test"]


@mock_customer_profiles
class TestCaseStyle(unittest.TestCase, Mixin):
    @classmethod
    def setUpClass(cls):
        make("class-level")

    @classmethod
    def tearDownClass(cls):
        assert names() == ["class-level"]

    @pytest.fixture(autouse=True)
    def own_fixture(self):
        make("fixture")
        yield
        assert "test" in names()

    def setUp(self):
        make("set-up")

    def tearDown(self):
        assert names() == ["fixture", "set-up", "test"]

    def test_own(self):
        make("test")
        self.assertEqual(names(), ["fixture", "set-up", "test"])
"""
)


def test_a_decorated_class_mocks_every_test_it_collects_and_all_their_set_up(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_user=DECORATED_CLASSES)
    result = user_project.runpytest("-p", "no:randomly", "-rA")
    result.assert_outcomes(passed=5)  # 3 + 2, the inherited ones included; no error in any set-up or tear-down


def test_a_decorated_test_case_without_pytest() -> None:
    """``python -m unittest``: the wrapped ``setUp`` and ``setUpClass`` start the mocks themselves."""
    seen: dict[str, Any] = {}

    def names() -> list[str]:
        client = boto3.client("customer-profiles", region_name="us-east-1")
        return sorted(d["DomainName"] for d in client.list_domains()["Items"])

    def make(name: str) -> None:
        boto3.client("customer-profiles", region_name="us-east-1").create_domain(
            DomainName=name, DefaultExpirationDays=1
        )

    class Mixin:
        def test_inherited(self) -> None:
            make("test")
            seen["inherited"] = names()

    @mock_customer_profiles
    class Case(unittest.TestCase, Mixin):
        @classmethod
        def setUpClass(cls) -> None:
            make("class-level")

        @classmethod
        def tearDownClass(cls) -> None:
            seen["class"] = names()

        def setUp(self) -> None:
            make("set-up")

        def tearDown(self) -> None:
            seen.setdefault("tear-down", []).append(names())

        def test_own(self) -> None:
            make("test")
            seen["own"] = names()

    result = unittest.TextTestRunner(stream=open(__import__("os").devnull, "w")).run(  # noqa: SIM115
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )
    assert result.wasSuccessful(), result.errors + result.failures
    assert seen == {
        "own": ["set-up", "test"],
        "inherited": ["set-up", "test"],
        "tear-down": [["set-up", "test"], ["set-up", "test"]],
        "class": ["class-level"],
    }


def test_a_decorated_plain_class_called_without_pytest() -> None:
    class Base:
        def test_inherited(self) -> list[str]:
            client = boto3.client("customer-profiles", region_name="us-east-1")
            client.create_domain(DomainName="acme", DefaultExpirationDays=1)
            return [d["DomainName"] for d in client.list_domains()["Items"]]

    @mock_customer_profiles
    class Plain(Base):
        pass

    assert Plain().test_inherited() == ["acme"]
    assert Plain().test_inherited() == ["acme"]  # a fresh mock each call
    assert Base.test_inherited is not Plain.test_inherited  # the base stays undecorated


def test_a_decorated_function_runs_its_fixtures_inside_its_mock(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(
        test_user=HEADER
        + textwrap.dedent(
            """
            @pytest.fixture
            def acme():
                make("acme")
                yield "acme"
                assert names() == ["acme", "beta"]


            @mock_customer_profiles
            def test_decorated(acme):
                make("beta")
                assert names() == ["acme", "beta"]
            """
        )
    )
    result = user_project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1)


TWO_ACTIVATIONS = (
    HEADER
    + """

@mock_customer_profiles
def test_decorator_and_fixture_share_one_mock(customer_profiles_mock):
    customer_profiles_mock.create_domain("seeded")
    assert names() == ["seeded"]
    make("made")
    assert [d["DomainName"] for d in customer_profiles_mock.client().list_domains()["Items"]] == ["made", "seeded"]


@mock_customer_profiles(region="eu-west-2", seed={"domains": [{"DomainName": "from-decorator"}]})
def test_the_fixture_is_the_decorators_mock(customer_profiles_mock):
    assert customer_profiles_mock.options.region == "eu-west-2"
    assert names_in("eu-west-2") == ["from-decorator"]


@mock_customer_profiles(region="eu-west-2")
@pytest.mark.customer_profiles_mock(region="eu-west-2", check_unused_errors=False)
def test_a_marker_that_agrees_shares_too(customer_profiles_mock):
    customer_profiles_mock.create_domain("seeded")
    assert names_in("eu-west-2") == ["seeded"]


@mock_customer_profiles
class TestClassAndFixture:
    def test_shared(self, customer_profiles_mock):
        customer_profiles_mock.create_domain("seeded")
        assert names() == ["seeded"]


@mock_customer_profiles(region="eu-west-2")
@pytest.mark.customer_profiles_mock(region="us-west-2", lenient_matching=True)
def test_a_marker_that_disagrees():
    raise AssertionError("never runs")


def names_in(region):
    client = boto3.client("customer-profiles", region_name=region)
    return sorted(d["DomainName"] for d in client.list_domains()["Items"])
"""
)

DISAGREE = """\
mock_customer_profiles: test_a_marker_that_disagrees is activated twice, with different options: by \
@mock_customer_profiles and by the customer_profiles_mock fixture of @pytest.mark.customer_profiles_mock(...) \
(see docs/activation.md#pytest-fixture-and-marker):
- decorator: region='eu-west-2'
- marker: region='us-west-2', lenient_matching=True
- keep one: drop the decorator (the marker's options then apply), or drop the marker's options (the fixture \
then shares the decorator's mock)"""


def test_the_decorator_and_the_fixture_share_one_mock_or_fail_at_once(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_user=TWO_ACTIVATIONS)
    result = user_project.runpytest("-p", "no:randomly", "-rA")
    result.assert_outcomes(passed=4, errors=1)
    text = result.stdout.str()
    assert DISAGREE in text
    assert "never runs" not in text


HOOKLESS = (
    HEADER
    + '''
import botocore.session
from mock_customer_profiles import UnansweredCall
from mock_customer_profiles import _hook


def hookless_client():
    """A client of a botocore session that does not carry the mock's hook (as if made before the import)."""
    session = botocore.session.Session()
    session.unregister(_hook.SEND_EVENT, _hook.before_send)
    session.unregister(_hook.SIGN_EVENT, _hook.before_sign)
    return session.create_client(
        "customer-profiles", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="y"
    )


def test_raised(customer_profiles_mock):
    client = hookless_client()
    with pytest.raises(UnansweredCall) as caught:
        client.list_domains()
    assert caught.value.url == "https://profile.eu-west-1.amazonaws.com/domains"


def test_swallowed(customer_profiles_mock):
    try:
        hookless_client().get_domain(DomainName="acme")
    except Exception:
        pass


@mock_customer_profiles
def test_decorated():
    with pytest.raises(UnansweredCall):
        hookless_client().list_domains()


def test_after_the_mock_the_guard_is_gone():
    import botocore.httpsession

    with mock_customer_profiles():
        assert botocore.httpsession.URLLib3Session.send.__name__ == "send_unless_ours"
    assert botocore.httpsession.URLLib3Session.send.__name__ == "send"
'''
)

UNANSWERED = """\
mock_customer_profiles: a Customer Profiles call reached botocore's HTTP layer while a mock is active: the \
mock's hook never saw it, so nothing answered it, and it was not sent (see docs/activation.md#nothing-reaches-aws).
- GET https://profile.eu-west-1.amazonaws.com/domains
- its client comes from a botocore session without the mock's hook: one made before mock_customer_profiles \
was imported, or one whose hook was unregistered
- make the client with boto3.client() or a boto3.Session() made after that import (the pytest plugin imports \
it at start-up), or use the mock's client()"""

SWALLOWED_UNANSWERED = """\
mock_customer_profiles: the code under test swallowed the UnansweredCall of 1 Customer Profiles call that the \
mock could not answer; none was sent (see docs/activation.md#nothing-reaches-aws):
- GET https://profile.eu-west-1.amazonaws.com/domains/acme"""


def test_a_call_the_hook_cannot_see_is_stopped_and_reported(
    user_project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    attempts: list[Any] = []

    def refuse(*args: Any, **_: Any) -> Any:
        attempts.append(args)
        raise OSError("the network is off")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    user_project.makepyfile(test_user=HOOKLESS)
    result = user_project.runpytest("-p", "no:randomly", "-rA")
    result.assert_outcomes(passed=4, errors=1)
    assert SWALLOWED_UNANSWERED in result.stdout.str()
    assert attempts == []


def test_the_unanswered_call_says_what_and_why() -> None:
    import botocore.session

    from mock_customer_profiles import UnansweredCall, _hook

    session = botocore.session.Session()
    session.unregister(_hook.SEND_EVENT, _hook.before_send)
    client = session.create_client(
        "customer-profiles", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="y"
    )
    with mock_customer_profiles() as cp, pytest.raises(UnansweredCall) as caught:
        client.list_domains()
    assert str(caught.value) == UNANSWERED
    assert cp.unanswered == [caught.value]
    assert cp.calls == []


ORDER_DEPENDENT = """
import boto3
import pytest
from botocore.exceptions import NoCredentialsError
from mock_customer_profiles import mock_customer_profiles


def test_a_mocked():
    with mock_customer_profiles():
        boto3.client("customer-profiles", region_name="us-east-1").list_domains()


@mock_customer_profiles
def test_b_decorated():
    boto3.client("customer-profiles", region_name="us-east-1").list_domains()


def test_c_fixture(customer_profiles_mock):
    boto3.client("customer-profiles", region_name="us-east-1").list_domains()


def test_d_unmocked_after_them():
    s3 = boto3.client("s3", region_name="us-east-1")
    with pytest.raises(NoCredentialsError):  # not the mock's "testing" credentials, so not the network
        s3.list_buckets()
"""


def test_no_credentials_outlive_any_activation_style(
    user_project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    user_project.makepyfile(test_user=ORDER_DEPENDENT)
    result = user_project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=4)


def test_a_decorated_helper_called_by_a_mocked_test_gets_a_mock_of_its_own(customer_profiles_mock: Any) -> None:
    @mock_customer_profiles
    def helper() -> list[str]:
        client = boto3.client("customer-profiles", region_name="us-east-1")
        return [d["DomainName"] for d in client.list_domains()["Items"]]

    customer_profiles_mock.create_domain("acme")
    assert helper() == []  # nested: the helper's own, empty, mock
    assert [d["DomainName"] for d in customer_profiles_mock.client().list_domains()["Items"]] == ["acme"]
