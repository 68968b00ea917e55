"""Objects: PutProfileObject (the ingestion rules), ListProfileObjects, DeleteProfileObject.

Ingestion of one object, in order (every check comes before the first write, so a rejected object
leaves nothing behind):

1. Read each field of the object type from the object: a ``_source.a.b`` accessor, or a text with
   ``{{_source.a.b}}`` placeholders. Only scalar values count; a missing one leaves the field unset.
2. Each key's value: the values of its ``FieldNames`` joined in order with single spaces (unset when any
   of them is unset). The UNIQUE key must have a value.
3. The profile: the one holding the earlier object with the same UNIQUE value, else the profiles that
   the PROFILE keys (and LOOKUP_ONLY and NEW_ONLY keys) find; SECONDARY keys only when the others found
   none. One profile: attach; several: reject; none: create one when the type allows it, else reject.
4. Map the fields with a ``Target`` onto the profile (the object's values win) and store the key values:
   all but LOOKUP_ONLY, NEW_ONLY only on a profile this object created, each with the matching rule of
   its fields' ContentType.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import (
    DIRECT,
    Domain,
    Held,
    KeySpec,
    ObjectType,
    Profile,
    StoredObject,
    normalise,
)
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.object_types import SOURCE_PREFIX, object_type_of, parse_target
from mock_customer_profiles._handlers.profiles import view
from mock_customer_profiles._paging import paginate
from mock_customer_profiles._schema import input_validator

DOCS_PAGE = "families/ingestion.md"  # where the docs describe these operations (see _coverage.py)

MAX_OBJECT_BYTES = 256_000  # 250 KB
MAX_OBJECTS_PER_PROFILE = 1000
LIST_DEFAULT_PAGE = 100
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


# ------------------------------------------------------------------------------------------- reading


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return None  # null, objects and lists are not field values


def read_path(path: str, document: Any) -> str | None:
    """The scalar at ``_source.a.b.0.c`` in ``document`` (list items by index), as text."""
    if not path.startswith(SOURCE_PREFIX):
        return None
    node = document
    for part in path[len(SOURCE_PREFIX) :].split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return _scalar_text(node)


def read_source(source: str, document: Any) -> str | None:
    """A field's value: an accessor, or a text whose ``{{_source...}}`` placeholders all have values."""
    if "{{" not in source:
        return read_path(source, document)
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        value = read_path(match.group(1), document)
        if value is None:
            missing = True
            return ""
        return value

    text = _PLACEHOLDER.sub(fill, source)
    return None if missing or not text else text


def key_value(spec: KeySpec, values: dict[str, str | None]) -> str | None:
    parts = [values.get(name) for name in spec.field_names]
    if any(part is None for part in parts):
        return None
    return " ".join(part for part in parts if part is not None)


# ---------------------------------------------------------------------------------------- ingestion


def _parse_object(text: str) -> tuple[dict[str, Any], int]:
    size = len(text.encode("utf-8"))
    if size > MAX_OBJECT_BYTES:
        raise BadRequest(f"The object is {size} bytes; at most {MAX_OBJECT_BYTES} bytes (250 KB) are allowed")
    try:
        document = json.loads(text)
    except ValueError:
        raise BadRequest("The Object is not valid JSON") from None
    if not isinstance(document, dict):
        raise BadRequest("The Object must be a JSON object")
    return document, size


def _find_profile(domain: Domain, values: dict[KeySpec, str]) -> Profile | None:
    for secondary in (False, True):
        found: set[str] = set()
        for spec, value in values.items():
            if spec.finds_profile and spec.secondary == secondary:
                found |= domain.index.lookup(spec.name, value)
        if len(found) > 1:
            keys = sorted({spec.name for spec in values if spec.finds_profile and spec.secondary == secondary})
            raise BadRequest(
                f"The object matches {len(found)} profiles through its profile keys ({', '.join(keys)}); "
                "an object must match exactly one"
            )
        if found:
            return domain.profiles[found.pop()]
    return None


def _mapped_fields(
    domain: Domain, object_type: ObjectType, current: dict[str, Any], values: dict[str, str | None]
) -> dict[str, Any]:
    """The profile's fields with the object's mapped values written over them (validated)."""
    fields = {key: (dict(value) if isinstance(value, dict) else value) for key, value in current.items()}
    changed = False
    for field_name, definition in object_type.fields.items():
        target, value = definition.get("Target"), values.get(field_name)
        if target is None or value is None:
            continue
        path = parse_target(target)
        if path is None:  # pragma: no cover - targets are checked when the type is put
            continue
        if len(path) == 1:
            fields[path[0]] = value
        else:
            fields.setdefault(path[0], {})[path[1]] = value
        changed = True
    if changed:
        try:
            input_validator("CreateProfile").check({"DomainName": domain.name, **fields})
        except BadRequest as error:
            raise BadRequest(f"The object maps values the profile cannot hold: {error.message}") from None
    return fields


