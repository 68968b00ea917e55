"""Identity resolution through a real boto3 client: rule-based matching, ML jobs, seeded matches, auto-merging."""

from __future__ import annotations

import random
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_customer_profiles import CustomerProfilesMock

RULES = {
    "Enabled": True,
    "MatchingRules": [{"Rule": ["EmailAddress"]}, {"Rule": ["FirstName", "LastName", "Address.City"]}],
}


def _domain(client: Any, name: str = "ir", **settings: Any) -> str:
    client.create_domain(DomainName=name, DefaultExpirationDays=30, **settings)
    return name


def test_rule_based_matches_group_normalised_values_and_name_the_rule_level(client: Any) -> None:
    d = _domain(client, RuleBasedMatching=RULES)
    a = client.create_profile(DomainName=d, EmailAddress="Ann@Example.com")["ProfileId"]
    b = client.create_profile(DomainName=d, EmailAddress=" ann@example.COM ")["ProfileId"]
    c = client.create_profile(DomainName=d, FirstName="Bo", LastName="Li", Address={"City": "Oslo"})["ProfileId"]
    e = client.create_profile(DomainName=d, FirstName="bo", LastName="LI", Address={"City": "oslo"})["ProfileId"]
    client.create_profile(DomainName=d, FirstName="Bo", LastName="Li")  # no city: no match at level 2
    ids = client.list_rule_based_matches(DomainName=d)["MatchIds"]
    assert len(ids) == 2
    first = client.get_similar_profiles(
        DomainName=d, MatchType="RULE_BASED_MATCHING", SearchKey="_profileId", SearchValue=a
    )
    assert sorted(first["ProfileIds"]) == sorted([a, b])
    assert first["RuleLevel"] == 1
    second = client.get_similar_profiles(
        DomainName=d,
        MatchType="RULE_BASED_MATCHING",
        SearchKey="_matchId",
        SearchValue=next(i for i in ids if i != first["MatchId"]),
    )
    assert sorted(second["ProfileIds"]) == sorted([c, e])
    assert second["RuleLevel"] == 2
    assert client.list_rule_based_matches(DomainName=d)["MatchIds"] == ids  # the same every run


def test_rule_based_status_moves_through_the_lifecycle(client: Any) -> None:
    created = client.create_domain(DomainName="s", DefaultExpirationDays=30, RuleBasedMatching=RULES)
    assert created["RuleBasedMatching"]["Status"] == "IN_PROGRESS"  # a new domain skips PENDING
    assert client.get_domain(DomainName="s")["RuleBasedMatching"]["Status"] == "ACTIVE"
    updated = client.update_domain(DomainName="s", RuleBasedMatching={**RULES, "MaxAllowedRuleLevelForMatching": 1})
    assert updated["RuleBasedMatching"]["Status"] == "PENDING"


def test_rule_based_configuration_cannot_change_while_in_progress() -> None:
    with CustomerProfilesMock(lifecycle="manual") as cp:
        client = cp.client()
        client.create_domain(DomainName="m", DefaultExpirationDays=30, RuleBasedMatching=RULES)
        with pytest.raises(ClientError, match="IN_PROGRESS"):
            client.update_domain(DomainName="m", RuleBasedMatching=RULES)
        cp.settle("RuleBasedMatching")
        client.update_domain(DomainName="m", RuleBasedMatching=RULES)


