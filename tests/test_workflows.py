"""Integration workflows: CreateIntegrationWorkflow, GetWorkflow, GetWorkflowSteps, ListWorkflows,
DeleteWorkflow, through the shared lifecycle of asynchronous resources."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dataplane_helpers import bad_request, not_found

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles

ROLE = "arn:aws:iam::123456789012:role/profiles-workflow"
KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
FLOW_ARN = "arn:aws:appflow:us-east-1:123456789012:flow/sf-history"
JAN, MAR, MAY = (dt.datetime(2024, month, 1, tzinfo=dt.timezone.utc) for month in (1, 3, 5))


def definition(name: str = "sf-history", connector: str = "Salesforce", profile: str | None = "sf-conn") -> Any:
    member = {"Servicenow": "ServiceNow"}.get(connector, connector)
    source: dict[str, Any] = {"ConnectorType": connector, "SourceConnectorProperties": {member: {"Object": "Account"}}}
    if profile is not None:
        source["ConnectorProfileName"] = profile
    return {
        "FlowName": name,
        "KmsArn": KMS,
        "SourceFlowConfig": source,
        "Tasks": [{"SourceFields": ["Id"], "TaskType": "Map", "DestinationField": "Id"}],
        "TriggerConfig": {"TriggerType": "OnDemand"},
    }


def start(client: Any, batches: list[tuple[dt.datetime, dt.datetime]] | None = None, **flow: Any) -> str:
    appflow: dict[str, Any] = {"FlowDefinition": definition(**flow)}
    if batches is not None:
        appflow["Batches"] = [{"StartTime": start, "EndTime": end} for start, end in batches]
    response = client.create_integration_workflow(
        DomainName="acme",
        WorkflowType="APPFLOW_INTEGRATION",
        IntegrationConfig={"AppflowIntegration": appflow},
        ObjectTypeName="Salesforce-Account",
        RoleArn=ROLE,
    )
    assert response["Message"] == f"Workflow {response['WorkflowId']} created"
    return str(response["WorkflowId"])


def get(client: Any, workflow_id: str) -> Any:
    return client.get_workflow(DomainName="acme", WorkflowId=workflow_id)


def steps(client: Any, workflow_id: str) -> list[dict[str, Any]]:
    return [
        item["AppflowIntegration"]
        for item in client.get_workflow_steps(DomainName="acme", WorkflowId=workflow_id)["Items"]
    ]


@pytest.mark.both_doors
def test_a_polling_loop_sees_one_round_in_progress_then_complete(client: Any, domain: str) -> None:
    workflow_id = start(client, [(JAN, MAR), (MAR, MAY)])
    first = get(client, workflow_id)
    assert first["Status"] == "IN_PROGRESS"
    assert first["Attributes"] == {
        "AppflowIntegration": {"SourceConnectorType": "Salesforce", "ConnectorProfileName": "sf-conn", "RoleArn": ROLE}
    }
    assert first["Metrics"] == {"AppflowIntegration": {"RecordsProcessed": 0, "StepsCompleted": 0, "TotalSteps": 2}}
    assert [(s["FlowName"], s["Status"]) for s in steps(client, workflow_id)] == [
        ("sf-history-1", "IN_PROGRESS"),
        ("sf-history-2", "NOT_STARTED"),
    ]
    done = get(client, workflow_id)
    assert done["Status"] == "COMPLETE"
    assert done["Metrics"]["AppflowIntegration"]["StepsCompleted"] == 2
    assert done["StartDate"] == first["StartDate"]
    assert done["LastUpdatedAt"] >= first["LastUpdatedAt"]
    listed = steps(client, workflow_id)
    assert [(s["Status"], s["BatchRecordsStartTime"], s["BatchRecordsEndTime"]) for s in listed] == [
        ("COMPLETE", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z"),
        ("COMPLETE", "2024-03-01T00:00:00Z", "2024-05-01T00:00:00Z"),
    ]


def test_completion_sets_up_a_hidden_integration(client: Any, domain: str) -> None:
    workflow_id = start(client)
    assert client.list_integrations(DomainName="acme", IncludeHidden=True)["Items"] == []
    get(client, workflow_id)
    get(client, workflow_id)
    assert client.list_integrations(DomainName="acme")["Items"] == []
    (hidden,) = client.list_integrations(DomainName="acme", IncludeHidden=True)["Items"]
    assert (hidden["Uri"], hidden["WorkflowId"], hidden["ObjectTypeName"]) == (
        FLOW_ARN,
        workflow_id,
        "Salesforce-Account",
    )
    assert client.list_account_integrations(Uri=FLOW_ARN)["Items"] == []
    assert len(client.list_account_integrations(Uri=FLOW_ARN, IncludeHidden=True)["Items"]) == 1
    client.delete_workflow(DomainName="acme", WorkflowId=workflow_id)
    assert client.list_integrations(DomainName="acme", IncludeHidden=True)["Items"] == []
    with not_found(f"Workflow {workflow_id} not found in domain acme"):
        get(client, workflow_id)
    start(client)  # the flow's name is free again


def test_one_step_without_batches(client: Any, domain: str) -> None:
    workflow_id = start(client)
    (step,) = steps(client, workflow_id)
    assert (step["FlowName"], step["BatchRecordsStartTime"], step["RecordsProcessed"]) == (
        "sf-history",
        "1970-01-01T00:00:00Z",
        0,
    )


def test_manual_lifecycle_waits_for_settle() -> None:
    with mock_customer_profiles(lifecycle="manual") as mock:
        client = mock.client()
        client.create_domain(DomainName="acme", DefaultExpirationDays=30)
        workflow_id = start(client)
        assert [get(client, workflow_id)["Status"] for _ in range(3)] == ["IN_PROGRESS"] * 3
        assert mock.settle("Workflow") == 1
        assert get(client, workflow_id)["Status"] == "COMPLETE"
        assert client.list_integrations(DomainName="acme", IncludeHidden=True)["Items"][0]["WorkflowId"] == workflow_id


def test_instant_lifecycle_completes_at_once() -> None:
    with mock_customer_profiles(lifecycle="instant") as mock:
        client = mock.client()
        client.create_domain(DomainName="acme", DefaultExpirationDays=30)
        workflow_id = start(client)
        assert client.list_workflows(DomainName="acme")["Items"][0]["Status"] == "COMPLETE"
        assert get(client, workflow_id)["Status"] == "COMPLETE"
        assert len(client.list_integrations(DomainName="acme", IncludeHidden=True)["Items"]) == 1


def test_fail_next_ends_the_workflow_failed_with_the_reason(
    mock: CustomerProfilesMock, client: Any, domain: str
) -> None:
    mock.fail_next("Workflow", "Connector profile sf-conn has expired credentials")
    workflow_id = start(client, [(JAN, MAR), (MAR, MAY)])
    statuses = [get(client, workflow_id)["Status"] for _ in range(2)]
    assert statuses == ["IN_PROGRESS", "FAILED"]
    assert get(client, workflow_id)["ErrorDescription"] == "Connector profile sf-conn has expired credentials"
    assert [(s["Status"], s["ExecutionMessage"]) for s in steps(client, workflow_id)] == [
        ("FAILED", "Connector profile sf-conn has expired credentials"),
        ("CANCELLED", "Cancelled after an earlier step failed"),
    ]
    (item,) = client.list_workflows(DomainName="acme", Status="FAILED")["Items"]
    assert item["StatusDescription"] == "Connector profile sf-conn has expired credentials"
    assert client.list_integrations(DomainName="acme", IncludeHidden=True)["Items"] == []


def test_list_filters_by_status_type_and_dates(client: Any, domain: str) -> None:
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    done = start(client, name="one")
    get(client, done)
    get(client, done)
    running = start(client, name="two")
    get(client, running)

    def ids(**filters: Any) -> list[str]:
        return [item["WorkflowId"] for item in client.list_workflows(DomainName="acme", **filters)["Items"]]

    assert ids() == [done, running]
    assert ids(Status="COMPLETE") == [done]
    assert ids(Status="IN_PROGRESS", WorkflowType="APPFLOW_INTEGRATION") == [running]
    assert ids(QueryStartDate=before) == [done, running]
    assert ids(QueryStartDate=dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)) == []
    assert ids(QueryEndDate=before) == [done]
    page = client.list_workflows(DomainName="acme", MaxResults=1)
    assert [item["WorkflowId"] for item in page["Items"]] == [done]
    rest = client.list_workflows(DomainName="acme", NextToken=page["NextToken"])
    assert [item["WorkflowId"] for item in rest["Items"]] == [running]


@pytest.mark.parametrize(
    ("flow", "message"),
    [
        ({"connector": "Zendesk"}, "An integration workflow ingests from Salesforce, Servicenow, Marketo, not Zendesk"),
        (
            {"profile": None},
            "FlowDefinition.SourceFlowConfig.ConnectorProfileName is required: a workflow reads Salesforce through an "
            "AppFlow connector profile",
        ),
    ],
)
def test_sources_are_checked(client: Any, domain: str, flow: dict[str, Any], message: str) -> None:
    with bad_request(message):
        start(client, **flow)


def test_batches_and_flow_names_are_checked_before_anything_starts(
    mock: CustomerProfilesMock, client: Any, domain: str
) -> None:
    with bad_request("IntegrationConfig.AppflowIntegration.Batches[0]: StartTime must be before EndTime"):
        start(client, [(MAR, JAN)])
    start(client)
    with bad_request("Flow with name sf-history already exists."):
        start(client)
    with bad_request("Flow with name sf-history already exists."):
        client.put_integration(DomainName="acme", FlowDefinition=definition(), ObjectTypeName="Salesforce-Account")
    assert mock.settle() == 1  # only the one workflow that started


def test_unknown_ids_and_missing_config(client: Any, raw_client: Any, domain: str) -> None:
    unknown = "0" * 32
    with not_found(f"Workflow {unknown} not found in domain acme"):
        client.get_workflow_steps(DomainName="acme", WorkflowId=unknown)
    with not_found("Workflow anything not found in domain acme"):
        client.delete_workflow(DomainName="acme", WorkflowId="anything")
    with bad_request("IntegrationConfig.AppflowIntegration is required for WorkflowType APPFLOW_INTEGRATION"):
        client.create_integration_workflow(
            DomainName="acme",
            WorkflowType="APPFLOW_INTEGRATION",
            IntegrationConfig={},
            ObjectTypeName="Salesforce-Account",
            RoleArn=ROLE,
        )
    with pytest.raises(raw_client.exceptions.BadRequestException, match="Member must satisfy regular expression"):
        raw_client.get_workflow(DomainName="acme", WorkflowId="not-an-id")


def test_a_workflow_whose_domain_is_deleted_sets_nothing_up() -> None:
    with mock_customer_profiles(lifecycle="manual") as mock:
        client = mock.client()
        client.create_domain(DomainName="acme", DefaultExpirationDays=30)
        start(client)
        client.delete_domain(DomainName="acme")
        client.create_domain(DomainName="acme", DefaultExpirationDays=30)
        assert mock.settle("Workflow") == 1
        assert client.list_integrations(DomainName="acme", IncludeHidden=True)["Items"] == []
        assert client.list_account_integrations(Uri=FLOW_ARN, IncludeHidden=True)["Items"] == []
        start(client)  # the flow went with the deleted domain


def test_deleting_a_workflow_leaves_a_flow_another_integration_took(client: Any, domain: str) -> None:
    workflow_id = start(client)
    get(client, workflow_id)
    get(client, workflow_id)
    client.delete_integration(DomainName="acme", Uri=FLOW_ARN)  # the workflow's own integration
    client.put_integration(DomainName="acme", FlowDefinition=definition(), ObjectTypeName="Salesforce-Account")
    client.delete_workflow(DomainName="acme", WorkflowId=workflow_id)
    assert client.get_integration(DomainName="acme", Uri=FLOW_ARN)["ObjectTypeName"] == "Salesforce-Account"
    with bad_request("Flow with name sf-history already exists."):
        start(client)
