"""Event triggers: CreateEventTrigger, GetEventTrigger, UpdateEventTrigger, DeleteEventTrigger,
ListEventTriggers, and their evaluation when an object is ingested.

How a trigger is evaluated (AWS admin guide, "Create an outbound campaign using event triggers",
https://docs.aws.amazon.com/connect/latest/adminguide/how-to-create-campaigns-using-event-triggers.html):
the conditions of a trigger have an OR relationship ("Conditions have default OR relationship"), the
dimensions of one condition are combined by its ``LogicalOperator`` (ALL, ANY, NONE), and the object
attributes of one dimension have an AND relationship. A trigger works through the integration that names
it in ``EventTriggerNames`` ("CreateEventTrigger: Defines which action to perform based on a specified
condition. PutIntegration: Defines the action to use"): when an ingested object of the trigger's object
type meets it, the trigger invokes that integration's destination, once per object, which the mock keeps
as an ``EventTriggerInvocation`` record (``cp.event_trigger_invocations()``). A trigger no integration
names invokes nothing. ``SegmentFilter`` restricts firing to the profiles of that segment;
``EventTriggerLimits.Periods`` cap the invocations per profile in a sliding window.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import Domain, now
from mock_customer_profiles._changes import Change
from mock_customer_profiles._conditions import NUMERIC, ORDERS
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.segments import guard_delete, is_member, segment_definition
from mock_customer_profiles._paging import page_of_names
from mock_customer_profiles._sources import SOURCE_PREFIX, lookup, read_source
from mock_customer_profiles._tags import given, stamped, taggable

DOCS_PAGE = "families/integrations.md"  # where the docs describe these operations (see _coverage.py)
INVOCATION = "EventTriggerInvocation"  # the kind of the side-effect records (cp.effects(INVOCATION))
DATES = frozenset({"BEFORE", "AFTER", "ON"})
RANGES = frozenset({"BETWEEN", "NOT_BETWEEN"})
# How long a period unit lasts (a month is 30 days: [default], the documentation gives no calendar rule).
UNIT = {
    "MINUTES": dt.timedelta(minutes=1),
    "HOURS": dt.timedelta(hours=1),
    "DAYS": dt.timedelta(days=1),
    "WEEKS": dt.timedelta(weeks=1),
    "MONTHS": dt.timedelta(days=30),
}
_CONFIG = ("ObjectTypeName", "Description", "EventTriggerConditions", "SegmentFilter", "EventTriggerLimits")


@dataclass(frozen=True)
class EventTriggerInvocation:
    """One invocation of an integration's destination by an event trigger (kept on the mock, never sent)."""

    event_trigger_name: str
    domain_name: str
    integration_uri: str  # the Uri of the integration that names the trigger: the destination invoked
    profile_id: str
    object_type_name: str
    profile_object_unique_key: str | None
    object: dict[str, Any]  # the ingested object that met the trigger
    invoked_at: dt.datetime


@dataclass
class EventTrigger:
    name: str
    config: dict[str, Any]  # the members as given (ObjectTypeName, conditions, limits, ...)
    created_at: dt.datetime
    updated_at: dt.datetime
    tags: dict[str, str] = field(default_factory=dict)
    # When the trigger invoked its destination, per profile, oldest first (for EventTriggerLimits.Periods).
    invoked: dict[str, list[dt.datetime]] = field(default_factory=dict)

    @property
    def object_type(self) -> str:
        return str(self.config["ObjectTypeName"])


class EventTriggers:
    """The event triggers of one domain (``domain.family(EventTriggers)``), with an index by object type
    (ingestion looks up only the triggers of the ingested type) and the integration that uses each."""

    def __init__(self) -> None:
        self.by_name: dict[str, EventTrigger] = {}
        self.by_type: dict[str, dict[str, EventTrigger]] = {}
        self.used_by: dict[str, str] = {}  # trigger name -> Uri of the integration that names it

    def add(self, trigger: EventTrigger) -> None:
        self.by_name[trigger.name] = trigger
        self.by_type.setdefault(trigger.object_type, {})[trigger.name] = trigger

    def remove(self, trigger: EventTrigger) -> None:
        del self.by_name[trigger.name]
        of_type = self.by_type[trigger.object_type]
        del of_type[trigger.name]
        if not of_type:
            del self.by_type[trigger.object_type]


