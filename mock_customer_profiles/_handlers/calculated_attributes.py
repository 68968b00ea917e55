"""Calculated attributes: Create/Get/Update/Delete/ListCalculatedAttributeDefinition(s),
GetCalculatedAttributeForProfile, ListCalculatedAttributesForProfile, BatchGetCalculatedAttributeForProfile.

Definitions live beside the family (``domain.family(CalculatedAttributes)``); values are computed from
the profile's own objects at each read (``_calculated``). A definition's ``Status``/``Readiness``
(indexing of historical data) moves through the shared lifecycle (``_lifecycle``, kind
``"CalculatedAttributeDefinition"``): each read of the definition or of one of its values is a read of
that resource.

Other families use ``calculated_value(domain, name, profile)`` and ``definition_names(domain)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from mock_customer_profiles import _changes, _conditions
from mock_customer_profiles._backend import Domain, Profile, now
from mock_customer_profiles._calculated import (
    MAX_ATTRIBUTES,
    MAX_OBJECT_COUNT,
    MAX_RANGE_DAYS,
    PROGRESS,
    READINESS,
    TIMESTAMP_FORMATS,
    Definition,
    Evaluator,
    Result,
    parse_expression,
    references,
    timestamp_path,
)
from mock_customer_profiles._changes import Change, subscribe
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, batch, handler
from mock_customer_profiles._paging import LIST_DEFAULT_PAGE, page_of_names, paginate
from mock_customer_profiles._standard import STANDARD_TYPES
from mock_customer_profiles._tags import ConfigTags, given, shown, taggable

DOCS_PAGE = "families/calculated-attributes.md"  # where the docs describe these operations (see _coverage.py)

MAX_DEFINITIONS = 50  # per domain: no documented quota (reference §1.6), the mock's [default] cap
_CREATE_MEMBERS = (
    "DisplayName",
    "Description",
    "AttributeDetails",
    "Conditions",
    "Filter",
    "Statistic",
    "UseHistoricalData",
)


class CalculatedAttributes:
    """The calculated attribute definitions of one domain, by name, and the evaluator's caches."""

    def __init__(self) -> None:
        self.definitions: dict[str, Definition] = {}
        self.evaluator = Evaluator()


def _state(domain: Domain) -> CalculatedAttributes:
    """The family's state of ``domain``, made on first use (only by calls that store something)."""
    return domain.family(CalculatedAttributes)


_NONE = CalculatedAttributes()  # what reads see in a domain that never had a definition (never written to)


def _existing(domain: Domain) -> CalculatedAttributes:
    """The family's state of ``domain`` for reading: a rejected call must not leave even an empty one."""
    state: CalculatedAttributes | None = domain.families.get(CalculatedAttributes)
    return _NONE if state is None else state


@taggable("calculated-attributes", "Calculated attribute definition")
def _tagged(domain: Domain, name: str) -> ConfigTags | None:
    """A definition keeps its tags as the ``Tags`` member of its config (as created, then as tagged)."""
    found = _existing(domain).definitions.get(name)
    return None if found is None else ConfigTags(found.config)


def _definition(domain: Domain, name: str) -> Definition:
    found = _existing(domain).definitions.get(name)
    if found is None:
        raise NotFound(f"Calculated attribute definition {name} not found in domain {domain.name}")
    return found


# ------------------------------------------------------------------------------------ for other families


def definition_names(domain: Domain) -> list[str]:
    """The names of the domain's calculated attribute definitions, sorted."""
    return sorted(_existing(domain).definitions)


def calculated_value(
    domain: Domain, name: str, profile: Profile, overrides: Mapping[str, Any] | None = None
) -> str | None:
    """The value of calculated attribute ``name`` for ``profile`` as ``GetCalculatedAttributeForProfile``
    returns it (a string), or ``None`` when the profile has no data for it.

    ``overrides``: a ``ConditionOverrides`` mapping (``{"Range": {"Start", "End", "Unit"}}``) as segment
    dimensions and ``BatchGetCalculatedAttributeForProfile`` take it. Reading a value this way does not move
    the definition's lifecycle. An unknown name raises ``NotFound`` (a ``ResourceNotFoundException``)."""
    definition = _definition(domain, name)
    range_override = overrides.get("Range") if overrides else None
    return _evaluate(domain, definition, profile, range_override).value


def _evaluate(
    domain: Domain, definition: Definition, profile: Profile, override: Mapping[str, Any] | None = None
) -> Result:
    when = dt.datetime.now(dt.timezone.utc)
    return _existing(domain).evaluator.evaluate(domain, definition, profile, when, override)


# ------------------------------------------------------------------------------------------ validation


