"""Run a suite's jobs and record them: in this process, in local worker processes, or on a Dask
cluster. Whatever executes the jobs, only this (client) process writes the database, one
transaction per finished job, so an interrupted run is resumed by running the same command again.
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..diagnostics import benchmark_columns
from ..errors import TransientError, ValidationError
from ..result import Result
from ..utils.memory import current_rss_bytes, peak_rss_bytes, reset_peak_rss
from ..utils.redaction import mask
from ..utils.workers import Failure, Outcome, WatchedPool
from .metrics import objective_scale
from .store import ResultStore, RunLock
from .suite import Job, Suite

#: Lowest distinct feasible sample objectives kept per job (enough for P(optimum) at any tolerance).
KEEP_SAMPLE_OBJECTIVES = 200


def sample_objectives(result: Result) -> list[list[float]] | None:
    """[[objective, occurrences], ...] of the feasible samples (lowest first), or None for non-samplers.

    Reads the ``objective`` / ``feasible`` fields every sampler result carries in its sample set
    (:func:`qportfolio.solvers.qubo_solver.with_portfolio_vectors`)."""
    ss = result.sampleset
    if ss is None or len(ss) == 0 or "objective" not in ss.record.dtype.names:
        return None
    feasible = np.asarray(ss.record.feasible, dtype=bool)
    if not feasible.any():
        return []
    objective = np.asarray(ss.record.objective, dtype=float)
    occurrences = np.asarray(ss.record.num_occurrences, dtype=float)
    values, inverse = np.unique(np.round(objective[feasible], 15), return_inverse=True)
    counts = np.bincount(inverse, weights=occurrences[feasible])
    return [[float(v), float(c)] for v, c in zip(values[:KEEP_SAMPLE_OBJECTIVES], counts[:KEEP_SAMPLE_OBJECTIVES])]


def execute(job: Job) -> dict[str, Any]:
    """Solve one job and return its database row (runs anywhere: a worker process, a Dask worker)."""
    from ..solvers import get

    solver = get(job.config.solver)
    reset = reset_peak_rss()
    baseline = current_rss_bytes()
    result = solver.solve(job.problem, **job.solve_options())
    peak = peak_rss_bytes()
    summary = result.to_dict()
    p = job.problem
    return {
        "key": job.key,
        "suite": job.suite,
        "instance_set": job.instance_set,
        "instance": job.instance,
        "fingerprint": p.fingerprint,
        "n": p.n,
        "cardinality": p.cardinality,
        "risk_aversion": p.risk_aversion,
        "weight_step": p.weight_step,
        "min_weight": float(np.min(p.min_weight)),
        "max_weight": float(np.max(p.max_weight)),
        "selection_only": int(job.selection_only),
        "config": job.config.name,
        "solver": job.config.solver,
        "role": job.config.role,
        "options": job.config.options,
        "seed": job.seed,
        "time_limit": job.time_limit,
        "status": result.status.value,
        "feasible": int(result.feasible),
        "objective": result.objective,
        "bound": result.bound,
        "expected_return": result.expected_return,
        "volatility": result.volatility,
        "wall_time": result.wall_time,
        "objective_scale": objective_scale(p),
        **benchmark_columns(result.diagnostics),
        "sample_objectives": sample_objectives(result),
        "weights": [float(w) for w in result.weights],
        "parameters": summary["parameters"],
        "info": {**{k: v for k, v in summary["info"].items() if k not in ("trace", "distribution")},
                 # the job's own peak where the system can reset it, else the worker's since it started
                 "peak_rss_mb": None if peak is None else peak / 2**20, "peak_rss_per_job": reset,
                 "rss_before_mb": None if baseline is None else baseline / 2**20},
        "versions": result.versions,
        "host": socket.gethostname(),
        "finished_at": time.time(),
    }


#: Attempts of a job that fails with a TransientError (a network timeout, a refused connection),
#: and the first pause between them in seconds (doubled after each attempt).
RETRIES, BACKOFF_SECONDS = 3, 2.0


def _safe_execute(job: Job, retries: int = RETRIES, backoff: float = BACKOFF_SECONDS,
                  sleep: Callable[[float], None] | None = None) -> Outcome:
    """execute() that returns a :class:`Failure` instead of raising (solver or network errors).

    A :class:`TransientError` is retried up to ``retries`` more times, pausing ``backoff``, 2 x
    ``backoff``, ... seconds; the recorded message says how many attempts were made. Messages pass
    through the credential mask, so no API token reaches the failures table.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            return Outcome(job.key, execute(job), None)
        except TransientError as exc:
            if attempt <= retries:
                (sleep or time.sleep)(backoff * 2 ** (attempt - 1))
                continue
            return Outcome(job.key, None, Failure.of(exc, mask(f"{exc} (after {attempt} attempts)")))
        except Exception as exc:  # a QPortfolioError, or a backend bug: neither stops a long run; retried next time
            return Outcome(job.key, None, Failure.of(exc, mask(str(exc))))


