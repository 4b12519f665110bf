"""Benchmark suites: expansion and keys, the store's idempotence, metrics against hand-computed
oracles, kill -9 and resume with a real subprocess, Dask vs local processes, and the report."""

from __future__ import annotations

import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from qportfolio.bench import ResultStore, load_suite, parse_suite, run_suite, write_report
from qportfolio.bench.metrics import frontier_deviation, objective_scale, optimum_probability, relative_gap, tts99
from qportfolio.data import synthetic_problem
from qportfolio.errors import DataError, ValidationError

TINY_SUITE = """
name = "tiny"
repeats = {repeats}
seed = 5
time_limit = 10

[[instances]]
kind = "synthetic"
n = [6, 7]
seeds = [1]

[parameters]
cardinality = 2
risk_aversion = [0.2, 0.6]
weight_step = 0.25
min_weight = 0.25

[references]
discrete = true
continuous = false

[[solvers]]
name = "sa-fast"
solver = "sa"
options = {{ num_reads = 10, num_sweeps = {sweeps} }}

[[solvers]]
name = "steepest"
solver = "steepest"
options = {{ num_reads = 10 }}
"""


def write_suite(tmp_path: Path, repeats: int = 2, sweeps: int = 200) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_SUITE.format(repeats=repeats, sweeps=sweeps))
    return path


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qportfolio.cli", *args], capture_output=True, text=True, timeout=600, **kw)


# --- suites -----------------------------------------------------------------------------------


def test_builtin_suites_expand():
    quick = load_suite("quick")
    jobs = quick.jobs()
    assert len(jobs) == len({j.key for j in jobs}) == 250
    assert jobs[0].config.role == "reference"  # references first
    assert {j.config.name for j in jobs} >= {"exact-discrete", "exact-continuous", "sa", "sa-penalty-0.5", "tabu"}
    for name in ("orlib", "scaling"):
        suite = load_suite(name)
        assert suite.solvers and suite.instances


def test_job_keys_identify_the_same_work_across_suites(tmp_path):
    a = load_suite(str(write_suite(tmp_path)))
    b_path = tmp_path / "other.toml"
    b_path.write_text(write_suite(tmp_path).read_text().replace('name = "tiny"', 'name = "other"'))
    b = load_suite(str(b_path))
    assert [j.key for j in a.jobs()] == [j.key for j in b.jobs()]
    c_path = tmp_path / "seeded.toml"
    c_path.write_text(write_suite(tmp_path).read_text().replace("seed = 5", "seed = 7"))  # seeds 7, 8 vs 5, 6
    solver_keys = {j.key for j in a.jobs() if j.config.role == "solver"}
    assert solver_keys.isdisjoint(j.key for j in load_suite(str(c_path)).jobs() if j.config.role == "solver")
    jobs = a.jobs()
    assert len(jobs) == 4 * (1 + 2 * 2)  # 4 instance points x (reference + 2 configs x 2 seeds)
    sa = [j for j in jobs if j.config.name == "sa-fast"]
    assert sa[0].solve_options() == {"num_reads": 10, "num_sweeps": 200, "seed": 5}


@pytest.mark.parametrize("change, match", [
    ({"colour": "red"}, "unknown key"),
    ({"instances": [{"kind": "csv"}]}, r"instances\[0\].kind"),
    ({"instances": [{"kind": "orlib"}]}, "needs the key 'names'"),
    ({"parameters": {"lambda": [0.5]}}, r"\[parameters\] has unknown key"),
    ({"solvers": [{"solver": "nope"}]}, "not registered"),
    ({"solvers": [{"solver": "sa"}, {"solver": "sa"}]}, "used twice"),
])
def test_suite_errors_name_the_key(change, match):
    data = {"instances": [{"kind": "synthetic", "n": [5]}], "solvers": [{"solver": "sa"}]}
    data.update(change)
    with pytest.raises(ValidationError, match=match):
        parse_suite(data, name="bad")


def test_unknown_suite_is_a_data_error():
    with pytest.raises(DataError, match="neither a built-in suite"):
        load_suite("no-such-suite")


# --- store ------------------------------------------------------------------------------------


def test_store_never_duplicates_a_key(tmp_path):
    with ResultStore(tmp_path / "r.sqlite") as store:
        row = {"key": "abc", "objective": 1.5, "info": {"x": [1, 2]}, "finished_at": 1.0}
        assert store.add(row) is True
        assert store.add({**row, "objective": 9.0}) is False
        rows = store.rows()
    assert len(rows) == 1 and rows[0]["objective"] == 1.5 and rows[0]["info"] == {"x": [1, 2]}


# --- metrics ----------------------------------------------------------------------------------


def test_tts99_formula():
    assert tts99(1.0, 0.5) == pytest.approx(math.log(0.01) / math.log(0.5))
    assert tts99(0.2, 0.995) == 0.2
    assert tts99(1.0, 0.0) == math.inf
    assert tts99(None, 0.3) is None


