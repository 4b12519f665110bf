"""A long-lived pool of solver processes for the service, each task with its own watchdog.

Built on the shared :class:`~qportfolio.utils.workers.WatchedPool` (one process per worker, a pipe
each, a worker killed and replaced when its task passes its deadline or when the task is
cancelled), fed from a queue by a dispatcher thread, so that requests can arrive at any time.
:meth:`ServicePool.submit` returns a :class:`concurrent.futures.Future` of the task's
:class:`~qportfolio.utils.workers.Outcome`; a full queue refuses the task (:class:`Busy`), which
the app answers with 429.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import wait
from typing import Any

from ..utils.workers import Cancelled, Failure, JobTimeout, Outcome, WatchedPool, Worker, WorkerDied


class Busy(Exception):
    """Every worker is busy and the queue is full."""


class Timeout(JobTimeout):
    """A request passed the service's time limit (the name a job's ``error`` reports: ``Timeout: ...``)."""


class ShuttingDown(Cancelled):
    """The server stopped before the task finished (a job stays queued for the next start)."""


class ServicePool(WatchedPool):
    """``workers`` processes running ``execute(task) -> Outcome`` for tasks submitted at any time."""

    def __init__(self, workers: int, execute: Callable[[Any], Outcome], queue_limit: int) -> None:
        super().__init__(workers, execute, timeout=lambda task: task.get("time_limit"))
        self.queue_limit = queue_limit
        self._waiting: deque[tuple[dict[str, Any], Future]] = deque()
        self._futures: dict[str, Future] = {}
        self._cancel: set[str] = set()
        self._lock = threading.Lock()
        self._wake_read, self._wake_write = self.context.Pipe(duplex=False)
        self._closed = False
        self.workers = [self._spawn() for _ in range(self.size)]
        self._thread = threading.Thread(target=self._dispatch, name="qportfolio-serve-pool", daemon=True)
        self._thread.start()

    # --- the API used by the app ----------------------------------------------------------------

    def submit(self, task: dict[str, Any], *, limited: bool = True) -> Future:
        """Queue ``task`` (a dict with ``id`` and ``time_limit``); :class:`Busy` when no worker is free
        and ``queue_limit`` tasks already wait (``limited=False``: the job runner's, which meters itself)."""
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the pool is shut down")
            free = sum(w.job is None for w in self.workers) - len(self._waiting)
            if limited and free <= 0 and len(self._waiting) >= self.queue_limit:
                raise Busy()
            self._waiting.append((task, future))
            self._futures[task["id"]] = future
        self._wake()
        return future

    def cancel(self, task_id: str) -> bool:
        """Drop a waiting task or stop the worker running it; True when the task was known."""
        with self._lock:
            for item in list(self._waiting):
                if item[0]["id"] == task_id:
                    self._waiting.remove(item)
                    self._futures.pop(task_id, None)
                    item[1].set_result(Outcome(task_id, None, Failure.of(Cancelled("cancelled before it started"))))
                    return True
            if task_id not in self._futures:
                return False
            self._cancel.add(task_id)
        self._wake()
        return True

    def busy(self) -> int:
        with self._lock:
            return sum(w.job is not None for w in self.workers)

    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
        self._wake()
        self._thread.join(timeout=15)

    # --- the dispatcher thread ------------------------------------------------------------------

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_write.send_bytes(b"x")

    def _dispatch(self) -> None:
        stopping = Failure.of(ShuttingDown("the server is shutting down"))
        try:
            while not self._closed:
                self._assign()
                busy = [w for w in self.workers if w.job is not None]
                ready = wait([self._wake_read] + [w.conn for w in busy], timeout=self._next_deadline(busy))
                if self._wake_read in ready:
                    while self._wake_read.poll():
                        self._wake_read.recv_bytes()
                self._collect(ready)
        finally:
            with self._lock:
                for task, future in self._waiting:
                    future.set_result(Outcome(task["id"], None, stopping))
                self._waiting.clear()
            for worker in self.workers:
                if worker.job is not None:
                    self._finish(worker, Outcome(worker.job["id"], None, stopping))
                self._stop(worker)

    def _assign(self) -> None:
        with self._lock:
            for worker in self.workers:
                if worker.job is None and self._waiting:
                    task, _ = self._waiting.popleft()
                    worker.take(task, task.get("time_limit"))

    def _finish(self, worker: Worker, outcome: Outcome) -> None:
        task_id = worker.job["id"]
        worker.job = None
        with self._lock:
            future = self._futures.pop(task_id, None)
            self._cancel.discard(task_id)
        if future is not None and not future.done():
            future.set_result(outcome)

    def _collect(self, ready: list[Any]) -> None:
        now = time.monotonic()
        for i, worker in enumerate(self.workers):
            if worker.job is None:
                continue
            task_id = worker.job["id"]
            if worker.conn in ready:
                try:
                    outcome = worker.conn.recv()
                except (EOFError, OSError):
                    worker.process.join(timeout=10)
                    died = WorkerDied(f"the solver process ended (exit code {worker.process.exitcode}) while solving "
                                      "this request")
                    self._finish(worker, Outcome(task_id, None, Failure.of(died)))
                    self._replace(i)
                    continue
                self._finish(worker, outcome)
            elif task_id in self._cancel:
                self._finish(worker, Outcome(task_id, None, Failure.of(Cancelled("stopped while running"))))
                self._replace(i)
            elif worker.deadline is not None and now >= worker.deadline:
                allowed = worker.deadline - worker.started
                timeout = Timeout(f"no answer within {allowed:g} s; the solver process was stopped")
                self._finish(worker, Outcome(task_id, None, Failure.of(timeout)))
                self._replace(i)
