"""In-memory state of the fake service: one ``Backend`` per account and region.

A domain keeps its profiles in creation order and a key index: key name -> matching rule -> normalised
value -> profile ids. Every write recomputes the index entries of the profile it touched and applies
the difference, so a search is a few dictionary look-ups whatever the size of the domain.

Besides the values its own fields give, a profile holds key values that came from ``AddProfileKey``,
from objects and from merged profiles. Each such value remembers the sources that hold it, so that
deleting an object (or its object type) removes only the values no other source still holds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mock_customer_profiles._standard import STANDARD_KEYS

T = TypeVar("T")


class FamilyState:
    """State that one family of operations keeps per domain (or per account and region), beside the
    family's own module instead of in this one: ``domain.family(SegmentState)`` is the one instance of
    ``SegmentState`` (made with no arguments on first use) of that domain, gone with the domain."""

    families: dict[type[Any], Any]

    def family(self, kind: type[T]) -> T:
        state = self.families.get(kind)
        if state is None:
            state = self.families[kind] = kind()
        return state

    def peek(self, kind: type[T]) -> T:
        """The family's state for reading: the kept one, or an empty one that is not kept (so a read, or a
        call that is then rejected, never leaves state behind)."""
        state = self.families.get(kind)
        return state if state is not None else kind()


# The documented predefined search keys (docs/families/search.md, "Predefined keys").
_DOCUMENTED_KEYS = frozenset(
    {
        "_account",
        "_profileId",
        "_assetId",
        "_caseId",
        "_orderId",
        "_fullName",
        "_phone",
        "_email",
        "_ctrContactId",
        "_marketoLeadId",
        "_salesforceAccountId",
        "_salesforceContactId",
        "_salesforceAssetId",
        "_zendeskUserId",
        "_zendeskExternalId",
        "_zendeskTicketId",
        "_serviceNowSystemId",
        "_serviceNowIncidentId",
        "_serviceNowTaskId",  # "Mapping ServiceNow objects to the standard case" (its Servicenow-task index)
        "_segmentUserId",
        "_shopifyCustomerId",
        "_shopifyOrderId",
    }
)
# ... and the keys of the standard objects: _assetName, _airSegmentId, _loyaltyId, ... (_standard.py).
PREDEFINED_KEYS = _DOCUMENTED_KEYS | STANDARD_KEYS
PHONE_FIELDS = ("PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber")
EMAIL_FIELDS = ("EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress")
NAME_FIELDS = ("FirstName", "MiddleName", "LastName")

# Matching rules ("kinds"): how a stored value and a searched value are compared.
EXACT, PHONE, EMAIL, NAME = "exact", "phone", "email", "name"
_NOT_DIGIT = re.compile(r"[^0-9]")
_SPACES = re.compile(r"\s+")


def normalise(kind: str, value: str) -> str:
    """The form under which a value of this kind is indexed and looked up.

    A value that folds to nothing (a phone number without digits, such as "n/a"; a name of spaces) keeps
    its raw form: it matches itself only, never every other such value."""
    if kind == PHONE:
        digits = _NOT_DIGIT.sub("", value)
        return (digits[1:] if len(digits) == 11 and digits.startswith("1") else digits) or value
    if kind == EMAIL:
        return value.casefold()
    if kind == NAME:
        return _SPACES.sub(" ", value).strip().casefold() or value
    return value


def full_name(fields: Mapping[str, Any]) -> str | None:
    """``_fullName``: the set parts of First, Middle and Last name, one space between them."""
    parts = [fields[name] for name in NAME_FIELDS if fields.get(name)]
    return " ".join(parts) if parts else None


Entry = tuple[str, str, str]  # (key name, kind, normalised value)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


Held = tuple[str, str, str]  # (key name, raw value, kind)

# The source of the key values a profile holds itself (AddProfileKey, NEW_ONLY keys of the object that
# created it, the keys of profiles merged into it); other sources are the unique keys of objects.
DIRECT = ""


@dataclass(frozen=True)
class KeySpec:
    """One ``ObjectTypeKey`` of an object type, with the matching rule its fields' ContentType gives."""

    name: str
    identifiers: frozenset[str]
    field_names: tuple[str, ...]
    kind: str

    @property
    def unique(self) -> bool:
        return "UNIQUE" in self.identifiers

    @property
    def finds_profile(self) -> bool:
        return bool(self.identifiers & {"PROFILE", "LOOKUP_ONLY", "NEW_ONLY"})

    @property
    def secondary(self) -> bool:
        return "SECONDARY" in self.identifiers


