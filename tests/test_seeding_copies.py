"""Seeding helpers and seed documents store copies: changing what was passed in, or what a test did to the
stored data, never reaches another activation or the caller's objects."""

from __future__ import annotations

from typing import Any

from mock_customer_profiles import mock_customer_profiles

ARN = "arn:aws:profile:us-east-1:123456789012:domains/acme"


def test_create_domain_copies_its_tags() -> None:
    tags = {"team": "crm"}
    with mock_customer_profiles() as cp:
        cp.create_domain("acme", Tags=tags)
        tags["team"] = "changed"
        tags["new"] = "x"
        client = cp.client()
        assert client.list_tags_for_resource(resourceArn=ARN)["tags"] == {"team": "crm"}
        assert client.get_domain(DomainName="acme")["Tags"] == {"team": "crm"}


def test_create_profile_copies_its_address_and_attributes() -> None:
    address = {"City": "Lagos"}
    attributes = {"tier": "gold"}
    with mock_customer_profiles() as cp:
        cp.create_domain("acme")
        profile_id = cp.create_profile("acme", FirstName="Ana", Address=address, Attributes=attributes)
        address["City"] = "Paris"
        attributes["tier"] = "lead"
        found = cp.client().search_profiles(DomainName="acme", KeyName="_profileId", Values=[profile_id])
        [profile] = found["Items"]
        assert profile["Address"] == {"City": "Lagos"}
        assert profile["Attributes"] == {"tier": "gold"}


def _profile(client: Any) -> dict[str, Any]:
    found = client.search_profiles(DomainName="acme", KeyName="_fullName", Values=["Ana"])
    return dict(found["Items"][0])


def test_a_seed_document_is_the_same_for_every_activation() -> None:
    seeded = mock_customer_profiles(
        seed={
            "domains": [
                {
                    "DomainName": "acme",
                    "Tags": {"team": "crm"},
                    "profiles": [{"FirstName": "Ana", "Address": {"City": "Lagos"}, "Attributes": {"tier": "gold"}}],
                }
            ]
        }
    )
    with seeded as cp:
        client = cp.client()
        profile = _profile(client)
        client.update_profile(
            DomainName="acme",
            ProfileId=profile["ProfileId"],
            Address={"City": "Paris", "Country": "FR"},
            Attributes={"tier": "lead", "extra": "x"},
        )
        client.tag_resource(resourceArn=ARN, tags={"more": "y"})
    with seeded as cp:
        client = cp.client()
        profile = _profile(client)
        assert profile["Address"] == {"City": "Lagos"}
        assert profile["Attributes"] == {"tier": "gold"}
        assert client.get_domain(DomainName="acme")["Tags"] == {"team": "crm"}
