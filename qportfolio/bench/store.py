"""The results database: one SQLite file, one row per finished job, written by one process.

Each job's row is inserted in its own transaction (``INSERT OR IGNORE`` on the job key), in WAL
mode with synchronous=FULL: a process killed at any moment (kill -9 included) leaves every
committed row intact and nothing half-written, and a rerun skips the keys already present, so no
row is ever duplicated. Failed jobs (a solver error, a network error) go to ``failures``, never to
``runs``; a rerun tries them again.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

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


class ResultStore:
    """A results database (created on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
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

    def add(self, row: dict[str, Any]) -> bool:
        """Insert one finished job in one transaction; False when its key was already there."""
        values = [json.dumps(row.get(c), default=str) if c in JSON_COLUMNS else row.get(c) for c in COLUMNS]
        marks = ", ".join("?" for _ in COLUMNS)
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            cur = self.conn.execute(f"INSERT OR IGNORE INTO runs ({', '.join(COLUMNS)}) VALUES ({marks})", values)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return cur.rowcount == 1

    def add_failure(self, key: str, suite: str, config: str, instance: str, error: str) -> None:
        self.conn.execute("INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?)", (key, suite, config, instance, error, time.time()))

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

