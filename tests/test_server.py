"""Server mode in process: ServerThread, bad HTTP, the control endpoints, concurrency, and scenarios run
through both doors (``both_doors``)."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import threading
import time
import wsgiref.simple_server
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from mock_customer_profiles import Call, SeedError, ServerThread, mock_customer_profiles
from mock_customer_profiles._handlers import HANDLERS
from mock_customer_profiles._server import MAX_BODY, ServerApp

MakeProfile = Callable[..., str]
HAMMER_SECONDS = float(os.environ.get("MOCK_CP_HAMMER_SECONDS", "3"))


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread() as running:
        yield running


def http_call(
    server: ServerThread,
    method: str,
    target: str,
    body: bytes | Iterable[bytes] | None = None,
    headers: dict[str, str] | None = None,
    chunked: bool = False,
) -> tuple[int, dict[str, str], Any]:
    """A raw HTTP request, as a client that is not botocore sends it; returns status, headers, JSON body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers or {}, encode_chunked=chunked)
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, json.loads(data)
    finally:
        connection.close()


def still_serves(server: ServerThread) -> None:
    client = server.client()
    client.create_domain(DomainName="after", DefaultExpirationDays=1)
    assert "after" in [item["DomainName"] for item in client.list_domains()["Items"]]


# ---------------------------------------------------------------------------------------------- ServerThread


def test_each_server_thread_gets_its_own_free_port_and_state() -> None:
    with ServerThread() as one, ServerThread() as two:
        assert one.port != two.port
        assert one.endpoint_url == f"http://127.0.0.1:{one.port}"
        one.client().create_domain(DomainName="acme", DefaultExpirationDays=365)
        assert [d["DomainName"] for d in one.client().list_domains()["Items"]] == ["acme"]
        assert two.client().list_domains()["Items"] == []


def test_server_thread_start_and_stop_are_idempotent() -> None:
    server = ServerThread()
    with pytest.raises(RuntimeError) as caught:
        _ = server.endpoint_url
    assert str(caught.value) == "mock_customer_profiles: the ServerThread is not running; call start() first"
    assert server.start() is server.start()
    assert server.running
    url = server.endpoint_url
    server.stop()
    server.stop()
    assert not server.running
    client = boto3.client(
        "customer-profiles",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with pytest.raises(EndpointConnectionError):
        client.list_domains()


def test_server_thread_takes_a_mock_or_options_not_both() -> None:
    with pytest.raises(TypeError) as caught:
        ServerThread(mock_customer_profiles(), region="eu-west-1")
    assert str(caught.value) == "mock_customer_profiles: give ServerThread either a mock or options, not both"


def test_a_busy_port_is_a_clear_error(server: ServerThread, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(OSError, match="cannot listen") as caught:
        ServerThread(port=server.port).start()
    assert str(caught.value) == f"mock_customer_profiles: cannot listen on 127.0.0.1:{server.port}"
    assert f"Port {server.port} is in use" in capsys.readouterr().err


def test_a_served_mock_keeps_its_seeding_calls_and_faults() -> None:
    with mock_customer_profiles() as cp, ServerThread(cp) as server:
        cp.create_domain("acme")
        pid = cp.create_profile("acme", EmailAddress="ana@example.com")
        cp.add_error("SearchProfiles", "AccessDeniedException", "no access today", KeyName="_phone")
        client = server.client()
        found = client.search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])
        assert [item["ProfileId"] for item in found["Items"]] == [pid]
        with pytest.raises(client.exceptions.AccessDeniedException) as caught:
            client.search_profiles(DomainName="acme", KeyName="_phone", Values=["+1"])
        assert caught.value.response["Error"]["Message"] == "no access today"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert [(call.operation, call.params["KeyName"]) for call in cp.calls] == [
            ("SearchProfiles", "_email"),
            ("SearchProfiles", "_phone"),
        ]
        assert cp.calls.last.error is not None


def test_server_clients_go_over_http_while_an_in_process_mock_is_active(server: ServerThread) -> None:
    with mock_customer_profiles() as in_process:
        server.client().create_domain(DomainName="served", DefaultExpirationDays=365)
        assert boto3.client("customer-profiles", region_name="us-east-1").list_domains()["Items"] == []
        assert [call.operation for call in in_process.calls] == ["ListDomains"]
    assert [call.operation for call in server.mock.calls] == ["CreateDomain"]


