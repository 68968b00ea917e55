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


def import_ms(module: str) -> float:
    """Milliseconds that ``import module`` adds to a fresh interpreter: the cumulative time of every
    top-level import after the interpreter's own start-up, as ``-X importtime`` reports it."""
    code = f"import sys; sys.stderr.write({MARK!r} + '\\n'); import {module}"
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
    return total_us / 1000


def run(quick: bool) -> Results:
    repeat = 3 if quick else 7
    for module in ("mock_customer_profiles", "moto"):  # write byte code caches first
        import_ms(module)
    ours = statistics.median(import_ms("mock_customer_profiles") for _ in range(repeat))
    moto = statistics.median(import_ms("moto") for _ in range(repeat))

    done = subprocess.run([sys.executable, "-c", FIRST_CALL], capture_output=True, text=True, env=_env(), check=True)
    loaded_at_import, loads, first, second = done.stdout.split()

    results = Results()
    results.figures += [
        Figure(SECTION, "import mock_customer_profiles", ours, "ms"),
        Figure(SECTION, "import moto", moto, "ms"),
        Figure(SECTION, "service model loaded by the import", float(loaded_at_import), "times"),
        Figure(SECTION, "service model loads in a process (after 102 calls)", float(loads), "times"),
        Figure(SECTION, "first SearchProfiles of a process (model, routes, schema)", float(first) * 1e3, "ms"),
        Figure(SECTION, "second SearchProfiles of the process", float(second) * 1e3, "ms"),
    ]
    results.ratios += [
        Ratio(SECTION, "import time ÷ 100 ms budget", ours / BUDGET_MS, 1.0, False),
        Ratio(SECTION, "moto import time ÷ mock import time", moto / ours),
    ]
    if loaded_at_import != "0":
        results.notes.append("import: the service model was loaded at import (it must load lazily)")
    return results
