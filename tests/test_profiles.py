"""CreateProfile, UpdateProfile, DeleteProfile through boto3, and the index following each write."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

MakeProfile = Callable[..., str]


def find(client: Any, key: str, value: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.search_profiles(DomainName="acme", KeyName=key, Values=[value])["Items"]
    return items


def test_create_profile_returns_only_a_32_hex_profile_id(client: Any, domain: str) -> None:
    response = client.create_profile(DomainName=domain, FirstName="Ana")
    assert set(response) == {"ProfileId", "ResponseMetadata"}
    assert re.fullmatch(r"[0-9a-f]{32}", response["ProfileId"])
    assert client.create_profile(DomainName=domain)["ProfileId"] != response["ProfileId"]


def test_create_profile_in_unknown_domain(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.create_profile(DomainName="nowhere", FirstName="Ana")
    assert caught.value.response["Error"]["Message"] == "Domain nowhere not found"


def test_update_replaces_given_fields_keeps_omitted_ones(client: Any, make_profile: MakeProfile) -> None:
    pid = make_profile(FirstName="Ana", LastName="Silva", EmailAddress="ana@example.com")
    assert client.update_profile(DomainName="acme", ProfileId=pid, LastName="Costa")["ProfileId"] == pid
    [item] = find(client, "_profileId", pid)
    assert (item["FirstName"], item["LastName"], item["EmailAddress"]) == ("Ana", "Costa", "ana@example.com")


def test_update_with_empty_string_removes_the_field(client: Any, make_profile: MakeProfile) -> None:
    pid = make_profile(FirstName="Ana", AccountNumber="A-1", EmailAddress="ana@example.com")
    client.update_profile(DomainName="acme", ProfileId=pid, AccountNumber="", EmailAddress="")
    [item] = find(client, "_profileId", pid)
    assert "AccountNumber" not in item
    assert "EmailAddress" not in item
    assert find(client, "_account", "A-1") == []
    assert find(client, "_email", "ana@example.com") == []


def test_update_merges_attributes_and_address_parts(client: Any, make_profile: MakeProfile) -> None:
    pid = make_profile(
        Attributes={"tier": "gold", "pet": "cat"}, Address={"City": "Lisbon", "Country": "PT", "PostalCode": "1000"}
    )
    client.update_profile(
        DomainName="acme",
        ProfileId=pid,
        Attributes={"tier": "silver", "pet": "", "lang": "pt"},
        Address={"City": "Porto", "PostalCode": ""},
    )
    [item] = find(client, "_profileId", pid)
    assert item["Attributes"] == {"tier": "silver", "lang": "pt"}
    assert item["Address"] == {"City": "Porto", "Country": "PT"}
    client.update_profile(DomainName="acme", ProfileId=pid, Attributes={"tier": "", "lang": ""})
    [item] = find(client, "_profileId", pid)
    assert "Attributes" not in item


def test_update_reindexes_standard_keys_at_once(client: Any, make_profile: MakeProfile) -> None:
    pid = make_profile(
        FirstName="Ana", LastName="Silva", PhoneNumber="+15550000001", EmailAddress="old@example.com", AccountNumber="A"
    )
    client.update_profile(
        DomainName="acme",
        ProfileId=pid,
        PhoneNumber="+15550000002",
        BusinessEmailAddress="work@example.com",
        EmailAddress="new@example.com",
        MiddleName="Maria",
        AccountNumber="B",
    )
    assert find(client, "_phone", "+15550000001") == []
    assert [i["ProfileId"] for i in find(client, "_phone", "+15550000002")] == [pid]
    assert find(client, "_email", "old@example.com") == []
    assert [i["ProfileId"] for i in find(client, "_email", "new@example.com")] == [pid]
    assert [i["ProfileId"] for i in find(client, "_email", "work@example.com")] == [pid]
    assert find(client, "_fullName", "Ana Silva") == []
    assert [i["ProfileId"] for i in find(client, "_fullName", "Ana Maria Silva")] == [pid]
    assert find(client, "_account", "A") == []
    assert [i["ProfileId"] for i in find(client, "_account", "B")] == [pid]


def test_update_keeps_a_value_shared_by_two_fields_indexed(client: Any, make_profile: MakeProfile) -> None:
    pid = make_profile(PhoneNumber="+15550000001", MobilePhoneNumber="+15550000001")
    client.update_profile(DomainName="acme", ProfileId=pid, PhoneNumber="")
    assert [i["ProfileId"] for i in find(client, "_phone", "+15550000001")] == [pid]


def test_update_unknown_profile_is_not_found(client: Any, domain: str) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.update_profile(DomainName=domain, ProfileId="0" * 32, FirstName="Ana")
    assert caught.value.response["Error"]["Message"] == f"Profile {'0' * 32} not found in domain acme"


def test_delete_profile_removes_it_and_its_keys(client: Any, make_profile: MakeProfile) -> None:
    pid = make_profile(EmailAddress="ana@example.com", PhoneNumber="+15550000001")
    keep = make_profile(EmailAddress="ana@example.com")
    response = client.delete_profile(DomainName="acme", ProfileId=pid)
    assert response["Message"] == f"Profile {pid} deleted"
    assert [i["ProfileId"] for i in find(client, "_email", "ana@example.com")] == [keep]
    assert find(client, "_phone", "+15550000001") == []
    assert find(client, "_profileId", pid) == []
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_profile(DomainName="acme", ProfileId=pid)
    assert client.get_domain(DomainName="acme")["Stats"]["ProfileCount"] == 1
