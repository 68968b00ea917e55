"""Event streams: CreateEventStream, GetEventStream, DeleteEventStream, ListEventStreams, and the
records a stream would put on its Kinesis data stream.

While a domain has a stream whose destination is healthy, every change of a profile or an object of the
domain (the change feed, ``_changes``) becomes one record in the format of the admin guide's "Real-time
export Kinesis payload" (https://docs.aws.amazon.com/connect/latest/adminguide/set-up-real-time-export.html)::

    {"SchemaVersion": 0, "EventId": "...", "EventTimestamp": "2020-01-01T00:00:00.000Z", "EventType": "CREATED",
     "DomainName": "...", "ObjectTypeName": "...", "AssociatedProfileId": "...",
     "ProfileObjectUniqueKey": "...", "Object": {...}, "IsMessageRealTime": true}

Profile changes carry ``ObjectTypeName: "_profile"``, the profile as ``Object`` and no
``AssociatedProfileId``/``ProfileObjectUniqueKey`` (as a captured real record shows). Nothing is sent:
each record is kept on the mock (``cp.stream_records()``, effect kind ``StreamRecord``).

The destination goes through the shared lifecycle (kind ``EventStreamDestination``): it is ``HEALTHY``,
unless ``cp.fail_next("EventStreamDestination", reason)`` made it ``UNHEALTHY`` (with ``reason`` as its
``Message``); an unhealthy destination receives no records.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import Domain, now
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._lifecycle import Flow, Run
from mock_customer_profiles._paging import page_of_names
from mock_customer_profiles._tags import arn, given, shown, taggable

DOCS_PAGE = "families/integrations.md"  # where the docs describe these operations (see _coverage.py)
RECORD = "StreamRecord"  # the kind of the side-effect records (cp.effects(RECORD))
DESTINATION = Flow("EventStreamDestination", ("HEALTHY",), "HEALTHY", "UNHEALTHY")
_KINESIS_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):kinesis:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):stream/[a-zA-Z0-9_.-]{1,128}$"
)
# The change feed's actions in the payload's EventType words. Key changes leave the profile's fields and
# objects as they were, so they put nothing on the stream; what deletes a profile or object is DELETED.
EVENT_TYPE = {
    _changes.CREATED: "CREATED",
    _changes.UPDATED: "UPDATED",
    _changes.MERGED: "UPDATED",
    _changes.DELETED_BY_CUSTOMER: "DELETED",
    _changes.DELETED_BY_MERGE: "DELETED",
    _changes.EXPIRED: "DELETED",
}


@dataclass(frozen=True)
class StreamRecord:
    """One record the service would have put on the stream's Kinesis data stream."""

    event_stream_name: str
    domain_name: str
    stream_arn: str  # the Kinesis data stream (the event stream's Uri)
    partition_key: str
    data: dict[str, Any]  # the JSON payload


@dataclass
class EventStream:
    name: str
    arn: str
    uri: str
    created_at: dt.datetime
    destination: Run
    tags: dict[str, str] = field(default_factory=dict)

    def destination_details(self) -> dict[str, Any]:
        status = self.destination.observe()
        out: dict[str, Any] = {"Uri": self.uri, "Status": status}
        if status == DESTINATION.failed:
            out["UnhealthySince"] = self.destination.updated_at
            out["Message"] = self.destination.failure_reason or "The destination is unhealthy"
        return out


class EventStreams:
    """The event streams of one domain (one at most: see CreateEventStream)."""

    def __init__(self) -> None:
        self.by_name: dict[str, EventStream] = {}


def _check_uri(ctx: Context, uri: str) -> None:
    """A Kinesis data stream "in the same region and Amazon Web Services account as the customer profiles
    domain" (the model's CreateEventStream documentation)."""
    found = _KINESIS_ARN.match(uri)
    if found is None:
        raise BadRequest(
            f"Uri {uri} is not the ARN of a Kinesis data stream (arn:aws:kinesis:<region>:<account>:stream/<name>)"
        )
    if found["region"] != ctx.backend.region or found["account"] != ctx.backend.account_id:
        raise BadRequest(
            f"The Kinesis data stream {uri} must be in the same region and account as the domain "
            f"({ctx.backend.region}, {ctx.backend.account_id})"
        )