def test_region_comes_from_the_sigv4_scope_and_account_from_the_option() -> None:
    with ServerThread(account_id="111122223333", region="eu-west-2") as server:
        server.client("eu-west-1").create_domain(DomainName="irish", DefaultExpirationDays=365)
        server.client().create_domain(DomainName="london", DefaultExpirationDays=365)
        assert [d["DomainName"] for d in server.client("eu-west-1").list_domains()["Items"]] == ["irish"]
        assert [d["DomainName"] for d in server.client().list_domains()["Items"]] == ["london"]
        assert sorted(server.mock.service.backends) == [("111122223333", "eu-west-1"), ("111122223333", "eu-west-2")]


def test_a_request_without_a_sigv4_scope_goes_to_the_default_region(server: ServerThread) -> None:
    status, _, document = http_call(server, "POST", "/domains/plain", json.dumps({"DefaultExpirationDays": 3}).encode())
    assert (status, document["DomainName"]) == (200, "plain")
    assert list(server.mock.service.backends) == [("123456789012", "us-east-1")]


def test_percent_encoded_labels_keep_their_slash(server: ServerThread) -> None:
    """resourceArn travels as arn%3A...%3Adomains%2Facme: routed on the raw path, not WSGI's decoded one."""
    client = server.client()
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    arn = "arn:aws:profile:us-east-1:123456789012:domains/acme"
    client.tag_resource(resourceArn=arn, tags={"team": "cc"})
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "cc"}
    assert server.mock.calls.last.params == {"resourceArn": arn}


def test_an_absolute_form_request_target_is_routed_by_its_path(server: ServerThread) -> None:
    server.client().create_domain(DomainName="acme", DefaultExpirationDays=365)
    status, _, document = http_call(server, "GET", f"{server.endpoint_url}/domains?max-results=5")
    assert status == 200
    assert [item["DomainName"] for item in document["Items"]] == ["acme"]


