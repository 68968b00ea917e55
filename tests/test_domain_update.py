"""UpdateDomain and the Stats of GetDomain."""

from __future__ import annotations

from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found, put_loyalty_type, put_object

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)


def test_update_changes_the_given_settings_only(client: Any) -> None:
    created = client.create_domain(
        DomainName="acme",
        DefaultExpirationDays=365,
        DeadLetterQueueUrl="https://sqs.us-east-1.amazonaws.com/123456789012/dlq",
        DefaultEncryptionKey="arn:aws:kms:us-east-1:123456789012:key/1",
        Tags={"team": "cc"},
    )
    updated = client.update_domain(
        DomainName="acme",
        DefaultExpirationDays=30,
        DeadLetterQueueUrl="",  # an empty value clears it
        Matching={"Enabled": True, "JobSchedule": {"DayOfTheWeek": "MONDAY", "Time": "03:00"}},
        Tags={"env": "test"},
    )
    assert updated["DomainName"] == "acme"
    assert updated["DefaultExpirationDays"] == 30
    assert "DeadLetterQueueUrl" not in updated
    assert updated["DefaultEncryptionKey"] == "arn:aws:kms:us-east-1:123456789012:key/1"
    assert updated["Matching"] == {"Enabled": True, "JobSchedule": {"DayOfTheWeek": "MONDAY", "Time": "03:00"}}
    assert updated["Tags"] == {"team": "cc", "env": "test"}
    assert updated["CreatedAt"] == created["CreatedAt"]
    got = client.get_domain(DomainName="acme")
    assert got["DefaultExpirationDays"] == 30
    assert "DeadLetterQueueUrl" not in got
    assert got["Tags"] == {"team": "cc", "env": "test"}


def test_the_domain_default_expiration_applies_to_new_object_types(client: Any, domain: str) -> None:
    client.update_domain(DomainName="acme", DefaultExpirationDays=90)
    assert put_loyalty_type(client)["ExpirationDays"] == 90


def test_update_checks_the_tag_limit_and_the_shape(client: Any, raw_client: Any, domain: str) -> None:
    client.update_domain(DomainName="acme", Tags={f"k{n}": "v" for n in range(50)})
    with bad_request("Domain acme would have 51 tags; at most 50 are allowed"):
        client.update_domain(DomainName="acme", Tags={"k50": "v"}, DefaultExpirationDays=7)
    assert client.get_domain(DomainName="acme")["DefaultExpirationDays"] == 365
    with bad_request(
        "1 validation error detected: Value '2000' at 'defaultExpirationDays' failed to satisfy constraint: "
        "Member must have value less than or equal to 1098"
    ):
        raw_client.update_domain(DomainName="acme", DefaultExpirationDays=2000)


def test_update_an_unknown_domain(client: Any) -> None:
    with not_found("Domain nowhere not found"):
        client.update_domain(DomainName="nowhere", DefaultExpirationDays=7)


def test_stats_count_profiles_objects_and_bytes(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    one = '{"card": "K-1", "phone": "+15550100001"}'
    two = '{"card": "K-2", "phone": "+15550100002"}'
    put_object(client, "Loyalty", one)
    put_object(client, "Loyalty", two)
    client.create_profile(DomainName="acme", FirstName="Ana")
    assert client.get_domain(DomainName="acme")["Stats"] == {
        "ProfileCount": 3,
        "MeteringProfileCount": 3,
        "ObjectCount": 2,
        "TotalSize": len(one) + len(two),
    }
