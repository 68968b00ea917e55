"""In-memory state of the fake service: one ``Backend`` per account and region.

A domain keeps its profiles in creation order and a key index: key name -> matching rule -> normalised
value -> profile ids. Every write recomputes the index entries of the profile it touched and applies
the difference, so a search is a few dictionary look-ups whatever the size of the domain.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# The documented predefined search keys (FIDELITY.md, "Predefined keys and the standard profile").
PREDEFINED_KEYS = frozenset(
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
        "_segmentUserId",
        "_shopifyCustomerId",
        "_shopifyOrderId",
    }
)
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


@dataclass
class Profile:
    profile_id: str
    seq: int
    fields: dict[str, Any]
    # Values attached under a key by AddProfileKey or by objects: key -> {raw value: kind}.
    extra_keys: dict[str, dict[str, str]] = field(default_factory=dict)
    entries: frozenset[Entry] = frozenset()


class KeyIndex:
    """key name -> kind -> normalised value -> ids of the profiles holding it."""

    def __init__(self) -> None:
        self._keys: dict[str, dict[str, dict[str, set[str]]]] = {}

    def add(self, profile_id: str, entries: Iterable[Entry]) -> None:
        for key, kind, norm in entries:
            self._keys.setdefault(key, {}).setdefault(kind, {}).setdefault(norm, set()).add(profile_id)

    def remove(self, profile_id: str, entries: Iterable[Entry]) -> None:
        for key, kind, norm in entries:
            kinds = self._keys[key]
            bucket = kinds[kind]
            holders = bucket[norm]
            holders.discard(profile_id)
            if not holders:
                del bucket[norm]
                if not bucket:
                    del kinds[kind]
                    if not kinds:
                        del self._keys[key]

    def lookup(self, key: str, value: str) -> set[str]:
        """Ids of the profiles that hold ``value`` under ``key``, by each kind's matching rule."""
        found: set[str] = set()
        for kind, bucket in self._keys.get(key, {}).items():
            holders = bucket.get(normalise(kind, value))
            if holders:
                found |= holders
        return found

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def keys(self) -> Iterator[str]:
        return iter(self._keys)


@dataclass
class Domain:
    name: str
    config: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    lenient: bool = False
    profiles: dict[str, Profile] = field(default_factory=dict)
    index: KeyIndex = field(default_factory=KeyIndex)
    _seq: Iterator[int] = field(default_factory=itertools.count)

    # ---------------------------------------------------------------------------------------- profiles

    def standard_entries(self, profile_id: str, fields: Mapping[str, Any]) -> set[Entry]:
        lenient = self.lenient
        entries: set[Entry] = {("_profileId", EXACT, profile_id)}
        account = fields.get("AccountNumber")
        if account:
            entries.add(("_account", EXACT, account))
        for names, key, kind in ((PHONE_FIELDS, "_phone", PHONE), (EMAIL_FIELDS, "_email", EMAIL)):
            rule = kind if lenient else EXACT
            for field_name in names:
                value = fields.get(field_name)
                if value:
                    entries.add((key, rule, normalise(rule, value)))
        name = full_name(fields)
        if name:
            rule = NAME if lenient else EXACT
            entries.add(("_fullName", rule, normalise(rule, name)))
        return entries

    def reindex(self, profile: Profile) -> None:
        """Bring the index in line with the profile's fields and extra keys (applies only the difference)."""
        entries = self.standard_entries(profile.profile_id, profile.fields)
        for key, values in profile.extra_keys.items():
            entries.update((key, kind, normalise(kind, raw)) for raw, kind in values.items())
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
        """A predefined key, or one that some profile of the domain holds a value under."""
        return key in PREDEFINED_KEYS or key in self.index

    def object_count(self) -> int:
        """Objects stored in the domain (none until object ingestion stores some)."""
        return 0

    def remove_profile(self, profile: Profile) -> None:
        self.index.remove(profile.profile_id, profile.entries)
        profile.entries = frozenset()
        del self.profiles[profile.profile_id]


@dataclass
class Backend:
    """The state of one account in one region."""

    account_id: str
    region: str
    domains: dict[str, Domain] = field(default_factory=dict)
    token_secret: bytes = field(default_factory=lambda: os.urandom(16))
