"""Segments through boto3: definitions, estimates, snapshots, membership, and the evaluation rules."""

from __future__ import annotations

import base64
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

import pyarrow
import pytest
from botocore.exceptions import ClientError
from model_support import modelled, needs
from pyarrow import orc

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles
from mock_customer_profiles._handlers.segments import is_member, segment_definition
from mock_customer_profiles._server import effects_document

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
        ({"Groups": [{"SourceSegments": [{}]}]}, "each source segment needs a SegmentDefinitionName"),
        (one_group(field("BirthDate", "ON", "2024-02-30")), "'2024-02-30' is not an ISO-8601 date"),
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


# ------------------------------------------------------------------------------------------- evaluation


@pytest.fixture
def people(mock: CustomerProfilesMock, domain: str) -> dict[str, str]:
    """Four profiles with the attributes the evaluation tests select on."""
    return {
        "ana": mock.create_profile(
            domain,
            FirstName="Ana",
            LastName="Silva",
            EmailAddress="ana@example.com",
            BirthDate="1990-04-12",
            **modelled("CreateProfile", {"ProfileType": "PROFILE"}),  # newer than botocore 1.34
            Address={"City": "Seattle", "State": "WA"},
            Attributes={"tier": "gold", "spend": "120.5", "tags": '["vip", "beta"]', "since": "2020-01-15T10:00:00Z"},
        ),
        "bo": mock.create_profile(
            domain,
            FirstName="Bo",
            EmailAddress="bo@example.org",
            BirthDate="1985-12-01",
            **modelled("CreateProfile", {"ProfileType": "ACCOUNT_PROFILE"}),
            Address={"City": "Boston", "State": "MA"},
            Attributes={"tier": "silver", "spend": "20", "tags": "beta, news", "since": "2022-06-30"},
        ),
        "cy": mock.create_profile(
            domain,
            FirstName="Cy",
            LastName="Ana",
            BirthDate="12/01/1985",
            ShippingAddress={"City": "Seattle"},
            Attributes={"tier": "gold", "spend": "n/a"},
        ),
        "di": mock.create_profile(domain, BusinessName="Acme", Attributes={"mirror": "Acme", "broken": "[vip, x"}),
    }