@dataclass(frozen=True)
class FieldSource:
    """Where an ingested value of a profile field came from: the object type (its ``SourcePriority``,
    ``None`` for "the lowest priority") and the object's source timestamp (``SourceLastUpdatedTimestampFormat``)
    when it had one. A field without one was set through the API (manual)."""

    type_name: str
    priority: int | None
    source_time: dt.datetime | None

    def yields_to(self, newer: FieldSource) -> bool:
        """Whether a value from ``newer`` (ingested after this one) may replace this one: a better
        (lower) priority wins; at equal priority the newer source timestamp, and without timestamps the
        later ingestion."""
        mine = self.priority if self.priority is not None else float("inf")
        theirs = newer.priority if newer.priority is not None else float("inf")
        if theirs != mine:
            return theirs < mine
        if self.source_time is not None and newer.source_time is not None:
            return newer.source_time >= self.source_time
        return True


@dataclass
class StoredObject:
    """One profile object, stored as the JSON text that was sent."""

    unique_key: str  # the ProfileObjectUniqueKey
    type_name: str
    profile_id: str
    body: str
    size: int
    seq: int
    unique_value: str  # the normalised value of the type's UNIQUE key
    key_values: dict[str, list[tuple[str, str]]]  # every key of the object: key -> [(raw value, kind)]
    held: tuple[Held, ...]  # the key values this object holds on its profile
    # When the object was ingested, epoch seconds at full precision (calculated attribute ranges and "ingested
    # before the definition" compare against it). A re-ingestion with the same UNIQUE value is a new object.
    ingested_at: float = field(default_factory=time.time)
    expires_at: float | None = None  # epoch seconds, fixed at ingestion (the type's ExpirationDays, else the domain's)


@dataclass
class ObjectType:
    name: str
    config: dict[str, Any]  # the PutProfileObjectType members as given (Description, TemplateId, ...)
    fields: dict[str, dict[str, str]]  # effective Fields (the template's for a TemplateId)
    keys: dict[str, list[dict[str, Any]]]  # effective Keys
    specs: tuple[KeySpec, ...]
    allow_profile_creation: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    tags: dict[str, str] = field(default_factory=dict)
    objects: dict[str, StoredObject] = field(default_factory=dict)  # unique key -> object
    unique_index: dict[str, str] = field(default_factory=dict)  # normalised UNIQUE value -> unique key


NO_SOURCES: dict[str, FieldSource] = {}


