"""Upload jobs: CreateUploadJob, GetUploadJob, ListUploadJobs, GetUploadJobPath, StartUploadJob, StopUploadJob.

A job maps the columns of a CSV file onto profiles ("Creates an Upload job to ingest data for segment
imports. The metadata is created for the job with the provided field mapping and unique key"; the console's
import "create[s] new profiles or update[s] existing ones"). The file goes to the URL of ``GetUploadJobPath``
(answered by the mock, see ``_uploads``); ``StartUploadJob`` runs the job through the one lifecycle of
asynchronous resources (kind ``"UploadJob"``: CREATED -> IN_PROGRESS -> SUCCEEDED / PARTIALLY_SUCCEEDED /
FAILED, or STOPPED), and the rows are ingested when it completes. Each row:

- reads its fields as an object type's fields read an object (``_source.<column>``; an empty cell is unset);
- needs a value for the ``UniqueKey`` field, else it is a failed record (as is a row with too few or too many
  cells);
- finds its profile by that value: a profile an earlier row or job holds it for (under the key named
  ``UniqueKey``), else, when the field targets a standard contact field, the one profile holding that value
  under ``_email``, ``_phone`` or ``_account``; two or more profiles found is a failed record;
- updates that profile (UpdatedRecords) or creates one (CreatedRecords), by ingestion's overwrite rules (a
  field set through the API is kept), and the profile lives ``DataExpiry`` days (2 weeks by default).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles import _uploads
from mock_customer_profiles._backend import (
    DIRECT,
    EMAIL_FIELDS,
    EXACT,
    PHONE_FIELDS,
    Domain,
    FieldSource,
    ObjectType,
    Profile,
    now,
)
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._expiry import Expiry
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.object_types import parse_target
from mock_customer_profiles._ingest import announce, mapped_profile, write_profile
from mock_customer_profiles._lifecycle import Flow, Run
from mock_customer_profiles._paging import page_in_order
from mock_customer_profiles._sources import SOURCE_PREFIX, read_source

DOCS_PAGE = "families/jobs.md"  # where the docs describe these operations (see _coverage.py)

FLOW = Flow("UploadJob", steps=("IN_PROGRESS",), done="SUCCEEDED", failed="FAILED")
DEFAULT_DATA_EXPIRY = 14  # "If not provided, the system default of 2 weeks is used"
MAX_FILE_BYTES = 1024**3  # the console's "Under 1GB"
UPLOAD_SOURCE = "_upload"  # the FieldSource of values an upload job wrote
_KEY_NAME = re.compile(r"^[a-zA-Z0-9-][a-zA-Z0-9_-]{0,63}$")
# The standard key a profile holds for the value of a standard contact field (as Domain.standard_values).
_STANDARD_KEY_OF = {
    **dict.fromkeys(EMAIL_FIELDS, "_email"),
    **dict.fromkeys(PHONE_FIELDS, "_phone"),
    "AccountNumber": "_account",
}


@dataclass
class UploadJob:
    job_id: str
    seq: int
    display_name: str
    fields: dict[str, dict[str, str]]
    unique_key: str  # the name of the field in Fields (as given)
    unique_field: str
    data_expiry: int
    data_expiry_given: bool
    created_at: dt.datetime
    client_tokens: dict[str, str] = field(default_factory=dict)  # ClientToken -> its MD5 (base64)
    upload: bytes | None = None
    run: Run | None = None
    stopped: bool = False
    stopped_at: dt.datetime | None = None
    outcome: tuple[str, str | None] = ("SUCCEEDED", None)  # Status and StatusReason set when the rows are done
    results: dict[str, int] = field(default_factory=dict)  # ResultsSummary, from the start


class UploadJobs:
    """The upload jobs of one domain (``domain.family(UploadJobs)``), in creation order."""

    def __init__(self) -> None:
        self.jobs: dict[str, UploadJob] = {}
        self.count = 0


def _job(ctx: Context, params: Params) -> tuple[Domain, UploadJob]:
    domain = ctx.domain(params["DomainName"])
    state = domain.families.get(UploadJobs)  # a call that fails creates no state
    job = state.jobs.get(params["JobId"]) if state is not None else None
    if job is None:
        raise NotFound(f"Upload job {params['JobId']} not found in domain {domain.name}")
    return domain, job


def _status(job: UploadJob, read: bool) -> tuple[str, str | None, dt.datetime | None]:
    """Status, StatusReason and CompletedAt; ``read`` moves the run on (a read of the job)."""
    if job.stopped:
        return "STOPPED", None, job.stopped_at
    run = job.run
    if run is None:
        return "CREATED", None, None
    state = run.observe() if read else run.state
    if not run.finished:
        return state, None, None
    if run.failed:
        return "FAILED", "INTERNAL_FAILURE", run.finished_at
    return job.outcome[0], job.outcome[1], run.finished_at


def _summary(job: UploadJob, read: bool) -> dict[str, Any]:
    status, reason, completed = _status(job, read)
    out: dict[str, Any] = {
        "JobId": job.job_id,
        "DisplayName": job.display_name,
        "Status": status,
        "CreatedAt": job.created_at,
        "DataExpiry": job.data_expiry,
    }
    if reason is not None:
        out["StatusReason"] = reason
    if completed is not None:
        out["CompletedAt"] = completed
    return out


# ----------------------------------------------------------------------------------------- operations


def _check_fields(fields: dict[str, dict[str, str]], unique_key: str) -> str:
    """Check the mapping (before anything is stored); returns the name of the unique key's field."""
    for name, definition in fields.items():
        source = definition.get("Source")
        if source is None:
            raise BadRequest(f"Field {name} of the upload job has no Source (_source.<column>)")
        if not source.startswith(SOURCE_PREFIX) or len(source) == len(SOURCE_PREFIX):
            raise BadRequest(f"Field {name} of the upload job: Source must be {SOURCE_PREFIX}<column>, not {source}")
        target = definition.get("Target")
        if target is not None and parse_target(target) is None:
            raise BadRequest(
                f"Field {name} of the upload job: Target {target} is not a standard profile field "
                "(_profile.<Field>, _profile.<Address>.<Part> or _profile.Attributes.<Name>)"
            )
    unique_field = unique_key if unique_key in fields else None
    if unique_field is None:  # the column's name instead of the field's
        unique_field = next((n for n, d in fields.items() if d.get("Source") == SOURCE_PREFIX + unique_key), None)
    if unique_field is None:
        raise BadRequest(
            f"UniqueKey {unique_key} is neither a field of Fields nor a column that one of them reads "
            f"(fields: {', '.join(fields)})"
        )
    if not _KEY_NAME.match(unique_key):
        raise BadRequest(
            f"UniqueKey {unique_key} cannot name a profile key: use letters, digits, '_' and '-' "
            "(not starting with '_'), at most 64 characters"
        )
    return unique_field


