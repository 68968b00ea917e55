"""Recommenders: Create/Get/Update/Delete/ListRecommender(s), Start/StopRecommender,
Create/Get/Delete/ListRecommenderFilter(s), Create/Get/Delete/ListRecommenderSchema(s),
ListRecommenderRecipes, GetProfileRecommendations, SearchRecommendations.

Recommendations are not learnt. A recommender returns what the test seeded for the profile
(``cp.seed_recommendations``), else a documented default: the items that the domain's objects name most
often (an ``ItemId``, ``ProductId`` or ``Item.Id`` member of an object), scored by frequency. Filters
apply to what is returned (a subset of Amazon Personalize's filter expressions, ``FILTER_SYNTAX``).
Statuses move through the shared lifecycle (``_lifecycle``), kinds ``Recommender`` and ``RecommenderFilter``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mock_customer_profiles import _changes
from mock_customer_profiles._backend import Domain
from mock_customer_profiles._changes import Change
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.identity import Cache
from mock_customer_profiles._lifecycle import Flow, Run
from mock_customer_profiles._paging import LIST_DEFAULT_PAGE, paginate
from mock_customer_profiles._tags import arn, given, shown, taggable

DOCS_PAGE = "families/recommenders.md"  # where the docs describe these operations (see _coverage.py)


DEFAULT_RESULTS = 10  # GetProfileRecommendations MaxResults: "The default value is 10"
RECIPES = {
    "recommended-for-you": "Personalized recommendations for a user, from their interactions.",
    "similar-items": "Items similar to a given item.",
    "frequently-paired-items": "Items frequently bought or viewed together with a given item.",
    "popular-items": "The items most popular across all users.",
    "trending-now": "Items whose popularity grows fastest.",
    "personalized-ranking": "A user's ranking of a given list of candidate items (CandidateIds).",
}
CREATE_FLOW = Flow("Recommender", ("PENDING", "IN_PROGRESS"), "ACTIVE", "FAILED")
START_FLOW = Flow("Recommender", ("STARTING",), "ACTIVE", "FAILED")
STOP_FLOW = Flow("Recommender", ("STOPPING",), "INACTIVE", "FAILED")
UPDATE_FLOW = Flow("Recommender", ("IN_PROGRESS",), "ACTIVE", "FAILED")
DELETE_FLOW = Flow("Recommender", ("DELETING",), "DELETED", "FAILED")  # DELETED: gone (never shown)
FILTER_FLOW = Flow("RecommenderFilter", ("PENDING", "IN_PROGRESS"), "ACTIVE", "FAILED")
DATASETS = ("_webAnalytics", "_catalogItem")
MANDATORY_COLUMNS = {"_webAnalytics": ("Item.Id", "EventTimestamp", "EventType"), "_catalogItem": ("Id",)}
ITEM_MEMBERS = ("ItemId", "ProductId", "Item.Id")
CATALOG_MEMBERS = ("Id", "Name", "Code", "Type", "Category", "Description", "Price")

# The filter expressions the mock evaluates (Amazon Personalize's syntax, one condition):
#   INCLUDE ItemID WHERE Items.CATEGORY IN ("shoes", "socks")
#   EXCLUDE ItemID WHERE Items.Type IN ($TYPES)            <- $TYPES from the request's filter Values
FILTER_SYNTAX = re.compile(
    r"^\s*(INCLUDE|EXCLUDE)\s+ItemID\s+WHERE\s+Items\.([A-Za-z_][A-Za-z0-9_.]*)\s+(IN|NOT IN|=)\s*"
    r"\(?\s*((?:\"[^\"]*\"|\$[A-Za-z_][A-Za-z0-9_]*)(?:\s*,\s*(?:\"[^\"]*\"|\$[A-Za-z_][A-Za-z0-9_]*))*)\s*\)?\s*$",
    re.IGNORECASE,
)
_TERM = re.compile(r"\"([^\"]*)\"|\$([A-Za-z_][A-Za-z0-9_]*)")
T = TypeVar("T")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _version(name: str, at: dt.datetime) -> str:
    return f"{name}/{at:%Y-%m-%dT%H-%M-%SZ}"


@dataclass
class Recommender:
    name: str
    recipe: str
    schema: str | None
    config: dict[str, Any] | None
    description: str | None
    tags: dict[str, str]
    created_at: dt.datetime
    run: Run
    versions: list[str] = field(default_factory=list)
    active_version: str | None = None
    update: dict[str, Any] | None = None  # LatestRecommenderUpdate (with its run under "run")


@dataclass
class Filter:
    name: str
    expression: str
    schema: str | None
    description: str | None
    tags: dict[str, str]
    created_at: dt.datetime
    run: Run


@dataclass
class Schema:
    name: str
    fields: dict[str, Any]
    tags: dict[str, str]
    created_at: dt.datetime


@dataclass
class RecommenderState:
    recommenders: dict[str, Recommender] = field(default_factory=dict)
    filters: dict[str, Filter] = field(default_factory=dict)
    schemas: dict[str, Schema] = field(default_factory=dict)
    seeded: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)  # (recommender, profile)
    version: int = 0  # bumped by every change: the popular items are then recounted
    popular: Cache = field(default_factory=Cache)  # (version, ranked items)


@_changes.subscribe
def _track(ctx: Context, change: Change) -> None:
    if change.object_type != _changes.PROFILE_TYPE:
        change.domain.family(RecommenderState).version += 1


_EMPTY = RecommenderState()  # what a domain without recommenders reads as: never written to


def _state(domain: Domain) -> RecommenderState:
    """For reading, without creating it (a rejected call must change nothing)."""
    state = domain.families.get(RecommenderState)
    return state if state is not None else _EMPTY


def _own(domain: Domain) -> RecommenderState:
    """For writing (created on first use)."""
    return domain.family(RecommenderState)


def _named(domain: Domain, table: Mapping[str, T], what: str, name: str) -> T:
    """The recommender, filter or schema ``name`` of ``table``, else NotFound."""
    found = table.get(name)
    if found is None:
        raise NotFound(f"{what} {name} not found in domain {domain.name}")
    return found


def _free(domain: Domain, table: Mapping[str, Any], what: str, name: str) -> str:
    """``name``, if ``table`` has no recommender, filter or schema of that name yet."""
    if name in table:
        raise BadRequest(f"{what} {name} already exists in domain {domain.name}")
    return name


def _existing(domain: Domain, name: str) -> Recommender:
    """The recommender, for a call that may refuse: nothing is read (a DELETING one that a read would
    remove is still found: the call is then refused as for any DELETING one)."""
    return _named(domain, _state(domain).recommenders, "Recommender", name)


def _recommender(domain: Domain, name: str) -> Recommender:
    """The recommender (its status read first: a deleted one finishing its DELETING is gone)."""
    found = _state(domain).recommenders.get(name)
    if found is not None:
        _status(found)
    return _existing(domain, name)


def _in_status(domain: Domain, name: str, allowed: tuple[str, ...], why: str) -> Recommender:
    """The recommender, if the status a read would show now is one of ``allowed`` (nothing is read)."""
    recommender = _existing(domain, name)
    status = _current(recommender.run)
    if status not in allowed:
        raise BadRequest(f"Recommender {recommender.name} is {status}: {why}")
    return recommender


def _status(recommender: Recommender) -> str:
    return recommender.run.observe()


def _current(run: Run) -> str:
    """The state a read would show now, without reading (a call that may still be refused must change
    nothing); ``_catch_up`` then makes it so once the call is accepted."""
    if run.finished or run.mode == "manual" or run.reads == 0:
        return run.state
    return run.flow.failed if run.fail_with is not None else run.flow.done


def _catch_up(run: Run) -> None:
    if not run.finished and _current(run) != run.state:
        run.finish()


# ------------------------------------------------------------------------------------------- tags


@taggable("recommenders", "Recommender")
def _tagged_recommender(domain: Domain, name: str) -> Recommender | None:
    return _state(domain).recommenders.get(name)


# GetRecommenderFilter's Tags are required (min 1): untagging cannot take a filter's last tag.
@taggable("recommender-filters", "Recommender filter", min_tags=1)
def _tagged_filter(domain: Domain, name: str) -> Filter | None:
    return _state(domain).filters.get(name)


@taggable("recommender-schemas", "Recommender schema")
def _tagged_schema(domain: Domain, name: str) -> Schema | None:
    return _state(domain).schemas.get(name)


# -------------------------------------------------------------------------------------- validation


def _check_config(config: Mapping[str, Any] | None) -> None:
    if not config:
        return
    included, excluded = config.get("IncludedColumns"), config.get("ExcludedColumns")
    if included is not None and excluded is not None:
        raise BadRequest("RecommenderConfig: IncludedColumns and ExcludedColumns are mutually exclusive")
    for member, columns in (("IncludedColumns", included), ("ExcludedColumns", excluded)):
        for dataset, names in (columns or {}).items():
            if dataset not in DATASETS:
                raise BadRequest(f"RecommenderConfig.{member}: {dataset} is not one of {', '.join(DATASETS)}")
            mandatory = MANDATORY_COLUMNS[dataset]
            if member == "IncludedColumns" and not set(mandatory) <= set(names):
                raise BadRequest(f"RecommenderConfig.IncludedColumns.{dataset} must include {', '.join(mandatory)}")
            if member == "ExcludedColumns" and set(mandatory) & set(names):
                raise BadRequest(f"RecommenderConfig.ExcludedColumns.{dataset} cannot exclude {', '.join(mandatory)}")


def _check_schema_name(domain: Domain, name: str | None) -> None:
    if name is not None:
        _schema(domain, name)


def _check_expression(expression: str) -> re.Match[str]:
    parsed = FILTER_SYNTAX.match(expression)
    if parsed is None:
        raise BadRequest(
            "RecommenderFilterExpression: the mock evaluates one condition, INCLUDE|EXCLUDE ItemID WHERE "
            'Items.<field> IN ("value", ... | $PARAMETER), not ' + repr(expression[:200])
        )
    return parsed


# ------------------------------------------------------------------------------------- recommenders


def _view(recommender: Recommender, summary: bool) -> dict[str, Any]:
    status = recommender.run.state  # read (observed) by _recommender() already
    update_status = recommender.update["run"].observe() if recommender.update is not None else None
    out: dict[str, Any] = {
        "RecommenderName": recommender.name,
        "RecipeName" if summary else "RecommenderRecipeName": recommender.recipe,
        "Status": status,
        "CreatedAt": recommender.created_at,
        "LastUpdatedAt": recommender.run.updated_at,
    }
    for member, value in (
        ("RecommenderSchemaName", recommender.schema),
        ("RecommenderConfig", recommender.config),
        ("Description", recommender.description),
        ("FailureReason", recommender.run.failure_reason),
    ):
        if value is not None:
            out[member] = value
    out.update(shown(recommender.tags))
    if recommender.update is not None:
        update = recommender.update
        run: Run = update["run"]
        latest = {key: value for key, value in update.items() if key != "run"}
        latest.update(Status=update_status, LastUpdatedAt=run.updated_at)
        if run.failure_reason:
            latest["FailureReason"] = run.failure_reason
        out["LatestRecommenderUpdate"] = latest
    if not summary and recommender.active_version is not None:
        out["ActiveRecommenderVersionName"] = recommender.active_version
    return out


def _activate(recommender: Recommender) -> None:
    """A new model version trained (creation, or an update of the configuration)."""
    version = _version(recommender.name, _now())
    if version not in recommender.versions:
        recommender.versions.append(version)
    recommender.active_version = version


@handler("CreateRecommender")
def create_recommender(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    name = _free(domain, _state(domain).recommenders, "Recommender", params["RecommenderName"])
    _check_schema_name(domain, params.get("RecommenderSchemaName"))
    _check_config(params.get("RecommenderConfig"))
    recommender = Recommender(
        name,
        params["RecommenderRecipeName"],
        params.get("RecommenderSchemaName"),
        params.get("RecommenderConfig"),
        params.get("Description"),
        given(params, f"Recommender {name}"),
        _now(),
        Run(CREATE_FLOW, "manual"),
    )
    _own(domain).recommenders[name] = recommender
    recommender.run = ctx.jobs.start(CREATE_FLOW, on_done=lambda run: _activate(recommender))
    return {"RecommenderArn": arn(ctx.backend, domain.name, "recommenders", name), **shown(recommender.tags)}


@handler("GetRecommender", keeps_params=False)
def get_recommender(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    recommender = _recommender(domain, params["RecommenderName"])
    out = _view(recommender, summary=False)
    if params.get("TrainingMetricsCount") and recommender.active_version is not None:
        # No model is trained: the metrics are fixed, documented stand-ins, one set per version (newest first).
        versions = list(reversed(recommender.versions))[: params["TrainingMetricsCount"]]
        out["TrainingMetrics"] = [
            {
                "Time": recommender.created_at,
                "Metrics": {"hit": 0.0, "coverage": 0.0, "recall": 0.0},
                "RecommenderVersionName": v,
            }
            for v in versions
        ]
    return out


@handler("ListRecommenders", keeps_params=False)
def list_recommenders(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = _state(domain)
    names = sorted(state.recommenders)
    page, more = paginate(
        ctx.backend.token_secret,
        ["ListRecommenders", domain.name],
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [n for n in names if after is None or n > after],
        str,
    )
    for name in page:  # read after the token was accepted: a refused call reads nothing
        _status(state.recommenders[name])
    return {
        "Recommenders": [_view(state.recommenders[n], summary=True) for n in page if n in state.recommenders],
        **more,
    }


@handler("UpdateRecommender")
def update_recommender(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    why = "it can be updated when ACTIVE or INACTIVE"
    recommender = _in_status(domain, params["RecommenderName"], ("ACTIVE", "INACTIVE"), why)
    config = params.get("RecommenderConfig")
    _check_config(config)
    version = params.get("RecommenderVersionName")
    if version is not None and version not in recommender.versions:
        raise BadRequest(f"Recommender {recommender.name} has no version {version}")
    _catch_up(recommender.run)
    if version is not None:
        recommender.active_version = version
    if "Description" in params:
        recommender.description = params["Description"]
    if config is not None:
        at = _now()

        def done(run: Run) -> None:
            recommender.config = config
            _activate(recommender)
            if recommender.update is not None and recommender.active_version is not None:
                recommender.update["RecommenderVersionName"] = recommender.active_version

        recommender.update = {"RecommenderConfig": config, "CreatedAt": at, "run": Run(UPDATE_FLOW, "manual")}
        recommender.update["run"] = ctx.jobs.start(UPDATE_FLOW, on_done=done)
    return {"RecommenderName": recommender.name}


def _switch(ctx: Context, params: Params, flow: Flow, allowed: str, why: str) -> Output:
    """Start or stop: the recommender, when ``allowed``, moves through ``flow``."""
    recommender = _in_status(ctx.domain(params["DomainName"]), params["RecommenderName"], (allowed,), why)
    _catch_up(recommender.run)
    recommender.run = ctx.jobs.start(flow)
    return {}


@handler("StartRecommender")
def start_recommender(ctx: Context, params: Params) -> Output:
    return _switch(ctx, params, START_FLOW, "INACTIVE", "only an INACTIVE (stopped) recommender can be started")


@handler("StopRecommender")
def stop_recommender(ctx: Context, params: Params) -> Output:
    return _switch(ctx, params, STOP_FLOW, "ACTIVE", "only an ACTIVE recommender can be stopped")


@handler("DeleteRecommender")
def delete_recommender(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = _state(domain)
    recommender = _existing(domain, params["RecommenderName"])
    status = _current(recommender.run)
    if status == "DELETING":
        raise BadRequest(f"Recommender {recommender.name} is already being deleted")
    _catch_up(recommender.run)
    ctx.jobs.forget(recommender.run)

    def gone(run: Run) -> None:
        state.recommenders.pop(recommender.name, None)
        for key in [key for key in state.seeded if key[0] == recommender.name]:
            del state.seeded[key]

    recommender.run = ctx.jobs.start(DELETE_FLOW, on_done=gone)
    return {}


# -------------------------------------------------------------------------------------------- filters


def _filter_view(found: Filter) -> dict[str, Any]:
    out: dict[str, Any] = {
        "RecommenderFilterName": found.name,
        "RecommenderFilterExpression": found.expression,
        "CreatedAt": found.created_at,
        "Status": found.run.observe(),
    }
    for member, value in (
        ("RecommenderSchemaName", found.schema),
        ("Description", found.description),
        ("FailureReason", found.run.failure_reason),
    ):
        if value is not None:
            out[member] = value
    return {**out, **shown(found.tags)}  # required in GetRecommenderFilter's output: a filter keeps one at least


@handler("CreateRecommenderFilter")
def create_recommender_filter(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    name = _free(domain, _state(domain).filters, "Recommender filter", params["RecommenderFilterName"])
    _check_schema_name(domain, params.get("RecommenderSchemaName"))
    _check_expression(params["RecommenderFilterExpression"])
    if not params.get("Tags"):
        # GetRecommenderFilter must answer with Tags, at least one (the model: required, min 1), so the
        # mock reads a filter without tags as one the service would not have: the strict reading.
        raise BadRequest(
            "Tags: a recommender filter needs at least one tag (GetRecommenderFilter answers with Tags, "
            "which the model requires to hold at least one)"
        )
    found = Filter(
        name,
        params["RecommenderFilterExpression"],
        params.get("RecommenderSchemaName"),
        params.get("Description"),
        given(params, f"Recommender filter {name}"),
        _now(),
        ctx.jobs.start(FILTER_FLOW),
    )
    _own(domain).filters[name] = found
    return {"RecommenderFilterArn": arn(ctx.backend, domain.name, "recommender-filters", name), **shown(found.tags)}


def _filter(domain: Domain, name: str) -> Filter:
    return _named(domain, _state(domain).filters, "Recommender filter", name)


@handler("GetRecommenderFilter", keeps_params=False)
def get_recommender_filter(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    return _filter_view(_filter(domain, params["RecommenderFilterName"]))


@handler("ListRecommenderFilters", keeps_params=False)
def list_recommender_filters(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = _state(domain)
    names = sorted(state.filters)
    page, more = paginate(
        ctx.backend.token_secret,
        ["ListRecommenderFilters", domain.name],
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [n for n in names if after is None or n > after],
        str,
    )
    return {"RecommenderFilters": [_filter_view(state.filters[n]) for n in page], **more}


@handler("DeleteRecommenderFilter")
def delete_recommender_filter(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    found = _filter(domain, params["RecommenderFilterName"])
    ctx.jobs.forget(found.run)
    del _state(domain).filters[found.name]
    return {"Message": f"Recommender filter {found.name} deleted"}


# -------------------------------------------------------------------------------------------- schemas


def _schema_view(schema: Schema) -> dict[str, Any]:
    return {
        "RecommenderSchemaName": schema.name,
        "Fields": schema.fields,
        "CreatedAt": schema.created_at,
        "Status": "ACTIVE",
    }


def _schema(domain: Domain, name: str) -> Schema:
    return _named(domain, _state(domain).schemas, "Recommender schema", name)


@handler("CreateRecommenderSchema")
def create_recommender_schema(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    name = _free(domain, _state(domain).schemas, "Recommender schema", params["RecommenderSchemaName"])
    for dataset, columns in params["Fields"].items():
        if dataset not in DATASETS:
            raise BadRequest(f"Fields: {dataset} is not one of {', '.join(DATASETS)}")
        targets = [column["TargetFieldName"] for column in columns]
        if len(set(targets)) != len(targets):
            raise BadRequest(f"Fields.{dataset} names a TargetFieldName more than once")
    schema = Schema(name, params["Fields"], given(params, f"Recommender schema {name}"), _now())
    _own(domain).schemas[name] = schema
    schema_arn = arn(ctx.backend, domain.name, "recommender-schemas", name)
    return {"RecommenderSchemaArn": schema_arn, **_schema_view(schema), **shown(schema.tags)}


@handler("GetRecommenderSchema", keeps_params=False)
def get_recommender_schema(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    return _schema_view(_schema(domain, params["RecommenderSchemaName"]))  # the model's output has no Tags


@handler("ListRecommenderSchemas", keeps_params=False)
def list_recommender_schemas(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = _state(domain)
    names = sorted(state.schemas)
    page, more = paginate(
        ctx.backend.token_secret,
        ["ListRecommenderSchemas", domain.name],
        params,
        LIST_DEFAULT_PAGE,
        lambda after: [n for n in names if after is None or n > after],
        str,
    )
    return {"RecommenderSchemas": [_schema_view(state.schemas[n]) for n in page], **more}


@handler("DeleteRecommenderSchema")
def delete_recommender_schema(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    state = _state(domain)
    schema = _schema(domain, params["RecommenderSchemaName"])
    users = sorted(r.name for r in state.recommenders.values() if r.schema == schema.name)
    users += sorted(f.name for f in state.filters.values() if f.schema == schema.name)
    if users:
        raise BadRequest(f"Recommender schema {schema.name} is used by {', '.join(users)}: delete them first")
    del state.schemas[schema.name]
    return {}


@handler("ListRecommenderRecipes", keeps_params=False)
def list_recommender_recipes(ctx: Context, params: Params) -> Output:
    names = list(RECIPES)
    page, more = paginate(
        ctx.backend.token_secret,
        ["ListRecommenderRecipes"],
        params,
        LIST_DEFAULT_PAGE,
        lambda after: names[after:] if after is not None else names,
        lambda name: names.index(name) + 1,
    )
    return {"RecommenderRecipes": [{"name": n, "description": RECIPES[n]} for n in page], **more}


# ------------------------------------------------------------------------------------ recommendations


def check_items(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Seeded recommendations: ``{"CatalogItem": {...}, "Score": 0..1}`` or a bare catalog item (``Id``
    required); returned as Recommendation shapes, best first."""
    out: list[dict[str, Any]] = []
    for n, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise ValueError(f"mock_customer_profiles: recommendation {n} must be a mapping, not {item!r}")
        catalog = (
            dict(item["CatalogItem"]) if "CatalogItem" in item else {k: v for k, v in item.items() if k != "Score"}
        )
        if not isinstance(catalog.get("Id"), str) or not catalog["Id"]:
            raise ValueError(f"mock_customer_profiles: recommendation {n} needs a CatalogItem Id (a non-empty string)")
        score = item.get("Score", round(1.0 - n / max(len(items), 1), 4))
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
            raise ValueError(f"mock_customer_profiles: recommendation {n} has Score {score!r}; a score is from 0 to 1")
        out.append({"CatalogItem": catalog, "Score": float(score)})
    return sorted(out, key=lambda entry: -entry["Score"])