@dataclass(slots=True)  # no per-instance __dict__: a domain may hold 100 000 of these
class Profile:
    profile_id: str
    seq: int
    # Replaced on every change, never written to in place: history records share the dict (and a view of
    # the profile built from it stays what it was).
    fields: dict[str, Any]
    # Values attached under a key by AddProfileKey, objects or merges: key -> (raw value, kind) -> the
    # sources that hold it (DIRECT or object unique keys). A value stays while some source holds it.
    extra_keys: dict[str, dict[tuple[str, str], set[str]]] = field(default_factory=dict)
    entries: frozenset[Entry] = frozenset()
    # Objects by type name, then unique key, oldest first.
    objects: dict[str, dict[str, StoredObject]] = field(default_factory=dict)
    n_objects: int = 0
    # Fields that objects wrote (path such as "FirstName", "Address.City", "Attributes.tier" -> source);
    # a set field with no entry here was set through the API and ingestion never overwrites it.
    # Most profiles hold none: they share one empty dict, which is only ever replaced, never written to.
    ingested: dict[str, FieldSource] = field(default_factory=lambda: NO_SOURCES)
    expires_at: float | None = None  # epoch seconds, see _expiry

    def hold(self, key: str, raw: str, kind: str, source: str) -> None:
        self.extra_keys.setdefault(key, {}).setdefault((raw, kind), set()).add(source)

    def release(self, key: str, raw: str, kind: str, source: str) -> None:
        values = self.extra_keys.get(key)
        sources = values.get((raw, kind)) if values else None
        if sources is None or values is None:
            return
        sources.discard(source)
        if not sources:
            del values[(raw, kind)]
            if not values:
                del self.extra_keys[key]

    def drop(self, key: str, raw: str) -> None:
        """Remove ``raw`` from ``key`` whatever holds it (``DeleteProfileKey``)."""
        values = self.extra_keys.get(key, {})
        for pair in [pair for pair in values if pair[0] == raw]:
            del values[pair]
        if not values:
            self.extra_keys.pop(key, None)

    def object_count(self) -> int:
        """Profile objects (the standard objects kept beside them, ``_asset`` and the like, not counted)."""
        return self.n_objects

    def forget_sources(self, name: str) -> None:
        """The field ``name`` (``FirstName``, or a part of a map such as ``Address.City``) was set or cleared
        through the API: it is no longer an ingested value."""
        if self.ingested:  # the shared empty dict (NO_SOURCES) is never written to
            self.ingested.pop(name, None)


def metering_weight(n_objects: int) -> int:
    """How many profiles one profile counts as in ``MeteringProfileCount``: one more for each full 100
    objects beyond the first 100 (page "DomainStats": more than 100 objects counts as two)."""
    return 1 + max(0, n_objects - 1) // 100


class KeyIndex:
    """key name -> kind -> normalised value -> ids of the profiles holding it.

    Most values belong to one profile only (an email address, a phone number), so a value held by one
    profile maps to its id itself, and only a value that several profiles share gets a set: a set per
    value cost about 200 bytes for each key of each profile.
    """

    def __init__(self) -> None:
        self._keys: dict[str, dict[str, dict[str, str | set[str]]]] = {}

    def add(self, profile_id: str, entries: Iterable[Entry]) -> None:
        for key, kind, norm in entries:
            bucket = self._keys.setdefault(key, {}).setdefault(kind, {})
            holders = bucket.get(norm)
            if holders is None:
                bucket[norm] = profile_id
            elif isinstance(holders, str):
                if holders != profile_id:
                    bucket[norm] = {holders, profile_id}
            else:
                holders.add(profile_id)

    def remove(self, profile_id: str, entries: Iterable[Entry]) -> None:
        for key, kind, norm in entries:
            kinds = self._keys[key]
            bucket = kinds[kind]
            holders = bucket[norm]
            if not isinstance(holders, str):  # two or more holders: one fewer, and a lone one is kept bare
                holders.discard(profile_id)
                if len(holders) == 1:
                    bucket[norm] = next(iter(holders))
                continue
            del bucket[norm]  # the profile was its only holder (entries come only from the profile's own)
            if not bucket:
                del kinds[kind]
                if not kinds:
                    del self._keys[key]

    def lookup(self, key: str, value: str) -> set[str]:
        """Ids of the profiles that hold ``value`` under ``key``, by each kind's matching rule (a new set)."""
        found: set[str] = set()
        for kind, bucket in self._keys.get(key, {}).items():
            holders = bucket.get(normalise(kind, value))
            if holders is None:
                continue
            if isinstance(holders, str):
                found.add(holders)
            else:
                found |= holders
        return found

    def __contains__(self, key: str) -> bool:
        return key in self._keys


