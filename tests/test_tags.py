"""TagResource, UntagResource, ListTagsForResource on the ARN of every kind of resource that takes tags, and
the same tags in each resource's Get and List answers.

The ARN formats are the Service Authorization Reference's resource types for Customer Profiles
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnectcustomerprofiles.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from botocore import xform_name
from dataplane_helpers import ARN, bad_request, not_found, put_loyalty_type

from mock_customer_profiles._model import operation_names

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

TYPE_ARN = f"{ARN}/object-types/Loyalty"
KINESIS = "arn:aws:kinesis:us-east-1:123456789012:stream/export"
S3_URI = "arn:aws:s3:::orders/incoming"  # an integration's ARN ends in its Uri, slashes and all
LAYOUT = '{"sections": []}'
ROLE = "arn:aws:iam::123456789012:role/profiles-workflow"


def tags_of(client: Any, arn: str) -> dict[str, str]:
    return dict(client.list_tags_for_resource(resourceArn=arn).get("tags", {}))


def _setup_types(client: Any) -> None:
    """The object types the kinds' creates name: Order (calculated attributes), Calls (triggers)."""
    client.put_profile_object_type(
        DomainName="acme",
        ObjectTypeName="Order",
        Description="Orders",
        Fields={"orderNo": {"Source": "_source.orderNo"}, "price": {"Source": "_source.price"}},
        Keys={"orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderNo"]}]},
    )
    client.put_profile_object_type(DomainName="acme", ObjectTypeName="Calls", Description="calls", TemplateId="CTR")


Call = tuple[str, dict[str, Any]]  # an operation and its members


@dataclass(frozen=True)
class Kind:
    """One kind of taggable resource: the call that makes one with ``Tags`` and the calls that show them."""

    path: str  # the ARN's word for the kind ("" for the domain)
    name: str
    create: Call  # its members besides Tags
    arn_member: str | None  # the member of the create's answer that holds the resource's ARN
    get: Call | None  # a Get whose answer has Tags
    lists: list[tuple[str, dict[str, Any], str]]  # List calls (op, members, items key): the item naming it has Tags

    @property
    def arn(self) -> str:
        return ARN if not self.path else f"{ARN}/{self.path}/{self.name}"

    def make(self, client: Any, tags: dict[str, str]) -> str | None:
        if self.create[0] not in operation_names():
            pytest.skip(f"the installed botocore model has no {self.create[0]}")
        _setup_types(client)
        if self.path == "domain-object-types":  # DataStore: a member of the newer models only
            client.update_domain(DomainName="acme", DataStore={"Enabled": True})
        operation, members = self.create
        made = getattr(client, xform_name(operation))(**members, Tags=tags)
        return None if self.arn_member is None else str(made[self.arn_member])

    def answers(self, client: Any) -> list[Any]:
        """The Tags member (or None) of each Get and List answer about the resource."""
        found = []
        if self.get is not None:
            found.append(getattr(client, xform_name(self.get[0]))(**self.get[1]).get("Tags"))
        for operation, members, key in self.lists:
            items = getattr(client, xform_name(operation))(**members)[key]
            (item,) = [item for item in items if self.name in item.values()]
            found.append(item.get("Tags"))
        return found


