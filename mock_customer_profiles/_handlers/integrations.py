"""Integrations: PutIntegration (an upsert by Uri), GetIntegration, DeleteIntegration, ListIntegrations,
ListAccountIntegrations.

An integration is keyed by its domain and ``Uri``. "An integration can belong to only one domain" (the
model's PutIntegration documentation): the account keeps an index by Uri (``Backend.family``), so
``PutIntegration`` finds a Uri another domain holds, and ``ListAccountIntegrations`` answers, with one
look-up. A ``FlowDefinition`` makes the service create an AppFlow flow, whose ARN is then the Uri.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles._backend import Backend, Domain, now
from mock_customer_profiles._errors import BadRequest
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.event_triggers import EventTriggers
from mock_customer_profiles._paging import page_in_order
from mock_customer_profiles._tags import given, stamped, taggable
from mock_customer_profiles._templates import TEMPLATES

DOCS_PAGE = "families/integrations.md"  # where the docs describe these operations (see _coverage.py)
UNSTRUCTURED = "_unstructured"
# The event types ObjectTypeNames takes (the model: "It supports the following event types: ...").
EVENT_TYPES = frozenset(
    {
        "SegmentIdentify",
        "ShopifyCreateCustomers",
        "ShopifyUpdateCustomers",
        "ShopifyCreateDraftOrders",
        "ShopifyUpdateDraftOrders",
        "ShopifyCreateOrders",
        "ShopifyUpdatedOrders",
    }
)
# SourceFlowConfig.ConnectorType -> the SourceConnectorProperties member that describes its source.
CONNECTOR_PROPERTIES = {
    "Salesforce": "Salesforce",
    "Marketo": "Marketo",
    "Zendesk": "Zendesk",
    "Servicenow": "ServiceNow",
    "S3": "S3",
}
_CONFIG = ("ObjectTypeName", "ObjectTypeNames", "FlowDefinition", "RoleArn", "EventTriggerNames")


@dataclass
class Integration:
    domain_name: str
    uri: str
    config: dict[str, Any]  # the PutIntegration members as given (ObjectTypeName, RoleArn, ...)
    scope: str
    created_at: dt.datetime
    updated_at: dt.datetime
    tags: dict[str, str] = field(default_factory=dict)
    workflow_id: str | None = None  # set on the integration an integration workflow created
    hidden: bool = False
    seq: int = 0  # creation order in the account (list order and page cursor)

    @property
    def flow_name(self) -> str | None:
        definition = self.config.get("FlowDefinition")
        return str(definition["FlowName"]) if definition else None


class DomainIntegrations:
    """The integrations of one domain, by Uri, in creation order, and the AppFlow flows the domain owns
    (through its integrations and integration workflows)."""

    def __init__(self) -> None:
        self.by_uri: dict[str, Integration] = {}
        self.flows: set[str] = set()


class AccountIntegrations:
    """The integrations of one account and region by Uri, and the AppFlow flows they own by name.

    A domain's state goes with the domain (``DeleteDomain`` knows nothing of this index), so an entry
    counts only while the domain of that name still holds it (names only: no references between states)."""

    def __init__(self) -> None:
        self.by_uri: dict[str, Integration] = {}
        self.flows: dict[str, str] = {}  # flow name -> the name of the domain that owns it
        self.seq = itertools.count(1)

    def integration(self, backend: Backend, uri: str) -> Integration | None:
        found = self.by_uri.get(uri)
        if found is None:
            return None
        domain = backend.domains.get(found.domain_name)
        if domain is None or domain.peek(DomainIntegrations).by_uri.get(uri) is not found:
            return None  # its domain was deleted: the entry is stale (replaced when the Uri is put again)
        return found

    def flow_taken(self, backend: Backend, name: str) -> bool:
        owner = self.flows.get(name)
        domain = backend.domains.get(owner) if owner is not None else None
        return domain is not None and name in domain.peek(DomainIntegrations).flows

    def reserve_flow(self, domain: Domain, name: str) -> None:
        self.flows[name] = domain.name
        domain.family(DomainIntegrations).flows.add(name)

    def release_flow(self, domain: Domain, name: str) -> None:
        domain.family(DomainIntegrations).flows.discard(name)
        if self.flows.get(name) == domain.name:
            del self.flows[name]


@taggable("integrations", "Integration")
def integration_by_uri(domain: Domain, uri: str) -> Integration | None:
    """The domain's integration of ``uri`` (``integration_by_uri.get``: or ``ResourceNotFoundException``); its ARN
    ends in the Uri: ``.../domains/<DomainName>/integrations/<Uri>``."""
    return domain.peek(DomainIntegrations).by_uri.get(uri)


def flow_arn(ctx: Context, flow_name: str) -> str:
    return f"arn:aws:appflow:{ctx.backend.region}:{ctx.backend.account_id}:flow/{flow_name}"


# --------------------------------------------------------------------------------------- validation


def check_type_name(domain: Domain, name: str, where: str) -> None:
    """An object type of the domain or a template id (integrations ingest with either)."""
    if name not in domain.object_types and name not in TEMPLATES:
        raise BadRequest(f"{where} {name} is neither an object type of domain {domain.name} nor a template id")


def check_flow(ctx: Context, definition: dict[str, Any]) -> None:
    """A FlowDefinition whose source is described for its connector and whose flow does not exist yet."""
    source = definition["SourceFlowConfig"]
    connector = source["ConnectorType"]
    wanted = CONNECTOR_PROPERTIES[connector]
    given = sorted(source["SourceConnectorProperties"])
    if given != [wanted]:
        raise BadRequest(
            f"FlowDefinition.SourceFlowConfig.SourceConnectorProperties must describe the {connector} source "
            f"with exactly its {wanted} member, not {given or 'nothing'}"
        )
    name = definition["FlowName"]
    if ctx.backend.peek(AccountIntegrations).flow_taken(ctx.backend, name):
        raise BadRequest(f"Flow with name {name} already exists.")  # AWS's own text (CFN handler constant)


def _check_types(domain: Domain, params: Params) -> None:
    type_name, type_names = params.get("ObjectTypeName"), params.get("ObjectTypeNames")
    if (type_name is None) == (type_names is None):
        raise BadRequest("Set exactly one of ObjectTypeName and ObjectTypeNames")
    if type_name is not None:
        if type_name == UNSTRUCTURED and "FlowDefinition" in params:
            return  # IsUnstructured: "ObjectTypeName equals _unstructured via API/CLI in flowDefinition"
        check_type_name(domain, type_name, "ObjectTypeName")
        return
    for event_type, name in dict(type_names or {}).items():
        if event_type not in EVENT_TYPES:
            raise BadRequest(
                f"ObjectTypeNames: {event_type} is not a supported event type ({', '.join(sorted(EVENT_TYPES))})"
            )
        check_type_name(domain, name, f"ObjectTypeNames[{event_type}]:")


def _check_triggers(domain: Domain, uri: str, names: list[str]) -> None:
    triggers = domain.peek(EventTriggers)
    for name in names:
        if name not in triggers.by_name:
            raise BadRequest(f"Event trigger {name} not found in domain {domain.name}")
        user = triggers.used_by.get(name)
        if user is not None and user != uri:
            raise BadRequest(f"Event trigger {name} is already associated with integration {user}")


# ----------------------------------------------------------------------------------------- handlers


def describe(integration: Integration) -> dict[str, Any]:
    """The Put/Get output and a list item (the same members)."""
    config = integration.config
    out: dict[str, Any] = {"DomainName": integration.domain_name, "Uri": integration.uri}
    for member in ("ObjectTypeName", "ObjectTypeNames", "RoleArn", "EventTriggerNames"):
        if member in config:
            out[member] = copy.deepcopy(config[member])
    out.update(stamped(integration))
    if integration.workflow_id is not None:
        out["WorkflowId"] = integration.workflow_id
    out["IsUnstructured"] = "FlowDefinition" in config and config.get("ObjectTypeName") == UNSTRUCTURED
    out["Scope"] = integration.scope
    return out


def store(ctx: Context, domain: Domain, integration: Integration) -> None:
    """Register a new integration in its domain and the account's indexes."""
    account = ctx.backend.family(AccountIntegrations)
    integration.seq = next(account.seq)
    domain.family(DomainIntegrations).by_uri[integration.uri] = integration
    account.by_uri[integration.uri] = integration
    if integration.flow_name is not None:
        account.reserve_flow(domain, integration.flow_name)
    _use_triggers(domain, integration)


