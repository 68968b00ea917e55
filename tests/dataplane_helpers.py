"""Helpers for the data plane tests: object types, objects and searches through a boto3 client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.exceptions import ClientError

DOMAIN = "acme"
ARN = "arn:aws:profile:us-east-1:123456789012:domains/acme"


def field(source: str, target: str | None = None, content_type: str | None = None) -> dict[str, str]:
    """An ObjectTypeField reading ``_source.<source>``."""
    out = {"Source": f"_source.{source}"}
    if target is not None:
        out["Target"] = f"_profile.{target}"
    if content_type is not None:
        out["ContentType"] = content_type
    return out


def key(*field_names: str, ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{"StandardIdentifiers": list(ids), "FieldNames": list(field_names)}]


def put_type(
    client: Any,
    name: str,
    fields: dict[str, Any],
    keys: dict[str, Any],
    allow: bool | None = True,
    domain: str = DOMAIN,
    **extra: Any,
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "DomainName": domain,
        "ObjectTypeName": name,
        "Description": f"{name} objects",
        "Fields": fields,
        "Keys": keys,
        **extra,
    }
    if allow is not None:
        params["AllowProfileCreation"] = allow
    return dict(client.put_profile_object_type(**params))


def put_loyalty_type(client: Any, name: str = "Loyalty", allow: bool = True, **extra: Any) -> dict[str, Any]:
    """Loyalty cards: a UNIQUE card number, a PROFILE phone (PHONE_NUMBER) and a plain member id."""
    return put_type(
        client,
        name,
        {
            "card": field("card"),
            "phone": field("phone", "PhoneNumber", "PHONE_NUMBER"),
            "member": field("member.id"),
            "first": field("name.first", "FirstName", "NAME"),
        },
        {
            "cardNumber": key("card", ids=("UNIQUE",)),
            "_phone": key("phone", ids=("PROFILE",)),
            "memberId": key("member"),
        },
        allow=allow,
        **extra,
    )


def put_object(client: Any, type_name: str, obj: Any, domain: str = DOMAIN) -> str:
    text = obj if isinstance(obj, str) else json.dumps(obj)
    response = client.put_profile_object(DomainName=domain, ObjectTypeName=type_name, Object=text)
    return str(response["ProfileObjectUniqueKey"])


def search(client: Any, key_name: str, *values: str, domain: str = DOMAIN) -> list[str]:
    """Ids of the profiles a single-key search finds, in result order."""
    response = client.search_profiles(DomainName=domain, KeyName=key_name, Values=list(values))
    return [item["ProfileId"] for item in response["Items"]]


def objects_of(client: Any, type_name: str, profile_id: str, domain: str = DOMAIN, **extra: Any) -> list[Any]:
    response = client.list_profile_objects(DomainName=domain, ObjectTypeName=type_name, ProfileId=profile_id, **extra)
    return [json.loads(item["Object"]) for item in response["Items"]]


@contextmanager
def raises(code: str, message: str) -> Iterator[None]:
    """The block fails with the modelled error ``code`` and exactly ``message``."""
    with pytest.raises(ClientError) as info:
        yield
    error = info.value.response["Error"]
    got = (error["Code"], error["Message"])
    assert got == (code, message), f"expected {(code, message)!r}\n     got {got!r}"


def bad_request(message: str) -> Any:
    return raises("BadRequestException", message)


def not_found(message: str) -> Any:
    return raises("ResourceNotFoundException", message)