# ------------------------------------------------------------------------------------------- values


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _date(text: str) -> dt.datetime | None:
    """An ISO 8601 date or timestamp (``Z`` allowed); a naive one is taken as UTC."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return None


def _values_at(path: str, document: Any) -> list[str]:
    """The scalar values at ``_source.a.b`` in the object: one for a scalar, each item for a list of them."""
    node = lookup(path[len(SOURCE_PREFIX) :], document)
    items = node if isinstance(node, list) else [node]  # a path that leads nowhere: no scalar, no value
    return [text for item in items if (text := _scalar(item)) is not None]


def compare(operator: str, found: list[str], wanted: list[str]) -> bool:
    """Whether the attribute's values (``found``; none when the object lacks it) meet ``operator`` with
    ``wanted``. An attribute the object lacks meets no operator. Text comparisons are case-sensitive.

    INCLUSIVE: "Checks if the target includes all the specified values"; EXCLUSIVE: "Checks if the target
    does not contain all the specified values" (the admin guide's table). The others are [default]:
    CONTAINS, BEGINS_WITH, ENDS_WITH hold when some value has one of ``wanted`` inside, at its start, at
    its end; the numeric and date operators compare with ``wanted[0]`` (``BETWEEN`` with the inclusive
    range ``wanted[0]``..``wanted[1]``, numbers when both bounds are numbers, else dates)."""
    if not found:
        return False
    if operator == "INCLUSIVE":
        return all(value in found for value in wanted)
    if operator == "EXCLUSIVE":
        return not all(value in found for value in wanted)
    if operator == "CONTAINS":
        return any(part in value for value in found for part in wanted)
    if operator == "BEGINS_WITH":
        return any(value.startswith(part) for value in found for part in wanted)
    if operator == "ENDS_WITH":
        return any(value.endswith(part) for value in found for part in wanted)
    if operator in NUMERIC:
        return any(_numeric(operator, value, wanted[0]) for value in found)
    if operator in DATES:
        return any(_dated(operator, value, wanted[0]) for value in found)
    inside = any(_within(value, wanted[0], wanted[1]) for value in found)
    return inside if operator == "BETWEEN" else not inside and all(_comparable(v, wanted[0]) for v in found)


def _numeric(operator: str, text: str, bound_text: str) -> bool:
    value, bound = _number(text), _number(bound_text)
    return value is not None and bound is not None and ORDERS[operator](value, bound)


def _dated(operator: str, text: str, bound_text: str) -> bool:
    value, bound = _date(text), _date(bound_text)
    if value is None or bound is None:
        return False
    if operator == "ON":
        return value.date() == bound.date()
    return value < bound if operator == "BEFORE" else value > bound


def _comparable(text: str, bound_text: str) -> bool:
    """Whether a value can be placed against a range bound at all (a number for numbers, a date for dates)."""
    if _number(bound_text) is not None:
        return _number(text) is not None
    return _date(text) is not None


def _within(text: str, low_text: str, high_text: str) -> bool:
    if _number(low_text) is not None:
        value, low, high = _number(text), _number(low_text), _number(high_text)
        return value is not None and low is not None and high is not None and low <= value <= high
    when, start, end = _date(text), _date(low_text), _date(high_text)
    return when is not None and start is not None and end is not None and start <= when <= end


# --------------------------------------------------------------------------------------- validation


def _check_attribute(domain: Domain, type_name: str, where: str, attribute: dict[str, Any]) -> None:
    source, field_name = attribute.get("Source"), attribute.get("FieldName")
    if (source is None) == (field_name is None):
        raise BadRequest(f"{where}: set exactly one of Source and FieldName")
    if source is not None and (not source.startswith(SOURCE_PREFIX) or len(source) == len(SOURCE_PREFIX)):
        raise BadRequest(f"{where}: Source must be a {SOURCE_PREFIX}<path> accessor, not {source}")
    object_type = domain.object_types.get(type_name)
    if field_name is not None and (object_type is None or field_name not in object_type.fields):
        raise BadRequest(f"{where}: FieldName {field_name} is not a field of object type {type_name}")
    operator, values = attribute["ComparisonOperator"], attribute["Values"]
    if operator in NUMERIC or operator in DATES:
        if len(values) != 1:
            raise BadRequest(f"{where}: {operator} compares with exactly one value, not {len(values)}")
        parse = _number if operator in NUMERIC else _date
        kind = "a number" if operator in NUMERIC else "an ISO 8601 date"
        if parse(values[0]) is None:
            raise BadRequest(f"{where}: {operator} needs {kind}, not {values[0]}")
    elif operator in RANGES:
        if len(values) != 2:
            raise BadRequest(f"{where}: {operator} needs exactly two values (the range's bounds), not {len(values)}")
        numbers = [_number(value) for value in values]
        dates = [_date(value) for value in values]
        if None not in numbers:
            empty = numbers[0] > numbers[1]  # type: ignore[operator]
        elif None not in dates:
            empty = dates[0] > dates[1]  # type: ignore[operator]
        else:
            raise BadRequest(f"{where}: {operator} needs two numbers or two ISO 8601 dates, not {values}")
        if empty:
            raise BadRequest(f"{where}: the range {values[0]}..{values[1]} is empty (start after end)")


def _check_limits(limits: dict[str, Any]) -> None:
    expiration = limits.get("EventExpiration")
    if expiration is not None and expiration < 0:
        raise BadRequest(f"EventTriggerLimits.EventExpiration is a latency in milliseconds, not {expiration}")
    for index, period in enumerate(limits.get("Periods", ())):
        unlimited, cap = period.get("Unlimited", False), period.get("MaxInvocationsPerProfile")
        if unlimited == (cap is not None):
            raise BadRequest(
                f"EventTriggerLimits.Periods[{index}]: set either MaxInvocationsPerProfile or Unlimited: true"
            )


def check(ctx: Context, domain: Domain, config: dict[str, Any]) -> None:
    """Every rule a trigger's configuration must meet (before anything is stored)."""
    type_name = config["ObjectTypeName"]
    if type_name not in domain.object_types:
        raise BadRequest(f"Object type {type_name} not found in domain {domain.name}")
    for c, condition in enumerate(config["EventTriggerConditions"]):
        for d, dimension in enumerate(condition["EventTriggerDimensions"]):
            for a, attribute in enumerate(dimension["ObjectAttributes"]):
                where = f"EventTriggerConditions[{c}].EventTriggerDimensions[{d}].ObjectAttributes[{a}]"
                _check_attribute(domain, type_name, where, attribute)
    _check_limits(config.get("EventTriggerLimits", {}))
    segment = config.get("SegmentFilter")
    if segment is not None and segment_definition(domain, segment) is None:
        raise BadRequest(f"Segment definition {segment} not found in domain {domain.name}")