def test_the_app_runs_under_a_wsgi_server_that_gives_no_raw_uri() -> None:
    cp = mock_customer_profiles()
    httpd = wsgiref.simple_server.make_server("127.0.0.1", 0, ServerApp(lambda: cp), handler_class=_QuietWsgiref)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        api = boto3.client(
            "customer-profiles",
            region_name="us-east-1",
            endpoint_url=f"http://127.0.0.1:{httpd.server_port}",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        api.create_domain(DomainName="acme", DefaultExpirationDays=365)
        pid = api.create_profile(DomainName="acme", FirstName="Zoë")["ProfileId"]
        found = api.search_profiles(DomainName="acme", KeyName="_fullName", Values=["Zoë"])["Items"]
        assert [item["ProfileId"] for item in found] == [pid]
    finally:
        httpd.shutdown()
        thread.join()
        httpd.server_close()


class _QuietWsgiref(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


# ------------------------------------------------------------------------------------------------ bad HTTP


def test_unknown_path_is_a_404_naming_it(server: ServerThread) -> None:
    status, headers, document = http_call(server, "GET", "/profiles/everything")
    assert status == 404
    assert headers["x-amzn-errortype"] == "UnknownOperationException"
    assert document == {
        "Message": "mock_customer_profiles: no Customer Profiles operation answers GET /profiles/everything"
    }
    still_serves(server)


def test_known_path_with_the_wrong_method_is_a_405(server: ServerThread) -> None:
    status, headers, document = http_call(server, "PATCH", "/domains/acme")
    assert status == 405
    assert headers["x-amzn-errortype"] == "MethodNotAllowedException"
    assert headers["allow"] == "DELETE, GET, POST, PUT"
    assert document == {
        "Message": "mock_customer_profiles: PATCH is not allowed on /domains/acme\n"
        "- methods this path answers: DELETE, GET, POST, PUT"
    }
    still_serves(server)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "mock_customer_profiles: the request body is not valid JSON"),
        (b"[1, 2]", "mock_customer_profiles: the request body must be a JSON object"),
        (b"\xff\xfe", "mock_customer_profiles: the request body is not valid JSON"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_bad_request(server: ServerThread, body: bytes, message: str) -> None:
    status, headers, document = http_call(server, "POST", "/domains/acme", body)
    assert (status, headers["x-amzn-errortype"], document) == (400, "BadRequestException", {"Message": message})
    still_serves(server)


def test_a_content_length_that_is_not_a_number_is_bad_request(server: ServerThread) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("POST", "/domains/acme")
    connection.putheader("Content-Length", "ten")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 400
    assert json.loads(response.read()) == {"Message": "mock_customer_profiles: Content-Length 'ten' is not a number"}
    connection.close()
    still_serves(server)


def test_a_body_over_1_mb_is_a_413_and_1_mb_is_read(server: ServerThread) -> None:
    exactly = b"{}" + b" " * (MAX_BODY - 2)
    status, _, document = http_call(server, "POST", "/domains/nowhere/profiles", exactly)
    assert (status, document) == (404, {"Message": "Domain nowhere not found"})

    status, headers, document = http_call(server, "POST", "/domains/nowhere/profiles", exactly + b" ")
    assert status == 413
    assert headers["x-amzn-errortype"] == "RequestEntityTooLargeException"
    assert document == {
        "Message": "mock_customer_profiles: the request body is too large.\n"
        f"- sent: {MAX_BODY + 1} bytes\n- the server accepts at most 1048576 bytes (1 MB)"
    }
    still_serves(server)


def test_a_chunked_body_is_read_and_limited_too(server: ServerThread) -> None:
    status, _, document = http_call(
        server, "POST", "/domains/chunked", iter([b'{"DefaultExp', b'irationDays": 7}']), chunked=True
    )
    assert (status, document["DefaultExpirationDays"]) == (200, 7)

    chunks = iter([b"{}", b" " * MAX_BODY])
    status, _, document = http_call(server, "POST", "/domains/chunked/profiles", chunks, chunked=True)
    assert status == 413
    assert document["Message"].startswith("mock_customer_profiles: the request body is too large.\n- sent: more than")
    still_serves(server)


def test_an_oversized_boto3_call_gets_the_413_as_a_client_error(server: ServerThread) -> None:
    client = server.client()
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    with pytest.raises(ClientError) as caught:
        client.create_profile(DomainName="acme", AdditionalInformation="x" * MAX_BODY)
    assert caught.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    still_serves(server)


def test_an_unimplemented_operation_is_a_501_naming_it(server: ServerThread, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(HANDLERS, "ListRecommenderRecipes")  # every operation has a handler: pretend one has not
    client = server.client()
    with pytest.raises(ClientError) as caught:
        client.list_recommender_recipes()
    assert caught.value.response["Error"] == {
        "Code": "NotImplementedOperation",
        "Message": "mock_customer_profiles: ListRecommenderRecipes is not implemented by the mock server.\n"
        "- nothing was sent to AWS\n- implemented operations are listed in docs/coverage.md#operation-coverage",
    }
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert http_call(server, "GET", "/_mock/calls")[2]["unimplemented"] == ["ListRecommenderRecipes"]
    still_serves(server)


def test_a_failing_handler_is_a_json_500_and_the_server_keeps_serving(
    server: ServerThread, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setitem(HANDLERS, "GetDomain", broken)
    status, headers, document = http_call(server, "GET", "/domains/acme")
    assert (status, headers["x-amzn-errortype"]) == (500, "InternalServerException")
    assert document == {
        "Message": "mock_customer_profiles: the server failed on this request: RuntimeError('boom')\n"
        "- the server keeps serving; please report this with the request that caused it"
    }
    assert "RuntimeError: boom" in capsys.readouterr().err
    still_serves(server)


# --------------------------------------------------------------------------------------- control endpoints


def test_calls_lists_what_was_answered_as_json(server: ServerThread, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(HANDLERS, "ListRecommenderRecipes")  # every operation has a handler: pretend one has not
    client = server.client()
    client.create_domain(DomainName="acme", DefaultExpirationDays=365)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_domain(DomainName="nowhere")
    with pytest.raises(ClientError):
        client.list_recommender_recipes()

    status, _, document = http_call(server, "GET", "/_mock/calls")
    assert status == 200
    [create, get] = document["calls"]
    assert create["operation"] == "CreateDomain"
    assert create["params"] == {"DomainName": "acme", "DefaultExpirationDays": 365}
    assert isinstance(create["response"]["CreatedAt"], float)
    assert create["error"] is None
    assert get == {
        "operation": "GetDomain",
        "params": {"DomainName": "nowhere"},
        "response": None,
        "error": {"Code": "ResourceNotFoundException", "Message": "Domain nowhere not found"},
    }
    assert document["unimplemented"] == ["ListRecommenderRecipes"]

    _, _, only = http_call(server, "GET", "/_mock/calls?operation=GetDomain")
    assert [call["operation"] for call in only["calls"]] == ["GetDomain"]
    _, _, same = http_call(server, "GET", "/_mock/calls?operation=get_domain")  # boto3's name, as get_calls
    assert same == only


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("GetDomian", "'GetDomian' is not a Customer Profiles operation (did you mean GetDomain?)"),
        ("", "'' is not a Customer Profiles operation"),
    ],
)
def test_calls_checks_the_operation_name_like_get_calls(server: ServerThread, query: str, expected: str) -> None:
    status, _, document = http_call(server, "GET", f"/_mock/calls?operation={query}")
    assert status == 400
    assert document == {"Message": f"mock_customer_profiles: {expected} (see docs/server.md#server-mode)."}


def test_serve_without_werkzeug_says_how_to_install_it_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from mock_customer_profiles.__main__ import main

    monkeypatch.setitem(sys.modules, "werkzeug.serving", None)  # import werkzeug.serving: ImportError
    assert main(["serve", "--port", "0"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "mock_customer_profiles: server mode needs werkzeug: pip install 'mock-customer-profiles[server]'\n"
    with pytest.raises(RuntimeError, match=r"^mock_customer_profiles: server mode needs werkzeug: pip install"):
        ServerThread().start()


def test_calls_shows_timestamps_in_epoch_seconds_and_blobs_in_base64(server: ServerThread) -> None:
    at = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    server.mock.service.calls.append(Call("PutIntegration", {"At": at, "Blob": b"\x00\x01"}, {"When": at}))
    _, _, document = http_call(server, "GET", "/_mock/calls")
    assert document["calls"] == [
        {
            "operation": "PutIntegration",
            "params": {"At": 1704067200.0, "Blob": "AAE="},
            "response": {"When": 1704067200.0},
            "error": None,
        }
    ]


def test_reset_forgets_everything() -> None:
    with mock_customer_profiles() as cp, ServerThread(cp) as server:
        client = server.client()
        client.create_domain(DomainName="acme", DefaultExpirationDays=365)
        for _ in range(3):
            client.create_profile(DomainName="acme", AccountNumber="A")
        token = client.search_profiles(DomainName="acme", KeyName="_account", Values=["A"], MaxResults=1)["NextToken"]
        cp.add_error("ListDomains", "AccessDeniedException")

        status, headers, document = http_call(server, "POST", "/_mock/reset")
        assert (status, headers["content-type"], document) == (200, "application/json", {"reset": True})

        assert client.list_domains()["Items"] == []
        client.create_domain(DomainName="acme", DefaultExpirationDays=365)
        with pytest.raises(client.exceptions.BadRequestException):
            client.search_profiles(DomainName="acme", KeyName="_account", Values=["A"], NextToken=token)
        _, _, recorded = http_call(server, "GET", "/_mock/calls")
        assert [call["operation"] for call in recorded["calls"]] == ["ListDomains", "CreateDomain", "SearchProfiles"]


def test_seed_loads_domains_profiles_object_types_and_objects(server: ServerThread) -> None:
    loyalty = {
        "ObjectTypeName": "Loyalty",
        "Description": "Loyalty cards",
        "AllowProfileCreation": True,
        "Fields": {
            "card": {"Source": "_source.card"},
            "phone": {"Source": "_source.phone", "Target": "_profile.PhoneNumber", "ContentType": "PHONE_NUMBER"},
        },
        "Keys": {
            "cardNumber": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["card"]}],
            "_phone": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["phone"]}],
        },
    }
    document = {
        "domains": [
            {
                "DomainName": "acme",
                "objectTypes": [loyalty],
                "profiles": [
                    {"FirstName": "Ana", "EmailAddress": "ana@example.com"},
                    {"FirstName": "Ben", "EmailAddress": "ben@example.com", "PhoneNumber": "+15550002222"},
                ],
                "objects": [
                    {"ObjectTypeName": "Loyalty", "Object": {"card": "C-1", "phone": "+15550002222"}},
                    {"ObjectTypeName": "Loyalty", "Object": '{"card": "C-2", "phone": "+15550003333"}'},
                ],
            },
            {"DomainName": "globex", "DefaultExpirationDays": 30},
        ]
    }
    status, _, ids = http_call(server, "POST", "/_mock/seed", json.dumps(document).encode())
    assert status == 200
    assert list(ids) == ["acme", "globex"]
    assert len(ids["acme"]) == 2
    assert ids["globex"] == []
    client = server.client()
    assert client.get_domain(DomainName="globex")["DefaultExpirationDays"] == 30
    assert client.get_domain(DomainName="acme")["DefaultExpirationDays"] == 365
    ben = client.search_profiles(DomainName="acme", KeyName="_email", Values=["ben@example.com"])["Items"]
    by_card = client.search_profiles(DomainName="acme", KeyName="cardNumber", Values=["C-1"])["Items"]
    assert [item["ProfileId"] for item in ben] == [ids["acme"][1]]
    assert [item["ProfileId"] for item in by_card] == [ids["acme"][1]]
    created = client.search_profiles(DomainName="acme", KeyName="cardNumber", Values=["C-2"])["Items"]
    assert [item["PhoneNumber"] for item in created] == ["+15550003333"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"domain": []},
            "mock_customer_profiles: the seed document is invalid (see docs/seeding.md#seeding):\n"
            "- domains: missing (required)\n- domain: not allowed here (did you mean domains?)",
        ),
        (
            {"domains": [{"DomainName": "acme", "profiles": [{"FirstName": "Ana"}, {"Gender": "X"}]}]},
            "mock_customer_profiles: the seed document is invalid (see docs/seeding.md#seeding):\n"
            "- domains[0].profiles[1].Gender: 'X' is not one of ['MALE', 'FEMALE', 'UNSPECIFIED']",
        ),
        (
            {"domains": [{"DomainName": "acme", "profiles": [{"FirstName": "Ana"}]}, {"DomainName": "acme"}]},
            "mock_customer_profiles: the seed document was not loaded: CreateDomain rejected domains[1] "
            "(see docs/seeding.md#seeding):\n- BadRequestException: Domain acme already exists",
        ),
    ],
    ids=["structure", "entry", "handler"],
)
def test_a_bad_seed_document_is_bad_request_and_stores_nothing(
    server: ServerThread, document: Any, message: str
) -> None:
    status, headers, answer = http_call(server, "POST", "/_mock/seed", json.dumps(document).encode())
    assert (status, headers["x-amzn-errortype"], answer) == (400, "BadRequestException", {"Message": message})
    assert server.client().list_domains()["Items"] == []


