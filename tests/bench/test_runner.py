"""The runner: kill -9 and resume, Dask vs local processes, failures recorded apart."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qportfolio.bench import ResultStore, load_suite, parse_suite, run_suite
from qportfolio.errors import ValidationError

from .conftest import cli, write_suite


def _rows_by_key(db: Path) -> dict[str, tuple]:
    with ResultStore(db) as store:
        return {r["key"]: (r["config"], r["seed"], r["status"], r["feasible"], round(r["objective"], 15), tuple(r["weights"]))
                for r in store.rows()}


def test_kill_minus_9_and_resume_never_loses_or_duplicates(tmp_path):
    suite_path = write_suite(tmp_path, repeats=6, sweeps=4000)
    db = tmp_path / "results.sqlite"
    total = len(load_suite(str(suite_path)).jobs())
    proc = subprocess.Popen([sys.executable, "-m", "qportfolio.cli", "bench", "run", str(suite_path), "--db", str(db), "-v"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    count = 0
    while time.time() < deadline:
        time.sleep(0.05)
        if db.exists():
            try:
                count = sqlite3.connect(db, timeout=5).execute("SELECT COUNT(*) FROM runs").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if count >= 3:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    conn = sqlite3.connect(db)
    killed_at = conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    assert 3 <= killed_at < total, "the run must be killed mid-way for this test to mean anything"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    out = cli("bench", "run", str(suite_path), "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert f"{killed_at} already in" in out.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM runs").fetchone() == (total, total)
    again = cli("bench", "run", str(suite_path), "--db", str(db))
    assert f"0 jobs run, {total} already in" in again.stdout


def test_dask_cluster_gives_the_same_rows_as_local_processes(tmp_path):
    distributed = pytest.importorskip("distributed")
    suite = load_suite(str(write_suite(tmp_path, repeats=1)))
    local = run_suite(suite, str(tmp_path / "local.sqlite"), workers=2, progress="none")
    assert local.failed == 0 and local.done == len(suite.jobs())
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_suite(suite, str(tmp_path / "dask.sqlite"), scheduler=cluster.scheduler_address, progress="none")
    assert remote.failed == 0
    assert _rows_by_key(tmp_path / "local.sqlite") == _rows_by_key(tmp_path / "dask.sqlite")


def test_failed_jobs_are_reported_not_recorded(tmp_path, monkeypatch):
    for var in ("DWAVE_API_TOKEN", "DWAVE_CONFIG_FILE", "DWAVE_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    suite = parse_suite({"instances": [{"kind": "synthetic", "n": [5], "seeds": [1]}],
                         "parameters": {"cardinality": 2, "weight_step": 0.5, "min_weight": 0.5},
                         "references": {"discrete": True},
                         "solvers": [{"name": "qpu", "solver": "dwave-qpu"}]}, name="needs-credentials")
    db = tmp_path / "f.sqlite"
    summary = run_suite(suite, str(db), progress="none")
    assert summary.done == 1 and summary.failed == 1 and "dwave setup" in summary.failures[0][1]
    with ResultStore(db) as store:
        assert [r["config"] for r in store.rows()] == ["exact-discrete"]
        assert len(store.failures()) == 1
    assert run_suite(suite, str(db), progress="none").failed == 1  # retried, still not a result


def test_unproven_references_are_rerun_at_the_extended_limit(tmp_path):
    """A reference stopped at its short limit is run again at ``extended_time_limit``: the proven row
    supersedes it in the metrics, and a second run has nothing left to do."""
    from qportfolio.bench.metrics import add_metrics
    from qportfolio.bench.store import load_runs

    suite = parse_suite({"instances": [{"kind": "synthetic", "n": [24], "seeds": [1]}],
                         "parameters": {"cardinality": 6, "risk_aversion": [0.9], "weight_step": 0.05, "min_weight": 0.05},
                         "references": {"discrete": False, "continuous": True, "time_limit": 0.005,
                                        "extended_time_limit": 120},
                         "solvers": [{"name": "steepest", "solver": "steepest", "options": {"num_reads": 5}}]}, name="escalate")
    db = tmp_path / "e.sqlite"
    summary = run_suite(suite, str(db), progress="none")
    assert summary.failed == 0 and summary.extended == 1 and summary.done == 3
    runs = load_runs(db)
    refs = runs[runs["role"] == "reference"].sort_values("finished_at")
    assert list(refs["time_limit"]) == [0.005, 120] and list(refs["status"]) == ["time_limit", "optimal"]
    with_metrics = add_metrics(runs)
    ref = with_metrics[with_metrics["role"] == "reference"]
    assert len(ref) == 1 and ref["status"].iloc[0] == "optimal"  # one reference per point: the proven one
    solver_row = with_metrics[with_metrics["role"] == "solver"].iloc[0]
    assert solver_row["ref_continuous_status"] == "optimal"
    assert solver_row["ref_continuous"] == pytest.approx(refs["objective"].iloc[1])
    again = run_suite(suite, str(db), progress="none")
    assert again.done == 0 and again.extended == 0 and again.skipped == 3


def test_extended_options_apply_to_the_second_try_only(tmp_path):
    """``extended_options`` (here the bound-optimal split) change the rerun's options and key, not the first try's."""
    from qportfolio.bench.store import load_runs

    suite = parse_suite({"instances": [{"kind": "synthetic", "n": [24], "seeds": [1]}],
                         "parameters": {"cardinality": 6, "risk_aversion": [0.9], "weight_step": 0.05, "min_weight": 0.05},
                         "references": {"discrete": False, "continuous": True, "time_limit": 0.005,
                                        "extended_time_limit": 120, "extended_options": {"split": "bound"}}},
                        name="escalate-bound")
    assert suite.extended_label() == "120 s (split=bound)"
    summary = run_suite(suite, str(tmp_path / "b.sqlite"), progress="none")
    assert summary.failed == 0 and summary.extended == 1
    refs = load_runs(tmp_path / "b.sqlite").sort_values("finished_at")
    assert [o.get("split") for o in refs["options"]] == [None, "bound"]
    assert [p["split"] for p in refs["parameters"]] == ["auto", "bound"]
    assert list(refs["status"]) == ["time_limit", "optimal"]
    assert refs["key"].iloc[0] != refs["key"].iloc[1]


@pytest.mark.parametrize(("references", "message"), [
    ({"extended_options": {"split": "bound"}}, r"extended_options needs extended_time_limit"),
    ({"extended_time_limit": 90, "extended_options": {"split": "eigen"}},
     r"split must be one of auto, factor, sdp, correlation, none, bound"),
    ({"extended_time_limit": 90, "extended_options": {"num_reads": 5}},
     r"extended_options: solver 'exact-discrete' does not take option\(s\) num_reads"),
    ({"extended_time_limit": 90, "extended_options": {"time_limit": 5}}, r"cannot set time_limit; use extended_time_limit"),
    ({"extended_time_limit": 90, "extended_options": {"threads": 0}}, r"threads"),
    ({"extended_time_limit": 90, "extended_options": "bound"}, r"extended_options must be a table"),
])
def test_bad_extended_options_are_refused_when_the_suite_is_read(references, message):
    data = {"instances": [{"kind": "synthetic", "n": [5]}], "solvers": [{"solver": "sa"}],
            "references": {"discrete": True, "time_limit": 60, **references}}
    with pytest.raises(ValidationError, match=message):
        parse_suite(data, name="bad")


def test_extended_time_limit_must_be_longer():
    data = {"instances": [{"kind": "synthetic", "n": [5]}], "solvers": [{"solver": "sa"}],
            "references": {"discrete": True, "time_limit": 60, "extended_time_limit": 30}}
    with pytest.raises(ValidationError, match=r"extended_time_limit.*must be longer"):
        parse_suite(data, name="bad")
