"""How long a suite's pending jobs will take, before running them (``bench run --dry-run``).

Each pending job is estimated from the best evidence there is, in this order:

1. ``history``: the median wall time of finished jobs of the same configuration on the same
   instance in the results database (the same machine, the same solver options), else on the
   instance of the nearest size;
2. ``hint``: the configuration's ``expected_seconds`` in the suite file (a typical time measured
   when the suite was written; the suite says on what machine). It comes before the budget because
   a budget can be overrun: one 10-read ``sa`` call on port5's 1 800 variables takes ~17 s whatever
   its 2 s budget says;
3. ``budget``: a QUBO solver's ``time_budget`` (it samples for that long, plus encoding);
4. ``cap``: the job's time limit, an upper bound only;
5. ``unknown``: none of the above (counted, not guessed).

The wall-clock estimate divides the job-seconds by the number of workers, which assumes the jobs
spread evenly; every job's upper bound (its time limit or budget where it has one) gives the
worst case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .suite import Job

SOURCES = ("history", "hint", "budget", "cap", "unknown")


@dataclass(frozen=True)
class Estimate:
    """Job-seconds expected for ``jobs`` pending jobs, and how each was estimated."""

    jobs: int
    seconds: float  #: expected job-seconds over the jobs that have an estimate
    upper_seconds: float  #: sum of the upper bounds of the jobs that have one
    unbounded: int  #: jobs with no upper bound (no time limit or budget)
    sources: Counter = field(default_factory=Counter)
    per_config: dict[str, float] = field(default_factory=dict)  #: expected job-seconds per configuration

    def wall_seconds(self, workers: int) -> float:
        return self.seconds / max(int(workers), 1)

    def describe(self, workers: int = 1) -> str:
        how = ", ".join(f"{self.sources[s]} from {s}" for s in SOURCES if self.sources[s])
        lines = [f"estimate: {_fmt_seconds(self.seconds)} of solver time, about {_fmt_seconds(self.wall_seconds(workers))} "
                 f"wall with {workers} worker{'s' if workers != 1 else ''}" + (f" ({how})" if how else " (nothing pending)")]
        if self.upper_seconds:
            bound = f"at most {_fmt_seconds(self.upper_seconds / max(workers, 1))} wall by the time limits and budgets"
            if self.unbounded:
                bound += f" ({self.unbounded} jobs have neither)"
            lines.append(bound)
        if self.sources["unknown"]:
            lines.append(f"{self.sources['unknown']} jobs have no estimate: no history, budget, hint or time limit")
        return "\n".join(lines)


def _fmt_seconds(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _history_table(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, tuple[int, float]]]:
    """config -> instance -> (n, median wall seconds) from finished database rows."""
    times: dict[tuple[str, str], list[float]] = {}
    sizes: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.get("wall_time") is None:
            continue
        key = (row["config"], row["instance"])
        times.setdefault(key, []).append(float(row["wall_time"]))
        sizes[key] = int(row["n"])
    table: dict[str, dict[str, tuple[int, float]]] = {}
    for (config, instance), values in times.items():
        table.setdefault(config, {})[instance] = (sizes[(config, instance)], float(np.median(values)))
    return table


def _from_history(job: Job, table: dict[str, dict[str, tuple[int, float]]]) -> float | None:
    seen = table.get(job.config.name)
    if not seen:
        return None
    if job.instance in seen:
        return seen[job.instance][1]
    _, seconds = min(seen.values(), key=lambda item: abs(item[0] - job.problem.n))
    return seconds


def _hint(job: Job) -> float | None:
    hint = job.config.expected_seconds
    if isinstance(hint, dict):
        hint = hint.get(job.instance, hint.get("default"))
    return None if hint is None else float(hint)


def estimate_jobs(jobs: list[Job], history: Iterable[dict[str, Any]] = ()) -> Estimate:
    """The estimate of the module docstring for ``jobs``, given finished database rows ``history``."""
    from ..solvers import get
    from ..solvers.options import Role

    table = _history_table(history)
    sources: Counter = Counter()
    per_config: dict[str, float] = {}
    seconds = upper = 0.0
    unbounded = 0
    for job in jobs:
        solver = get(job.config.solver)
        budget = solver.budget_seconds(job.config.options)
        cap = job.time_limit if solver.option_for(Role.TIME_LIMIT) else None
        bound = budget if budget is not None else cap
        if bound is None:
            unbounded += 1
        else:
            upper += float(bound)
        value, source = _from_history(job, table), "history"
        if value is None:
            value, source = _hint(job), "hint"
        if value is None and budget is not None:
            value, source = float(budget), "budget"
        if value is None and cap is not None:
            value, source = float(cap), "cap"
        if value is None:
            sources["unknown"] += 1
            continue
        sources[source] += 1
        seconds += value
        per_config[job.config.name] = per_config.get(job.config.name, 0.0) + value
    return Estimate(len(jobs), seconds, upper, unbounded, sources, per_config)

