"""BatchGetProfile: found profiles in Profiles, unknown ids in Errors, never raised."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

UNKNOWN_ID = "0" * 32


def test_found_profiles_come_back_as_stored_and_unknown_ids_as_errors(
    client: Any, make_profile: Callable[..., str]
) -> None:
    ana = make_profile(FirstName="Ana", Address={"City": "Lisbon"}, Attributes={"tier": "gold"})
    ben = make_profile(FirstName="Ben", PhoneNumber="+1 555 010 0001")
    response = client.batch_get_profile(DomainName="acme", ProfileIds=[ben, UNKNOWN_ID, ana, ben])
    assert response["Profiles"] == [
        {"ProfileId": ben, "FirstName": "Ben", "PhoneNumber": "+1 555 010 0001"},
        {"ProfileId": ana, "FirstName": "Ana", "Address": {"City": "Lisbon"}, "Attributes": {"tier": "gold"}},
    ]
    assert response["Errors"] == [
        {
            "Code": "ResourceNotFoundException",
            "Message": f"Profile {UNKNOWN_ID} not found in domain acme",
            "ProfileId": UNKNOWN_ID,
        }
    ]


def test_a_deleted_profile_is_an_error_entry(client: Any, make_profile: Callable[..., str]) -> None:
    pid = make_profile(FirstName="Ana")
    client.delete_profile(DomainName="acme", ProfileId=pid)
    response = client.batch_get_profile(DomainName="acme", ProfileIds=[pid])
    assert response["Profiles"] == []
    assert [error["ProfileId"] for error in response["Errors"]] == [pid]


def test_one_to_twenty_ids(raw_client: Any, domain: str) -> None:
    ids = [f"{n:032x}" for n in range(21)]
    with bad_request(
        "1 validation error detected: Value '["
        + ", ".join(ids)
        + "]' at 'profileIds' failed to satisfy constraint: Member must have length less than or equal to 20"
    ):
        raw_client.batch_get_profile(DomainName="acme", ProfileIds=ids)
    with bad_request(
        "1 validation error detected: Value '[]' at 'profileIds' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    ):
        raw_client.batch_get_profile(DomainName="acme", ProfileIds=[])
    assert len(raw_client.batch_get_profile(DomainName="acme", ProfileIds=ids[:20])["Errors"]) == 20


def test_unknown_domain(client: Any) -> None:
    with not_found("Domain nowhere not found"):
        client.batch_get_profile(DomainName="nowhere", ProfileIds=[UNKNOWN_ID])