def _select(client: Any, domain: str, people: dict[str, str], groups: Groups) -> set[str]:
    """The people a segment selects, by GetSegmentMembership (one profile at a time), checked against an
    estimate and a snapshot of the same groups (the whole domain at once, from the field index)."""
    define(client, domain, "probe", groups)
    try:
        found = members(client, domain, "probe", list(people.values()))
        estimate = client.create_segment_estimate(DomainName=domain, SegmentQuery=groups)["EstimateId"]
        client.get_segment_estimate(DomainName=domain, EstimateId=estimate)
        count = client.get_segment_estimate(DomainName=domain, EstimateId=estimate)["Estimate"]
        assert count == str(len(found)), f"the estimate counts {count}, membership finds {len(found)}"
    finally:
        client.delete_segment_definition(DomainName=domain, SegmentDefinitionName="probe")
    names = {pid: name for name, pid in people.items()}
    return {names[pid] for pid in found}


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        (field("FirstName", "INCLUSIVE", "Ana", "Bo"), {"ana", "bo"}),
        (field("FirstName", "INCLUSIVE", "ana"), set()),  # case-sensitive
        (field("FirstName", "EXCLUSIVE", "Ana"), {"bo", "cy"}),  # di has no FirstName: EXCLUSIVE needs a value
        (field("EmailAddress", "ENDS_WITH", ".org"), {"bo"}),
        (field("EmailAddress", "BEGINS_WITH", "an", "cy"), {"ana"}),
        (field("LastName", "CONTAINS", "il"), {"ana"}),
        ({"ProfileAttributes": {"Address": {"City": {"DimensionType": "INCLUSIVE", "Values": ["Seattle"]}}}}, {"ana"}),
        (
            {"ProfileAttributes": {"ShippingAddress": {"City": {"DimensionType": "INCLUSIVE", "Values": ["Seattle"]}}}},
            {"cy"},
        ),
        (
            {
                "ProfileAttributes": {
                    "Address": {
                        "City": {"DimensionType": "BEGINS_WITH", "Values": ["B", "S"]},
                        "State": {"DimensionType": "INCLUSIVE", "Values": ["WA"]},
                    }
                }
            },
            {"ana"},
        ),
        (field("BirthDate", "BEFORE", "1989-01-01"), {"bo"}),  # cy's "12/01/1985" is no ISO date: never matches
        (field("BirthDate", "AFTER", "1989-01-01"), {"ana"}),
        (field("BirthDate", "ON", "1990-04-12"), {"ana"}),
        (field("BirthDate", "BETWEEN", "1980-01-01", "1986-01-01"), {"bo"}),
        (field("BirthDate", "NOT_BETWEEN", "1980-01-01", "1986-01-01"), {"ana"}),
        pytest.param(
            field("ProfileType", "INCLUSIVE", "ACCOUNT_PROFILE"), {"bo"}, marks=needs("CreateProfile", "ProfileType")
        ),
        pytest.param(
            field("ProfileType", "EXCLUSIVE", "ACCOUNT_PROFILE"), {"ana"}, marks=needs("CreateProfile", "ProfileType")
        ),
        (attr("spend", "GREATER_THAN", "100"), {"ana"}),
        (attr("spend", "LESS_THAN_OR_EQUAL", "20"), {"bo"}),
        (attr("spend", "EQUAL", "20.0"), {"bo"}),
        (attr("spend", "GREATER_THAN_OR_EQUAL", "0"), {"ana", "bo"}),  # "n/a" is no number
        (attr("spend", "LESS_THAN", "1e3"), {"ana", "bo"}),
        (attr("since", "BEFORE", "2021-01-01"), {"ana"}),
        (attr("since", "ON", "2022-06-30"), {"bo"}),
        (attr("tags", "LIST_CONTAINS", "vip", "news"), {"ana", "bo"}),
        (attr("tags", "LIST_CONTAINS_ALL", "beta", "news"), {"bo"}),
        (attr("spend", "LIST_CONTAINS", "n/a"), {"cy"}),  # not a JSON array: comma-separated items
        (attr("broken", "LIST_CONTAINS", "[vip"), {"di"}),  # "[vip, x" is no JSON: comma-separated
        (attr("broken", "LIST_CONTAINS", "x"), {"di"}),
        (attr("tier", "INCLUSIVE", "gold"), {"ana", "cy"}),
        (attr("mirror", "INCLUSIVE", "{{_profile.BusinessName}}"), {"di"}),
        (field("LastName", "INCLUSIVE", "{{_profile.FirstName}}"), set()),
        (field("FirstName", "CONTAINS", "{{_profile.Attributes.missing}}"), set()),
        (field("LastName", "EXCLUSIVE", "{{_profile.FirstName}}"), {"ana", "cy"}),
    ],
)
def test_dimension_types(
    client: Any, domain: str, people: dict[str, str], dimension: dict[str, Any], expected: set[str]
) -> None:
    assert _select(client, domain, people, one_group(dimension)) == expected


def test_one_dimension_ands_its_attributes(client: Any, domain: str, people: dict[str, str]) -> None:
    dimension = {
        "ProfileAttributes": {
            "FirstName": {"DimensionType": "BEGINS_WITH", "Values": ["A", "B"]},
            "Attributes": {"tier": {"DimensionType": "INCLUSIVE", "Values": ["gold"]}},
        }
    }
    assert _select(client, domain, people, one_group(dimension)) == {"ana"}


@pytest.mark.parametrize(
    ("group_type", "expected"),
    [("ALL", {"ana"}), ("ANY", {"ana", "bo", "cy"}), ("NONE", {"di"})],
)
def test_group_type_combines_dimensions(
    client: Any, domain: str, people: dict[str, str], group_type: str, expected: set[str]
) -> None:
    groups = one_group(attr("tier", "INCLUSIVE", "gold"), field("BirthDate", "AFTER", "1980-01-01"), Type=group_type)
    assert _select(client, domain, people, groups) == expected


