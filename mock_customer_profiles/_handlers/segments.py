"""Segments: definitions, estimates, snapshots and membership.

CreateSegmentDefinition, GetSegmentDefinition, ListSegmentDefinitions, DeleteSegmentDefinition,
CreateSegmentEstimate, GetSegmentEstimate, CreateSegmentSnapshot, GetSegmentSnapshot and
GetSegmentMembership. Which profiles a definition selects is the segment engine's work
(``_segment_engine``: the evaluation rules and how the field index avoids scanning the domain);
this module keeps the family's state per domain (``SegmentState``) and speaks the API.

Other families use two public functions: ``segment_definition(domain, name)`` (the definition, or
``None``) and ``is_member(domain, name, profile)``. ``guard_delete`` lets a family that refers to segment
definitions (event triggers) refuse their deletion.

Estimates and snapshots are asynchronous resources of the shared lifecycle (kinds ``SegmentEstimate``
and ``SegmentSnapshot``); a finished snapshot is recorded as a ``SegmentSnapshot`` side effect (the
profiles it would have exported, in the requested format), never written anywhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import Domain, Profile
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, calculated_attributes, handler
from mock_customer_profiles._handlers.profiles import view
from mock_customer_profiles._lifecycle import Flow, Run
from mock_customer_profiles._paging import page_of_names
from mock_customer_profiles._segment_engine import (
    ADDRESS_FIELDS,
    Evaluator,
    FieldIndex,
    Query,
    compile_groups,
    field_value,
    parse_date,
    parse_number,
)
from mock_customer_profiles._tags import arn, given, shown, taggable

DOCS_PAGE = "families/segments.md"  # where the docs describe these operations (see _coverage.py)
ESTIMATE_FLOW = Flow("SegmentEstimate", steps=("RUNNING",), done="SUCCEEDED", failed="FAILED")
SNAPSHOT_FLOW = Flow("SegmentSnapshot", steps=("IN_PROGRESS",), done="COMPLETED", failed="FAILED")
SQL_UNSUPPORTED = (
    "mock_customer_profiles: SegmentSqlQuery is not supported: the mock does not run Spark SQL segments "
    "(see docs/families/segments.md#sql-segments); define the segment with SegmentGroups"
)
_ROUTING = ("DomainName", "SegmentDefinitionName")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class SegmentDefinition:
    """One segment definition of a domain, as created (there is no update)."""

    name: str
    arn: str
    display_name: str
    query: Query
    request: dict[str, Any]  # the CreateSegmentDefinition members as given (DomainName excepted)
    created_at: dt.datetime
    tags: dict[str, str] = field(default_factory=dict)  # as created, then as TagResource/UntagResource leave them

    @property
    def description(self) -> str | None:
        return self.request.get("Description")


@dataclass
class SegmentState:
    """The segments family of one domain (``domain.family(SegmentState)``)."""

    definitions: dict[str, SegmentDefinition] = field(default_factory=dict)
    estimates: dict[str, Run] = field(default_factory=dict)
    snapshots: dict[str, Run] = field(default_factory=dict)  # snapshot id -> run (data: the segment name)
    index: FieldIndex = field(default_factory=FieldIndex)


# ---------------------------------------------------------------------------------- public for families

DeleteGuard = Callable[[Domain, str], "str | None"]
_DELETE_GUARDS: list[DeleteGuard] = []


def guard_delete(guard: DeleteGuard) -> DeleteGuard:
    """Register ``guard(domain, segment_name)``: a reason (a message) to refuse deleting that segment
    definition, or ``None``. Event triggers use it for their ``SegmentFilter``. Register once, at import."""
    _DELETE_GUARDS.append(guard)
    return guard


def segment_definition(domain: Domain, name: str) -> SegmentDefinition | None:
    """The segment definition ``name`` of ``domain``, or ``None``."""
    state = domain.families.get(SegmentState)
    return None if state is None else state.definitions.get(name)


taggable("segment-definitions", "Segment definition")(segment_definition)


def is_member(domain: Domain, name: str, profile: Profile) -> bool:
    """Whether ``profile`` is in the segment ``name`` now (``False`` for an unknown segment)."""
    definition = segment_definition(domain, name)
    if definition is None:
        return False
    return evaluator(domain).holds(definition.query, profile)


def evaluator(domain: Domain) -> Evaluator:
    """An evaluator of the domain's segments as they are now."""
    state = domain.family(SegmentState)
    return Evaluator(domain, state.index, lambda name: state.definitions[name].query, calculated_value)


