"""Local worker processes with a watchdog per job, and typed outcomes that cross processes.

``concurrent.futures.ProcessPoolExecutor`` cannot stop one job: a backend that hangs past its
time limit (a stuck network call, a C extension that ignores its limit) would hold its worker and
the whole run forever. Here each worker is a process of its own with a pipe; the parent hands out
one job at a time, waits on all pipes at once, and when a job passes its deadline it kills that
worker, reports the job as failed and starts a fresh worker, so the run goes on. A worker that
dies by itself (segfault, OOM killer) is reported the same way and replaced.

A job answers an :class:`Outcome` ``(key, value, failure)``; a failure is a :class:`Failure`
(the exception's class name and its message: plain data that pickles anywhere, a Dask worker
included), which :meth:`Failure.exception` turns back into the right :class:`QPortfolioError`
subclass on the receiving side. The benchmark runner (:mod:`qportfolio.bench.runner`) and the
service (:mod:`qportfolio.serve.pool`) both run on :class:`WatchedPool`.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, NamedTuple

from ..errors import QPortfolioError, SolverError


class WorkerDied(SolverError):
    """The worker process ended (segfault, OOM killer, ``os._exit``) while running a job."""


class JobTimeout(SolverError):
    """A job passed its deadline; its worker was stopped and replaced."""


class Cancelled(QPortfolioError):
    """A job was cancelled before it finished."""


class InternalError(SolverError):
    """A job raised an exception that is not a :class:`QPortfolioError` (a bug in a backend)."""


def _error_classes(base: type[QPortfolioError] = QPortfolioError) -> dict[str, type[QPortfolioError]]:
    """Every subclass of ``base`` defined so far, by class name (``base`` included)."""
    found = {base.__name__: base}
    for sub in base.__subclasses__():
        found.update(_error_classes(sub))
    return found


@dataclass(frozen=True)
class Failure:
    """Why a job gave no value: the class name of its exception and the message.

    ``str(failure)`` is ``"Kind: message"``, the line recorded in a results database or a job's
    ``error`` field; :meth:`exception` rebuilds the exception on the receiving side."""

    kind: str
    message: str

    @classmethod
    def of(cls, exc: BaseException, message: str | None = None) -> Failure:
        """The failure of ``exc``; ``message`` replaces ``str(exc)`` (masked, shortened, annotated)."""
        return cls(type(exc).__name__, str(exc) if message is None else message)

    def exception(self) -> QPortfolioError:
        """The exception this failure stands for: the :class:`QPortfolioError` subclass of that name,
        or :class:`InternalError` (its message naming the kind) for any other exception."""
        cls = _error_classes().get(self.kind)
        if cls is None:
            return InternalError(str(self))
        try:
            return cls(self.message)
        except TypeError:  # a subclass with a constructor of its own
            return InternalError(str(self))

    def is_a(self, *classes: type[BaseException]) -> bool:
        """Whether the rebuilt exception is an instance of one of ``classes``."""
        return isinstance(self.exception(), classes)

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


class Outcome(NamedTuple):
    """What a job answers: its key, its value (None on failure) and its failure (None on success)."""

    key: str
    value: Any
    failure: Failure | None


#: prctl's option that asks Linux to signal a process when its parent ends (linux/prctl.h)
PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None, sig: int = signal.SIGKILL) -> bool:
    """Have Linux send ``sig`` to this process when its parent (``parent_pid``) ends, so that no worker
    outlives a parent killed without a chance to stop it (kill -9, an interrupted test run); the
    parent here is the thread that started this process. ``parent_pid``: the process expected as
    the parent (exits at once when it is already gone); None: whichever is the parent now. False
    where the platform cannot (not Linux)."""
    armed = False
    if sys.platform.startswith("linux"):
        try:
            armed = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if parent_pid is not None and os.getppid() != parent_pid:  # the parent ended before the request above was in place
        os._exit(1)
    return armed


def _worker_loop(conn: Connection, execute: Callable[[Any], Outcome], parent_end: Connection | None = None,
                 parent_pid: int | None = None) -> None:
    die_with_parent(parent_pid)
    if parent_end is not None:
        # a forked worker inherits the parent's end of its own pipe: closed here, so that the worker
        # reads EOF and exits when the parent dies (kill -9), instead of waiting forever
        parent_end.close()
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        conn.send(execute(job))


@dataclass
class Worker:
    """One worker process, its pipe, and the job it runs (None when idle) with its deadline."""

    process: Any
    conn: Connection
    job: Any = None
    deadline: float | None = None
    started: float = 0.0

    def take(self, job: Any, limit: float | None) -> None:
        """Hand ``job`` to this worker with ``limit`` seconds (None: no watchdog)."""
        self.job, self.started = job, time.monotonic()
        self.deadline = None if limit is None else self.started + float(limit)
        self.conn.send(job)


class WatchedPool:
    """``workers`` processes running ``execute(job) -> Outcome``; ``timeout(job)`` gives a job's
    wall-clock allowance in seconds (None: no watchdog)."""

    def __init__(self, workers: int, execute: Callable[[Any], Outcome], timeout: Callable[[Any], float | None]) -> None:
        self.size, self.execute, self.timeout = workers, execute, timeout
        self.context = multiprocessing.get_context()
        self.workers: list[Worker] = []

    def _spawn(self) -> Worker:
        parent, child = self.context.Pipe()
        method = self.context.get_start_method()
        inherited = parent if method == "fork" else None
        parent_pid = os.getpid() if method in ("fork", "spawn") else None  # forkserver: its server is the parent
        process = self.context.Process(target=_worker_loop, args=(child, self.execute, inherited, parent_pid), daemon=True)
        process.start()
        child.close()
        return Worker(process, parent)

    def _stop(self, worker: Worker, grace: float = 0.0) -> None:
        if grace:
            worker.process.join(timeout=grace)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=10)
        worker.conn.close()

    def _replace(self, i: int) -> None:
        """Stop worker ``i`` and start a fresh one in its place."""
        self._stop(self.workers[i])
        self.workers[i] = self._spawn()

    def _next_deadline(self, busy: list[Worker]) -> float | None:
        """Seconds until the first deadline among ``busy`` (None: no deadline)."""
        deadlines = [w.deadline for w in busy if w.deadline is not None]
        return None if not deadlines else max(0.0, min(deadlines) - time.monotonic())

    def _died(self, worker: Worker) -> WorkerDied:
        worker.process.join(timeout=10)
        return WorkerDied(f"the worker process ended (exit code {worker.process.exitcode}) while running this job")

    def run(self, jobs: Iterable[Any], key: Callable[[Any], str]) -> Iterator[Outcome]:
        """Run every job, yielding outcomes as they finish (a hung or dead worker's job as a failure)."""
        queue = list(jobs)[::-1]
        self.workers = [self._spawn() for _ in range(min(self.size, len(queue)))]
        try:
            while True:
                for worker in self.workers:
                    if worker.job is None and queue:
                        job = queue.pop()
                        worker.take(job, self.timeout(job))
                busy = [w for w in self.workers if w.job is not None]
                if not busy:
                    return
                ready = wait([w.conn for w in busy], timeout=self._next_deadline(busy))
                now = time.monotonic()
                for i, worker in enumerate(self.workers):
                    if worker.job is None:
                        continue
                    if worker.conn in ready:
                        try:
                            outcome = worker.conn.recv()
                        except (EOFError, OSError):
                            died = self._died(worker)
                            outcome = Outcome(key(worker.job), None,
                                              Failure.of(died, f"{died}; it is retried on the next run"))
                            self._replace(i)
                            worker = self.workers[i]
                        worker.job = None
                        yield outcome
                    elif worker.deadline is not None and now >= worker.deadline:
                        allowed = worker.deadline - worker.started
                        job = worker.job
                        self._replace(i)
                        yield Outcome(key(job), None, Failure.of(JobTimeout(
                            f"no answer after {allowed:.0f} s (the job's watchdog); the worker was stopped and the run went on")))
        finally:
            for worker in self.workers:
                idle = worker.job is None
                try:
                    if idle and worker.process.is_alive():
                        worker.conn.send(None)
                except OSError:
                    pass
                self._stop(worker, grace=5.0 if idle else 0.0)