@handler("PutProfileObject")
def put_profile_object(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    object_type = object_type_of(domain, params["ObjectTypeName"])
    text = params["Object"]
    document, size = _parse_object(text)

    values = {name: read_source(definition["Source"], document) for name, definition in object_type.fields.items()}
    key_values = {spec: value for spec in object_type.specs if (value := key_value(spec, values)) is not None}
    unique_spec = next(spec for spec in object_type.specs if spec.unique)
    unique_value = key_values.get(unique_spec)
    if unique_value is None:
        raise BadRequest(
            f"The object has no value for the UNIQUE key {unique_spec.name} "
            f"(fields: {', '.join(unique_spec.field_names)})"
        )
    unique_norm = normalise(unique_spec.kind, unique_value)

    previous_key = object_type.unique_index.get(unique_norm)
    previous = object_type.objects[previous_key] if previous_key is not None else None
    profile: Profile | None
    if previous is not None:
        profile = domain.profiles[previous.profile_id]
    else:
        profile = _find_profile(domain, key_values)
        if profile is None and not object_type.allow_profile_creation:
            raise BadRequest(
                f"No profile matches the object's profile keys, and object type {object_type.name} "
                "does not allow profile creation (AllowProfileCreation is false)"
            )
        if profile is not None:
            if profile.object_count() >= MAX_OBJECTS_PER_PROFILE:
                raise BadRequest(
                    f"Profile {profile.profile_id} already has the maximum of {MAX_OBJECTS_PER_PROFILE} objects"
                )
            limit = object_type.config.get("MaxProfileObjectCount")
            if limit is not None and len(profile.objects.get(object_type.name, {})) >= limit:
                raise BadRequest(
                    f"Profile {profile.profile_id} already has the maximum of {limit} objects "
                    f"of type {object_type.name} (MaxProfileObjectCount)"
                )
    fields = _mapped_fields(domain, object_type, profile.fields if profile else {}, values)

    # ------------------------------------------------------------------ every check passed: write
    created = profile is None
    fields_changed = profile is not None and fields != profile.fields
    if profile is None:
        profile = domain.add_profile(fields)
    else:
        profile.fields = fields
    held: dict[Held, None] = {}
    for spec, value in key_values.items():
        if "LOOKUP_ONLY" in spec.identifiers:
            continue
        if "NEW_ONLY" in spec.identifiers:
            if created:
                profile.hold(spec.name, value, spec.kind, DIRECT)
            continue
        held[(spec.name, value, spec.kind)] = None
    filter_values: dict[str, list[tuple[str, str]]] = {}
    for spec, value in key_values.items():
        filter_values.setdefault(spec.name, []).append((value, spec.kind))
    unique_key = previous.unique_key if previous is not None else uuid.uuid4().hex
    if previous is not None:
        domain.detach_object(profile, previous)
    stored = StoredObject(
        unique_key,
        object_type.name,
        profile.profile_id,
        text,
        size,
        domain.next_object_seq(),
        unique_norm,
        filter_values,
        tuple(held),
    )
    domain.attach_object(profile, stored)
    domain.reindex(profile)
    if created:
        ctx.emit(Change(_changes.CREATED, domain, profile.profile_id, content=view(profile)))
    elif fields_changed:
        ctx.emit(Change(_changes.UPDATED, domain, profile.profile_id, content=view(profile)))
    ctx.emit(Change(_changes.INGESTED, domain, profile.profile_id, object_type.name, document, unique_key=unique_key))
    return {"ProfileObjectUniqueKey": unique_key}


# --------------------------------------------------------------------------------- list and delete


def _filter_matches(obj: StoredObject, key: str, wanted: list[str]) -> bool:
    return any(
        normalise(kind, value) == normalise(kind, raw) for raw, kind in obj.key_values.get(key, ()) for value in wanted
    )


@handler("ListProfileObjects", keeps_params=False)
def list_profile_objects(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    object_type = object_type_of(domain, params["ObjectTypeName"])
    profile = ctx.profile(domain, params["ProfileId"])
    object_filter = params.get("ObjectFilter")
    if object_filter is not None and all(spec.name != object_filter["KeyName"] for spec in object_type.specs):
        raise BadRequest(f"Object type {object_type.name} has no key {object_filter['KeyName']}")
    scope = ["ListProfileObjects", domain.name, object_type.name, profile.profile_id, object_filter]
    held = profile.objects.get(object_type.name, {})
    page, more = paginate(
        ctx.backend.token_secret,
        scope,
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [
            obj
            for obj in reversed(held.values())  # newest first
            if (after is None or obj.seq < after)
            and (object_filter is None or _filter_matches(obj, object_filter["KeyName"], object_filter["Values"]))
        ],
        lambda obj: obj.seq,
    )
    items = [
        {"ObjectTypeName": obj.type_name, "ProfileObjectUniqueKey": obj.unique_key, "Object": obj.body} for obj in page
    ]
    return {"Items": items, **more}


@handler("DeleteProfileObject")
def delete_profile_object(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    object_type = object_type_of(domain, params["ObjectTypeName"])
    profile = ctx.profile(domain, params["ProfileId"])
    unique_key = params["ProfileObjectUniqueKey"]
    obj = profile.objects.get(object_type.name, {}).get(unique_key)
    if obj is None:
        raise NotFound(
            f"Profile object {unique_key} of type {object_type.name} not found in profile {profile.profile_id}"
        )
    domain.detach_object(profile, obj)
    domain.reindex(profile)
    ctx.emit(
        Change(
            _changes.DELETED_BY_CUSTOMER,
            domain,
            profile.profile_id,
            object_type.name,
            json.loads(obj.body),
            unique_key=unique_key,
        )
    )
    return {"Message": f"Profile object {unique_key} deleted"}
