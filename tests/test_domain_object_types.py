"""Domain object types: only a domain with its data store enabled may create one (reference notes §6.4)."""

from __future__ import annotations

from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

FIELDS = {"amount": {"Source": "_source.amount", "Target": "_orders.amount", "ContentType": "NUMBER"}}


@pytest.fixture
def store(client: Any) -> str:
    client.create_domain(DomainName="store", DefaultExpirationDays=365, DataStore={"Enabled": True})
    return "store"


def test_put_get_list_delete(client: Any, store: str) -> None:
    put = client.put_domain_object_type(
        DomainName=store, ObjectTypeName="Orders", Fields=FIELDS, Description="Orders", Tags={"a": "1"}
    )
    assert (put["ObjectTypeName"], put["Fields"], put["Description"], put["Tags"]) == (
        "Orders",
        FIELDS,
        "Orders",
        {"a": "1"},
    )
    got = client.get_domain_object_type(DomainName=store, ObjectTypeName="Orders")
    assert got["Fields"] == FIELDS
    assert got["CreatedAt"] == put["CreatedAt"]
    again = client.put_domain_object_type(DomainName=store, ObjectTypeName="Orders", Fields=FIELDS, Tags={"b": "2"})
    assert "Description" not in again  # Put replaces the members given
    assert again["Tags"] == {"a": "1", "b": "2"}
    [item] = client.list_domain_object_types(DomainName=store)["Items"]
    assert item["ObjectTypeName"] == "Orders"
    assert "Fields" not in item
    client.delete_domain_object_type(DomainName=store, ObjectTypeName="Orders")
    with not_found("Domain object type Orders not found in domain store"):
        client.get_domain_object_type(DomainName=store, ObjectTypeName="Orders")
    assert client.list_domain_object_types(DomainName=store)["Items"] == []


def test_a_new_one_needs_the_data_store_and_an_existing_one_survives_its_disabling(client: Any, domain: str) -> None:
    with bad_request(
        "To create a new DomainObjectType, Data Store needs to be enabled on the Domain: domain acme has no "
        "DataStore with Enabled true (CreateDomain or UpdateDomain)"
    ):
        client.put_domain_object_type(DomainName="acme", ObjectTypeName="Orders", Fields=FIELDS)
    client.update_domain(DomainName="acme", DataStore={"Enabled": True})
    client.put_domain_object_type(DomainName="acme", ObjectTypeName="Orders", Fields=FIELDS)
    client.update_domain(DomainName="acme", DataStore={"Enabled": False})
    updated = client.put_domain_object_type(DomainName="acme", ObjectTypeName="Orders", Fields=FIELDS, Description="d")
    assert updated["Description"] == "d"


def test_names_are_apart_from_profile_object_types(client: Any, store: str) -> None:
    client.put_domain_object_type(DomainName=store, ObjectTypeName="Orders", Fields=FIELDS)
    assert client.list_profile_object_types(DomainName=store)["Items"] == []
    with not_found("Object type Orders not found in domain store"):
        client.get_profile_object_type(DomainName=store, ObjectTypeName="Orders")


def test_a_source_must_read_the_object(client: Any, store: str) -> None:
    with bad_request("Field amount of domain object type Orders: Source must be _source.<path>, not amount"):
        client.put_domain_object_type(
            DomainName=store, ObjectTypeName="Orders", Fields={"amount": {"Source": "amount", "Target": "_orders.a"}}
        )


def test_list_pages(client: Any, store: str) -> None:
    for name in ("C", "A", "B"):
        client.put_domain_object_type(DomainName=store, ObjectTypeName=name, Fields=FIELDS)
    first = client.list_domain_object_types(DomainName=store, MaxResults=2)
    rest = client.list_domain_object_types(DomainName=store, MaxResults=2, NextToken=first["NextToken"])
    assert [item["ObjectTypeName"] for item in first["Items"] + rest["Items"]] == ["A", "B", "C"]
