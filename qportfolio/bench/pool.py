"""Local worker processes with a watchdog per job.

``concurrent.futures.ProcessPoolExecutor`` cannot stop one job: a backend that hangs past its
time limit (a stuck network call, a C extension that ignores its limit) would hold its worker and
the whole run forever. Here each worker is a process of its own with a pipe; the parent hands out
one job at a time, waits on all pipes at once, and when a job passes its deadline it kills that
worker, reports the job as failed and starts a fresh worker, so the run goes on. A worker that
dies by itself (segfault, OOM killer) is reported the same way and replaced.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

Outcome = tuple[str, dict[str, Any] | None, str | None]


def _worker_loop(conn: Connection, execute: Callable[[Any], Outcome], parent_end: Connection | None = None) -> None:
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
class _Worker:
    process: Any
    conn: Connection
    job: Any = None
    deadline: float | None = None
    started: float = 0.0


class WatchedPool:
    """``workers`` processes running ``execute(job) -> (key, row, error)``; ``timeout(job)`` gives a
    job's wall-clock allowance in seconds (None: no watchdog)."""

    def __init__(self, workers: int, execute: Callable[[Any], Outcome], timeout: Callable[[Any], float | None]) -> None:
        self.size, self.execute, self.timeout = workers, execute, timeout
        self.context = multiprocessing.get_context()
        self.workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        parent, child = self.context.Pipe()
        inherited = parent if self.context.get_start_method() == "fork" else None
        process = self.context.Process(target=_worker_loop, args=(child, self.execute, inherited), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _stop(self, worker: _Worker, grace: float = 0.0) -> None:
        if grace:
            worker.process.join(timeout=grace)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=10)
        worker.conn.close()

    def run(self, jobs: Iterable[Any], key: Callable[[Any], str]) -> Iterator[Outcome]:
        queue = list(jobs)[::-1]
        self.workers = [self._spawn() for _ in range(min(self.size, len(queue)))]
        try:
            while True:
                for worker in self.workers:
                    if worker.job is None and queue:
                        job = queue.pop()
                        limit = self.timeout(job)
                        worker.job, worker.started = job, time.monotonic()
                        worker.deadline = None if limit is None else worker.started + limit
                        worker.conn.send(job)
                busy = [w for w in self.workers if w.job is not None]
                if not busy:
                    return
                deadlines = [w.deadline for w in busy if w.deadline is not None]
                wait_for = None if not deadlines else max(0.0, min(deadlines) - time.monotonic())
                ready = wait([w.conn for w in busy], timeout=wait_for)
                now = time.monotonic()
                for i, worker in enumerate(self.workers):
                    if worker.job is None:
                        continue
                    if worker.conn in ready:
                        try:
                            outcome = worker.conn.recv()
                        except (EOFError, OSError):
                            worker.process.join(timeout=10)
                            code = worker.process.exitcode
                            outcome = (key(worker.job), None, f"WorkerDied: the worker process ended (exit code {code}) "
                                       "while running this job; it is retried on the next run")
                            self._stop(worker)
                            self.workers[i] = worker = self._spawn()
                        worker.job = None
                        yield outcome
                    elif worker.deadline is not None and now >= worker.deadline:
                        allowed = worker.deadline - worker.started
                        job = worker.job
                        self._stop(worker)
                        self.workers[i] = self._spawn()
                        yield (key(job), None, f"JobTimeout: no answer after {allowed:.0f} s (the job's watchdog); "
                               "the worker was stopped and the run went on")
        finally:
            for worker in self.workers:
                idle = worker.job is None
                try:
                    if idle and worker.process.is_alive():
                        worker.conn.send(None)
                except OSError:
                    pass
                self._stop(worker, grace=5.0 if idle else 0.0)
