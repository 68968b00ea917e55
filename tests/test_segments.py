"""Segments through boto3: definitions, estimates, snapshots, membership, and the evaluation rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_customer_profiles import CustomerProfilesMock
from mock_customer_profiles._handlers.segments import is_member, segment_definition

Groups = dict[str, Any]


def attr(name: str, op: str, *values: str) -> dict[str, Any]:
    return {"ProfileAttributes": {"Attributes": {name: {"DimensionType": op, "Values": list(values)}}}}


def field(name: str, op: str, *values: str) -> dict[str, Any]:
    return {"ProfileAttributes": {name: {"DimensionType": op, "Values": list(values)}}}


def one_group(*dimensions: dict[str, Any], **group: Any) -> Groups:
    return {"Groups": [{"Dimensions": list(dimensions), **group}]}


def define(client: Any, domain: str, name: str, groups: Groups, **extra: Any) -> dict[str, Any]:
    return dict(
        client.create_segment_definition(
            DomainName=domain, SegmentDefinitionName=name, DisplayName=name.title(), SegmentGroups=groups, **extra
        )
    )


def members(client: Any, domain: str, name: str, ids: list[str]) -> set[str]:
    found = client.get_segment_membership(DomainName=domain, SegmentDefinitionName=name, ProfileIds=ids)
    return {item["ProfileId"] for item in found["Profiles"] if item["QueryResult"] == "PRESENT"}


def error_of(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


# ------------------------------------------------------------------------------------------- definitions


def test_definition_round_trip(client: Any, domain: str) -> None:
    groups = one_group(attr("tier", "INCLUSIVE", "gold"))
    sort = {"Attributes": [{"Name": "FirstName", "Order": "ASC", "DataType": "STRING", "Type": "PROFILE"}]}
    created = define(client, domain, "gold", groups, Description="Gold members", Tags={"team": "crm"}, SegmentSort=sort)
    assert created["SegmentDefinitionArn"] == (
        f"arn:aws:profile:us-east-1:123456789012:domains/{domain}/segment-definitions/gold"
    )
    got = client.get_segment_definition(DomainName=domain, SegmentDefinitionName="gold")
    assert got["SegmentGroups"] == groups
    assert got["SegmentSort"] == sort
    assert got["SegmentType"] == "CLASSIC"
    assert (got["DisplayName"], got["Description"], got["Tags"]) == ("Gold", "Gold members", {"team": "crm"})
    assert got["CreatedAt"] == created["CreatedAt"]
    listed = client.list_segment_definitions(DomainName=domain)["Items"]
    assert [item["SegmentDefinitionName"] for item in listed] == ["gold"]
    assert listed[0]["SegmentType"] == "CLASSIC"
    deleted = client.delete_segment_definition(DomainName=domain, SegmentDefinitionName="gold")
    assert deleted["Message"] == "Segment definition gold deleted"
    code, _ = error_of(lambda: client.get_segment_definition(DomainName=domain, SegmentDefinitionName="gold"))
    assert code == "ResourceNotFoundException"


def test_create_is_idempotent_for_the_same_request_only(client: Any, domain: str) -> None:
    groups = one_group(attr("tier", "INCLUSIVE", "gold"))
    first = define(client, domain, "gold", groups)
    again = define(client, domain, "gold", groups)
    assert again["CreatedAt"] == first["CreatedAt"]
    code, message = error_of(lambda: define(client, domain, "gold", one_group(attr("tier", "INCLUSIVE", "silver"))))
    assert (code, message) == ("BadRequestException", "Segment definition with name gold already exists")


def test_list_pages_in_name_order(client: Any, domain: str) -> None:
    for name in ("c", "a", "b"):
        define(client, domain, name, one_group(attr("tier", "INCLUSIVE", name)))
    first = client.list_segment_definitions(DomainName=domain, MaxResults=2)
    assert [item["SegmentDefinitionName"] for item in first["Items"]] == ["a", "b"]
    rest = client.list_segment_definitions(DomainName=domain, MaxResults=2, NextToken=first["NextToken"])
    assert [item["SegmentDefinitionName"] for item in rest["Items"]] == ["c"]
    assert "NextToken" not in rest


def test_unknown_domain_and_definition(client: Any, domain: str) -> None:
    code, message = error_of(lambda: client.list_segment_definitions(DomainName="nope"))
    assert (code, message) == ("ResourceNotFoundException", "Domain nope not found")
    code, message = error_of(lambda: client.delete_segment_definition(DomainName=domain, SegmentDefinitionName="x"))
    assert (code, message) == ("ResourceNotFoundException", f"Segment definition x not found in domain {domain}")


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ({"Groups": []}, "SegmentGroups.Groups: a segment needs at least one group"),
        (one_group(attr("n", "GREATER_THAN", "1", "2")), "GREATER_THAN takes exactly one value, got 2"),
        (one_group(attr("n", "EQUAL", "ten")), "EQUAL compares numbers, and 'ten' is not a number"),
        (one_group(attr("d", "BETWEEN", "2024-01-01")), "BETWEEN takes exactly two values"),
        (one_group(field("BirthDate", "BEFORE", "01/02/1990")), "'01/02/1990' is not an ISO-8601 date"),
        (one_group({"ProfileAttributes": {}}), "the dimension names no attribute"),
        (one_group({"ProfileAttributes": {"Address": {}}}), "name at least one address part"),
        (one_group({"ProfileAttributes": {"Attributes": {}}}), "name at least one attribute"),
        ({"Groups": [{"SourceSegments": [{"SegmentDefinitionName": "ghost"}]}]}, "ghost does not exist"),
    ],
)
def test_definitions_the_engine_cannot_evaluate_are_refused(
    client: Any, domain: str, groups: Groups, message: str
) -> None:
    code, text = error_of(lambda: define(client, domain, "bad", groups))
    assert code == "BadRequestException"
    assert message in text
    assert client.list_segment_definitions(DomainName=domain)["Items"] == []


def test_at_most_five_source_segments(client: Any, domain: str) -> None:
    for n in range(6):
        define(client, domain, f"s{n}", one_group(attr("tier", "INCLUSIVE", str(n))))
    sources = [{"SegmentDefinitionName": f"s{n}"} for n in range(6)]
    code, message = error_of(lambda: define(client, domain, "big", {"Groups": [{"SourceSegments": sources}]}))
    assert code == "BadRequestException"
    assert "at most 5 source segments, got 6" in message


def test_sql_segments_are_refused_plainly(client: Any, domain: str) -> None:
    code, message = error_of(
        lambda: client.create_segment_definition(
            DomainName=domain, SegmentDefinitionName="sql", DisplayName="SQL", SegmentSqlQuery="SELECT * FROM profiles"
        )
    )
    assert code == "BadRequestException"
    assert "does not run Spark SQL segments" in message
    code, message = error_of(lambda: client.create_segment_estimate(DomainName=domain, SegmentSqlQuery="SELECT 1"))
    assert code == "BadRequestException"
    assert "does not run Spark SQL segments" in message


def test_a_definition_needs_groups(client: Any, domain: str) -> None:
    code, message = error_of(
        lambda: client.create_segment_definition(DomainName=domain, SegmentDefinitionName="x", DisplayName="X")
    )
    assert (code, message) == ("BadRequestException", "A segment definition needs SegmentGroups (or SegmentSqlQuery)")


def test_a_source_segment_cannot_be_deleted_while_used(client: Any, domain: str) -> None:
    define(client, domain, "gold", one_group(attr("tier", "INCLUSIVE", "gold")))
    define(client, domain, "gold_seattle", {"Groups": [{"SourceSegments": [{"SegmentDefinitionName": "gold"}]}]})
    code, message = error_of(lambda: client.delete_segment_definition(DomainName=domain, SegmentDefinitionName="gold"))
    assert code == "BadRequestException"
    assert message == "Segment definition gold is a source segment of gold_seattle: delete those definitions first"
    client.delete_segment_definition(DomainName=domain, SegmentDefinitionName="gold_seattle")
    client.delete_segment_definition(DomainName=domain, SegmentDefinitionName="gold")


# ---------------------------------------------------------------------------------- public functions


def test_lookup_functions_for_other_families(mock: CustomerProfilesMock, client: Any, domain: str) -> None:
    gold = mock.create_profile(domain, Attributes={"tier": "gold"})
    silver = mock.create_profile(domain, Attributes={"tier": "silver"})
    define(client, domain, "gold", one_group(attr("tier", "INCLUSIVE", "gold")))
    backend = mock.service.backend("us-east-1")
    dom = backend.domains[domain]
    definition = segment_definition(dom, "gold")
    assert definition is not None
    assert definition.name == "gold"
    assert segment_definition(dom, "nope") is None
    assert is_member(dom, "gold", dom.profiles[gold])
    assert not is_member(dom, "gold", dom.profiles[silver])
    assert not is_member(dom, "nope", dom.profiles[gold])
