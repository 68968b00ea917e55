"""1. Per-call overhead: SearchProfiles through the mock, against the floor of any before-send design,
botocore's Stubber, and a comparable moto-mocked call (DynamoDB GetItem under ``mock_aws``)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from benchmarks._harness import Figure, Ratio, Results, compare
from benchmarks.seeding import simple_profile
from mock_customer_profiles import _hook, mock_customer_profiles

SECTION = "Per-call overhead"
REGION = "us-east-1"
QUERY = {"DomainName": "acme", "KeyName": "_email", "Values": [simple_profile(7)["EmailAddress"]]}


class _Raw(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


def _seed(cp: Any, count: int) -> None:
    cp.create_domain("acme")
    for i in range(count):
        cp.create_profile("acme", **simple_profile(i))


def _captured_response(client: Any) -> tuple[int, dict[str, str], bytes]:
    """The status, headers and body the mock sends for QUERY (what the canned hook replays)."""
    seen: dict[str, Any] = {}

    def keep(http_response: Any, **_: Any) -> None:
        seen["status"] = http_response.status_code
        seen["headers"] = dict(http_response.headers)
        seen["body"] = http_response.content

    client.meta.events.register("after-call.customer-profiles.SearchProfiles", lambda **kw: keep(**kw))
    client.search_profiles(**QUERY)
    return seen["status"], seen["headers"], seen["body"]


class _MotoTable:
    """A DynamoDB table of 100 items under moto's ``mock_aws``, kept across activations.

    moto is active only around its own batches: its before-send handler runs for every botocore call
    while it is active (botocore calls all before-send handlers), customer-profiles calls included.
    """

    def __init__(self) -> None:
        from moto import mock_aws

        self._mock = mock_aws()
        self._mock.start()
        self.client = boto3.client("dynamodb", region_name=REGION)
        self.client.create_table(
            TableName="profiles",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        for i in range(100):
            self.client.put_item(
                TableName="profiles", Item={"pk": {"S": f"user{i}"}, "EmailAddress": {"S": f"user{i}@example.com"}}
            )
        self._mock.stop(remove_data=False)
        self._key = {"pk": {"S": "user7"}}

    def get_item(self) -> object:
        return self.client.get_item(TableName="profiles", Key=self._key)

    @contextmanager
    def active(self) -> Iterator[None]:
        self._mock.start(reset=False)
        try:
            yield
        finally:
            self._mock.stop(remove_data=False)

    def close(self) -> None:
        self._mock.start(reset=False)
        self._mock.stop()


def run(quick: bool) -> Results:
    from botocore.awsrequest import AWSResponse
    from botocore.stub import Stubber

    number, rounds = (100, 5) if quick else (300, 15)
    results = Results()
    with mock_customer_profiles() as cp:
        _seed(cp, 100)
        mock_client = boto3.client("customer-profiles", region_name=REGION)
        status, headers, body = _captured_response(boto3.client("customer-profiles", region_name=REGION))

        # The floor: a before-send hook that answers with the pre-serialized bytes of the same answer. Any
        # before-send design pays botocore's serialization, signing and parsing; this pays nothing more.
        floor_client = boto3.client("customer-profiles", region_name=REGION)

        def canned(request: Any, **_: Any) -> AWSResponse:
            return AWSResponse(request.url, status, headers, _Raw(body))

        floor_client.meta.events.register("before-send.customer-profiles.SearchProfiles", canned)
        # botocore calls every before-send handler (then takes the first answer), so the mock's own hook
        # would run for this client too: take it off, the floor is botocore plus the canned answer only.
        floor_client.meta.events.unregister(_hook.SEND_EVENT, unique_id=_hook.DOOR_ID)

        # botocore's Stubber: one queued (and model-validated) response per call, answered at before-call.
        stub_client = boto3.client("customer-profiles", region_name=REGION)
        parsed = stub_client.search_profiles(**QUERY)
        parsed.pop("ResponseMetadata")
        stubber = Stubber(stub_client)
        stubber.activate()

        def stubbed() -> object:
            stubber.add_response("search_profiles", parsed)
            return stub_client.search_profiles(**QUERY)

        moto = _MotoTable()
        calls_before = len(cp.calls)
        assert floor_client.search_profiles(**QUERY)["Items"] == mock_client.search_profiles(**QUERY)["Items"]
        assert len(cp.calls) == calls_before + 1, "the floor client must not reach the mock"
        times = compare(
            {
                "mock": lambda: mock_client.search_profiles(**QUERY),
                "floor": lambda: floor_client.search_profiles(**QUERY),
                "stubber": stubbed,
                "moto": moto.get_item,
            },
            number=number,
            rounds=rounds,
            scopes={"moto": moto.active},
        )
        moto.close()
        stubber.deactivate()

    us = {name: times[name] * 1e6 for name in times.samples}
    results.figures += [
        Figure(SECTION, "SearchProfiles through the mock", us["mock"], "µs/call"),
        Figure(SECTION, "floor: before-send hook replaying canned bytes", us["floor"], "µs/call"),
        Figure(SECTION, "botocore Stubber (add_response + call)", us["stubber"], "µs/call"),
        Figure(SECTION, "moto mock_aws: DynamoDB GetItem", us["moto"], "µs/call"),
        Figure(SECTION, "mock's own share (mock - floor)", us["mock"] - us["floor"], "µs/call"),
    ]
    results.ratios += [
        Ratio(SECTION, "floor time ÷ mock time", times.ratio("floor", "mock"), target=0.85),
        Ratio(SECTION, "Stubber time ÷ mock time", times.ratio("stubber", "mock")),
        Ratio(SECTION, "moto GetItem time ÷ mock time", times.ratio("moto", "mock")),
    ]
    return results