def calculated_value(domain: Domain, name: str, profile: Profile, override: Mapping[str, Any] | None) -> str | None:
    """The value of a calculated attribute for a profile, with a dimension's ``ConditionOverrides.Range``
    (``None``: no value, or no such definition any more)."""
    try:
        return calculated_attributes.calculated_value(domain, name, profile, {"Range": override} if override else None)
    except NotFound:  # deleted after the segment was defined: no value, so no condition on it holds
        return None


# --------------------------------------------------------------------------------------- definitions


def _state(ctx: Context, params: Params) -> tuple[Domain, SegmentState]:
    """The domain and its segments state; a domain without one gets a blank state that is stored only
    when a handler keeps something in it (``_keep``), so a rejected call changes nothing."""
    domain = ctx.domain(params["DomainName"])
    state = domain.families.get(SegmentState)
    return domain, SegmentState() if state is None else state


def _keep(domain: Domain, state: SegmentState) -> None:
    domain.families.setdefault(SegmentState, state)


def _definition(domain: Domain, state: SegmentState, name: str) -> SegmentDefinition:
    definition = state.definitions.get(name)
    if definition is None:
        raise NotFound(f"Segment definition {name} not found in domain {domain.name}")
    return definition


def _compile(domain: Domain, state: SegmentState, structure: Mapping[str, Any], where: str) -> Query:
    calculated = set(calculated_attributes.definition_names(domain))
    return compile_groups(structure, where, lambda name: name in state.definitions, calculated.__contains__)


def _summary(definition: SegmentDefinition) -> dict[str, Any]:
    out: dict[str, Any] = {
        "SegmentDefinitionName": definition.name,
        "DisplayName": definition.display_name,
        "Description": definition.description,
        "SegmentDefinitionArn": definition.arn,
        "CreatedAt": definition.created_at,
    }
    return {**{key: value for key, value in out.items() if value is not None}, **shown(definition.tags)}


