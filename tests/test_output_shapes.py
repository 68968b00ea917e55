"""Every implemented operation answers with output that satisfies the model's output shape.

Each operation has a realistic scenario below (state set up through boto3, then the call, often several
variants of it). While it runs, every output document the codec puts on the wire is validated against the
operation's output shape: members the shape does not have, empty strings where the shape says ``min: 1``,
out-of-range numbers and wrong types all fail here, even where botocore's parser would let them through.
A new handler must add its scenario: the table is checked against ``HANDLERS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from dataplane_helpers import ARN, put_loyalty_type, put_object, search

from mock_customer_profiles import CustomerProfilesMock, _codec
from mock_customer_profiles._handlers import HANDLERS
from mock_customer_profiles._schema import output_validator

Scenario = Callable[[Any], None]
SCENARIOS: dict[str, Scenario] = {}


def scenario(operation: str) -> Callable[[Scenario], Scenario]:
    def register(func: Scenario) -> Scenario:
        SCENARIOS[operation] = func
        return func

    return register


ADDRESS = {
    "Address1": "12 Harbour Road",
    "Address2": "Unit 4",
    "City": "Seattle",
    "County": "King",
    "State": "WA",
    "Country": "US",
    "PostalCode": "98101",
}
FULL_PROFILE: dict[str, Any] = {
    "AccountNumber": "ACC-1001",
    "AdditionalInformation": "Prefers calls after 5pm",
    "PartyType": "INDIVIDUAL",
    "PartyTypeString": "Individual",
    "BusinessName": "Harbour Coffee",
    "FirstName": "Ana",
    "MiddleName": "Maria",
    "LastName": "Silva",
    "BirthDate": "1990-04-12",
    "Gender": "FEMALE",
    "GenderString": "Female",
    "PhoneNumber": "+15550001111",
    "MobilePhoneNumber": "+15550002222",
    "HomePhoneNumber": "+15550003333",
    "BusinessPhoneNumber": "+15550004444",
    "EmailAddress": "ana@example.com",
    "PersonalEmailAddress": "ana.silva@example.org",
    "BusinessEmailAddress": "ana@harbour.example",
    "Address": ADDRESS,
    "ShippingAddress": {**ADDRESS, "Address1": "1 Dock Street"},
    "MailingAddress": {"Address1": "PO Box 77", "City": "Seattle", "Country": "US"},
    "BillingAddress": ADDRESS,
    "Attributes": {"tier": "gold", "loyaltyId": "L-77"},
    "ProfileType": "PROFILE",
    "EngagementPreferences": {
        "Phone": [{"KeyName": "_phone", "KeyValue": "+15550001111", "ContactType": "PhoneNumber"}],
        "Email": [{"KeyName": "_email", "KeyValue": "ana@example.com", "ContactType": "EmailAddress"}],
    },
}
FULL_DOMAIN: dict[str, Any] = {
    "DefaultExpirationDays": 365,
    "DefaultEncryptionKey": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "DeadLetterQueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/profiles-dlq",
    "Matching": {
        "Enabled": True,
        "JobSchedule": {"DayOfTheWeek": "SUNDAY", "Time": "03:30"},
        "AutoMerging": {
            "Enabled": True,
            "Consolidation": {"MatchingAttributesList": [["EmailAddress"], ["PhoneNumber", "LastName"]]},
            "ConflictResolution": {"ConflictResolvingModel": "SOURCE", "SourceName": "crm"},
            "MinAllowedConfidenceScoreForMerging": 0.85,
        },
        "ExportingConfig": {"S3Exporting": {"S3BucketName": "acme-matches", "S3KeyName": "matches/"}},
    },
    "RuleBasedMatching": {
        "Enabled": True,
        "MatchingRules": [{"Rule": ["EmailAddress"]}, {"Rule": ["PhoneNumber", "LastName"]}],
        "MaxAllowedRuleLevelForMerging": 2,
        "MaxAllowedRuleLevelForMatching": 2,
        "AttributeTypesSelector": {
            "AttributeMatchingModel": "ONE_TO_ONE",
            "PhoneNumber": ["PhoneNumber", "MobilePhoneNumber"],
            "EmailAddress": ["EmailAddress"],
            "Address": ["Address"],
        },
        "ConflictResolution": {"ConflictResolvingModel": "RECENCY"},
        "ExportingConfig": {"S3Exporting": {"S3BucketName": "acme-rules"}},
    },
    "DataStore": {"Enabled": True},
    "Tags": {"team": "contact-centre", "env": "test"},
}


def _new_domain(client: Any, name: str = "acme", **options: Any) -> str:
    client.create_domain(DomainName=name, **{"DefaultExpirationDays": 365, **options})
    return name


@scenario("CreateDomain")
def _create_domain(client: Any) -> None:
    client.create_domain(DomainName="acme", **FULL_DOMAIN)
    client.create_domain(DomainName="bare", DefaultExpirationDays=1)


@scenario("GetDomain")
def _get_domain(client: Any) -> None:
    _new_domain(client, **FULL_DOMAIN)
    client.create_profile(DomainName="acme", **FULL_PROFILE)
    client.get_domain(DomainName="acme")
    _new_domain(client, "empty")
    client.get_domain(DomainName="empty")


@scenario("ListDomains")
def _list_domains(client: Any) -> None:
    client.list_domains()
    for index in range(5):
        _new_domain(client, f"domain-{index}", Tags={"index": str(index)} if index % 2 else {"x": "y"})
    first = client.list_domains(MaxResults=2)
    client.list_domains(MaxResults=2, NextToken=first["NextToken"])
    client.list_domains()


@scenario("DeleteDomain")
def _delete_domain(client: Any) -> None:
    _new_domain(client, **FULL_DOMAIN)
    client.create_profile(DomainName="acme", **FULL_PROFILE)
    client.delete_domain(DomainName="acme")


@scenario("CreateProfile")
def _create_profile(client: Any) -> None:
    _new_domain(client)
    client.create_profile(DomainName="acme", **FULL_PROFILE)
    client.create_profile(DomainName="acme")


@scenario("UpdateProfile")
def _update_profile(client: Any) -> None:
    _new_domain(client)
    profile_id = client.create_profile(DomainName="acme", **FULL_PROFILE)["ProfileId"]
    client.update_profile(
        DomainName="acme",
        ProfileId=profile_id,
        FirstName="Ana Maria",
        MiddleName="",
        BusinessEmailAddress="",
        Address={"Address2": "", "City": "Tacoma"},
        MailingAddress={"Address1": "", "City": "", "Country": ""},
        Attributes={"tier": "", "segment": "b2c"},
        EngagementPreferences={"Email": []},
    )
    # Read it back: a removed field must be gone from the output, not an empty string.
    client.search_profiles(DomainName="acme", KeyName="_profileId", Values=[profile_id])


@scenario("DeleteProfile")
def _delete_profile(client: Any) -> None:
    _new_domain(client)
    profile_id = client.create_profile(DomainName="acme", **FULL_PROFILE)["ProfileId"]
    client.delete_profile(DomainName="acme", ProfileId=profile_id)


@scenario("SearchProfiles")
def _search_profiles(client: Any) -> None:
    _new_domain(client)
    client.create_profile(DomainName="acme", **FULL_PROFILE)
    for index in range(5):
        client.create_profile(DomainName="acme", FirstName=f"Caller{index}", EmailAddress="shared@example.com")
    client.search_profiles(DomainName="acme", KeyName="_email", Values=["nobody@example.com"])
    client.search_profiles(
        DomainName="acme",
        KeyName="_email",
        Values=["ana@example.com", "shared@example.com"],
        AdditionalSearchKeys=[{"KeyName": "_phone", "Values": ["+15550002222"]}],
    )
    client.search_profiles(
        DomainName="acme",
        KeyName="_email",
        Values=["ana@example.com"],
        AdditionalSearchKeys=[
            {"KeyName": "_phone", "Values": ["+15550001111"]},
            {"KeyName": "_fullName", "Values": ["Ana Maria Silva"]},
            {"KeyName": "_account", "Values": ["ACC-1001"]},
        ],
        LogicalOperator="AND",
    )
    first = client.search_profiles(DomainName="acme", KeyName="_email", Values=["shared@example.com"], MaxResults=2)
    client.search_profiles(
        DomainName="acme", KeyName="_email", Values=["shared@example.com"], MaxResults=2, NextToken=first["NextToken"]
    )


# ----------------------------------------------------------------------------------------------- data plane


def _loyalty_domain(client: Any) -> None:
    """A domain with the Loyalty object type (UNIQUE card, PROFILE phone) and one object that created Ana."""
    _new_domain(client)
    put_loyalty_type(client, Tags={"owner": "crm"}, MaxProfileObjectCount=10, SourcePriority=1, ExpirationDays=30)
    put_object(client, "Loyalty", LOYALTY_CARD)


LOYALTY_CARD = {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}, "name": {"first": "Ana"}}


@scenario("PutProfileObjectType")
def _put_profile_object_type(client: Any) -> None:
    _new_domain(client)
    put_loyalty_type(
        client,
        Tags={"owner": "crm"},
        MaxProfileObjectCount=10,
        SourcePriority=1,
        ExpirationDays=30,
        EncryptionKey="",
        SourceLastUpdatedTimestampFormat="epoch",
    )
    put_loyalty_type(client, Description="Loyalty cards, second version")  # the upsert
    client.put_profile_object_type(
        DomainName="acme", ObjectTypeName="Orders", Description="Shopify orders", TemplateId="Shopify-Order"
    )


@scenario("GetProfileObjectType")
def _get_profile_object_type(client: Any) -> None:
    _loyalty_domain(client)
    client.put_profile_object_type(
        DomainName="acme", ObjectTypeName="Orders", Description="Shopify orders", TemplateId="Shopify-Order"
    )
    client.get_profile_object_type(DomainName="acme", ObjectTypeName="Loyalty")
    client.get_profile_object_type(DomainName="acme", ObjectTypeName="Orders")


@scenario("ListProfileObjectTypes")
def _list_profile_object_types(client: Any) -> None:
    _new_domain(client)
    client.list_profile_object_types(DomainName="acme")
    put_loyalty_type(client, Tags={"owner": "crm"})
    put_loyalty_type(client, name="Visits")
    first = client.list_profile_object_types(DomainName="acme", MaxResults=1)
    client.list_profile_object_types(DomainName="acme", MaxResults=1, NextToken=first["NextToken"])


@scenario("DeleteProfileObjectType")
def _delete_profile_object_type(client: Any) -> None:
    _loyalty_domain(client)
    client.delete_profile_object_type(DomainName="acme", ObjectTypeName="Loyalty")


@scenario("ListProfileObjectTypeTemplates")
def _list_profile_object_type_templates(client: Any) -> None:
    first = client.list_profile_object_type_templates(MaxResults=2)
    client.list_profile_object_type_templates(MaxResults=2, NextToken=first["NextToken"])
    client.list_profile_object_type_templates()


@scenario("GetProfileObjectTypeTemplate")
def _get_profile_object_type_template(client: Any) -> None:
    for template in client.list_profile_object_type_templates()["Items"]:
        client.get_profile_object_type_template(TemplateId=template["TemplateId"])


@scenario("PutProfileObject")
def _put_profile_object(client: Any) -> None:
    _loyalty_domain(client)
    put_object(client, "Loyalty", {**LOYALTY_CARD, "points": 120})  # replaces the object of the same card
    put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100002"})


@scenario("BatchPutProfileObject")
def _batch_put_profile_object(client: Any) -> None:
    _loyalty_domain(client)
    client.batch_put_profile_object(
        DomainName="acme",
        ObjectTypeName="Loyalty",
        Items=[
            {"Id": "ok", "Object": '{"card": "K-2", "phone": "+15550100001"}'},
            {"Id": "bad", "Object": "not json"},
        ],
    )


@scenario("ListProfileHistoryRecords")
def _list_profile_history_records(client: Any) -> None:
    _loyalty_domain(client)
    (profile_id,) = search(client, "cardNumber", "K-1")
    client.update_profile(DomainName="acme", ProfileId=profile_id, LastName="Silva")
    first = client.list_profile_history_records(DomainName="acme", ProfileId=profile_id, MaxResults=1)
    client.list_profile_history_records(
        DomainName="acme", ProfileId=profile_id, MaxResults=1, NextToken=first["NextToken"]
    )
    client.list_profile_history_records(
        DomainName="acme", ProfileId=profile_id, ActionType="INGESTED", ObjectTypeName="Loyalty"
    )


@scenario("GetProfileHistoryRecord")
def _get_profile_history_record(client: Any) -> None:
    _loyalty_domain(client)
    (profile_id,) = search(client, "cardNumber", "K-1")
    for item in client.list_profile_history_records(DomainName="acme", ProfileId=profile_id)["ProfileHistoryRecords"]:
        client.get_profile_history_record(DomainName="acme", ProfileId=profile_id, Id=item["Id"])


@scenario("ListProfileObjects")
def _list_profile_objects(client: Any) -> None:
    _loyalty_domain(client)
    put_object(client, "Loyalty", {"card": "K-2", "phone": "+15550100001", "member": {"id": "M-2"}})
    (profile_id,) = search(client, "cardNumber", "K-1")
    first = client.list_profile_objects(DomainName="acme", ObjectTypeName="Loyalty", ProfileId=profile_id, MaxResults=1)
    client.list_profile_objects(
        DomainName="acme", ObjectTypeName="Loyalty", ProfileId=profile_id, MaxResults=1, NextToken=first["NextToken"]
    )
    client.list_profile_objects(
        DomainName="acme",
        ObjectTypeName="Loyalty",
        ProfileId=profile_id,
        ObjectFilter={"KeyName": "cardNumber", "Values": ["K-2"]},
    )
    # A standard object that a mapping fills, read back under its own name.
    client.put_profile_object_type(
        DomainName="acme",
        ObjectTypeName="Registration",
        Description="Product registrations",
        Fields={
            "phone": {"Source": "_source.phone", "ContentType": "PHONE_NUMBER"},
            "serial": {"Source": "_source.serial", "Target": "_asset.SerialNumber"},
            "name": {"Source": "_source.name", "Target": "_asset.AssetName"},
        },
        Keys={
            "_phone": [{"FieldNames": ["phone"], "StandardIdentifiers": ["PROFILE"]}],
            "serial": [{"FieldNames": ["serial"], "StandardIdentifiers": ["UNIQUE", "ASSET"]}],
        },
    )
    put_object(client, "Registration", {"phone": "+15550100001", "serial": "SN-1", "name": "Kettle"})
    client.list_profile_objects(DomainName="acme", ObjectTypeName="_asset", ProfileId=profile_id)
    client.list_profile_objects(
        DomainName="acme",
        ObjectTypeName="_asset",
        ProfileId=profile_id,
        ObjectFilter={"KeyName": "_serialNumber", "Values": ["SN-1"]},
    )


@scenario("DeleteProfileObject")
def _delete_profile_object(client: Any) -> None:
    _loyalty_domain(client)
    (profile_id,) = search(client, "cardNumber", "K-1")
    (item,) = client.list_profile_objects(DomainName="acme", ObjectTypeName="Loyalty", ProfileId=profile_id)["Items"]
    client.delete_profile_object(
        DomainName="acme",
        ProfileId=profile_id,
        ObjectTypeName="Loyalty",
        ProfileObjectUniqueKey=item["ProfileObjectUniqueKey"],
    )


@scenario("AddProfileKey")
def _add_profile_key(client: Any) -> None:
    _loyalty_domain(client)
    (profile_id,) = search(client, "cardNumber", "K-1")
    client.add_profile_key(DomainName="acme", ProfileId=profile_id, KeyName="memberId", Values=["M-2", "M-3"])
    client.add_profile_key(DomainName="acme", ProfileId=profile_id, KeyName="_email", Values=["ana@example.com"])


@scenario("DeleteProfileKey")
def _delete_profile_key(client: Any) -> None:
    _loyalty_domain(client)
    (profile_id,) = search(client, "cardNumber", "K-1")
    client.delete_profile_key(DomainName="acme", ProfileId=profile_id, KeyName="memberId", Values=["M-1"])


@scenario("MergeProfiles")
def _merge_profiles(client: Any) -> None:
    _loyalty_domain(client)
    (main,) = search(client, "cardNumber", "K-1")
    other = client.create_profile(DomainName="acme", **FULL_PROFILE)["ProfileId"]
    client.merge_profiles(
        DomainName="acme",
        MainProfileId=main,
        ProfileIdsToBeMerged=[other],
        FieldSourceProfileIds={"LastName": other, "Address": other, "Attributes": {"tier": other}},
    )
    client.batch_get_profile(DomainName="acme", ProfileIds=[main])  # the merged profile reads back


@scenario("BatchGetProfile")
def _batch_get_profile(client: Any) -> None:
    _new_domain(client)
    full = client.create_profile(DomainName="acme", **FULL_PROFILE)["ProfileId"]
    bare = client.create_profile(DomainName="acme")["ProfileId"]
    client.batch_get_profile(DomainName="acme", ProfileIds=[full, bare, "0" * 32])
    client.batch_get_profile(DomainName="acme", ProfileIds=["f" * 32])


@scenario("UpdateDomain")
def _update_domain(client: Any) -> None:
    _new_domain(client)
    client.update_domain(DomainName="acme", **FULL_DOMAIN)
    client.update_domain(
        DomainName="acme",
        DefaultEncryptionKey="",
        DeadLetterQueueUrl="",
        Matching={"Enabled": False},
        RuleBasedMatching={"Enabled": False},
        DataStore={"Enabled": False},
    )


@scenario("TagResource")
def _tag_resource(client: Any) -> None:
    _configured_domain(client)
    client.tag_resource(resourceArn=ARN, tags={"cost-centre": "42"})
    client.tag_resource(resourceArn=f"{ARN}/object-types/Loyalty", tags={"owner": "loyalty-team"})
    client.tag_resource(resourceArn=f"{ARN}/integrations/{CONNECT}", tags={"owner": "contact-team"})


@scenario("UntagResource")
def _untag_resource(client: Any) -> None:
    _configured_domain(client)
    client.untag_resource(resourceArn=f"{ARN}/object-types/Loyalty", tagKeys=["owner", "never-set"])
    client.untag_resource(resourceArn=f"{ARN}/event-streams/export", tagKeys=["team"])


@scenario("ListTagsForResource")
def _list_tags_for_resource(client: Any) -> None:
    _configured_domain(client)
    client.list_tags_for_resource(resourceArn=ARN)
    client.list_tags_for_resource(resourceArn=f"{ARN}/object-types/Loyalty")
    client.list_tags_for_resource(resourceArn=f"{ARN}/integrations/{CONNECT}")
    client.list_tags_for_resource(resourceArn=f"{ARN}/event-triggers/gold")


@scenario("ListProfileAttributeValues")
def _list_profile_attribute_values(client: Any) -> None:
    _new_domain(client)
    client.list_profile_attribute_values(DomainName="acme", AttributeName="FirstName")
    client.create_profile(DomainName="acme", **FULL_PROFILE)
    client.create_profile(DomainName="acme", FirstName="Bo", Address={"City": "Tacoma"})
    client.list_profile_attribute_values(DomainName="acme", AttributeName="FirstName")
    client.list_profile_attribute_values(DomainName="acme", AttributeName="Address.City")


# ------------------------------------------------------ integrations, workflows, event streams, event triggers

CONNECT = "arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555"
CAMPAIGN = "arn:aws:connect-campaigns:us-east-1:123456789012:campaign/c-1"
KINESIS = "arn:aws:kinesis:us-east-1:123456789012:stream/profile-events"
ROLE = "arn:aws:iam::123456789012:role/profiles"
FLOW: dict[str, Any] = {
    "FlowName": "sf-accounts",
    "Description": "Salesforce accounts",
    "KmsArn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "SourceFlowConfig": {
        "ConnectorType": "Salesforce",
        "ConnectorProfileName": "sf-conn",
        "SourceConnectorProperties": {"Salesforce": {"Object": "Account", "IncludeDeletedRecords": True}},
    },
    "Tasks": [{"SourceFields": ["Id"], "TaskType": "Map", "DestinationField": "Id", "TaskProperties": {}}],
    "TriggerConfig": {
        "TriggerType": "Scheduled",
        "TriggerProperties": {"Scheduled": {"ScheduleExpression": "rate(1hours)"}},
    },
}
TRIGGER: dict[str, Any] = {
    "ObjectTypeName": "Loyalty",
    "Description": "new gold cards",
    "EventTriggerConditions": [
        {
            "EventTriggerDimensions": [
                {
                    "ObjectAttributes": [
                        {"Source": "_source.tier", "ComparisonOperator": "INCLUSIVE", "Values": ["gold"]}
                    ]
                }
            ],
            "LogicalOperator": "ANY",
        }
    ],
    "EventTriggerLimits": {"EventExpiration": 1000, "Periods": [{"Unit": "DAYS", "Value": 1, "Unlimited": True}]},
    "Tags": {"team": "loyalty"},
}


def _configured_domain(client: Any) -> None:
    """A domain with an object type, a trigger, two integrations (one using the trigger) and a stream."""
    _loyalty_domain(client)
    client.create_event_trigger(DomainName="acme", EventTriggerName="gold", **TRIGGER)
    client.put_integration(DomainName="acme", Uri=CONNECT, ObjectTypeName="CTR", Tags={"team": "contact"})
    client.put_integration(
        DomainName="acme",
        Uri=CAMPAIGN,
        ObjectTypeName="Loyalty",
        RoleArn=ROLE,
        EventTriggerNames=["gold"],
        Scope="PROFILE",
    )
    client.create_event_stream(DomainName="acme", EventStreamName="export", Uri=KINESIS, Tags={"team": "data"})


def _workflow(client: Any, batches: int = 2) -> str:
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    appflow: dict[str, Any] = {"FlowDefinition": FLOW}
    if batches:
        step = dt.timedelta(days=30)
        appflow["Batches"] = [
            {"StartTime": start + step * n, "EndTime": start + step * (n + 1)} for n in range(batches)
        ]
    return str(
        client.create_integration_workflow(
            DomainName="acme",
            WorkflowType="APPFLOW_INTEGRATION",
            IntegrationConfig={"AppflowIntegration": appflow},
            ObjectTypeName="Salesforce-Account",
            RoleArn=ROLE,
            Tags={"team": "crm"},
        )["WorkflowId"]
    )


@scenario("PutIntegration")
def _put_integration(client: Any) -> None:
    _configured_domain(client)
    client.put_integration(DomainName="acme", Uri=CONNECT, ObjectTypeName="CTR-NoInferred", Scope="DOMAIN")
    client.put_integration(
        DomainName="acme", Uri="arn:aws:events:shop", ObjectTypeNames={"ShopifyCreateCustomers": "Shopify-Customer"}
    )
    client.put_integration(
        DomainName="acme", FlowDefinition={**FLOW, "FlowName": "docs"}, ObjectTypeName="_unstructured"
    )


@scenario("GetIntegration")
def _get_integration(client: Any) -> None:
    _configured_domain(client)
    client.get_integration(DomainName="acme", Uri=CONNECT)
    client.get_integration(DomainName="acme", Uri=CAMPAIGN)


@scenario("DeleteIntegration")
def _delete_integration(client: Any) -> None:
    _configured_domain(client)
    client.delete_integration(DomainName="acme", Uri=CAMPAIGN)


@scenario("ListIntegrations")
def _list_integrations(client: Any) -> None:
    _configured_domain(client)
    client.list_integrations(DomainName="acme")
    first = client.list_integrations(DomainName="acme", MaxResults=1)
    client.list_integrations(DomainName="acme", MaxResults=1, NextToken=first["NextToken"])
    workflow_id = _workflow(client, 0)
    client.get_workflow(DomainName="acme", WorkflowId=workflow_id)
    client.get_workflow(DomainName="acme", WorkflowId=workflow_id)
    client.list_integrations(DomainName="acme", IncludeHidden=True)


@scenario("ListAccountIntegrations")
def _list_account_integrations(client: Any) -> None:
    _configured_domain(client)
    client.list_account_integrations(Uri=CAMPAIGN)
    client.list_account_integrations(Uri="arn:aws:s3:::nothing", IncludeHidden=True)


@scenario("CreateIntegrationWorkflow")
def _create_integration_workflow(client: Any) -> None:
    _loyalty_domain(client)
    _workflow(client)


@scenario("GetWorkflow")
def _get_workflow(client: Any) -> None:
    _loyalty_domain(client)
    workflow_id = _workflow(client)
    for _ in range(2):
        client.get_workflow(DomainName="acme", WorkflowId=workflow_id)


@scenario("GetWorkflowSteps")
def _get_workflow_steps(client: Any) -> None:
    _loyalty_domain(client)
    workflow_id = _workflow(client, 3)
    client.get_workflow_steps(DomainName="acme", WorkflowId=workflow_id)
    first = client.get_workflow_steps(DomainName="acme", WorkflowId=workflow_id, MaxResults=2)
    client.get_workflow_steps(DomainName="acme", WorkflowId=workflow_id, NextToken=first["NextToken"])


@scenario("ListWorkflows")
def _list_workflows(client: Any) -> None:
    _loyalty_domain(client)
    workflow_id = _workflow(client)
    client.list_workflows(DomainName="acme")
    client.get_workflow(DomainName="acme", WorkflowId=workflow_id)
    client.get_workflow(DomainName="acme", WorkflowId=workflow_id)
    client.list_workflows(DomainName="acme", Status="COMPLETE", WorkflowType="APPFLOW_INTEGRATION")


@scenario("DeleteWorkflow")
def _delete_workflow(client: Any) -> None:
    _loyalty_domain(client)
    client.delete_workflow(DomainName="acme", WorkflowId=_workflow(client))


@scenario("CreateEventStream")
def _create_event_stream(client: Any) -> None:
    _configured_domain(client)
    _new_domain(client, "bare")
    client.create_event_stream(DomainName="bare", EventStreamName="plain", Uri=KINESIS)


@scenario("GetEventStream")
def _get_event_stream(client: Any) -> None:
    _configured_domain(client)
    client.get_event_stream(DomainName="acme", EventStreamName="export")


@scenario("DeleteEventStream")
def _delete_event_stream(client: Any) -> None:
    _configured_domain(client)
    client.delete_event_stream(DomainName="acme", EventStreamName="export")


@scenario("ListEventStreams")
def _list_event_streams(client: Any) -> None:
    _configured_domain(client)
    client.list_event_streams(DomainName="acme")


@scenario("CreateEventTrigger")
def _create_event_trigger(client: Any) -> None:
    _configured_domain(client)
    minimal = {key: TRIGGER[key] for key in ("ObjectTypeName", "EventTriggerConditions")}
    client.create_event_trigger(DomainName="acme", EventTriggerName="minimal", **minimal)


@scenario("GetEventTrigger")
def _get_event_trigger(client: Any) -> None:
    _configured_domain(client)
    client.get_event_trigger(DomainName="acme", EventTriggerName="gold")


@scenario("UpdateEventTrigger")
def _update_event_trigger(client: Any) -> None:
    _configured_domain(client)
    client.update_event_trigger(DomainName="acme", EventTriggerName="gold", Description="gold cards")


@scenario("DeleteEventTrigger")
def _delete_event_trigger(client: Any) -> None:
    _loyalty_domain(client)
    client.create_event_trigger(DomainName="acme", EventTriggerName="gold", **TRIGGER)
    client.delete_event_trigger(DomainName="acme", EventTriggerName="gold")


@scenario("ListEventTriggers")
def _list_event_triggers(client: Any) -> None:
    _configured_domain(client)
    minimal = {key: TRIGGER[key] for key in ("ObjectTypeName", "EventTriggerConditions")}
    client.create_event_trigger(DomainName="acme", EventTriggerName="minimal", **minimal)
    client.list_event_triggers(DomainName="acme")


SEGMENT_GROUPS: dict[str, Any] = {
    "Groups": [
        {
            "Dimensions": [
                {
                    "ProfileAttributes": {
                        "FirstName": {"DimensionType": "INCLUSIVE", "Values": ["Ana"]},
                        "BirthDate": {"DimensionType": "BEFORE", "Values": ["2000-01-01"]},
                        "Address": {"City": {"DimensionType": "BEGINS_WITH", "Values": ["Sea"]}},
                        "Attributes": {"tier": {"DimensionType": "INCLUSIVE", "Values": ["gold"]}},
                        "ProfileType": {"DimensionType": "INCLUSIVE", "Values": ["PROFILE"]},
                    }
                }
            ],
            "Type": "ALL",
        }
    ],
    "Include": "ALL",
}
SEGMENT_SORT = {"Attributes": [{"Name": "FirstName", "Order": "ASC", "DataType": "STRING", "Type": "PROFILE"}]}
STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/segments"
STREAM_ROLE = "arn:aws:iam::123456789012:role/segments"


def _segment_domain(client: Any) -> str:
    """A domain with two profiles and the segment ``gold`` (one of them a member)."""
    _new_domain(client)
    client.create_profile(DomainName="acme", **FULL_PROFILE)
    client.create_profile(DomainName="acme", FirstName="Bo")
    client.create_segment_definition(
        DomainName="acme",
        SegmentDefinitionName="gold",
        DisplayName="Gold",
        Description="Gold customers in Seattle",
        SegmentGroups=SEGMENT_GROUPS,
        SegmentSort=SEGMENT_SORT,
        Tags={"team": "crm"},
    )
    client.create_segment_definition(
        DomainName="acme",
        SegmentDefinitionName="of_gold",
        DisplayName="Of gold",
        SegmentGroups={"Groups": [{"SourceSegments": [{"SegmentDefinitionName": "gold"}], "SourceType": "ANY"}]},
    )
    return "gold"


def _newest_model(client: Any) -> None:
    """Skip a scenario of the segment subscription and stream operations where botocore lacks them."""
    if not hasattr(client, "put_segment_subscription"):
        pytest.skip("the installed botocore model has no segment subscription or segment stream operations")


def _profile_ids(client: Any) -> list[str]:
    found = client.search_profiles(DomainName="acme", KeyName="_fullName", Values=["Ana Maria Silva", "Bo"])
    return [item["ProfileId"] for item in found["Items"]]


@scenario("CreateSegmentDefinition")
def _create_segment_definition(client: Any) -> None:
    _segment_domain(client)
    client.create_segment_definition(
        DomainName="acme", SegmentDefinitionName="plain", DisplayName="Plain", SegmentGroups={"Groups": [{}]}
    )


@scenario("GetSegmentDefinition")
def _get_segment_definition(client: Any) -> None:
    _segment_domain(client)
    client.get_segment_definition(DomainName="acme", SegmentDefinitionName="gold")
    client.get_segment_definition(DomainName="acme", SegmentDefinitionName="of_gold")


@scenario("ListSegmentDefinitions")
def _list_segment_definitions(client: Any) -> None:
    _new_domain(client, "empty")
    client.list_segment_definitions(DomainName="empty")
    _segment_domain(client)
    page = client.list_segment_definitions(DomainName="acme", MaxResults=1)
    client.list_segment_definitions(DomainName="acme", NextToken=page["NextToken"])


@scenario("DeleteSegmentDefinition")
def _delete_segment_definition(client: Any) -> None:
    _segment_domain(client)
    client.delete_segment_definition(DomainName="acme", SegmentDefinitionName="of_gold")


@scenario("CreateSegmentEstimate")
def _create_segment_estimate(client: Any) -> None:
    _segment_domain(client)
    client.create_segment_estimate(DomainName="acme", SegmentQuery=SEGMENT_GROUPS)


@scenario("GetSegmentEstimate")
def _get_segment_estimate(client: Any) -> None:
    _segment_domain(client)
    estimate = client.create_segment_estimate(DomainName="acme", SegmentQuery=SEGMENT_GROUPS)["EstimateId"]
    client.get_segment_estimate(DomainName="acme", EstimateId=estimate)  # RUNNING
    client.get_segment_estimate(DomainName="acme", EstimateId=estimate)  # SUCCEEDED


@scenario("CreateSegmentSnapshot")
def _create_segment_snapshot(client: Any) -> None:
    _segment_domain(client)
    client.create_segment_snapshot(
        DomainName="acme", SegmentDefinitionName="gold", DataFormat="JSONL", DestinationUri="s3://exports/gold"
    )


@scenario("GetSegmentSnapshot")
def _get_segment_snapshot(client: Any) -> None:
    _segment_domain(client)
    snapshot = client.create_segment_snapshot(
        DomainName="acme",
        SegmentDefinitionName="gold",
        DataFormat="CSV",
        DestinationUri="s3://exports/gold",
        RoleArn="arn:aws:iam::123456789012:role/export",
        EncryptionKey="arn:aws:kms:us-east-1:123456789012:key/abc",
    )["SnapshotId"]
    for _ in range(2):  # IN_PROGRESS, then COMPLETED
        client.get_segment_snapshot(DomainName="acme", SegmentDefinitionName="gold", SnapshotId=snapshot)


@scenario("GetSegmentMembership")
def _get_segment_membership(client: Any) -> None:
    _segment_domain(client)
    ids = [*_profile_ids(client), "f" * 32]
    client.get_segment_membership(DomainName="acme", SegmentDefinitionName="gold", ProfileIds=ids)
    client.get_segment_membership(DomainName="acme", SegmentDefinitionName="of_gold", ProfileIds=ids[:1])


@scenario("PutSegmentSubscription")
def _put_segment_subscription(client: Any) -> None:
    _newest_model(client)
    _segment_domain(client)
    client.put_segment_subscription(DomainName="acme", SegmentDefinitionName="gold")
    client.put_segment_subscription(
        DomainName="acme", SegmentDefinitionName="gold", ScheduleConfiguration={"Interval": 2, "Unit": "HOURLY"}
    )


@scenario("GetSegmentSubscription")
def _get_segment_subscription(client: Any) -> None:
    _newest_model(client)
    _segment_domain(client)
    client.put_segment_subscription(DomainName="acme", SegmentDefinitionName="gold")
    for _ in range(2):
        client.get_segment_subscription(DomainName="acme", SegmentDefinitionName="gold")


@scenario("DeleteSegmentSubscription")
def _delete_segment_subscription(client: Any) -> None:
    _newest_model(client)
    _segment_domain(client)
    client.put_segment_subscription(DomainName="acme", SegmentDefinitionName="gold")
    client.delete_segment_subscription(DomainName="acme", SegmentDefinitionName="gold")


@scenario("ListSegmentSubscriptionEvents")
def _list_segment_subscription_events(client: Any) -> None:
    _newest_model(client)
    _segment_domain(client)
    client.put_segment_subscription(DomainName="acme", SegmentDefinitionName="gold")
    client.list_segment_subscription_events(DomainName="acme", SegmentDefinitionName="gold")
    ana = _profile_ids(client)[0]
    client.update_profile(DomainName="acme", ProfileId=ana, Attributes={"tier": "silver"})
    client.update_profile(DomainName="acme", ProfileId=ana, Attributes={"tier": "gold"})
    page = client.list_segment_subscription_events(DomainName="acme", SegmentDefinitionName="gold", MaxResults=1)
    client.list_segment_subscription_events(
        DomainName="acme", SegmentDefinitionName="gold", NextToken=page["NextToken"]
    )


@scenario("AssociateStreamForSegments")
def _associate_stream_for_segments(client: Any) -> None:
    _newest_model(client)
    _new_domain(client)
    client.associate_stream_for_segments(DomainName="acme", DestinationArn=STREAM_ARN, DestinationRoleArn=STREAM_ROLE)


@scenario("GetStreamForSegments")
def _get_stream_for_segments(client: Any) -> None:
    _newest_model(client)
    _segment_domain(client)
    client.associate_stream_for_segments(DomainName="acme", DestinationArn=STREAM_ARN, DestinationRoleArn=STREAM_ROLE)
    client.get_stream_for_segments(DomainName="acme")
    client.put_segment_subscription(DomainName="acme", SegmentDefinitionName="gold")
    client.disassociate_stream_for_segments(DomainName="acme")
    client.get_stream_for_segments(DomainName="acme")


@scenario("DisassociateStreamForSegments")
def _disassociate_stream_for_segments(client: Any) -> None:
    _newest_model(client)
    _new_domain(client)
    client.associate_stream_for_segments(DomainName="acme", DestinationArn=STREAM_ARN, DestinationRoleArn=STREAM_ROLE)
    client.disassociate_stream_for_segments(DomainName="acme")


# ---------------------------------------------------------------------------------------- calculated attributes

FULL_DEFINITION: dict[str, Any] = {
    "DisplayName": "Points in a month",
    "Description": "Loyalty points earned in the last 30 days",
    "AttributeDetails": {"Attributes": [{"Name": "points"}], "Expression": "{Loyalty.points}"},
    "Statistic": "SUM",
    "Conditions": {
        "Range": {"Value": 30, "Unit": "DAYS"},
        "ObjectCount": 10,
        "Threshold": {"Value": "100", "Operator": "GREATER_THAN"},
    },
    "Filter": {
        "Include": "ANY",
        "Groups": [
            {
                "Type": "ALL",
                "Dimensions": [{"Attributes": {"card": {"DimensionType": "BEGINS_WITH", "Values": ["K-"]}}}],
            }
        ],
    },
    "UseHistoricalData": True,
    "Tags": {"team": "crm"},
}


def _calculated_domain(client: Any) -> str:
    """The Loyalty domain with two definitions (one with every member) and Ana holding two cards."""
    _loyalty_domain(client)
    client.create_calculated_attribute_definition(DomainName="acme", CalculatedAttributeName="full", **FULL_DEFINITION)
    client.create_calculated_attribute_definition(
        DomainName="acme",
        CalculatedAttributeName="cards",
        AttributeDetails={"Attributes": [{"Name": "card"}], "Expression": "{Loyalty.card}"},
        Statistic="COUNT",
    )
    put_object(client, "Loyalty", {**LOYALTY_CARD, "card": "K-9", "points": 150})
    (profile_id,) = search(client, "cardNumber", "K-1")
    return profile_id


@scenario("CreateCalculatedAttributeDefinition")
def _create_calculated_attribute_definition(client: Any) -> None:
    _calculated_domain(client)


@scenario("GetCalculatedAttributeDefinition")
def _get_calculated_attribute_definition(client: Any) -> None:
    _calculated_domain(client)
    for _ in range(2):  # PREPARING, then COMPLETED
        client.get_calculated_attribute_definition(DomainName="acme", CalculatedAttributeName="full")
    client.get_calculated_attribute_definition(DomainName="acme", CalculatedAttributeName="cards")


@scenario("UpdateCalculatedAttributeDefinition")
def _update_calculated_attribute_definition(client: Any) -> None:
    _calculated_domain(client)
    client.update_calculated_attribute_definition(
        DomainName="acme", CalculatedAttributeName="full", DisplayName="Points", Conditions={"ObjectCount": 5}
    )
    client.update_calculated_attribute_definition(DomainName="acme", CalculatedAttributeName="cards")


@scenario("DeleteCalculatedAttributeDefinition")
def _delete_calculated_attribute_definition(client: Any) -> None:
    _calculated_domain(client)
    client.delete_calculated_attribute_definition(DomainName="acme", CalculatedAttributeName="full")


@scenario("ListCalculatedAttributeDefinitions")
def _list_calculated_attribute_definitions(client: Any) -> None:
    _new_domain(client)
    client.list_calculated_attribute_definitions(DomainName="acme")
    client.delete_domain(DomainName="acme")
    _calculated_domain(client)
    first = client.list_calculated_attribute_definitions(DomainName="acme", MaxResults=1)
    client.list_calculated_attribute_definitions(DomainName="acme", NextToken=first["NextToken"])


@scenario("GetCalculatedAttributeForProfile")
def _get_calculated_attribute_for_profile(client: Any) -> None:
    profile_id = _calculated_domain(client)
    for name in ("full", "full", "cards"):
        client.get_calculated_attribute_for_profile(
            DomainName="acme", ProfileId=profile_id, CalculatedAttributeName=name
        )
    other = client.create_profile(DomainName="acme", FirstName="Bo")["ProfileId"]
    client.get_calculated_attribute_for_profile(DomainName="acme", ProfileId=other, CalculatedAttributeName="cards")


@scenario("ListCalculatedAttributesForProfile")
def _list_calculated_attributes_for_profile(client: Any) -> None:
    profile_id = _calculated_domain(client)
    first = client.list_calculated_attributes_for_profile(DomainName="acme", ProfileId=profile_id, MaxResults=1)
    client.list_calculated_attributes_for_profile(
        DomainName="acme", ProfileId=profile_id, NextToken=first["NextToken"], MaxResults=1
    )


@scenario("BatchGetCalculatedAttributeForProfile")
def _batch_get_calculated_attribute_for_profile(client: Any) -> None:
    profile_id = _calculated_domain(client)
    other = client.create_profile(DomainName="acme", FirstName="Bo")["ProfileId"]
    client.batch_get_calculated_attribute_for_profile(
        DomainName="acme", CalculatedAttributeName="full", ProfileIds=[profile_id, other, "f" * 32]
    )
    client.batch_get_calculated_attribute_for_profile(
        DomainName="acme",
        CalculatedAttributeName="cards",
        ProfileIds=[profile_id],
        ConditionOverrides={"Range": {"Start": 10, "Unit": "DAYS"}},
    )


# ------------------------------------------------------------- jobs: upload jobs, layouts, domain object types


def _upload_job(client: Any, run: bool = True) -> str:
    import base64
    import hashlib

    import requests

    _new_domain(client)
    fields = {
        "id": {"Source": "_source.id", "ContentType": "STRING"},
        "email": {"Source": "_source.email", "Target": "_profile.EmailAddress", "ContentType": "EMAIL_ADDRESS"},
    }
    job_id = str(
        client.create_upload_job(DomainName="acme", DisplayName="a.csv", Fields=fields, UniqueKey="id")["JobId"]
    )
    if run:
        path = client.get_upload_job_path(DomainName="acme", JobId=job_id)
        key = path["ClientToken"]
        md5 = base64.b64encode(hashlib.md5(base64.b64decode(key)).digest()).decode()
        headers = {
            "x-amz-server-side-encryption-customer-algorithm": "AES256",
            "x-amz-server-side-encryption-customer-key": key,
            "x-amz-server-side-encryption-customer-key-MD5": md5,
        }
        requests.put(path["Url"], data="id,email\n1,a@example.com\n,\n", headers=headers, timeout=5)
        client.start_upload_job(DomainName="acme", JobId=job_id)
    return job_id


@scenario("CreateUploadJob")
def _create_upload_job(client: Any) -> None:
    _upload_job(client, run=False)


@scenario("GetUploadJobPath")
def _get_upload_job_path(client: Any) -> None:
    _upload_job(client)


@scenario("StartUploadJob")
def _start_upload_job(client: Any) -> None:
    _upload_job(client)


@scenario("GetUploadJob")
def _get_upload_job(client: Any) -> None:
    job_id = _upload_job(client)
    for _ in range(2):  # in progress, then partially succeeded
        client.get_upload_job(DomainName="acme", JobId=job_id)
    created = client.create_upload_job(
        DomainName="acme", DisplayName="b", Fields={"id": {"Source": "_source.id"}}, UniqueKey="id", DataExpiry=1098
    )
    client.get_upload_job(DomainName="acme", JobId=created["JobId"])
    client.start_upload_job(DomainName="acme", JobId=created["JobId"])
    for _ in range(2):  # no file: failed
        client.get_upload_job(DomainName="acme", JobId=created["JobId"])


@scenario("ListUploadJobs")
def _list_upload_jobs(client: Any) -> None:
    _upload_job(client)
    client.list_upload_jobs(DomainName="acme")
    client.list_upload_jobs(DomainName="acme", MaxResults=1)


@scenario("StopUploadJob")
def _stop_upload_job(client: Any) -> None:
    job_id = _upload_job(client)
    client.stop_upload_job(DomainName="acme", JobId=job_id)
    client.get_upload_job(DomainName="acme", JobId=job_id)
    client.list_upload_jobs(DomainName="acme")


def _layout(client: Any) -> None:
    _new_domain(client)
    client.create_domain_layout(
        DomainName="acme",
        LayoutDefinitionName="agent",
        Description="Agent view",
        DisplayName="Agent view",
        IsDefault=True,
        LayoutType="PROFILE_EXPLORER",
        Layout="{}",
        Tags={"team": "support"},
    )


@scenario("CreateDomainLayout")
def _create_domain_layout(client: Any) -> None:
    _layout(client)


@scenario("GetDomainLayout")
def _get_domain_layout(client: Any) -> None:
    _layout(client)
    client.get_domain_layout(DomainName="acme", LayoutDefinitionName="agent")


@scenario("UpdateDomainLayout")
def _update_domain_layout(client: Any) -> None:
    _layout(client)
    client.update_domain_layout(DomainName="acme", LayoutDefinitionName="agent", IsDefault=False)


@scenario("DeleteDomainLayout")
def _delete_domain_layout(client: Any) -> None:
    _layout(client)
    client.delete_domain_layout(DomainName="acme", LayoutDefinitionName="agent")


@scenario("ListDomainLayouts")
def _list_domain_layouts(client: Any) -> None:
    _layout(client)
    client.list_domain_layouts(DomainName="acme")


def _domain_object_type(client: Any) -> None:
    _new_domain(client, DataStore={"Enabled": True})
    client.put_domain_object_type(
        DomainName="acme",
        ObjectTypeName="Orders",
        Description="Orders",
        EncryptionKey="arn:aws:kms:us-east-1:123456789012:key/1",
        Fields={
            "amount": {
                "Source": "_source.amount",
                "Target": "_orders.amount",
                "ContentType": "NUMBER",
                "FeatureType": "TEXTUAL",
            }
        },
        Tags={"a": "1"},
    )


@scenario("PutDomainObjectType")
def _put_domain_object_type(client: Any) -> None:
    _domain_object_type(client)


@scenario("GetDomainObjectType")
def _get_domain_object_type(client: Any) -> None:
    _domain_object_type(client)
    client.get_domain_object_type(DomainName="acme", ObjectTypeName="Orders")


@scenario("DeleteDomainObjectType")
def _delete_domain_object_type(client: Any) -> None:
    _domain_object_type(client)
    client.delete_domain_object_type(DomainName="acme", ObjectTypeName="Orders")


@scenario("ListDomainObjectTypes")
def _list_domain_object_types(client: Any) -> None:
    _domain_object_type(client)
    client.list_domain_object_types(DomainName="acme")


@scenario("DetectProfileObjectType")
def _detect_profile_object_type(client: Any) -> None:
    _new_domain(client)
    sample = (
        '{"id": "1", "email": "a@example.com", "phone": "+1 555 0100", "n": 1, "updatedAt": "2026-01-01T00:00:00Z"}'
    )
    client.detect_profile_object_type(DomainName="acme", Objects=[sample, '{"city": "Lisbon"}'])


def _attribute_domain(client: Any) -> None:
    _new_domain(client, DataStore={"Enabled": True})
    put_loyalty_type(client)
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "points": 10})


@scenario("ListObjectTypeAttributes")
def _list_object_type_attributes(client: Any) -> None:
    _attribute_domain(client)
    client.list_object_type_attributes(DomainName="acme", ObjectTypeName="Loyalty")


@scenario("ListObjectTypeAttributeValues")
def _list_object_type_attribute_values(client: Any) -> None:
    _attribute_domain(client)
    client.list_object_type_attribute_values(DomainName="acme", ObjectTypeName="Loyalty", AttributeName="card")


@scenario("GetObjectTypeAttributeStatistics")
def _get_object_type_attribute_statistics(client: Any) -> None:
    _attribute_domain(client)
    client.get_object_type_attribute_statistics(DomainName="acme", ObjectTypeName="Loyalty", AttributeName="card")


# ------------------------------------------------------------------------------------------------- tests


@pytest.fixture
def documents(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Mapping[str, Any]]]:
    """Every (operation, output document) the codec serializes while the test runs."""
    seen: list[tuple[str, Mapping[str, Any]]] = []
    serialize = _codec.serialize_output

    def observe(operation: Any, document: Mapping[str, Any]) -> _codec.WireResponse:
        seen.append((str(operation), document))
        return serialize(operation, document)

    monkeypatch.setattr(_codec, "serialize_output", observe)
    return seen


# ------------------------------------------------------------------ identity resolution, recommenders


def _active() -> CustomerProfilesMock:
    from mock_customer_profiles import _activation

    active = _activation.current()
    assert active is not None
    return active


def _identity_domain(client: Any) -> tuple[str, list[str]]:
    client.create_domain(
        DomainName="ir",
        DefaultExpirationDays=30,
        Matching={
            "Enabled": True,
            "JobSchedule": {"DayOfTheWeek": "SATURDAY", "Time": "0:00"},
            "AutoMerging": {
                "Enabled": True,
                "Consolidation": {"MatchingAttributesList": [["LastName"]]},
                "ConflictResolution": {"ConflictResolvingModel": "SOURCE", "SourceName": "crm"},
                "MinAllowedConfidenceScoreForMerging": 0.5,
            },
            "ExportingConfig": {"S3Exporting": {"S3BucketName": "bucket", "S3KeyName": "ir"}},
        },
        RuleBasedMatching={
            "Enabled": True,
            "MatchingRules": [{"Rule": ["EmailAddress"]}, {"Rule": ["FirstName", "LastName"]}],
            "MaxAllowedRuleLevelForMatching": 2,
            "MaxAllowedRuleLevelForMerging": 1,
            "AttributeTypesSelector": {"AttributeMatchingModel": "ONE_TO_ONE", "EmailAddress": ["EmailAddress"]},
            "ConflictResolution": {"ConflictResolvingModel": "RECENCY"},
            "ExportingConfig": {"S3Exporting": {"S3BucketName": "bucket"}},
        },
    )
    ids = [
        client.create_profile(DomainName="ir", EmailAddress="a@e.com", FirstName="A", LastName=last)["ProfileId"]
        for last in ("Lee", "Kim", "Kim")
    ]
    return "ir", ids


@scenario("GetMatches")
def _get_matches(client: Any) -> None:
    d, ids = _identity_domain(client)
    client.get_matches(DomainName=d)
    _active().seed_matches(d, [ids[:2]], confidence=0.3)
    client.get_matches(DomainName=d, MaxResults=1)


@scenario("ListRuleBasedMatches")
def _list_rule_based_matches(client: Any) -> None:
    d, _ = _identity_domain(client)
    client.list_rule_based_matches(DomainName=d, MaxResults=1)


@scenario("GetSimilarProfiles")
def _get_similar_profiles(client: Any) -> None:
    d, ids = _identity_domain(client)
    client.get_similar_profiles(
        DomainName=d, MatchType="RULE_BASED_MATCHING", SearchKey="_profileId", SearchValue=ids[0]
    )
    _active().run_identity_resolution(d)
    client.get_similar_profiles(DomainName=d, MatchType="ML_BASED_MATCHING", SearchKey="_profileId", SearchValue=ids[0])


@scenario("GetAutoMergingPreview")
def _get_auto_merging_preview(client: Any) -> None:
    d, ids = _identity_domain(client)
    _active().seed_matches(d, [ids])
    client.get_auto_merging_preview(
        DomainName=d,
        Consolidation={"MatchingAttributesList": [["LastName"]]},
        ConflictResolution={"ConflictResolvingModel": "RECENCY"},
    )


@scenario("GetIdentityResolutionJob")
def _get_identity_resolution_job(client: Any) -> None:
    d, _ = _identity_domain(client)
    job_id = _active().run_identity_resolution(d, wait=False)
    client.get_identity_resolution_job(DomainName=d, JobId=job_id)
    client.get_identity_resolution_job(DomainName=d, JobId=job_id)


@scenario("ListIdentityResolutionJobs")
def _list_identity_resolution_jobs(client: Any) -> None:
    d, _ = _identity_domain(client)
    _active().run_identity_resolution(d)
    _active().run_identity_resolution(d, wait=False)
    client.list_identity_resolution_jobs(DomainName=d)


def _recommender_domain(client: Any) -> str:
    client.create_domain(DomainName="rec", DefaultExpirationDays=30)
    client.create_recommender_schema(
        DomainName="rec",
        RecommenderSchemaName="schema",
        Fields={
            "_catalogItem": [{"TargetFieldName": "Category", "ContentType": "STRING", "FeatureType": "CATEGORICAL"}]
        },
        Tags={"team": "x"},
    )
    client.create_recommender_filter(
        DomainName="rec",
        RecommenderFilterName="shoes",
        RecommenderFilterExpression='INCLUDE ItemID WHERE Items.Category IN ("shoes")',
        RecommenderSchemaName="schema",
        Description="only shoes",
        Tags={"team": "x"},
    )
    client.create_recommender(
        DomainName="rec",
        RecommenderName="r",
        RecommenderRecipeName="recommended-for-you",
        RecommenderSchemaName="schema",
        Description="picks",
        RecommenderConfig={"EventsConfig": {"EventParametersList": [{"EventType": "click", "EventWeight": 0.5}]}},
        Tags={"team": "x"},
    )
    client.get_recommender(DomainName="rec", RecommenderName="r")
    client.get_recommender(DomainName="rec", RecommenderName="r")
    return "rec"


@scenario("CreateRecommender")
def _create_recommender(client: Any) -> None:
    _recommender_domain(client)


@scenario("GetRecommender")
def _get_recommender(client: Any) -> None:
    d = _recommender_domain(client)
    client.update_recommender(DomainName=d, RecommenderName="r", RecommenderConfig={"TrainingFrequency": 7})
    client.get_recommender(DomainName=d, RecommenderName="r", TrainingMetricsCount=5)


@scenario("ListRecommenders")
def _list_recommenders(client: Any) -> None:
    d = _recommender_domain(client)
    client.update_recommender(DomainName=d, RecommenderName="r", RecommenderConfig={"TrainingFrequency": 7})
    client.list_recommenders(DomainName=d)


@scenario("UpdateRecommender")
def _update_recommender(client: Any) -> None:
    d = _recommender_domain(client)
    client.update_recommender(DomainName=d, RecommenderName="r", Description="new")


@scenario("StartRecommender")
def _start_recommender(client: Any) -> None:
    d = _recommender_domain(client)
    client.stop_recommender(DomainName=d, RecommenderName="r")
    client.get_recommender(DomainName=d, RecommenderName="r")
    client.get_recommender(DomainName=d, RecommenderName="r")
    client.start_recommender(DomainName=d, RecommenderName="r")


@scenario("StopRecommender")
def _stop_recommender(client: Any) -> None:
    d = _recommender_domain(client)
    client.stop_recommender(DomainName=d, RecommenderName="r")


@scenario("DeleteRecommender")
def _delete_recommender(client: Any) -> None:
    d = _recommender_domain(client)
    client.delete_recommender(DomainName=d, RecommenderName="r")


@scenario("CreateRecommenderFilter")
def _create_recommender_filter(client: Any) -> None:
    _recommender_domain(client)


@scenario("GetRecommenderFilter")
def _get_recommender_filter(client: Any) -> None:
    d = _recommender_domain(client)
    client.get_recommender_filter(DomainName=d, RecommenderFilterName="shoes")


@scenario("ListRecommenderFilters")
def _list_recommender_filters(client: Any) -> None:
    d = _recommender_domain(client)
    client.list_recommender_filters(DomainName=d)


@scenario("DeleteRecommenderFilter")
def _delete_recommender_filter(client: Any) -> None:
    d = _recommender_domain(client)
    client.delete_recommender_filter(DomainName=d, RecommenderFilterName="shoes")


@scenario("CreateRecommenderSchema")
def _create_recommender_schema(client: Any) -> None:
    _recommender_domain(client)


@scenario("GetRecommenderSchema")
def _get_recommender_schema(client: Any) -> None:
    d = _recommender_domain(client)
    client.get_recommender_schema(DomainName=d, RecommenderSchemaName="schema")


@scenario("ListRecommenderSchemas")
def _list_recommender_schemas(client: Any) -> None:
    d = _recommender_domain(client)
    client.list_recommender_schemas(DomainName=d)


@scenario("DeleteRecommenderSchema")
def _delete_recommender_schema(client: Any) -> None:
    client.create_domain(DomainName="rec", DefaultExpirationDays=30)
    client.create_recommender_schema(
        DomainName="rec", RecommenderSchemaName="s", Fields={"_webAnalytics": [{"TargetFieldName": "EventType"}]}
    )
    client.delete_recommender_schema(DomainName="rec", RecommenderSchemaName="s")


@scenario("ListRecommenderRecipes")
def _list_recommender_recipes(client: Any) -> None:
    client.list_recommender_recipes()
    client.list_recommender_recipes(MaxResults=10)


@scenario("GetProfileRecommendations")
def _get_profile_recommendations(client: Any) -> None:
    d = _recommender_domain(client)
    profile_id = client.create_profile(DomainName=d, EmailAddress="r@e.com")["ProfileId"]
    client.get_profile_recommendations(DomainName=d, ProfileId=profile_id, RecommenderName="r")
    item = {"Id": "i1", "Name": "Boot", "Category": "shoes", "Price": "10", "Attributes": {"size": "9"}}
    _active().seed_recommendations(d, "r", profile_id, [{"CatalogItem": item, "Score": 0.9}])
    client.get_profile_recommendations(
        DomainName=d, ProfileId=profile_id, RecommenderName="r", RecommenderFilters=[{"Name": "shoes"}]
    )


@scenario("SearchRecommendations")
def _search_recommendations(client: Any) -> None:
    d = _recommender_domain(client)
    profile_id = client.create_profile(DomainName=d, EmailAddress="r@e.com")["ProfileId"]
    _active().seed_recommendations(d, "r", profile_id, [{"Id": "i1"}, {"Id": "i2"}])
    client.search_recommendations(DomainName=d, KeyName="_email", KeyValues=["r@e.com"], Recommender={"Name": "r"})


@pytest.mark.parametrize("operation", sorted(set(HANDLERS) | set(SCENARIOS)))
def test_output_satisfies_the_output_shape(
    operation: str, mock: CustomerProfilesMock, client: Any, documents: list[tuple[str, Mapping[str, Any]]]
) -> None:
    if operation not in SCENARIOS:
        pytest.fail(
            f"mock_customer_profiles: {operation} has a handler but no output-shape scenario.\n"
            f"- add one to SCENARIOS in {__file__}"
        )
    if operation not in HANDLERS:
        pytest.fail(f"mock_customer_profiles: the scenario for {operation} names no implemented operation.")
    SCENARIOS[operation](client)
    assert operation in [name for name, _ in documents], f"the scenario never answered {operation}"
    for name, document in documents:  # the set-up calls are checked too
        output_validator(name).check(document)


def test_output_check_catches_what_botocore_would_let_through() -> None:
    """The check is strict where botocore's parser is not: unknown members, empty strings, null."""
    check = output_validator("GetDomain").describe
    stamp = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    good = {"DomainName": "acme", "DefaultExpirationDays": 1, "CreatedAt": stamp, "LastUpdatedAt": stamp}
    assert check(good) == []
    assert check({**good, "Extra": 1}) == [
        "Value '1' at 'Extra' failed to satisfy constraint: Member must be a member of GetDomainResponse"
    ]
    assert check({**good, "DomainName": "", "DeadLetterQueueUrl": None}) == [
        "Value null at 'deadLetterQueueUrl' failed to satisfy constraint: Member must be of type string",
        "Value '' at 'domainName' failed to satisfy constraint: Member must have length greater than or equal to 1",
        "Value '' at 'domainName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$",
    ]
