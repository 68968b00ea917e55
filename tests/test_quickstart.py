"""The README's quickstart, exactly as a user writes it."""

from __future__ import annotations

import boto3

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