def test_relative_gap_is_bounded_near_zero():
    assert relative_gap(1e-12, -1e-12) == pytest.approx(2.0)
    assert relative_gap(-3e-5, -3e-5) == 0.0
    assert relative_gap(-2e-5, -4e-5) == pytest.approx(0.5)
    assert relative_gap(-5e-5, -4e-5) < 0  # beats a time-limited reference


def test_objective_scale_bounds_the_objective_spread():
    rng = np.random.default_rng(0)
    for seed in range(5):
        p = synthetic_problem(12, seed=seed, cardinality=4, risk_aversion=float(rng.uniform()))
        w = rng.dirichlet(np.ones(p.n), size=4000)
        w = np.vstack([w, np.eye(p.n)])
        values = p.objective(w)
        assert values.max() - values.min() <= objective_scale(p) * (1 + 1e-12)


def test_optimum_probability_counts_samples_at_the_optimum():
    objs = [[-2.0, 3.0], [-2.0 + 1e-13, 1.0], [-1.0, 6.0]]
    assert optimum_probability(objs, 20, -2.0, 1.0) == pytest.approx(4 / 20)
    assert optimum_probability(None, 20, -2.0, 1.0) is None
    assert optimum_probability([], 20, -2.0, 1.0) == 0.0


def test_frontier_deviation_matches_hand_computation():
    uef = np.array([[0.01, 0.0004], [0.02, 0.0016], [0.03, 0.0036]])  # (mean, variance), unsorted is fine
    assert frontier_deviation(0.0016, 0.02, uef) == pytest.approx(0.0)
    # variance 10 % above the frontier at return 0.02: variance deviation 10 %; return deviation
    # at variance 0.00176: R* = 0.02 + 0.01 * (0.00016 / 0.002) = 0.0208 -> 100 * 0.0008 / 0.0208 = 3.85 %
    assert frontier_deviation(0.00176, 0.02, uef) == pytest.approx(100 * 0.0008 / 0.0208)
    assert frontier_deviation(0.01, 0.5, uef) is None  # outside both ranges


# --- runs: resume after kill -9, Dask, failures ------------------------------------------------


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


def _rows_by_key(db: Path) -> dict[str, tuple]:
    with ResultStore(db) as store:
        return {r["key"]: (r["config"], r["seed"], r["status"], r["feasible"], round(r["objective"], 15), tuple(r["weights"]))
                for r in store.rows()}


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


# --- the command line and the report ------------------------------------------------------------


def test_quick_suite_and_report_from_the_command_line(tmp_path):
    db, out_dir = tmp_path / "quick.sqlite", tmp_path / "report"
    dry = cli("bench", "run", "quick", "--dry-run")
    assert dry.returncode == 0 and "250 jobs" in dry.stdout
    run = cli("bench", "run", "quick", "--db", str(db), "--workers", "2")
    assert run.returncode == 0, run.stderr
    assert "250 jobs run" in run.stdout
    rep = cli("bench", "report", str(db), "--out", str(out_dir))
    assert rep.returncode == 0, rep.stderr
    for name in ("summary.md", "summary.html", "summary.csv", "runs.csv", "runs.parquet", "gap_vs_n.png",
                 "tts99_vs_n.png", "feasibility_vs_penalty.png", "frontier_synthetic-small.png"):
        assert (out_dir / name).stat().st_size > 0, name
    import pandas as pd

    runs = pd.read_parquet(out_dir / "runs.parquet")
    assert len(runs) == 250 and {"gap_discrete", "p_opt", "tts99", "scaled_gap_discrete"} <= set(runs.columns)
    ref = runs[runs["config"] == "exact-discrete"]
    assert (ref["gap_discrete"].abs() < 1e-12).all() and (ref["status"] == "optimal").all()
    solver_rows = runs[(runs["role"] == "solver") & runs["feasible"].astype(bool)]
    assert (solver_rows["gap_discrete"] >= -1e-9).all()  # nobody beats a proven optimum
    summary = (out_dir / "summary.md").read_text()
    assert "| sa | synthetic-small | 50 |" in summary


def test_report_on_a_missing_database_is_a_clear_error(tmp_path):
    out = cli("bench", "report", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "r"))
    assert out.returncode == 2 and "does not exist" in out.stderr


def test_report_includes_the_orlib_frontier_deviation(tmp_path):
    from .conftest import orlib_available

    if not orlib_available():
        pytest.skip("OR-Library data folder not found")
    suite = parse_suite({"instances": [{"kind": "orlib", "names": ["port1"]}],
                         "parameters": {"cardinality": 10, "risk_aversion": [0.3, 0.7], "weight_step": 0.1, "min_weight": 0.05},
                         "references": {"discrete": True, "time_limit": 60},
                         "solvers": [{"name": "sa", "solver": "sa", "options": {"num_reads": 10, "num_sweeps": 500, "polish": True}}]},
                        name="orlib-mini")
    db = tmp_path / "o.sqlite"
    assert run_suite(suite, str(db), progress="none").failed == 0
    report = write_report(str(db), tmp_path / "rep")
    dev = report["runs"]["frontier_deviation"]
    assert dev.notna().all() and (dev >= 0).all() and dev.max() < 50  # K = 10 portfolios lie near the UEF
    assert "frontier_orlib.png" in report["files"]
