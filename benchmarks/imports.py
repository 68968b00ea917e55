"""5. Import time of the package (``python -X importtime``) against ``import moto``; the service model must
load lazily, once; and what the first call of a fresh process pays (model, routes, compiled schema)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

from benchmarks._harness import Figure, Ratio, Results

SECTION = "Import"
BUDGET_MS = 100.0
MARK = "-- benchmark: the import starts here --"

FIRST_CALL = """
import time
start = time.process_time()
import boto3
from mock_customer_profiles import mock_customer_profiles
from mock_customer_profiles import _model
loaded_at_import = _model.service_model.cache_info().currsize
with mock_customer_profiles() as cp:
    cp.create_domain("acme")
    cp.create_profile("acme", EmailAddress="ana@example.com")
    client = boto3.client("customer-profiles", region_name="us-east-1")
    first = time.process_time()
    client.search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])
    first = time.process_time() - first
    second = time.process_time()
    client.search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])
    second = time.process_time() - second
    for _ in range(100):
        client.search_profiles(DomainName="acme", KeyName="_email", Values=["ana@example.com"])
print(loaded_at_import, _model.service_model.cache_info().misses, first, second)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as after a pip install: byte code is cached
    return env


def import_cost(statement: str, before: str = "pass") -> tuple[float, float]:
    """What ``statement`` adds to a fresh interpreter (after ``before``), in milliseconds: the sum of the
    cumulative times of the top-level imports it makes, as ``-X importtime`` reports them, and the CPU
    time it takes (steadier on a busy machine; importtime's own bookkeeping is not in it)."""
    code = (
        f"{before}\nimport sys, time\nsys.stderr.write({MARK!r} + '\\n')\n"
        f"start = time.process_time()\n{statement}\nprint(time.process_time() - start)"
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=_env(), check=True
    )
    lines = done.stderr.splitlines()
    total_us = 0
    for line in lines[lines.index(MARK) + 1 :]:
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cumulative, name = line.split(":", 1)[1].split("|")
        if not name.startswith("  ") and cumulative.strip().isdigit():  # top level: children are indented
            total_us += int(cumulative)
    return total_us / 1000, float(done.stdout) * 1000


STATEMENTS = {
    "import mock_customer_profiles (the pytest plugin, at start-up)": ("import mock_customer_profiles", "pass"),
    "from mock_customer_profiles import mock_customer_profiles": (
        "from mock_customer_profiles import mock_customer_profiles",
        "pass",
    ),
    "the same, boto3 already imported": ("from mock_customer_profiles import mock_customer_profiles", "import boto3"),
    "from moto import mock_aws": ("from moto import mock_aws", "pass"),
}
OURS = "from mock_customer_profiles import mock_customer_profiles"


def run(quick: bool) -> Results:
    repeat = 3 if quick else 7
    costs: dict[str, tuple[float, float]] = {}
    for name, (statement, before) in STATEMENTS.items():
        import_cost(statement, before)  # writes byte code caches
        runs = [import_cost(statement, before) for _ in range(repeat)]
        costs[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))

    done = subprocess.run([sys.executable, "-c", FIRST_CALL], capture_output=True, text=True, env=_env(), check=True)
    loaded_at_import, loads, first, second = done.stdout.split()

    results = Results()
    for name, (importtime, cpu) in costs.items():
        results.figures.append(Figure(SECTION, f"{name}: -X importtime sum", importtime, "ms"))
        results.figures.append(Figure(SECTION, f"{name}: CPU time", cpu, "ms"))
    results.figures += [
        Figure(SECTION, "service model loaded by the import", float(loaded_at_import), "times"),
        Figure(SECTION, "service model loads in a process (after 102 calls)", float(loads), "times"),
        Figure(SECTION, "first SearchProfiles of a process (model, routes, schema)", float(first) * 1e3, "ms"),
        Figure(SECTION, "second SearchProfiles of the process", float(second) * 1e3, "ms"),
    ]
    ours = costs[OURS][0]
    results.ratios += [
        Ratio(SECTION, "from mock_customer_profiles import ... ÷ 100 ms budget", ours / BUDGET_MS, 1.0, False),
        Ratio(SECTION, "from moto import mock_aws ÷ our import", costs["from moto import mock_aws"][0] / ours),
    ]
    if loaded_at_import != "0":
        results.notes.append("import: the service model was loaded at import (it must load lazily)")
    return results
