"""MergeProfiles: keys, objects and fields move to the main profile; the merged profiles are deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found, objects_of, put_loyalty_type, put_object, search

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

UNKNOWN_ID = "0" * 32


def fields_of(client: Any, pid: str) -> dict[str, Any]:
    (profile,) = client.batch_get_profile(DomainName="acme", ProfileIds=[pid])["Profiles"]
    return {k: v for k, v in profile.items() if k != "ProfileId"}


def test_every_key_value_of_the_merged_profiles_finds_the_main_profile(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    main = make_profile(FirstName="Ana", LastName="Silva", EmailAddress="ana@example.com")
    dup = make_profile(
        FirstName="Ana",
        LastName="S.",
        EmailAddress="ana.s@example.org",
        MobilePhoneNumber="+15550100001",
        AccountNumber="ACC-9",
    )
    client.add_profile_key(DomainName="acme", ProfileId=dup, KeyName="_orderId", Values=["O-1"])
    response = client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[dup])
    assert response["Message"] == f"Merged 1 profile(s) into profile {main}"
    assert search(client, "_email", "ana.s@example.org") == [main]
    assert search(client, "_email", "ana@example.com") == [main]
    assert search(client, "_phone", "+15550100001") == [main]
    assert search(client, "_account", "ACC-9") == [main]
    assert search(client, "_fullName", "Ana S.") == [main]
    assert search(client, "_orderId", "O-1") == [main]
    assert search(client, "_profileId", dup) == []
    errors = client.batch_get_profile(DomainName="acme", ProfileIds=[dup])["Errors"]
    assert [e["ProfileId"] for e in errors] == [dup]
    assert client.get_domain(DomainName="acme")["Stats"]["ProfileCount"] == 1


def test_fields_are_unioned_and_the_main_profile_wins(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    main = make_profile(FirstName="Ana", Attributes={"tier": "gold"}, Address={"City": "Lisbon"})
    one = make_profile(
        FirstName="Anna", LastName="Silva", Attributes={"tier": "silver", "pet": "cat"}, Address={"Country": "PT"}
    )
    two = make_profile(LastName="Sylva", BirthDate="1990-01-01", Attributes={"lang": "pt"})
    client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[one, two])
    assert fields_of(client, main) == {
        "FirstName": "Ana",
        "LastName": "Silva",
        "BirthDate": "1990-01-01",
        "Address": {"City": "Lisbon"},
        "Attributes": {"tier": "gold", "pet": "cat", "lang": "pt"},
    }
    # the main profile's own values still find it
    assert search(client, "_fullName", "Ana Silva") == [main]
    assert search(client, "_fullName", "Anna Silva") == [main]
    assert search(client, "_fullName", "Sylva") == [main]


def test_field_source_profile_ids_name_the_winner_even_without_a_value(
    client: Any, domain: str, make_profile: Callable[..., str]
) -> None:
    main = make_profile(
        FirstName="Ana", EmailAddress="ana@example.com", BusinessName="Acme", Attributes={"tier": "gold", "x": "1"}
    )
    other = make_profile(FirstName="Anna", EmailAddress="anna@example.org", Attributes={"tier": "silver"})
    client.merge_profiles(
        DomainName="acme",
        MainProfileId=main,
        ProfileIdsToBeMerged=[other],
        FieldSourceProfileIds={
            "EmailAddress": other,
            "BusinessName": other,  # the source has none: the merged profile has none
            "FirstName": main,
            "Attributes": {"tier": other, "x": other},
        },
    )
    assert fields_of(client, main) == {
        "FirstName": "Ana",
        "EmailAddress": "anna@example.org",
        "Attributes": {"tier": "silver"},
    }
    # the email the main profile had before keeps finding it, like every merged value
    assert search(client, "_email", "ana@example.com") == [main]
    assert search(client, "_email", "anna@example.org") == [main]


def test_objects_move_to_the_main_profile(client: Any, domain: str, make_profile: Callable[..., str]) -> None:
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    k2 = put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100002", "member": {"id": "M-2"}})
    put_object(client, "Loyalty", {"card": "K-3", "phone": "+15550100001"})
    (main,) = search(client, "cardNumber", "K-1")
    (other,) = search(client, "cardNumber", "K-2")
    client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[other])
    assert [obj["card"] for obj in objects_of(client, "Loyalty", main)] == ["K-3", "K-2", "K-1"]
    assert search(client, "cardNumber", "K-2") == [main]
    assert search(client, "memberId", "M-2") == [main]
    assert search(client, "_phone", "555-010-0002") == [main]
    # a moved object still owns its key values
    client.delete_profile_object(DomainName="acme", ProfileId=main, ObjectTypeName="Loyalty", ProfileObjectUniqueKey=k2)
    assert search(client, "memberId", "M-2") == []
    # and the same UNIQUE value now replaces the object on the main profile
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100009"})
    assert search(client, "cardNumber", "K-1") == [main]
    assert client.get_domain(DomainName="acme")["Stats"]["ObjectCount"] == 2


def test_rules_of_the_request(client: Any, domain: str, make_profile: Callable[..., str]) -> None:
    main, other, third = (make_profile(FirstName=name) for name in ("Ana", "Ben", "Carl"))
    with bad_request(f"The main profile {main} is also in ProfileIdsToBeMerged"):
        client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[other, main])
    with bad_request(f"ProfileIdsToBeMerged names profile {other} more than once"):
        client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[other, other])
    with bad_request(
        f"FieldSourceProfileIds.FirstName names profile {third}, which is neither the main profile "
        "nor one of the profiles to be merged"
    ):
        client.merge_profiles(
            DomainName="acme",
            MainProfileId=main,
            ProfileIdsToBeMerged=[other],
            FieldSourceProfileIds={"FirstName": third},
        )
    with bad_request(
        f"FieldSourceProfileIds.Attributes.tier names profile {third}, which is neither the main profile "
        "nor one of the profiles to be merged"
    ):
        client.merge_profiles(
            DomainName="acme",
            MainProfileId=main,
            ProfileIdsToBeMerged=[other],
            FieldSourceProfileIds={"Attributes": {"tier": third}},
        )
    with not_found(f"Profile {UNKNOWN_ID} not found in domain acme"):
        client.merge_profiles(DomainName="acme", MainProfileId=UNKNOWN_ID, ProfileIdsToBeMerged=[other])
    with not_found(f"Profile {UNKNOWN_ID} not found in domain acme"):
        client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[other, UNKNOWN_ID])
    with not_found("Domain nowhere not found"):
        client.merge_profiles(DomainName="nowhere", MainProfileId=main, ProfileIdsToBeMerged=[other])
    # nothing was merged by the rejected calls
    assert client.get_domain(DomainName="acme")["Stats"]["ProfileCount"] == 3
    assert search(client, "_fullName", "Ben") == [other]


def test_at_most_twenty_profiles_at_once(raw_client: Any, domain: str, make_profile: Callable[..., str]) -> None:
    main = make_profile(FirstName="Main")
    others = [make_profile(FirstName=f"P{n}") for n in range(21)]
    with bad_request(
        "1 validation error detected: Value '["
        + ", ".join(others)
        + "]' at 'profileIdsToBeMerged' failed to satisfy constraint: "
        "Member must have length less than or equal to 20"
    ):
        raw_client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=others)
    raw_client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=others[:20])
    assert search(raw_client, "_fullName", "P19") == [main]
    assert raw_client.get_domain(DomainName="acme")["Stats"]["ProfileCount"] == 2
