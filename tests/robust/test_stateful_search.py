"""A state machine drives profiles through boto3 (create, update, delete, AddProfileKey, DeleteProfileKey,
MergeProfiles, PutProfileObject) and checks every SearchProfiles answer against a brute-force oracle
written here, from the rules of docs/families/search.md, over the test's own copy of the data.

Ingestion follows docs/families/ingestion.md (the behaviour spec's "Object types and objects"): the
UNIQUE key's earlier object decides the profile; else each primary PROFILE key in turn attaches the
object when it finds exactly one profile (an ambiguous key is discarded and the next tried), then the
SECONDARY keys; else a new profile (with ``EmailAddress`` from the first EMAIL_ADDRESS field) or, when
the type does not allow creation, a dead letter. Mapped values fill empty fields and replace values
objects wrote, never values set through the API; a merged profile's field keeps the provenance of the
profile its value came from.

The oracle knows nothing of the mock's index: for each profile it lists the values of the standard keys
(``_profileId``, ``_account``, ``_phone``, ``_email``, ``_fullName``) from the fields as sent, adds the
values that keys and merges attached, compares them exactly (or, with ``lenient_matching``, by the
documented folding), and derives the result list, its order and each ``FoundByItems`` from the rules for
``AND`` and ``OR``. Searches read every page, with page sizes that change from page to page.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles

from .support import attempt, error_text, new_client

DOMAIN = "acme"
INVALID_TOKEN = "The NextToken is not valid for this request: it is malformed, expired, or belongs to another request"

PHONE_FIELDS = ("PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber")
EMAIL_FIELDS = ("EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress")
NAME_FIELDS = ("FirstName", "MiddleName", "LastName")

# Small pools, so that profiles share values and the exact/lenient distinctions come up often.
EMAILS = ("ana@example.com", "Ana@Example.com", "bo@example.com", " ana@example.com")
PHONES = ("+15550001111", "15550001111", "(555) 000-1111", "+15550002222", "n/a")
FIRST = ("Ana", "ana", "Bo", "Ana ")
MIDDLE = ("Maria", "M.")
LAST = ("Silva", "silva", "Souza")
ACCOUNTS = ("A-1", "a-1", "B-2")
FULL_NAMES = ("Ana Silva", "ana silva", "Ana Maria Silva", "Bo", "Ana", "Ana  Silva", "Ana  Maria Silva", "Souza")
POOL = {
    **{name: EMAILS for name in EMAIL_FIELDS},
    **{name: PHONES for name in PHONE_FIELDS},
    "FirstName": FIRST,
    "MiddleName": MIDDLE,
    "LastName": LAST,
    "AccountNumber": ACCOUNTS,
}
ORDERS = ("O-1", "O-2", "o-1")
OBJECT_IDS = ("C-1", "C-2", "C-3")
KEY_VALUES = {
    "_email": EMAILS,
    "_phone": PHONES,
    "_fullName": FULL_NAMES,
    "_account": ACCOUNTS,
    "_orderId": ORDERS,
    "customKey": ("x",),
    "contactId": OBJECT_IDS,
    "noteId": OBJECT_IDS,
}
STANDARD_KEYS = ("_account", "_phone", "_email", "_fullName")
# Contact: creates profiles; Note: does not (its unmatched objects are dead letters). Keys in this order.
OBJECT_TYPES: dict[str, Any] = {
    "Contact": {
        "AllowProfileCreation": True,
        "Fields": {
            "id": {"Source": "_source.id"},
            "mail": {"Source": "_source.mail", "ContentType": "EMAIL_ADDRESS"},
            "acct": {"Source": "_source.acct"},
            "first": {"Source": "_source.first", "Target": "_profile.FirstName", "ContentType": "NAME"},
        },
        "Keys": {
            "contactId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["mail"]}],
            "_account": [{"StandardIdentifiers": ["PROFILE", "SECONDARY"], "FieldNames": ["acct"]}],
        },
    },
    "Note": {
        "AllowProfileCreation": False,
        "Fields": {
            "id": {"Source": "_source.id"},
            "mail": {"Source": "_source.mail", "ContentType": "EMAIL_ADDRESS"},
            "tier": {"Source": "_source.tier", "Target": "_profile.Attributes.tier"},
        },
        "Keys": {
            "noteId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["mail"]}],
        },
    },
}
# (object field, key) in key order, and whether the key finds profiles: (name, field, PROFILE, SECONDARY)
OBJECT_KEYS = {
    "Contact": [("contactId", "id", False, False), ("_email", "mail", True, False), ("_account", "acct", True, True)],
    "Note": [("noteId", "id", False, False), ("_email", "mail", True, False)],
}
TARGETS = {"Contact": {"first": "FirstName"}, "Note": {"tier": "Attributes.tier"}}
UNDEFINED_KEY = (
    "Key customKey is not defined in domain acme: "
    "use a predefined key or a key that an object type of the domain defines"
)

# ------------------------------------------------------------------------------------------------ oracle


def _digits(value: str) -> str:
    digits = "".join(ch for ch in value if ch in "0123456789")
    return digits[1:] if len(digits) == 11 and digits[0] == "1" else digits


FOLD = {
    "_phone": _digits,
    "_email": str.casefold,
    "_fullName": lambda value: " ".join(value.split()).casefold(),
}


def standard_values(fields: dict[str, Any]) -> dict[str, set[str]]:
    """The values the standard keys take from a profile's fields (docs/families/search.md, "Keys indexed ...")."""
    name = " ".join(fields[part] for part in NAME_FIELDS if fields.get(part))
    return {
        "_account": {fields["AccountNumber"]} if fields.get("AccountNumber") else set(),
        "_phone": {fields[name] for name in PHONE_FIELDS if fields.get(name)},
        "_email": {fields[name] for name in EMAIL_FIELDS if fields.get(name)},
        "_fullName": {name} if name else set(),
    }


