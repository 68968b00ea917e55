"""Detection and attribute introspection: DetectProfileObjectType, ListObjectTypeAttributes,
ListObjectTypeAttributeValues, GetObjectTypeAttributeStatistics.

Detection proposes one object type mapping ("A maximum of one mapping is supported") from 1 to 5 sample
objects, by a fixed heuristic (the service's own is not documented):

- one field per leaf of the objects (nested objects give dotted paths; lists are skipped), in the order first
  seen, ``Source`` ``_source.<path>``, named after the path with ``_`` for ``.`` (key ``FieldNames`` allow no
  dot): ``customer.email`` -> ``customer_email``;
- ``ContentType``: ``EMAIL_ADDRESS`` for a value like ``a@b.c``, ``PHONE_NUMBER`` for a leaf named like a phone
  (phone, mobile, tel, fax) or a value of 7 to 15 digits written as phone numbers are, ``NAME`` for a leaf
  named like a name (firstName, last_name, fullName, name, ...), ``NUMBER`` for a JSON number, else ``STRING``;
- ``Target`` on the standard profile for a leaf whose name (case, ``_`` and ``-`` ignored) is a standard field
  or a usual alias of one (``email`` -> ``EmailAddress``, ``zip`` -> ``Address.PostalCode``), once per target;
- keys: a ``UNIQUE`` key on the id-like field (a leaf named ``id``, else the shortest path whose leaf ends in
  ``id``; without one, the email, else the phone, else the first field), named after the field;
  ``PROFILE`` keys ``_email`` and ``_phone`` on the first email and phone fields;
- ``SourceLastUpdatedTimestampFormat`` (and a field ``sourceLastUpdatedTimestamp``) when a leaf named like
  ``lastUpdated``/``updatedAt``/``modifiedAt`` holds an ISO 8601 date-time.

The attribute reads look at the stored objects of a profile object type through an aggregate per type, kept
up to date from the change feed (an ingested object adds its values; a replaced, deleted or expired object,
or a profile that goes, marks the type's aggregate stale and the next read rebuilds it from the type's own
index of objects): never a scan of the domain's profiles. An attribute is a field of the object type; its
values are the fields' values as ingestion reads them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import Domain, ObjectType, now
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.domain_object_types import data_store_enabled
from mock_customer_profiles._paging import LIST_DEFAULT_PAGE, make_token, paginate, read_token
from mock_customer_profiles._sources import read_source

DOCS_PAGE = "families/jobs.md"  # where the docs describe these operations (see _coverage.py)

VALUES_BYTES = 350_000  # "We store up to 350KB of attribute values per field, prioritizing the most recent"
MAX_VALUE_CHARS = 1000  # the model's Value is 1..1000 characters
_ATTRIBUTE_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")  # the model's AttributeName of ListObjectTypeAttributes

# ------------------------------------------------------------------------------------------- detection

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_VALUE = re.compile(r"^\+?[0-9 ().-]+$")
_PHONE_NAME = re.compile(r"(phone|mobile|cell|tel|fax)", re.IGNORECASE)
_NAME_NAMES = frozenset(
    {"firstname", "lastname", "middlename", "fullname", "name", "givenname", "surname", "familyname"}
)
_TIMESTAMP_NAMES = re.compile(
    r"^(last_?updated.*|updated_?(at|on|time|date)?|modified_?(at|on)?|last_?modified.*)$", re.IGNORECASE
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")
# Standard profile fields by folded leaf name (lower case, no '_' or '-').
_TARGETS = {
    "accountnumber": "AccountNumber",
    "firstname": "FirstName",
    "givenname": "FirstName",
    "middlename": "MiddleName",
    "lastname": "LastName",
    "surname": "LastName",
    "familyname": "LastName",
    "businessname": "BusinessName",
    "company": "BusinessName",
    "birthdate": "BirthDate",
    "dateofbirth": "BirthDate",
    "dob": "BirthDate",
    "gender": "GenderString",
    "email": "EmailAddress",
    "emailaddress": "EmailAddress",
    "personalemail": "PersonalEmailAddress",
    "personalemailaddress": "PersonalEmailAddress",
    "businessemail": "BusinessEmailAddress",
    "businessemailaddress": "BusinessEmailAddress",
    "phone": "PhoneNumber",
    "phonenumber": "PhoneNumber",
    "mobile": "MobilePhoneNumber",
    "mobilephone": "MobilePhoneNumber",
    "mobilephonenumber": "MobilePhoneNumber",
    "homephone": "HomePhoneNumber",
    "homephonenumber": "HomePhoneNumber",
    "businessphone": "BusinessPhoneNumber",
    "businessphonenumber": "BusinessPhoneNumber",
    "address1": "Address.Address1",
    "street": "Address.Address1",
    "address2": "Address.Address2",
    "city": "Address.City",
    "county": "Address.County",
    "state": "Address.State",
    "province": "Address.Province",
    "country": "Address.Country",
    "postalcode": "Address.PostalCode",
    "zip": "Address.PostalCode",
    "zipcode": "Address.PostalCode",
}


def _fold(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _leaves(document: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name, value in document.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict):
            found.extend(_leaves(value, path + "."))
        elif not isinstance(value, list):
            found.append((path, value))
    return found


def _content_type(leaf: str, value: Any) -> str:
    if isinstance(value, str) and _EMAIL.match(value):
        return "EMAIL_ADDRESS"
    if isinstance(value, str) and _phone_like(value):
        return "PHONE_NUMBER"
    if _PHONE_NAME.search(leaf) and isinstance(value, (str, int)) and not isinstance(value, bool):
        return "PHONE_NUMBER"
    if _fold(leaf) in _NAME_NAMES:
        return "NAME"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "NUMBER"
    return "STRING"


def _phone_like(value: str) -> bool:
    digits = sum(char.isdigit() for char in value)
    return bool(_PHONE_VALUE.match(value)) and 7 <= digits <= 15 and any(c in value for c in "+ ()-")


def _id_like(paths: list[str]) -> str | None:
    leaves = {path: path.rsplit(".", 1)[-1] for path in paths}
    exact = [path for path, leaf in leaves.items() if leaf.lower() == "id"]
    ending = [path for path, leaf in leaves.items() if leaf.lower().endswith("id") and len(leaf) > 2]
    for candidates in (exact, ending):
        if candidates:
            return min(candidates, key=lambda path: (path.count("."), len(path)))
    return None


def _key_name(field_name: str) -> str:
    name = re.sub(r"[^a-zA-Z0-9_-]", "_", field_name).lstrip("_") or "id"
    return name[:64]


def _field_name(path: str, taken: dict[str, Any]) -> str:
    base = re.sub(r"[^a-zA-Z0-9_-]", "_", path)[:60] or "field"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def detect(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The one mapping the heuristic proposes for these sample objects."""
    samples: dict[str, Any] = {}
    for document in documents:
        for path, value in _leaves(document):
            if samples.get(path) is None:
                samples[path] = value
    fields: dict[str, dict[str, str]] = {}
    taken: set[str] = set()
    timestamp_format: str | None = None
    kinds: dict[str, str] = {}
    for path, value in samples.items():
        leaf = path.rsplit(".", 1)[-1]
        if timestamp_format is None and _TIMESTAMP_NAMES.match(leaf) and isinstance(value, str) and _ISO.match(value):
            timestamp_format = "yyyy-MM-dd'T'HH:mm:ss'Z'" if value.endswith("Z") else "yyyy-MM-dd'T'HH:mm:ssXXX"
            fields["sourceLastUpdatedTimestamp"] = {"Source": f"_source.{path}", "ContentType": "STRING"}
            continue
        kind = _content_type(leaf, value)
        definition = {"Source": f"_source.{path}", "ContentType": kind}
        target = _TARGETS.get(_fold(leaf))
        if target is not None and target not in taken:
            taken.add(target)
            definition["Target"] = f"_profile.{target}"
        name = _field_name(path, fields)
        fields[name] = definition
        kinds[name] = kind
    mapped = [path for path in fields if path in kinds]
    unique = _id_like(mapped)
    if unique is None:
        first = {kind: path for path, kind in reversed(kinds.items())}
        unique = first.get("EMAIL_ADDRESS") or first.get("PHONE_NUMBER") or (mapped[0] if mapped else None)
    keys: dict[str, list[dict[str, Any]]] = {}
    if unique is not None:
        keys[_key_name(unique)] = [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": [unique]}]
    for kind, key in (("EMAIL_ADDRESS", "_email"), ("PHONE_NUMBER", "_phone")):
        holder = next((p for p, k in kinds.items() if k == kind), None)
        if holder is not None:
            keys[key] = [{"StandardIdentifiers": ["PROFILE"], "FieldNames": [holder]}]
    detected: dict[str, Any] = {"Fields": fields, "Keys": keys}
    if timestamp_format is not None:
        detected["SourceLastUpdatedTimestampFormat"] = timestamp_format
    return detected


@handler("DetectProfileObjectType", keeps_params=False)
def detect_profile_object_type(ctx: Context, params: Params) -> Output:
    ctx.domain(params["DomainName"])
    documents: list[dict[str, Any]] = []
    for n, text in enumerate(params["Objects"]):  # 1 to 5: the model's limits, checked before the handler
        try:
            document = json.loads(text)
        except ValueError:
            raise BadRequest(f"Objects[{n}] is not valid JSON") from None
        if not isinstance(document, dict):
            raise BadRequest(f"Objects[{n}] must be a JSON object")
        documents.append(document)
    detected = detect(documents)
    if not detected["Fields"]:
        raise BadRequest("The objects hold no field to detect (every value is a list or an empty object)")
    return {"DetectedProfileObjectTypes": [detected]}


# -------------------------------------------------------------------------------- attribute aggregates


@dataclass
class Attribute:
    """What the stored objects of one type hold for one field."""

    values: dict[str, dt.datetime] = field(default_factory=dict)  # value -> last ingested, oldest first
    numbers: dict[str, float] = field(default_factory=dict)  # object unique key -> numeric value
    updated: dt.datetime | None = None
    statistics: dict[str, Any] | None = None  # computed on the first read, kept until a number is added


@dataclass
class TypeAggregate:
    object_type: ObjectType
    fields: dict[str, dict[str, str]]  # the type's Fields when built (a Put replaces the dict)
    attributes: dict[str, Attribute]


class Aggregates:
    """Per object type, per field: values and numbers of the stored objects (``domain.family(Aggregates)``)."""

    def __init__(self) -> None:
        self.by_type: dict[str, TypeAggregate] = {}
        self.ingested_at: dict[str, dt.datetime] = {}  # object unique key -> when it was (last) ingested


def _add(aggregate: TypeAggregate, unique_key: str, document: Any, at: dt.datetime) -> None:
    for name, definition in aggregate.fields.items():
        value = read_source(definition["Source"], document)
        if value is None:
            continue
        attribute = aggregate.attributes.setdefault(name, Attribute())
        attribute.values.pop(value, None)
        attribute.values[value] = at
        attribute.updated = at if attribute.updated is None or at > attribute.updated else attribute.updated
        try:
            number = float(value)
        except ValueError:
            continue
        if math.isfinite(number):
            attribute.numbers[unique_key] = number
            attribute.statistics = None


def _on_change(ctx: Context, change: Change) -> None:
    """Keep the aggregates in line with the objects (subscribed to the change feed)."""
    state = change.domain.families.get(Aggregates)
    if change.object_type == _changes.PROFILE_TYPE:
        if state is not None and change.action in (_changes.DELETED_BY_CUSTOMER, _changes.EXPIRED):
            state.by_type.clear()  # its objects went with it
        return
    if change.unique_key is None:  # pragma: no cover - object changes carry their unique key
        return
    if change.action != _changes.INGESTED:
        if state is not None:
            state.by_type.pop(change.object_type, None)
            state.ingested_at.pop(change.unique_key, None)
        return
    state = change.domain.family(Aggregates)
    replaced = change.unique_key in state.ingested_at
    state.ingested_at[change.unique_key] = change.at
    aggregate = state.by_type.get(change.object_type)
    if aggregate is None:
        return
    if replaced:
        state.by_type.pop(change.object_type, None)  # the old object's values: rebuilt on the next read
    else:
        _add(aggregate, change.unique_key, change.content, change.at)


_changes.subscribe(_on_change)


def aggregate_of(domain: Domain, object_type: ObjectType) -> TypeAggregate:
    """The current aggregate of a type: kept, or rebuilt from the type's index of objects."""
    state = domain.family(Aggregates)
    aggregate = state.by_type.get(object_type.name)
    if aggregate is not None and aggregate.object_type is object_type and aggregate.fields is object_type.fields:
        return aggregate
    aggregate = TypeAggregate(object_type, object_type.fields, {})
    for obj in object_type.objects.values():  # in ingestion order
        at = state.ingested_at.get(obj.unique_key, object_type.created_at)
        _add(aggregate, obj.unique_key, json.loads(obj.body), at)
    state.by_type[object_type.name] = aggregate
    return aggregate


def _object_type(ctx: Context, params: Params) -> tuple[Domain, ObjectType]:
    domain = ctx.domain(params["DomainName"])
    object_type = domain.object_types.get(params["ObjectTypeName"])
    if object_type is None:
        raise NotFound(f"Object type {params['ObjectTypeName']} not found in domain {domain.name}")
    return domain, object_type


def _field(object_type: ObjectType, name: str) -> str:
    if name not in object_type.fields:
        raise NotFound(f"Attribute {name} is not a field of object type {object_type.name}")
    return name


@handler("ListObjectTypeAttributes", keeps_params=False)
def list_object_type_attributes(ctx: Context, params: Params) -> Output:
    domain, object_type = _object_type(ctx, params)
    scope = ["ListObjectTypeAttributes", domain.name, object_type.name]
    read_token(ctx.backend.token_secret, scope, params.get("NextToken"))  # a bad token: rejected before any cache
    aggregate = aggregate_of(domain, object_type)
    names, more = paginate(
        ctx.backend.token_secret,
        scope,
        params,
        LIST_DEFAULT_PAGE,
        lambda after: sorted(
            n for n in object_type.fields if _ATTRIBUTE_NAME.match(n) and (after is None or n > after)
        ),
        str,
    )
    items = []
    for name in names:
        attribute = aggregate.attributes.get(name)
        updated = attribute.updated if attribute is not None else None
        items.append({"AttributeName": name, "LastUpdatedAt": updated or object_type.updated_at})
    return {"Items": items, **more}


@handler("ListObjectTypeAttributeValues", keeps_params=False)
def list_object_type_attribute_values(ctx: Context, params: Params) -> Output:
    domain, object_type = _object_type(ctx, params)
    name = _field(object_type, params["AttributeName"])
    scope = ["ListObjectTypeAttributeValues", domain.name, object_type.name, name]
    after = read_token(ctx.backend.token_secret, scope, params.get("NextToken"))  # before the aggregate is built
    attribute = aggregate_of(domain, object_type).attributes.get(name, Attribute())
    start = 0 if after is None else int(after) + 1
    size = params.get("MaxResults", LIST_DEFAULT_PAGE)
    page: list[tuple[str, dt.datetime]] = []
    more: dict[str, str] = {}
    stored = 0
    # the most recent first, up to the storage limit; reads only as far as the page needs
    for position, (value, at) in enumerate(
        (value, at) for value, at in reversed(attribute.values.items()) if len(value) <= MAX_VALUE_CHARS
    ):
        stored += len(value.encode("utf-8"))
        if stored > VALUES_BYTES:
            break
        if position < start:
            continue
        if len(page) == size:
            more = {"NextToken": make_token(ctx.backend.token_secret, scope, position - 1)}
            break
        page.append((value, at))
    return {"Items": [{"Value": value, "LastUpdatedAt": at} for value, at in page], **more}


def _percentile(ordered: list[float], share: float) -> float:
    """Linear interpolation between the closest ranks."""
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@handler("GetObjectTypeAttributeStatistics", keeps_params=False)
def get_object_type_attribute_statistics(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    if not data_store_enabled(domain):
        raise BadRequest(
            f"Attribute statistics are available only for domains with data store enabled: domain {domain.name} "
            "has no DataStore with Enabled true"
        )
    domain, object_type = _object_type(ctx, params)
    name = _field(object_type, params["AttributeName"])
    attribute = aggregate_of(domain, object_type).attributes.get(name, Attribute())
    if attribute.statistics is None:
        attribute.statistics = _statistics(sorted(attribute.numbers.values()))
    kept = attribute.statistics
    return {"Statistics": {**kept, "Percentiles": dict(kept["Percentiles"])}, "CalculatedAt": now()}


def _statistics(numbers: list[float]) -> dict[str, Any]:
    """Minimum, maximum, mean, population standard deviation and percentiles of sorted numbers."""
    if not numbers:  # AWS: null values; the model requires numbers, so every statistic is 0.0
        numbers = [0.0]
    mean = math.fsum(numbers) / len(numbers)
    deviation = math.sqrt(math.fsum((n - mean) ** 2 for n in numbers) / len(numbers))
    percentiles = {f"P{p}": _percentile(numbers, p / 100) for p in (5, 25, 50, 75, 95)}
    return {
        "Maximum": numbers[-1],
        "Minimum": numbers[0],
        "Average": mean,
        "StandardDeviation": deviation,
        "Percentiles": percentiles,
    }
