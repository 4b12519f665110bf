"""The results database: one SQLite file, one row per finished job, written by one process.

Each job's row is inserted in its own transaction (``INSERT OR IGNORE`` on the job key), in WAL
mode with synchronous=FULL: a process killed at any moment (kill -9 included) leaves every
committed row intact and nothing half-written, and a rerun skips the keys already present, so no
row is ever duplicated. Failed jobs (a solver error, a network error) go to ``failures``, never to
``runs``; a rerun tries them again.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import StoreError

SCHEMA_VERSION = 1

COLUMNS: dict[str, str] = {
    "key": "TEXT PRIMARY KEY",
    "suite": "TEXT",
    "instance_set": "TEXT",
    "instance": "TEXT",
    "fingerprint": "TEXT",
    "n": "INTEGER",
    "cardinality": "INTEGER",
    "risk_aversion": "REAL",
    "weight_step": "REAL",
    "min_weight": "REAL",
    "max_weight": "REAL",
    "selection_only": "INTEGER",
    "config": "TEXT",
    "solver": "TEXT",
    "role": "TEXT",
    "options": "TEXT",
    "seed": "INTEGER",
    "time_limit": "REAL",
    "status": "TEXT",
    "feasible": "INTEGER",
    "objective": "REAL",
    "bound": "REAL",
    "expected_return": "REAL",
    "volatility": "REAL",
    "wall_time": "REAL",
    "sample_seconds": "REAL",
    "qpu_access_time": "REAL",
    "objective_scale": "REAL",
    "num_variables": "INTEGER",
    "num_interactions": "INTEGER",
    "penalty_scale": "REAL",
    "penalties": "TEXT",
    "feasible_fraction": "REAL",
    "num_samples": "INTEGER",
    "sample_objectives": "TEXT",
    "weights": "TEXT",
    "parameters": "TEXT",
    "info": "TEXT",
    "versions": "TEXT",
    "host": "TEXT",
    "finished_at": "REAL",
}
JSON_COLUMNS = ("options", "penalties", "sample_objectives", "weights", "parameters", "info", "versions")


@contextlib.contextmanager
def store_errors(path: Path) -> Iterator[None]:
    """SQLite's errors as one-line :class:`StoreError`s that say what happened to the data and what to do."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if "readonly" in text or "read-only" in text:
            hint = "the results database is read-only; give a writable --db or fix the file's permissions"
        elif "full" in text:
            hint = ("the disk is full; the job in hand was not recorded and every earlier row is intact: free space "
                    "and run the same command again to resume")
        elif "not a database" in text or "malformed" in text:
            hint = "this file is not a qportfolio results database (SQLite); give another --db"
        elif "locked" in text or "busy" in text:
            hint = "the database stayed locked by another process for 60 s; retry when it is done"
        else:
            hint = "the results database could not be used"
        raise StoreError(f"{path}: {hint} (SQLite: {text})") from None


class RunLock:
    """One writing run per database: an exclusive POSIX record lock (``lockf``) on ``<db>.lock``
    held for the whole run.

    The operating system drops the lock when its process ends, however it ends (kill -9 included),
    so a crashed run never leaves a stale lock; unlike ``flock``, a record lock is not inherited by
    the worker processes, so an orphaned worker cannot keep a killed run's lock alive. A second run
    on the same database is refused with the pid, host and start time of the first. (Where
    ``fcntl`` does not exist, runs are not locked:
    the database still refuses duplicate rows, but two runs would repeat each other's work.)
    """

    def __init__(self, db: str | Path) -> None:
        self.path = Path(f"{db}.lock")
        self.file: Any = None

    def __enter__(self) -> RunLock:
        try:
            import fcntl
        except ImportError:
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = open(self.path, "a+")
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the run lock next to the database ({exc.strerror}); "
                             "give a --db in a writable folder") from None
        try:
            fcntl.lockf(self.file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.file.seek(0)
            holder = self.file.read().strip() or "another process"
            self.file.close()
            self.file = None
            raise StoreError(f"{str(self.path)[:-5]} is being written by another `bench run` ({holder}); wait for it "
                             "to finish (rows it records are kept) or give another --db") from None
        self.file.seek(0)
        self.file.truncate()
        self.file.write(f"pid {os.getpid()} on {socket.gethostname()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        self.file.flush()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.file is not None:
            self.file.close()  # closing the descriptor releases the lock
            self.file = None


class ResultStore:
    """A results database (created on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path.parent}: cannot create the folder of the results database ({exc.strerror})") from None
        with store_errors(self.path):
            self._open()

    def _open(self) -> None:
        self.conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        cols = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
        self.conn.execute(f"CREATE TABLE IF NOT EXISTS runs ({cols})")
        self.conn.execute("CREATE TABLE IF NOT EXISTS failures (key TEXT, suite TEXT, config TEXT, instance TEXT, "
                          "error TEXT, at REAL)")
        self.conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        self.conn.execute("CREATE INDEX IF NOT EXISTS runs_fingerprint ON runs (fingerprint, role)")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def done_keys(self) -> set[str]:
        return {k for (k,) in self.conn.execute("SELECT key FROM runs")}

    def statuses(self) -> dict[str, str]:
        """Job key -> the status recorded for it."""
        return dict(self.conn.execute("SELECT key, status FROM runs"))

    def add(self, row: dict[str, Any]) -> bool:
        """Insert one finished job in one transaction; False when its key was already there. A failed
        write (disk full, read-only) rolls back and raises :class:`StoreError`; earlier rows stay."""
        values = [json.dumps(row.get(c), default=str) if c in JSON_COLUMNS else row.get(c) for c in COLUMNS]
        marks = ", ".join("?" for _ in COLUMNS)
        with store_errors(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                cur = self.conn.execute(f"INSERT OR IGNORE INTO runs ({', '.join(COLUMNS)}) VALUES ({marks})", values)
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        return cur.rowcount == 1

    def add_failure(self, key: str, suite: str, config: str, instance: str, error: str) -> None:
        with store_errors(self.path):
            self.conn.execute("INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?)",
                              (key, suite, config, instance, error, time.time()))

    def rows(self) -> list[dict[str, Any]]:
        cur = self.conn.execute(f"SELECT {', '.join(COLUMNS)} FROM runs ORDER BY finished_at")
        out = []
        for values in cur:
            row = dict(zip(COLUMNS, values))
            for c in JSON_COLUMNS:
                row[c] = json.loads(row[c]) if row[c] is not None else None
            out.append(row)
        return out

    def failures(self) -> list[dict[str, Any]]:
        cur = self.conn.execute("SELECT key, suite, config, instance, error, at FROM failures ORDER BY at")
        return [dict(zip(("key", "suite", "config", "instance", "error", "at"), v)) for v in cur]

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0])


def load_runs(path: str | Path):
    """The ``runs`` table as a pandas DataFrame (JSON columns decoded)."""
    import pandas as pd

    if not Path(path).exists():
        from ..errors import DataError

        raise DataError(f"results database {path} does not exist; create it with `qportfolio bench run SUITE --db {path}`")
    with ResultStore(path) as store:
        rows = store.rows()
    return pd.DataFrame(rows, columns=list(COLUMNS))

