"""A miss caused by a region mismatch between the mock and the code's client: AWS's error text stays
AWS's, and a ``RegionMismatchWarning`` names both regions and the fix. An import-time client gets its
region from ``AWS_DEFAULT_REGION`` set in ``conftest.py`` before collection."""

from __future__ import annotations

import textwrap
import warnings

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_customer_profiles import RegionMismatchWarning, mock_customer_profiles

HINT = """\
mock_customer_profiles: GetDomain(DomainName='acme') found no domain acme in us-east-1, where it was answered; \
this mock holds one in eu-west-2 (see docs/activation.md#regions-and-import-time-clients):
- the call's region: us-east-1 (its client's region_name, else AWS_DEFAULT_REGION when the client was made)
- the mock's region option: eu-west-2 (where create_domain(), load() and seed= store)
- fix: one region for both: make the client with region_name='eu-west-2' (or use the mock's client()), set \
AWS_DEFAULT_REGION='eu-west-2' before the client is made (conftest.py or the pytest ini), or give the mock \
region='us-east-1'"""


def test_a_region_mismatch_keeps_aws_text_and_warns_with_both_regions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with mock_customer_profiles(region="eu-west-2") as cp:
        cp.create_domain("acme")
        client = boto3.client("customer-profiles", region_name="us-east-1")
        with pytest.warns(RegionMismatchWarning) as caught, pytest.raises(ClientError) as error:
            client.get_domain(DomainName="acme")
    assert error.value.response["Error"] == {"Code": "ResourceNotFoundException", "Message": "Domain acme not found"}
    assert [str(w.message) for w in caught] == [HINT]
    assert cp.calls.last.error is not None


def test_the_environment_region_is_named_when_it_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_customer_profiles(region="eu-west-2") as cp:
        cp.create_domain("acme")
        client = boto3.client("customer-profiles")  # AWS_DEFAULT_REGION: the mock leaves it alone
        with (
            pytest.warns(RegionMismatchWarning, match="AWS_DEFAULT_REGION is 'us-east-1' in the environment"),
            pytest.raises(client.exceptions.ResourceNotFoundException),
        ):
            client.search_profiles(DomainName="acme", KeyName="_email", Values=["a@example.com"])


def test_no_warning_for_a_plain_miss_or_a_miss_inside_an_existing_domain() -> None:
    with mock_customer_profiles() as cp:
        cp.create_domain("acme")
        client = cp.client()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(ClientError):
                client.get_domain(DomainName="nowhere")
            with pytest.raises(ClientError):
                client.get_profile_object_type(DomainName="acme", ObjectTypeName="Missing")


IMPORT_TIME = """
import boto3
import pytest

CLIENT = boto3.client("customer-profiles")  # made at import: its region is fixed before any test runs


def domain_names():
    return [d["DomainName"] for d in CLIENT.list_domains()["Items"]]


@pytest.mark.customer_profiles_mock(region="eu-west-2")
def test_import_time_client(customer_profiles_mock):
    customer_profiles_mock.create_domain("acme")
    assert CLIENT.meta.region_name == "eu-west-2"
    assert domain_names() == ["acme"]


@pytest.mark.customer_profiles_mock(region="us-west-2")
def test_mismatch(customer_profiles_mock):
    customer_profiles_mock.create_domain("acme")
    CLIENT.get_domain(DomainName="acme")
"""


def test_an_import_time_client_gets_its_region_from_conftest(
    user_project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EC2_METADATA_DISABLED"):
        monkeypatch.setenv(name, "")  # recorded, so that what the user's conftest sets is undone after the test
        monkeypatch.delenv(name)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # as in a fresh pytest process
    user_project.makeconftest(
        textwrap.dedent(
            """
            import os

            # Runs before pytest imports any test module, so before an import-time client is made.
            os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-2")
            # Without credentials, making a client would look for instance credentials over the network;
            # the mock lends fake ones to a client that has none.
            os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
            """
        )
    )
    user_project.makepyfile(test_user=IMPORT_TIME)
    result = user_project.runpytest("-p", "no:randomly", "-rA")
    result.assert_outcomes(passed=1, failed=1)
    text = result.stdout.str()
    assert "ResourceNotFoundException" in text
    assert (
        "RegionMismatchWarning: mock_customer_profiles: GetDomain(DomainName='acme') found no domain acme in "
        "eu-west-2, where it was answered; this mock holds one in us-west-2"
    ) in " ".join(text.split())