ACME = {"DomainName": "acme"}
DIMENSION = {"ProfileAttributes": {"FirstName": {"DimensionType": "INCLUSIVE", "Values": ["Ana"]}}}
TRIGGER_CONDITIONS = [
    {
        "EventTriggerDimensions": [
            {"ObjectAttributes": [{"Source": "_source.Channel", "ComparisonOperator": "EQUAL", "Values": ["1"]}]}
        ],
        "LogicalOperator": "ANY",
    }
]
LOYALTY = {
    "ObjectTypeName": "Loyalty",
    "Description": "Loyalty cards",
    "Fields": {"card": {"Source": "_source.card"}},
    "Keys": {"card": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["card"]}]},
}
KINDS = [
    Kind("", "acme", ("UpdateDomain", ACME), None, ("GetDomain", ACME), [("ListDomains", {}, "Items")]),
    Kind(
        "object-types",
        "Loyalty",
        ("PutProfileObjectType", {**ACME, **LOYALTY}),
        None,
        ("GetProfileObjectType", {**ACME, "ObjectTypeName": "Loyalty"}),
        [("ListProfileObjectTypes", ACME, "Items")],
    ),
    Kind(
        "domain-object-types",
        "Orders",
        (
            "PutDomainObjectType",
            {**ACME, "ObjectTypeName": "Orders", "Fields": {"a": {"Source": "_source.a", "Target": "_orders.a"}}},
        ),
        None,
        ("GetDomainObjectType", {**ACME, "ObjectTypeName": "Orders"}),
        [("ListDomainObjectTypes", ACME, "Items")],
    ),
    Kind(
        "integrations",
        S3_URI,
        ("PutIntegration", {**ACME, "Uri": S3_URI, "ObjectTypeName": "Order"}),
        None,
        ("GetIntegration", {**ACME, "Uri": S3_URI}),
        [("ListIntegrations", ACME, "Items"), ("ListAccountIntegrations", {"Uri": S3_URI}, "Items")],
    ),
    Kind(
        "event-streams",
        "export",
        ("CreateEventStream", {**ACME, "EventStreamName": "export", "Uri": KINESIS}),
        "EventStreamArn",
        ("GetEventStream", {**ACME, "EventStreamName": "export"}),
        [("ListEventStreams", ACME, "Items")],
    ),
    Kind(
        "event-triggers",
        "long",
        (
            "CreateEventTrigger",
            {
                **ACME,
                "EventTriggerName": "long",
                "ObjectTypeName": "Calls",
                "EventTriggerConditions": TRIGGER_CONDITIONS,
            },
        ),
        None,
        ("GetEventTrigger", {**ACME, "EventTriggerName": "long"}),
        [("ListEventTriggers", ACME, "Items")],
    ),
    Kind(
        "calculated-attributes",
        "spend",
        (
            "CreateCalculatedAttributeDefinition",
            {
                **ACME,
                "CalculatedAttributeName": "spend",
                "AttributeDetails": {"Attributes": [{"Name": "price"}], "Expression": "{Order.price}"},
                "Statistic": "SUM",
            },
        ),
        None,
        ("GetCalculatedAttributeDefinition", {**ACME, "CalculatedAttributeName": "spend"}),
        [("ListCalculatedAttributeDefinitions", ACME, "Items")],
    ),
    Kind(
        "segment-definitions",
        "anas",
        (
            "CreateSegmentDefinition",
            {
                **ACME,
                "SegmentDefinitionName": "anas",
                "DisplayName": "Anas",
                "SegmentGroups": {"Groups": [{"Dimensions": [DIMENSION]}]},
            },
        ),
        "SegmentDefinitionArn",
        ("GetSegmentDefinition", {**ACME, "SegmentDefinitionName": "anas"}),
        [("ListSegmentDefinitions", ACME, "Items")],
    ),
    Kind(
        "layouts",
        "agent",
        (
            "CreateDomainLayout",
            {
                **ACME,
                "LayoutDefinitionName": "agent",
                "Description": "Agent view",
                "DisplayName": "Agent view",
                "LayoutType": "PROFILE_EXPLORER",
                "Layout": LAYOUT,
            },
        ),
        None,
        ("GetDomainLayout", {**ACME, "LayoutDefinitionName": "agent"}),
        [("ListDomainLayouts", ACME, "Items")],
    ),
    Kind(
        "recommenders",
        "picks",
        ("CreateRecommender", {**ACME, "RecommenderName": "picks", "RecommenderRecipeName": "recommended-for-you"}),
        "RecommenderArn",
        ("GetRecommender", {**ACME, "RecommenderName": "picks"}),
        [("ListRecommenders", ACME, "Recommenders")],
    ),
    Kind(
        "recommender-filters",
        "no-x",
        (
            "CreateRecommenderFilter",
            {
                **ACME,
                "RecommenderFilterName": "no-x",
                "RecommenderFilterExpression": 'EXCLUDE ItemID WHERE Items.Id = "x"',
            },
        ),
        "RecommenderFilterArn",
        ("GetRecommenderFilter", {**ACME, "RecommenderFilterName": "no-x"}),
        [("ListRecommenderFilters", ACME, "RecommenderFilters")],
    ),
    # GetRecommenderSchema and ListRecommenderSchemas have no Tags member in the model.
    Kind(
        "recommender-schemas",
        "catalog",
        (
            "CreateRecommenderSchema",
            {**ACME, "RecommenderSchemaName": "catalog", "Fields": {"_catalogItem": [{"TargetFieldName": "Category"}]}},
        ),
        "RecommenderSchemaArn",
        None,
        [],
    ),
]
IDS = [kind.path or "domains" for kind in KINDS]
KIND = {kind.path: kind for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_tag_untag_and_list_by_arn_and_the_resource_answers_agree(client: Any, domain: str, kind: Kind) -> None:
    answered = kind.make(client, {"owner": "crm"})
    if answered is not None:  # the create answers with the ARN the tagging operations take
        assert answered == kind.arn
    assert tags_of(client, kind.arn) == {"owner": "crm"}
    assert kind.answers(client) == [{"owner": "crm"}] * len(kind.answers(client))

    client.tag_resource(resourceArn=kind.arn, tags={"env": "test", "owner": "data"})
    assert tags_of(client, kind.arn) == {"owner": "data", "env": "test"}
    assert all(tags == {"owner": "data", "env": "test"} for tags in kind.answers(client))

    client.untag_resource(resourceArn=kind.arn, tagKeys=["owner", "never-set"])
    assert tags_of(client, kind.arn) == {"env": "test"}
    assert all(tags == {"env": "test"} for tags in kind.answers(client))


KEEPS_NONE = [kind for kind in KINDS if kind.path != "recommender-filters"]


@pytest.mark.parametrize("kind", KEEPS_NONE, ids=[kind.path or "domains" for kind in KEEPS_NONE])
def test_untagging_every_tag_leaves_no_tags_member(client: Any, domain: str, kind: Kind) -> None:
    kind.make(client, {"owner": "crm"})
    client.untag_resource(resourceArn=kind.arn, tagKeys=["owner"])
    assert "tags" not in client.list_tags_for_resource(resourceArn=kind.arn)
    assert kind.answers(client) == [None] * len(kind.answers(client))


def test_a_recommender_filter_keeps_one_tag_at_least(client: Any, domain: str) -> None:
    kind = KIND["recommender-filters"]
    kind.make(client, {"owner": "crm"})
    with bad_request(
        f"Resource {kind.arn} would have no tags: a recommender filter keeps at least 1 (its Get answer requires Tags)"
    ):
        client.untag_resource(resourceArn=kind.arn, tagKeys=["owner"])
    assert tags_of(client, kind.arn) == {"owner": "crm"}


@pytest.mark.parametrize("kind", KINDS[1:], ids=IDS[1:])
def test_an_unknown_resource_of_each_kind(client: Any, domain: str, kind: Kind) -> None:
    arn = f"{ARN}/{kind.path}/absent"
    label = {"calculated-attributes": "calculated attribute definition", "recommenders": "recommender"}.get(
        kind.path, kind.path[:-1].replace("-", " ")
    )
    message = f"Resource {arn} not found: {label} absent is not in domain acme"
    with not_found(message):
        client.list_tags_for_resource(resourceArn=arn)
    with not_found(message):
        client.tag_resource(resourceArn=arn, tags={"a": "b"})
    with not_found(message):
        client.untag_resource(resourceArn=arn, tagKeys=["a"])


def test_a_deleted_resource_is_not_found(client: Any, domain: str) -> None:
    KIND["segment-definitions"].make(client, {"a": "1"})
    arn = f"{ARN}/segment-definitions/anas"
    client.delete_segment_definition(DomainName="acme", SegmentDefinitionName="anas")
    with not_found(f"Resource {arn} not found: segment definition anas is not in domain acme"):
        client.tag_resource(resourceArn=arn, tags={"a": "b"})


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        ("arn:aws:profile:us-east-1:123456789012:domains/nowhere", "domain nowhere does not exist"),
        (f"{ARN[: -len('domains/acme')]}domains/nowhere/layouts/agent", "domain nowhere does not exist"),
        (
            "arn:aws:profile:eu-west-1:123456789012:domains/acme",
            "this client calls account 123456789012 in region us-east-1",
        ),
        (
            "arn:aws:profile:us-east-1:210987654321:domains/acme",
            "this client calls account 123456789012 in region us-east-1",
        ),
        (
            "arn:awscn:profile:us-east-1:123456789012:domains/acme",
            "this client calls account 123456789012 in region us-east-1",
        ),
    ],
    ids=["domain", "domain-of-a-layout", "region", "account", "partition"],
)
def test_unknown_domains_regions_and_accounts(client: Any, domain: str, arn: str, message: str) -> None:
    with not_found(f"Resource {arn} not found: {message}"):
        client.list_tags_for_resource(resourceArn=arn)
    with not_found(f"Resource {arn} not found: {message}"):
        client.tag_resource(resourceArn=arn, tags={"a": "b"})