def test_seed_answers_as_load_does() -> None:
    document = {"domains": [{"DomainName": "acme", "profiles": [{"FirstName": "Ana"}, {"Nickname": "B"}]}]}
    with mock_customer_profiles() as cp, ServerThread(cp) as server:
        with pytest.raises(SeedError) as caught:
            cp.load(document)
        status, _, answer = http_call(server, "POST", "/_mock/seed", json.dumps(document).encode())
        assert (status, answer) == (400, {"Message": str(caught.value)})


def test_a_server_thread_of_its_own_loads_its_seed(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"domains": [{"DomainName": "acme", "profiles": [{"AccountNumber": "A-1"}]}]}))
    with ServerThread(seed=seed) as server:
        found = server.client().search_profiles(DomainName="acme", KeyName="_account", Values=["A-1"])["Items"]
        assert len(found) == 1


def test_seed_needs_a_json_body(server: ServerThread) -> None:
    status, _, answer = http_call(server, "POST", "/_mock/seed", b"domains: []")
    assert (status, answer) == (400, {"Message": "mock_customer_profiles: the request body is not valid JSON"})


def test_unknown_control_endpoint_and_wrong_method(server: ServerThread) -> None:
    status, _, document = http_call(server, "GET", "/_mock/state")
    assert status == 404
    assert document == {
        "Message": "mock_customer_profiles: no control endpoint at /_mock/state\n- POST /_mock/reset\n"
        "- POST /_mock/seed\n- GET /_mock/calls\n- GET /_mock/effects\n- POST /_mock/settle\n"
        "- see docs/server.md#server-mode"
    }
    status, headers, document = http_call(server, "GET", "/_mock/reset")
    assert (status, headers["allow"]) == (405, "POST")
    assert document == {
        "Message": "mock_customer_profiles: GET is not allowed on /_mock/reset\n- methods this path answers: POST"
    }


