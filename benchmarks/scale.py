"""2. Scale: SearchProfiles latency on domains of 100, 10 000 and 100 000 profiles, and on a domain of
100 000 profiles that also holds 50 000 ingested objects (searched by a profile key and by an object key)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from benchmarks._harness import Figure, Ratio, Results, clock, compare
from mock_customer_profiles import mock_customer_profiles
from mock_customer_profiles._codec import WireRequest

SECTION = "Scale"
REGION = "us-east-1"
PROFILES = {"d100": 100, "d10k": 10_000, "d100k": 100_000, "objects": 100_000}
QUICK_PROFILES = {"d100": 100, "d10k": 10_000, "d100k": 30_000, "objects": 30_000}
OBJECTS, QUICK_OBJECTS = 50_000, 15_000

# Orders: a UNIQUE order number under the key orderNo; the email finds the profile. (Not _orderId: that
# predefined key indexes the system-managed ID of standard orders, and a mapping may use it only LOOKUP_ONLY.)
ORDER_TYPE = {
    "ObjectTypeName": "Order",
    "Description": "Orders, attached to their customer's profile by email address",
    "AllowProfileCreation": False,
    "Fields": {"orderNo": {"Source": "_source.orderNo"}, "email": {"Source": "_source.email"}},
    "Keys": {
        "orderNo": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderNo"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


def _email(domain: str, i: int) -> str:
    return f"user{i}@{domain}.example.com"


def seed(service: Any, domain: str, count: int) -> float:
    """Seed ``count`` simple profiles through ``Service.call`` (the handler and its validation, without
    botocore); returns the CPU seconds it took."""
    service.call("CreateDomain", {"DomainName": domain, "DefaultExpirationDays": 365})
    start = clock()
    for i in range(count):
        service.call(
            "CreateProfile",
            {
                "DomainName": domain,
                "FirstName": f"First{i}",
                "LastName": "Last",
                "EmailAddress": _email(domain, i),
                "PhoneNumber": f"+1555{i:07d}",
            },
        )
    return clock() - start


def ingest(service: Any, domain: str, count: int) -> float:
    """One order for each of the first ``count`` profiles, through ``PutProfileObject``; CPU seconds."""
    service.call("PutProfileObjectType", {"DomainName": domain, **ORDER_TYPE})
    start = clock()
    for i in range(count):
        order = {"orderNo": f"O-{i}", "email": _email(domain, i)}
        service.call("PutProfileObject", {"DomainName": domain, "ObjectTypeName": "Order", "Object": json.dumps(order)})
    return clock() - start


def _wire(query: dict[str, Any]) -> WireRequest:
    body = {key: value for key, value in query.items() if key != "DomainName"}
    return WireRequest("POST", f"/domains/{query['DomainName']}/profiles/search", "", {}, json.dumps(body).encode())


def run(quick: bool) -> Results:
    sizes = QUICK_PROFILES if quick else PROFILES
    orders = QUICK_OBJECTS if quick else OBJECTS
    number, rounds = (100, 5) if quick else (200, 11)
    results = Results()
    with mock_customer_profiles() as cp:
        service = cp.service
        for domain, count in sizes.items():
            seconds = seed(service, domain, count)
            results.notes.append(f"scale: seeded {count:,} profiles into {domain} in {seconds:.1f} s (Service.call)")
        seconds = ingest(service, "objects", orders)
        results.notes.append(f"scale: ingested {orders:,} objects into 'objects' in {seconds:.1f} s (Service.call)")

        # Each search finds one profile: one in the middle of the domain, one that holds an order.
        target = {domain: count // 2 for domain, count in sizes.items()} | {"objects": orders // 2}
        queries = {
            domain: {"DomainName": domain, "KeyName": "_email", "Values": [_email(domain, target[domain])]}
            for domain in sizes
        }
        queries["objects: orderNo"] = {
            "DomainName": "objects",
            "KeyName": "orderNo",
            "Values": [f"O-{target['objects']}"],
        }
        client = boto3.client("customer-profiles", region_name=REGION)
        for name, query in queries.items():
            found = [item["EmailAddress"] for item in client.search_profiles(**query)["Items"]]
            domain = query["DomainName"]
            assert found == [_email(domain, target[domain])], (name, found)
        calls = {name: (lambda q=query: client.search_profiles(**q)) for name, query in queries.items()}
        wires = {name: _wire(query) for name, query in queries.items()}
        handles = {name: (lambda w=wire: service.handle(w)) for name, wire in wires.items()}
        through_boto3 = compare(calls, number=number, rounds=rounds)
        in_service = compare(handles, number=number * 5, rounds=rounds)

    labels = {domain: f"{count:,} profiles" for domain, count in sizes.items()}
    labels["objects"] = f"{sizes['objects']:,} profiles + {orders:,} objects, by _email"
    labels["objects: orderNo"] = f"{sizes['objects']:,} profiles + {orders:,} objects, by orderNo"
    for times, how in ((through_boto3, "boto3"), (in_service, "Service.handle")):
        for name, label in labels.items():
            results.figures.append(Figure(SECTION, f"search, {label} ({how})", times[name] * 1e6, "µs/call"))
        for name in ("d10k", "d100k", "objects", "objects: orderNo"):
            results.ratios.append(
                Ratio(
                    SECTION,
                    f"search at {labels[name]} ÷ at 100 ({how})",
                    times.ratio(name, "d100"),
                    target=1.2,
                    higher_is_better=False,
                    label=f"{labels[name]}, {how}",
                )
            )
    return results
