"""Integration workflows: CreateIntegrationWorkflow, GetWorkflow, GetWorkflowSteps, ListWorkflows,
DeleteWorkflow.

"An integration workflow is an async process which ingests historic data and sets up an integration for
ongoing updates" (the model). A workflow runs through the shared lifecycle (kind ``Workflow``):
``IN_PROGRESS`` on the first read, then ``COMPLETE`` (or ``FAILED`` after ``cp.fail_next("Workflow",
reason)``, the reason in ``ErrorDescription``). It has one step per ``Batch`` ("Batch defines the
boundaries for ingestion for each step"), one covering everything without batches. On completion it
sets up the integration: "After the workflow is complete, Customer Profiles creates a standard,
continuous integration" (admin guide, "Set up integration for featured applications"), whose Uri is the
flow's ARN and whose ``WorkflowId`` is the workflow's; the mock lists it only with ``IncludeHidden``.
No historic data exists in the mock, so ``RecordsProcessed`` is 0.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from mock_customer_profiles._backend import Domain
from mock_customer_profiles._errors import BadRequest, NotFound
from mock_customer_profiles._handlers import Context, Output, Params, handler
from mock_customer_profiles._handlers.integrations import (
    AccountIntegrations,
    DomainIntegrations,
    Integration,
    check_flow,
    check_type_name,
    flow_arn,
    remove,
    store,
)
from mock_customer_profiles._lifecycle import Flow, Run
from mock_customer_profiles._paging import LIST_DEFAULT_PAGE, page_in_order, paginate
from mock_customer_profiles._tags import given

DOCS_PAGE = "families/integrations.md"  # where the docs describe these operations (see _coverage.py)
WORKFLOW = Flow("Workflow", ("IN_PROGRESS",), "COMPLETE", "FAILED")
# "The supported Amazon AppFlow sources are Salesforce, ServiceNow, and Marketo." (the model)
SOURCES = ("Salesforce", "Servicenow", "Marketo")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@dataclass
class Workflow:
    workflow_id: str
    domain_name: str
    params: dict[str, Any]  # the CreateIntegrationWorkflow members (FlowDefinition, ObjectTypeName, RoleArn, ...)
    batches: list[tuple[dt.datetime, dt.datetime]]
    run: Run
    seq: int
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def definition(self) -> dict[str, Any]:
        definition: dict[str, Any] = self.params["IntegrationConfig"]["AppflowIntegration"]["FlowDefinition"]
        return definition


class Workflows:
    """The integration workflows of one domain, in creation order."""

    def __init__(self) -> None:
        self.by_id: dict[str, Workflow] = {}
        self.seq = itertools.count(1)


def _text(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _batches(params: Params, created: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    given = params["IntegrationConfig"]["AppflowIntegration"].get("Batches") or []
    batches = []
    for index, batch in enumerate(given):
        start, end = batch["StartTime"], batch["EndTime"]
        if start >= end:
            raise BadRequest(f"IntegrationConfig.AppflowIntegration.Batches[{index}]: StartTime must be before EndTime")
        batches.append((start, end))
    return batches or [(EPOCH, created)]


def workflow_of(domain: Domain, workflow_id: str) -> Workflow:
    workflow = domain.peek(Workflows).by_id.get(workflow_id)
    if workflow is None:
        raise NotFound(f"Workflow {workflow_id} not found in domain {domain.name}")
    return workflow


def _set_up_integration(ctx: Context, workflow: Workflow) -> None:
    """The continuous integration a completed workflow leaves (its flow's ARN as Uri), in its domain (unless
    the workflow or its domain was deleted meanwhile)."""
    domain = ctx.backend.domains.get(workflow.domain_name)
    if domain is None or domain.peek(Workflows).by_id.get(workflow.workflow_id) is not workflow:
        return
    definition = workflow.definition
    uri = flow_arn(ctx, definition["FlowName"])
    config = {
        "ObjectTypeName": workflow.params["ObjectTypeName"],
        "FlowDefinition": definition,
        "RoleArn": workflow.params["RoleArn"],
    }
    at = workflow.run.updated_at
    integration = Integration(domain.name, uri, config, "PROFILE", at, at, dict(workflow.tags), workflow.workflow_id)
    integration.hidden = True
    store(ctx, domain, integration)


@handler("CreateIntegrationWorkflow")
def create_integration_workflow(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    appflow = params["IntegrationConfig"].get("AppflowIntegration")
    if appflow is None:
        raise BadRequest("IntegrationConfig.AppflowIntegration is required for WorkflowType APPFLOW_INTEGRATION")
    definition = appflow["FlowDefinition"]
    source = definition["SourceFlowConfig"]
    if source["ConnectorType"] not in SOURCES:
        raise BadRequest(f"An integration workflow ingests from {', '.join(SOURCES)}, not {source['ConnectorType']}")
    if "ConnectorProfileName" not in source:
        raise BadRequest(
            f"FlowDefinition.SourceFlowConfig.ConnectorProfileName is required: a workflow reads "
            f"{source['ConnectorType']} through an AppFlow connector profile"
        )
    check_flow(ctx, definition)
    check_type_name(domain, params["ObjectTypeName"], "ObjectTypeName")
    holder = ctx.backend.peek(AccountIntegrations).integration(ctx.backend, flow_arn(ctx, definition["FlowName"]))
    if holder is not None:  # pragma: no cover - a flow's ARN is taken only with its name, which check_flow refused
        raise BadRequest(f"Flow with name {definition['FlowName']} already exists.")
    batches = _batches(params, dt.datetime.now(dt.timezone.utc))
    workflow_id = uuid.uuid4().hex
    kept = {key: value for key, value in params.items() if key not in ("DomainName", "Tags")}
    made: list[Workflow] = []  # the run may finish at once ("instant"), before the workflow exists
    run = ctx.jobs.start(WORKFLOW, lambda _: _set_up_integration(ctx, made[0]) if made else None)
    workflows = domain.family(Workflows)
    tags = given(params, f"Workflow {workflow_id}")  # the integration the workflow sets up takes them
    workflow = Workflow(workflow_id, domain.name, kept, batches, run, next(workflows.seq), tags)
    made.append(workflow)
    workflows.by_id[workflow_id] = workflow
    ctx.backend.family(AccountIntegrations).reserve_flow(domain, definition["FlowName"])
    if run.finished and not run.failed:
        _set_up_integration(ctx, workflow)
    return {"WorkflowId": workflow_id, "Message": f"Workflow {workflow_id} created"}


def _steps_completed(workflow: Workflow, status: str) -> int:
    return len(workflow.batches) if status == WORKFLOW.done else 0


@handler("GetWorkflow", keeps_params=False)
def get_workflow(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    workflow = workflow_of(domain, params["WorkflowId"])
    run = workflow.run
    status = run.observe()
    source = workflow.definition["SourceFlowConfig"]
    out: dict[str, Any] = {
        "WorkflowId": workflow.workflow_id,
        "WorkflowType": workflow.params["WorkflowType"],
        "Status": status,
        "StartDate": run.started_at,
        "LastUpdatedAt": run.updated_at,
        "Attributes": {
            "AppflowIntegration": {
                "SourceConnectorType": source["ConnectorType"],
                "ConnectorProfileName": source["ConnectorProfileName"],
                "RoleArn": workflow.params["RoleArn"],
            }
        },
        "Metrics": {
            "AppflowIntegration": {
                "RecordsProcessed": 0,
                "StepsCompleted": _steps_completed(workflow, status),
                "TotalSteps": len(workflow.batches),
            }
        },
    }
    if run.failed:
        out["ErrorDescription"] = (run.failure_reason or "The workflow failed")[:255]
    return out


def _step_status(workflow: Workflow, index: int) -> tuple[str, str]:
    run = workflow.run
    if run.failed:
        if index == 0:
            return "FAILED", (run.failure_reason or "The step failed")[:255]
        return "CANCELLED", "Cancelled after an earlier step failed"
    if run.state == WORKFLOW.done:
        return "COMPLETE", "Step completed"
    return ("IN_PROGRESS", "Step in progress") if index == 0 else ("NOT_STARTED", "Step not started")


@handler("GetWorkflowSteps", keeps_params=False)
def get_workflow_steps(ctx: Context, params: Params) -> Output:
    domain = ctx.domain(params["DomainName"])
    workflow = workflow_of(domain, params["WorkflowId"])
    page, more = paginate(
        ctx.backend.token_secret,
        ["GetWorkflowSteps", domain.name, workflow.workflow_id],
        params,
        LIST_DEFAULT_PAGE,
        lambda after: list(range(len(workflow.batches)))[(after or 0) :],
        lambda index: index + 1,
    )
    flow_name = workflow.definition["FlowName"]
    items = []
    for index in page:
        start, end = workflow.batches[index]
        status, message = _step_status(workflow, index)
        step = {
            "FlowName": flow_name if len(workflow.batches) == 1 else f"{flow_name}-{index + 1}"[:256],
            "Status": status,
            "ExecutionMessage": message,
            "RecordsProcessed": 0,
            "BatchRecordsStartTime": _text(start),
            "BatchRecordsEndTime": _text(end),
            "CreatedAt": workflow.run.started_at,
            "LastUpdatedAt": workflow.run.updated_at,
        }
        items.append({"AppflowIntegration": step})
    return {"WorkflowId": workflow.workflow_id, "WorkflowType": workflow.params["WorkflowType"], "Items": items, **more}


@handler("ListWorkflows", keeps_params=False)
def list_workflows(ctx: Context, params: Params) -> Output:
    """Filters: ``WorkflowType``, ``Status`` (as last read: listing does not move a workflow on),
    ``QueryStartDate`` ("workflows started after"), ``QueryEndDate`` ("workflows ended after")."""
    domain = ctx.domain(params["DomainName"])
    start, end = params.get("QueryStartDate"), params.get("QueryEndDate")

    def wanted(workflow: Workflow) -> bool:
        run = workflow.run
        return (
            params.get("WorkflowType") in (None, workflow.params["WorkflowType"])
            and params.get("Status") in (None, run.state)
            and (start is None or run.started_at > start)
            and (end is None or (run.finished_at is not None and run.finished_at > end))
        )

    workflows = [workflow for workflow in domain.peek(Workflows).by_id.values() if wanted(workflow)]
    filters = [params.get(key) for key in ("WorkflowType", "Status")] + [str(start), str(end)]
    scope = ["ListWorkflows", domain.name, filters]
    page, more = page_in_order(ctx.backend.token_secret, scope, params, workflows, lambda workflow: workflow.seq)
    items = [
        {
            "WorkflowType": workflow.params["WorkflowType"],
            "WorkflowId": workflow.workflow_id,
            "Status": workflow.run.state,
            "StatusDescription": _description(workflow),
            "CreatedAt": workflow.run.started_at,
            "LastUpdatedAt": workflow.run.updated_at,
        }
        for workflow in page
    ]
    return {"Items": items, **more}


def _description(workflow: Workflow) -> str:
    run = workflow.run
    if run.failed:
        return (run.failure_reason or "The workflow failed")[:255]
    if run.state == WORKFLOW.done:
        return "The workflow completed and set up the integration"
    return "The workflow is ingesting historic data"


@handler("DeleteWorkflow")
def delete_workflow(ctx: Context, params: Params) -> Output:
    """Deletes "the specified workflow and all its corresponding resources": its flow and integration."""
    domain = ctx.domain(params["DomainName"])
    workflow = workflow_of(domain, params["WorkflowId"])
    del domain.family(Workflows).by_id[workflow.workflow_id]
    ctx.jobs.forget(workflow.run)
    flow_name = workflow.definition["FlowName"]
    integration = domain.peek(DomainIntegrations).by_uri.get(flow_arn(ctx, flow_name))
    if integration is None:  # not set up yet, or its integration was deleted: the flow is the workflow's
        ctx.backend.family(AccountIntegrations).release_flow(domain, flow_name)
    elif integration.workflow_id == workflow.workflow_id:
        remove(ctx, domain, integration)  # the flow goes with it
    # else: an integration put after the workflow's own was deleted now owns a flow of that name: it stays
    return {}
