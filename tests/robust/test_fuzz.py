"""Hostile requests against every implemented operation, through a boto3 client without parameter validation.

Each example starts a fresh mock seeded with domains, profiles, object types and objects, takes a valid
request (generated from the input shape, leaning on existing names and ids) and breaks it in up to three
places (sometimes its whole body is no JSON object at all, or nests far too deep): wrong
types and nulls, lengths and values past their bounds, broken patterns and enums, unknown and missing
members, lists and maps too long or empty, unicode, nasty text in the uri and query string. The body goes
out as botocore serializes it, or, when botocore could not express it, as raw JSON put in place by a
``request-created`` handler. Every call must end in a response that fits the output shape or in an error
the model declares, leave the state alone when rejected, and be rejected exactly when the request, as it
went over the wire, breaks the input shape. All of it runs twice: through the botocore hook, and over
HTTP through the server door.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from mock_customer_profiles import ServerThread, mock_customer_profiles
from mock_customer_profiles._handlers import HANDLERS

from .support import (
    RAW_BODIES,
    WireClient,
    as_params,
    check_outcome,
    hostile_located,
    input_shape,
    located_members,
    mutated,
    seed,
    snapshot,
    split,
    sweep_settings,
    valid_request,
)

OPERATIONS = sorted(HANDLERS)


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread() as running:
        yield running


@pytest.fixture(scope="module")
def wire() -> WireClient:
    return WireClient(validate=False)


@pytest.fixture(scope="module")
def wire_over_http(server: ServerThread) -> WireClient:
    return WireClient(validate=False, server=server)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_hostile_requests_end_in_a_response_or_a_modelled_error(wire: WireClient, operation: str) -> None:
    fuzz(wire, operation)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_hostile_requests_over_http(server: ServerThread, wire_over_http: WireClient, operation: str) -> None:
    """The same, through the server door: real HTTP, parsed by the server before the codec sees it."""
    fuzz(wire_over_http, operation, server)


def fuzz(wire: WireClient, operation: str, server: ServerThread | None = None) -> None:
    shape = input_shape(operation)
    located = located_members(operation)
    endings: Counter[str] = Counter()

    @sweep_settings()
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        with mock_customer_profiles() as mock:
            if server is not None:
                server.mock = mock
            pools = seed(mock)
            request = data.draw(valid_request(operation, pools), label="valid")
            for _ in range(data.draw(st.integers(0, 3), label="defects")):
                request = data.draw(mutated(shape, request, top=True), label="mutated")
            if located and data.draw(st.booleans(), label="hostile located member"):
                name = data.draw(st.sampled_from(sorted(located)))
                request[name] = data.draw(hostile_located(located[name][1]), label=name)
            params, body = split(operation, request)
            as_botocore = as_params(operation, body)
            before = snapshot(mock)
            outcome = None
            if as_botocore is not None and data.draw(st.booleans(), label="botocore serializes the body"):
                outcome = wire.call(operation, {**params, **as_botocore})
            if outcome is None or not outcome.delivered:  # botocore could not serialize it: send raw JSON
                raw = json.dumps(body).encode()
                if data.draw(st.integers(0, 19), label="no JSON object at all") == 0:
                    raw = data.draw(st.sampled_from(RAW_BODIES), label="raw body")
                outcome = wire.call(operation, params, body=raw)
            if not outcome.delivered:  # botocore cannot even build the url (a missing uri label)
                event("not sent: botocore could not build the request")
                return
            check_outcome(outcome, before, snapshot(mock))
            ending = outcome.code or "success"
            endings[ending] += 1
            event(ending)

    run()
    assert endings, f"no request of {operation} reached the mock"
    assert endings["BadRequestException"] > 0, f"no hostile request of {operation} was rejected: {dict(endings)}"


def test_the_recording_client_sees_rewritten_bodies(wire: WireClient) -> None:
    """The harness itself: a rewritten body is what the server gets, and what the oracle judges."""
    with mock_customer_profiles() as mock:
        seed(mock)
        outcome = wire.call("SearchProfiles", {"DomainName": "acme"}, body=b'{"KeyName": "_email", "Values": [null]}')
        assert outcome.delivered
        assert outcome.body == b'{"KeyName": "_email", "Values": [null]}'
        assert outcome.code == "BadRequestException"
        assert outcome.message == (
            "1 validation error detected: Value null at 'values.1.member' failed to satisfy constraint: "
            "Member must be of type string"
        )
        answered: Any = wire.call("GetDomain", {"DomainName": "acme"})
        assert answered.status == 200
        assert json.loads(answered.raw)["DomainName"] == "acme"