@pytest.mark.parametrize(
    "arn",
    [f"{ARN}/profiles/x", f"{ARN}/workflows/x", f"{ARN}/layouts", "arn:aws:profile:us-east-1:123456789012:acme"],
    ids=["profiles", "workflows", "no-name", "no-domains"],
)
def test_arns_of_no_taggable_resource(client: Any, domain: str, arn: str) -> None:
    with bad_request(
        f"{arn} is not the ARN of a Customer Profiles resource that takes tags: "
        "arn:aws:profile:<region>:<account>:domains/<DomainName>[/<kind>/<name>], <kind> one of "
        "calculated-attributes, domain-object-types, event-streams, event-triggers, integrations, layouts, "
        "object-types, recommender-filters, recommender-schemas, recommenders, segment-definitions"
    ):
        client.tag_resource(resourceArn=arn, tags={"a": "b"})


def test_at_most_fifty_tags(client: Any, domain: str) -> None:
    client.tag_resource(resourceArn=ARN, tags={f"k{n}": "v" for n in range(50)})
    with bad_request(f"Resource {ARN} would have 51 tags; at most 50 are allowed"):
        client.tag_resource(resourceArn=ARN, tags={"one-more": "v"})
    assert len(tags_of(client, ARN)) == 50
    client.tag_resource(resourceArn=ARN, tags={"k0": "replaced"})  # replacing a value adds none
    assert tags_of(client, ARN)["k0"] == "replaced"