@pytest.mark.parametrize(
    ("include", "expected"),
    [(None, {"ana"}), ("ALL", {"ana"}), ("ANY", {"ana", "bo", "cy"}), ("NONE", {"di"})],
)
def test_include_combines_groups(
    client: Any, domain: str, people: dict[str, str], include: str | None, expected: set[str]
) -> None:
    groups: Groups = {
        "Groups": [
            {"Dimensions": [attr("tier", "INCLUSIVE", "gold")]},
            {"Dimensions": [field("BirthDate", "AFTER", "1980-01-01")]},
        ]
    }
    if include is not None:
        groups["Include"] = include
    assert _select(client, domain, people, groups) == expected


@pytest.mark.parametrize(
    ("source_type", "expected"),
    [(None, {"ana", "bo", "cy"}), ("ANY", {"ana", "bo", "cy"}), ("ALL", {"ana"}), ("NONE", {"di"})],
)
def test_source_segments(
    client: Any, domain: str, people: dict[str, str], source_type: str | None, expected: set[str]
) -> None:
    define(client, domain, "gold", one_group(attr("tier", "INCLUSIVE", "gold")))
    define(client, domain, "born", one_group(field("BirthDate", "AFTER", "1980-01-01")))
    group: dict[str, Any] = {"SourceSegments": [{"SegmentDefinitionName": "gold"}, {"SegmentDefinitionName": "born"}]}
    if source_type is not None:
        group["SourceType"] = source_type
    assert _select(client, domain, people, {"Groups": [group]}) == expected
    # a source narrows the dimensions of its group
    group["Dimensions"] = [field("FirstName", "INCLUSIVE", "Ana", "Di")]
    assert _select(client, domain, people, {"Groups": [group]}) == expected & {"ana"}
    # the same source in two groups
    gold_only = {"SourceSegments": [{"SegmentDefinitionName": "gold"}]}
    assert _select(client, domain, people, {"Groups": [gold_only, gold_only], "Include": "ALL"}) == {"ana", "cy"}


def test_a_group_without_dimensions_or_sources_is_the_whole_domain(
    client: Any, domain: str, people: dict[str, str]
) -> None:
    assert _select(client, domain, people, {"Groups": [{}]}) == set(people)
    assert _select(client, domain, people, {"Groups": [{"Type": "NONE"}]}) == set(people)
    assert _select(client, domain, people, {"Groups": [{"Type": "ANY"}], "Include": "NONE"}) == set()


def test_membership_follows_profile_changes(
    mock: CustomerProfilesMock, client: Any, domain: str, people: dict[str, str]
) -> None:
    define(client, domain, "gold", one_group(attr("tier", "INCLUSIVE", "gold")))
    ids = list(people.values())
    assert members(client, domain, "gold", ids) == {people["ana"], people["cy"]}  # builds the index
    client.update_profile(DomainName=domain, ProfileId=people["bo"], Attributes={"tier": "gold"})
    client.update_profile(DomainName=domain, ProfileId=people["ana"], Attributes={"tier": ""})
    client.delete_profile(DomainName=domain, ProfileId=people["cy"])
    new = mock.create_profile(domain, Attributes={"tier": "gold"})
    assert members(client, domain, "gold", [*ids, new]) == {people["bo"], new}
    client.merge_profiles(DomainName=domain, MainProfileId=people["di"], ProfileIdsToBeMerged=[new])
    estimate = client.create_segment_estimate(
        DomainName=domain, SegmentQuery=one_group(attr("tier", "INCLUSIVE", "gold"))
    )
    mock.settle("SegmentEstimate")
    got = client.get_segment_estimate(DomainName=domain, EstimateId=estimate["EstimateId"])
    merged = client.batch_get_profile(DomainName=domain, ProfileIds=[people["di"]])["Profiles"][0]
    assert merged["Attributes"]["tier"] == "gold"  # di took the tier of the profile merged into it
    assert got["Estimate"] == "2"  # bo and di; the merged-away profile is gone


# ---------------------------------------------------------------------------------------- estimates


