"""Domain layouts: Version counts updates, at most one default layout per domain (reference notes §6.3)."""

from __future__ import annotations

from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found

from mock_customer_profiles import SeedError

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

LAYOUT = '{"sections": [{"title": "Contact", "fields": ["EmailAddress"]}]}'


def create(client: Any, name: str, **params: Any) -> dict[str, Any]:
    params = {"Description": "Agent view", "DisplayName": "Agent view", "LayoutType": "PROFILE_EXPLORER", **params}
    return dict(client.create_domain_layout(DomainName="acme", LayoutDefinitionName=name, Layout=LAYOUT, **params))


def test_create_get_update_delete(client: Any, domain: str) -> None:
    created = create(client, "agent", Tags={"team": "support"})
    assert created["Version"] == "1"
    assert created["IsDefault"] is False
    assert created["Layout"] == LAYOUT  # kept as given
    got = client.get_domain_layout(DomainName="acme", LayoutDefinitionName="agent")
    assert {k: v for k, v in got.items() if k != "ResponseMetadata"} == {
        k: v for k, v in created.items() if k != "ResponseMetadata"
    }
    updated = client.update_domain_layout(DomainName="acme", LayoutDefinitionName="agent", Description="New")
    assert (updated["Version"], updated["Description"], updated["DisplayName"]) == ("2", "New", "Agent view")
    assert updated["Tags"] == {"team": "support"}
    again = client.update_domain_layout(DomainName="acme", LayoutDefinitionName="agent", Layout="{}")
    assert again["Version"] == "3"
    assert again["LastUpdatedAt"] >= again["CreatedAt"]
    assert "agent" in client.delete_domain_layout(DomainName="acme", LayoutDefinitionName="agent")["Message"]
    with not_found("Layout agent not found in domain acme"):
        client.get_domain_layout(DomainName="acme", LayoutDefinitionName="agent")


def test_a_name_is_taken_once(client: Any, domain: str) -> None:
    create(client, "agent")
    with bad_request("Layout agent already exists in domain acme"):
        create(client, "agent")


def test_at_most_one_layout_of_a_domain_is_the_default(client: Any, domain: str) -> None:
    create(client, "one", IsDefault=True)
    create(client, "two", IsDefault=True)

    def defaults() -> list[str]:
        items = client.list_domain_layouts(DomainName="acme")["Items"]
        return [item["LayoutDefinitionName"] for item in items if item["IsDefault"]]

    assert defaults() == ["two"]
    client.update_domain_layout(DomainName="acme", LayoutDefinitionName="one", IsDefault=True)
    assert defaults() == ["one"]
    client.update_domain_layout(DomainName="acme", LayoutDefinitionName="one", IsDefault=False)
    assert defaults() == []


def test_list_items_have_no_layout_nor_version_and_page(client: Any, domain: str) -> None:
    for name in ("c", "a", "b"):
        create(client, name)
    first = client.list_domain_layouts(DomainName="acme", MaxResults=2)
    rest = client.list_domain_layouts(DomainName="acme", MaxResults=2, NextToken=first["NextToken"])
    items = first["Items"] + rest["Items"]
    assert [item["LayoutDefinitionName"] for item in items] == ["a", "b", "c"]
    assert all("Layout" not in item and "Version" not in item for item in items)


def test_unknown_layouts_and_domains(client: Any, domain: str) -> None:
    with not_found("Layout x not found in domain acme"):
        client.update_domain_layout(DomainName="acme", LayoutDefinitionName="x", Description="d")
    with not_found("Layout x not found in domain acme"):
        client.delete_domain_layout(DomainName="acme", LayoutDefinitionName="x")
    with not_found("Domain nope not found"):
        client.list_domain_layouts(DomainName="nope")


def test_a_seed_document_declares_layouts_and_domain_object_types(mock: Any, client: Any) -> None:
    mock.load(
        {
            "domains": [
                {
                    "DomainName": "store",
                    "DataStore": {"Enabled": True},
                    "layouts": [
                        {
                            "LayoutDefinitionName": "agent",
                            "Description": "Agent view",
                            "DisplayName": "Agent view",
                            "LayoutType": "PROFILE_EXPLORER",
                            "Layout": LAYOUT,
                            "IsDefault": True,
                        }
                    ],
                    "domainObjectTypes": [
                        {"ObjectTypeName": "Orders", "Fields": {"a": {"Source": "_source.a", "Target": "_orders.a"}}}
                    ],
                }
            ]
        }
    )
    assert client.get_domain_layout(DomainName="store", LayoutDefinitionName="agent")["IsDefault"] is True
    assert (
        client.get_domain_object_type(DomainName="store", ObjectTypeName="Orders")["Fields"]["a"]["Source"]
        == "_source.a"
    )


def test_a_seed_that_the_handlers_refuse_loads_nothing(mock: Any, client: Any) -> None:
    seed = {"domains": [{"DomainName": "nostore", "domainObjectTypes": [{"ObjectTypeName": "O", "Fields": {}}]}]}
    with pytest.raises(SeedError, match=r"PutDomainObjectType rejected domains\[0\]\.domainObjectTypes\[0\]"):
        mock.load(seed)
    assert client.list_domains()["Items"] == []


def test_tags_of_layouts_and_domain_object_types_through_their_arns(client: Any, domain: str) -> None:
    create(client, "agent", Tags={"a": "1"})
    arn = "arn:aws:profile:us-east-1:123456789012:domains/acme"
    client.tag_resource(resourceArn=f"{arn}/layouts/agent", tags={"b": "2"})
    assert client.get_domain_layout(DomainName="acme", LayoutDefinitionName="agent")["Tags"] == {"a": "1", "b": "2"}
    client.update_domain(DomainName="acme", DataStore={"Enabled": True})
    client.put_domain_object_type(
        DomainName="acme", ObjectTypeName="Orders", Fields={"a": {"Source": "_source.a", "Target": "_orders.a"}}
    )
    client.tag_resource(resourceArn=f"{arn}/domain-object-types/Orders", tags={"c": "3"})
    assert client.list_tags_for_resource(resourceArn=f"{arn}/domain-object-types/Orders")["tags"] == {"c": "3"}
    client.untag_resource(resourceArn=f"{arn}/layouts/agent", tagKeys=["a"])
    assert client.list_tags_for_resource(resourceArn=f"{arn}/layouts/agent")["tags"] == {"b": "2"}
    with not_found(f"Resource {arn}/layouts/other not found: layout other is not in domain acme"):
        client.list_tags_for_resource(resourceArn=f"{arn}/layouts/other")
