"""Every data plane operation answers with output that satisfies its output shape, and fails only with
errors the model declares for it: judged on the raw documents that came over the wire (botocore's parser
would drop a member the model does not have), through the hook and again over HTTP (``both_doors``)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from dataplane_helpers import ARN, put_loyalty_type, put_object, search
from robust.oracle import problems

from mock_customer_profiles import CustomerProfilesMock
from mock_customer_profiles._model import operation_errors, operation_model

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

OPERATIONS = {
    "AddProfileKey",
    "DeleteProfileKey",
    "PutProfileObjectType",
    "GetProfileObjectType",
    "ListProfileObjectTypes",
    "DeleteProfileObjectType",
    "ListProfileObjectTypeTemplates",
    "GetProfileObjectTypeTemplate",
    "PutProfileObject",
    "ListProfileObjects",
    "DeleteProfileObject",
    "MergeProfiles",
    "BatchGetProfile",
    "UpdateDomain",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
    "ListProfileAttributeValues",
    "GetDomain",
}


def _exercise(client: Any) -> None:
    """Call every operation, with and without errors, on data with every optional member set."""
    client.create_domain(DomainName="acme", DefaultExpirationDays=365, Tags={"team": "cc"})
    put_loyalty_type(client, Tags={"a": "b"}, MaxProfileObjectCount=10, SourcePriority=1, EncryptionKey="")
    client.put_profile_object_type(
        DomainName="acme", ObjectTypeName="Orders", Description="o", TemplateId="Shopify-Order"
    )
    client.get_profile_object_type(DomainName="acme", ObjectTypeName="Loyalty")
    client.get_profile_object_type(DomainName="acme", ObjectTypeName="Orders")
    client.list_profile_object_types(DomainName="acme", MaxResults=1)
    client.list_profile_object_type_templates(MaxResults=3)
    for template in client.list_profile_object_type_templates()["Items"]:
        client.get_profile_object_type_template(TemplateId=template["TemplateId"])
    put_object(client, "Loyalty", {"card": "K-1", "phone": "+15550100001", "member": {"id": "M-1"}})
    put_object(client, "Orders", {"id": 1, "phone": "+15550100002", "customer": {"first_name": "Ana"}})
    (main,) = search(client, "cardNumber", "K-1")
    (other,) = search(client, "_shopifyOrderId", "1")
    client.add_profile_key(DomainName="acme", ProfileId=main, KeyName="memberId", Values=["M-2"])
    client.delete_profile_key(DomainName="acme", ProfileId=main, KeyName="memberId", Values=["M-2"])
    client.list_profile_objects(DomainName="acme", ObjectTypeName="Loyalty", ProfileId=main, MaxResults=1)
    client.batch_get_profile(DomainName="acme", ProfileIds=[main, "0" * 32])
    client.merge_profiles(
        DomainName="acme",
        MainProfileId=main,
        ProfileIdsToBeMerged=[other],
        FieldSourceProfileIds={"FirstName": other, "Attributes": {"x": other}},
    )
    items = client.list_profile_objects(DomainName="acme", ObjectTypeName="Orders", ProfileId=main)["Items"]
    client.delete_profile_object(
        DomainName="acme",
        ProfileId=main,
        ObjectTypeName="Orders",
        ProfileObjectUniqueKey=items[0]["ProfileObjectUniqueKey"],
    )
    client.update_domain(
        DomainName="acme",
        DefaultEncryptionKey="",
        RuleBasedMatching={"Enabled": True, "MatchingRules": [{"Rule": ["EmailAddress"]}]},
        DataStore={"Enabled": False},
    )
    for arn in (ARN, f"{ARN}/object-types/Loyalty"):
        client.tag_resource(resourceArn=arn, tags={"k": "v"})
        client.list_tags_for_resource(resourceArn=arn)
        client.untag_resource(resourceArn=arn, tagKeys=["k", "a", "team"])
        client.list_tags_for_resource(resourceArn=arn)
    client.list_profile_attribute_values(DomainName="acme", AttributeName="FirstName")
    client.get_domain(DomainName="acme")
    client.delete_profile_object_type(DomainName="acme", ObjectTypeName="Orders")
    failing = [
        lambda: client.add_profile_key(DomainName="acme", ProfileId=main, KeyName="nope", Values=["x"]),
        lambda: client.delete_profile_key(DomainName="acme", ProfileId="0" * 32, KeyName="_email", Values=["x"]),
        lambda: put_object(client, "Loyalty", "[]"),
        lambda: put_object(client, "Missing", "{}"),
        lambda: client.get_profile_object_type_template(TemplateId="nope"),
        lambda: client.merge_profiles(DomainName="acme", MainProfileId=main, ProfileIdsToBeMerged=[main]),
        lambda: client.tag_resource(resourceArn=f"{ARN}x", tags={"k": "v"}),
        lambda: client.list_profile_attribute_values(DomainName="acme", AttributeName="Nope"),
        lambda: client.update_domain(DomainName="nowhere"),
    ]
    for call in failing:
        with contextlib.suppress(ClientError):
            call()


def _raw_answers(client: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every response as it came over the wire, before botocore parsed it: ``(operation, response_dict)``."""
    answers: list[tuple[str, dict[str, Any]]] = []

    def keep(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        answers.append((operation_model.name, dict(response_dict)))

    client.meta.events.register("before-parse.customer-profiles", keep)
    return answers


def _document(operation: str, answer: dict[str, Any]) -> dict[str, Any]:
    """The output as the model lays it out: the JSON body, plus members carried by the status or headers."""
    document: dict[str, Any] = json.loads(answer["body"] or b"{}")
    headers = {name.lower(): value for name, value in answer["headers"].items()}
    shape = operation_model(operation).output_shape
    for name, member in shape.members.items() if shape is not None else ():
        where = member.serialization.get("location")
        if where == "statusCode":
            document[name] = answer["status_code"]
        elif where == "header" and member.serialization.get("name", name).lower() in headers:
            document[name] = headers[member.serialization.get("name", name).lower()]
    return document


def test_every_output_satisfies_its_shape_and_every_error_is_modelled(
    client: Any, mock: CustomerProfilesMock, door: str
) -> None:
    answers = _raw_answers(client)
    _exercise(client)
    assert {operation for operation, _ in answers} >= OPERATIONS
    assert [call.operation for call in mock.calls] == [operation for operation, _ in answers]  # one mock answered
    failures = 0
    for operation, answer in answers:
        if answer["status_code"] < 300:
            document = _document(operation, answer)
            assert problems(operation_model(operation).output_shape, document) == [], (operation, document)
        else:
            headers = {name.lower(): value for name, value in answer["headers"].items()}
            code = headers["x-amzn-errortype"].partition(":")[0]
            assert code in operation_errors(operation), (operation, answer)
            failures += 1
    assert failures == 9
