"""6. Ingestion with the configuration families at work: PutProfileObject through boto3 into a domain with
an event stream (every change becomes a stream record) and an event trigger an integration uses (every
object is evaluated, half of them invoke the destination), against the same ingestion into a plain domain."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import boto3

from benchmarks._harness import Figure, Ratio, Results, compare
from mock_customer_profiles import mock_customer_profiles

SECTION = "Ingestion with a stream and a trigger"
REGION = "us-east-1"
BUDGET = 1.5  # the configured domain may cost at most half as much again per object
ORDER_TYPE: dict[str, Any] = {
    "Description": "orders",
    "AllowProfileCreation": True,
    "Fields": {
        "id": {"Source": "_source.id", "ContentType": "STRING"},
        "total": {"Source": "_source.total", "ContentType": "NUMBER"},
        "email": {"Source": "_source.email", "Target": "_profile.EmailAddress", "ContentType": "EMAIL_ADDRESS"},
    },
    "Keys": {
        "orderId": [{"FieldNames": ["id"], "StandardIdentifiers": ["UNIQUE"]}],
        "_email": [{"FieldNames": ["email"], "StandardIdentifiers": ["PROFILE"]}],
    },
}
TRIGGER: dict[str, Any] = {
    "ObjectTypeName": "Order",
    "EventTriggerConditions": [
        {
            "EventTriggerDimensions": [
                {"ObjectAttributes": [{"FieldName": "total", "ComparisonOperator": "GREATER_THAN", "Values": ["100"]}]}
            ],
            "LogicalOperator": "ALL",
        }
    ],
    "EventTriggerLimits": {"Periods": [{"Unit": "DAYS", "Value": 1, "Unlimited": True}]},
}


def _ingest(client: Any, domain: str) -> Callable[[], object]:
    """A new order each call, from a new customer (so ingestion creates a profile too), half of them big."""
    numbers = itertools.count()

    def put() -> object:
        n = next(numbers)
        order = {"id": f"O-{n}", "total": 50 + 100 * (n % 2), "email": f"customer{n}@example.com"}
        return client.put_profile_object(DomainName=domain, ObjectTypeName="Order", Object=json.dumps(order))

    return put


def run(quick: bool) -> Results:
    number, rounds = (100, 5) if quick else (300, 15)
    results = Results()
    with mock_customer_profiles() as cp:
        client = boto3.client("customer-profiles", region_name=REGION)
        for domain in ("plain", "configured"):
            cp.create_domain(domain)
            cp.put_object_type(domain, "Order", **ORDER_TYPE)
        client.create_event_stream(
            DomainName="configured", EventStreamName="export", Uri="arn:aws:kinesis:us-east-1:123456789012:stream/s"
        )
        client.create_event_trigger(DomainName="configured", EventTriggerName="big", **TRIGGER)
        client.put_integration(
            DomainName="configured",
            Uri="arn:aws:connect-campaigns:::c",
            ObjectTypeName="Order",
            EventTriggerNames=["big"],
        )
        times = compare(
            {"plain": _ingest(client, "plain"), "configured": _ingest(client, "configured")},
            number=number,
            rounds=rounds,
        )
        records, invocations = len(cp.stream_records()), len(cp.event_trigger_invocations())
        ingested = len(cp.get_calls("PutProfileObject", DomainName="configured"))
        # Each object creates its customer's profile: two records; every second object is big.
        assert (records, invocations) == (2 * ingested, ingested // 2), (records, invocations, ingested)

    us = {name: times[name] * 1e6 for name in times.samples}
    results.figures += [
        Figure(SECTION, "PutProfileObject into a plain domain", us["plain"], "µs/call"),
        Figure(SECTION, "PutProfileObject with a stream and a trigger", us["configured"], "µs/call"),
        Figure(SECTION, "stream records kept", records, "records"),
        Figure(SECTION, "trigger invocations kept", invocations, "invocations"),
    ]
    results.ratios += [
        Ratio(
            SECTION,
            f"configured time ÷ plain time (budget {BUDGET:g})",
            times.ratio("configured", "plain"),
            BUDGET,
            False,
            label="with stream+trigger ÷ plain",
        )
    ]
    return results