def _check_conditions(conditions: Mapping[str, Any], type_name: str) -> None:
    span = conditions.get("Range")
    if span is not None:
        if "Unit" not in span:
            raise BadRequest("Range needs a Unit (DAYS)")
        value_range = span.get("ValueRange")
        if value_range is not None:
            if value_range["Start"] < value_range["End"]:
                raise BadRequest(
                    f"ValueRange Start ({value_range['Start']}) must not be less than End ({value_range['End']}): "
                    "positive numbers are days in the past, negative numbers days in the future"
                )
        elif "Value" not in span:
            raise BadRequest("Range needs a Value or a ValueRange")
        elif not 1 <= span["Value"] <= MAX_RANGE_DAYS:
            raise BadRequest(f"Range Value must be between 1 and {MAX_RANGE_DAYS} days, not {span['Value']}")
        source, form = span.get("TimestampSource"), span.get("TimestampFormat")
        # AWS's own sample (CA_TotalDollarsSpentInAYear.json) gives a TimestampSource without a format
        if form is not None and source is None:
            raise BadRequest("TimestampFormat needs a TimestampSource (the field it reads)")
        if source is not None:
            timestamp_path(source, type_name)
            if form is not None and form not in TIMESTAMP_FORMATS:
                raise BadRequest(f"TimestampFormat must be one of {', '.join(TIMESTAMP_FORMATS)}, not {form!r}")
    count = conditions.get("ObjectCount")
    if count is not None and count > MAX_OBJECT_COUNT:
        raise BadRequest(f"ObjectCount must be between 1 and {MAX_OBJECT_COUNT}, not {count}")


def _check_filter(flt: Mapping[str, Any]) -> None:
    for group in flt["Groups"]:
        for dimension in group["Dimensions"]:
            if not dimension["Attributes"]:
                raise BadRequest("A Filter dimension needs at least one attribute")
            for name, spec in dimension["Attributes"].items():
                problem = _conditions.check_values(spec["DimensionType"], spec["Values"])
                if problem is not None:
                    raise BadRequest(f"Filter attribute {name}: {problem}")


def _parse_details(domain: Domain, details: Mapping[str, Any]) -> tuple[str, Any]:
    type_name, tree = parse_expression(details["Expression"])
    if type_name not in domain.object_types and type_name not in STANDARD_TYPES:
        raise BadRequest(f"Object type {type_name} of the expression does not exist in domain {domain.name}")
    listed = [item["Name"] for item in details["Attributes"]]
    used = references(tree)
    if len(set(listed)) > MAX_ATTRIBUTES or len(set(used)) > MAX_ATTRIBUTES:
        raise BadRequest(f"A calculated attribute can reference at most {MAX_ATTRIBUTES} attributes of its object type")
    if set(listed) != set(used):
        raise BadRequest(
            f"Attributes ({', '.join(listed)}) must name exactly the attributes of the Expression "
            f"({', '.join(dict.fromkeys(used))})"
        )
    return type_name, tree


# -------------------------------------------------------------------------------------------- views


def _status(definition: Definition, observe: bool) -> tuple[str, dict[str, Any]]:
    run = definition.run
    state = run.observe() if observe else run.state
    readiness: dict[str, Any] = {"ProgressPercentage": PROGRESS[state]}
    if run.failure_reason:
        readiness["Message"] = run.failure_reason[:1000]
    return state, readiness


def _describe(definition: Definition, observe: bool, with_filter: bool = True) -> dict[str, Any]:
    state, readiness = _status(definition, observe)
    out: dict[str, Any] = {"CalculatedAttributeName": definition.name}
    for member in _CREATE_MEMBERS:
        if member in definition.config and (with_filter or member != "Filter"):
            out[member] = definition.config[member]
    if not out.get("Conditions"):
        out.pop("Conditions", None)
    out.update(
        CreatedAt=definition.created_at.replace(microsecond=0),
        LastUpdatedAt=definition.updated_at,
        Status=state,
        Readiness=readiness,
    )
    out.update(shown(ConfigTags(definition.config).tags))
    return out


def _value_item(definition: Definition, result: Result) -> dict[str, Any]:
    item: dict[str, Any] = {"CalculatedAttributeName": definition.name}
    if "DisplayName" in definition.config:
        item["DisplayName"] = definition.config["DisplayName"]
    item["IsDataPartial"] = "true" if result.partial else "false"
    if result.value is not None:
        item["Value"] = result.value
    if result.last_object_at is not None:
        item["LastObjectTimestamp"] = result.last_object_at
    return item


# -------------------------------------------------------------------------------------------- handlers