# ------------------------------------------------------------------------------------------------ concurrency


def test_eight_threads_hammering_create_and_search_lose_nothing(server: ServerThread) -> None:
    setup = server.client()
    setup.create_domain(DomainName="acme", DefaultExpirationDays=365)
    clients = [server.client() for _ in range(8)]
    created: list[list[str]] = [[] for _ in clients]
    failures: list[BaseException] = []
    deadline = time.monotonic() + HAMMER_SECONDS

    def hammer(number: int) -> None:
        client = clients[number]
        try:
            while time.monotonic() < deadline:
                email = f"t{number}-{len(created[number])}@example.com"
                pid = client.create_profile(DomainName="acme", EmailAddress=email, AccountNumber=f"T{number}")[
                    "ProfileId"
                ]
                created[number].append(pid)
                found = client.search_profiles(
                    DomainName="acme",
                    KeyName="_email",
                    Values=[email],
                    AdditionalSearchKeys=[{"KeyName": "_account", "Values": [f"T{number}"]}],
                    LogicalOperator="AND",
                )["Items"]
                assert [item["ProfileId"] for item in found] == [pid]
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert all(created), "every thread created at least one profile"
    for number, ids in enumerate(created):
        found = [item["ProfileId"] for page in _pages(setup, f"T{number}") for item in page["Items"]]
        assert found == ids
    total = sum(len(ids) for ids in created)
    assert setup.get_domain(DomainName="acme")["Stats"]["ProfileCount"] == total
    assert len([c for c in server.mock.calls if c.operation == "CreateProfile" and c.error is None]) == total


