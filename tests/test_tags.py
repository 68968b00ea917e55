"""TagResource, UntagResource, ListTagsForResource on domain and object type ARNs."""

from __future__ import annotations

from typing import Any

import pytest
from dataplane_helpers import ARN, bad_request, not_found, put_loyalty_type

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

TYPE_ARN = f"{ARN}/object-types/Loyalty"


def tags_of(client: Any, arn: str) -> dict[str, str]:
    return dict(client.list_tags_for_resource(resourceArn=arn).get("tags", {}))


def test_tags_given_at_creation_show_up(client: Any) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=365, Tags={"team": "cc"})
    put_loyalty_type(client, Tags={"owner": "crm"})
    assert tags_of(client, ARN) == {"team": "cc"}
    assert tags_of(client, TYPE_ARN) == {"owner": "crm"}


@pytest.mark.parametrize("arn", [ARN, TYPE_ARN], ids=["domain", "object-type"])
def test_tag_and_untag(client: Any, domain: str, arn: str) -> None:
    put_loyalty_type(client)
    client.tag_resource(resourceArn=arn, tags={"env": "test", "cost": "42"})
    client.tag_resource(resourceArn=arn, tags={"env": "prod"})
    assert tags_of(client, arn) == {"env": "prod", "cost": "42"}
    client.untag_resource(resourceArn=arn, tagKeys=["env", "absent"])
    assert tags_of(client, arn) == {"cost": "42"}
    client.untag_resource(resourceArn=arn, tagKeys=["cost"])
    assert "tags" not in client.list_tags_for_resource(resourceArn=arn)


def test_tags_show_up_in_the_resource_descriptions(client: Any, domain: str) -> None:
    put_loyalty_type(client)
    client.tag_resource(resourceArn=ARN, tags={"team": "cc"})
    client.tag_resource(resourceArn=TYPE_ARN, tags={"owner": "crm"})
    assert client.get_domain(DomainName="acme")["Tags"] == {"team": "cc"}
    assert client.get_profile_object_type(DomainName="acme", ObjectTypeName="Loyalty")["Tags"] == {"owner": "crm"}
    assert client.list_profile_object_types(DomainName="acme")["Items"][0]["Tags"] == {"owner": "crm"}


def test_at_most_fifty_tags(client: Any, domain: str) -> None:
    client.tag_resource(resourceArn=ARN, tags={f"k{n}": "v" for n in range(50)})
    with bad_request(f"Resource {ARN} would have 51 tags; at most 50 are allowed"):
        client.tag_resource(resourceArn=ARN, tags={"one-more": "v"})
    assert len(tags_of(client, ARN)) == 50


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:profile:us-east-1:123456789012:domains/nowhere",
        "arn:aws:profile:eu-west-1:123456789012:domains/acme",
        "arn:aws:profile:us-east-1:210987654321:domains/acme",
        f"{ARN}/object-types/Orders",
    ],
    ids=["domain", "region", "account", "object-type"],
)
def test_unknown_resources(client: Any, domain: str, arn: str) -> None:
    with not_found(f"Resource {arn} not found"):
        client.list_tags_for_resource(resourceArn=arn)
    with not_found(f"Resource {arn} not found"):
        client.tag_resource(resourceArn=arn, tags={"a": "b"})
    with not_found(f"Resource {arn} not found"):
        client.untag_resource(resourceArn=arn, tagKeys=["a"])


def test_arns_of_other_resources(client: Any, domain: str) -> None:
    arn = f"{ARN}/integrations/x"
    with bad_request(
        f"{arn} is not the ARN of a resource the mock can tag: "
        "arn:aws:profile:<region>:<account>:domains/<name>[/<object-types|event-streams|event-triggers>/<name>]"
    ):
        client.tag_resource(resourceArn=arn, tags={"a": "b"})


def test_event_streams_and_triggers_are_tagged_by_their_arns(client: Any, domain: str) -> None:
    stream_arn = client.create_event_stream(
        DomainName=domain,
        EventStreamName="export",
        Uri="arn:aws:kinesis:us-east-1:123456789012:stream/s",
        Tags={"a": "1"},
    )["EventStreamArn"]
    client.tag_resource(resourceArn=stream_arn, tags={"b": "2"})
    assert client.get_event_stream(DomainName=domain, EventStreamName="export")["Tags"] == {"a": "1", "b": "2"}
    client.put_profile_object_type(DomainName=domain, ObjectTypeName="Calls", Description="calls", TemplateId="CTR")
    client.create_event_trigger(
        DomainName=domain,
        EventTriggerName="long",
        ObjectTypeName="Calls",
        EventTriggerConditions=[
            {
                "EventTriggerDimensions": [
                    {
                        "ObjectAttributes": [
                            {"Source": "_source.Channel", "ComparisonOperator": "EQUAL", "Values": ["1"]}
                        ]
                    }
                ],
                "LogicalOperator": "ANY",
            }
        ],
    )
    trigger_arn = f"{ARN}/event-triggers/long"
    client.tag_resource(resourceArn=trigger_arn, tags={"team": "x"})
    assert client.list_tags_for_resource(resourceArn=trigger_arn)["tags"] == {"team": "x"}
    client.untag_resource(resourceArn=trigger_arn, tagKeys=["team"])
    assert "Tags" not in client.get_event_trigger(DomainName=domain, EventTriggerName="long")
    with not_found(f"Resource {ARN}/event-triggers/other not found"):
        client.list_tags_for_resource(resourceArn=f"{ARN}/event-triggers/other")


def test_tag_keys_are_validated_on_the_server(raw_client: Any, domain: str) -> None:
    with bad_request(
        "1 validation error detected: Value 'aws:reserved' at 'tags' failed to satisfy constraint: "
        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ^(?!aws:)[a-zA-Z+-=._:/]+$]"
    ):
        raw_client.tag_resource(resourceArn=ARN, tags={"aws:reserved": "x"})
