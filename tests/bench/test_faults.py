"""Benchmark runs survive faults: a hung backend, transient network errors, a Dask worker killed
mid-job, two runs on one database, a read-only or full disk. Each test says what was injected and
checks what survived (rows, duplicates, failures recorded)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import pytest

from qportfolio.bench import ResultStore, load_suite, parse_suite, run_suite, runner
from qportfolio.errors import StoreError

from . import faulty_solvers
from .conftest import cli, write_suite


def _suite(*solvers):
    return parse_suite({"name": "faults", "instances": [{"kind": "synthetic", "n": [5], "seeds": [1, 2]}],
                        "parameters": {"cardinality": 2, "weight_step": 0.25, "min_weight": 0.25},
                        "references": {"discrete": False},
                        "solvers": [{"name": name, "solver": solver, "options": options} for name, solver, options in solvers]},
                       name="faults")


def _counts(db) -> tuple[int, int, int]:
    conn = sqlite3.connect(db)
    rows, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM runs").fetchone()
    failures = conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0]
    conn.close()
    return rows, distinct, failures


def test_a_hung_backend_is_stopped_and_the_run_goes_on(tmp_path):
    suite = _suite(("hang", "test-hang", {}), ("brute", "brute", {}))
    start = time.monotonic()
    summary = run_suite(suite, str(tmp_path / "r.sqlite"), workers=2, progress="none", job_timeout=1.5)
    elapsed = time.monotonic() - start
    assert summary.done == 2 and summary.failed == 2  # both brute jobs recorded, both hung jobs stopped
    assert all("JobTimeout" in error for _, error in summary.failures)
    assert _counts(tmp_path / "r.sqlite") == (2, 2, 2)
    assert elapsed < 30


def test_the_watchdog_defaults_to_twice_the_jobs_own_limit():
    suite = _suite(("sa", "sa", {"time_budget": 3.0}), ("brute", "brute", {}))
    allowances = {job.config.name: runner.job_allowance(job) for job in suite.jobs()}
    assert allowances == {"sa": 2 * 3.0 + runner.WATCHDOG_GRACE_SECONDS, "brute": None}


def test_transient_errors_are_retried_with_backoff_then_recorded_without_the_token(tmp_path, monkeypatch):
    monkeypatch.setenv("DWAVE_API_TOKEN", faulty_solvers.FAKE_TOKEN)
    pauses = []
    monkeypatch.setattr(runner.time, "sleep", pauses.append)
    hopeless = _suite(("flaky", "test-flaky", {"marker": str(tmp_path / "a"), "fail_times": 99}))
    summary = run_suite(hopeless, str(tmp_path / "r.sqlite"), progress="none", limit=1)
    assert summary.failed == 1 and summary.done == 0
    assert (tmp_path / "a").read_text() == str(1 + runner.RETRIES)  # bounded: 1 try + RETRIES retries
    assert pauses == [runner.BACKOFF_SECONDS * 2**i for i in range(runner.RETRIES)]
    with ResultStore(tmp_path / "r.sqlite") as store:
        (failure,) = store.failures()
    assert f"after {1 + runner.RETRIES} attempts" in failure["error"]
    assert faulty_solvers.FAKE_TOKEN not in failure["error"] and "***" in failure["error"]
    recovering = _suite(("flaky", "test-flaky", {"marker": str(tmp_path / "b"), "fail_times": 2}))
    summary = run_suite(recovering, str(tmp_path / "r2.sqlite"), progress="none", limit=1)
    assert summary.done == 1 and summary.failed == 0 and (tmp_path / "b").read_text() == "3"


def test_a_dask_worker_killed_mid_job_is_retried_and_rows_stay_unique(tmp_path):
    distributed = pytest.importorskip("distributed")

    class ImportFaultySolvers(distributed.WorkerPlugin):
        def setup(self, worker):
            import tests.bench.faulty_solvers  # noqa: F401 (registers the solvers in this worker)

    marker = tmp_path / "died"
    suite = _suite(("die", "test-die-once", {"marker": str(marker)}), ("brute", "brute", {}))
    with (distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
          distributed.Client(cluster) as client):
        client.register_plugin(ImportFaultySolvers())
        summary = run_suite(suite, str(tmp_path / "r.sqlite"), scheduler=client, progress="none")
    assert marker.exists(), "a worker process must have died for this test to mean anything"
    assert summary.failed == 0 and summary.done == 4
    assert _counts(tmp_path / "r.sqlite") == (4, 4, 0)


def test_a_second_run_on_the_same_database_is_refused_and_nothing_is_lost(tmp_path):
    suite_path = write_suite(tmp_path, repeats=2, sweeps=300000)  # ~1.3 s per SA job: the first run lasts ~10 s
    db = tmp_path / "r.sqlite"
    total = len(load_suite(str(suite_path)).jobs())
    first = subprocess.Popen([sys.executable, "-m", "qportfolio.cli", "bench", "run", str(suite_path), "--db", str(db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = tmp_path / "r.sqlite.lock"
    deadline = time.time() + 120
    while time.time() < deadline and not (lock.exists() and "pid" in lock.read_text()):
        time.sleep(0.05)
    second = cli("bench", "run", str(suite_path), "--db", str(db))
    assert first.poll() is None, "the first run must still be going for this test to mean anything"
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert second.returncode == 2 and "Traceback" not in second.stderr
    assert "being written by another `bench run` (pid" in second.stderr and len(second.stderr.strip().splitlines()) == 1
    assert _counts(db) == (total, total, 0)
    again = cli("bench", "run", str(suite_path), "--db", str(db))  # the lock went with the first run
    assert again.returncode == 0 and f"0 jobs run, {total} already in" in again.stdout


def test_a_full_disk_stops_the_run_cleanly_and_the_rerun_resumes(tmp_path, monkeypatch):
    suite = _suite(("brute", "brute", {}), ("sa", "sa", {"num_reads": 5, "num_sweeps": 100}))
    db = tmp_path / "r.sqlite"
    total = len(suite.jobs())
    run_suite(suite, str(db), progress="none", limit=1)
    original = ResultStore._open

    def capped(self):  # SQLite's own "database or disk is full" (SQLITE_FULL) after one more page
        original(self)
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(ResultStore, "_open", capped)
    with pytest.raises(StoreError, match=r"disk is full.*every earlier row is intact.*run the same command again"):
        run_suite(suite, str(db), progress="none")
    monkeypatch.setattr(ResultStore, "_open", original)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] >= 1
    conn.close()
    summary = run_suite(suite, str(db), progress="none")
    assert summary.failed == 0 and _counts(db)[:2] == (total, total)


def test_a_read_only_database_is_refused_with_one_line(tmp_path, monkeypatch):
    suite = _suite(("brute", "brute", {}))
    db = tmp_path / "r.sqlite"
    run_suite(suite, str(db), progress="none", limit=1)
    before = _counts(db)
    connect = sqlite3.connect

    def read_only(path, *args, **kwargs):  # as the file system would answer for a read-only file (tests run as root)
        return connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr("qportfolio.bench.store.sqlite3.connect", read_only)
    with pytest.raises(StoreError, match="read-only; give a writable --db"):
        run_suite(suite, str(db), progress="none")
    monkeypatch.undo()
    assert _counts(db) == before
    (tmp_path / "not_a_db.sqlite").write_text("hello, I am a text file" * 100)
    bad = cli("bench", "run", str(write_suite(tmp_path)), "--db", str(tmp_path / "not_a_db.sqlite"))
    assert bad.returncode == 2 and "not a qportfolio results database" in bad.stderr and "Traceback" not in bad.stderr