@dataclass
class Domain(FamilyState):
    name: str
    config: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    lenient: bool = False
    profiles: dict[str, Profile] = field(default_factory=dict)
    index: KeyIndex = field(default_factory=KeyIndex)
    object_types: dict[str, ObjectType] = field(default_factory=dict)  # in creation order
    _seq: Iterator[int] = field(default_factory=itertools.count)
    _object_seq: Iterator[int] = field(default_factory=itertools.count)
    families: dict[type[Any], Any] = field(default_factory=dict)  # see FamilyState
    n_objects: int = 0
    total_bytes: int = 0
    metering_extra: int = 0  # MeteringProfileCount minus ProfileCount (profiles with over 100 objects)

    # ---------------------------------------------------------------------------------------- profiles

    def standard_values(self, fields: Mapping[str, Any]) -> list[Held]:
        """The values the profile's own fields give ``_account``, ``_phone``, ``_email`` and ``_fullName``."""
        found: list[Held] = []
        account = fields.get("AccountNumber")
        if account:
            found.append(("_account", account, EXACT))
        for names, key in ((PHONE_FIELDS, "_phone"), (EMAIL_FIELDS, "_email")):
            rule = self.standard_kind(key)
            found.extend((key, fields[name], rule) for name in names if fields.get(name))
        name = full_name(fields)
        if name:
            found.append(("_fullName", name, self.standard_kind("_fullName")))
        return found

    def standard_kind(self, key: str) -> str:
        """The matching rule of a standard key: exact, unless lenient matching is on."""
        lenient_kind = {"_phone": PHONE, "_email": EMAIL, "_fullName": NAME}.get(key)
        return lenient_kind if lenient_kind and self.lenient else EXACT

    def standard_entries(self, profile_id: str, fields: Mapping[str, Any]) -> set[Entry]:
        entries: set[Entry] = {("_profileId", EXACT, profile_id)}
        entries.update((key, kind, normalise(kind, raw)) for key, raw, kind in self.standard_values(fields))
        return entries

    def reindex(self, profile: Profile) -> None:
        """Bring the index in line with the profile's fields and extra keys (applies only the difference)."""
        entries = self.standard_entries(profile.profile_id, profile.fields)
        for key, values in profile.extra_keys.items():
            entries.update((key, kind, normalise(kind, raw)) for raw, kind in values)
        new = frozenset(entries)
        old = profile.entries
        if new != old:
            self.index.remove(profile.profile_id, old - new)
            self.index.add(profile.profile_id, new - old)
            profile.entries = new

    def add_profile(self, fields: dict[str, Any]) -> Profile:
        profile = Profile(uuid.uuid4().hex, next(self._seq), fields)
        self.profiles[profile.profile_id] = profile
        self.reindex(profile)
        return profile

    def defines_key(self, key: str) -> bool:
        """A predefined key, one that some profile of the domain holds, or one an object type defines."""
        return key in PREDEFINED_KEYS or key in self.index or self.key_spec(key) is not None

    def key_spec(self, key: str) -> KeySpec | None:
        """The first definition of ``key`` among the domain's object types (in creation order)."""
        for object_type in self.object_types.values():
            for spec in object_type.specs:
                if spec.name == key:
                    return spec
        return None

    def key_kind(self, key: str) -> str:
        """The matching rule of values added under ``key``: its object type's, else the standard one."""
        spec = self.key_spec(key)
        return spec.kind if spec is not None else self.standard_kind(key)

    def object_count(self) -> int:
        """Objects stored in the domain."""
        return self.n_objects

    def total_size(self) -> int:
        """Bytes of the objects stored in the domain."""
        return self.total_bytes

    def metering_count(self) -> int:
        """``MeteringProfileCount``: profiles, a profile with more than 100 objects counting as two, ..."""
        return len(self.profiles) + self.metering_extra

    def _count(self, profile: Profile, delta: int) -> None:
        before = metering_weight(profile.n_objects)
        profile.n_objects += delta
        self.metering_extra += metering_weight(profile.n_objects) - before

    def remove_profile(self, profile: Profile) -> None:
        for objects in profile.objects.values():
            for obj in objects.values():
                self._unregister(obj)
        self._count(profile, -profile.n_objects)
        profile.objects = {}
        self.index.remove(profile.profile_id, profile.entries)
        profile.entries = frozenset()
        del self.profiles[profile.profile_id]

    # ----------------------------------------------------------------------------------------- objects

    def next_object_seq(self) -> int:
        return next(self._object_seq)

    def attach_object(self, profile: Profile, obj: StoredObject) -> None:
        """Store ``obj`` on ``profile`` and hold its key values (the caller reindexes the profile)."""
        obj.profile_id = profile.profile_id
        profile.objects.setdefault(obj.type_name, {})[obj.unique_key] = obj
        object_type = self.object_types.get(obj.type_name)
        if object_type is not None:  # None: a standard object (``_asset``, ...), kept and counted apart
            object_type.objects[obj.unique_key] = obj
            object_type.unique_index[obj.unique_value] = obj.unique_key
            self.n_objects += 1
            self.total_bytes += obj.size
            self._count(profile, 1)
        for key, raw, kind in obj.held:
            profile.hold(key, raw, kind, obj.unique_key)

    def detach_object(self, profile: Profile, obj: StoredObject) -> None:
        """Remove ``obj`` from ``profile`` and release its key values (the caller reindexes the profile)."""
        objects = profile.objects[obj.type_name]
        del objects[obj.unique_key]
        if not objects:
            del profile.objects[obj.type_name]
        if self._unregister(obj):
            self._count(profile, -1)
        for key, raw, kind in obj.held:
            profile.release(key, raw, kind, obj.unique_key)

    def _unregister(self, obj: StoredObject) -> bool:
        """Forget a profile object in its type and the domain's counts; ``False`` for a standard object
        (``_asset``, ...), which is kept on its profile only and counted nowhere."""
        object_type = self.object_types.get(obj.type_name)
        if object_type is None:
            return False
        del object_type.objects[obj.unique_key]
        del object_type.unique_index[obj.unique_value]  # one object per UNIQUE value: it is this one
        self.n_objects -= 1
        self.total_bytes -= obj.size
        return True

    def remove_object_type(self, object_type: ObjectType) -> None:
        """Delete the type, its objects and the key values only they held."""
        touched: dict[str, Profile] = {}
        for obj in list(object_type.objects.values()):
            profile = self.profiles[obj.profile_id]
            self.detach_object(profile, obj)
            touched[profile.profile_id] = profile
        for profile in touched.values():
            self.reindex(profile)
        del self.object_types[object_type.name]

    def merge_into(self, main: Profile, other: Profile) -> None:
        """Move the key values and objects of ``other`` to ``main`` and delete ``other``.

        Every key value of ``other`` (its standard ``_account``/``_phone``/``_email``/``_fullName``
        values too, ``_profileId`` excepted) then finds ``main``. The caller sets the fields and
        reindexes ``main``."""
        for key, raw, kind in self.standard_values(other.fields):
            main.hold(key, raw, kind, DIRECT)
        for key, values in other.extra_keys.items():
            for (raw, kind), sources in values.items():
                for source in sources:
                    main.hold(key, raw, kind, source)
        for type_name, objects in other.objects.items():
            mine = main.objects.setdefault(type_name, {})
            for obj in objects.values():
                obj.profile_id = main.profile_id
                mine[obj.unique_key] = obj
            main.objects[type_name] = dict(sorted(mine.items(), key=lambda item: item[1].seq))
        self._count(main, other.n_objects)
        self._count(other, -other.n_objects)
        other.objects = {}
        self.remove_profile(other)


@dataclass
class Backend(FamilyState):
    """The state of one account in one region."""

    account_id: str
    region: str
    domains: dict[str, Domain] = field(default_factory=dict)
    token_secret: bytes = field(default_factory=lambda: os.urandom(16))
    families: dict[type[Any], Any] = field(default_factory=dict)  # see FamilyState
