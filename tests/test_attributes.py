"""ListProfileAttributeValues for the standard profile attributes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)


def values_of(client: Any, name: str) -> list[str]:
    response = client.list_profile_attribute_values(DomainName="acme", AttributeName=name)
    assert (response["DomainName"], response["AttributeName"], response["StatusCode"]) == ("acme", name, 200)
    return [item["Value"] for item in response["Items"]]


def test_distinct_values_in_profile_order(client: Any, make_profile: Callable[..., str]) -> None:
    make_profile(FirstName="Ben", Gender="MALE", Address={"City": "Lagos"})
    make_profile(FirstName="Ana", Address={"City": "Lisbon"}, ShippingAddress={"City": "Porto"})
    make_profile(FirstName="Ben", Gender="FEMALE")
    assert values_of(client, "FirstName") == ["Ben", "Ana"]
    assert values_of(client, "Gender") == ["MALE", "FEMALE"]
    assert values_of(client, "Address.City") == ["Lagos", "Lisbon"]
    assert values_of(client, "ShippingAddress.City") == ["Porto"]
    assert values_of(client, "BirthDate") == []


@pytest.mark.parametrize("name", ["Attributes", "Nickname", "Address", "Address.Street", "ProfileId"])
def test_only_standard_attributes(client: Any, domain: str, name: str) -> None:
    with bad_request(
        f"Attribute {name} is not a standard profile attribute: use a profile field such as FirstName, "
        "or an address part such as Address.City"
    ):
        client.list_profile_attribute_values(DomainName="acme", AttributeName=name)


def test_unknown_domain(client: Any) -> None:
    with not_found("Domain nowhere not found"):
        client.list_profile_attribute_values(DomainName="nowhere", AttributeName="FirstName")
