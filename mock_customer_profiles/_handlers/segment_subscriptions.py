"""Segment subscriptions and the segment stream (operations of the newest service models).

PutSegmentSubscription, GetSegmentSubscription, DeleteSegmentSubscription,
ListSegmentSubscriptionEvents, AssociateStreamForSegments, GetStreamForSegments and
DisassociateStreamForSegments. They are registered whatever the installed botocore model (reading the model
at import would load botocore with the package); with a model that lacks them they are never reached, since
requests are routed by the model.

A subscription takes its initial snapshot of the segment's members when it is put, then:

- ``LIVE`` events: every change of a profile (the change feed) re-evaluates that one profile against
  each subscribed segment; a profile that enters gets ``JOINED``, one that leaves (or is deleted)
  ``LEFT``.
- ``SCHEDULE`` events: when a read of the subscription (Get, ListSegmentSubscriptionEvents) finds the
  next scheduled execution due (``Interval`` hours after the last, read from the clock at each call, so
  freezegun and time-machine move it), the segment is evaluated again and every difference from the
  members the subscription knew is an event; this is how membership that moves with time alone
  (calculated attributes over a time window) shows up.

The subscription's status follows the shared lifecycle (kind ``SegmentSubscription``: ``STARTING`` ->
``RUNNING``, or ``FAILED``). While a stream is associated with the domain, every event is also recorded
as a ``SegmentStreamRecord`` side effect (what the Kinesis stream would have received), never sent.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import Domain
from mock_customer_profiles._changes import Change
from mock_customer_profiles._effects import Effects
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.segments import (
    SegmentDefinition,
    evaluator,
    guard_delete,
    segment_definition,
)
from mock_customer_profiles._lifecycle import Flow, Run
from mock_customer_profiles._paging import LIST_DEFAULT_PAGE, paginate

DOCS_PAGE = "families/segments.md"  # where the docs describe these operations (see _coverage.py)
SUBSCRIPTION_FLOW = Flow("SegmentSubscription", steps=("STARTING",), done="RUNNING", failed="FAILED")
DEFAULT_SCHEDULE = {"Interval": 24, "Unit": "HOURLY"}  # "If not set, the interval defaults to 24 hours."
_KINESIS_ARN = re.compile(r"^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream/[A-Za-z0-9_.-]+$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class Subscription:
    segment: str
    schedule: dict[str, Any]
    run: Run
    started_at: dt.datetime
    updated_at: dt.datetime
    last_executed_at: dt.datetime
    members: set[str]  # the members as the subscription last saw them
    events: list[dict[str, Any]] = field(default_factory=list)  # oldest first, each with a "seq"
    stopped: bool = False  # the domain's stream was disassociated

    @property
    def active(self) -> bool:
        return not self.stopped and not self.run.failed

    def status(self, observe: bool = False) -> str:
        state = self.run.observe() if observe else self.run.state
        return "STOPPED" if self.stopped else state

    def next_execution(self) -> dt.datetime:
        return self.last_executed_at + dt.timedelta(hours=int(self.schedule["Interval"]))


@dataclass
class SegmentStream:
    destination_arn: str
    role_arn: str
    associated_at: dt.datetime
    disassociated_at: dt.datetime | None = None

    @property
    def running(self) -> bool:
        return self.disassociated_at is None


@dataclass
class SubscriptionState:
    """Subscriptions and the segment stream of one domain (``domain.family(SubscriptionState)``)."""

    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    stream: SegmentStream | None = None
    seq: int = 0


def _state(ctx: Context, params: Params) -> tuple[Domain, SubscriptionState]:
    """The domain and its subscriptions state; a blank one is stored only by a handler that keeps
    something in it (``_keep``), so a rejected call changes nothing."""
    domain = ctx.domain(params["DomainName"])
    state = domain.families.get(SubscriptionState)
    return domain, SubscriptionState() if state is None else state


def _keep(domain: Domain, state: SubscriptionState) -> None:
    domain.families.setdefault(SubscriptionState, state)


def _segment(domain: Domain, name: str) -> SegmentDefinition:
    definition = segment_definition(domain, name)
    if definition is None:
        raise NotFound(f"Segment definition {name} not found in domain {domain.name}")
    return definition


def _subscription(domain: Domain, state: SubscriptionState, name: str) -> Subscription:
    _segment(domain, name)
    subscription = state.subscriptions.get(name)
    if subscription is None:
        raise NotFound(f"No subscription found for segment definition {name}")
    return subscription


def _event(
    effects: Effects, domain: Domain, state: SubscriptionState, sub: Subscription, pid: str, joined: bool, kind: str
) -> None:
    state.seq += 1
    at = _now()
    event = {"ProfileId": pid, "UpdatedAt": at, "EventType": kind, "Event": "JOINED" if joined else "LEFT"}
    sub.events.append({**event, "seq": state.seq})
    stream = state.stream
    if stream is not None and stream.running:
        effects.record(
            "SegmentStreamRecord",
            {
                "DestinationArn": stream.destination_arn,
                "DomainName": domain.name,
                "SegmentDefinitionName": sub.segment,
                **event,
                "UpdatedAt": at.isoformat(),
            },
        )


def _run_schedule(ctx: Context, domain: Domain, state: SubscriptionState, sub: Subscription) -> None:
    """The scheduled snapshot, when it is due: every difference from the known members is an event."""
    now = _now()
    if not sub.active or now < sub.next_execution():
        return
    definition = _segment(domain, sub.segment)
    current = evaluator(domain).members(definition.query)
    for pid in sorted(current - sub.members, key=lambda pid: domain.profiles[pid].seq):  # creation order
        _event(ctx.effects, domain, state, sub, pid, True, "SCHEDULE")
    for pid in sorted(sub.members - current):
        _event(ctx.effects, domain, state, sub, pid, False, "SCHEDULE")
    sub.members = set(current)
    sub.last_executed_at = now


def _schedule_out(schedule: dict[str, Any]) -> dict[str, Any]:
    return {"Interval": schedule["Interval"], "Unit": schedule.get("Unit", "HOURLY")}


# ------------------------------------------------------------------------------------- subscriptions


@handler("PutSegmentSubscription")
def put_segment_subscription(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    name = params["SegmentDefinitionName"]
    definition = _segment(domain, name)
    schedule = _schedule_out(params.get("ScheduleConfiguration") or DEFAULT_SCHEDULE)
    now = _now()
    sub = state.subscriptions.get(name)
    if sub is None:
        members = set(evaluator(domain).members(definition.query))  # the initial snapshot
        run = ctx.jobs.start(SUBSCRIPTION_FLOW)
        sub = state.subscriptions[name] = Subscription(name, schedule, run, now, now, now, members)
        _keep(domain, state)
    else:
        sub.schedule, sub.updated_at = schedule, now
    return {"Status": sub.status(), "ScheduleConfiguration": dict(sub.schedule), "StartedAt": sub.started_at}


@handler("GetSegmentSubscription")
def get_segment_subscription(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    sub = _subscription(domain, state, params["SegmentDefinitionName"])
    status = sub.status(observe=True)
    _run_schedule(ctx, domain, state, sub)
    out: dict[str, Any] = {"Status": status}
    if sub.run.failed:
        out["Message"] = str(sub.run.failure_reason)[:1000]
    out["ScheduleConfiguration"] = dict(sub.schedule)
    if sub.active:
        out["ScheduledExecutions"] = {"NextExecutedAt": sub.next_execution(), "LastExecutedAt": sub.last_executed_at}
    out["StartedAt"] = sub.started_at
    out["LastUpdatedAt"] = sub.updated_at
    return out


@handler("DeleteSegmentSubscription")
def delete_segment_subscription(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    name = params["SegmentDefinitionName"]
    sub = _subscription(domain, state, name)
    ctx.jobs.forget(sub.run)
    del state.subscriptions[name]
    return {"Message": f"Subscription for segment definition {name} deleted"}


@handler("ListSegmentSubscriptionEvents")
def list_segment_subscription_events(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    name = params["SegmentDefinitionName"]
    sub = _subscription(domain, state, name)
    _run_schedule(ctx, domain, state, sub)
    page, more = paginate(
        ctx.backend.token_secret,
        ["ListSegmentSubscriptionEvents", domain.name, name],
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [e for e in reversed(sub.events) if after is None or e["seq"] < after],  # newest first
        lambda event: event["seq"],
    )
    return {"Events": [{k: v for k, v in event.items() if k != "seq"} for event in page], **more}


@guard_delete
def _subscribed(domain: Domain, name: str) -> str | None:
    state = domain.families.get(SubscriptionState)
    if state is not None and name in state.subscriptions:
        return f"Segment definition {name} has a subscription: delete it with DeleteSegmentSubscription first"
    return None


@_changes.subscribe
def _live_events(ctx: Context, change: Change) -> None:
    """LIVE events: the changed profile against each active subscription of its domain."""
    domain = change.domain
    state = domain.families.get(SubscriptionState)
    if state is None or not state.subscriptions:
        return
    profile = domain.profiles.get(change.profile_id)
    engine = evaluator(domain)
    for sub in state.subscriptions.values():
        if not sub.active:
            continue
        definition = segment_definition(domain, sub.segment)
        now_in = profile is not None and definition is not None and engine.holds(definition.query, profile)
        if now_in != (change.profile_id in sub.members):
            (sub.members.add if now_in else sub.members.discard)(change.profile_id)
            _event(ctx.effects, domain, state, sub, change.profile_id, now_in, "LIVE")


# ------------------------------------------------------------------------------------------- streams


@handler("AssociateStreamForSegments")
def associate_stream_for_segments(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    arn = params["DestinationArn"]
    if state.stream is not None and state.stream.running:
        raise BadRequest(f"Domain {domain.name} already has an associated stream: {state.stream.destination_arn}")
    if _KINESIS_ARN.match(arn) is None:
        raise BadRequest(f"DestinationArn {arn} is not the ARN of a Kinesis data stream")
    state.stream = SegmentStream(arn, params["DestinationRoleArn"], _now())
    _keep(domain, state)
    return {}


@handler("GetStreamForSegments")
def get_stream_for_segments(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    stream = state.stream
    if stream is None:
        raise NotFound(f"No stream is associated with domain {domain.name}")
    segments = [{"SegmentName": name, "Status": sub.status()} for name, sub in state.subscriptions.items()]
    out: dict[str, Any] = {
        "AssociatedAt": stream.associated_at,
        "AssociatedSegments": segments,
        "DomainName": domain.name,
        "DestinationArn": stream.destination_arn,
        "DestinationRoleArn": stream.role_arn,
        "State": "RUNNING" if stream.running else "STOPPED",
    }
    if stream.disassociated_at is not None:
        out["DisassociatedAt"] = stream.disassociated_at
    return out


@handler("DisassociateStreamForSegments")
def disassociate_stream_for_segments(ctx: Context, params: Params) -> Output:
    domain, state = _state(ctx, params)
    stream = state.stream
    if stream is None or not stream.running:
        raise NotFound(f"No stream is associated with domain {domain.name}")
    stream.disassociated_at = _now()
    for sub in state.subscriptions.values():  # "subscriptions delivering events to this stream are stopped"
        ctx.jobs.forget(sub.run)
        sub.stopped = True
    return {"Message": f"Stream {stream.destination_arn} disassociated from domain {domain.name}"}