def _pooled_execute(job: Job) -> Outcome:
    """_safe_execute() with one BLAS thread: jobs run side by side (worker processes, Dask worker
    threads), and BLAS threads on top of them only contend (OpenBLAS with 2 threads per job on a
    2-core machine made the SDP split of port5 8x slower)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):
        return _safe_execute(job)


@dataclass
class RunSummary:
    total: int
    skipped: int
    done: int = 0
    failed: int = 0
    seconds: float = 0.0
    #: references rerun at the suite's extended_time_limit in this run
    extended: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


class Progress:
    """A tqdm bar with ETA when stderr is a terminal; otherwise one line per job (or silence)."""

    def __init__(self, total: int, mode: str) -> None:
        self.bar = None
        self.mode = mode
        self.total, self.count = total, 0
        if mode == "bar" or (mode == "auto" and sys.stderr.isatty()):
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="job", dynamic_ncols=True)

    def update(self, label: str) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.set_postfix_str(label[:40])
            self.bar.update(1)
        elif self.mode == "lines":
            print(f"[{self.count}/{self.total}] {label}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


#: A job's watchdog allows twice its time limit plus this much (imports, encoding, SCIP's last node).
WATCHDOG_GRACE_SECONDS = 60.0


def job_allowance(job: Job, job_timeout: float | None = None) -> float | None:
    """Seconds a job may run before the runner stops it: ``job_timeout`` when given, else twice the
    job's own limit plus a grace, the limit read from the roles the solver declares for the options
    the job gives (a time limit, a time budget, a per-call limit); None when it has no limit."""
    from ..solvers import get

    if job_timeout is not None:
        return job_timeout
    limit = get(job.config.solver).limit_seconds(job.solve_options())
    return 2.0 * limit + WATCHDOG_GRACE_SECONDS if limit is not None else None


def _local_results(jobs: list[Job], workers: int,
                   job_timeout: float | None = None) -> Iterable[Outcome]:
    allowances = {job.key: job_allowance(job, job_timeout) for job in jobs}
    if workers <= 1 and all(a is None for a in allowances.values()):
        for job in jobs:  # nothing to watch: run in this process
            yield _safe_execute(job)
        return
    pool = WatchedPool(workers, _pooled_execute, lambda job: allowances[job.key])
    yield from pool.run(jobs, key=lambda job: job.key)


#: seconds to wait for a Dask scheduler to answer before refusing the address
CONNECT_TIMEOUT = 10


def _dask_results(jobs: list[Job], scheduler: Any) -> Iterable[Outcome]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ValidationError("--scheduler needs dask.distributed: pip install 'qportfolio[bench]'") from None
    try:
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        raise ValidationError(f"--scheduler {scheduler}: no Dask scheduler answers there ({exc}); start one "
                              "(`dask scheduler`, then `dask worker ADDRESS`) or leave --scheduler out to run locally") from None
    try:
        futures = client.map(_pooled_execute, jobs, pure=False, key=[f"qportfolio-{j.key}" for j in jobs])
        for fut in as_completed(futures):
            yield fut.result()
    finally:
        if client is not scheduler:
            client.close()


def run_suite(
    suite: Suite,
    db: str,
    *,
    workers: int = 1,
    scheduler: Any = None,
    data_dir: str | None = None,
    progress: str = "auto",
    limit: int | None = None,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    job_timeout: float | None = None,
) -> RunSummary:
    """Run every job of ``suite`` not yet in ``db``; ``limit`` caps how many run this time.

    ``job_timeout`` (seconds) overrides each job's watchdog (:func:`job_allowance`); a job past it
    is stopped and recorded as a failure. Only one run may write a database at a time (a lock next
    to it; a second run is refused with a message naming the first).
    """
    if workers < 1:
        raise ValidationError(f"workers must be at least 1, got {workers}")
    if scheduler is not None and workers != 1:
        raise ValidationError("workers counts local processes; with a scheduler the cluster's own workers run the jobs "
                              "(give one of --workers and --scheduler)")
    if scheduler is not None and job_timeout is not None:
        raise ValidationError("job_timeout stops local workers' jobs; on a Dask cluster use its own limits "
                              "(give one of --job-timeout and --scheduler)")
    if job_timeout is not None and not job_timeout > 0:
        raise ValidationError(f"job_timeout must be a positive number of seconds, got {job_timeout}")
    jobs = suite.jobs(data_dir)
    with RunLock(db), ResultStore(db) as store:

        def run(todo: list[Job]) -> None:
            """Run ``todo``, recording each finished job (row or failure) in ``store`` and ``summary``."""
            by_key = {j.key: j for j in todo}
            bar = Progress(len(todo), progress)
            results = (_dask_results(todo, scheduler) if scheduler is not None
                       else _local_results(todo, workers, job_timeout))
            try:
                for key, row, failure in results:
                    job = by_key[key]
                    label = f"{job.config.name} {job.instance}"
                    if row is not None:
                        store.add(row)
                        summary.done += 1
                        if on_row:
                            on_row(row)
                    else:
                        error = str(failure) if failure is not None else ""
                        store.add_failure(key, suite.name, job.config.name, job.instance, error)
                        summary.failed += 1
                        summary.failures.append((label, error))
                    bar.update(label)
            finally:
                bar.close()

        done = store.done_keys()
        todo = [j for j in jobs if j.key not in done]
        summary = RunSummary(total=len(jobs), skipped=len(jobs) - len(todo))
        if limit is not None:
            todo = todo[:limit]
        start = time.perf_counter()
        run(todo)
        # references left unproven at their limit, again at the extended one (resumable like the rest)
        statuses = store.statuses()
        extended = suite.extended_jobs(jobs, statuses)
        todo = [j for j in extended if j.key not in statuses]
        summary.total += len(extended)
        summary.skipped += len(extended) - len(todo)
        if limit is not None:
            todo = todo[:max(limit - summary.done - summary.failed, 0)]
        summary.extended = len(todo)
        if todo:
            print(f"{len(todo)} reference(s) left unproven at their time limit: running them again at "
                  f"{suite.extended_label()}", file=sys.stderr, flush=True)
            run(todo)
        summary.seconds = time.perf_counter() - start
    return summary
