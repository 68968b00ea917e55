"""Coexistence: moto's ``mock_aws`` in either nesting order, and the ``requests`` door (``responses``)."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
import requests.adapters
import responses
from moto import mock_aws
from requests_aws4auth import AWS4Auth

from mock_customer_profiles import (
    CustomerProfilesMock,
    NotImplementedOperation,
    RegionMismatchWarning,
    mock_customer_profiles,
)
from mock_customer_profiles._handlers import HANDLERS

ENDPOINT = "https://profile.us-east-1.amazonaws.com"
AUTH = AWS4Auth("testing", "testing", "us-east-1", "profile")


def _without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def _s3_and_profiles(cp: CustomerProfilesMock) -> None:
    """S3 (moto's) and Customer Profiles (ours) side by side, through boto3 and through requests."""
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="exports")
    s3.put_object(Bucket="exports", Key="ana.json", Body=b'{"FirstName": "Ana"}')
    profiles = boto3.client("customer-profiles", region_name="us-east-1")
    profiles.create_domain(DomainName="acme", DefaultExpirationDays=1)
    fields = json.loads(s3.get_object(Bucket="exports", Key="ana.json")["Body"].read())
    pid = profiles.create_profile(DomainName="acme", **fields)["ProfileId"]

    url = s3.generate_presigned_url("get_object", Params={"Bucket": "exports", "Key": "ana.json"})
    assert requests.get(url, timeout=5).content == b'{"FirstName": "Ana"}'
    found = requests.post(
        f"{ENDPOINT}/domains/acme/profiles/search", json={"KeyName": "_profileId", "Values": [pid]}, auth=AUTH
    )
    assert found.json()["Items"][0]["FirstName"] == "Ana"
    assert [call.operation for call in cp.calls] == ["CreateDomain", "CreateProfile", "SearchProfiles"]


def test_inside_moto() -> None:
    with mock_aws(), mock_customer_profiles() as cp:
        _s3_and_profiles(cp)


def test_around_moto() -> None:
    with mock_customer_profiles() as cp, mock_aws():
        _s3_and_profiles(cp)


@mock_aws
def test_moto_decorator_with_the_fixture(customer_profiles_mock: CustomerProfilesMock) -> None:
    _s3_and_profiles(customer_profiles_mock)


# --------------------------------------------------------------------------------------- requests door


def test_requests_gets_the_answers_boto3_gets(mock: CustomerProfilesMock, client: Any) -> None:
    client.create_domain(DomainName="acme", DefaultExpirationDays=1)
    pid = client.create_profile(DomainName="acme", FirstName="Ana", EmailAddress="ana@example.com")["ProfileId"]
    query = {"KeyName": "_email", "Values": ["ana@example.com"]}

    by_boto3 = client.search_profiles(DomainName="acme", **query)
    by_requests = requests.post(f"{ENDPOINT}/domains/acme/profiles/search", json=query, auth=AUTH)

    assert by_requests.status_code == 200
    assert by_requests.json() == _without_metadata(by_boto3)
    assert by_requests.json()["Items"][0]["ProfileId"] == pid
    assert "x-amzn-RequestId" in by_requests.headers
    assert mock.calls[-1].response == mock.calls[-2].response


def test_requests_gets_modelled_errors_and_injected_ones(mock: CustomerProfilesMock) -> None:
    missing = requests.get(f"{ENDPOINT}/domains/nowhere", auth=AUTH)
    assert missing.status_code == 404
    assert missing.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert missing.json() == {"Message": "Domain nowhere not found"}

    mock.add_error("ListDomains", "ThrottlingException", "slow down")
    throttled = requests.get(f"{ENDPOINT}/domains", auth=AUTH)
    assert (throttled.status_code, throttled.headers["x-amzn-ErrorType"], throttled.json()) == (
        429,
        "ThrottlingException",
        {"Message": "slow down"},
    )
    assert [str(call) for call in mock.calls] == [
        "GetDomain(DomainName='nowhere') -> ResourceNotFoundException",
        "ListDomains() -> ThrottlingException",
    ]


def test_a_body_sent_as_text_is_read_the_same(mock: CustomerProfilesMock) -> None:
    mock.create_domain("acme")
    query = json.dumps({"KeyName": "_email", "Values": ["ana@example.com"]})
    response = requests.post(f"{ENDPOINT}/domains/acme/profiles/search", data=query, auth=AUTH)
    assert response.json() == {"Items": []}
    assert str(mock.calls.last) == "SearchProfiles(DomainName='acme', KeyName='_email', Values=['ana@example.com'])"