def stored_values(profile_id: str, fields: dict[str, Any], extra: dict[str, set[str]]) -> dict[str, set[str]]:
    """Every value a profile holds, by key: its id, its fields' standard values, and what keys and merges
    attached to it."""
    values = {"_profileId": {profile_id}, **standard_values(fields)}
    for key, held in extra.items():
        values[key] = values.get(key, set()) | held
    return values


def value_matches(key: str, searched: str, stored: Iterable[str], lenient: bool) -> bool:
    if searched in stored:
        return True  # lenient matching only ever adds matches to exact ones
    if lenient and key in FOLD:
        fold = FOLD[key]
        wanted = fold(searched)  # a value that folds to nothing ("n/a" as a phone) matches only itself
        return bool(wanted) and any(fold(value) == wanted for value in stored)
    return False


def oracle(
    profiles: dict[str, dict[str, Any]],
    extra: dict[str, dict[str, set[str]]],
    pairs: list[tuple[str, list[str]]],
    operator: str,
    lenient: bool,
) -> list[dict[str, Any]]:
    """The items SearchProfiles must return, in creation order, each with its FoundByItems."""
    items = []
    for profile_id, fields in profiles.items():
        held = stored_values(profile_id, fields, extra.get(profile_id, {}))
        found = [
            [value for value in dict.fromkeys(values) if value_matches(key, value, held.get(key, ()), lenient)]
            for key, values in pairs
        ]
        if operator == "AND":
            if not all(found):
                continue
            found_by = [{"KeyName": key, "Values": list(values)} for key, values in pairs]
        else:
            if not any(found):
                continue
            found_by = [{"KeyName": key, "Values": hit} for (key, _), hit in zip(pairs, found, strict=True) if hit]
        items.append({"ProfileId": profile_id, **fields, "FoundByItems": found_by})
    return items


# -------------------------------------------------------------------------------------------- strategies


