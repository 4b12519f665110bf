"""When a run of repeated sampler calls ends: the rule every QUBO backend's loop reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StopRule:
    """When repeated sampler calls end (see :meth:`QuboSolver.sample_repeatedly`); None: no such rule.
    No deadline and no batches: one call."""

    deadline: float | None = None  # time.perf_counter() value
    batches: int | None = None
    target: float | None = None
    patience: int | None = None
    time_budget: float | None = None  # for the progress line