@handler("CreateCalculatedAttributeDefinition")
def create_definition(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = _existing(domain)
    name = params["CalculatedAttributeName"]
    if name in state.definitions:
        raise BadRequest(f"Calculated attribute definition with name {name} already exists")
    if len(state.definitions) >= MAX_DEFINITIONS:
        raise BadRequest(
            f"Domain {domain.name} already has the maximum of {MAX_DEFINITIONS} calculated attribute definitions"
        )
    type_name, tree = _parse_details(domain, params["AttributeDetails"])
    _check_conditions(params.get("Conditions") or {}, type_name)
    if "Filter" in params:
        _check_filter(params["Filter"])
    config = {key: value for key, value in params.items() if key in _CREATE_MEMBERS}
    ConfigTags(config).tags = given(params, f"Calculated attribute definition {name}")
    created = dt.datetime.now(dt.timezone.utc)
    run = ctx.jobs.start(READINESS, name=name, domain=domain.name)
    definition = Definition(name, config, type_name, tree, created, now(), domain.next_object_seq(), run)
    _state(domain).definitions[name] = definition
    return _describe(definition, observe=False)


@handler("GetCalculatedAttributeDefinition", keeps_params=False)
def get_definition(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    definition = _definition(domain, params["CalculatedAttributeName"])
    out = _describe(definition, observe=True)
    return out


@handler("UpdateCalculatedAttributeDefinition")
def update_definition(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    definition = _definition(domain, params["CalculatedAttributeName"])
    if "Conditions" in params:
        _check_conditions(params["Conditions"], definition.type_name)
    for member in ("DisplayName", "Description", "Conditions"):
        if member in params:
            definition.config[member] = params[member]
    if "Conditions" in params:
        definition.version += 1
    definition.updated_at = now()
    return _describe(definition, observe=False, with_filter=False)


@handler("DeleteCalculatedAttributeDefinition")
def delete_definition(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    definition = _definition(domain, params["CalculatedAttributeName"])
    del _existing(domain).definitions[definition.name]
    ctx.jobs.forget(definition.run)
    return {}


@handler("ListCalculatedAttributeDefinitions", keeps_params=False)
def list_definitions(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    definitions = _existing(domain).definitions
    scope = ["ListCalculatedAttributeDefinitions", domain.name]
    names, more = page_of_names(ctx.backend.token_secret, scope, params, definitions)
    items = []
    for name in names:
        full = _describe(definitions[name], observe=True)
        items.append({key: value for key, value in full.items() if key in _LIST_MEMBERS})
    return {"Items": items, **more}


_LIST_MEMBERS = frozenset(
    {"CalculatedAttributeName", "DisplayName", "Description", "CreatedAt", "LastUpdatedAt", "UseHistoricalData"}
    | {"Status", "Tags"}
)


@handler("GetCalculatedAttributeForProfile", keeps_params=False)
def get_for_profile(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profile = ctx.profile(domain, params["ProfileId"])
    definition = _definition(domain, params["CalculatedAttributeName"])
    definition.run.observe()
    return _value_item(definition, _evaluate(domain, definition, profile))


@handler("ListCalculatedAttributesForProfile", keeps_params=False)
def list_for_profile(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profile = ctx.profile(domain, params["ProfileId"])
    definitions = _existing(domain).definitions

    def remaining(after: str | None) -> list[dict[str, Any]]:  # called once the NextToken is found valid
        items: list[dict[str, Any]] = []
        for name in sorted(definitions):
            if after is not None and name <= after:
                continue
            definition = definitions[name]
            definition.run.observe()
            result = _evaluate(domain, definition, profile)
            if result.value is not None:
                items.append(_value_item(definition, result))
        return items

    page, more = paginate(
        ctx.backend.token_secret,
        ["ListCalculatedAttributesForProfile", domain.name, profile.profile_id],
        params,
        LIST_DEFAULT_PAGE,
        remaining,
        lambda item: item["CalculatedAttributeName"],
    )
    return {"Items": page, **more}


@handler("BatchGetCalculatedAttributeForProfile", keeps_params=False)
def batch_get_for_profiles(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    definition = _definition(domain, params["CalculatedAttributeName"])
    overrides = params.get("ConditionOverrides")
    span = overrides.get("Range") if overrides else None
    end = span.get("End", 0) if span is not None else 0  # End defaults to 0 days back: now
    if span is not None and span["Start"] < end:
        raise BadRequest(f"ConditionOverrides Range Start ({span['Start']}) must not be less than End ({end})")
    definition.run.observe()
    profiles, errors = batch.lookup(domain, params["ProfileIds"])
    values = [
        {**_value_item(definition, _evaluate(domain, definition, profile, span)), "ProfileId": profile.profile_id}
        for profile in profiles
    ]
    out: dict[str, Any] = {"Errors": errors, "CalculatedAttributeValues": values}
    if overrides:
        out["ConditionOverrides"] = overrides
    return out


# ----------------------------------------------------------------------------------- reacting to changes


@subscribe
def _forget(ctx: Context, change: Change) -> None:
    """Drop what the caches hold of objects that left (deleted, expired) and of profiles that left
    (deleted, merged away). Replaced and new objects need nothing: caches are checked by version."""
    state: CalculatedAttributes | None = change.domain.families.get(CalculatedAttributes)
    if state is None:
        return
    gone_profile = change.action == _changes.DELETED_BY_MERGE or (
        change.action == _changes.DELETED_BY_CUSTOMER and change.object_type == _changes.PROFILE_TYPE
    )
    if gone_profile:
        for definition in state.definitions.values():
            definition.rows.pop(change.profile_id, None)
    elif change.unique_key is not None and change.action in (_changes.DELETED_BY_CUSTOMER, _changes.EXPIRED):
        for definition in state.definitions.values():
            definition.cache.pop(change.unique_key, None)