def test_estimate_polls_like_the_service(client: Any, domain: str, people: dict[str, str]) -> None:
    created = client.create_segment_estimate(
        DomainName=domain, SegmentQuery=one_group(attr("tier", "INCLUSIVE", "gold"))
    )
    assert created["StatusCode"] == 200
    assert created["DomainName"] == domain
    first = client.get_segment_estimate(DomainName=domain, EstimateId=created["EstimateId"])
    assert (first["Status"], "Estimate" in first, first["StatusCode"]) == ("RUNNING", False, 200)
    second = client.get_segment_estimate(DomainName=domain, EstimateId=created["EstimateId"])
    assert (second["Status"], second["Estimate"]) == ("SUCCEEDED", "2")
    assert isinstance(second["StatusCode"], int)


def test_estimate_failure_and_unknown_id(mock: CustomerProfilesMock, client: Any, domain: str) -> None:
    mock.fail_next("SegmentEstimate", "Query timed out")
    created = client.create_segment_estimate(DomainName=domain, SegmentQuery={"Groups": [{}]})
    mock.settle()
    failed = client.get_segment_estimate(DomainName=domain, EstimateId=created["EstimateId"])
    assert (failed["Status"], failed["Message"], "Estimate" in failed) == ("FAILED", "Query timed out", False)
    code, _ = error_of(lambda: client.get_segment_estimate(DomainName=domain, EstimateId="nope"))
    assert code == "ResourceNotFoundException"
    code, message = error_of(lambda: client.create_segment_estimate(DomainName=domain))
    assert (code, message) == ("BadRequestException", "A segment estimate needs a SegmentQuery (or SegmentSqlQuery)")


def test_estimate_manual_lifecycle() -> None:
    with mock_customer_profiles(lifecycle="manual") as cp:
        cp.create_domain("acme")
        cp.create_profile("acme", FirstName="Ana")
        client = cp.client()
        created = client.create_segment_estimate(DomainName="acme", SegmentQuery={"Groups": [{}]})
        for _ in range(3):
            assert (
                client.get_segment_estimate(DomainName="acme", EstimateId=created["EstimateId"])["Status"] == "RUNNING"
            )
        assert cp.settle("SegmentEstimate") == 1
        done = client.get_segment_estimate(DomainName="acme", EstimateId=created["EstimateId"])
        assert (done["Status"], done["Estimate"]) == ("SUCCEEDED", "1")


# ---------------------------------------------------------------------------------------- snapshots


@pytest.mark.parametrize("data_format", ["CSV", "JSONL", "ORC"])
def test_snapshot_records_its_profiles(
    mock: CustomerProfilesMock, client: Any, domain: str, people: dict[str, str], data_format: str
) -> None:
    define(client, domain, "gold", one_group(attr("tier", "INCLUSIVE", "gold")))
    created = client.create_segment_snapshot(
        DomainName=domain,
        SegmentDefinitionName="gold",
        DataFormat=data_format,
        DestinationUri="s3://exports/gold/",
        RoleArn="arn:aws:iam::123456789012:role/export",
        EncryptionKey="arn:aws:kms:us-east-1:123456789012:key/abc",
    )
    snapshot_id = created["SnapshotId"]
    ask = {"DomainName": domain, "SegmentDefinitionName": "gold", "SnapshotId": snapshot_id}
    assert client.get_segment_snapshot(**ask)["Status"] == "IN_PROGRESS"
    assert mock.segment_snapshots == []
    done = client.get_segment_snapshot(**ask)
    assert done["Status"] == "COMPLETED"
    assert (done["DataFormat"], done["DestinationUri"]) == (data_format, "s3://exports/gold/")
    assert done["RoleArn"] == "arn:aws:iam::123456789012:role/export"
    [snapshot] = mock.segment_snapshots
    assert snapshot == mock.effects("SegmentSnapshot")[0]
    served = json.loads(json.dumps(effects_document(mock.service, "SegmentSnapshot")))  # GET /_mock/effects
    assert served["SegmentSnapshot"][0]["snapshot_id"] == snapshot_id
    if isinstance(snapshot.content, bytes):  # ORC: the file in base64, as an uploaded file is served
        assert base64.b64decode(served["SegmentSnapshot"][0]["content"]) == snapshot.content
    assert snapshot.snapshot_id == snapshot_id
    assert snapshot.profile_ids == [people["ana"], people["cy"]]
    assert snapshot.profiles[0]["FirstName"] == "Ana"
    if data_format == "CSV":
        assert snapshot.content is not None
        header, *rows = snapshot.content.splitlines()
        assert header.split(",")[0] == "ProfileId"
        assert "Attributes.tier" in header.split(",")
        assert [row.split(",")[0] for row in rows] == snapshot.profile_ids
    elif data_format == "JSONL":
        assert snapshot.content is not None
        assert [json.loads(line)["ProfileId"] for line in snapshot.content.splitlines()] == snapshot.profile_ids
    else:  # ORC, read back as a consumer of the export would
        assert isinstance(snapshot.content, bytes)
        table = orc.read_table(pyarrow.BufferReader(snapshot.content))
        assert table.column_names[0] == "ProfileId"
        assert table.column("ProfileId").to_pylist() == snapshot.profile_ids
        assert table.column("Attributes.tier").to_pylist() == ["gold", "gold"]
        assert table.column("FirstName").to_pylist()[0] == "Ana"