def optional_fields(names: Iterable[str]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({}, optional={name: st.sampled_from(POOL[name]) for name in names})


PROFILE_FIELDS = st.builds(
    lambda standard, attributes: {**standard, **({"Attributes": attributes} if attributes else {})},
    optional_fields(POOL),
    st.dictionaries(st.sampled_from(["tier", "team"]), st.sampled_from(["gold", "blue"]), max_size=2),
)
# An update: some fields set to a pool value, some removed with "", the rest left alone.
CHANGES = st.fixed_dictionaries({}, optional={name: st.sampled_from(("", *POOL[name])) for name in POOL}).filter(bool)
PAGE_SIZES = st.lists(st.one_of(st.integers(1, 4), st.sampled_from([None, 20, 100])), min_size=1, max_size=4)


client = functools.cache(new_client)


def error_of(call: Any) -> tuple[str, str]:
    response, error = attempt(call)
    assert error is not None, f"the call succeeded; an error was expected\n- response: {response}"
    return error_text(error)


# ------------------------------------------------------------------------------------------------ machine


class SearchMachine(RuleBasedStateMachine):
    lenient = False

    def __init__(self) -> None:
        super().__init__()
        self.mock: CustomerProfilesMock = mock_customer_profiles(lenient_matching=self.lenient).start()
        self.client = client()
        self.client.create_domain(DomainName=DOMAIN, DefaultExpirationDays=365)
        self.client.create_domain(DomainName="other", DefaultExpirationDays=365)
        # A profile elsewhere holding every value: it must never show up in a search of DOMAIN.
        self.client.create_profile(
            DomainName="other",
            FirstName="Ana",
            LastName="Silva",
            **{field: POOL[field][0] for field in (*PHONE_FIELDS, *EMAIL_FIELDS, "AccountNumber")},
        )
        self.live: dict[str, dict[str, Any]] = {}  # id -> fields as sent, in creation order
        self.extra: dict[str, dict[str, set[str]]] = {}  # id -> key -> values attached by keys and merges
        self.created: list[str] = []
        # ingestion: (type, UNIQUE value) -> [profile id, key -> values the object holds]
        self.objects: dict[tuple[str, str], tuple[str, dict[str, set[str]]]] = {}
        self.ingested: dict[str, set[str]] = {}  # id -> field paths whose values objects wrote
        for name, definition in OBJECT_TYPES.items():
            self.client.put_profile_object_type(DomainName=DOMAIN, ObjectTypeName=name, Description=name, **definition)
        self.paused: list[tuple[list[tuple[str, list[str]]], str, str, int]] = []  # (pairs, operator, token, after)

    def teardown(self) -> None:
        self.mock.stop()

    # ------------------------------------------------------------------------------------------ writes

    def pick(self, data: st.DataObject, label: str = "profile") -> str:
        """Mostly a live profile; sometimes one deleted or merged away (it must be gone everywhere)."""
        live = list(self.live)  # creation order: ids are random, an order by id would vary between runs
        if live and data.draw(st.integers(0, 4), label=f"{label} is live") > 0:
            return data.draw(st.sampled_from(live), label=label)
        return data.draw(st.sampled_from(self.created), label=label)

    @initialize(fields=PROFILE_FIELDS)
    def first_profile(self, fields: dict[str, Any]) -> None:
        self.create(fields)

    @rule(fields=PROFILE_FIELDS)
    def create(self, fields: dict[str, Any]) -> None:
        profile_id = str(self.client.create_profile(DomainName=DOMAIN, **fields)["ProfileId"])
        assert profile_id not in self.created
        self.live[profile_id] = dict(fields)
        self.created.append(profile_id)

    @rule(data=st.data(), changes=CHANGES)
    def update(self, data: st.DataObject, changes: dict[str, str]) -> None:
        profile_id = self.pick(data)
        call = functools.partial(self.client.update_profile, DomainName=DOMAIN, ProfileId=profile_id, **changes)
        if profile_id not in self.live:
            assert error_of(call) == (
                "ResourceNotFoundException",
                f"Profile {profile_id} not found in domain {DOMAIN}",
            )
            return
        assert call()["ProfileId"] == profile_id
        fields = self.live[profile_id]
        for name, value in changes.items():
            if value == "":
                fields.pop(name, None)
            else:
                fields[name] = value
            self.ingested.get(profile_id, set()).discard(name)  # set through the API now

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        profile_id = self.pick(data)
        call = functools.partial(self.client.delete_profile, DomainName=DOMAIN, ProfileId=profile_id)
        if profile_id not in self.live:
            assert error_of(call) == (
                "ResourceNotFoundException",
                f"Profile {profile_id} not found in domain {DOMAIN}",
            )
            return
        assert call()["Message"] == f"Profile {profile_id} deleted"
        del self.live[profile_id]
        self.extra.pop(profile_id, None)
        self.forget_objects(profile_id)

    # -------------------------------------------------------------------------------- keys and merges

    def expect_profile(self, profile_id: str, call: Any) -> bool:
        """``False`` (after checking the error) when ``profile_id`` is gone, ``True`` when it is live."""
        if profile_id in self.live:
            return True
        assert error_of(call) == ("ResourceNotFoundException", f"Profile {profile_id} not found in domain {DOMAIN}")
        return False

    @rule(key=st.sampled_from([*STANDARD_KEYS, "_orderId", "customKey"]), data=st.data())
    def add_key(self, key: str, data: st.DataObject) -> None:
        profile_id = self.pick(data)
        values = data.draw(st.lists(st.sampled_from(KEY_VALUES[key]), min_size=1, max_size=3), label="values")
        call = functools.partial(
            self.client.add_profile_key, DomainName=DOMAIN, ProfileId=profile_id, KeyName=key, Values=values
        )
        if not self.expect_profile(profile_id, call):
            return
        if key == "customKey":
            assert error_of(call) == ("BadRequestException", UNDEFINED_KEY)
            return
        answer = call()
        assert (answer["KeyName"], answer["Values"]) == (key, values)
        self.extra.setdefault(profile_id, {}).setdefault(key, set()).update(values)

    @rule(key=st.sampled_from([*STANDARD_KEYS, "_orderId"]), data=st.data())
    def delete_key(self, key: str, data: st.DataObject) -> None:
        """Removes attached values; values the profile's own fields give stay (they follow the fields)."""
        profile_id = self.pick(data)
        held = sorted(self.extra.get(profile_id, {}).get(key, ()))
        pool = st.sampled_from(held) | st.sampled_from(KEY_VALUES[key]) if held else st.sampled_from(KEY_VALUES[key])
        values = data.draw(st.lists(pool, min_size=1, max_size=3), label="values")
        call = functools.partial(
            self.client.delete_profile_key, DomainName=DOMAIN, ProfileId=profile_id, KeyName=key, Values=values
        )
        if not self.expect_profile(profile_id, call):
            return
        assert call()["Message"] == f"Deleted {len(values)} value(s) of key {key} from profile {profile_id}"
        self.extra.get(profile_id, {}).get(key, set()).difference_update(values)
        for owner, object_held in self.objects.values():  # whatever holds them, objects too
            if owner == profile_id:
                object_held.get(key, set()).difference_update(values)

    @precondition(lambda self: len(self.live) > 1)
    @rule(data=st.data())
    def merge_live(self, data: st.DataObject) -> None:
        live = list(self.live)
        main = data.draw(st.sampled_from(live), label="main")
        rest = [pid for pid in live if pid != main]
        self.merge(data, main, data.draw(st.lists(st.sampled_from(rest), min_size=1, max_size=3, unique=True)))

    @rule(data=st.data())
    def merge_any(self, data: st.DataObject) -> None:
        """Merges that may name profiles that are gone, twice, or the main profile among the merged."""
        main = self.pick(data, "main")
        self.merge(data, main, [self.pick(data, "merged") for _ in range(data.draw(st.integers(1, 3)))])

    def merge(self, data: st.DataObject, main: str, others: list[str]) -> None:
        request: dict[str, Any] = {"DomainName": DOMAIN, "MainProfileId": main, "ProfileIdsToBeMerged": others}
        candidates = [main, *others]
        sources: dict[str, Any] = {}
        if data.draw(st.booleans(), label="with FieldSourceProfileIds"):
            fields = st.fixed_dictionaries({}, optional={name: st.sampled_from(candidates) for name in POOL})
            sources = data.draw(fields, label="sources")
            attributes = st.dictionaries(st.sampled_from(["tier", "team"]), st.sampled_from(candidates), max_size=2)
            attribute_sources = data.draw(attributes, label="attribute sources")
            if attribute_sources:
                sources["Attributes"] = attribute_sources
        if sources:
            request["FieldSourceProfileIds"] = sources
        call = functools.partial(self.client.merge_profiles, **request)
        if not self.expect_profile(main, call):
            return
        if main in others:
            assert error_of(call) == ("BadRequestException", f"The main profile {main} is also in ProfileIdsToBeMerged")
            return
        repeated = sorted(pid for pid in set(others) if others.count(pid) > 1)
        if repeated:
            message = f"ProfileIdsToBeMerged names profile {repeated[0]} more than once"
            assert error_of(call) == ("BadRequestException", message)
            return
        gone = [pid for pid in others if pid not in self.live]
        if gone:
            self.expect_profile(gone[0], call)
            return
        assert call()["Message"] == f"Merged {len(others)} profile(s) into profile {main}"
        self.apply_merge(main, others, sources)

    def apply_merge(self, main: str, others: list[str], sources: dict[str, Any]) -> None:
        """docs/families/profiles.md, MergeProfiles: fields unioned (the main profile first, then the merged ones in
        order; Attributes per attribute), a named source wins its field even with no value; every key
        value of a merged profile, and every value the main profile loses, now finds the main profile."""
        before = {pid: self.live[pid] for pid in (main, *others)}
        fields = copy.deepcopy(before[main])
        origin: dict[str, str] = {}  # field path -> the profile its value comes from (else the main one)
        for other in others:
            for name, value in before[other].items():
                if name == "Attributes":
                    mine = fields.get("Attributes", {})
                    origin.update({f"Attributes.{a}": other for a in value if a not in mine})
                    fields["Attributes"] = {**value, **mine}
                elif name not in fields:
                    fields[name] = copy.deepcopy(value)
                    origin[name] = other
        for name, source in sources.items():
            if name == "Attributes":
                attributes = dict(fields.get("Attributes", {}))
                for attribute, pid in source.items():
                    origin[f"Attributes.{attribute}"] = pid
                    value = before[pid].get("Attributes", {}).get(attribute)
                    if value is None:
                        attributes.pop(attribute, None)
                    else:
                        attributes[attribute] = value
                fields.pop("Attributes", None)
                if attributes:
                    fields["Attributes"] = attributes
            elif name in before[source]:
                fields[name] = before[source][name]
                origin[name] = source
            else:
                fields.pop(name, None)
        paths = {f"Attributes.{a}" for a in fields.get("Attributes", {})} | set(fields)
        self.ingested[main] = {path for path in paths if path in self.ingested.get(origin.get(path, main), set())}
        held = self.extra.setdefault(main, {})
        kept = standard_values(fields)
        for key, values in standard_values(before[main]).items():
            held.setdefault(key, set()).update(values - kept[key])
        for other in others:
            for key, values in standard_values(before[other]).items():
                held.setdefault(key, set()).update(values)
            for key, values in self.extra.pop(other, {}).items():
                held.setdefault(key, set()).update(values)
            del self.live[other]
            self.ingested.pop(other, None)
            for unique, (owner, object_held) in list(self.objects.items()):
                if owner == other:
                    self.objects[unique] = (main, object_held)
        self.live[main] = fields

    # ---------------------------------------------------------------------------------------- ingestion

    def attached(self) -> dict[str, dict[str, set[str]]]:
        """Every value attached to each profile: by keys and merges, and by the objects it holds."""
        out = {pid: {key: set(values) for key, values in held.items()} for pid, held in self.extra.items()}
        for owner, held in self.objects.values():
            for key, values in held.items():
                out.setdefault(owner, {}).setdefault(key, set()).update(values)
        return out

    def forget_objects(self, profile_id: str) -> None:
        self.ingested.pop(profile_id, None)
        for unique in [unique for unique, (owner, _) in self.objects.items() if owner == profile_id]:
            del self.objects[unique]

    @rule(
        type_name=st.sampled_from(list(OBJECT_TYPES)),
        unique=st.sampled_from(OBJECT_IDS),
        mail=st.none() | st.sampled_from(EMAILS),
        acct=st.none() | st.sampled_from(ACCOUNTS),
        first=st.none() | st.sampled_from(FIRST),
        tier=st.none() | st.sampled_from(("gold", "blue")),
    )
    def ingest(
        self, type_name: str, unique: str, mail: str | None, acct: str | None, first: str | None, tier: str | None
    ) -> None:
        given = {"id": unique, "mail": mail, "acct": acct, "first": first, "tier": tier}
        document = {name: value for name, value in given.items() if value is not None}
        letters = len(self.mock.dead_letters)
        self.client.put_profile_object(DomainName=DOMAIN, ObjectTypeName=type_name, Object=json.dumps(document))
        keys = [
            (key, document[field], finds, secondary)
            for key, field, finds, secondary in OBJECT_KEYS[type_name]
            if field in document
        ]
        held = {key: {value} for key, value, _, _ in keys}
        previous = self.objects.get((type_name, unique))
        owner = previous[0] if previous else self.match(keys)
        if owner is None and not OBJECT_TYPES[type_name]["AllowProfileCreation"]:
            assert len(self.mock.dead_letters) == letters + 1
            letter = self.mock.dead_letters[-1]
            assert (letter.object_type, json.loads(letter.object)) == (type_name, document)
            return
        assert len(self.mock.dead_letters) == letters
        if owner is None:
            unique_key = OBJECT_KEYS[type_name][0][0]
            found = self.client.search_profiles(DomainName=DOMAIN, KeyName=unique_key, Values=[unique])["Items"]
            new = [item["ProfileId"] for item in found if item["ProfileId"] not in self.created]
            assert len(new) == 1, found
            owner = new[0]
            self.created.append(owner)
            self.live[owner] = {}
            if mail is not None:  # an inferred profile: EmailAddress from the first EMAIL_ADDRESS field
                self.live[owner]["EmailAddress"] = mail
                self.ingested.setdefault(owner, set()).add("EmailAddress")
        self.objects[(type_name, unique)] = (owner, held)
        fields, written = self.live[owner], self.ingested.setdefault(owner, set())
        for source, path in TARGETS[type_name].items():
            value = document.get(source)
            if value is None:
                continue
            head, _, part = path.partition(".")
            present = part in fields.get(head, {}) if part else head in fields
            if present and path not in written:
                continue  # set through the API: never overwritten
            if part:
                fields.setdefault(head, {})[part] = value
            else:
                fields[head] = value
            written.add(path)

    def match(self, keys: list[tuple[str, str, bool, bool]]) -> str | None:
        """The one profile the keys find, primary keys first, an ambiguous key discarded."""
        attached = self.attached()
        for want_secondary in (False, True):
            for key, value, finds, secondary in keys:
                if not finds or secondary != want_secondary:
                    continue
                found = [
                    pid
                    for pid, fields in self.live.items()
                    if value_matches(
                        key, value, stored_values(pid, fields, attached.get(pid, {})).get(key, ()), self.lenient
                    )
                ]
                if len(found) == 1:
                    return found[0]
        return None

    # ----------------------------------------------------------------------------------------- searches

    def draw_pairs(self, data: st.DataObject) -> list[tuple[str, list[str]]]:
        known = st.sampled_from(self.created) if self.created else st.nothing()
        pairs = []
        for _ in range(data.draw(st.integers(1, 5), label="pairs")):
            key = data.draw(st.sampled_from(["_profileId", *KEY_VALUES]), label="key")
            pool = known | st.just("0" * 32) if key == "_profileId" else st.sampled_from(KEY_VALUES[key])
            pairs.append((key, data.draw(st.lists(pool, min_size=1, max_size=3), label="values")))
        return pairs

    def request(self, pairs: list[tuple[str, list[str]]], operator: str | None) -> dict[str, Any]:
        request: dict[str, Any] = {"DomainName": DOMAIN, "KeyName": pairs[0][0], "Values": pairs[0][1]}
        if len(pairs) > 1:
            request["AdditionalSearchKeys"] = [{"KeyName": key, "Values": values} for key, values in pairs[1:]]
        if operator is not None:
            request["LogicalOperator"] = operator
        return request

    @rule(data=st.data(), operator=st.sampled_from([None, "AND", "OR"]), sizes=PAGE_SIZES)
    def search(self, data: st.DataObject, operator: str | None, sizes: list[int | None]) -> None:
        pairs = self.draw_pairs(data)
        expected = oracle(self.live, self.attached(), pairs, operator or "OR", self.lenient)
        request = self.request(pairs, operator)
        got: list[dict[str, Any]] = []
        token = None
        for page_number in range(len(expected) + 2):
            size = sizes[min(page_number, len(sizes) - 1)]
            page = self.client.search_profiles(
                **request, **({"MaxResults": size} if size else {}), **({"NextToken": token} if token else {})
            )
            remaining = len(expected) - len(got)
            assert len(page["Items"]) == min(size or 20, remaining), (pairs, operator, size, page["Items"])
            got.extend(page["Items"])
            token = page.get("NextToken")
            assert (token is not None) == (len(got) < len(expected)), (pairs, operator, len(got), len(expected))
            if token is None:
                break
            if page_number == 0 and data.draw(st.booleans(), label="pause this search"):
                self.paused.append((pairs, operator or "OR", token, self.created.index(got[-1]["ProfileId"])))
        assert got == expected, (pairs, operator)

    @precondition(lambda self: self.paused)
    @rule(data=st.data())
    def resume(self, data: st.DataObject) -> None:
        """A token from an earlier search, used after other writes: the next page starts after the last
        profile returned, or the token is refused cleanly."""
        pairs, operator, token, after = self.paused.pop(data.draw(st.integers(0, len(self.paused) - 1)))
        request = self.request(pairs, operator)
        page, error = attempt(self.client.search_profiles, **request, NextToken=token, MaxResults=100)
        if error is not None:
            assert error_text(error) == ("BadRequestException", INVALID_TOKEN)
            return
        later = {pid: self.live[pid] for pid in self.created[after + 1 :] if pid in self.live}
        assert page["Items"] == oracle(later, self.attached(), pairs, operator, self.lenient)[:100]

    @rule(key=st.sampled_from(list(KEY_VALUES)), data=st.data())
    def single_value(self, key: str, data: st.DataObject) -> None:
        """The plain one-key search (no AdditionalSearchKeys, no LogicalOperator), first page only."""
        value = data.draw(st.sampled_from(KEY_VALUES[key]))
        page = self.client.search_profiles(DomainName=DOMAIN, KeyName=key, Values=[value], MaxResults=100)
        assert page["Items"] == oracle(self.live, self.attached(), [(key, [value])], "OR", self.lenient)[:100]

    # ---------------------------------------------------------------------------------------- invariants

    @invariant()
    def counts_agree(self) -> None:
        stats = self.client.get_domain(DomainName=DOMAIN)["Stats"]
        assert (stats["ProfileCount"], stats["ObjectCount"]) == (len(self.live), len(self.objects))


class LenientSearchMachine(SearchMachine):
    lenient = True


TestSearchAgainstTheOracle = SearchMachine.TestCase
TestLenientSearchAgainstTheOracle = LenientSearchMachine.TestCase
