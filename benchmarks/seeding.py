"""4. Seeding: profiles per second through ``create_profile`` on the mock object, through a seed document
(``load()``) and through boto3, and the memory a simple profile holds (tracemalloc) in a domain of 100 000."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

import boto3

from benchmarks._harness import Figure, Ratio, Results, clock, gc_paused
from mock_customer_profiles import mock_customer_profiles

SECTION = "Seeding"
REGION = "us-east-1"
BUDGET_BYTES = 2048
BUDGET_SECONDS_PER_THOUSAND = 1.0  # issue 4: seeding 10 000 profiles "well under a second per thousand"


def simple_profile(i: int) -> dict[str, Any]:
    """A simple profile: a name, an email address and a phone number."""
    return {
        "FirstName": f"First{i}",
        "LastName": f"Last{i}",
        "EmailAddress": f"user{i}@example.com",
        "PhoneNumber": f"+1555{i:07d}",
    }


def _rate(create: Callable[..., Any], domain: str, count: int) -> float:
    """Profiles per second over ``count`` creations (collector paused, as in the other timings)."""
    with gc_paused():
        start = clock()
        for i in range(count):
            create(domain, **simple_profile(i))
        elapsed = clock() - start
    return count / elapsed


def run(quick: bool) -> Results:
    through_mock, through_boto3, in_memory = (5_000, 500, 20_000) if quick else (20_000, 2_000, 100_000)
    results = Results()
    with mock_customer_profiles() as cp:
        cp.create_domain("rate-mock")
        cp.create_domain("rate-boto3")
        client = boto3.client("customer-profiles", region_name=REGION)
        client.list_domains()  # warm: the first call compiles routes and schemas

        def via_boto3(domain: str, **fields: Any) -> Any:
            return client.create_profile(DomainName=domain, **fields)

        mock_rate = _rate(cp.create_profile, "rate-mock", through_mock)
        boto3_rate = _rate(via_boto3, "rate-boto3", through_boto3)

        document = {"domains": [{"DomainName": "rate-load", "profiles": [simple_profile(i) for i in range(10_000)]}]}
        with gc_paused():
            start = clock()
            cp.load(document)
            load_rate = 10_000 / (clock() - start)

    # Memory: a fresh mock, then every byte that stays allocated while seeding, over the profiles seeded.
    # The field values are made by the loop and stay referenced by the profiles: they count too.
    with mock_customer_profiles() as cp:
        cp.create_domain("memory")
        cp.create_profile("memory", **simple_profile(-1))  # warm: compiled schema, first index buckets
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for i in range(in_memory):
                cp.create_profile("memory", **simple_profile(i))
            gc.collect()
            after = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
    per_profile = (after - before) / in_memory

    results.figures += [
        Figure(SECTION, "create_profile on the mock object", mock_rate, "profiles/s"),
        Figure(SECTION, "create_profile through boto3", boto3_rate, "profiles/s"),
        Figure(SECTION, "load() of a seed document of 10,000 profiles", load_rate, "profiles/s"),
        Figure(SECTION, f"memory per simple profile at {in_memory:,} profiles", per_profile, "bytes"),
    ]
    results.ratios += [
        Ratio(SECTION, "mock-object rate ÷ boto3 rate", mock_rate / boto3_rate),
        Ratio(
            SECTION,
            "load() seconds per thousand profiles ÷ 1 s budget",
            1000 / load_rate / BUDGET_SECONDS_PER_THOUSAND,
            1.0,
            False,
            label="load() s per 1,000 ÷ 1 s",
        ),
        Ratio(SECTION, "memory per profile ÷ 2 KB budget", per_profile / BUDGET_BYTES, 1.0, False),
    ]
    return results
