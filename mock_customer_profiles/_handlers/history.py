"""Profile history: ListProfileHistoryRecords, GetProfileHistoryRecord.

Every change a handler reports on the change feed (``_changes``) becomes one record of the profile, in
the model's ``ActionType`` words: ``CREATED``, ``UPDATED``, ``INGESTED``, ``ADDED_PROFILE_KEY``,
``DELETED_PROFILE_KEY``, ``DELETED_BY_CUSTOMER``, ``MERGED``, ``DELETED_BY_MERGE``, ``EXPIRED``. The model
documents the action types only; when each is written and what ``Content`` holds are the mock's choices
(reference notes, families-semantics §6.2):

- ``ObjectTypeName``: ``_profile`` for changes of the profile itself, else the object's type (and
  ``ProfileObjectUniqueKey`` is the object's);
- ``Content``: the profile as ``GetProfile``/``SearchProfiles`` return it, the object text as it was sent,
  or ``{"KeyName", "Values"}`` for key changes, as JSON text;
- ``PerformedBy``: the caller's ARN (the account's root ARN: the mock has no IAM), or
  ``profile.amazonaws.com`` for expiry, which the service does itself;
- records of deleted profiles stay readable; lists are newest first.

State per domain, indexed by profile id: a list operation reads one profile's records, never the domain.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import Domain
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._paging import LIST_DEFAULT_PAGE, paginate

DOCS_PAGE = "families/history.md"  # where the docs describe these operations (see _coverage.py)

MAX_CONTENT = 256_000  # the model's max for Content


@dataclass(frozen=True, slots=True)  # one per change of every profile: no per-instance __dict__
class HistoryRecord:
    profile_id: str
    seq: int
    action: str
    object_type: str
    created_at: float  # epoch seconds
    performed_by: str
    content: str | Mapping[str, Any]  # JSON text, or the fields of the profile (see ``_content``)
    unique_key: str | None

    def content_text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        encoded = json.dumps(
            {"ProfileId": self.profile_id, **self.content}, separators=(",", ":"), ensure_ascii=False, default=str
        )
        return encoded[:MAX_CONTENT]

    def summary(self, history: History) -> dict[str, Any]:
        """The ``ProfileHistoryRecord`` shape (list items)."""
        out: dict[str, Any] = {
            "Id": history.make_id(self.seq),
            "ObjectTypeName": self.object_type,
            "CreatedAt": dt.datetime.fromtimestamp(self.created_at, dt.timezone.utc),
            "LastUpdatedAt": dt.datetime.fromtimestamp(self.created_at, dt.timezone.utc),
            "ActionType": self.action,
            "PerformedBy": self.performed_by,
        }
        if self.unique_key is not None:
            out["ProfileObjectUniqueKey"] = self.unique_key
        return out


# Record ids are 32 hex characters, made from the record's number by a bijection of 128-bit numbers (an odd
# multiplier and a per-domain offset), so that no id string and no id index is kept per record.
_MODULUS = 1 << 128
_MULTIPLIER = 0x9E3779B97F4A7C15F39CC0605CEDC835
_INVERSE = pow(_MULTIPLIER, -1, _MODULUS)


class History:
    """The history records of one domain, by profile id (oldest first; a profile with one record maps to
    the record itself, as most do), and in order of their number."""

    def __init__(self) -> None:
        self.by_profile: dict[str, HistoryRecord | list[HistoryRecord]] = {}
        self.records: list[HistoryRecord] = []
        self.offset = int.from_bytes(os.urandom(16), "big")

    def make_id(self, seq: int) -> str:
        return f"{(seq * _MULTIPLIER + self.offset) % _MODULUS:032x}"

    def find(self, record_id: str) -> HistoryRecord | None:
        try:
            seq = (int(record_id, 16) - self.offset) * _INVERSE % _MODULUS
        except ValueError:
            return None
        return self.records[seq] if seq < len(self.records) else None


def _content(change: Change) -> str | Mapping[str, Any]:
    """What the record keeps of the change's content. A profile's fields dict is replaced on every change,
    never written to, so the content of a change that shows the live profile as it now is (every CREATED
    record, most UPDATED ones) is that dict itself, shared with the profile: no copy per record."""
    text = change.detail.get("Object")
    if isinstance(text, str):
        return text  # an object: the text as it was sent (at most 256 000 bytes, so characters)
    content = change.content or {}
    profile = change.domain.profiles.get(change.profile_id)
    if profile is not None and content.get("ProfileId") == change.profile_id:
        fields = profile.fields
        if len(content) == len(fields) + 1 and all(content.get(name) == value for name, value in fields.items()):
            return fields
    encoded = json.dumps(content, separators=(",", ":"), ensure_ascii=False, default=str)
    return encoded[:MAX_CONTENT]


@_changes.subscribe
def record(ctx: Context, change: Change) -> None:
    history = change.domain.family(History)
    seq = len(history.records)
    entry = HistoryRecord(
        change.profile_id,
        seq,
        change.action,
        change.object_type,
        change.at.timestamp(),
        change.performed_by or ctx.caller,
        _content(change),
        change.unique_key,
    )
    earlier = history.by_profile.get(change.profile_id)
    if earlier is None:
        history.by_profile[change.profile_id] = entry
    elif isinstance(earlier, list):
        earlier.append(entry)
    else:
        history.by_profile[change.profile_id] = [earlier, entry]
    history.records.append(entry)


_NONE = History()  # what a read sees in a domain without records (a read never creates state)


def _history(domain: Domain) -> History:
    found: History | None = domain.families.get(History)
    return found if found is not None else _NONE


def _records(history: History, profile_id: str, domain_name: str) -> list[HistoryRecord]:
    """The records of a profile the domain has or had (every profile starts with its CREATED record);
    an id it never had is a ResourceNotFoundException."""
    records = history.by_profile.get(profile_id)
    if records is None:
        raise NotFound(f"Profile {profile_id} not found in domain {domain_name}")
    return records if isinstance(records, list) else [records]


@handler("ListProfileHistoryRecords", keeps_params=False)
def list_profile_history_records(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profile_id = params["ProfileId"]
    history = _history(domain)
    records = _records(history, profile_id, domain.name)
    wanted = {name: params[name] for name in ("ObjectTypeName", "ActionType", "PerformedBy") if name in params}
    scope = ["ListProfileHistoryRecords", domain.name, profile_id, wanted]

    def matches(entry: HistoryRecord) -> bool:
        return bool(
            wanted.get("ObjectTypeName", entry.object_type) == entry.object_type
            and wanted.get("ActionType", entry.action) == entry.action
            and wanted.get("PerformedBy", entry.performed_by) == entry.performed_by
        )

    page, more = paginate(
        ctx.backend.token_secret,
        scope,
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [entry for entry in reversed(records) if (after is None or entry.seq < after) and matches(entry)],
        lambda entry: entry.seq,
    )
    return {"ProfileHistoryRecords": [entry.summary(history) for entry in page], **more}


@handler("GetProfileHistoryRecord", keeps_params=False)
def get_profile_history_record(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    history = _history(domain)
    profile_id, record_id = params["ProfileId"], params["Id"]
    _records(history, profile_id, domain.name)
    entry = history.find(record_id)
    if entry is None or entry.profile_id != profile_id:
        raise NotFound(f"Profile history record {record_id} not found for profile {profile_id}")
    return {**entry.summary(history), "Content": entry.content_text()}