def test_a_path_no_operation_answers(mock: CustomerProfilesMock) -> None:
    response = requests.get(f"{ENDPOINT}/nothing/here", auth=AUTH)
    assert (response.status_code, response.headers["x-amzn-ErrorType"], response.json()) == (
        404,
        "UnknownOperationException",
        {"Message": "mock_customer_profiles: no Customer Profiles operation answers GET /nothing/here"},
    )
    assert mock.calls == []


def test_unimplemented_calls_keep_what_was_sent(mock: CustomerProfilesMock, monkeypatch: pytest.MonkeyPatch) -> None:
    # ListWorkflows is implemented; without its handler it stands for any operation with a timestamp member.
    monkeypatch.delitem(HANDLERS, "ListWorkflows")
    url = f"{ENDPOINT}/domains/acme/workflows"
    for body in ('{"QueryStartDate": 1700000000}', '{"QueryStartDate": "soon"}', "not json"):
        with pytest.raises(NotImplementedOperation):
            requests.post(url, data=body, auth=AUTH)
    assert [call.params for call in mock.unimplemented_calls] == [
        {"DomainName": "acme", "QueryStartDate": dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)},
        {"DomainName": "acme", "QueryStartDate": "soon"},
        {"DomainName": "acme"},
    ]


def test_the_region_comes_from_the_signature_or_the_host(mock: CustomerProfilesMock) -> None:
    mock.client("eu-west-1").create_domain(DomainName="west", DefaultExpirationDays=1)
    signed_west = AWS4Auth("testing", "testing", "eu-west-1", "profile")
    assert requests.get(f"{ENDPOINT}/domains/west", auth=signed_west).status_code == 200
    assert requests.get("https://profile.eu-west-1.amazonaws.com/domains/west").status_code == 200
    with pytest.warns(RegionMismatchWarning, match="fix: make this client with region_name='eu-west-1', or create"):
        assert requests.get(f"{ENDPOINT}/domains/west").status_code == 404  # unsigned: the default region


def test_an_unimplemented_operation_raises_out_of_requests(
    mock: CustomerProfilesMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mock_customer_profiles._handlers import HANDLERS

    monkeypatch.delitem(HANDLERS, "GetMatches")  # every operation has a handler: pretend one has not
    with pytest.raises(NotImplementedOperation):
        requests.get(f"{ENDPOINT}/domains/acme/matches", auth=AUTH)
    assert [call.operation for call in mock.unimplemented_calls] == ["GetMatches"]


@pytest.fixture
def local_server() -> Iterator[str]:
    """A real HTTP server on the loopback interface (the only network the test suite may use)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"real answer for {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_every_other_url_passes_through_untouched(mock: CustomerProfilesMock, local_server: str) -> None:
    assert requests.get(f"{local_server}/hello", timeout=5).text == "real answer for /hello"
    assert mock.calls == []


def test_the_door_closes_when_the_last_mock_stops() -> None:
    original = requests.adapters.HTTPAdapter.send
    with mock_customer_profiles(), mock_customer_profiles():
        assert requests.adapters.HTTPAdapter.send is not original
        assert len(responses.registered()) == 2  # the endpoint and the upload URL of upload jobs
    assert requests.adapters.HTTPAdapter.send is original
    assert responses.registered() == []


def test_responses_activate_inside_ours_still_reaches_us(mock: CustomerProfilesMock) -> None:
    mock.create_domain("acme")

    @responses.activate
    def code_with_its_own_responses() -> tuple[str, str]:
        responses.add(responses.GET, "https://api.example.com/ping", body="pong")
        pong = requests.get("https://api.example.com/ping", timeout=5).text
        return pong, requests.get(f"{ENDPOINT}/domains/acme", auth=AUTH).json()["DomainName"]

    assert code_with_its_own_responses() == ("pong", "acme")
    assert requests.get(f"{ENDPOINT}/domains/acme", auth=AUTH).json()["DomainName"] == "acme"


def test_a_requests_mock_started_before_ours_keeps_its_urls() -> None:
    with responses.RequestsMock() as theirs:
        theirs.add(responses.GET, "https://api.example.com/ping", body="pong")
        with mock_customer_profiles() as cp:
            cp.create_domain("acme")
            assert requests.get("https://api.example.com/ping", timeout=5).text == "pong"
            assert requests.get(f"{ENDPOINT}/domains/acme", auth=AUTH).json()["DomainName"] == "acme"


@responses.activate
def test_the_default_responses_mock_around_ours() -> None:
    responses.add(responses.GET, "https://api.example.com/ping", body="pong")
    with mock_customer_profiles() as cp:
        cp.create_domain("acme")
        assert requests.get("https://api.example.com/ping", timeout=5).text == "pong"
        assert requests.get(f"{ENDPOINT}/domains/acme", auth=AUTH).json()["DomainName"] == "acme"
    assert [str(r.url) for r in responses.registered()] == ["https://api.example.com/ping"]