def seed_recommendations(domain: Domain, recommender: str, profile_id: str, items: Sequence[Mapping[str, Any]]) -> None:
    if recommender not in _state(domain).recommenders:
        raise ValueError(f"mock_customer_profiles: domain {domain.name} has no recommender {recommender!r}")
    if profile_id not in domain.profiles:
        raise ValueError(f"mock_customer_profiles: domain {domain.name} has no profile {profile_id!r}")
    _own(domain).seeded[(recommender, profile_id)] = check_items(items)


def _popular(domain: Domain) -> list[tuple[str, int]]:
    """The items that the domain's objects name most often (cached until an object changes)."""
    state = _state(domain)
    if state.popular.key == state.version:
        ranked: list[tuple[str, int]] = state.popular.value
        return ranked
    counts: Counter[str] = Counter()
    for object_type in domain.object_types.values():
        for obj in object_type.objects.values():
            try:
                body = json.loads(obj.body)
            except ValueError:  # pragma: no cover - stored objects are JSON
                continue
            for member in ITEM_MEMBERS:
                value = body.get(member) if isinstance(body, dict) else None
                if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                    counts[str(value)] += 1
                    break
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    state.popular.key, state.popular.value = state.version, ranked
    return ranked


def _item_value(catalog: Mapping[str, Any], name: str) -> str | None:
    for member in CATALOG_MEMBERS:
        if member.lower() == name.lower():
            value = catalog.get(member)
            return str(value) if value is not None else None
    attributes = catalog.get("Attributes") or {}
    for key, value in attributes.items():
        if key.lower() == name.lower():
            return str(value)
    return None