@handler("CreateSegmentDefinition")
def create_segment_definition(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    name = params["SegmentDefinitionName"]
    request = {key: value for key, value in params.items() if key != "DomainName"}
    existing = state.definitions.get(name)
    if existing is not None:
        if existing.request == request:  # the operation is idempotent: the same request again
            return _summary(existing)
        raise BadRequest(f"Segment definition with name {name} already exists")
    if "SegmentSqlQuery" in params:
        raise BadRequest(SQL_UNSUPPORTED)
    if "SegmentGroups" not in params:
        raise BadRequest("A segment definition needs SegmentGroups (or SegmentSqlQuery)")
    query = _compile(domain, state, params["SegmentGroups"], "SegmentGroups")
    calculated = set(calculated_attributes.definition_names(domain))
    for n, attribute in enumerate(params.get("SegmentSort", {}).get("Attributes", ())):
        if attribute.get("Type") == "CALCULATED" and attribute["Name"] not in calculated:
            raise BadRequest(
                f"SegmentSort.Attributes[{n}]: calculated attribute definition {attribute['Name']} does not exist"
            )
    definition = SegmentDefinition(
        name,
        arn(ctx.backend, domain.name, "segment-definitions", name),
        params["DisplayName"],
        query,
        json.loads(json.dumps(request)),
        _now(),
        given(params, f"Segment definition {name}"),
    )
    state.definitions[name] = definition
    _keep(domain, state)
    return _summary(definition)


@handler("GetSegmentDefinition", keeps_params=False)
def get_segment_definition(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    definition = _definition(domain, state, params["SegmentDefinitionName"])
    out = _summary(definition)
    for member in ("SegmentGroups", "SegmentSort"):
        if member in definition.request:
            out[member] = definition.request[member]
    out["SegmentType"] = "CLASSIC"
    return out


@handler("ListSegmentDefinitions", keeps_params=False)
def list_segment_definitions(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    names, more = page_of_names(
        ctx.backend.token_secret, ["ListSegmentDefinitions", domain.name], params, state.definitions
    )
    return {"Items": [{**_summary(state.definitions[name]), "SegmentType": "CLASSIC"} for name in names], **more}


@handler("DeleteSegmentDefinition")
def delete_segment_definition(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    name = params["SegmentDefinitionName"]
    _definition(domain, state, name)
    users = sorted(other.name for other in state.definitions.values() if name in _sources(other.query))
    if users:
        raise BadRequest(
            f"Segment definition {name} is a source segment of {', '.join(users)}: delete those definitions first"
        )
    for guard in _DELETE_GUARDS:
        reason = guard(domain, name)
        if reason is not None:
            raise BadRequest(reason)
    del state.definitions[name]
    for snapshot_id, run in list(state.snapshots.items()):
        if run.data["segment"] == name:
            ctx.jobs.forget(run)
            del state.snapshots[snapshot_id]
    return {"Message": f"Segment definition {name} deleted"}


def _sources(query: Query) -> set[str]:
    return {source for group in query.groups for source in group.sources}


# --------------------------------------------------------------------------------------- estimates


@handler("CreateSegmentEstimate")
def create_segment_estimate(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    if "SegmentSqlQuery" in params:
        raise BadRequest(SQL_UNSUPPORTED)
    if "SegmentQuery" not in params:
        raise BadRequest("A segment estimate needs a SegmentQuery (or SegmentSqlQuery)")
    query = _compile(domain, state, params["SegmentQuery"], "SegmentQuery")
    _keep(domain, state)
    count = len(evaluator(domain).members(query))  # the domain as it is when the estimate is asked for
    estimate_id = uuid.uuid4().hex
    state.estimates[estimate_id] = ctx.jobs.start(ESTIMATE_FLOW, count=count)
    return {"DomainName": domain.name, "EstimateId": estimate_id, "StatusCode": 200}


@handler("GetSegmentEstimate", keeps_params=False)
def get_segment_estimate(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    run = state.estimates.get(params["EstimateId"])
    if run is None:
        raise NotFound(f"Segment estimate {params['EstimateId']} not found in domain {domain.name}")
    status = run.observe()
    out: dict[str, Any] = {"DomainName": domain.name, "EstimateId": params["EstimateId"], "Status": status}
    if status == ESTIMATE_FLOW.done:
        out["Estimate"] = str(run.data["count"])
    elif run.failed:
        out["Message"] = str(run.failure_reason)[:255]
    out["StatusCode"] = 200
    return out


# --------------------------------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class SegmentSnapshot:
    """What a finished CreateSegmentSnapshot would have exported (``cp.segment_snapshots``).

    ``profiles``: the members as the API returns profiles (``Profile`` shape), in creation order.
    ``content``: the export file in ``data_format``: text for CSV (a header row) and JSON Lines, bytes for
    ORC (written with pyarrow, the ``orc`` extra; ``None`` where pyarrow is not installed)."""

    domain_name: str
    segment_definition_name: str
    snapshot_id: str
    data_format: str
    destination_uri: str
    encryption_key: str | None
    role_arn: str | None
    profiles: tuple[dict[str, Any], ...]
    content: str | bytes | None
    completed_at: dt.datetime

    @property
    def profile_ids(self) -> list[str]:
        return [profile["ProfileId"] for profile in self.profiles]


def _flat(profile: Mapping[str, Any]) -> dict[str, str]:
    """A profile as one row: nested members (addresses, Attributes) as ``Member.Part`` columns."""
    row: dict[str, str] = {}
    for key, value in profile.items():
        if isinstance(value, dict) and (key in ADDRESS_FIELDS or key == "Attributes"):
            row.update({f"{key}.{part}": str(inner) for part, inner in value.items()})
        elif isinstance(value, (dict, list)):
            row[key] = json.dumps(value, sort_keys=True)
        else:
            row[key] = str(value)
    return row


def render(data_format: str, profiles: list[dict[str, Any]]) -> str | bytes | None:
    if data_format == "JSONL":
        return "".join(json.dumps(profile, sort_keys=True) + "\n" for profile in profiles)
    rows = [_flat(profile) for profile in profiles]
    columns = ["ProfileId", *sorted({column for row in rows for column in row} - {"ProfileId"})]
    if data_format == "CSV":
        out = io.StringIO()
        writer = csv.DictWriter(out, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    return _orc(columns, rows)


def _orc(columns: list[str], rows: list[dict[str, str]]) -> bytes | None:
    """The rows as an ORC file (the CSV's columns, every one a string column; a profile without a value has
    null there), written by pyarrow: a well-kept writer of the format, which the mock needs only for this
    and so does not require (the ``orc`` extra). ``None`` where pyarrow is not installed."""
    try:
        import pyarrow
        from pyarrow import orc
    except ImportError:
        return None
    table = pyarrow.table(
        {column: pyarrow.array([row.get(column) for row in rows], pyarrow.string()) for column in columns}
    )
    sink = pyarrow.BufferOutputStream()
    orc.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


def ordered(domain: Domain, definition: SegmentDefinition, members: frozenset[str]) -> list[Profile]:
    """The members in the definition's ``SegmentSort`` order (by each attribute in turn, a profile without a
    value for one after those with one), else in creation order."""
    profiles = domain.profiles
    chosen = sorted((profiles[pid] for pid in members), key=lambda profile: profile.seq)  # creation order
    sort = definition.request.get("SegmentSort")
    for attribute in reversed(sort["Attributes"] if sort else []):  # stable sorts, the last attribute first
        read = _sort_key(domain, attribute)
        keys = {profile.profile_id: read(profile) for profile in chosen}
        with_value = [profile for profile in chosen if keys[profile.profile_id] is not None]
        with_value.sort(key=lambda profile: keys[profile.profile_id], reverse=attribute["Order"] == "DESC")
        chosen = with_value + [profile for profile in chosen if keys[profile.profile_id] is None]
    return chosen


def _sort_key(domain: Domain, attribute: Mapping[str, Any]) -> Callable[[Profile], Any]:
    name, data_type = attribute["Name"], attribute.get("DataType", "STRING")
    parse: Callable[[str], Any] = {"NUMBER": parse_number, "DATE": parse_date}.get(data_type, str)

    def key(profile: Profile) -> Any:
        if attribute.get("Type") == "CALCULATED":
            text = calculated_value(domain, name, profile, None)
        else:
            text = field_value(profile.fields, name)
        return None if text is None else parse(text)

    return key


@handler("CreateSegmentSnapshot")
def create_segment_snapshot(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    definition = _definition(domain, state, params["SegmentDefinitionName"])
    if "DestinationUri" not in params:
        raise BadRequest("DestinationUri must be provided when the request does not come from the admin website")
    snapshot_id = uuid.uuid4().hex
    effects, backend = ctx.effects, ctx.backend

    def export(run: Run) -> None:
        if backend.domains.get(domain.name) is not domain:  # the domain was deleted meanwhile: nothing to export
            return
        members = evaluator(domain).members(definition.query)
        profiles = [view(profile) for profile in ordered(domain, definition, members)]
        effects.record(
            "SegmentSnapshot",
            SegmentSnapshot(
                domain.name,
                definition.name,
                snapshot_id,
                params["DataFormat"],
                params["DestinationUri"],
                params.get("EncryptionKey"),
                params.get("RoleArn"),
                tuple(profiles),
                render(params["DataFormat"], profiles),
                run.updated_at,
            ),
        )

    options = {
        key: params[key] for key in ("DataFormat", "EncryptionKey", "RoleArn", "DestinationUri") if key in params
    }
    state.snapshots[snapshot_id] = ctx.jobs.start(SNAPSHOT_FLOW, export, segment=definition.name, options=options)
    return {"SnapshotId": snapshot_id}


@handler("GetSegmentSnapshot", keeps_params=False)
def get_segment_snapshot(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    name = params["SegmentDefinitionName"]
    _definition(domain, state, name)
    run = state.snapshots.get(params["SnapshotId"])
    if run is None or run.data["segment"] != name:
        raise NotFound(f"Segment snapshot {params['SnapshotId']} not found for segment definition {name}")
    out: dict[str, Any] = {"SnapshotId": params["SnapshotId"], "Status": run.observe(), **run.data["options"]}
    if run.failed:
        out["StatusMessage"] = str(run.failure_reason)[:1000]
    return out


# -------------------------------------------------------------------------------------- membership


@handler("GetSegmentMembership", keeps_params=False)
def get_segment_membership(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    definition = _definition(domain, state, params["SegmentDefinitionName"])
    engine = evaluator(domain)
    found: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for profile_id in params["ProfileIds"]:
        profile = domain.profiles.get(profile_id)
        if profile is None:
            failures.append({"ProfileId": profile_id, "Message": "Profile not found", "Status": 404})
        elif engine.holds(definition.query, profile):
            found.append({"ProfileId": profile_id, "QueryResult": "PRESENT", "Profile": view(profile)})
        else:
            found.append({"ProfileId": profile_id, "QueryResult": "ABSENT"})
    out: dict[str, Any] = {"SegmentDefinitionName": definition.name, "Profiles": found}
    if failures:
        out["Failures"] = failures
    out["LastComputedAt"] = _now()
    return out


# ------------------------------------------------------------------------------------- change feed


@_changes.subscribe
def _keep_index(ctx: Context, change: Change) -> None:
    """Keep the field index of a domain that evaluates segments in line with its profiles."""
    state = change.domain.families.get(SegmentState)
    if state is not None:
        state.index.update(change.domain, change.profile_id)
