"""The one lifecycle of asynchronous resources: calculated attribute readiness, segment estimates and
snapshots, identity resolution jobs, upload jobs, workflows, recommenders, stream destinations.

A family describes its resource's states once, as a ``Flow`` (the in-progress states in the order the
model documents them, the final state, the failed state), and starts a ``Run`` for each resource with
``ctx.jobs.start(flow, on_done=...)``. The handler that reads the resource asks ``run.observe()`` for
the state to show; how it moves is the mock's ``lifecycle`` option, the same for every family:

- ``"stepped"`` (the default): the first read after creation shows the first in-progress state, the
  next read shows the final one, so a polling loop runs one realistic round and ends without waiting.
- ``"instant"``: final at once (the first read already shows it).
- ``"manual"``: stays at the first in-progress state until the test settles it with
  ``cp.settle(kind=None)``.

``cp.fail_next(kind, reason)`` makes the next run of that kind end in its failed state with ``reason``.
A run's ``on_done`` callback (the work the resource does: ingest an upload, merge matches, compute a
snapshot) runs once, when the run reaches its final state, and not when it fails; it runs under the
service lock (reads happen in handlers, settling takes the lock), with the run as argument.

Time is read at each transition (``datetime.now(timezone.utc)``), so freezegun and time-machine move it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MODES = ("stepped", "instant", "manual")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Flow:
    """The states of one kind of asynchronous resource, as the service model names them."""

    kind: str  # the name tests use with settle() and fail_next(), e.g. "SegmentEstimate"
    steps: tuple[str, ...]  # in-progress states, in order (at least one)
    done: str  # the final state of a run that succeeds
    failed: str  # the final state of a run that fails

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError(f"Flow {self.kind} needs at least one in-progress state")


@dataclass(eq=False)
class Run:
    """One asynchronous resource moving through its flow."""

    flow: Flow
    mode: str
    on_done: Callable[[Run], None] | None = None
    fail_with: str | None = None  # the reason, when this run is to fail
    state: str = ""
    started_at: dt.datetime = field(default_factory=_now)
    updated_at: dt.datetime = field(default_factory=_now)
    finished_at: dt.datetime | None = None
    reads: int = 0
    data: dict[str, Any] = field(default_factory=dict)  # what the family keeps with the run

    def __post_init__(self) -> None:
        self.state = self.flow.steps[0]
        if self.mode == "instant":
            self.finish()

    @property
    def kind(self) -> str:
        return self.flow.kind

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def failed(self) -> bool:
        return self.finished and self.state == self.flow.failed

    @property
    def failure_reason(self) -> str | None:
        return self.fail_with if self.failed else None

    def observe(self) -> str:
        """The state a read shows now, moving the run on as its mode says."""
        self.reads += 1
        if self.finished or self.mode == "manual":
            return self.state
        if self.reads > 1:  # stepped: the first read shows the first in-progress state, the next the final
            self.finish()
        return self.state

    def finish(self) -> None:
        """Reach the final state now (the failed one when this run was made to fail). Idempotent."""
        if self.finished:
            return
        if self.fail_with is not None:
            self._move(self.flow.failed)
        else:
            self._move(self.flow.done)
            if self.on_done is not None:
                self.on_done(self)
        self.finished_at = self.updated_at

    def stop(self, state: str) -> None:
        """End the run in ``state`` (a stopped or cancelled state of the family) without running on_done."""
        if not self.finished:
            self._move(state)
            self.finished_at = self.updated_at

    def _move(self, state: str) -> None:
        self.state = state
        self.updated_at = _now()


class Jobs:
    """The runs of one mock, its lifecycle mode, and the failures a test queued per kind."""

    def __init__(self, mode: str = "stepped") -> None:
        if mode not in MODES:
            raise ValueError(f"lifecycle must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        self.runs: list[Run] = []
        self.failures: dict[str, list[str]] = {}

    def start(self, flow: Flow, on_done: Callable[[Run], None] | None = None, **data: Any) -> Run:
        """A new run of ``flow`` (failing if ``fail_next`` queued a failure for its kind)."""
        queued = self.failures.get(flow.kind)
        reason = queued.pop(0) if queued else None
        run = Run(flow, self.mode, on_done, reason, data=dict(data))
        if not run.finished:
            self.runs.append(run)
        return run

    def settle(self, kind: str | None = None) -> list[Run]:
        """Finish every unfinished run (of ``kind``, when given); returns them."""
        settled = [run for run in self.runs if not run.finished and (kind is None or run.kind == kind)]
        for run in settled:
            run.finish()
        self.runs = [run for run in self.runs if not run.finished]
        return settled

    def fail_next(self, kind: str, reason: str) -> None:
        self.failures.setdefault(kind, []).append(reason)

    def forget(self, run: Run) -> None:
        """Drop a run whose resource was deleted (it will not be settled)."""
        if run in self.runs:
            self.runs.remove(run)
