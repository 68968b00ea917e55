"""``seed=`` and ``load()`` resolve a relative path the same way everywhere: relative to the file whose code
names it, wherever pytest runs; a missing file names where it was looked for."""

from __future__ import annotations

import json
import textwrap

import pytest

SEED = {"domains": [{"DomainName": "acme"}]}

USER_TESTS = """
import boto3
import pytest
from mock_customer_profiles import mock_customer_profiles


def names():
    client = boto3.client("customer-profiles", region_name="us-east-1")
    return [d["DomainName"] for d in client.list_domains()["Items"]]


@mock_customer_profiles(seed="data/seed.json")
def test_decorator():
    assert names() == ["acme"]


def test_context_manager():
    with mock_customer_profiles(seed="data/seed.json"):
        assert names() == ["acme"]


@pytest.mark.customer_profiles_mock(seed="data/seed.json")
def test_marker():
    assert names() == ["acme"]


def test_load(customer_profiles_mock):
    customer_profiles_mock.load("data/seed.json")
    assert names() == ["acme"]


def test_missing():
    mock_customer_profiles(seed="data/nowhere.json")


@pytest.mark.customer_profiles_mock(seed="data/nowhere.json")
def test_missing_in_the_marker():
    pass
"""


def test_relative_seed_paths_are_relative_to_the_file_that_names_them(user_project: pytest.Pytester) -> None:
    tests = user_project.mkpydir("suite")
    (tests / "data").mkdir()
    (tests / "data" / "seed.json").write_text(json.dumps(SEED))
    (tests / "test_user.py").write_text(textwrap.dedent(USER_TESTS))
    elsewhere = user_project.mkdir("elsewhere")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(elsewhere)  # pytest runs from another directory: the paths do not move
        result = user_project.runpytest(str(tests), "-p", "no:randomly", "-rN")  # no summary: CI keeps its lines whole
    result.assert_outcomes(passed=4, failed=1, errors=1)
    text = result.stdout.str()
    looked_for = str(tests / "data" / "nowhere.json")
    for expected in (
        "mock_customer_profiles: the seed document data/nowhere.json cannot be read: No such file or directory "
        "(see docs/seeding.md#seeding):",
        f"- looked for {looked_for}",
        f"- a relative path is relative to the directory of {tests / 'test_user.py'}, the file that names it",
    ):
        assert text.count(expected) == 2, expected
