"""Every data plane operation answers with output that satisfies its output shape, and fails only with
errors the model declares for it."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from botocore.exceptions import ClientError
from dataplane_helpers import ARN, put_loyalty_type, put_object, search

from mock_customer_profiles import CustomerProfilesMock, _codec, _schema
from mock_customer_profiles._model import operation_errors

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


def test_every_output_satisfies_its_shape_and_every_error_is_modelled(mock: CustomerProfilesMock) -> None:
    _exercise(mock.client())
    seen = {call.operation for call in mock.calls}
    assert seen >= OPERATIONS
    failures = 0
    for call in mock.calls:
        if call.response is not None:
            document = _codec.output_document(call.operation, call.response)
            _schema.output_validator(call.operation).check(document)
        else:
            assert isinstance(call.error, ClientError)
            assert call.error.response["Error"]["Code"] in operation_errors(call.operation)
            failures += 1
    assert failures == 9