# ----------------------------------------------------------------------------------------- handlers


@taggable("event-triggers", "Event trigger")
def event_trigger_by_name(domain: Domain, name: str) -> EventTrigger | None:
    """The domain's trigger ``name`` (``event_trigger_by_name.get``: or ``ResourceNotFoundException``)."""
    return domain.peek(EventTriggers).by_name.get(name)


def describe(trigger: EventTrigger) -> dict[str, Any]:
    out: dict[str, Any] = {
        "EventTriggerName": trigger.name,
        **copy.deepcopy(trigger.config),
        **stamped(trigger),
    }
    return out


@handler("CreateEventTrigger")
def create_event_trigger(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    name = params["EventTriggerName"]
    if name in domain.peek(EventTriggers).by_name:
        raise BadRequest(f"Event trigger {name} already exists in domain {domain.name}")
    config = {key: copy.deepcopy(params[key]) for key in _CONFIG if key in params}
    check(ctx, domain, config)
    stamp = now()
    trigger = EventTrigger(name, config, stamp, stamp, given(params, f"Event trigger {name}"))
    domain.family(EventTriggers).add(trigger)
    return describe(trigger)


@handler("GetEventTrigger", keeps_params=False)
def get_event_trigger(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    return describe(event_trigger_by_name.get(domain, params["EventTriggerName"]))


@handler("UpdateEventTrigger")
def update_event_trigger(ctx: Context, params: Params) -> Output:
    """Replaces the members given; the others stay as they were."""
    domain = ctx.domain(params["DomainName"])
    trigger = event_trigger_by_name.get(domain, params["EventTriggerName"])
    config = {**trigger.config, **{key: copy.deepcopy(params[key]) for key in _CONFIG if key in params}}
    check(ctx, domain, config)
    triggers = domain.family(EventTriggers)
    triggers.remove(trigger)
    trigger.config, trigger.updated_at = config, now()
    triggers.add(trigger)
    return describe(trigger)


@handler("DeleteEventTrigger")
def delete_event_trigger(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    trigger = event_trigger_by_name.get(domain, params["EventTriggerName"])
    triggers = domain.family(EventTriggers)
    uri = triggers.used_by.get(trigger.name)
    if uri is not None:
        # The model: "You cannot delete an Event Trigger with an active Integration associated."
        raise BadRequest(
            f"You cannot delete an Event Trigger with an active Integration associated: event trigger "
            f"{trigger.name} is used by integration {uri}"
        )
    triggers.remove(trigger)
    return {"Message": f"Event trigger {trigger.name} deleted"}


@handler("ListEventTriggers", keeps_params=False)
def list_event_triggers(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    triggers = domain.peek(EventTriggers).by_name
    names, more = page_of_names(ctx.backend.token_secret, ["ListEventTriggers", domain.name], params, triggers)
    items = []
    for name in names:
        trigger = triggers[name]
        item: dict[str, Any] = {
            "ObjectTypeName": trigger.object_type,
            "EventTriggerName": name,
            **stamped(trigger),
        }
        if "Description" in trigger.config:
            item["Description"] = trigger.config["Description"]
        items.append(item)
    return {"Items": items, **more}


# --------------------------------------------------------------------------------------- evaluation


def _attribute_values(domain: Domain, type_name: str, attribute: dict[str, Any], document: Any) -> list[str]:
    if "Source" in attribute:
        return _values_at(attribute["Source"], document)
    object_type = domain.object_types.get(type_name)
    definition = object_type.fields.get(attribute["FieldName"]) if object_type is not None else None
    if definition is None:  # the field was dropped from the object type after the trigger was made
        return []
    value = read_source(definition["Source"], document)
    return [] if value is None else [value]


def meets(domain: Domain, trigger: EventTrigger, document: Any) -> bool:
    """Whether an object meets the trigger's conditions (any condition; see the module docstring)."""

    def dimension_holds(dimension: dict[str, Any]) -> bool:
        return all(
            compare(a["ComparisonOperator"], _attribute_values(domain, trigger.object_type, a, document), a["Values"])
            for a in dimension["ObjectAttributes"]
        )

    for condition in trigger.config["EventTriggerConditions"]:
        held = [dimension_holds(dimension) for dimension in condition["EventTriggerDimensions"]]
        operator = condition["LogicalOperator"]
        if (
            (operator == "ALL" and all(held))
            or (operator == "ANY" and any(held))
            or (operator == "NONE" and not any(held))
        ):
            return True
    return False


def _within_limits(trigger: EventTrigger, profile_id: str, at: dt.datetime) -> bool:
    """Whether one more invocation for the profile stays within every period's cap (sliding windows)."""
    periods = trigger.config.get("EventTriggerLimits", {}).get("Periods", ())
    history = trigger.invoked.get(profile_id, [])
    for period in periods:
        cap = period.get("MaxInvocationsPerProfile")
        if cap is None:  # Unlimited
            continue
        since = at - UNIT[period["Unit"]] * period["Value"]
        if sum(1 for when in history if when > since) >= cap:
            return False
    return True


def _remember(trigger: EventTrigger, profile_id: str, at: dt.datetime) -> None:
    """Note an invocation, forgetting those older than the longest period (they can no longer count)."""
    periods = trigger.config.get("EventTriggerLimits", {}).get("Periods", ())
    if not any("MaxInvocationsPerProfile" in period for period in periods):
        return
    longest = max(UNIT[period["Unit"]] * period["Value"] for period in periods)
    history = [when for when in trigger.invoked.get(profile_id, []) if when > at - longest]
    history.append(at)
    trigger.invoked[profile_id] = history


@_changes.subscribe
def _on_change(ctx: Context, change: Change) -> None:
    """Evaluate the domain's triggers of the ingested object's type (an index lookup: no trigger, no work)."""
    if change.action != _changes.INGESTED:
        return
    triggers = change.domain.families.get(EventTriggers)
    if triggers is None:
        return
    candidates = triggers.by_type.get(change.object_type)
    if not candidates:
        return
    document = dict(change.content or {})
    for trigger in list(candidates.values()):
        uri = triggers.used_by.get(trigger.name)
        if uri is None or not meets(change.domain, trigger, document):
            continue
        segment = trigger.config.get("SegmentFilter")
        if segment is not None:
            # "The destination is triggered only for profiles that meet the criteria of a segment definition."
            profile = change.domain.profiles.get(change.profile_id)
            if profile is None or not is_member(change.domain, segment, profile):
                continue
        at = dt.datetime.now(dt.timezone.utc)
        if not _within_limits(trigger, change.profile_id, at):
            continue
        _remember(trigger, change.profile_id, at)
        ctx.effects.record(
            INVOCATION,
            EventTriggerInvocation(
                trigger.name,
                change.domain.name,
                uri,
                change.profile_id,
                change.object_type,
                change.unique_key,
                document,
                at,
            ),
        )


@guard_delete
def _segment_in_use(domain: Domain, segment: str) -> str | None:
    """A segment definition that a trigger filters on cannot be deleted (as a trigger in use by an
    integration cannot be: [default], the documentation is silent)."""
    triggers = domain.families.get(EventTriggers)
    users = (
        sorted(t.name for t in triggers.by_name.values() if t.config.get("SegmentFilter") == segment)
        if triggers
        else []
    )
    if not users:
        return None
    return (
        f"Segment definition {segment} is the SegmentFilter of event trigger(s) {', '.join(users)}: "
        "update or delete them first"
    )
