"""Object types: PutProfileObjectType (an upsert), GetProfileObjectType, ListProfileObjectTypes,
DeleteProfileObjectType."""

from __future__ import annotations

import copy
from typing import Any

from mock_customer_profiles import _sources, _standard_records
from mock_customer_profiles._backend import (
    EMAIL,
    EXACT,
    NAME,
    PHONE,
    PREDEFINED_KEYS,
    Domain,
    KeySpec,
    ObjectType,
    now,
)
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.profiles import ADDRESS_FIELDS
from mock_customer_profiles._paging import page_of_names
from mock_customer_profiles._standard import check_mapping
from mock_customer_profiles._standard import parse_target as parse_standard_target
from mock_customer_profiles._tags import given, stamped, taggable
from mock_customer_profiles._templates import TEMPLATES

DOCS_PAGE = "families/ingestion.md"  # where the docs describe these operations (see _coverage.py)

MAX_KEYS = 10
MAX_TYPES = 100

# Where a field may write on the standard profile (the CreateProfile members).
PROFILE_TEXT_FIELDS = frozenset(
    {
        "AccountNumber",
        "AdditionalInformation",
        "PartyType",
        "BusinessName",
        "FirstName",
        "MiddleName",
        "LastName",
        "BirthDate",
        "Gender",
        "PhoneNumber",
        "MobilePhoneNumber",
        "HomePhoneNumber",
        "BusinessPhoneNumber",
        "EmailAddress",
        "PersonalEmailAddress",
        "BusinessEmailAddress",
        "PartyTypeString",
        "GenderString",
        "ProfileType",
    }
)
ADDRESS_PARTS = frozenset(
    {"Address1", "Address2", "Address3", "Address4", "City", "County", "State", "Province", "Country", "PostalCode"}
)
TARGET_PREFIX = "_profile."
_ROUTING = ("DomainName", "ObjectTypeName")


def object_type_of(domain: Domain, name: str, *, standard: bool = True) -> ObjectType:
    """The object type ``name`` of the domain; with ``standard`` (for reading objects), a standard object
    name (``_asset``, ``_airSegment``, ...) gives a read-only type of that standard object."""
    object_type = domain.object_types.get(name)
    if object_type is None and standard:
        object_type = _standard_records.readable_type(domain, name)
    if object_type is None:
        raise NotFound(f"Object type {name} not found in domain {domain.name}")
    return object_type


@taggable("object-types", "Object type")
def _tagged(domain: Domain, name: str) -> ObjectType | None:
    return domain.object_types.get(name)


def parse_target(target: str) -> tuple[str, ...] | None:
    """``_profile.FirstName`` -> ``("FirstName",)``, ``_profile.Address.City`` -> ``("Address", "City")``,
    ``_profile.Attributes.tier`` -> ``("Attributes", "tier")``; ``None`` for anything else."""
    if not target.startswith(TARGET_PREFIX):
        return None
    path = target[len(TARGET_PREFIX) :]
    head, _, rest = path.partition(".")
    if head in PROFILE_TEXT_FIELDS and not rest:
        return (head,)
    if head in ADDRESS_FIELDS and rest in ADDRESS_PARTS:
        return (head, rest)
    if head == "Attributes" and rest:
        return (head, rest)
    return None


def _is_list_item(target: str | None) -> bool:
    """Whether ``target`` is an item field of a standard object's list (``_order.OrderItems[].Title``)."""
    if target is None or target.startswith(TARGET_PREFIX):
        return False
    try:
        return any(isinstance(step, int) for step in parse_standard_target(target).path)
    except BadRequest:
        return True  # not a field of a standard object: check_mapping refuses the Target and says why


def _key_kind(field_names: list[str], fields: dict[str, dict[str, str]], lenient: bool) -> str:
    """The matching rule of a key: its fields' ContentType when they all agree, else exact."""
    types = {fields[name].get("ContentType", "STRING") for name in field_names}
    if types == {"PHONE_NUMBER"}:
        return PHONE
    if types == {"EMAIL_ADDRESS"} and lenient:
        return EMAIL
    if types == {"NAME"} and lenient:
        return NAME
    return EXACT


def compile_keys(
    type_name: str, fields: dict[str, dict[str, str]], keys: dict[str, list[dict[str, Any]]], lenient: bool
) -> tuple[KeySpec, ...]:
    """Check Fields and Keys against the ingestion rules and compile the keys; ``BadRequest`` on a rule broken."""
    for field_name, definition in fields.items():
        source = definition.get("Source")
        if source is None:
            raise BadRequest(f"Field {field_name} of object type {type_name} has no Source")
        target = definition.get("Target")
        if target is not None and "{{" in target:
            # AWS's Campaign-Email template writes _communicationRecord.Events.{{...}} ("Mapping Campaign objects to
            # the standard communication record"): the mock does not evaluate a Target; it refuses it.
            raise BadRequest(
                f"mock_customer_profiles: Field {field_name} of object type {type_name}: Target {target} has a "
                "Handlebars expression, which the mock does not evaluate in a Target (docs/families/ingestion.md, "
                '"Sources")'
            )
        _sources.check(type_name, field_name, source, target, _is_list_item(target))
        if target is not None and target.startswith(TARGET_PREFIX) and parse_target(target) is None:
            raise BadRequest(
                f"Field {field_name} of object type {type_name}: Target {target} is not a standard profile field "
                "(_profile.<Field>, _profile.<Address>.<Part> or _profile.Attributes.<Name>)"
            )
    specs: list[KeySpec] = []
    for key_name, entries in keys.items():
        if key_name.startswith("_") and key_name not in PREDEFINED_KEYS:
            raise BadRequest(
                f"Key name {key_name} is reserved: custom key names may not start with '_' "
                "(only the predefined keys do)"
            )
        if not entries:
            raise BadRequest(f"Key {key_name} of object type {type_name} has no definition")
        for entry in entries:
            field_names = entry.get("FieldNames") or []
            if not field_names:
                raise BadRequest(f"Key {key_name} of object type {type_name} has no FieldNames")
            for field_name in field_names:
                if field_name not in fields:
                    raise BadRequest(
                        f"Key {key_name} of object type {type_name} refers to field {field_name}, "
                        "which is not in Fields"
                    )
                if _sources.spread_of(fields[field_name]["Source"]) is not None:
                    raise BadRequest(
                        f"mock_customer_profiles: Key {key_name} of object type {type_name} refers to field "
                        f"{field_name}, whose Source spreads an array: a key takes one value per object"
                    )
            identifiers = frozenset(entry.get("StandardIdentifiers") or ())
            specs.append(KeySpec(key_name, identifiers, tuple(field_names), _key_kind(field_names, fields, lenient)))
    if len(specs) > MAX_KEYS:
        raise BadRequest(f"Object type {type_name} has {len(specs)} keys; at most {MAX_KEYS} are allowed")
    unique = [spec.name for spec in specs if spec.unique]
    if len(unique) != 1:
        raise BadRequest(
            f"Object type {type_name} must have exactly one key with the UNIQUE identifier, found {len(unique)}"
        )
    check_mapping(type_name, fields, specs)  # targets of standard objects (_asset, _airSegment, ...)
    return tuple(specs)


