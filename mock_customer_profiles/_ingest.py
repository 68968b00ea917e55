"""Ingestion of one object: the path that PutProfileObject and every item of BatchPutProfileObject take.

In order; every check comes before the first write, so a rejected object leaves nothing behind:

1. Read each field of the object type from the object: a ``_source.a.b`` accessor, or a Handlebars
   expression (``_sources``). Only scalar values count; a missing one leaves the field unset. A spread
   (``_source.line_items[].title``) fills the items of a standard object's list (``_standard_records``).
2. Each key's value: the values of its ``FieldNames`` joined in order with single spaces (unset when any
   of them is unset). The UNIQUE key must have a value ("All the fields that make up the UNIQUE keys are
   required ... or it is rejected", page "Standard identifiers").
3. The profile (page "Profile matching and inferred profiles"): the one holding the earlier object with
   the same UNIQUE value; else each primary PROFILE key (and LOOKUP_ONLY and NEW_ONLY keys, which exist to
   find profiles) in the order of the type's ``Keys``: exactly one profile found attaches the object; more
   than one is ambiguous, "that key is discarded and the next is tried"; none, the next is tried. Then the
   SECONDARY keys the same way. "If no key produces a single match, the outcome depends on
   AllowProfileCreation": a new profile, or the object goes to the domain's dead-letter queue (the call
   still succeeds: matching happens after the call is accepted).
4. Map the fields with a ``Target`` onto the profile. A value never overwrites a field set through the API
   (page "Additional properties of object types": ingestion "will not overwrite fields manually populated
   through an API call"); it fills empty fields, and replaces a value an object wrote before when its type
   has the better ``SourcePriority`` (lower; none is the lowest), or at equal priority when its source
   timestamp (``SourceLastUpdatedTimestampFormat``) is not older, or, without timestamps, always (the later
   object wins). A value the field cannot hold goes to the field's string twin (``GenderString``,
   ``PartyTypeString``) or is left out, and a mapping note says why: mapping never rejects an object.
   A profile that ingestion creates also gets ``EmailAddress`` / ``PhoneNumber`` from the first
   ``EMAIL_ADDRESS`` / ``PHONE_NUMBER`` field with a value, target or not (page "Inferred profiles").
5. Store the object (its expiry fixed now) and the key values: all but LOOKUP_ONLY, NEW_ONLY only on a
   profile this object created, each with the matching rule of its fields' ContentType.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mock_customer_profiles import _changes, _sources, _standard_records
from mock_customer_profiles._backend import (
    DIRECT,
    Domain,
    FieldSource,
    Held,
    KeySpec,
    ObjectType,
    Profile,
    StoredObject,
    normalise,
)
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._expiry import expire_object_at, retention_days
from mock_customer_profiles._schema import input_validator

if TYPE_CHECKING:
    from mock_customer_profiles._handlers import Context

MAX_OBJECT_BYTES = 256_000  # 250 KB
MAX_OBJECTS_PER_PROFILE = 1000
TIMESTAMP_FIELD = "sourceLastUpdatedTimestamp"
# A mapped value the standard field cannot hold is kept in the field's string twin, where the model has one.
Note = tuple[str, str, str, str | None]  # a value that does not fit its field: (target, value, reason, stored in)
STRING_TWINS = {"Gender": "GenderString", "PartyType": "PartyTypeString"}

Path = tuple[str, ...]


@dataclass(frozen=True)
class DeadLetter:
    """An object that no profile took and that could not create one: AWS writes it to the domain's
    dead-letter queue (``DeadLetterQueueUrl``, ``None`` when the domain has none); the mock keeps it here."""

    domain: str
    object_type: str
    object: str
    reason: str
    profile_object_unique_key: str
    queue_url: str | None
    at: dt.datetime


@dataclass(frozen=True)
class MappingNote:
    """A mapped value that the standard field it targets cannot hold (``Gender`` "M"): kept in
    ``stored_in`` (the string twin, such as ``GenderString``) or, when ``None``, left out."""

    domain: str
    object_type: str
    profile_id: str
    target: str
    value: str
    reason: str
    stored_in: str | None


# ------------------------------------------------------------------------------------------- reading


def key_value(spec: KeySpec, values: dict[str, str | None]) -> str | None:
    parts = [values.get(name) for name in spec.field_names]
    if any(part is None for part in parts):
        return None
    return " ".join(part for part in parts if part is not None)


def parse_object(text: str) -> tuple[dict[str, Any], int]:
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


def source_time(value: str | None) -> dt.datetime | None:
    """The object's source timestamp: ISO 8601 text, or epoch seconds (milliseconds above 10^11)."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.timezone.utc)
    try:
        return dt.datetime.fromtimestamp(number / 1000 if number > 1e11 else number, dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


# ---------------------------------------------------------------------------------------- matching


def find_profile(domain: Domain, values: dict[KeySpec, str]) -> tuple[Profile | None, list[str]]:
    """The profile the object's keys find (page "Profile matching and inferred profiles"), and, when none,
    what each key found (the reason of a dead letter)."""
    tried: list[str] = []
    for secondary in (False, True):
        for spec, value in values.items():
            if not spec.finds_profile or spec.secondary != secondary:
                continue
            found = domain.index.lookup(spec.name, value)
            if len(found) == 1:
                return domain.profiles[found.pop()], tried
            tried.append(f"{spec.name}: {'ambiguous, ' + str(len(found)) + ' profiles' if found else 'no profile'}")
    return None, tried


# ----------------------------------------------------------------------------------------- mapping


def _target_path(target: str) -> Path | None:
    from mock_customer_profiles._handlers.object_types import parse_target

    return parse_target(target)


def _nest(path: Path, value: str) -> dict[str, Any]:
    return {path[0]: value} if len(path) == 1 else {path[0]: {path[1]: value}}


def _fits(domain: Domain, document: dict[str, Any]) -> str | None:
    """``None`` when a profile can hold these fields, else the validation message."""
    try:
        input_validator("CreateProfile").check({"DomainName": domain.name, **document})
    except BadRequest as error:
        return error.message
    return None


def mapped_values(
    domain: Domain, object_type: ObjectType, values: dict[str, str | None]
) -> tuple[list[tuple[Path, str]], list[Note]]:
    """The (path, value) pairs the object writes on the standard profile, and the notes of values that do
    not fit their field ``(target, value, reason, stored in)``."""
    pairs: list[tuple[Path, str]] = []
    for field_name, definition in object_type.fields.items():
        target, value = definition.get("Target"), values.get(field_name)
        if target is None or value is None:
            continue
        path = _target_path(target)
        if path is not None:
            pairs.append((path, value))
    if not pairs:
        return pairs, []
    whole: dict[str, Any] = {}
    for path, value in pairs:
        if len(path) == 1:
            whole[path[0]] = value
        else:
            whole.setdefault(path[0], {})[path[1]] = value
    if _fits(domain, whole) is None:
        return pairs, []
    fitting: list[tuple[Path, str]] = []
    notes: list[tuple[str, str, str, str | None]] = []
    for path, value in pairs:
        reason = _fits(domain, _nest(path, value))
        if reason is None:
            fitting.append((path, value))
            continue
        twin = STRING_TWINS.get(path[0]) if len(path) == 1 else None
        if twin is not None and _fits(domain, {twin: value}) is None:
            fitting.append(((twin,), value))
        else:
            twin = None
        notes.append(("_profile." + ".".join(path), value, reason, twin))
    return fitting, notes


def inferred_contacts(object_type: ObjectType, values: dict[str, str | None]) -> list[tuple[Path, str]]:
    """``EmailAddress`` and ``PhoneNumber`` of a profile that ingestion creates: the first field typed
    ``EMAIL_ADDRESS`` / ``PHONE_NUMBER`` with a value, "even if the fields do not have a target"."""
    found: dict[str, str] = {}
    wanted = {"EMAIL_ADDRESS": "EmailAddress", "PHONE_NUMBER": "PhoneNumber"}
    for field_name, definition in object_type.fields.items():
        standard = wanted.get(definition.get("ContentType", ""))
        value = values.get(field_name)
        if standard is not None and value is not None and standard not in found:
            found[standard] = value
    return [((name,), value) for name, value in found.items()]


def apply_mapping(
    profile: Profile | None, pairs: list[tuple[Path, str]], source: FieldSource
) -> tuple[dict[str, Any], dict[str, FieldSource]]:
    """The profile's fields and field sources after the object's values, by the overwrite rules."""
    current = profile.fields if profile is not None else {}
    fields = {key: (dict(value) if isinstance(value, dict) else value) for key, value in current.items()}
    sources = dict(profile.ingested) if profile is not None else {}
    for path, value in pairs:
        name = ".".join(path)
        present = path[0] in fields if len(path) == 1 else path[1] in fields.get(path[0], {})
        if present:
            earlier = sources.get(name)
            if earlier is None or not earlier.yields_to(source):
                continue  # set through the API, or by an object of better standing
        if len(path) == 1:
            fields[path[0]] = value
        else:
            fields.setdefault(path[0], {})[path[1]] = value
        sources[name] = source
    return fields, sources


def mapped_profile(
    domain: Domain, object_type: ObjectType, values: dict[str, str | None], profile: Profile | None, source: FieldSource
) -> tuple[dict[str, Any], dict[str, FieldSource], list[Note]]:
    """The fields and field sources of ``profile`` (``None``: the profile the values create, which also takes
    the inferred contacts) after the mapped ``values``, and the notes of values that do not fit (nothing is
    written)."""
    pairs, notes = mapped_values(domain, object_type, values)
    if profile is None:
        taken = {path for path, _ in pairs}
        pairs += [(path, value) for path, value in inferred_contacts(object_type, values) if path not in taken]
    fields, sources = apply_mapping(profile, pairs, source)
    return fields, sources, notes


def write_profile(
    domain: Domain, profile: Profile | None, fields: dict[str, Any], sources: dict[str, FieldSource]
) -> tuple[Profile, bool]:
    """The mapped fields written on ``profile``, or on a new one; returns it, and whether an existing
    profile's fields changed."""
    changed = profile is not None and fields != profile.fields
    if profile is None:
        profile = domain.add_profile(fields)
    else:
        profile.fields = fields
    profile.ingested = sources
    return profile, changed


def announce(
    ctx: Context, domain: Domain, profile: Profile, where: str, notes: list[Note], *, created: bool, changed: bool
) -> None:
    """After a mapping was written: its notes as ``MappingNote`` side effects (``where``: the object type, or
    the upload job), then the profile's CREATED, or UPDATED when its fields changed."""
    for target, value, reason, stored_in in notes:
        note = MappingNote(domain.name, where, profile.profile_id, target, value, reason, stored_in)
        ctx.effects.record("MappingNote", note)
    content = {"ProfileId": profile.profile_id, **profile.fields}
    if created or changed:
        ctx.emit(Change(_changes.CREATED if created else _changes.UPDATED, domain, profile.profile_id, content=content))


# ---------------------------------------------------------------------------------------- ingestion


def ingest(ctx: Context, domain: Domain, object_type: ObjectType, text: str) -> str:
    """Ingest ``text`` as an object of ``object_type``; returns its ``ProfileObjectUniqueKey``."""
    document, size = parse_object(text)
    values = {
        name: _sources.read_source(definition["Source"], document) for name, definition in object_type.fields.items()
    }
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
        profile, tried = find_profile(domain, key_values)
        if profile is None and not object_type.allow_profile_creation:
            return _dead_letter(ctx, domain, object_type, text, tried)
        if profile is not None:
            _check_room(profile, object_type)
    now = dt.datetime.now(dt.timezone.utc)
    created = profile is None
    timestamp = values.get(TIMESTAMP_FIELD) if object_type.config.get("SourceLastUpdatedTimestampFormat") else None
    source = FieldSource(object_type.name, object_type.config.get("SourcePriority"), source_time(timestamp))
    fields, sources, notes = mapped_profile(domain, object_type, values, profile, source)
    # The standard objects the object fills (_asset, _airSegment, ...): found, or rejected, before any write.
    standard = _standard_records.plan(object_type, values, key_values, profile, document)
    if standard.rejected is not None:
        return _dead_letter(ctx, domain, object_type, text, reason=standard.rejected)
    notes += standard.notes

    # ------------------------------------------------------------------ every check passed: write
    profile, fields_changed = write_profile(domain, profile, fields, sources)
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
    expire_object_at(domain, stored, retention_days(domain, object_type.config.get("ExpirationDays")), now)
    domain.reindex(profile)
    announce(ctx, domain, profile, object_type.name, notes, created=created, changed=fields_changed)
    ctx.emit(
        Change(
            _changes.INGESTED,
            domain,
            profile.profile_id,
            object_type.name,
            document,
            unique_key=unique_key,
            # The object's text, and whether it replaced an earlier one by its UNIQUE key (stream records say
            # CREATED or UPDATED).
            detail={"Object": text, "replaced": previous is not None},
        )
    )
    _standard_records.apply(ctx, domain, profile, standard)
    return unique_key


def _check_room(profile: Profile, object_type: ObjectType) -> None:
    if profile.object_count() >= MAX_OBJECTS_PER_PROFILE:
        raise BadRequest(f"Profile {profile.profile_id} already has the maximum of {MAX_OBJECTS_PER_PROFILE} objects")
    limit = object_type.config.get("MaxProfileObjectCount")
    if limit is not None and len(profile.objects.get(object_type.name, {})) >= limit:
        raise BadRequest(
            f"Profile {profile.profile_id} already has the maximum of {limit} objects "
            f"of type {object_type.name} (MaxProfileObjectCount)"
        )


def _dead_letter(
    ctx: Context,
    domain: Domain,
    object_type: ObjectType,
    text: str,
    tried: list[str] | None = None,
    reason: str | None = None,
) -> str:
    """The object goes to the domain's dead-letter queue: "If it is not true then the ingested object is
    created and written to the domain dead-letter queue" (page "Additional properties of object types").
    ``reason``: another rejection after the call was accepted (a standard object matched ambiguously)."""
    if reason is None:
        found = "; ".join(tried) if tried else "the object has no profile key value"
        reason = (
            f"No single profile matches the object ({found}), and object type {object_type.name} "
            "does not allow profile creation (AllowProfileCreation is false)"
        )
    unique_key = uuid.uuid4().hex
    letter = DeadLetter(
        domain.name,
        object_type.name,
        text,
        reason,
        unique_key,
        domain.config.get("DeadLetterQueueUrl"),
        dt.datetime.now(dt.timezone.utc),
    )
    ctx.effects.record("DeadLetter", letter)
    return unique_key