@handler("CreateUploadJob")
def create_upload_job(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    fields = {name: dict(definition) for name, definition in params["Fields"].items()}
    unique_field = _check_fields(fields, params["UniqueKey"])
    state = domain.family(UploadJobs)
    job = UploadJob(
        uuid.uuid4().hex,
        state.count,
        params["DisplayName"],
        fields,
        params["UniqueKey"],
        unique_field,
        params.get("DataExpiry", DEFAULT_DATA_EXPIRY),
        "DataExpiry" in params,
        now(),
    )
    state.count += 1
    state.jobs[job.job_id] = job
    return {"JobId": job.job_id}


@handler("GetUploadJob", keeps_params=False)
def get_upload_job(ctx: Context, params: Params) -> Output:
    _, job = _job(ctx, params)
    out = _summary(job, read=True)
    out["Fields"] = {name: dict(definition) for name, definition in job.fields.items()}
    out["UniqueKey"] = job.unique_key
    if job.run is not None:
        out["ResultsSummary"] = dict(job.results)
    return out


@handler("ListUploadJobs", keeps_params=False)
def list_upload_jobs(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = domain.families.get(UploadJobs) or UploadJobs()
    scope = ["ListUploadJobs", domain.name]
    page, more = page_in_order(ctx.backend.token_secret, scope, params, state.jobs.values(), lambda job: job.seq)
    return {"Items": [_summary(job, read=True) for job in page], **more}


@handler("GetUploadJobPath", keeps_params=False)
def get_upload_job_path(ctx: Context, params: Params) -> Output:
    domain, job = _job(ctx, params)
    if job.run is not None or job.stopped:
        raise BadRequest(f"Upload job {job.job_id} has already started: its file can no longer be uploaded")
    token, md5 = _uploads.client_token()
    job.client_tokens[token] = md5
    backend = ctx.backend
    url, until = _uploads.make_url(
        ctx.upload_base, backend.region, backend.account_id, domain.name, job.job_id, backend.token_secret
    )
    return {"Url": url, "ClientToken": token, "ValidUntil": until}


@handler("StartUploadJob", keeps_params=False)
def start_upload_job(ctx: Context, params: Params) -> Output:
    domain, job = _job(ctx, params)
    status, _, _ = _status(job, read=False)
    if status != "CREATED":
        raise BadRequest(f"Upload job {job.job_id} is {status}: only a CREATED job can be started")
    job.results = {"UpdatedRecords": 0, "CreatedRecords": 0, "FailedRecords": 0}
    job.run = ctx.jobs.start(FLOW, on_done=lambda run: _ingest_file(ctx, domain, job), job_id=job.job_id)
    return {}


@handler("StopUploadJob", keeps_params=False)
def stop_upload_job(ctx: Context, params: Params) -> Output:
    _, job = _job(ctx, params)
    status, _, _ = _status(job, read=False)
    if status not in ("CREATED", "IN_PROGRESS"):
        raise BadRequest(f"Upload job {job.job_id} is {status}: only a CREATED or IN_PROGRESS job can be stopped")
    if job.run is not None:
        job.run.stop("STOPPED")
        ctx.jobs.forget(job.run)
    job.stopped, job.stopped_at = True, now()
    return {}


# ------------------------------------------------------------------------------------------ ingestion


def _ingest_file(ctx: Context, domain: Domain, job: UploadJob) -> None:
    """The work of a job that completes: every row of its file onto profiles (``on_done`` of its run)."""
    if ctx.backend.domains.get(domain.name) is not domain:  # pragma: no cover - the job went with its domain
        return
    rows = _rows(job)
    if rows is None:
        job.outcome = ("FAILED", "VALIDATION_FAILURE")
        return
    mapping = ObjectType(UPLOAD_SOURCE, {}, job.fields, {}, (), True, job.created_at, job.created_at)
    standard_key = _standard_key(job)
    for row in rows:
        outcome = _ingest_row(ctx, domain, job, mapping, standard_key, row)
        job.results[outcome] += 1
    created, updated, failed = (job.results[name] for name in ("CreatedRecords", "UpdatedRecords", "FailedRecords"))
    if failed and not (created or updated):
        job.outcome = ("FAILED", "VALIDATION_FAILURE")
    elif failed:
        job.outcome = ("PARTIALLY_SUCCEEDED", None)
    else:
        job.outcome = ("SUCCEEDED", None)


def _rows(job: UploadJob) -> list[dict[str, str] | None] | None:
    """The rows of the file as column -> cell (``None`` for a malformed row); ``None`` when the file is
    missing, not UTF-8, has no header, or lacks a column the fields read."""
    if job.upload is None or len(job.upload) > MAX_FILE_BYTES:
        return None
    try:
        text = job.upload.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or len(set(header)) != len(header):
            return None
        columns = {definition["Source"][len(SOURCE_PREFIX) :].split(".")[0] for definition in job.fields.values()}
        if not columns <= set(header):
            return None
        rows: list[dict[str, str] | None] = []
        for cells in reader:
            if not cells:
                continue  # a blank line
            rows.append(dict(zip(header, cells, strict=True)) if len(cells) == len(header) else None)
    except csv.Error:
        return None
    return rows


def _standard_key(job: UploadJob) -> str | None:
    target = job.fields[job.unique_field].get("Target")
    path = parse_target(target) if target is not None else None
    return _STANDARD_KEY_OF.get(path[0]) if path is not None and len(path) == 1 else None


def _ingest_row(
    ctx: Context,
    domain: Domain,
    job: UploadJob,
    mapping: ObjectType,
    standard_key: str | None,
    row: dict[str, str] | None,
) -> str:
    if row is None:
        return "FailedRecords"
    document = {column: cell for column, cell in row.items() if cell != ""}
    values = {name: read_source(definition["Source"], document) for name, definition in job.fields.items()}
    unique = values.get(job.unique_field)
    if unique is None:
        return "FailedRecords"
    found = domain.index.lookup(job.unique_key, unique)
    if not found and standard_key is not None:
        found = domain.index.lookup(standard_key, unique)
    if len(found) > 1:
        return "FailedRecords"
    profile: Profile | None = domain.profiles[found.pop()] if found else None
    created = profile is None
    fields, sources, notes = mapped_profile(domain, mapping, values, profile, FieldSource(UPLOAD_SOURCE, None, None))
    profile, changed = write_profile(domain, profile, fields, sources)
    profile.hold(job.unique_key, unique, EXACT, DIRECT)
    domain.reindex(profile)
    announce(ctx, domain, profile, f"UploadJob {job.job_id}", notes, created=created, changed=changed)
    if ctx.options.expire_profiles:  # "The expiry duration for the profiles ingested with the job"
        at = dt.datetime.now(dt.timezone.utc).timestamp() + job.data_expiry * 86_400.0
        profile.expires_at = at
        domain.family(Expiry).push(at, profile)
    return "CreatedRecords" if created else "UpdatedRecords"