def _apply_filter(domain: Domain, spec: Mapping[str, Any], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = _filter(domain, spec["Name"]) if "Name" in spec else None
    if found is None:
        raise BadRequest("RecommenderFilters: each filter needs the Name of a recommender filter")
    parsed = _check_expression(found.expression)
    action, column, operator, terms = parsed.group(1).upper(), parsed.group(2), parsed.group(3).upper(), parsed.group(4)
    values: set[str] = set()
    given = spec.get("Values", {})
    for literal, parameter in _TERM.findall(terms):
        if parameter:
            if parameter not in given:
                raise BadRequest(f"Recommender filter {found.name} needs a value for ${parameter} in Values")
            values.update(part.strip().strip('"') for part in given[parameter].split(","))
        else:
            values.add(literal)
    folded = {value.casefold() for value in values}

    def hit(item: dict[str, Any]) -> bool:
        value = _item_value(item["CatalogItem"], column)
        inside = value is not None and value.casefold() in folded
        return not inside if operator == "NOT IN" else inside

    return [item for item in items if hit(item) == (action == "INCLUDE")]


def _recommend(
    ctx: Context,
    domain: Domain,
    profile_id: str,
    name: str,
    params: Mapping[str, Any],
    filters: Sequence[Mapping[str, Any]],
    promotional: Sequence[Mapping[str, Any]],
    limit: int,
) -> list[dict[str, Any]]:
    recommender = _in_status(domain, name, ("ACTIVE",), "it gives recommendations when ACTIVE")
    for spec in promotional:  # promotions are checked (the filter must exist), not applied
        if "Name" in spec:
            _filter(domain, spec["Name"])
    candidates = params.get("CandidateIds")
    if recommender.recipe == "personalized-ranking" and not candidates:
        raise BadRequest("CandidateIds is required for a personalized-ranking recommender")
    seeded = _state(domain).seeded.get((name, profile_id))
    if seeded is not None:
        items = [{"CatalogItem": dict(item["CatalogItem"]), "Score": item["Score"]} for item in seeded]
    else:
        ranked = _popular(domain)
        top = ranked[0][1] if ranked else 1
        items = [{"CatalogItem": {"Id": item}, "Score": round(count / top, 4)} for item, count in ranked]
    if candidates:
        order = {candidate: n for n, candidate in enumerate(candidates)}
        items = [item for item in items if item["CatalogItem"]["Id"] in order]
    for spec in filters:
        items = _apply_filter(domain, spec, items)
    return items[:limit]


@handler("GetProfileRecommendations", keeps_params=False)
def get_profile_recommendations(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    profile = ctx.profile(domain, params["ProfileId"])
    items = _recommend(
        ctx,
        domain,
        profile.profile_id,
        params["RecommenderName"],
        params,
        params.get("RecommenderFilters", ()),
        params.get("RecommenderPromotionalFilters", ()),
        params.get("MaxResults", DEFAULT_RESULTS),
    )
    return {"Recommendations": items}


@handler("SearchRecommendations", keeps_params=False)
def search_recommendations(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    found: set[str] = set()
    for value in params["KeyValues"]:
        found |= domain.index.lookup(params["KeyName"], value)
    if not found:
        raise NotFound(f"No profile of domain {domain.name} matches {params['KeyName']}")
    if len(found) > 1:
        raise BadRequest(f"The search key {params['KeyName']} matches {len(found)} profiles; it must match exactly one")
    profile_id = found.pop()
    spec = params["Recommender"]
    items = _recommend(
        ctx,
        domain,
        profile_id,
        spec["Name"],
        params,
        spec.get("Filters", ()),
        spec.get("PromotionalFilters", ()),
        params.get("MaxRecommendations", DEFAULT_RESULTS),
    )
    return {"ProfileId": profile_id, "Recommendations": items}
