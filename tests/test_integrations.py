"""Integrations: PutIntegration, GetIntegration, DeleteIntegration, ListIntegrations, ListAccountIntegrations."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ParamValidationError
from dataplane_helpers import bad_request, field, key, not_found, put_type
from model_support import model_has, modelled

from mock_customer_profiles import CustomerProfilesMock

pytestmark = pytest.mark.both_doors

CONNECT = "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555"
CAMPAIGN = "arn:aws:connect-campaigns:us-east-1:123456789012:campaign/c-1"
ROLE = "arn:aws:iam::123456789012:role/profiles-integration"
KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def flow(name: str = "sf-accounts", connector: str = "Salesforce", source: str | None = None) -> dict[str, Any]:
    member = source or {"Servicenow": "ServiceNow"}.get(connector, connector)
    properties: dict[str, Any] = {"BucketName": "bucket"} if connector == "S3" else {"Object": "Account"}
    return {
        "FlowName": name,
        "KmsArn": KMS,
        "SourceFlowConfig": {
            "ConnectorType": connector,
            "ConnectorProfileName": "sf-profile",
            "SourceConnectorProperties": {member: properties},
        },
        "Tasks": [{"SourceFields": ["Id"], "TaskType": "Map", "DestinationField": "Id"}],
        "TriggerConfig": {"TriggerType": "OnDemand"},
    }


def put_orders(client: Any, domain: str = "acme") -> None:
    put_type(
        client,
        "Order",
        {"id": field("id"), "total": field("total", content_type="NUMBER")},
        {"orderId": key("id", ids=("UNIQUE",))},
        domain=domain,
    )


def put_trigger(client: Any, name: str = "big-order", domain: str = "acme") -> None:
    client.create_event_trigger(
        DomainName=domain,
        EventTriggerName=name,
        ObjectTypeName="Order",
        EventTriggerConditions=[
            {
                "EventTriggerDimensions": [
                    {
                        "ObjectAttributes": [
                            {"FieldName": "total", "ComparisonOperator": "GREATER_THAN", "Values": ["100"]}
                        ]
                    }
                ],
                "LogicalOperator": "ALL",
            }
        ],
    )


def shown(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in ("CreatedAt", "LastUpdatedAt", "ResponseMetadata")}


# ------------------------------------------------------------------------------------------- put / get


def test_a_deploy_script_integrates_a_connect_instance_with_a_contact_record_template(client: Any, domain: str) -> None:
    put = client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="CTR-AutoAssociateOnly")
    expected = {
        "DomainName": "acme",
        "Uri": CONNECT,
        "ObjectTypeName": "CTR-AutoAssociateOnly",
        "IsUnstructured": False,
        "Scope": "PROFILE",
    }
    assert shown(put) == modelled("PutIntegration", expected, output=True)  # botocore 1.34 has no Scope
    got = client.get_integration(DomainName=domain, Uri=CONNECT)
    assert shown(got) == modelled("GetIntegration", expected, output=True)
    assert got["CreatedAt"] == put["CreatedAt"]


def test_an_ansible_style_module_lists_then_gets_each_integration(client: Any, domain: str) -> None:
    put_orders(client)
    client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="CTR", Tags={"team": "contact"})
    scope = modelled("PutIntegration", {"Scope": "DOMAIN"})  # newer than botocore 1.34: sent where the model has it
    client.put_integration(DomainName=domain, Uri="arn:aws:s3:::orders", ObjectTypeName="Order", **scope)
    listed = client.list_integrations(DomainName=domain)["Items"]
    assert [item["Uri"] for item in listed] == [CONNECT, "arn:aws:s3:::orders"]
    for item in listed:
        assert shown(client.get_integration(DomainName=domain, Uri=item["Uri"])) == shown(item)
    assert listed[0]["Tags"] == {"team": "contact"}
    if scope:
        assert listed[1]["Scope"] == "DOMAIN"


def test_get_integration_without_uri_is_refused_by_botocore_and_by_the_mock(
    client: Any, raw_client: Any, domain: str
) -> None:
    client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="CTR")
    with pytest.raises(ParamValidationError, match='Missing required parameter in input: "Uri"'):
        client.get_integration(DomainName=domain)
    with bad_request(
        "1 validation error detected: Value null at 'uri' failed to satisfy constraint: Member must not be null"
    ):
        raw_client.get_integration(DomainName=domain)


def test_put_is_an_update_for_the_same_uri_in_the_same_domain(client: Any, domain: str) -> None:
    first = client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="CTR", Tags={"a": "1"})
    role = modelled("PutIntegration", {"RoleArn": ROLE})  # newer than botocore 1.34: sent where the model has it
    second = client.put_integration(
        DomainName=domain, Uri=CONNECT, ObjectTypeName="CTR-NoInferred", **role, Tags={"b": "2"}
    )
    assert second["ObjectTypeName"] == "CTR-NoInferred"
    if role:
        assert second["RoleArn"] == ROLE
    assert second["CreatedAt"] == first["CreatedAt"]
    assert second["Tags"] == {"a": "1"}  # tags change through TagResource / UntagResource only
    assert len(client.list_integrations(DomainName=domain)["Items"]) == 1


def test_a_uri_belongs_to_one_domain_of_the_account_at_a_time(client: Any, domain: str) -> None:
    client.create_domain(DomainName="beta", DefaultExpirationDays=30)
    client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="CTR")
    with bad_request(
        f"The integration {CONNECT} already belongs to domain acme: an integration can belong to only one domain"
    ):
        client.put_integration(DomainName="beta", Uri=CONNECT, ObjectTypeName="CTR")
    client.delete_integration(DomainName=domain, Uri=CONNECT)
    client.put_integration(DomainName="beta", Uri=CONNECT, ObjectTypeName="CTR")
    assert [item["DomainName"] for item in client.list_account_integrations(Uri=CONNECT)["Items"]] == ["beta"]


def test_a_deleted_domain_frees_its_uris(client: Any, domain: str) -> None:
    client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="CTR")
    client.delete_domain(DomainName=domain)
    assert client.list_account_integrations(Uri=CONNECT)["Items"] == []
    client.create_domain(DomainName="beta", DefaultExpirationDays=30)
    client.put_integration(DomainName="beta", Uri=CONNECT, ObjectTypeName="CTR")
    assert client.list_account_integrations(Uri=CONNECT)["Items"][0]["DomainName"] == "beta"


def test_object_type_names_must_exist_as_types_or_templates(client: Any, domain: str) -> None:
    with bad_request("ObjectTypeName Order is neither an object type of domain acme nor a template id"):
        client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="Order")
    put_orders(client)
    assert client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="Order")["ObjectTypeName"] == "Order"
    shopify = {"ShopifyCreateCustomers": "Shopify-Customer", "ShopifyCreateOrders": "Order"}
    put = client.put_integration(DomainName=domain, Uri="arn:aws:events:shop", ObjectTypeNames=shopify)
    assert put["ObjectTypeNames"] == shopify
    with bad_request(
        "ObjectTypeNames[ShopifyCreateOrders]: Nope is neither an object type of domain acme nor a template id"
    ):
        client.put_integration(
            DomainName=domain, Uri="arn:aws:events:x", ObjectTypeNames={"ShopifyCreateOrders": "Nope"}
        )
    with pytest.raises(client.exceptions.BadRequestException, match="OrderPlaced is not a supported event type"):
        client.put_integration(DomainName=domain, Uri="arn:aws:events:x", ObjectTypeNames={"OrderPlaced": "Order"})


def test_exactly_one_of_object_type_name_and_names(client: Any, domain: str) -> None:
    with bad_request("Set exactly one of ObjectTypeName and ObjectTypeNames"):
        client.put_integration(DomainName=domain, Uri=CONNECT)
    with bad_request("Set exactly one of ObjectTypeName and ObjectTypeNames"):
        client.put_integration(
            DomainName=domain, Uri=CONNECT, ObjectTypeName="CTR", ObjectTypeNames={"SegmentIdentify": "CTR"}
        )


def test_bad_input_the_model_forbids_is_refused_by_the_server(raw_client: Any, domain: str) -> None:
    if model_has("PutIntegration", "Scope"):  # newer than botocore 1.34, whose serializer cannot even send it
        with pytest.raises(raw_client.exceptions.BadRequestException, match="Member must satisfy enum value set"):
            raw_client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="CTR", Scope="ACCOUNT")
    with pytest.raises(raw_client.exceptions.BadRequestException, match="Member must have length less than"):
        raw_client.put_integration(DomainName=domain, Uri="u" * 256, ObjectTypeName="CTR")
    assert raw_client.list_integrations(DomainName=domain)["Items"] == []


# ------------------------------------------------------------------------------------------ flows


def test_a_flow_definition_creates_a_flow_whose_arn_is_the_uri(client: Any, domain: str) -> None:
    put = client.put_integration(DomainName=domain, FlowDefinition=flow(), ObjectTypeName="Salesforce-Account")
    assert put["Uri"] == "arn:aws:appflow:us-east-1:123456789012:flow/sf-accounts"
    assert put["IsUnstructured"] is False
    with bad_request("Flow with name sf-accounts already exists."):
        client.put_integration(DomainName=domain, FlowDefinition=flow(), ObjectTypeName="Salesforce-Account")
    client.delete_integration(DomainName=domain, Uri=put["Uri"])
    client.put_integration(DomainName=domain, FlowDefinition=flow(), ObjectTypeName="Salesforce-Account")


def test_an_unstructured_flow(client: Any, domain: str) -> None:
    put = client.put_integration(DomainName=domain, FlowDefinition=flow("docs", "S3"), ObjectTypeName="_unstructured")
    assert put["IsUnstructured"] is True
    with bad_request("ObjectTypeName _unstructured is neither an object type of domain acme nor a template id"):
        client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="_unstructured")


def test_uri_and_flow_definition_exclude_each_other(client: Any, domain: str) -> None:
    message = (
        "Set exactly one of Uri and FlowDefinition (with a FlowDefinition, the Uri is the ARN of the AppFlow flow "
        "the service creates)"
    )
    with bad_request(message):
        client.put_integration(DomainName=domain, ObjectTypeName="CTR")
    with bad_request(message):
        client.put_integration(DomainName=domain, Uri=CONNECT, FlowDefinition=flow(), ObjectTypeName="CTR")


def test_the_source_properties_must_describe_the_connector(client: Any, domain: str) -> None:
    with bad_request(
        "FlowDefinition.SourceFlowConfig.SourceConnectorProperties must describe the Salesforce source with "
        "exactly its Salesforce member, not ['Marketo']"
    ):
        client.put_integration(
            DomainName=domain, FlowDefinition=flow(source="Marketo"), ObjectTypeName="Salesforce-Account"
        )


# --------------------------------------------------------------------------------------- triggers


def test_event_trigger_names_must_exist_and_serve_one_integration(client: Any, domain: str) -> None:
    put_orders(client)
    with bad_request("Event trigger big-order not found in domain acme"):
        client.put_integration(DomainName=domain, Uri=CAMPAIGN, ObjectTypeName="Order", EventTriggerNames=["big-order"])
    put_trigger(client)
    put = client.put_integration(
        DomainName=domain, Uri=CAMPAIGN, ObjectTypeName="Order", EventTriggerNames=["big-order"]
    )
    assert put["EventTriggerNames"] == ["big-order"]
    with bad_request(f"Event trigger big-order is already associated with integration {CAMPAIGN}"):
        client.put_integration(
            DomainName=domain, Uri=f"{CAMPAIGN}-2", ObjectTypeName="Order", EventTriggerNames=["big-order"]
        )
    client.put_integration(DomainName=domain, Uri=CAMPAIGN, ObjectTypeName="Order")  # the update drops it
    client.put_integration(
        DomainName=domain, Uri=f"{CAMPAIGN}-2", ObjectTypeName="Order", EventTriggerNames=["big-order"]
    )
    client.delete_integration(DomainName=domain, Uri=f"{CAMPAIGN}-2")
    assert client.delete_event_trigger(DomainName=domain, EventTriggerName="big-order")["Message"]


# -------------------------------------------------------------------------------- delete and lists


def test_delete_then_get_is_not_found(client: Any, domain: str) -> None:
    client.put_integration(DomainName=domain, Uri=CONNECT, ObjectTypeName="CTR")
    assert client.delete_integration(DomainName=domain, Uri=CONNECT)["Message"] == f"Integration {CONNECT} deleted"
    with not_found(f"Integration {CONNECT} not found in domain acme"):
        client.get_integration(DomainName=domain, Uri=CONNECT)
    with not_found(f"Integration {CONNECT} not found in domain acme"):
        client.delete_integration(DomainName=domain, Uri=CONNECT)
    with not_found("Domain nope not found"):
        client.list_integrations(DomainName="nope")


def test_lists_page_in_creation_order(client: Any, domain: str) -> None:
    uris = [f"arn:aws:s3:::bucket-{n}" for n in range(5)]
    for uri in uris:
        client.put_integration(DomainName=domain, Uri=uri, ObjectTypeName="CTR")
    seen: list[str] = []
    kwargs: dict[str, Any] = {"DomainName": domain, "MaxResults": 2}
    while True:
        page = client.list_integrations(**kwargs)
        seen += [item["Uri"] for item in page["Items"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == uris
    with pytest.raises(client.exceptions.BadRequestException, match="NextToken is not valid"):
        client.list_integrations(DomainName=domain, NextToken="bogus")


def test_list_account_integrations_finds_a_uri_across_domains(client: Any, domain: str) -> None:
    client.create_domain(DomainName="beta", DefaultExpirationDays=30)
    client.put_integration(DomainName="beta", Uri=CONNECT, ObjectTypeName="CTR")
    items = client.list_account_integrations(Uri=CONNECT)["Items"]
    assert [(item["DomainName"], item["Uri"]) for item in items] == [("beta", CONNECT)]
    assert client.list_account_integrations(Uri="arn:aws:s3:::unknown")["Items"] == []


def test_seed_documents_declare_integrations(mock: CustomerProfilesMock, client: Any) -> None:
    mock.load({"domains": [{"DomainName": "seeded", "integrations": [{"Uri": CONNECT, "ObjectTypeName": "CTR"}]}]})
    assert client.get_integration(DomainName="seeded", Uri=CONNECT)["ObjectTypeName"] == "CTR"
