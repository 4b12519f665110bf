"""Jobs: long solves queued in SQLite and run by the service pool, so that a restart loses none.

A job is ``queued`` → ``running`` → ``done`` | ``failed`` | ``cancelled``. On start the store puts
the jobs a previous server left ``running`` back to ``queued`` (their solve is rerun from the
start: a solver's state cannot be resumed). The runner thread hands queued jobs to the pool,
at most ``slots`` at a time, and leaves the other workers to synchronous requests.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from ..utils.workers import Cancelled, Failure
from .pool import ServicePool, ShuttingDown

STATES = ("queued", "running", "done", "failed", "cancelled")
SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL,
    created REAL NOT NULL, started REAL, finished REAL, time_limit REAL,
    result TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0
)
"""


class JobStore:
    """The jobs table (thread-safe: one connection, one lock)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(SCHEMA)
        self._lock = threading.Lock()

    def recover(self) -> int:
        """Jobs left running by a stopped server go back to the queue; returns how many."""
        with self._lock:
            return self._conn.execute("UPDATE jobs SET status='queued', started=NULL WHERE status='running'").rowcount

    def add(self, kind: str, body: Any, time_limit: float) -> str:
        job_id = uuid.uuid4().hex
        with self._lock:
            self._conn.execute("INSERT INTO jobs (id, kind, body, status, created, time_limit) VALUES (?, ?, ?, 'queued', ?, ?)",
                               (job_id, kind, json.dumps(body), time.time(), time_limit))
        return job_id

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute("SELECT id, kind, status, created, started, finished, time_limit, result, error, "
                                     "attempts FROM jobs WHERE id=?", (job_id,)).fetchone()
        if row is None:
            return None
        keys = ("id", "kind", "status", "created", "started", "finished", "time_limit", "result", "error", "attempts")
        job = dict(zip(keys, row))
        job["result"] = json.loads(job["result"]) if job["result"] else None
        return job

    def next_queued(self) -> tuple[str, str, Any, float] | None:
        """The oldest queued job, marked running: (id, kind, body, time limit)."""
        with self._lock:
            row = self._conn.execute("SELECT id, kind, body, time_limit FROM jobs WHERE status='queued' "
                                     "ORDER BY created LIMIT 1").fetchone()
            if row is None:
                return None
            self._conn.execute("UPDATE jobs SET status='running', started=?, attempts=attempts+1 WHERE id=?",
                               (time.time(), row[0]))
        return row[0], row[1], json.loads(row[2]), row[3]

    def finish(self, job_id: str, result: dict[str, Any] | None, failure: Failure | None) -> None:
        status = "done" if failure is None else "cancelled" if failure.is_a(Cancelled) else "failed"
        error = None if failure is None else str(failure)
        with self._lock:
            self._conn.execute("UPDATE jobs SET status=?, finished=?, result=?, error=? WHERE id=? AND status='running'",
                               (status, time.time(), None if result is None else json.dumps(result), error, job_id))

    def cancel(self, job_id: str) -> str | None:
        """Cancel a queued job here; returns the job's status before (None: unknown id)."""
        with self._lock:
            row = self._conn.execute("SELECT status FROM jobs WHERE id=?", (job_id,)).fetchone()
            if row is None:
                return None
            if row[0] == "queued":
                self._conn.execute("UPDATE jobs SET status='cancelled', finished=? WHERE id=?", (time.time(), job_id))
        return row[0]

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._conn.execute("SELECT status, COUNT(*) FROM jobs GROUP BY status").fetchall()
        return {status: 0 for status in STATES} | dict(rows)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class JobRunner:
    """Hands queued jobs to the pool, at most ``slots`` at once, and records their outcomes."""

    def __init__(self, store: JobStore, pool: ServicePool, make_task: Any, slots: int) -> None:
        self.store, self.pool, self.make_task, self.slots = store, pool, make_task, max(1, slots)
        self._running: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._loop, name="qportfolio-serve-jobs", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def cancel(self, job_id: str) -> None:
        with self._lock:
            running = job_id in self._running
        if running:
            self.pool.cancel(job_id)

    def stop(self) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join(timeout=10)

    def _done(self, job_id: str, future: Any) -> None:
        _, result, failure = future.result()
        # a job stopped by the server's own shutdown stays 'running': the next start puts it back in the queue
        if not (self._stop and failure is not None and failure.is_a(ShuttingDown)):
            self.store.finish(job_id, result, failure)
        with self._lock:
            self._running.discard(job_id)
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop:
            with self._lock:
                free = self.slots - len(self._running)
            while free > 0 and not self._stop:
                job = self.store.next_queued()
                if job is None:
                    break
                job_id, kind, body, time_limit = job
                with self._lock:
                    self._running.add(job_id)
                future = self.pool.submit(self.make_task(job_id, kind, body, time_limit), limited=False)
                future.add_done_callback(lambda f, j=job_id: self._done(j, f))
                free -= 1
            self._wake.wait(timeout=1.0)
            self._wake.clear()
