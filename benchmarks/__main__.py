"""``python -m benchmarks``: run the suite, print the tables, write results/ (Markdown, JSON, PNG chart)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from benchmarks import (
    activation,
    calculated_attributes,
    configuration,
    identity,
    imports,
    ingestion,
    jobs,
    percall,
    retries,
    scale,
    seeding,
    segments,
    standard_objects,
)
from benchmarks._harness import Results, machine
from benchmarks.report import chart, markdown

SUITES = {
    "percall": percall.run,
    "scale": scale.run,
    "activation": activation.run,
    "seeding": seeding.run,
    "segments": segments.run,
    "ingestion": ingestion.run,
    "import": imports.run,
    "standard-objects": standard_objects.run,
    "configuration": configuration.run,
    "calculated-attributes": calculated_attributes.run,
    "retries": retries.run,
    "jobs": jobs.run,
    "identity": identity.run,
}
COMMAND = "pip install -e '.[test,bench]' && python -m benchmarks"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and smaller domains (a smoke run)")
    parser.add_argument("--only", action="append", choices=list(SUITES), help="run only this suite (repeatable)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results", help="where to write results")
    parser.add_argument("--no-chart", action="store_true", help="skip the PNG (no matplotlib needed)")
    args = parser.parse_args(argv)

    about = machine()
    date = dt.date.today().isoformat()
    print("machine: " + ", ".join(f"{key} {value}" for key, value in about.items()), flush=True)
    results = Results()
    for name in args.only or list(SUITES):
        start = time.perf_counter()
        print(f"running {name} ...", end=" ", flush=True)
        results.extend(SUITES[name](args.quick))
        print(f"{time.perf_counter() - start:.0f} s", flush=True)

    command = COMMAND + (" --quick" if args.quick else "")
    table = markdown(results, about, date, command)
    print()
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.md").write_text(table, encoding="utf-8")
    (args.out / "latest.json").write_text(
        json.dumps({"date": date, "machine": about, "quick": args.quick, **results.as_dict()}, indent=2) + "\n",
        encoding="utf-8",
    )
    if not args.no_chart:
        chart(results, about, date, args.out / "ratios.png")
        print(f"chart: {args.out / 'ratios.png'}")
    return 0 if all(ratio.met is not False for ratio in results.ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
