"""Rule-based matching: which profiles of a domain the domain's matching rules put in one group.

AWS documents the rules (ordered levels of profile attributes, ``AttributeTypesSelector``,
``MaxAllowedRuleLevelForMatching``), not the algorithm; this is the mock's, deterministic and explainable
(docs/families/identity-resolution.md, "How rule-based matching decides"):

- The value of a rule attribute on a profile: ``PhoneNumber`` / ``EmailAddress`` stand for the phone and
  email fields the selector chose, ``Address.City`` (and the other ``Address.*`` parts) for the chosen
  address fields, ``Attributes.<key>`` for a custom attribute, any other name for that profile field.
- Values are compared normalised: phone numbers by their digits (a leading country code ``1`` of an
  11-digit number dropped); everything else trimmed, runs of white space made one space, case-folded.
  An attribute without a value on a profile never matches.
- Two profiles match at level *L* when every attribute of rule *L* has equal normalised values on both;
  with ``ONE_TO_ONE`` the values must also come from the same sub-type (``HomePhoneNumber`` with
  ``HomePhoneNumber``); with ``MANY_TO_MANY`` from any chosen sub-type. The ``Address.*`` parts of one
  rule always come from one address of each profile.
- Groups are the connected components of "matches at a level <= the maximum": transitive. A group's rule
  level is the lowest *L* such that rules 1..*L* alone connect the whole group.
- A value that more than ``LOW_CARDINALITY`` profiles share at one level links none of them (AWS's
  guard against low-cardinality attributes).

Profiles are grouped through a dictionary per level (normalised values -> the first profile holding
them) and a union-find: no pair of profiles is ever compared, so 100 000 profiles take about a second.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PHONE_TYPES = ("PhoneNumber", "HomePhoneNumber", "MobilePhoneNumber", "BusinessPhoneNumber")
EMAIL_TYPES = ("EmailAddress", "BusinessEmailAddress", "PersonalEmailAddress")
ADDRESS_TYPES = ("Address", "ShippingAddress", "MailingAddress", "BillingAddress")
ADDRESS_PARTS = (
    "Address1",
    "Address2",
    "Address3",
    "Address4",
    "City",
    "County",
    "State",
    "Province",
    "Country",
    "PostalCode",
)
# The attributes a matching rule may name (page "MatchingRule" of the API reference), besides
# ``Attributes.<key>``. ``Address.Address`` is the street: Address1..4 joined by spaces.
RULE_ATTRIBUTES = frozenset(
    {
        "AccountNumber",
        "Address.Address",
        "Address.City",
        "Address.Country",
        "Address.County",
        "Address.PostalCode",
        "Address.State",
        "Address.Province",
        "BirthDate",
        "BusinessName",
        "EmailAddress",
        "FirstName",
        "Gender",
        "LastName",
        "MiddleName",
        "PhoneNumber",
    }
)
LOW_CARDINALITY = 500
ONE_TO_ONE, MANY_TO_MANY = "ONE_TO_ONE", "MANY_TO_MANY"

_NOT_DIGIT = re.compile(r"[^0-9]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Selector:
    """``AttributeTypesSelector``: which fields stand for PhoneNumber, EmailAddress and Address."""

    model: str = ONE_TO_ONE
    phone: tuple[str, ...] = ("PhoneNumber",)
    email: tuple[str, ...] = ("EmailAddress",)
    address: tuple[str, ...] = ("Address",)

    @classmethod
    def of(cls, config: Mapping[str, Any] | None) -> Selector:
        if not config:
            return cls()
        return cls(
            config.get("AttributeMatchingModel", ONE_TO_ONE),
            tuple(config.get("PhoneNumber") or ("PhoneNumber",)),
            tuple(config.get("EmailAddress") or ("EmailAddress",)),
            tuple(config.get("Address") or ("Address",)),
        )


def rule_attribute_ok(name: str) -> bool:
    return name in RULE_ATTRIBUTES or (name.startswith("Attributes.") and len(name) > len("Attributes."))


def normalise(attribute: str, value: Any) -> str:
    """The form under which a value of ``attribute`` is compared ("" for no value)."""
    if not isinstance(value, str):
        return ""
    if attribute == "PhoneNumber":
        digits = _NOT_DIGIT.sub("", value)
        return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    return _SPACES.sub(" ", value).strip().casefold()


def _address_value(address: Mapping[str, Any], part: str) -> Any:
    if part == "Address":
        street = [address[name] for name in ("Address1", "Address2", "Address3", "Address4") if address.get(name)]
        return " ".join(street) if street else None
    return address.get(part)


def _plain(fields: Mapping[str, Any], attribute: str) -> Any:
    if attribute.startswith("Attributes."):
        return (fields.get("Attributes") or {}).get(attribute[len("Attributes.") :])
    return fields.get(attribute)


def rule_keys(fields: Mapping[str, Any], rule: Sequence[str], selector: Selector) -> Iterator[tuple[str, ...]]:
    """Every combination of normalised values under which the profile ``fields`` match at ``rule``."""
    choices: list[list[tuple[str, str]]] = []  # per attribute: [(sub-type tag, normalised value)]
    address_parts = [name[len("Address.") :] for name in rule if name.startswith("Address.")]
    one_to_one = selector.model == ONE_TO_ONE
    for attribute in rule:
        if attribute.startswith("Address."):
            continue
        if attribute in ("PhoneNumber", "EmailAddress"):
            types = selector.phone if attribute == "PhoneNumber" else selector.email
            found = [(kind if one_to_one else "", normalise(attribute, fields.get(kind))) for kind in types]
            options = [pair for pair in found if pair[1]]
        else:
            value = normalise(attribute, _plain(fields, attribute))
            options = [("", value)] if value else []
        if not options:
            return
        choices.append(sorted(set(options)))
    if address_parts:  # every Address.* part of the rule from the same address of the profile
        addresses: list[tuple[str, str]] = []
        for kind in selector.address:
            address = fields.get(kind)
            if not isinstance(address, Mapping):
                continue
            values = [normalise("Address", _address_value(address, part)) for part in address_parts]
            if all(values):
                addresses.append((kind if one_to_one else "", "\x1f".join(values)))
        if not addresses:
            return
        choices.append(sorted(set(addresses)))
    for combination in itertools.product(*choices):
        yield tuple(f"{tag}\x1e{value}" for tag, value in combination)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent
        root = item
        while parent.get(root, root) != root:
            root = parent[root]
        while item != root:  # path compression
            item, parent[item] = parent[item], root
        return root

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


@dataclass(frozen=True)
class Group:
    """One match group: its profile ids (in the domain's order), its rule level and a stable id."""

    match_id: str
    profile_ids: tuple[str, ...]
    rule_level: int


def match_id(kind: str, profile_ids: Iterable[str]) -> str:
    """A 32-hex id that depends on the group's members only (the same group gets the same id every run)."""
    return hashlib.md5(("\x1f".join([kind, *sorted(profile_ids)])).encode(), usedforsecurity=False).hexdigest()


def groups(
    profiles: Mapping[str, Mapping[str, Any]],
    rules: Sequence[Sequence[str]],
    selector: Selector,
    max_level: int | None = None,
    kind: str = "rule",
) -> list[Group]:
    """The match groups (2+ profiles) of ``profiles`` (id -> fields, in the domain's order) under rules
    1..``max_level``, in the order of their first profile."""
    levels = len(rules) if max_level is None else min(max_level, len(rules))
    uf = _UnionFind()
    joined_at: dict[str, int] = {}  # root -> the highest level of a union that made its component
    for level in range(1, levels + 1):
        rule = rules[level - 1]
        buckets: dict[tuple[str, ...], list[str]] = {}
        for profile_id, fields in profiles.items():
            for key in rule_keys(fields, rule, selector):
                holders = buckets.get(key)
                if holders is None:
                    buckets[key] = [profile_id]
                elif holders[-1] != profile_id:
                    holders.append(profile_id)
        for holders in buckets.values():
            if len(holders) < 2 or len(holders) > LOW_CARDINALITY:
                continue
            first = holders[0]
            for other in holders[1:]:
                ra, rb = uf.find(first), uf.find(other)
                if ra != rb:
                    uf.union(ra, rb)
                    joined_at[uf.find(ra)] = level
    members: dict[str, list[str]] = {}
    for profile_id in profiles:
        root = uf.find(profile_id)
        if root in joined_at:
            members.setdefault(root, []).append(profile_id)
    return [Group(match_id(kind, ids), tuple(ids), joined_at[root]) for root, ids in members.items() if len(ids) > 1]