def _use_triggers(domain: Domain, integration: Integration) -> None:
    used_by = domain.family(EventTriggers).used_by
    for name in integration.config.get("EventTriggerNames", ()):
        used_by[name] = integration.uri


def _release_triggers(domain: Domain, integration: Integration) -> None:
    used_by = domain.family(EventTriggers).used_by
    for name in integration.config.get("EventTriggerNames", ()):
        if used_by.get(name) == integration.uri:
            del used_by[name]


def remove(ctx: Context, domain: Domain, integration: Integration) -> None:
    account = ctx.backend.family(AccountIntegrations)
    del domain.family(DomainIntegrations).by_uri[integration.uri]
    if account.by_uri.get(integration.uri) is integration:
        del account.by_uri[integration.uri]
    if integration.flow_name is not None:  # the flow the service created for the integration goes with it
        account.release_flow(domain, integration.flow_name)
    _release_triggers(domain, integration)


@handler("PutIntegration")
def put_integration(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    definition = params.get("FlowDefinition")
    given_uri = params.get("Uri")
    if (given_uri is None) == (definition is None):
        raise BadRequest(
            "Set exactly one of Uri and FlowDefinition (with a FlowDefinition, the Uri is the ARN of the "
            "AppFlow flow the service creates)"
        )
    if definition is not None:
        check_flow(ctx, definition)
    uri = str(given_uri) if definition is None else flow_arn(ctx, definition["FlowName"])
    holder = ctx.backend.peek(AccountIntegrations).integration(ctx.backend, uri)
    if holder is not None and holder.domain_name != domain.name:
        raise BadRequest(
            f"The integration {uri} already belongs to domain {holder.domain_name}: an integration can belong "
            "to only one domain"
        )
    _check_types(domain, params)
    _check_triggers(domain, uri, params.get("EventTriggerNames", []))

    config = {key: copy.deepcopy(params[key]) for key in _CONFIG if key in params}
    scope = params.get("Scope", "PROFILE")  # "The default value is PROFILE."
    stamp = now()
    existing = domain.peek(DomainIntegrations).by_uri.get(uri)
    if existing is None:
        integration = Integration(domain.name, uri, config, scope, stamp, stamp, given(params, f"Integration {uri}"))
        store(ctx, domain, integration)
    else:  # an update; its tags change only through TagResource / UntagResource (the model says so)
        integration = existing
        _release_triggers(domain, integration)
        integration.config, integration.scope, integration.updated_at = config, scope, stamp
        _use_triggers(domain, integration)
    return describe(integration)


@handler("GetIntegration", keeps_params=False)
def get_integration(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    return describe(integration_by_uri.get(domain, params["Uri"]))


@handler("DeleteIntegration")
def delete_integration(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    found = integration_by_uri.get(domain, params["Uri"])
    remove(ctx, domain, found)
    return {"Message": f"Integration {found.uri} deleted"}


def _page(ctx: Context, params: Params, scope: list[Any], integrations: list[Integration]) -> Output:
    listed = [item for item in integrations if params.get("IncludeHidden", False) or not item.hidden]
    page, more = page_in_order(ctx.backend.token_secret, scope, params, listed, lambda item: item.seq)
    return {"Items": [describe(item) for item in page], **more}


@handler("ListIntegrations", keeps_params=False)
def list_integrations(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    integrations = list(domain.peek(DomainIntegrations).by_uri.values())
    return _page(ctx, params, ["ListIntegrations", domain.name, params.get("IncludeHidden", False)], integrations)


@handler("ListAccountIntegrations", keeps_params=False)
def list_account_integrations(ctx: Context, params: Params) -> Output:
    """The integrations of the Uri across the account's domains (one at most: a Uri has one domain)."""
    uri = params["Uri"]
    found = ctx.backend.peek(AccountIntegrations).integration(ctx.backend, uri)
    scope = ["ListAccountIntegrations", uri, params.get("IncludeHidden", False)]
    return _page(ctx, params, scope, [found] if found is not None else [])
