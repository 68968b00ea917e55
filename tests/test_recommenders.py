"""Recommenders through a real boto3 client: configuration, statuses, validation, seeded and default answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_customer_profiles import CustomerProfilesMock


def _domain(client: Any) -> str:
    client.create_domain(DomainName="rec", DefaultExpirationDays=30)
    return "rec"


def _active(client: Any, name: str = "r", recipe: str = "recommended-for-you") -> None:
    client.create_recommender(DomainName="rec", RecommenderName=name, RecommenderRecipeName=recipe)
    statuses = [client.get_recommender(DomainName="rec", RecommenderName=name)["Status"] for _ in range(2)]
    assert statuses == ["PENDING", "ACTIVE"]


def test_statuses_follow_the_lifecycle_create_stop_start_delete(client: Any) -> None:
    d = _domain(client)
    _active(client)
    client.stop_recommender(DomainName=d, RecommenderName="r")
    assert [client.get_recommender(DomainName=d, RecommenderName="r")["Status"] for _ in range(2)] == [
        "STOPPING",
        "INACTIVE",
    ]
    with pytest.raises(ClientError, match="only an ACTIVE"):
        client.stop_recommender(DomainName=d, RecommenderName="r")
    client.start_recommender(DomainName=d, RecommenderName="r")
    assert [client.get_recommender(DomainName=d, RecommenderName="r")["Status"] for _ in range(2)] == [
        "STARTING",
        "ACTIVE",
    ]
    assert client.get_recommender(DomainName=d, RecommenderName="r")["ActiveRecommenderVersionName"].startswith("r/")
    client.delete_recommender(DomainName=d, RecommenderName="r")
    assert client.get_recommender(DomainName=d, RecommenderName="r")["Status"] == "DELETING"
    with pytest.raises(ClientError) as gone:
        client.get_recommender(DomainName=d, RecommenderName="r")
    assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert client.list_recommenders(DomainName=d)["Recommenders"] == []


def test_validation_names_must_exist_and_columns_are_exclusive(client: Any) -> None:
    d = _domain(client)
    with pytest.raises(ClientError, match="schema nope not found"):
        client.create_recommender(
            DomainName=d, RecommenderName="r", RecommenderRecipeName="popular-items", RecommenderSchemaName="nope"
        )
    both = {"IncludedColumns": {"_catalogItem": ["Id"]}, "ExcludedColumns": {"_webAnalytics": ["Price"]}}
    with pytest.raises(ClientError, match="mutually exclusive"):
        client.create_recommender(
            DomainName=d, RecommenderName="r", RecommenderRecipeName="popular-items", RecommenderConfig=both
        )
    with pytest.raises(ClientError, match="must include Id"):
        client.create_recommender(
            DomainName=d,
            RecommenderName="r",
            RecommenderRecipeName="popular-items",
            RecommenderConfig={"IncludedColumns": {"_catalogItem": ["Name"]}},
        )
    with pytest.raises(ClientError, match="one condition"):
        client.create_recommender_filter(
            DomainName=d, RecommenderFilterName="f", RecommenderFilterExpression="SELECT *"
        )
    client.create_recommender_schema(
        DomainName=d, RecommenderSchemaName="s", Fields={"_catalogItem": [{"TargetFieldName": "Category"}]}
    )
    client.create_recommender_filter(
        DomainName=d,
        RecommenderFilterName="f",
        RecommenderFilterExpression='EXCLUDE ItemID WHERE Items.Category IN ("x")',
        RecommenderSchemaName="s",
        Tags={"team": "t"},
    )
    with pytest.raises(ClientError, match="at least one tag"):
        client.create_recommender_filter(
            DomainName=d, RecommenderFilterName="g", RecommenderFilterExpression='EXCLUDE ItemID WHERE Items.Id = "x"'
        )
    with pytest.raises(ClientError, match="used by f"):
        client.delete_recommender_schema(DomainName=d, RecommenderSchemaName="s")
    with pytest.raises(ClientError, match="already exists"):
        client.create_recommender_schema(
            DomainName=d, RecommenderSchemaName="s", Fields={"_catalogItem": [{"TargetFieldName": "Id"}]}
        )
    assert client.delete_recommender_filter(DomainName=d, RecommenderFilterName="f")["Message"]
    client.delete_recommender_schema(DomainName=d, RecommenderSchemaName="s")
    assert client.list_recommender_schemas(DomainName=d)["RecommenderSchemas"] == []


def test_recipes_are_the_documented_six(client: Any) -> None:
    names = [r["name"] for r in client.list_recommender_recipes()["RecommenderRecipes"]]
    assert sorted(names) == sorted(
        [
            "recommended-for-you",
            "similar-items",
            "frequently-paired-items",
            "popular-items",
            "trending-now",
            "personalized-ranking",
        ]
    )


def test_seeded_recommendations_with_a_parameterised_filter(mock: CustomerProfilesMock, client: Any) -> None:
    d = _domain(client)
    _active(client)
    client.create_recommender_filter(
        DomainName=d,
        RecommenderFilterName="cat",
        RecommenderFilterExpression="INCLUDE ItemID WHERE Items.Category IN ($CATS)",
        Tags={"team": "t"},
    )
    profile_id = client.create_profile(DomainName=d, EmailAddress="p@e.com")["ProfileId"]
    items = [
        {"CatalogItem": {"Id": "boot", "Category": "shoes"}, "Score": 0.5},
        {"CatalogItem": {"Id": "hat", "Category": "hats"}, "Score": 0.9},
        {"CatalogItem": {"Id": "sock", "Category": "socks"}, "Score": 0.7},
    ]
    mock.seed_recommendations(d, "r", profile_id, items)
    out = client.get_profile_recommendations(DomainName=d, ProfileId=profile_id, RecommenderName="r")["Recommendations"]
    assert [r["CatalogItem"]["Id"] for r in out] == ["hat", "sock", "boot"]
    filtered = client.get_profile_recommendations(
        DomainName=d,
        ProfileId=profile_id,
        RecommenderName="r",
        RecommenderFilters=[{"Name": "cat", "Values": {"CATS": "shoes,socks"}}],
    )["Recommendations"]
    assert [r["CatalogItem"]["Id"] for r in filtered] == ["sock", "boot"]
    with pytest.raises(ClientError, match=r"\$CATS"):
        client.get_profile_recommendations(
            DomainName=d, ProfileId=profile_id, RecommenderName="r", RecommenderFilters=[{"Name": "cat"}]
        )
    searched = client.search_recommendations(
        DomainName=d, KeyName="_email", KeyValues=["p@e.com"], Recommender={"Name": "r"}, MaxRecommendations=1
    )
    assert searched["ProfileId"] == profile_id
    assert [r["CatalogItem"]["Id"] for r in searched["Recommendations"]] == ["hat"]


def test_default_answer_is_the_most_frequent_items_of_the_domains_objects(
    mock: CustomerProfilesMock, client: Any
) -> None:
    d = _domain(client)
    _active(client)
    client.put_profile_object_type(
        DomainName=d,
        ObjectTypeName="view",
        Description="views",
        AllowProfileCreation=True,
        Fields={
            "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
            "id": {"Source": "_source.id"},
        },
        Keys={
            "email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
            "id": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
        },
    )
    for n, item in enumerate(["a", "b", "b", "c", "b", "a"]):
        client.put_profile_object(
            DomainName=d, ObjectTypeName="view", Object=json.dumps({"id": str(n), "email": "v@e.com", "ItemId": item})
        )
    profile_id = client.search_profiles(DomainName=d, KeyName="_email", Values=["v@e.com"])["Items"][0]["ProfileId"]
    out = client.get_profile_recommendations(DomainName=d, ProfileId=profile_id, RecommenderName="r", MaxResults=2)[
        "Recommendations"
    ]
    assert [(r["CatalogItem"]["Id"], r["Score"]) for r in out] == [("b", 1.0), ("a", round(2 / 3, 4))]


def test_refusals_inactive_ranking_without_candidates_unknown_profile_and_key(client: Any) -> None:
    with CustomerProfilesMock(lifecycle="manual") as cp:
        manual = cp.client()
        manual.create_domain(DomainName="m", DefaultExpirationDays=30)
        manual.create_recommender(DomainName="m", RecommenderName="r", RecommenderRecipeName="personalized-ranking")
        profile_id = manual.create_profile(DomainName="m")["ProfileId"]
        with pytest.raises(ClientError, match="PENDING"):
            manual.get_profile_recommendations(DomainName="m", ProfileId=profile_id, RecommenderName="r")
        cp.settle("Recommender")
        with pytest.raises(ClientError, match="CandidateIds"):
            manual.get_profile_recommendations(DomainName="m", ProfileId=profile_id, RecommenderName="r")
        cp.seed_recommendations("m", "r", profile_id, [{"Id": "x"}, {"Id": "y"}])
        ranked = manual.get_profile_recommendations(
            DomainName="m", ProfileId=profile_id, RecommenderName="r", CandidateIds=["y"]
        )
        assert [r["CatalogItem"]["Id"] for r in ranked["Recommendations"]] == ["y"]
        with pytest.raises(ClientError) as missing:
            manual.search_recommendations(
                DomainName="m", KeyName="_email", KeyValues=["none"], Recommender={"Name": "r"}
            )
        assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
        with pytest.raises(ValueError, match="no recommender"):
            cp.seed_recommendations("m", "zz", profile_id, [])


def test_update_trains_a_new_version_and_can_roll_back(client: Any) -> None:
    d = _domain(client)
    _active(client)
    first = client.get_recommender(DomainName=d, RecommenderName="r")["ActiveRecommenderVersionName"]
    client.update_recommender(
        DomainName=d, RecommenderName="r", RecommenderConfig={"TrainingFrequency": 3}, Description="d"
    )
    got = client.get_recommender(DomainName=d, RecommenderName="r")
    assert got["LatestRecommenderUpdate"]["Status"] == "IN_PROGRESS"
    assert got["Description"] == "d"
    got = client.get_recommender(DomainName=d, RecommenderName="r")
    assert got["LatestRecommenderUpdate"]["Status"] == "ACTIVE"
    assert got["RecommenderConfig"] == {"TrainingFrequency": 3}
    client.update_recommender(DomainName=d, RecommenderName="r", RecommenderVersionName=first)
    assert client.get_recommender(DomainName=d, RecommenderName="r")["ActiveRecommenderVersionName"] == first
    with pytest.raises(ClientError, match="no version"):
        client.update_recommender(DomainName=d, RecommenderName="r", RecommenderVersionName="r/2000-01-01T00-00-00Z")