def describe(domain: Domain, object_type: ObjectType) -> dict[str, Any]:
    """The Put/Get output: the members as given, the effective Fields and Keys, times and tags."""
    config = object_type.config
    out: dict[str, Any] = {
        "ObjectTypeName": object_type.name,
        **config,
        "ExpirationDays": config.get("ExpirationDays", domain.config["DefaultExpirationDays"]),
        "AllowProfileCreation": object_type.allow_profile_creation,
        "Fields": copy.deepcopy(object_type.fields),
        "Keys": copy.deepcopy(object_type.keys),
        **stamped(object_type),
    }
    return out


@handler("PutProfileObjectType")
def put_profile_object_type(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    name = params["ObjectTypeName"]
    if name.startswith("_"):
        raise BadRequest(
            f"Object type name {name} is reserved: custom object type names may not start with '_' "
            "(those are the standard object types)"
        )
    template_id = params.get("TemplateId")
    given_fields, given_keys = params.get("Fields"), params.get("Keys")
    by_template = template_id is not None and given_fields is None and given_keys is None
    by_mapping = template_id is None and given_fields is not None and given_keys is not None
    if not (by_template or by_mapping):
        raise BadRequest("Either TemplateId or both Fields and Keys must be given, not all three")
    if template_id is not None:
        # "If these attributes are present in the request, the service may return a BadRequestException.
        # These attributes include: AllowProfileCreation, SourceLastUpdatedTimestampFormat, Fields, and Keys"
        # (PutProfileObjectType, TemplateId): the stricter mock does, for any value of them.
        for member in ("AllowProfileCreation", "SourceLastUpdatedTimestampFormat"):
            if member in params:
                raise BadRequest(
                    f"{member} cannot be given with TemplateId: the template's own value applies "
                    f"(template {template_id})"
                )
        template = TEMPLATES.get(template_id)
        if template is None:
            raise BadRequest(f"Template {template_id} does not exist")
        fields, keys = copy.deepcopy(template["Fields"]), copy.deepcopy(template["Keys"])
        default_creation = bool(template["AllowProfileCreation"])
    else:
        fields, keys = copy.deepcopy(given_fields), copy.deepcopy(given_keys)
        default_creation = False
    specs = compile_keys(name, fields, keys, domain.lenient)

    existing = domain.object_types.get(name)
    if existing is None and len(domain.object_types) >= MAX_TYPES:
        raise BadRequest(f"Domain {domain.name} already has the maximum of {MAX_TYPES} object types")
    tags = given(params, f"Object type {name}", existing.tags if existing else None)
    config = {key: value for key, value in params.items() if key not in (*_ROUTING, "Fields", "Keys", "Tags")}
    config.pop("AllowProfileCreation", None)
    allow = params.get("AllowProfileCreation", default_creation)
    stamp = now()
    if existing is None:
        object_type = ObjectType(name, config, fields, keys, specs, allow, stamp, stamp, tags)
        domain.object_types[name] = object_type
    else:
        object_type = existing
        object_type.config, object_type.fields, object_type.keys = config, fields, keys
        object_type.specs, object_type.allow_profile_creation = specs, allow
        object_type.updated_at, object_type.tags = stamp, tags
    return describe(domain, object_type)


@handler("GetProfileObjectType", keeps_params=False)
def get_profile_object_type(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    return describe(domain, object_type_of(domain, params["ObjectTypeName"], standard=False))


@handler("ListProfileObjectTypes", keeps_params=False)
def list_profile_object_types(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    names, more = page_of_names(
        ctx.backend.token_secret, ["ListProfileObjectTypes", domain.name], params, domain.object_types
    )
    items = []
    for name in names:
        object_type = domain.object_types[name]
        item: dict[str, Any] = {
            "ObjectTypeName": name,
            "Description": object_type.config["Description"],
            **stamped(object_type),
        }
        for member in ("MaxProfileObjectCount", "SourcePriority"):
            if member in object_type.config:
                item[member] = object_type.config[member]
        items.append(item)
    return {"Items": items, **more}


@handler("DeleteProfileObjectType")
def delete_profile_object_type(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    object_type = object_type_of(domain, params["ObjectTypeName"], standard=False)
    domain.remove_object_type(object_type)
    return {"Message": f"Object type {object_type.name} deleted"}