def test_an_orc_snapshot_without_pyarrow_keeps_its_profiles_only(
    mock: CustomerProfilesMock, client: Any, domain: str, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow writes ORC (the ``orc`` extra); without it the snapshot completes with ``content`` None."""
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    define(client, domain, "gold", one_group(attr("tier", "INCLUSIVE", "gold")))
    created = client.create_segment_snapshot(
        DomainName=domain, SegmentDefinitionName="gold", DataFormat="ORC", DestinationUri="s3://exports/gold/"
    )
    snapshot_id = created["SnapshotId"]
    mock.settle("SegmentSnapshot")
    ask = {"DomainName": domain, "SegmentDefinitionName": "gold", "SnapshotId": snapshot_id}
    assert client.get_segment_snapshot(**ask)["Status"] == "COMPLETED"
    [snapshot] = mock.segment_snapshots
    assert snapshot.content is None
    assert snapshot.profile_ids == [people["ana"], people["cy"]]


def test_snapshot_errors_and_failure(mock: CustomerProfilesMock, client: Any, domain: str) -> None:
    define(client, domain, "all", {"Groups": [{}]})
    code, message = error_of(
        lambda: client.create_segment_snapshot(DomainName=domain, SegmentDefinitionName="all", DataFormat="CSV")
    )
    assert code == "BadRequestException"
    assert message.startswith("DestinationUri must be provided")
    code, _ = error_of(
        lambda: client.create_segment_snapshot(
            DomainName=domain, SegmentDefinitionName="none", DataFormat="CSV", DestinationUri="s3://b"
        )
    )
    assert code == "ResourceNotFoundException"
    mock.fail_next("SegmentSnapshot", "Access denied to s3://b")
    snapshot_id = client.create_segment_snapshot(
        DomainName=domain, SegmentDefinitionName="all", DataFormat="CSV", DestinationUri="s3://b"
    )["SnapshotId"]
    mock.settle()
    failed = client.get_segment_snapshot(DomainName=domain, SegmentDefinitionName="all", SnapshotId=snapshot_id)
    assert (failed["Status"], failed["StatusMessage"]) == ("FAILED", "Access denied to s3://b")
    assert mock.segment_snapshots == []
    define(client, domain, "other", {"Groups": [{}]})
    code, _ = error_of(
        lambda: client.get_segment_snapshot(DomainName=domain, SegmentDefinitionName="other", SnapshotId=snapshot_id)
    )
    assert code == "ResourceNotFoundException"


def test_deleting_a_definition_drops_its_unfinished_snapshots(
    mock: CustomerProfilesMock, client: Any, domain: str
) -> None:
    define(client, domain, "all", {"Groups": [{}]})
    client.create_segment_snapshot(
        DomainName=domain, SegmentDefinitionName="all", DataFormat="CSV", DestinationUri="s3://b"
    )
    define(client, domain, "kept", {"Groups": [{}]})
    client.create_segment_snapshot(
        DomainName=domain, SegmentDefinitionName="kept", DataFormat="CSV", DestinationUri="s3://b"
    )
    client.delete_segment_definition(DomainName=domain, SegmentDefinitionName="all")
    assert mock.settle() == 1
    assert [snapshot.segment_definition_name for snapshot in mock.segment_snapshots] == ["kept"]


# --------------------------------------------------------------------------------------- membership


def test_membership_answers_each_id(client: Any, domain: str, people: dict[str, str]) -> None:
    define(client, domain, "gold", one_group(attr("tier", "INCLUSIVE", "gold")))
    unknown = "f" * 32
    found = client.get_segment_membership(
        DomainName=domain, SegmentDefinitionName="gold", ProfileIds=[people["ana"], people["bo"], unknown]
    )
    assert found["SegmentDefinitionName"] == "gold"
    assert [(item["ProfileId"], item["QueryResult"]) for item in found["Profiles"]] == [
        (people["ana"], "PRESENT"),
        (people["bo"], "ABSENT"),
    ]
    assert found["Profiles"][0]["Profile"]["FirstName"] == "Ana"
    assert "Profile" not in found["Profiles"][1]
    assert found["Failures"] == [{"ProfileId": unknown, "Message": "Profile not found", "Status": 404}]
    assert found["LastComputedAt"].year >= 2024


# ------------------------------------------------------------------------------- calculated attributes


@pytest.fixture
def spend(client: Any, domain: str) -> Callable[..., str]:
    """An Order type, the calculated attribute ``spend`` (sum of prices over the last 30 days by the
    order's date) and ``put(email, price, days_ago) -> profile id``."""
    client.put_profile_object_type(
        DomainName=domain,
        ObjectTypeName="Order",
        Description="Orders",
        AllowProfileCreation=True,
        Fields={
            "orderNo": {"Source": "_source.orderNo"},
            "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
            "price": {"Source": "_source.price"},
            "placed": {"Source": "_source.placed"},
        },
        Keys={
            "orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderNo"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )
    client.create_calculated_attribute_definition(
        DomainName=domain,
        CalculatedAttributeName="spend",
        AttributeDetails={"Attributes": [{"Name": "price"}], "Expression": "{Order.price}"},
        Statistic="SUM",
        Conditions={
            "Range": {"Value": 30, "Unit": "DAYS", "TimestampSource": "{Order.placed}", "TimestampFormat": "ISO_8601"}
        },
    )
    today = dt.datetime.now(dt.timezone.utc)
    count = iter(range(1000))

    def put(email: str, price: int, days_ago: int) -> str:
        placed = (today - dt.timedelta(days=days_ago)).isoformat()
        order = {"orderNo": f"O{next(count)}", "email": email, "price": price, "placed": placed}
        client.put_profile_object(DomainName=domain, ObjectTypeName="Order", Object=json.dumps(order))
        return str(client.search_profiles(DomainName=domain, KeyName="_email", Values=[email])["Items"][0]["ProfileId"])

    return put


def calc(name: str, op: str, *values: str, **overrides: Any) -> dict[str, Any]:
    condition: dict[str, Any] = {"DimensionType": op, "Values": list(values)}
    if overrides:
        condition["ConditionOverrides"] = {"Range": {"Unit": "DAYS", **overrides}}
    return {"CalculatedAttributes": {name: condition}}


def test_calculated_attribute_dimension(client: Any, domain: str, spend: Callable[..., str]) -> None:
    ana = spend("ana@x.com", 60, 2)
    spend("ana@x.com", 500, 100)  # outside the definition's 30 days
    bo = spend("bo@x.com", 40, 5)
    ids = [ana, bo]
    define(client, domain, "big", one_group(calc("spend", "GREATER_THAN", "50")))
    assert members(client, domain, "big", ids) == {ana}
    define(client, domain, "big_year", one_group(calc("spend", "GREATER_THAN", "100", Start=365)))
    assert members(client, domain, "big_year", ids) == {ana}  # 560 over the year
    define(client, domain, "old", one_group(calc("spend", "EQUAL", "500", Start=365, End=30)))
    assert members(client, domain, "old", ids) == {ana}
    spend("bo@x.com", 20, 1)  # an object changes the calculated value: membership follows
    assert members(client, domain, "big", ids) == {ana, bo}


def test_calculated_attribute_as_dynamic_value(
    mock: CustomerProfilesMock, client: Any, domain: str, spend: Callable[..., str]
) -> None:
    ana = spend("ana@x.com", 60, 2)
    client.update_profile(DomainName=domain, ProfileId=ana, Attributes={"budget": "60"})
    bo = spend("bo@x.com", 40, 5)
    client.update_profile(DomainName=domain, ProfileId=bo, Attributes={"budget": "50"})
    plain = mock.create_profile(domain, Attributes={"budget": "50"})  # no orders: no value to compare with
    define(client, domain, "on_budget", one_group(attr("budget", "EQUAL", "{{_calculated_attribute.spend}}")))
    assert members(client, domain, "on_budget", [ana, bo, plain]) == {ana}


def test_calculated_attribute_dimension_errors(client: Any, domain: str, spend: Callable[..., str]) -> None:
    code, message = error_of(lambda: define(client, domain, "x", one_group(calc("nope", "EQUAL", "1"))))
    assert code == "BadRequestException"
    assert message.endswith("CalculatedAttributes: calculated attribute definition nope does not exist")
    code, message = error_of(
        lambda: define(client, domain, "x", one_group(calc("spend", "EQUAL", "1", Start=1, End=5)))
    )
    assert code == "BadRequestException"
    assert message.endswith("ConditionOverrides Range Start (1) must not be less than End (5)")
    ana = spend("ana@x.com", 60, 2)
    define(client, domain, "big", one_group(calc("spend", "GREATER_THAN", "50")))
    client.delete_calculated_attribute_definition(DomainName=domain, CalculatedAttributeName="spend")
    assert members(client, domain, "big", [ana]) == set()  # no definition, no value


# ------------------------------------------------------------------------------------------- seeding


def test_seed_documents_declare_segment_definitions() -> None:
    gold = one_group(attr("tier", "INCLUSIVE", "gold"))
    document = {
        "domains": [
            {
                "DomainName": "acme",
                "segmentDefinitions": [
                    {"SegmentDefinitionName": "gold", "DisplayName": "Gold", "SegmentGroups": gold},
                    {
                        "SegmentDefinitionName": "not_gold",
                        "DisplayName": "Not gold",
                        "SegmentGroups": {
                            "Groups": [{"SourceSegments": [{"SegmentDefinitionName": "gold"}]}],
                            "Include": "NONE",
                        },
                    },
                ],
                "profiles": [{"FirstName": "Ana", "Attributes": {"tier": "gold"}}, {"FirstName": "Bo"}],
            }
        ]
    }
    with mock_customer_profiles(seed=document) as cp:
        client = cp.client()
        found = client.search_profiles(DomainName="acme", KeyName="_fullName", Values=["Ana", "Bo"])["Items"]
        ana, bo = (item["ProfileId"] for item in found)
        assert members(client, "acme", "gold", [ana, bo]) == {ana}
        assert members(client, "acme", "not_gold", [ana, bo]) == {bo}


def test_a_seed_list_whose_operation_the_model_lacks_names_its_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the installed model has no segment operations (botocore 1.34), a seed document's
    segmentDefinitions are refused with a SeedError naming each entry, not botocore's OperationNotFoundError.
    The newest model has them: the test takes CreateSegmentDefinition away from what the seed loader sees."""
    import botocore

    from mock_customer_profiles import _seed
    from mock_customer_profiles._model import operation_names

    older = tuple(name for name in operation_names() if name != "CreateSegmentDefinition")
    monkeypatch.setattr(_seed, "operation_names", lambda: older)
    gold = {"SegmentDefinitionName": "gold", "DisplayName": "Gold", "SegmentGroups": one_group(attr("t", "EQUAL", "1"))}
    document = {
        "domains": [{"DomainName": "acme", "segmentDefinitions": [gold, {**gold, "SegmentDefinitionName": "x"}]}]
    }
    with pytest.raises(_seed.SeedError) as caught:
        mock_customer_profiles(seed=document)
    lacking = f"botocore {botocore.__version__} has no CreateSegmentDefinition in its service model"
    assert str(caught.value).splitlines()[1:] == [
        f"- domains[0].segmentDefinitions[{n}]: {lacking}: the seed list segmentDefinitions needs a newer botocore"
        for n in (0, 1)
    ]


@needs("CreateSegmentDefinition")
def test_a_bad_seeded_segment_definition_names_its_entry() -> None:
    from mock_customer_profiles._seed import SeedError

    document = {
        "domains": [
            {
                "DomainName": "acme",
                "segmentDefinitions": [
                    {"SegmentDefinitionName": "x", "DisplayName": "X", "SegmentGroups": {"Groups": []}},
                ],
            }
        ]
    }
    with mock_customer_profiles() as cp, pytest.raises(SeedError) as caught:
        cp.load(document)
    assert "CreateSegmentDefinition rejected domains[0].segmentDefinitions[0]" in str(caught.value)
    assert "SegmentGroups.Groups: a segment needs at least one group" in str(caught.value)
    unnamed = {"domains": [{"DomainName": "acme", "segmentDefinitions": [{"DisplayName": "X"}]}]}
    with pytest.raises(SeedError) as caught:
        mock_customer_profiles(seed=unnamed)
    assert "domains[0].segmentDefinitions[0].SegmentDefinitionName" in str(caught.value)


def test_snapshot_follows_segment_sort(
    mock: CustomerProfilesMock, client: Any, domain: str, spend: Callable[..., str]
) -> None:
    ana = spend("ana@x.com", 10, 1)
    bo = spend("bo@x.com", 30, 1)
    cy = mock.create_profile(domain, FirstName="Cy", Attributes={"since": "2020-01-01"})  # no spend
    di = spend("di@x.com", 30, 1)
    for pid, name, since in ((ana, "Ana", "2021-05-01"), (bo, "Bo", "2019-01-01"), (di, "Di", "2022-01-01")):
        client.update_profile(DomainName=domain, ProfileId=pid, FirstName=name, Attributes={"since": since})
    sort = {
        "Attributes": [
            {"Name": "spend", "Type": "CALCULATED", "DataType": "NUMBER", "Order": "DESC"},
            {"Name": "Attributes.since", "Type": "PROFILE", "DataType": "DATE", "Order": "ASC"},
        ]
    }
    define(client, domain, "all", {"Groups": [{}]}, SegmentSort=sort)
    client.create_segment_snapshot(
        DomainName=domain, SegmentDefinitionName="all", DataFormat="JSONL", DestinationUri="s3://b"
    )
    mock.settle()
    assert mock.segment_snapshots[0].profile_ids == [bo, di, ana, cy]  # 30 (2019, 2022), 10, then no spend
    by_name = {"Attributes": [{"Name": "FirstName", "Order": "DESC"}]}
    define(client, domain, "by_name", {"Groups": [{}]}, SegmentSort=by_name)
    client.create_segment_snapshot(
        DomainName=domain, SegmentDefinitionName="by_name", DataFormat="CSV", DestinationUri="s3://b"
    )
    mock.settle()
    assert mock.segment_snapshots[1].profile_ids == [di, cy, bo, ana]
    bad = {"Attributes": [{"Name": "nope", "Type": "CALCULATED", "Order": "ASC"}]}
    code, message = error_of(lambda: define(client, domain, "bad", {"Groups": [{}]}, SegmentSort=bad))
    assert (code, message) == (
        "BadRequestException",
        "SegmentSort.Attributes[0]: calculated attribute definition nope does not exist",
    )


def test_a_snapshot_of_a_deleted_domain_exports_nothing(mock: CustomerProfilesMock, client: Any, domain: str) -> None:
    define(client, domain, "all", {"Groups": [{}]})
    client.create_segment_snapshot(
        DomainName=domain, SegmentDefinitionName="all", DataFormat="CSV", DestinationUri="s3://b"
    )
    client.delete_domain(DomainName=domain)
    assert mock.settle() == 1
    assert mock.segment_snapshots == []
