"""6. Retry cost: a call throttled twice that succeeds on its third attempt (botocore's default retry
configuration), against three plain calls (CPU time: what the attempts cost), and the same call with the
real back-off (``retry_delays=True``) against the mock's instant retries (wall time: what the waiting cost).

botocore's back-off sleeps, so the second comparison is in wall-clock seconds, not CPU time: the sleeping
is the whole point of it.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Iterator
from typing import Any

import boto3

from benchmarks._harness import Figure, Ratio, Results, compare
from mock_customer_profiles import mock_customer_profiles

SECTION = "Retry cost"
REGION = "us-east-1"


def _throttled_twice(cp: Any, client: Any) -> object:
    cp.add_error("GetDomain", "ThrottlingException", times=2)
    return client.get_domain(DomainName="acme")


def _three_plain(client: Any) -> object:
    for _ in range(3):
        client.get_domain(DomainName="acme")
    return None


def _wall(func: Any, runs: int) -> float:
    """Median wall-clock seconds of ``func`` over ``runs`` runs."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(quick: bool) -> Results:
    number, rounds, slow_runs = (20, 5, 1) if quick else (50, 15, 3)
    results = Results()
    with mock_customer_profiles() as cp:
        cp.create_domain("acme")
        # botocore's standard retry mode gives each client a retry quota (500, 5 a retry, 5 back on the
        # success): about a hundred calls throttled twice drain it, and the client then stops retrying, as it
        # would against AWS. Each batch of the retried contender gets a fresh client, made outside the timing.
        throttled = {"client": boto3.client("customer-profiles", region_name=REGION)}

        @contextlib.contextmanager
        def fresh_client() -> Iterator[None]:
            throttled["client"] = boto3.client("customer-profiles", region_name=REGION)
            yield

        client = boto3.client("customer-profiles", region_name=REGION)
        times = compare(
            {"retried": lambda: _throttled_twice(cp, throttled["client"]), "plain": lambda: _three_plain(client)},
            number=number,
            rounds=rounds,
            scopes={"retried": fresh_client},
        )
        instant = _wall(lambda: _throttled_twice(cp, client), max(slow_runs, 5))
    with mock_customer_profiles(retry_delays=True) as cp:
        cp.create_domain("acme")
        client = boto3.client("customer-profiles", region_name=REGION)
        waiting = _wall(lambda: _throttled_twice(cp, client), slow_runs)

    results.figures += [
        Figure(SECTION, "throttled twice, then succeeds (CPU)", times["retried"] * 1e3, "ms/call"),
        Figure(SECTION, "three plain calls (CPU)", times["plain"] * 1e3, "ms/3 calls"),
        Figure(SECTION, "throttled twice, instant retries (wall)", instant * 1e3, "ms/call"),
        Figure(SECTION, "throttled twice, retry_delays=True (wall)", waiting * 1e3, "ms/call"),
    ]
    results.ratios += [
        Ratio(
            SECTION,
            "three plain calls ÷ a call retried twice (CPU)",
            times.ratio("plain", "retried"),
            target=0.7,
            note="a retried call costs its attempts, little more",
        ),
        Ratio(
            SECTION,
            "real back-off ÷ instant retries (wall)",
            waiting / instant,
            target=50,
            note="botocore's back-off for two retries is 0 to 3 s (standard mode), 1.5 s on average",
        ),
    ]
    return results
