"""SearchProfiles through boto3: every rule of docs/families/search.md and of the search rows of docs/behaviour.md."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_customer_profiles import CustomerProfilesMock, mock_customer_profiles

pytestmark = pytest.mark.both_doors  # run again through the HTTP server (tests/conftest.py)

MakeProfile = Callable[..., str]


def search(client: Any, key: str, values: list[str], *more: tuple[str, list[str]], **kwargs: Any) -> Any:
    extra = [{"KeyName": k, "Values": v} for k, v in more]
    if extra:
        kwargs["AdditionalSearchKeys"] = extra
    return client.search_profiles(DomainName="acme", KeyName=key, Values=values, **kwargs)


def ids(response: Any) -> list[str]:
    return [item["ProfileId"] for item in response["Items"]]


# ---------------------------------------------------------------------------------------- standard keys


@pytest.mark.parametrize("field", ["PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber"])
def test_phone_key_indexes_each_phone_field(client: Any, make_profile: MakeProfile, field: str) -> None:
    pid = make_profile(**{field: "+15550001111"})
    make_profile(PhoneNumber="+15550009999")
    assert ids(search(client, "_phone", ["+15550001111"])) == [pid]


@pytest.mark.parametrize("field", ["EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress"])
def test_email_key_indexes_each_email_field(client: Any, make_profile: MakeProfile, field: str) -> None:
    pid = make_profile(**{field: "ana@example.com"})
    make_profile(EmailAddress="ben@example.com")
    assert ids(search(client, "_email", ["ana@example.com"])) == [pid]


def test_account_and_profile_id_keys(client: Any, make_profile: MakeProfile) -> None:
    pid = make_profile(AccountNumber="ACC-1")
    other = make_profile(AccountNumber="ACC-2")
    assert ids(search(client, "_account", ["ACC-1"])) == [pid]
    assert ids(search(client, "_profileId", [other])) == [other]


@pytest.mark.parametrize(
    ("fields", "full_name"),
    [
        ({"FirstName": "Ana", "MiddleName": "Maria", "LastName": "Silva"}, "Ana Maria Silva"),
        ({"FirstName": "Ana", "LastName": "Silva"}, "Ana Silva"),
        ({"FirstName": "Ana"}, "Ana"),
        ({"LastName": "Silva"}, "Silva"),
        ({"MiddleName": "Maria", "LastName": "Silva"}, "Maria Silva"),
    ],
)
def test_full_name_joins_the_set_parts(
    client: Any, make_profile: MakeProfile, fields: dict[str, str], full_name: str
) -> None:
    pid = make_profile(**fields)
    assert ids(search(client, "_fullName", [full_name])) == [pid]
    assert ids(search(client, "_fullName", [f"{full_name} "])) == []


def test_matching_is_exact_and_case_sensitive_by_default(client: Any, make_profile: MakeProfile) -> None:
    make_profile(EmailAddress="Ana@Example.com", PhoneNumber="+15550001111", FirstName="Ana", LastName="Silva")
    assert ids(search(client, "_email", ["ana@example.com"])) == []
    assert ids(search(client, "_phone", ["15550001111"])) == []
    assert ids(search(client, "_phone", ["(555) 000-1111"])) == []
    assert ids(search(client, "_fullName", ["ana silva"])) == []


def test_lenient_matching_folds_phone_email_and_name(client_for: Callable[[CustomerProfilesMock], Any]) -> None:
    with mock_customer_profiles(lenient_matching=True) as cp:
        cp.create_domain("acme")
        pid = cp.create_profile(
            "acme", EmailAddress="Ana@Example.com", PhoneNumber="+15550001111", FirstName="Ana", LastName="Silva"
        )
        client = client_for(cp)
        assert ids(search(client, "_email", ["ana@example.COM"])) == [pid]
        assert ids(search(client, "_phone", ["(555) 000-1111"])) == [pid]
        assert ids(search(client, "_phone", ["1-555-000-1111"])) == [pid]
        assert ids(search(client, "_fullName", ["ANA   silva"])) == [pid]
        assert ids(search(client, "_account", ["x"])) == []
        item = search(client, "_email", ["ana@example.COM"])["Items"][0]
        assert item["EmailAddress"] == "Ana@Example.com"  # stored exactly as sent
        assert item["FoundByItems"] == [{"KeyName": "_email", "Values": ["ana@example.COM"]}]


def test_stored_values_come_back_exactly_as_sent(client: Any, make_profile: MakeProfile) -> None:
    fields = {
        "FirstName": " Ana ",
        "PhoneNumber": "(555) 000-1111",
        "Address": {"City": "Lisbon", "Country": "PT"},
        "Attributes": {"tier": "Gold"},
        "PartyType": "INDIVIDUAL",
        "Gender": "FEMALE",
    }
    pid = make_profile(**fields)
    [item] = search(client, "_profileId", [pid])["Items"]
    assert item == {"ProfileId": pid, **fields, "FoundByItems": [{"KeyName": "_profileId", "Values": [pid]}]}


def test_profiles_may_share_key_values(client: Any, make_profile: MakeProfile) -> None:
    first = make_profile(EmailAddress="family@example.com")
    second = make_profile(EmailAddress="family@example.com")
    assert ids(search(client, "_email", ["family@example.com"])) == [first, second]


def test_a_shared_value_follows_its_holders_as_they_leave_and_return(client: Any, make_profile: MakeProfile) -> None:
    first, second, third = (make_profile(EmailAddress="family@example.com") for _ in range(3))

    def found() -> list[str]:
        return ids(search(client, "_email", ["family@example.com"]))

    assert found() == [first, second, third]
    client.update_profile(DomainName="acme", ProfileId=second, EmailAddress="own@example.com")
    assert found() == [first, third]
    client.delete_profile(DomainName="acme", ProfileId=first)
    assert found() == [third]
    client.update_profile(DomainName="acme", ProfileId=second, EmailAddress="family@example.com")
    assert found() == [second, third]
    client.delete_profile(DomainName="acme", ProfileId=third)
    assert found() == [second]
    client.update_profile(DomainName="acme", ProfileId=second, EmailAddress="")
    assert found() == []
    assert ids(search(client, "_email", ["own@example.com"])) == []


# ----------------------------------------------------------------------------------------------- AND/OR


@pytest.fixture
def people(make_profile: MakeProfile) -> dict[str, str]:
    return {
        "ana": make_profile(FirstName="Ana", EmailAddress="ana@example.com", PhoneNumber="+15550000001"),
        "ben": make_profile(FirstName="Ben", EmailAddress="ben@example.com", PhoneNumber="+15550000001"),
        "cy": make_profile(FirstName="Cy", EmailAddress="cy@example.com", AccountNumber="A-3"),
    }


def test_or_is_the_default_and_unions_the_pairs(client: Any, people: dict[str, str]) -> None:
    response = search(client, "_email", ["cy@example.com"], ("_phone", ["+15550000001"]))
    assert ids(response) == [people["ana"], people["ben"], people["cy"]]
    found = {item["ProfileId"]: item["FoundByItems"] for item in response["Items"]}
    assert found[people["ana"]] == [{"KeyName": "_phone", "Values": ["+15550000001"]}]
    assert found[people["cy"]] == [{"KeyName": "_email", "Values": ["cy@example.com"]}]


def test_or_found_by_lists_only_the_values_that_matched(client: Any, people: dict[str, str]) -> None:
    response = search(
        client,
        "_email",
        ["ana@example.com", "nobody@example.com", "ben@example.com"],
        ("_phone", ["+15550000001", "+19999999999"]),
        LogicalOperator="OR",
    )
    found = {item["ProfileId"]: item["FoundByItems"] for item in response["Items"]}
    assert found == {
        people["ana"]: [
            {"KeyName": "_email", "Values": ["ana@example.com"]},
            {"KeyName": "_phone", "Values": ["+15550000001"]},
        ],
        people["ben"]: [
            {"KeyName": "_email", "Values": ["ben@example.com"]},
            {"KeyName": "_phone", "Values": ["+15550000001"]},
        ],
    }


def test_and_needs_every_pair_and_found_by_echoes_the_request(client: Any, people: dict[str, str]) -> None:
    response = search(
        client,
        "_phone",
        ["+15550000001"],
        ("_email", ["ben@example.com", "nobody@example.com"]),
        LogicalOperator="AND",
    )
    assert ids(response) == [people["ben"]]
    assert response["Items"][0]["FoundByItems"] == [
        {"KeyName": "_phone", "Values": ["+15550000001"]},
        {"KeyName": "_email", "Values": ["ben@example.com", "nobody@example.com"]},
    ]


def test_and_with_no_common_profile_is_empty(client: Any, people: dict[str, str]) -> None:
    response = search(client, "_email", ["ana@example.com"], ("_account", ["A-3"]), LogicalOperator="AND")
    assert response["Items"] == []
    assert "NextToken" not in response


def test_five_pairs_and_a_repeated_key_name(client: Any, people: dict[str, str]) -> None:
    pairs = [
        ("_email", ["ana@example.com"]),
        ("_phone", ["+15550000001"]),
        ("_fullName", ["Ana"]),
        ("_profileId", [people["ana"]]),
    ]
    response = search(client, "_email", ["ana@example.com", "x@example.com"], *pairs, LogicalOperator="AND")
    assert ids(response) == [people["ana"]]
    assert len(response["Items"][0]["FoundByItems"]) == 5
    # The same key twice under OR: each occurrence is its own pair in FoundByItems.
    response = search(client, "_email", ["ana@example.com"], ("_email", ["ana@example.com", "ben@example.com"]))
    found = {item["ProfileId"]: item["FoundByItems"] for item in response["Items"]}
    assert found[people["ana"]] == [
        {"KeyName": "_email", "Values": ["ana@example.com"]},
        {"KeyName": "_email", "Values": ["ana@example.com"]},
    ]
    assert found[people["ben"]] == [{"KeyName": "_email", "Values": ["ben@example.com"]}]


def test_single_key_search_returns_found_by_items(client: Any, people: dict[str, str]) -> None:
    [item] = search(client, "_email", ["cy@example.com"])["Items"]
    assert item["FoundByItems"] == [{"KeyName": "_email", "Values": ["cy@example.com"]}]


def test_duplicate_values_in_one_pair_are_reported_once(client: Any, people: dict[str, str]) -> None:
    [item] = search(client, "_email", ["cy@example.com", "cy@example.com"])["Items"]
    assert item["FoundByItems"] == [{"KeyName": "_email", "Values": ["cy@example.com"]}]


# ---------------------------------------------------------------------------------------- keys and errors


def test_undefined_key_gives_empty_items(client: Any, people: dict[str, str]) -> None:
    assert search(client, "loyaltyId", ["L-1"])["Items"] == []
    # A predefined key that no profile holds yet: empty as well.
    assert search(client, "_shopifyCustomerId", ["S-1"])["Items"] == []


def test_strict_search_keys_rejects_an_undefined_key(client_for: Callable[[CustomerProfilesMock], Any]) -> None:
    with mock_customer_profiles(strict_search_keys=True) as cp:
        cp.create_domain("acme")
        cp.create_profile("acme", EmailAddress="ana@example.com")
        client = client_for(cp)
        with pytest.raises(client.exceptions.BadRequestException) as caught:
            search(client, "_email", ["ana@example.com"], ("loyaltyId", ["L-1"]))
        assert caught.value.response["Error"]["Message"] == "Search key loyaltyId is not defined in domain acme"
        assert search(client, "_shopifyCustomerId", ["S-1"])["Items"] == []


def test_unknown_domain_is_resource_not_found(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.search_profiles(DomainName="nowhere", KeyName="_email", Values=["a@example.com"])
    assert caught.value.response["Error"]["Message"] == "Domain nowhere not found"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_search_in_another_domain_finds_nothing(client: Any, make_profile: MakeProfile) -> None:
    make_profile(EmailAddress="ana@example.com")
    client.create_domain(DomainName="other", DefaultExpirationDays=30)
    response = client.search_profiles(DomainName="other", KeyName="_email", Values=["ana@example.com"])
    assert response["Items"] == []


# -------------------------------------------------------------------------------------------- pagination


def all_pages(client: Any, **kwargs: Any) -> list[list[str]]:
    pages = []
    while True:
        response = client.search_profiles(DomainName="acme", **kwargs)
        pages.append(ids(response))
        if "NextToken" not in response:
            return pages
        kwargs["NextToken"] = response["NextToken"]


def test_pagination_over_45_profiles_in_creation_order(client: Any, make_profile: MakeProfile) -> None:
    created = [make_profile(EmailAddress="team@example.com", AccountNumber=f"A-{n}") for n in range(45)]
    pages = all_pages(client, KeyName="_email", Values=["team@example.com"])
    assert [len(page) for page in pages] == [20, 20, 5]  # default MaxResults is 20
    assert [pid for page in pages for pid in page] == created
    pages = all_pages(client, KeyName="_email", Values=["team@example.com"], MaxResults=100)
    assert pages == [created]
    pages = all_pages(client, KeyName="_email", Values=["team@example.com"], MaxResults=15)
    assert [len(page) for page in pages] == [15, 15, 15]


def test_page_size_may_change_between_pages(client: Any, make_profile: MakeProfile) -> None:
    created = [make_profile(EmailAddress="team@example.com") for _ in range(10)]
    first = client.search_profiles(DomainName="acme", KeyName="_email", Values=["team@example.com"], MaxResults=3)
    second = client.search_profiles(
        DomainName="acme", KeyName="_email", Values=["team@example.com"], MaxResults=7, NextToken=first["NextToken"]
    )
    assert ids(first) + ids(second) == created
    assert "NextToken" not in second


def test_no_next_token_when_the_last_page_is_exactly_full(client: Any, make_profile: MakeProfile) -> None:
    for _ in range(4):
        make_profile(EmailAddress="team@example.com")
    response = client.search_profiles(DomainName="acme", KeyName="_email", Values=["team@example.com"], MaxResults=4)
    assert len(response["Items"]) == 4
    assert "NextToken" not in response


def test_pagination_skips_nothing_when_a_profile_is_deleted_between_pages(
    client: Any, make_profile: MakeProfile
) -> None:
    created = [make_profile(EmailAddress="team@example.com") for _ in range(6)]
    first = client.search_profiles(DomainName="acme", KeyName="_email", Values=["team@example.com"], MaxResults=3)
    client.delete_profile(DomainName="acme", ProfileId=created[1])
    second = client.search_profiles(
        DomainName="acme", KeyName="_email", Values=["team@example.com"], MaxResults=3, NextToken=first["NextToken"]
    )
    assert ids(second) == created[3:]


INVALID_TOKEN = "The NextToken is not valid for this request: it is malformed, expired, or belongs to another request"


@pytest.mark.parametrize("token", ["garbage", "a.b", "x" * 1024, "eyJ4Ijox.0123456789abcdef01234567"])
def test_garbage_token_is_bad_request(client: Any, people: dict[str, str], token: str) -> None:
    with pytest.raises(client.exceptions.BadRequestException) as caught:
        client.search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"], NextToken=token)
    assert caught.value.response["Error"]["Message"] == INVALID_TOKEN


def test_token_is_bound_to_its_query(client: Any, make_profile: MakeProfile) -> None:
    for _ in range(3):
        make_profile(EmailAddress="team@example.com", PhoneNumber="+15550000001")
    first = client.search_profiles(DomainName="acme", KeyName="_email", Values=["team@example.com"], MaxResults=1)
    token = first["NextToken"]
    for other in (
        {"KeyName": "_phone", "Values": ["+15550000001"]},
        {"KeyName": "_email", "Values": ["team@example.com", "x@example.com"]},
        {"KeyName": "_email", "Values": ["team@example.com"], "LogicalOperator": "AND"},
    ):
        with pytest.raises(ClientError) as caught:
            client.search_profiles(DomainName="acme", NextToken=token, **other)
        assert caught.value.response["Error"] == {"Code": "BadRequestException", "Message": INVALID_TOKEN}


def test_token_from_an_earlier_activation_is_rejected(client_for: Callable[[CustomerProfilesMock], Any]) -> None:
    with mock_customer_profiles() as cp:
        cp.create_domain("acme")
        for _ in range(2):
            cp.create_profile("acme", EmailAddress="team@example.com")
        token = client_for(cp).search_profiles(
            DomainName="acme", KeyName="_email", Values=["team@example.com"], MaxResults=1
        )["NextToken"]
    with mock_customer_profiles() as cp:
        cp.create_domain("acme")
        for _ in range(2):
            cp.create_profile("acme", EmailAddress="team@example.com")
        client = client_for(cp)
        with pytest.raises(client.exceptions.BadRequestException):
            client.search_profiles(DomainName="acme", KeyName="_email", Values=["team@example.com"], NextToken=token)