def _pages(client: Any, account: str) -> Iterator[Any]:
    token: dict[str, str] = {}
    while True:
        page = client.search_profiles(DomainName="acme", KeyName="_account", Values=[account], MaxResults=100, **token)
        yield page
        if "NextToken" not in page:
            return
        token = {"NextToken": page["NextToken"]}


# ------------------------------------------------------------------------- scenarios through both doors


@pytest.mark.both_doors
def test_scenario_search_and_lifecycle(door: str, client: Any, make_profile: MakeProfile) -> None:
    ana = make_profile(FirstName="Ana", LastName="Silva", EmailAddress="ana@example.com", PhoneNumber="+15550001111")
    ben = make_profile(FirstName="Ben", EmailAddress="ben@example.com", PhoneNumber="+15550001111")
    found = client.search_profiles(
        DomainName="acme",
        KeyName="_email",
        Values=["ana@example.com"],
        AdditionalSearchKeys=[{"KeyName": "_phone", "Values": ["+15550001111"]}],
        LogicalOperator="AND",
    )["Items"]
    assert [item["ProfileId"] for item in found] == [ana]
    assert found[0]["FoundByItems"] == [
        {"KeyName": "_email", "Values": ["ana@example.com"]},
        {"KeyName": "_phone", "Values": ["+15550001111"]},
    ]

    client.update_profile(DomainName="acme", ProfileId=ben, EmailAddress="ben@work.example.com")
    client.delete_profile(DomainName="acme", ProfileId=ana)
    either = client.search_profiles(
        DomainName="acme",
        KeyName="_phone",
        Values=["+15550001111"],
        AdditionalSearchKeys=[{"KeyName": "_email", "Values": ["ben@work.example.com"]}],
    )["Items"]
    assert [(item["ProfileId"], item["EmailAddress"]) for item in either] == [(ben, "ben@work.example.com")]


@pytest.mark.both_doors
def test_scenario_pagination_and_errors(door: str, client: Any, raw_client: Any, make_profile: MakeProfile) -> None:
    ids = [make_profile(AccountNumber="ACC-1") for _ in range(7)]
    first = client.search_profiles(DomainName="acme", KeyName="_account", Values=["ACC-1"], MaxResults=4)
    second = client.search_profiles(
        DomainName="acme", KeyName="_account", Values=["ACC-1"], MaxResults=4, NextToken=first["NextToken"]
    )
    assert [item["ProfileId"] for item in first["Items"] + second["Items"]] == ids
    assert "NextToken" not in second

    with pytest.raises(raw_client.exceptions.BadRequestException) as caught:
        raw_client.search_profiles(DomainName="acme", KeyName="_account", Values=["ACC-1"], LogicalOperator="XOR")
    assert caught.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'XOR' at 'logicalOperator' failed to satisfy constraint: "
        "Member must satisfy enum value set: [AND, OR]"
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException) as missing:
        client.search_profiles(DomainName="nowhere", KeyName="_account", Values=["ACC-1"])
    assert missing.value.response["Error"]["Message"] == "Domain nowhere not found"
