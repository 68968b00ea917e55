"""Seeding: the helpers, ``load()`` of seed documents, and ``seed=``."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from botocore.exceptions import ClientError

from mock_customer_profiles import CustomerProfilesMock, SeedError, mock_customer_profiles
from mock_customer_profiles._seed import seed_schema

DOCUMENT = {
    "domains": [
        {
            "DomainName": "acme",
            "profiles": [
                {"FirstName": "Ana", "LastName": "Silva", "EmailAddress": "ana@example.com"},
                {"FirstName": "Ben", "PhoneNumber": "+15550001111", "Address": {"City": "Lagos"}},
            ],
        },
        {"DomainName": "beta", "DefaultExpirationDays": 30, "Tags": {"team": "crm"}},
    ]
}


def _search(client: Any, domain: str, key: str, value: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.search_profiles(DomainName=domain, KeyName=key, Values=[value])["Items"]
    return items


def _error(call: Any) -> str:
    with pytest.raises(SeedError) as raised:
        call()
    return str(raised.value)


# ------------------------------------------------------------------------------------------ helpers


def test_helpers_store_what_a_client_then_finds(mock: CustomerProfilesMock, client: Any) -> None:
    created = mock.create_domain("acme")
    assert created["DefaultExpirationDays"] == 365
    assert isinstance(created["CreatedAt"], dt.datetime)
    pid = mock.create_profile("acme", FirstName="Ana", EmailAddress="ana@example.com")
    assert [item["ProfileId"] for item in _search(client, "acme", "_email", "ana@example.com")] == [pid]


def test_helpers_reject_what_the_service_rejects_with_the_same_error(
    mock: CustomerProfilesMock, raw_client: Any
) -> None:
    with pytest.raises(raw_client.exceptions.BadRequestException) as over_the_wire:
        raw_client.create_domain(DomainName="acme", DefaultExpirationDays=5000)
    with pytest.raises(ClientError) as seeded:
        mock.create_domain("acme", DefaultExpirationDays=5000)
    assert seeded.value.response["Error"] == over_the_wire.value.response["Error"]
    assert seeded.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '5000' at 'defaultExpirationDays' failed to satisfy constraint: "
        "Member must have value less than or equal to 1098"
    )
    with pytest.raises(ClientError) as missing:
        mock.create_profile("nowhere", FirstName="Ana")
    assert missing.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Domain nowhere not found",
    }
    assert missing.value.operation_name == "CreateProfile"


@pytest.mark.parametrize(
    ("helper", "call"),
    [
        ("create_domain()", lambda m: m.create_domain("acme")),
        ("create_profile()", lambda m: m.create_profile("acme", FirstName="Ana")),
        ("put_object_type()", lambda m: m.put_object_type("acme", "Order", **ORDER_TYPE)),
        ("put_object()", lambda m: m.put_object("acme", "Order", {"orderNo": "O-1"})),
        ("load()", lambda m: m.load(DOCUMENT)),
    ],
)
def test_an_inactive_mock_refuses_data_it_would_lose(helper: str, call: Any) -> None:
    with pytest.raises(RuntimeError, match="mock_customer_profiles:") as raised:
        call(mock_customer_profiles())
    assert str(raised.value) == (
        f"mock_customer_profiles: {helper} needs an active mock: call it after start(), inside the with block, "
        "or in the decorated test (see docs/seeding.md#seeding)."
    )


ORDER_TYPE: dict[str, Any] = {
    "Description": "Shop orders",
    "AllowProfileCreation": True,
    "Fields": {
        "orderNo": {"Source": "_source.orderNo"},
        "email": {"Source": "_source.email", "Target": "_profile.EmailAddress", "ContentType": "EMAIL_ADDRESS"},
    },
    "Keys": {
        "orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderNo"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


def test_object_type_and_object_helpers(mock: CustomerProfilesMock, client: Any) -> None:
    mock.create_domain("acme")
    ana = mock.create_profile("acme", FirstName="Ana", EmailAddress="ana@example.com")
    created = mock.put_object_type("acme", "Order", **ORDER_TYPE)
    assert (created["ObjectTypeName"], created["AllowProfileCreation"]) == ("Order", True)
    assert client.get_profile_object_type(DomainName="acme", ObjectTypeName="Order")["Keys"] == ORDER_TYPE["Keys"]

    first = mock.put_object("acme", "Order", {"orderNo": "O-1", "email": "ana@example.com"})
    second = mock.put_object("acme", "Order", '{"orderNo": "O-2", "email": "ben@example.com"}')

    assert [p["ProfileId"] for p in _search(client, "acme", "orderNo", "O-1")] == [ana]
    (ben,) = _search(client, "acme", "orderNo", "O-2")
    assert ben["EmailAddress"] == "ben@example.com"
    listed = client.list_profile_objects(DomainName="acme", ObjectTypeName="Order", ProfileId=ana)["Items"]
    assert [(item["ProfileObjectUniqueKey"], json.loads(item["Object"])["orderNo"]) for item in listed] == [
        (first, "O-1")
    ]
    assert second != first
    assert mock.get_calls("PutProfileObjectType") == mock.get_calls("PutProfileObject") == []


def test_object_helpers_reject_what_the_service_rejects(mock: CustomerProfilesMock) -> None:
    mock.create_domain("acme")
    with pytest.raises(ClientError) as raised:
        mock.put_object_type("acme", "_Order", **ORDER_TYPE)
    assert raised.value.response["Error"]["Code"] == "BadRequestException"
    assert raised.value.operation_name == "PutProfileObjectType"
    with pytest.raises(ClientError) as raised:
        mock.put_object("acme", "Nope", {"orderNo": "O-1"})
    assert raised.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Object type Nope not found in domain acme",
    }


# ---------------------------------------------------------------------------------------- documents


def test_load_a_mapping(mock: CustomerProfilesMock, client: Any) -> None:
    ids = mock.load(DOCUMENT)

    assert list(ids) == ["acme", "beta"]
    assert len(ids["acme"]) == 2
    assert ids["beta"] == []
    assert [p["ProfileId"] for p in _search(client, "acme", "_phone", "+15550001111")] == [ids["acme"][1]]
    assert _search(client, "acme", "_fullName", "Ana Silva")[0]["EmailAddress"] == "ana@example.com"
    assert client.get_domain(DomainName="acme")["DefaultExpirationDays"] == 365
    beta = client.get_domain(DomainName="beta")
    assert (beta["DefaultExpirationDays"], beta["Tags"]) == (30, {"team": "crm"})


@pytest.mark.parametrize("as_type", [str, Path])
def test_load_a_json_file(mock: CustomerProfilesMock, client: Any, tmp_path: Path, as_type: Any) -> None:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    ids = mock.load(as_type(path))
    assert [p["ProfileId"] for p in _search(client, "acme", "_email", "ana@example.com")] == ids["acme"][:1]


def test_load_object_types_and_objects(mock: CustomerProfilesMock, client: Any) -> None:
    ids = mock.load(
        {
            "domains": [
                {
                    "DomainName": "acme",
                    "objectTypes": [{"ObjectTypeName": "Order", **ORDER_TYPE}],
                    "profiles": [{"FirstName": "Ana", "EmailAddress": "ana@example.com"}],
                    "objects": [
                        {"ObjectTypeName": "Order", "Object": {"orderNo": "O-1", "email": "ana@example.com"}},
                        {"ObjectTypeName": "Order", "Object": '{"orderNo": "O-2", "email": "ben@example.com"}'},
                    ],
                }
            ]
        }
    )
    assert [p["ProfileId"] for p in _search(client, "acme", "orderNo", "O-1")] == ids["acme"]
    assert [p["EmailAddress"] for p in _search(client, "acme", "orderNo", "O-2")] == ["ben@example.com"]


def test_a_rejected_object_undoes_the_whole_load(mock: CustomerProfilesMock, client: Any) -> None:
    document = {
        "domains": [
            {"DomainName": "first"},
            {
                "DomainName": "acme",
                "objectTypes": [{"ObjectTypeName": "Order", **ORDER_TYPE}],
                "objects": [{"ObjectTypeName": "Order", "Object": {"email": "z@example.com"}}],
            },
        ]
    }
    assert _error(lambda: mock.load(document)) == (
        "mock_customer_profiles: the seed document was not loaded: PutProfileObject rejected "
        "domains[1].objects[0] (see docs/seeding.md#seeding):\n"
        "- BadRequestException: The object has no value for the UNIQUE key orderNo (fields: orderNo)"
    )
    assert client.list_domains()["Items"] == []


def test_a_crash_in_a_handler_mid_load_undoes_it_too(
    mock: CustomerProfilesMock, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mock_customer_profiles._handlers import HANDLERS

    def crash(*_: Any) -> Any:
        raise RuntimeError("a bug in a handler")

    monkeypatch.setitem(HANDLERS, "CreateProfile", crash)
    with pytest.raises(RuntimeError, match="a bug in a handler"):
        mock.load(DOCUMENT)
    assert client.list_domains()["Items"] == []


def test_the_seeding_path_refuses_an_unimplemented_operation(
    mock: CustomerProfilesMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mock_customer_profiles import NotImplementedOperation
    from mock_customer_profiles._handlers import HANDLERS

    monkeypatch.delitem(HANDLERS, "GetMatches")  # every operation has a handler: pretend one has not
    with pytest.raises(NotImplementedOperation):
        mock.service.call("GetMatches", {"DomainName": "acme"})


def test_the_document_may_name_its_schema(mock: CustomerProfilesMock) -> None:
    assert mock.load({"$schema": "./seed.schema.json", "domains": []}) == {}


def test_an_invalid_entry_is_named_by_its_path(mock: CustomerProfilesMock) -> None:
    profiles: list[dict[str, Any]] = [{"FirstName": "A"}, {}, {}, {"Gender": "X", "Gendr": "MALE"}]
    message = _error(lambda: mock.load({"domains": [{"DomainName": "acme", "profiles": profiles}]}))
    assert message == (
        "mock_customer_profiles: the seed document is invalid (see docs/seeding.md#seeding):\n"
        "- domains[0].profiles[3].Gendr: not a member of CreateProfile (did you mean Gender?)\n"
        "- domains[0].profiles[3].Gender: 'X' is not one of ['MALE', 'FEMALE', 'UNSPECIFIED']"
    )
    assert mock.service.backend().domains == {}


def test_every_problem_is_listed_at_once(mock: CustomerProfilesMock, tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    document = {
        "domains": [
            {"DomainName": "a b", "profiles": [{"FirstName": ""}], "DefaultExpirationDays": 0},
            {"DomainName": "ok", "Profiles": [], "objectTypes": [{"ObjectTypeName": "Order", "Keys": 3}]},
        ]
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    assert _error(lambda: mock.load(path)) == (
        f"mock_customer_profiles: the seed document {path} is invalid (see docs/seeding.md#seeding):\n"
        "- domains[0].DefaultExpirationDays: 0 is less than the minimum of 1\n"
        "- domains[0].DomainName: 'a b' does not match ^[a-zA-Z0-9_-]+$\n"
        "- domains[0].profiles[0].FirstName: '' should be non-empty\n"
        "- domains[1].Profiles: not a member of CreateDomain (did you mean profiles?)\n"
        "- domains[1].objectTypes[0].Description: missing (required by PutProfileObjectType)\n"
        "- domains[1].objectTypes[0].Keys: 3 is not of type 'object'"
    )


@pytest.mark.parametrize(
    ("document", "problems"),
    [
        ({"domain": []}, ["domains: missing (required)", "domain: not allowed here (did you mean domains?)"]),
        ({"domains": {}}, ["domains: {} is not of type 'array'"]),
        ({"domains": [{"profiles": []}]}, ["domains[0].DomainName: missing (required)"]),
        (
            {"domains": [{"DomainName": "acme", "profiles": [{"DomainName": "acme"}]}]},
            ["domains[0].profiles[0].DomainName: implied by the enclosing domain; leave it out"],
        ),
        (
            {"domains": [{"DomainName": "acme", "objects": [{"ObjectTypeName": "Order", "Object": 5}]}]},
            ["domains[0].objects[0].Object: 5 is not of type 'object', 'string'"],
        ),
        ([], ["(document): [] is not of type 'object'"]),
    ],
    ids=["no-domains", "domains-type", "no-name", "implied-name", "object-type", "not-an-object"],
)
def test_structure_problems(mock: CustomerProfilesMock, tmp_path: Path, document: Any, problems: list[str]) -> None:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert _error(lambda: mock.load(path)) == (
        f"mock_customer_profiles: the seed document {path} is invalid (see docs/seeding.md#seeding):\n"
        + "\n".join(f"- {line}" for line in problems)
    )


def test_long_reports_are_cut(mock: CustomerProfilesMock) -> None:
    profiles = [{"Gender": "X"} for _ in range(25)]
    lines = _error(lambda: mock.load({"domains": [{"DomainName": "acme", "profiles": profiles}]})).splitlines()
    assert len(lines) == 22
    assert lines[-1] == "- ... and 5 more"


def test_a_file_that_is_not_json(mock: CustomerProfilesMock, tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text('{"domains": [\n  {"DomainName": "acme",}\n]}', encoding="utf-8")
    assert _error(lambda: mock.load(path)) == (
        f"mock_customer_profiles: the seed document {path} is not JSON (see docs/seeding.md#seeding):\n"
        "- line 2 column 25: Expecting property name enclosed in double quotes"
    )


def test_a_mapping_that_is_not_json_data(mock: CustomerProfilesMock) -> None:
    document = {"domains": [{"DomainName": "acme", "profiles": [{"BirthDate": dt.date(1990, 1, 1)}]}]}
    assert _error(lambda: mock.load(document)) == (
        "mock_customer_profiles: the seed mapping is not JSON data (see docs/seeding.md#seeding):\n"
        "- Object of type date is not JSON serializable"
    )


def test_a_source_of_another_kind_is_a_type_error(mock: CustomerProfilesMock) -> None:
    with pytest.raises(TypeError, match="mock_customer_profiles:") as raised:
        mock.load(42)  # type: ignore[arg-type]
    assert str(raised.value) == (
        "mock_customer_profiles: a seed document is a JSON file path (str or pathlib.Path) or a mapping, "
        "not int (see docs/seeding.md#seeding)"
    )


def test_a_load_stores_all_or_nothing(mock: CustomerProfilesMock, client: Any) -> None:
    mock.create_domain("beta")
    kept = mock.create_profile("beta", FirstName="Kept")
    document = {
        "domains": [
            {"DomainName": "acme", "profiles": [{"FirstName": "Ana"}]},
            {"DomainName": "beta", "profiles": [{"FirstName": "Ben"}]},
        ]
    }
    assert _error(lambda: mock.load(document)) == (
        "mock_customer_profiles: the seed document was not loaded: CreateDomain rejected domains[1] "
        "(see docs/seeding.md#seeding):\n"
        "- BadRequestException: Domain beta already exists"
    )
    assert [d["DomainName"] for d in client.list_domains()["Items"]] == ["beta"]
    assert [p["ProfileId"] for p in _search(client, "beta", "_fullName", "Kept")] == [kept]
    assert _search(client, "beta", "_fullName", "Ben") == []


# ------------------------------------------------------------------------------------------ seed=


def test_seed_option_loads_into_every_activation() -> None:
    cp = mock_customer_profiles(seed=DOCUMENT)
    for _ in range(2):
        with cp:
            assert len(_search(cp.client(), "acme", "_fullName", "Ana Silva")) == 1
            cp.create_profile("acme", FirstName="Ana", LastName="Silva")


@mock_customer_profiles(seed=DOCUMENT)
def test_seed_option_on_the_decorator() -> None:
    import boto3

    client = boto3.client("customer-profiles", region_name="us-east-1")
    assert [d["DomainName"] for d in client.list_domains()["Items"]] == ["acme", "beta"]


def test_a_bad_seed_fails_where_the_mock_is_made() -> None:
    with pytest.raises(SeedError) as raised:
        mock_customer_profiles(seed={"domains": [{"DomainName": "acme", "profiles": [{"Gender": "X"}]}]})
    assert (
        str(raised.value).splitlines()[-1]
        == "- domains[0].profiles[0].Gender: 'X' is not one of ['MALE', 'FEMALE', 'UNSPECIFIED']"
    )


def test_an_unknown_option_lists_seed_among_the_known(mock: CustomerProfilesMock) -> None:
    with pytest.raises(TypeError, match="mock_customer_profiles:") as raised:
        mock_customer_profiles(sede=DOCUMENT)
    assert str(raised.value) == (
        "mock_customer_profiles: unknown option(s) 'sede' (see docs/behaviour.md#options-and-behaviour-choices)\n"
        "- known options: account_id, delete_standard_objects, expire_profiles, lenient_matching, lifecycle, region, "
        "retry_delays, seed, strict_search_keys"
    )


# ------------------------------------------------------------------------------------------- schema


def test_the_published_schema_is_shipped_and_valid() -> None:
    shipped = resources.files("mock_customer_profiles").joinpath("seed.schema.json")
    schema = json.loads(shipped.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema == seed_schema()
    jsonschema.validate(DOCUMENT, schema)


def test_a_large_document_loads_whole_and_is_searchable(mock: CustomerProfilesMock) -> None:
    # Its speed is measured in benchmarks/ (seeding), never in a timed unit test.
    document = {
        "domains": [
            {
                "DomainName": "big",
                "profiles": [
                    {
                        "FirstName": f"First{n}",
                        "LastName": "Last",
                        "EmailAddress": f"p{n}@example.com",
                        "PhoneNumber": f"+1555{n:07d}",
                        "Address": {"City": "Lisbon"},
                    }
                    for n in range(2_000)
                ],
            }
        ]
    }
    ids = mock.load(document)
    assert len(ids["big"]) == 2_000
    assert len(set(ids["big"])) == 2_000
    assert [p["ProfileId"] for p in _search(mock.client(), "big", "_email", "p1999@example.com")] == [ids["big"][-1]]
