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
import uuid
from dataclasses import dataclass
from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._paging import paginate

LIST_DEFAULT_PAGE = 100
MAX_CONTENT = 256_000  # the model's max for Content


@dataclass(frozen=True)
class HistoryRecord:
    id: str
    profile_id: str
    seq: int
    action: str
    object_type: str
    created_at: dt.datetime
    performed_by: str
    content: str
    unique_key: str | None

    def summary(self) -> dict[str, Any]:
        """The ``ProfileHistoryRecord`` shape (list items)."""
        out: dict[str, Any] = {
            "Id": self.id,
            "ObjectTypeName": self.object_type,
            "CreatedAt": self.created_at,
            "LastUpdatedAt": self.created_at,
            "ActionType": self.action,
            "PerformedBy": self.performed_by,
        }
        if self.unique_key is not None:
            out["ProfileObjectUniqueKey"] = self.unique_key
        return out


class History:
    """The history records of one domain, by profile id (oldest first), and by record id."""

    def __init__(self) -> None:
        self.by_profile: dict[str, list[HistoryRecord]] = {}
        self.by_id: dict[str, HistoryRecord] = {}
        self.seq = 0


def _content(change: Change) -> str:
    text = change.detail.get("Object")
    if isinstance(text, str):
        return text  # an object: the text as it was sent (at most 256 000 bytes, so characters)
    encoded = json.dumps(change.content or {}, separators=(",", ":"), ensure_ascii=False, default=str)
    return encoded[:MAX_CONTENT]


@_changes.subscribe
def record(ctx: Context, change: Change) -> None:
    history = change.domain.family(History)
    history.seq += 1
    entry = HistoryRecord(
        uuid.uuid4().hex,
        change.profile_id,
        history.seq,
        change.action,
        change.object_type,
        change.at,
        change.performed_by or ctx.caller,
        _content(change),
        change.unique_key,
    )
    history.by_profile.setdefault(change.profile_id, []).append(entry)
    history.by_id[entry.id] = entry


def _records(history: History, profile_id: str, domain_name: str) -> list[HistoryRecord]:
    """The records of a profile the domain has or had (every profile starts with its CREATED record);
    an id it never had is a ResourceNotFoundException."""
    records = history.by_profile.get(profile_id)
    if records is None:
        raise NotFound(f"Profile {profile_id} not found in domain {domain_name}")
    return records


@handler("ListProfileHistoryRecords", keeps_params=False)
def list_profile_history_records(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profile_id = params["ProfileId"]
    records = _records(domain.family(History), profile_id, domain.name)
    wanted = {name: params[name] for name in ("ObjectTypeName", "ActionType", "PerformedBy") if name in params}
    scope = ["ListProfileHistoryRecords", domain.name, profile_id, wanted]

    def matches(entry: HistoryRecord) -> bool:
        return (
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
    return {"ProfileHistoryRecords": [entry.summary() for entry in page], **more}


@handler("GetProfileHistoryRecord", keeps_params=False)
def get_profile_history_record(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    history = domain.family(History)
    profile_id, record_id = params["ProfileId"], params["Id"]
    _records(history, profile_id, domain.name)
    entry = history.by_id.get(record_id)
    if entry is None or entry.profile_id != profile_id:
        raise NotFound(f"Profile history record {record_id} not found for profile {profile_id}")
    return {**entry.summary(), "Content": entry.content}
