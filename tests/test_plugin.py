"""The pytest plugin as a user's project meets it: fixture, marker, decorator, teardown checks, xdist.

Each test writes a small test file into a fresh directory and runs pytest on it with ``pytester``.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from mock_customer_profiles._handlers import HANDLERS


@pytest.fixture(autouse=True)
def _get_matches_unimplemented(monkeypatch: pytest.MonkeyPatch) -> None:
    """The user tests below call GetMatches as an operation the mock does not implement; every operation has
    a handler now, so the in-process runs pretend this one has not."""
    monkeypatch.delitem(HANDLERS, "GetMatches")


HEADER = """
import boto3
import pytest
from mock_customer_profiles import mock_customer_profiles


def client():
    return boto3.client("customer-profiles", region_name="us-east-1")
"""

USER_TESTS = (
    HEADER
    + """

def test_fixture(customer_profiles_mock):
    customer_profiles_mock.create_domain("acme")
    assert [d["DomainName"] for d in client().list_domains()["Items"]] == ["acme"]


@pytest.mark.customer_profiles_mock(seed="seed.json")
def test_marker_with_a_seed_next_to_the_test_file(customer_profiles_mock):
    found = client().search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])
    assert found["Items"][0]["FirstName"] == "Ana"


@pytest.mark.customer_profiles_mock(seed={"domains": [{"DomainName": "inline"}]})
def test_marker_with_a_seed_mapping(customer_profiles_mock):
    assert client().get_domain(DomainName="inline")["DomainName"] == "inline"


@pytest.mark.customer_profiles_mock(region="eu-west-1")
def test_marker_alone_activates_the_mock():
    boto3.client("customer-profiles").create_domain(DomainName="acme", DefaultExpirationDays=1)


@mock_customer_profiles
def test_decorator():
    client().create_domain(DomainName="acme", DefaultExpirationDays=1)


@mock_customer_profiles
class TestClass:
    def test_a(self):
        client().create_domain(DomainName="acme", DefaultExpirationDays=1)

    def test_b(self):
        client().create_domain(DomainName="acme", DefaultExpirationDays=1)


def test_retries_use_the_injected_errors(customer_profiles_mock, monkeypatch):
    import botocore.endpoint

    monkeypatch.setattr(botocore.endpoint.time, "sleep", lambda seconds: None)
    customer_profiles_mock.create_domain("acme")
    customer_profiles_mock.add_error("GetDomain", "ThrottlingException", times=2)
    assert client().get_domain(DomainName="acme")["DomainName"] == "acme"
    assert len(customer_profiles_mock.get_calls("GetDomain")) == 3
"""
)
SEED = {"domains": [{"DomainName": "acme", "profiles": [{"FirstName": "Ana", "EmailAddress": "ana@example.com"}]}]}

CHECKED_TESTS = (
    HEADER
    + '''

def test_unused_error(customer_profiles_mock):
    customer_profiles_mock.add_error("SearchProfiles", "ThrottlingException", KeyName="_email")
    customer_profiles_mock.add_error("GetDomain", "AccessDeniedException", times=2)
    customer_profiles_mock.add_error("ListDomains", "InternalServerException")
    client().list_domains()


@pytest.mark.customer_profiles_mock(check_unused_errors=False)
def test_unused_error_allowed(customer_profiles_mock):
    customer_profiles_mock.add_error("SearchProfiles", "ThrottlingException")


def test_unused_error_of_a_failing_test_is_no_news(customer_profiles_mock):
    customer_profiles_mock.add_error("SearchProfiles", "ThrottlingException")
    assert False, "the test's own failure"


def lookup_or_none(domain):
    """Code under test that swallows every error."""
    try:
        return client().get_matches(DomainName=domain)
    except Exception:
        return None


def test_swallowed(customer_profiles_mock):
    assert lookup_or_none("acme") is None


@pytest.mark.customer_profiles_mock(check_unimplemented=False)
def test_swallowed_allowed(customer_profiles_mock):
    assert lookup_or_none("acme") is None


def test_not_swallowed_is_reported_once(customer_profiles_mock):
    client().get_matches(DomainName="acme")


def test_swallowed_then_failed_is_reported_again(customer_profiles_mock):
    assert lookup_or_none("acme") is not None


def test_context_manager_never_raises_on_exit():
    with mock_customer_profiles() as cp:
        cp.add_error("SearchProfiles", "ThrottlingException")
        try:
            client().get_matches(DomainName="acme")
        except NotImplementedError:
            pass


@mock_customer_profiles
def test_decorator_never_raises_on_exit():
    try:
        client().get_matches(DomainName="acme")
    except NotImplementedError:
        pass
'''
)

UNUSED = """\
mock_customer_profiles: 2 injected errors were never used (see docs/activation.md#teardown-checks):
- SearchProfiles(KeyName='_email') -> ThrottlingException
- GetDomain -> AccessDeniedException (times=2, used 0)"""
SWALLOWED = """\
mock_customer_profiles: the code under test swallowed the NotImplementedOperation of 1 call to an operation \
the mock does not implement (see docs/activation.md#teardown-checks):
- GetMatches(DomainName='acme')"""


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _teardown_error(output: str, test: str) -> list[str]:
    """The lines pytest printed for the teardown error of ``test``."""
    return _phase_error(output, "teardown", test)


def _phase_error(output: str, phase: str, test: str) -> list[str]:
    """The lines pytest printed for the error of ``test`` in ``phase`` (setup or teardown)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if f"ERROR at {phase} of {test} " in line)
    body = []
    for line in lines[start + 1 :]:
        if line.startswith(("____", "====")):
            break
        body.append(line)
    while body and not body[-1].strip():
        body.pop()
    return body


def test_a_users_tests_pass_with_fixture_marker_and_decorator(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_user=USER_TESTS)
    user_project.makefile(".json", seed=json.dumps(SEED))
    result = user_project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=8)


