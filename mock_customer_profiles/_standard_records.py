"""Standard object records on profiles: ingestion, reading, merging (the schemas and the mapping rules
are in ``_standard.py``).

Ingestion (``_ingest.ingest``, for PutProfileObject and each item of BatchPutProfileObject) calls
:func:`plan` once the profile is decided and before its first write (the record look-ups, the one
rejection), and :func:`apply` after its own writes. For each standard object that the object type's
fields target (or whose identifier one of its keys carries):

1. The record is looked up on the object's profile through the keys that carry the standard object's
   identifier, in ``Keys`` order: the first key that finds exactly one record gives it; a key that
   finds several rejects the object ("If more than one record is found, the match is ambiguous and is
   rejected": matching happens after the call is accepted, so like an object that no profile takes it
   goes to the dead-letter queue); none means a new record, with a fresh system-managed ID (32 hex
   characters), when the object writes at least one of its fields.
2. The record is updated field by field: only the fields the object gives are written, a field whose
   source is empty is absent and never blanks a stored value ("it keeps fields previously written and
   updates only the fields the new object provides").
3. The record is stored on its profile like an object (``profile.objects["_airSegment"]``), its body
   the record's JSON document (its ID field, ``ProfileId`` and the written fields, nested as the
   standard object nests them), so ``ListProfileObjects(ObjectTypeName="_airSegment")`` and every
   family that reads a profile's objects by type name see it. It holds its predefined search keys
   (``_airSegmentId``, ``_airBookingRef``, ...) and the values of the identifier keys that reached
   it, so ``SearchProfiles`` finds the profile through them and the next object finds the record.

A mapped value that does not fit the field (a number field, an enumeration) is left out, and the reason
is kept on the mock as a ``MappingNote`` (``cp.effects("MappingNote")``, as for the standard profile):
fields are mapped after the call is accepted, so such a value never rejects the object.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_customer_profiles import _changes, _sources
from mock_customer_profiles._backend import EXACT, Domain, Held, KeySpec, ObjectType, Profile, StoredObject, normalise
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._standard import (
    BY_IDENTIFIER,
    PROFILE_TYPE,
    STANDARD_TYPES,
    Path,
    StandardType,
    coerce,
    is_standard,
    parse_target,
    write,
)

if TYPE_CHECKING:
    from mock_customer_profiles._handlers import Context


Note = tuple[str, str, str, None]  # a value left out: (target, value, reason, None), as _ingest notes them


@dataclass
class _Write:
    """What one ingested object does to one standard object of its profile."""

    standard: StandardType
    record: StoredObject | None  # the record found; None: a new one
    values: list[tuple[Path, Any]]
    identifiers: list[Held]  # the identifier key values that reach the record (kept unless LOOKUP_ONLY)


@dataclass
class Plan:
    """What one object does to the standard objects of its profile."""

    writes: list[_Write] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    rejected: str | None = None  # why the object is rejected (an identifier key matching several records)


# ----------------------------------------------------------------------------------------- ingestion


def refuse_put(name: str, operation: str = "PutProfileObject") -> None:
    """``PutProfileObject`` and ``BatchPutProfileObject`` never take a standard object type name (AWS:
    "You can't call PutProfileObject with _profile or any other standard object type name")."""
    if name == PROFILE_TYPE or is_standard(name):
        raise BadRequest(
            f"{name} is a standard object type: {operation} can't be called with a standard object type "
            f"name; map the fields of a custom object type to it (Target {name}.<Field>) instead"
        )


def _find(profile: Profile | None, standard: StandardType, spec: KeySpec, value: str) -> list[StoredObject]:
    """The records of ``standard`` on ``profile`` that ``value`` of key ``spec`` reached before."""
    if profile is None:
        return []
    records = profile.objects.get(standard.name)
    held = profile.extra_keys.get(spec.name)
    if not records or not held:
        return []
    wanted = normalise(spec.kind, value)
    found: dict[str, StoredObject] = {}
    for (raw, kind), sources in held.items():
        if normalise(kind, raw) != wanted:
            continue
        for source in sources:
            record = records.get(source)
            if record is not None:
                found[source] = record
    return list(found.values())


def plan(
    object_type: ObjectType,
    values: dict[str, str | None],
    key_values: dict[KeySpec, str],
    profile: Profile | None,
    document: Any = None,
) -> Plan:
    """What the object does to the standard objects of ``profile`` (``None``: the profile the object
    will create). Writes nothing. ``document``: the object, read again for the fields whose Source spreads
    an array over the items of a list (``_source.line_items[].title`` -> ``_order.OrderItems[].Title``)."""
    targets: dict[str, list[tuple[str, str, int | None]]] = {}  # standard type -> [(target, text, item)]
    for field_name, definition in object_type.fields.items():
        target = definition.get("Target")
        if target is None or target.startswith(PROFILE_TYPE + "."):
            continue
        entries = targets.setdefault(parse_target(target).standard.name, [])
        spread = _sources.spread_of(definition["Source"])
        if spread is not None:
            items = _sources.read_spread(spread, document)
            entries += [(target, text, index) for index, text in enumerate(items) if text is not None]
            continue
        text = values.get(field_name)
        if text is not None:
            entries.append((target, text, None))
    for spec in object_type.specs:
        for identifier in spec.identifiers:
            carried = BY_IDENTIFIER.get(identifier)
            if carried is not None:
                targets.setdefault(carried.name, [])
    planned = Plan()
    for name, mapped in targets.items():
        standard = STANDARD_TYPES[name]
        keys = [spec for spec in object_type.specs if standard.identifier in spec.identifiers]
        if not keys:  # only a communication record may go without: the object's UNIQUE key identifies it
            keys = [spec for spec in object_type.specs if spec.unique]
        given = [(spec, key_values[spec]) for spec in keys if spec in key_values]
        record: StoredObject | None = None
        for spec, value in given:
            found = _find(profile, standard, spec, value)
            if len(found) > 1:
                planned.rejected = (
                    f"The object's key {spec.name} matches {len(found)} {name} standard objects of profile "
                    f"{found[0].profile_id}: the match is ambiguous and is rejected"
                )
                return planned
            if found:
                record = found[0]
                break
        write_values: list[tuple[Path, Any]] = []
        for target, text, item in mapped:
            parsed = parse_target(target)
            value, why = coerce(parsed.leaf, text)
            if why is None:
                write_values.append((parsed.path if item is None else _at_item(parsed.path, item), value))
            else:
                planned.notes.append((target, text, f"{why}: the field was left out", None))
        if not given:
            if write_values:
                reason = (
                    f"the object has no value for any key with the standard identifier {standard.identifier}, "
                    f"so no {name} record can be identified: its fields were left out"
                )
                planned.notes.append((name, "", reason, None))
            continue
        if record is None and not write_values:
            continue  # an identifier with nothing to write and no record to reach: nothing happens
        identifiers = [(spec.name, value, spec.kind) for spec, value in given if "LOOKUP_ONLY" not in spec.identifiers]
        planned.writes.append(_Write(standard, record, write_values, identifiers))
    return planned


def _at_item(path: Path, item: int) -> Path:
    """``path`` with its list position set to ``item`` (``OrderItems[].Title`` of the ``item``-th element)."""
    return tuple(item if isinstance(step, int) else step for step in path)


def apply(ctx: Context, domain: Domain, profile: Profile, planned: Plan) -> None:
    """Write what :func:`plan` decided, on the profile the object was attached to, and report it."""
    if not planned.writes:
        return
    changes = [change for item in planned.writes if (change := _store(domain, profile, item)) is not None]
    domain.reindex(profile)
    for change in changes:
        ctx.emit(change)


def _store(domain: Domain, profile: Profile, item: _Write) -> Change | None:
    standard, old = item.standard, item.record
    if old is not None:
        document: dict[str, Any] = json.loads(old.body)
        unique_key = old.unique_key
        identifiers = {
            (key, raw, kind): None
            for key, pairs in old.key_values.items()
            if key not in standard.index
            for raw, kind in pairs
        }
    else:
        unique_key = uuid.uuid4().hex
        document = {standard.id_field: unique_key, "ProfileId": profile.profile_id}
        identifiers = {}
    changed = old is None
    for path, value in item.values:
        changed = write(document, path, value) or changed
    for held in item.identifiers:
        if held not in identifiers:
            identifiers[held] = None
            changed = True
    if not changed:
        return None
    key_values: dict[str, list[tuple[str, str]]] = {}
    for key, field_name in standard.index.items():
        value = document.get(field_name)
        if isinstance(value, str) and value:
            key_values[key] = [(value, EXACT)]
    held_values: list[Held] = [(key, raw, kind) for key, pairs in key_values.items() for raw, kind in pairs]
    for key, raw, kind in identifiers:
        key_values.setdefault(key, []).append((raw, kind))
        held_values.append((key, raw, kind))
    body = json.dumps(document, separators=(",", ":"))
    if old is not None:
        domain.detach_object(profile, old)
    record = StoredObject(
        unique_key,
        standard.name,
        profile.profile_id,
        body,
        len(body.encode("utf-8")),
        domain.next_object_seq(),
        unique_key,
        key_values,
        tuple(held_values),
    )
    domain.attach_object(profile, record)
    detail = {"Object": body}  # as for profile objects: the text history records keep
    return Change(
        _changes.INGESTED, domain, profile.profile_id, standard.name, document, unique_key=unique_key, detail=detail
    )


# ------------------------------------------------------------------------------------------- reading


def readable_type(domain: Domain, name: str) -> ObjectType | None:
    """A read-only object type for a standard object name (``ListProfileObjects``, ``DeleteProfileObject``
    and families that read a profile's objects by type name); ``None`` for any other name.

    Its keys are the ``ObjectFilter`` key names: the standard object's predefined keys and every key of the
    domain's object types that carries its identifier (AWS: "you can use _salesforceAssetId ... as an
    ObjectFilter.KeyName with the ListProfileObjects API to find a standard asset")."""
    standard = STANDARD_TYPES.get(name)
    if standard is None:
        return None
    specs = {key: KeySpec(key, frozenset(), (), EXACT) for key in standard.index}
    for object_type in domain.object_types.values():
        for spec in object_type.specs:
            if standard.identifier in spec.identifiers:
                specs.setdefault(spec.name, spec)
    stamp = domain.created_at
    config = {"Description": f"The standard object {name}"}
    return ObjectType(name, config, {}, {}, tuple(specs.values()), False, stamp, stamp)


def check_delete(ctx: Context, name: str) -> None:
    """``DeleteProfileObject`` of a standard object: allowed unless the mock's option says otherwise."""
    if is_standard(name) and not ctx.options.delete_standard_objects:
        raise BadRequest(f"{name} is a standard object type: its objects can't be deleted with DeleteProfileObject")


@_changes.subscribe
def _follow_merge(ctx: Context, change: Change) -> None:
    """The standard objects that a merge moved to the main profile name it in their ``ProfileId``."""
    if change.action != _changes.MERGED:
        return
    main = change.domain.profiles[change.profile_id]
    for name, records in main.objects.items():
        if not is_standard(name):
            continue
        for record in records.values():
            document = json.loads(record.body)
            if document.get("ProfileId") != main.profile_id:
                document["ProfileId"] = main.profile_id
                record.body = json.dumps(document, separators=(",", ":"))
