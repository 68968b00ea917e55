"""Domain object types (the data store): PutDomainObjectType, GetDomainObjectType, DeleteDomainObjectType,
ListDomainObjectTypes.

"Create/Update a DomainObjectType in a Customer Profiles domain. To create a new DomainObjectType, Data Store
needs to be enabled on the Domain" (API reference, PutDomainObjectType): creating one in a domain whose
``DataStore.Enabled`` is not true is a ``BadRequestException``; updating one that exists is allowed. Their
names are apart from the profile object types' (a domain may have both ``Orders`` kinds). ``Put`` replaces
the members given (Fields, Description, EncryptionKey) and adds ``Tags`` to those it had.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles._backend import Domain, now
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._paging import page_of_names
from mock_customer_profiles._sources import SOURCE_PREFIX
from mock_customer_profiles._tags import given, stamped, taggable

DOCS_PAGE = "families/jobs.md"  # where the docs describe these operations (see _coverage.py)


@dataclass
class DomainObjectType:
    name: str
    members: dict[str, Any]  # Description, EncryptionKey, Fields, as given
    created_at: dt.datetime
    updated_at: dt.datetime
    tags: dict[str, str] = field(default_factory=dict)


class DomainObjectTypes:
    """The domain object types of one domain (``domain.family(DomainObjectTypes)``)."""

    def __init__(self) -> None:
        self.types: dict[str, DomainObjectType] = {}


@taggable("domain-object-types", "Domain object type")
def domain_object_type_by_name(domain: Domain, name: str) -> DomainObjectType | None:
    """The domain's domain object type ``name`` (``.get``: or ``ResourceNotFoundException``)."""
    return domain.peek(DomainObjectTypes).types.get(name)


def data_store_enabled(domain: Domain) -> bool:
    return bool((domain.config.get("DataStore") or {}).get("Enabled"))


def describe(object_type: DomainObjectType) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ObjectTypeName": object_type.name,
        **copy.deepcopy(object_type.members),
        **stamped(object_type),
    }
    return out


def _type(ctx: Context, params: Params) -> tuple[Domain, DomainObjectTypes, DomainObjectType]:
    domain = ctx.domain(params["DomainName"])
    object_type = domain_object_type_by_name.get(domain, params["ObjectTypeName"])  # a failed call creates no state
    return domain, domain.family(DomainObjectTypes), object_type


@handler("PutDomainObjectType")
def put_domain_object_type(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    known = domain.families.get(DomainObjectTypes)
    name = params["ObjectTypeName"]
    existing = known.types.get(name) if known is not None else None
    if existing is None and not data_store_enabled(domain):
        raise BadRequest(
            f"To create a new DomainObjectType, Data Store needs to be enabled on the Domain: domain {domain.name} "
            "has no DataStore with Enabled true (CreateDomain or UpdateDomain)"
        )
    for field_name, definition in params["Fields"].items():
        source = definition["Source"]
        if not source.startswith(SOURCE_PREFIX) or len(source) == len(SOURCE_PREFIX):
            raise BadRequest(
                f"Field {field_name} of domain object type {name}: Source must be {SOURCE_PREFIX}<path>, not {source}"
            )
    tags = given(params, f"Domain object type {name}", existing.tags if existing else None)
    members: dict[str, Any] = {
        m: copy.deepcopy(params[m]) for m in ("Description", "EncryptionKey", "Fields") if m in params
    }
    stamp = now()
    state = domain.family(DomainObjectTypes)
    if existing is None:
        object_type = state.types[name] = DomainObjectType(name, members, stamp, stamp, tags)
    else:
        object_type = existing
        object_type.members, object_type.updated_at, object_type.tags = members, stamp, tags
    return describe(object_type)


@handler("GetDomainObjectType", keeps_params=False)
def get_domain_object_type(ctx: Context, params: Params) -> Output:
    return describe(_type(ctx, params)[2])


@handler("DeleteDomainObjectType", keeps_params=False)
def delete_domain_object_type(ctx: Context, params: Params) -> Output:
    _, state, object_type = _type(ctx, params)
    del state.types[object_type.name]
    return {}


@handler("ListDomainObjectTypes", keeps_params=False)
def list_domain_object_types(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = domain.families.get(DomainObjectTypes) or DomainObjectTypes()
    names, more = page_of_names(ctx.backend.token_secret, ["ListDomainObjectTypes", domain.name], params, state.types)
    items = []
    for name in names:
        object_type = state.types[name]
        item: dict[str, Any] = {"ObjectTypeName": name}
        if "Description" in object_type.members:
            item["Description"] = object_type.members["Description"]
        item.update(stamped(object_type))
        items.append(item)
    return {"Items": items, **more}