def test_tags_of_an_upsert_add_to_those_it_had(client: Any, domain: str) -> None:
    put_loyalty_type(client, Tags={"a": "1"})
    client.tag_resource(resourceArn=TYPE_ARN, tags={"b": "2"})
    put_loyalty_type(client, Tags={"c": "3"})
    assert tags_of(client, TYPE_ARN) == {"a": "1", "b": "2", "c": "3"}


def test_a_workflows_tags_go_to_the_integration_it_sets_up(client: Any, domain: str) -> None:
    if "CreateIntegrationWorkflow" not in operation_names():  # pragma: no cover - every supported model has it
        pytest.skip("the installed botocore model has no CreateIntegrationWorkflow")
    source = {"ConnectorType": "Salesforce", "SourceConnectorProperties": {"Salesforce": {"Object": "Account"}}}
    flow = {
        "FlowName": "sf-history",
        "KmsArn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "SourceFlowConfig": {**source, "ConnectorProfileName": "sf-conn"},
        "Tasks": [{"SourceFields": ["Id"], "TaskType": "Map", "DestinationField": "Id"}],
        "TriggerConfig": {"TriggerType": "OnDemand"},
    }
    workflow_id = client.create_integration_workflow(
        DomainName="acme",
        WorkflowType="APPFLOW_INTEGRATION",
        IntegrationConfig={"AppflowIntegration": {"FlowDefinition": flow}},
        ObjectTypeName="Salesforce-Account",
        RoleArn=ROLE,
        Tags={"source": "salesforce"},
    )["WorkflowId"]
    for _ in range(2):  # one round in progress, then complete
        client.get_workflow(DomainName="acme", WorkflowId=workflow_id)
    arn = f"{ARN}/integrations/arn:aws:appflow:us-east-1:123456789012:flow/sf-history"
    assert tags_of(client, arn) == {"source": "salesforce"}
    client.tag_resource(resourceArn=arn, tags={"team": "crm"})
    (hidden,) = client.list_integrations(DomainName="acme", IncludeHidden=True)["Items"]
    assert hidden["Tags"] == {"source": "salesforce", "team": "crm"}


def test_tag_keys_are_validated_on_the_server(raw_client: Any, domain: str) -> None:
    with bad_request(
        "1 validation error detected: Value 'aws:reserved' at 'tags' failed to satisfy constraint: "
        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ^(?!aws:)[a-zA-Z+-=._:/]+$]"
    ):
        raw_client.tag_resource(resourceArn=ARN, tags={"aws:reserved": "x"})
