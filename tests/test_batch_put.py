"""BatchPutProfileObject: 1 to 10 items of one object type, each through the same path as
PutProfileObject, each landing in ``Successful`` or ``Failed``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found, objects_of, put_loyalty_type, search

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)


def item(item_id: str, obj: Any) -> dict[str, str]:
    return {"Id": item_id, "Object": obj if isinstance(obj, str) else json.dumps(obj)}


def batch(client: Any, *items: dict[str, str], type_name: str = "Loyalty", domain: str = "acme") -> dict[str, Any]:
    answer = client.batch_put_profile_object(DomainName=domain, ObjectTypeName=type_name, Items=list(items))
    return {"Successful": answer["Successful"], "Failed": answer["Failed"]}


def test_each_item_goes_through_the_put_path_in_order(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    answer = batch(
        client,
        item("first", {"card": "K-1", "phone": "+15550100001", "name": {"first": "Ana"}}),
        item("broken", "not json"),
        item("no-card", {"phone": "+15550100001"}),
        item("second", {"card": "K-2", "phone": "(555) 010-0001"}),
        item("again", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}}),
    )
    assert answer["Failed"] == [
        {"Id": "broken", "Code": 400, "Message": "The Object is not valid JSON"},
        {
            "Id": "no-card",
            "Code": 400,
            "Message": "The object has no value for the UNIQUE key cardNumber (fields: card)",
        },
    ]
    first, second, again = answer["Successful"]
    assert [first["Id"], second["Id"], again["Id"]] == ["first", "second", "again"]
    assert again["ProfileObjectUniqueKey"] == first["ProfileObjectUniqueKey"]  # the same card replaces
    (pid,) = search(client, "cardNumber", "K-1")  # the second item found the profile the first created
    assert [obj["card"] for obj in objects_of(client, "Loyalty", pid)] == ["K-1", "K-2"]
    assert search(client, "memberId", "M-1") == [pid]


def test_at_most_ten_items_each_with_its_own_id(raw_client: Any, client: Any, domain: str) -> None:
    put_loyalty_type(client)
    items = [item(f"i{n}", {"card": f"K-{n}", "phone": "+15550100001"}) for n in range(11)]
    with pytest.raises(raw_client.exceptions.BadRequestException) as raised:
        raw_client.batch_put_profile_object(DomainName="acme", ObjectTypeName="Loyalty", Items=items)
    assert "Member must have length less than or equal to 10" in raised.value.response["Error"]["Message"]
    assert len(batch(client, *items[:10])["Successful"]) == 10
    with bad_request("Items names Id i1 more than once; each item needs its own Id"):
        batch(client, items[1], item("i1", {"card": "K-99", "phone": "+15550100001"}))
    assert search(client, "cardNumber", "K-99") == []


def test_unknown_domain_or_object_type_fail_the_whole_call(client: Any, domain: str) -> None:
    card = item("a", {"card": "K-1"})
    with not_found("Object type Loyalty not found in domain acme"):
        batch(client, card)
    with not_found("Domain nowhere not found"):
        batch(client, card, domain="nowhere")