@taggable("event-streams", "Event stream")
def event_stream_by_name(domain: Domain, name: str) -> EventStream | None:
    """The domain's stream ``name`` (``event_stream_by_name.get``: or ``ResourceNotFoundException``)."""
    return domain.peek(EventStreams).by_name.get(name)


@handler("CreateEventStream")
def create_event_stream(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    if domain.peek(EventStreams).by_name:
        # AWS's own text (the CloudFormation handler's constant): one active event stream per domain.
        raise BadRequest(
            f"The Customer Profiles Domain: {domain.name} is already associated with an active EventStream"
        )
    uri = params["Uri"]
    _check_uri(ctx, uri)
    name = params["EventStreamName"]
    stream_arn = arn(ctx.backend, domain.name, "event-streams", name)
    tags = given(params, f"Event stream {name}")
    stream = EventStream(name, stream_arn, uri, now(), ctx.jobs.start(DESTINATION), tags)
    domain.family(EventStreams).by_name[name] = stream
    return {"EventStreamArn": stream_arn, **shown(stream.tags)}


@handler("GetEventStream", keeps_params=False)
def get_event_stream(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    stream = event_stream_by_name.get(domain, params["EventStreamName"])
    out: dict[str, Any] = {
        "DomainName": domain.name,
        "EventStreamArn": stream.arn,
        "CreatedAt": stream.created_at,
        "State": "RUNNING",
        "DestinationDetails": stream.destination_details(),
        **shown(stream.tags),
    }
    return out


@handler("DeleteEventStream")
def delete_event_stream(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    stream = event_stream_by_name.get(domain, params["EventStreamName"])
    del domain.family(EventStreams).by_name[stream.name]
    ctx.jobs.forget(stream.destination)
    return {}


@handler("ListEventStreams", keeps_params=False)
def list_event_streams(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    streams = domain.peek(EventStreams).by_name
    names, more = page_of_names(ctx.backend.token_secret, ["ListEventStreams", domain.name], params, streams)
    items = []
    for name in names:
        stream = streams[name]
        details = stream.destination_details()
        summary = {key: details[key] for key in ("Uri", "Status", "UnhealthySince") if key in details}
        item: dict[str, Any] = {
            "DomainName": domain.name,
            "EventStreamName": name,
            "EventStreamArn": stream.arn,
            "State": "RUNNING",
            "DestinationSummary": summary,
            **shown(stream.tags),
        }
        items.append(item)
    return {"Items": items, **more}


# ------------------------------------------------------------------------------------------ records


def _timestamp(at: dt.datetime) -> str:
    """ISO 8601 in UTC with milliseconds and ``Z``, as the captured records write it."""
    return at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def payload(change: Change, event_type: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "SchemaVersion": 0,
        "EventId": str(uuid.uuid4()),
        "EventTimestamp": _timestamp(change.at),
        "EventType": event_type,
        "DomainName": change.domain.name,
        "ObjectTypeName": change.object_type,
    }
    if change.object_type != _changes.PROFILE_TYPE:
        data["AssociatedProfileId"] = change.profile_id
        if change.unique_key is not None:
            data["ProfileObjectUniqueKey"] = change.unique_key
    data["Object"] = dict(change.content or {})
    data["IsMessageRealTime"] = True
    return data


def _event_type(change: Change) -> str | None:
    if change.action == _changes.INGESTED:
        return "UPDATED" if change.detail.get("replaced") else "CREATED"
    return EVENT_TYPE.get(change.action)


@_changes.subscribe
def _on_change(ctx: Context, change: Change) -> None:
    """Put the change on the domain's stream (a dictionary look-up when the domain has none)."""
    streams = change.domain.families.get(EventStreams)
    if streams is None or not streams.by_name:
        return
    event_type = _event_type(change)
    if event_type is None:
        return
    for stream in streams.by_name.values():
        if stream.destination.fail_with is not None:  # an unhealthy destination receives nothing
            continue
        ctx.effects.record(
            RECORD,
            StreamRecord(stream.name, change.domain.name, stream.uri, str(uuid.uuid4()), payload(change, event_type)),
        )
