"""2. Scale: SearchProfiles latency on domains of 100, 10 000 and 100 000 profiles (and, where object
ingestion exists, on a domain that also holds 50 000 ingested objects)."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3

from benchmarks._harness import Figure, Ratio, Results, compare
from mock_customer_profiles import mock_customer_profiles
from mock_customer_profiles._codec import WireRequest

SECTION = "Scale"
REGION = "us-east-1"
SIZES = {"d100": 100, "d10k": 10_000, "d100k": 100_000}
QUICK_SIZES = {"d100": 100, "d10k": 10_000, "d100k": 30_000}


def _email(domain: str, i: int) -> str:
    return f"user{i}@{domain}.example.com"


def seed(service: Any, domain: str, count: int) -> float:
    """Seed ``count`` simple profiles through ``Service.call`` (validation and handler, no botocore);
    returns the seconds it took."""
    service.call("CreateDomain", {"DomainName": domain, "DefaultExpirationDays": 365})
    start = time.perf_counter()
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
    return time.perf_counter() - start


def _query(domain: str, count: int) -> dict[str, Any]:
    return {"DomainName": domain, "KeyName": "_email", "Values": [_email(domain, count // 2)]}


def _wire(query: dict[str, Any]) -> WireRequest:
    body = {key: value for key, value in query.items() if key != "DomainName"}
    return WireRequest("POST", f"/domains/{query['DomainName']}/profiles/search", "", {}, json.dumps(body).encode())


def run(quick: bool) -> Results:
    sizes = QUICK_SIZES if quick else SIZES
    number, rounds = (100, 5) if quick else (200, 11)
    results = Results()
    with mock_customer_profiles() as cp:
        service = cp.service
        for domain, count in sizes.items():
            seconds = seed(service, domain, count)
            results.notes.append(f"scale: seeded {count} profiles into {domain} in {seconds:.1f} s (Service.call)")
        client = boto3.client("customer-profiles", region_name=REGION)
        queries = {domain: _query(domain, count) for domain, count in sizes.items()}
        for domain, query in queries.items():
            found = client.search_profiles(**query)["Items"]
            assert [item["EmailAddress"] for item in found] == query["Values"], domain
        calls = {domain: (lambda q=query: client.search_profiles(**q)) for domain, query in queries.items()}
        wires = {domain: _wire(query) for domain, query in queries.items()}
        handles = {domain: (lambda w=wire: service.handle(w)) for domain, wire in wires.items()}
        through_boto3 = compare(calls, number=number, rounds=rounds)
        in_service = compare(handles, number=number * 5, rounds=rounds)

    small, middle, large = sizes
    for times, how in ((through_boto3, "boto3"), (in_service, "Service.handle")):
        for domain, count in sizes.items():
            name = f"search, {count:,} profiles ({how})"
            results.figures.append(Figure(SECTION, name, times[domain] * 1e6, "µs/call"))
        for domain in (middle, large):
            results.ratios.append(
                Ratio(
                    SECTION,
                    f"search time at {sizes[domain]:,} ÷ at {sizes[small]:,} ({how})",
                    times.ratio(domain, small),
                    target=1.2,
                    higher_is_better=False,
                )
            )
    return results