def test_the_same_tests_pass_under_xdist(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_user=USER_TESTS)
    user_project.makefile(".json", seed=json.dumps(SEED))
    result = user_project.runpytest_subprocess("-n", "2", "-p", "randomly")
    result.assert_outcomes(passed=8)


def test_teardown_checks(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_checked=CHECKED_TESTS)
    result = user_project.runpytest("-p", "no:randomly", "-rA")
    result.assert_outcomes(passed=6, failed=3, errors=3)
    output = result.stdout.str()

    assert _teardown_error(output, "test_unused_error") == _lines(UNUSED)
    assert _teardown_error(output, "test_swallowed") == _lines(SWALLOWED)
    # the test failed with a wrong result: the swallowed call behind it is the news
    assert _teardown_error(output, "test_swallowed_then_failed_is_reported_again") == _lines(SWALLOWED)
    for quiet in (
        "test_unused_error_allowed",
        "test_unused_error_of_a_failing_test_is_no_news",
        "test_swallowed_allowed",
        "test_not_swallowed_is_reported_once",  # pytest showed its NotImplementedOperation already
    ):
        assert f"ERROR at teardown of {quiet} " not in output
    result.stdout.fnmatch_lines(
        [
            "PASSED test_checked.py::test_context_manager_never_raises_on_exit",
            "PASSED test_checked.py::test_decorator_never_raises_on_exit",
            "ERROR test_checked.py::test_unused_error - *",
            "ERROR test_checked.py::test_swallowed - *",
            "ERROR test_checked.py::test_swallowed_then_failed_is_reported_again - *",
            "FAILED test_checked.py::test_unused_error_of_a_failing_test_is_no_news - *",
            "FAILED test_checked.py::test_not_swallowed_is_reported_once - *",
            "FAILED test_checked.py::test_swallowed_then_failed_is_reported_again - *",
        ],
        consecutive=False,
    )


def test_a_swallowed_call_behind_a_failure_is_reported_too(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(
        test_one=HEADER
        + textwrap.dedent(
            """
            def test_it(customer_profiles_mock):
                try:
                    client().get_matches(DomainName="acme")
                except Exception:
                    pass
                assert False, "wrong result"
            """
        )
    )
    result = user_project.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1, errors=1)
    assert _teardown_error(result.stdout.str(), "test_it") == _lines(SWALLOWED)


def test_the_checks_can_be_switched_off_in_the_ini(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_checked=CHECKED_TESTS)
    user_project.makeini(
        """
        [pytest]
        customer_profiles_mock_check_unused_errors = false
        customer_profiles_mock_check_unimplemented = false
        """
    )
    result = user_project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=6, failed=3, errors=0)


