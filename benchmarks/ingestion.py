"""6. Ingestion: PutProfileObject into a domain of many profiles (the object finds its profile by a
PROFILE key and writes its mapped fields), and BatchPutProfileObject of 10 items, each as a ratio to a
plain call, so that the ingestion rules (matching, provenance, expiry, history) stay cheap."""

from __future__ import annotations

import itertools
import json

import boto3

from benchmarks._harness import Figure, Ratio, Results, compare
from benchmarks.seeding import simple_profile
from mock_customer_profiles import mock_customer_profiles

SECTION = "Ingestion"
REGION = "us-east-1"
ORDER_TYPE = {
    "Description": "orders",
    "AllowProfileCreation": True,
    "Fields": {
        "no": {"Source": "_source.no"},
        "email": {"Source": "_source.email", "ContentType": "EMAIL_ADDRESS"},
        "city": {"Source": "_source.city", "Target": "_profile.Address.City"},
        "total": {"Source": "_source.total", "Target": "_profile.Attributes.lastTotal"},
    },
    "Keys": {
        "orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["no"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


def run(quick: bool) -> Results:
    profiles, number, rounds = (1_000, 50, 5) if quick else (10_000, 200, 15)
    results = Results()
    with mock_customer_profiles() as cp:
        cp.create_domain("acme")
        for i in range(profiles):
            cp.create_profile("acme", **simple_profile(i))
        cp.put_object_type("acme", "Order", **ORDER_TYPE)
        client = boto3.client("customer-profiles", region_name=REGION)
        orders = itertools.count()

        def order() -> str:
            n = next(orders)
            owner = simple_profile(n * 7919 % profiles)["EmailAddress"]
            return json.dumps({"no": f"O-{n}", "email": owner, "city": "Lisbon", "total": str(n)})

        def put() -> object:
            return client.put_profile_object(DomainName="acme", ObjectTypeName="Order", Object=order())

        def batch() -> object:
            items = [{"Id": f"i{k}", "Object": order()} for k in range(10)]
            return client.batch_put_profile_object(DomainName="acme", ObjectTypeName="Order", Items=items)

        def ten_puts() -> object:
            return [put() for _ in range(10)]

        query = {"DomainName": "acme", "KeyName": "_email", "Values": [simple_profile(7)["EmailAddress"]]}
        times = compare(
            {"put": put, "plain": lambda: client.search_profiles(**query), "batch": batch, "ten puts": ten_puts},
            number=number,
            rounds=rounds,
            numbers={"batch": max(1, number // 10), "ten puts": max(1, number // 10)},
        )
        assert not cp.dead_letters

    us = {name: times[name] * 1e6 for name in times.samples}
    results.figures += [
        Figure(SECTION, f"PutProfileObject into a domain of {profiles:,} profiles", us["put"], "µs/call"),
        Figure(SECTION, "SearchProfiles by _email (the plain call)", us["plain"], "µs/call"),
        Figure(SECTION, "BatchPutProfileObject of 10 items", us["batch"], "µs/call"),
        Figure(SECTION, "10 PutProfileObject calls", us["ten puts"], "µs/call"),
    ]
    results.ratios += [
        Ratio(SECTION, "SearchProfiles time ÷ PutProfileObject time", times.ratio("plain", "put"), target=0.6),
        Ratio(
            SECTION,
            "10 PutProfileObject ÷ one BatchPutProfileObject of 10",
            times.ratio("ten puts", "batch"),
            target=1.0,
        ),
    ]
    return results
