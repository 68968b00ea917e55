"""The README's quickstart, exactly as a user writes it."""

from __future__ import annotations

import boto3
import pytest

from mock_customer_profiles import mock_customer_profiles


@mock_customer_profiles
def test_caller_lookup() -> None:
    c = boto3.client("customer-profiles", region_name="us-east-1")
    c.create_domain(DomainName="acme", DefaultExpirationDays=365)
    pid = c.create_profile(
        DomainName="acme", FirstName="Ana", EmailAddress="ana@example.com", PhoneNumber="+15550001111"
    )["ProfileId"]
    r = c.search_profiles(
        DomainName="acme",
        KeyName="_email",
        Values=["ana@example.com"],
        AdditionalSearchKeys=[{"KeyName": "_phone", "Values": ["+15550001111"]}],
        LogicalOperator="AND",
    )
    assert r["Items"][0]["ProfileId"] == pid
    assert r["Items"][0]["FoundByItems"] == [
        {"KeyName": "_email", "Values": ["ana@example.com"]},
        {"KeyName": "_phone", "Values": ["+15550001111"]},
    ]


def test_demo_runs_and_finds_what_it_prints() -> None:
    from mock_customer_profiles._demo import run

    lines: list[str] = []
    counts = run(lines.append)
    assert counts == {"or": 7, "and": 1, "paginated": 8, "pages": 2}
    assert lines[0].startswith("Seeded domain 'demo-contact-centre' with 37 profiles")


def test_demo_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from mock_customer_profiles.__main__ import main

    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "2. AND search: _fullName = Ana Silva" in out
    assert out.rstrip().endswith("8 profiles in 2 pages. No request left the process.")
