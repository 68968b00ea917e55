"""Timing, results and the machine: what every benchmark module shares."""

from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Any


@dataclass
class Figure:
    """One raw measurement."""

    section: str
    name: str
    value: float
    unit: str
    note: str = ""


@dataclass
class Ratio:
    """A ratio of two measurements (or of a measurement to its budget), with the target it is held to."""

    section: str
    name: str
    value: float
    target: float | None = None
    higher_is_better: bool = True
    note: str = ""
    label: str = ""  # a shorter name for the chart, where the panel's title says the rest

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        return f"{'≥' if self.higher_is_better else '≤'} {self.target:g}"


@dataclass
class Results:
    figures: list[Figure] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def extend(self, other: Results) -> None:
        self.figures += other.figures
        self.ratios += other.ratios
        self.notes += other.notes

    def as_dict(self) -> dict[str, Any]:
        return {
            "figures": [asdict(f) for f in self.figures],
            "ratios": [{**asdict(r), "met": r.met} for r in self.ratios],
            "notes": self.notes,
        }


@contextmanager
def gc_paused() -> Iterator[None]:
    """Keep the collector out of the timed region (as ``timeit`` does)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Timed regions are measured in CPU time of this process: the machines these run on are shared, and time
# slices given to a neighbour must not count. Everything measured is CPU-bound work in this process.
clock = time.process_time


def time_batch(func: Callable[[], object], number: int) -> float:
    """CPU seconds per call of ``func`` over one batch of ``number`` calls."""
    with gc_paused():
        start = clock()
        for _ in range(number):
            func()
        elapsed = clock() - start
    return elapsed / number


def compare(
    contenders: dict[str, Callable[[], object]],
    *,
    number: int,
    rounds: int,
    scopes: dict[str, Callable[[], AbstractContextManager[object]]] | None = None,
    numbers: dict[str, int] | None = None,
) -> Timings:
    """Seconds per call of each contender over ``rounds`` interleaved batches.

    Contenders take turns within every round (in a rotating order), so drift of the machine (frequency,
    a neighbour's load) falls on all of them alike instead of on whichever ran last. ``scopes`` gives a
    contender a context entered around each of its batches, outside the timed region (e.g. moto's
    ``mock_aws``, whose before-send handler would otherwise run for every other contender's calls too).
    ``numbers`` overrides the batch size of slow contenders.
    """
    names = list(contenders)
    scopes = scopes or {}
    sizes = {name: (numbers or {}).get(name, number) for name in names}

    def scope(name: str) -> AbstractContextManager[object]:
        return scopes[name]() if name in scopes else nullcontext()

    for name, func in contenders.items():  # warm-up: caches, lazy imports, compiled schemas
        with scope(name):
            for _ in range(max(1, sizes[name] // 10)):
                func()
    samples: dict[str, list[float]] = {name: [] for name in names}
    gc.collect()
    gc.freeze()  # what exists now (seeded domains) is never scanned again: collections stay cheap
    try:
        for index in range(rounds):
            order = names[index % len(names) :] + names[: index % len(names)]
            for name in order:
                with scope(name):
                    samples[name].append(time_batch(contenders[name], sizes[name]))
    finally:
        gc.unfreeze()
    return Timings(samples)


@dataclass
class Timings:
    """Seconds per call, one sample per round and contender."""

    samples: dict[str, list[float]]

    def __getitem__(self, name: str) -> float:
        """The median seconds per call of a contender."""
        return statistics.median(self.samples[name])

    def ratio(self, numerator: str, denominator: str) -> float:
        """The median of the per-round ratios: a round's contenders ran back to back, so a slow spell of
        the machine cancels out of their ratio."""
        return statistics.median(a / b for a, b in zip(self.samples[numerator], self.samples[denominator], strict=True))


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    return {
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "botocore": version("botocore"),
        "boto3": version("boto3"),
        "moto": version("moto"),
        "mock-customer-profiles": version("mock-customer-profiles"),
    }