@pytest.mark.parametrize(
    ("settings", "text"),
    [
        ({"RuleBasedMatching": {"Enabled": True, "MatchingRules": [{"Rule": ["Shoe"]}]}}, "not an attribute"),
        ({"RuleBasedMatching": {"Enabled": True}}, "MatchingRules is required"),
        ({"RuleBasedMatching": {**RULES, "MaxAllowedRuleLevelForMatching": 3}}, "2 rule levels"),
        (
            {"RuleBasedMatching": {**RULES, "MaxAllowedRuleLevelForMerging": 2, "MaxAllowedRuleLevelForMatching": 1}},
            "cannot be above",
        ),
        (
            {
                "RuleBasedMatching": {
                    **RULES,
                    "AttributeTypesSelector": {"AttributeMatchingModel": "ONE_TO_ONE", "PhoneNumber": ["Fax"]},
                }
            },
            "Fax",
        ),
        ({"RuleBasedMatching": {**RULES, "ConflictResolution": {"ConflictResolvingModel": "SOURCE"}}}, "SourceName"),
        (
            {
                "Matching": {
                    "Enabled": True,
                    "AutoMerging": {"Enabled": True, "Consolidation": {"MatchingAttributesList": [["Nope"]]}},
                }
            },
            "Nope",
        ),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_created(client: Any, settings: dict[str, Any], text: str) -> None:
    with pytest.raises(ClientError, match=text) as caught:
        client.create_domain(DomainName="bad", DefaultExpirationDays=30, **settings)
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    with pytest.raises(ClientError):
        client.get_domain(DomainName="bad")


def test_many_to_many_matches_across_sub_types_one_to_one_does_not(client: Any) -> None:
    selector = {"AttributeMatchingModel": "MANY_TO_MANY", "PhoneNumber": ["PhoneNumber", "HomePhoneNumber"]}
    for name, model in (("many", "MANY_TO_MANY"), ("one", "ONE_TO_ONE")):
        rules = {
            "Enabled": True,
            "MatchingRules": [{"Rule": ["PhoneNumber"]}],
            "AttributeTypesSelector": {**selector, "AttributeMatchingModel": model},
        }
        _domain(client, name, RuleBasedMatching=rules)
        client.create_profile(DomainName=name, PhoneNumber="+1 (555) 010-2000")
        client.create_profile(DomainName=name, HomePhoneNumber="555-010-2000")
    assert len(client.list_rule_based_matches(DomainName="many")["MatchIds"]) == 1
    assert client.list_rule_based_matches(DomainName="one")["MatchIds"] == []


def test_rule_based_reads_need_rule_based_matching(client: Any) -> None:
    _domain(client)
    with pytest.raises(ClientError, match="not enabled"):
        client.list_rule_based_matches(DomainName="ir")


def test_aws_pattern_get_matches_then_merge_then_search_finds_the_main_profile(
    mock: CustomerProfilesMock, client: Any
) -> None:
    d = _domain(client, Matching={"Enabled": True})
    a = client.create_profile(DomainName=d, EmailAddress="x@example.com", FirstName="Ann")["ProfileId"]
    b = client.create_profile(DomainName=d, BusinessEmailAddress="X@example.com")["ProfileId"]
    client.create_profile(DomainName=d, EmailAddress="other@example.com")
    assert client.get_matches(DomainName=d)["Matches"] == []
    mock.run_identity_resolution(d)
    matches = client.get_matches(DomainName=d)
    assert matches["PotentialMatches"] == 1
    assert "MatchGenerationDate" in matches
    for match in matches["Matches"]:
        main, *rest = match["ProfileIds"]
        client.merge_profiles(DomainName=d, MainProfileId=main, ProfileIdsToBeMerged=rest)
    found = client.search_profiles(DomainName=d, KeyName="_email", Values=["X@example.com"])["Items"]
    assert [p["ProfileId"] for p in found] == [matches["Matches"][0]["ProfileIds"][0]]
    assert {a, b} == set(matches["Matches"][0]["ProfileIds"])
    assert client.get_matches(DomainName=d)["Matches"] == []  # merged away


def _similar_pages(client: Any, **params: Any) -> list[dict[str, Any]]:
    """GetSimilarProfiles page by page: through botocore's paginator (PageSize as MaxResults), or where the
    installed botocore has none for it (1.34), by following NextToken the same way."""
    if client.can_paginate("get_similar_profiles"):
        size = params.pop("MaxResults")
        return list(
            client.get_paginator("get_similar_profiles").paginate(**params, PaginationConfig={"PageSize": size})
        )
    pages = [client.get_similar_profiles(**params)]
    while "NextToken" in pages[-1]:
        pages.append(client.get_similar_profiles(**params, NextToken=pages[-1]["NextToken"]))
    return pages


def test_seeded_matches_win_and_page(mock: CustomerProfilesMock, client: Any) -> None:
    d = _domain(client, Matching={"Enabled": True})
    ids = [client.create_profile(DomainName=d, EmailAddress=f"{n % 3}@e.com")["ProfileId"] for n in range(9)]
    mock.seed_matches(d, [[ids[0], ids[1]]], confidence=0.42)
    mock.run_identity_resolution(d)
    pages = _similar_pages(
        client, DomainName=d, MatchType="ML_BASED_MATCHING", SearchKey="_profileId", SearchValue=ids[0], MaxResults=1
    )
    assert [p["ProfileIds"] for p in pages] == [[ids[0]], [ids[1]]]
    assert pages[0]["ConfidenceScore"] == 0.42
    first = client.get_matches(DomainName=d, MaxResults=2)
    rest = client.get_matches(DomainName=d, MaxResults=2, NextToken=first["NextToken"])
    groups = [m["ProfileIds"] for m in first["Matches"] + rest["Matches"]]
    assert first["PotentialMatches"] == 4
    assert len(groups) == 4
    assert [ids[0], ids[1]] in groups  # the seeded pair, not the stand-in's 0/3/6 group
    assert sorted(sorted(g) for g in groups if ids[0] not in g and ids[1] not in g)[0]
    with pytest.raises(ValueError, match="already in a seeded"):
        mock.seed_matches(d, [[ids[0], ids[2]]])


def test_job_lifecycle_stats_auto_merging_and_export(mock: CustomerProfilesMock, client: Any) -> None:
    matching = {
        "Enabled": True,
        "AutoMerging": {
            "Enabled": True,
            "ConflictResolution": {"ConflictResolvingModel": "RECENCY"},
            "Consolidation": {"MatchingAttributesList": [["LastName"]]},
        },
        "ExportingConfig": {"S3Exporting": {"S3BucketName": "bucket", "S3KeyName": "ir"}},
    }
    d = _domain(client, Matching=matching)
    old = client.create_profile(DomainName=d, EmailAddress="a@e.com", LastName="Lee", FirstName="Old")["ProfileId"]
    new = client.create_profile(DomainName=d, EmailAddress="a@e.com", LastName="Lee")["ProfileId"]
    client.create_profile(DomainName=d, EmailAddress="a@e.com", LastName="Kim")
    job_id = mock.run_identity_resolution(d, wait=False)
    first = client.get_identity_resolution_job(DomainName=d, JobId=job_id)
    assert first["Status"] == "PENDING"
    assert "JobStats" not in first
    done = client.get_identity_resolution_job(DomainName=d, JobId=job_id)
    assert done["Status"] == "COMPLETED"
    assert done["JobStats"] == {"NumberOfProfilesReviewed": 3, "NumberOfMatchesFound": 1, "NumberOfMergesDone": 1}
    assert done["ExportingLocation"]["S3Exporting"] == {"S3BucketName": "bucket", "S3KeyName": f"ir/{job_id}"}
    assert mock.effects("S3Export")[0]["job_id"] == job_id
    # RECENCY: the most recently changed profile is the main one; the older one's fields fill the gaps.
    merged = client.get_profile if hasattr(client, "get_profile") else None
    found = client.search_profiles(DomainName=d, KeyName="_profileId", Values=[new])["Items"]
    assert found[0]["FirstName"] == "Old"
    assert client.search_profiles(DomainName=d, KeyName="_profileId", Values=[old])["Items"] == []
    assert merged is None or merged
    listed = client.list_identity_resolution_jobs(DomainName=d)["IdentityResolutionJobsList"]
    assert [j["JobId"] for j in listed] == [job_id]
    actions = [
        r["ActionType"]
        for r in client.list_profile_history_records(DomainName=d, ProfileId=new)["ProfileHistoryRecords"]
    ]
    assert "MERGED" in actions


def test_failed_job_and_preview(mock: CustomerProfilesMock, client: Any) -> None:
    d = _domain(client, Matching={"Enabled": True})
    for last in ("Lee", "Lee", "Kim"):
        client.create_profile(DomainName=d, PhoneNumber="555 0100", LastName=last)
    mock.fail_next("IdentityResolutionJob", "no data")
    failed = mock.run_identity_resolution(d)
    assert client.get_identity_resolution_job(DomainName=d, JobId=failed)["Status"] == "FAILED"
    assert client.get_identity_resolution_job(DomainName=d, JobId=failed)["Message"] == "no data"
    mock.run_identity_resolution(d)
    preview = client.get_auto_merging_preview(
        DomainName=d,
        Consolidation={"MatchingAttributesList": [["LastName"]]},
        ConflictResolution={"ConflictResolvingModel": "RECENCY"},
        MinAllowedConfidenceScoreForMerging=0.5,
    )
    assert (
        preview["NumberOfMatchesInSample"],
        preview["NumberOfProfilesInSample"],
        preview["NumberOfProfilesWillBeMerged"],
    ) == (1, 3, 1)
    assert len(client.get_matches(DomainName=d)["Matches"][0]["ProfileIds"]) == 3  # a preview merges nothing
    with pytest.raises(ClientError, match="not found"):
        client.get_identity_resolution_job(DomainName=d, JobId="0" * 32)


def test_a_job_needs_matching_and_pending_jobs_go_when_it_is_turned_off() -> None:
    with CustomerProfilesMock(lifecycle="manual") as cp:
        client = cp.client()
        client.create_domain(DomainName="j", DefaultExpirationDays=30)
        with pytest.raises(ValueError, match="Matching is not enabled"):
            cp.run_identity_resolution("j")
        client.update_domain(DomainName="j", Matching={"Enabled": True})
        cp.run_identity_resolution("j", wait=False)
        client.update_domain(DomainName="j", Matching={"Enabled": False})
        assert client.list_identity_resolution_jobs(DomainName="j")["IdentityResolutionJobsList"] == []


def test_rule_based_merging_uses_merge_profiles_and_the_change_feed(mock: CustomerProfilesMock, client: Any) -> None:
    d = _domain(client, RuleBasedMatching={**RULES, "MaxAllowedRuleLevelForMerging": 1})
    a = client.create_profile(DomainName=d, EmailAddress="q@e.com", FirstName="A")["ProfileId"]
    b = client.create_profile(DomainName=d, EmailAddress="Q@e.com", LastName="B")["ProfileId"]
    assert mock.merge_rule_based_matches(d) == [b]
    assert client.list_rule_based_matches(DomainName=d)["MatchIds"] == []
    kept = client.search_profiles(DomainName=d, KeyName="_profileId", Values=[b])["Items"][0]
    assert (kept["FirstName"], kept["LastName"]) == ("A", "B")
    records = client.list_profile_history_records(DomainName=d, ProfileId=a)["ProfileHistoryRecords"]
    assert records[0]["ActionType"] == "DELETED_BY_MERGE"


def test_get_similar_profiles_by_a_search_key_and_unknown_values(client: Any) -> None:
    d = _domain(client, RuleBasedMatching=RULES)
    a = client.create_profile(DomainName=d, EmailAddress="k@e.com")["ProfileId"]
    client.create_profile(DomainName=d, EmailAddress="k@e.com")
    lone = client.create_profile(DomainName=d, EmailAddress="lone@e.com")["ProfileId"]
    out = client.get_similar_profiles(
        DomainName=d, MatchType="RULE_BASED_MATCHING", SearchKey="_email", SearchValue="k@e.com"
    )
    assert a in out["ProfileIds"]
    alone = client.get_similar_profiles(
        DomainName=d, MatchType="RULE_BASED_MATCHING", SearchKey="_profileId", SearchValue=lone
    )
    assert alone["ProfileIds"] == []
    nobody = client.get_similar_profiles(
        DomainName=d, MatchType="RULE_BASED_MATCHING", SearchKey="_email", SearchValue="none@e.com"
    )
    assert nobody["ProfileIds"] == []
    unknown = client.get_similar_profiles(
        DomainName=d, MatchType="ML_BASED_MATCHING", SearchKey="_matchId", SearchValue="x"
    )
    assert unknown["ProfileIds"] == []
    client.create_profile(DomainName=d, AccountNumber="ACC", EmailAddress="k@e.com")
    client.create_profile(DomainName=d, AccountNumber="ACC", EmailAddress="other@e.com")
    client.create_profile(DomainName=d, EmailAddress="other@e.com")
    with pytest.raises(ClientError, match="2 different match groups"):
        client.get_similar_profiles(
            DomainName=d, MatchType="RULE_BASED_MATCHING", SearchKey="_account", SearchValue="ACC"
        )


# ------------------------------------------------------------------------------ oracle: brute force

ATTRS = ["EmailAddress", "FirstName", "LastName", "Address.City", "PhoneNumber"]


def _norm(attribute: str, value: str) -> str:
    if attribute == "PhoneNumber":
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    return " ".join(value.split()).casefold()


def _value(fields: dict[str, Any], attribute: str) -> str:
    raw = fields.get("Address", {}).get("City", "") if attribute == "Address.City" else fields.get(attribute, "")
    return _norm(attribute, raw)


def _pair_level(x: dict[str, Any], y: dict[str, Any], rules: list[list[str]]) -> int | None:
    for level, rule in enumerate(rules, 1):
        vx = [_value(x, a) for a in rule]
        vy = [_value(y, a) for a in rule]
        if all(vx) and vx == vy:
            return level
    return None


@pytest.mark.parametrize("seed", range(8))
def test_oracle_rule_based_groups_equal_brute_force_pairwise(client: Any, seed: int) -> None:
    rng = random.Random(seed)
    rules = [rng.sample(ATTRS, rng.randint(1, 2)) for _ in range(rng.randint(1, 3))]
    d = _domain(client, f"o{seed}", RuleBasedMatching={"Enabled": True, "MatchingRules": [{"Rule": r} for r in rules]})
    pool = {
        "EmailAddress": ["a@x.com", "A@X.com ", "b@x.com"],
        "FirstName": ["Ann", "ann", "Bo"],
        "LastName": ["Lee", "Kim"],
        "Address.City": ["Oslo", "  oslo", "Rome"],
        "PhoneNumber": ["+1 555 0100", "5550100", "555-0199"],
    }
    profiles: dict[str, dict[str, Any]] = {}
    for _ in range(rng.randint(2, 14)):
        fields: dict[str, Any] = {}
        for attribute in ATTRS:
            if rng.random() < 0.6:
                value = rng.choice(pool[attribute])
                if attribute == "Address.City":
                    fields["Address"] = {"City": value}
                else:
                    fields[attribute] = value
        profiles[client.create_profile(DomainName=d, **fields)["ProfileId"]] = fields
    # Brute force: every pair, the lowest level at which it matches; components by repeated relaxation.
    ids = list(profiles)
    edges = {
        (p, q): lvl
        for i, p in enumerate(ids)
        for q in ids[i + 1 :]
        if (lvl := _pair_level(profiles[p], profiles[q], rules))
    }
    component = {p: {p} for p in ids}
    for p, q in edges:
        joined = component[p] | component[q]
        for member in joined:
            component[member] = joined
    expected = {frozenset(c) for c in component.values() if len(c) > 1}
    got = set()
    for match_id in client.list_rule_based_matches(DomainName=d)["MatchIds"]:
        out = client.get_similar_profiles(
            DomainName=d, MatchType="RULE_BASED_MATCHING", SearchKey="_matchId", SearchValue=match_id
        )
        group = frozenset(out["ProfileIds"])
        got.add(group)
        # The rule level: the lowest L such that the pairs of levels <= L alone connect the group.
        for level in range(1, len(rules) + 1):
            comp = {p: {p} for p in group}
            for (p, q), lvl in edges.items():
                if lvl <= level and p in group:
                    joined = comp[p] | comp[q]
                    for member in joined:
                        comp[member] = joined
            if len(comp[next(iter(group))]) == len(group):
                assert out["RuleLevel"] == level
                break
    assert got == expected


def test_seed_documents_declare_matches_and_check_profile_indexes() -> None:
    from mock_customer_profiles._seed import SeedError

    document = {
        "domains": [
            {
                "DomainName": "acme",
                "Matching": {"Enabled": True},
                "profiles": [{"FirstName": "A"}, {"FirstName": "B"}],
                "matches": [{"profiles": [0, 1], "ConfidenceScore": 0.5}],
            }
        ]
    }
    with CustomerProfilesMock(seed=document) as cp:
        (match,) = cp.client().get_matches(DomainName="acme")["Matches"]
        assert (len(match["ProfileIds"]), match["ConfidenceScore"]) == (2, 0.5)
    bad = {"domains": [{**document["domains"][0], "matches": [{"profiles": [0, 2]}]}]}
    with pytest.raises(SeedError, match=r"matches\[0\]: profile index 2 names no entry"):
        CustomerProfilesMock(seed=bad)
    with pytest.raises(SeedError, match="ConfidenceScore"):
        CustomerProfilesMock(
            seed={"domains": [{**document["domains"][0], "matches": [{"profiles": [0, 1], "ConfidenceScore": 2}]}]}
        )