def test_the_marker_turns_a_check_back_on(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(
        test_one=HEADER
        + textwrap.dedent(
            """
            pytestmark = pytest.mark.customer_profiles_mock(check_unused_errors=False)

            def test_off(customer_profiles_mock):
                customer_profiles_mock.add_error("ListDomains", "ThrottlingException")

            @pytest.mark.customer_profiles_mock(check_unused_errors=True)
            def test_on(customer_profiles_mock):
                customer_profiles_mock.add_error("ListDomains", "ThrottlingException")
            """
        )
    )
    result = user_project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    assert _teardown_error(result.stdout.str(), "test_on") == [
        "mock_customer_profiles: 1 injected error was never used (see docs/activation.md#teardown-checks):",
        "- ListDomains -> ThrottlingException",
    ]


def test_a_bad_marker_fails_the_test_at_setup(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(
        test_one=HEADER
        + textwrap.dedent(
            """
            @pytest.mark.customer_profiles_mock(regoin="eu-west-1")
            def test_typo():
                pass

            @pytest.mark.customer_profiles_mock("eu-west-1")
            def test_positional():
                pass

            @pytest.mark.customer_profiles_mock(seed="seed.json")
            def test_bad_seed():
                pass
            """
        )
    )
    bad_seed = {"domains": [{"DomainName": "acme", "profiles": [{"Gender": "X"}]}]}
    user_project.makefile(".json", seed=json.dumps(bad_seed))
    result = user_project.runpytest("-p", "no:randomly")
    result.assert_outcomes(errors=3)
    output = result.stdout.str()
    assert _phase_error(output, "setup", "test_typo") == [
        "mock_customer_profiles: unknown option(s) 'regoin' (see docs/behaviour.md#options-and-behaviour-choices)",
        "- known options: account_id, check_unimplemented, check_unused_errors, delete_standard_objects, "
        "expire_profiles, lenient_matching, lifecycle, region, retry_delays, seed, strict_search_keys",
    ]
    assert _phase_error(output, "setup", "test_positional") == [
        "mock_customer_profiles: @pytest.mark.customer_profiles_mock takes keyword options only "
        "(see docs/activation.md#pytest-fixture-and-marker)."
    ]
    assert _phase_error(output, "setup", "test_bad_seed") == [
        "mock_customer_profiles: the seed document seed.json is invalid (see docs/seeding.md#seeding):",
        "- domains[0].profiles[0].Gender: 'X' is not one of ['MALE', 'FEMALE', 'UNSPECIFIED']",
    ]


def test_the_ini_options_and_marker_are_documented(user_project: pytest.Pytester) -> None:
    result = user_project.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "  customer_profiles_mock_check_unused_errors (bool):",
            "  customer_profiles_mock_check_unimplemented (bool):",
        ],
        consecutive=False,
    )
    markers = user_project.runpytest("--markers")
    markers.stdout.fnmatch_lines(
        ["@pytest.mark.customer_profiles_mock(**options): activate the Customer Profiles mock*"]
    )


def test_an_unimplemented_call_the_test_expects_with_pytest_raises_is_not_swallowed(
    user_project: pytest.Pytester,
) -> None:
    user_project.makepyfile(
        test_one=HEADER
        + textwrap.dedent(
            """
            import unittest

            from mock_customer_profiles import NotImplementedOperation


            def test_with_block(customer_profiles_mock):
                with pytest.raises(NotImplementedOperation, match="GetMatches"):
                    client().get_matches(DomainName="acme")


            def test_callable_form(customer_profiles_mock):
                pytest.raises(NotImplementedError, client().get_matches, DomainName="acme")


            def expect_unimplemented(call, **params):
                with pytest.raises(NotImplementedOperation):
                    call(**params)


            def test_a_helper_of_the_test(customer_profiles_mock):
                expect_unimplemented(client().get_matches, DomainName="acme")


            @pytest.mark.customer_profiles_mock
            class TestUnittestStyle(unittest.TestCase):
                def test_assert_raises(self):
                    with self.assertRaises(NotImplementedError):
                        client().get_matches(DomainName="acme")

                def test_assert_raises_callable(self):
                    self.assertRaises(NotImplementedError, client().get_matches, DomainName="acme")


            def test_a_try_inside_the_raises_block_swallows(customer_profiles_mock):
                with pytest.raises(ZeroDivisionError):
                    try:
                        client().get_matches(DomainName="acme")
                    except NotImplementedError:
                        pass
                    1 / 0
            """
        )
    )
    result = user_project.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=6, errors=1)
    assert _teardown_error(result.stdout.str(), "test_a_try_inside_the_raises_block_swallows") == _lines(SWALLOWED)
