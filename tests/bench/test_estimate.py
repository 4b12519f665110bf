"""The dry-run time estimate: history first, then budgets, hints and time limits."""

from __future__ import annotations

import pytest

from qportfolio.bench import load_suite, parse_suite, run_suite
from qportfolio.bench.estimate import estimate_jobs

from .conftest import cli, write_suite


def small_suite(**solver_extra):
    return parse_suite({
        "instances": [{"kind": "synthetic", "n": [5, 6]}],
        "parameters": {"cardinality": 2, "weight_step": 0.25, "min_weight": 0.25},
        "references": {"discrete": True, "time_limit": 30, "expected_seconds": {"synthetic-n5-s0": 0.5, "default": 2}},
        "solvers": [{"name": "budgeted", "solver": "sa", "options": {"num_reads": 2, "time_budget": 1.5}},
                    {"name": "plain", "solver": "sa", "options": {"num_reads": 2}, **solver_extra}],
    }, name="small")


def test_each_source_in_its_order():
    est = estimate_jobs(small_suite().jobs())
    # references: hint per instance (0.5 and the default 2); budgeted: 1.5 each; plain: nothing known
    assert est.sources == {"hint": 2, "budget": 2, "unknown": 2}
    assert est.seconds == pytest.approx(0.5 + 2 + 1.5 * 2)
    assert est.upper_seconds == pytest.approx(30 * 2 + 1.5 * 2) and est.unbounded == 2
    assert est.per_config == pytest.approx({"exact-discrete": 2.5, "budgeted": 3.0})
    assert est.wall_seconds(2) == pytest.approx(est.seconds / 2)
    assert "2 jobs have no estimate" in est.describe()
    hinted = estimate_jobs(small_suite(expected_seconds=4).jobs())
    assert hinted.sources["hint"] == 4 and hinted.seconds == pytest.approx(5.5 + 8)


def test_a_measured_hint_beats_a_nominal_budget():
    """A budget can be overrun (sa on port5), so the suite's measured hint is used before it."""
    suite = parse_suite({
        "instances": [{"kind": "synthetic", "n": [5, 6]}],
        "parameters": {"cardinality": 2, "weight_step": 0.25, "min_weight": 0.25},
        "references": {"discrete": False},
        "solvers": [{"name": "overrun", "solver": "sa", "options": {"time_budget": 2.0},
                     "expected_seconds": {"synthetic-n6-s0": 17.5, "default": 2.6}}],
    }, name="hinted")
    est = estimate_jobs(suite.jobs())
    assert est.sources == {"hint": 2} and est.seconds == pytest.approx(17.5 + 2.6)


def test_nothing_pending_says_so():
    assert estimate_jobs([]).describe(2) == "estimate: 0 s of solver time, about 0 s wall with 2 workers (nothing pending)"


def test_history_overrides_everything_and_falls_back_to_the_nearest_size():
    jobs = small_suite().jobs()
    history = [{"config": "plain", "instance": "synthetic-n5-s0", "n": 5, "wall_time": t} for t in (1.0, 3.0, 2.0)]
    history.append({"config": "budgeted", "instance": "synthetic-n6-s0", "n": 6, "wall_time": 7.0})
    est = estimate_jobs(jobs, history)
    plain = {j.instance: j for j in jobs if j.config.name == "plain"}
    assert estimate_jobs([plain["synthetic-n5-s0"]], history).seconds == pytest.approx(2.0)  # median
    assert estimate_jobs([plain["synthetic-n6-s0"]], history).seconds == pytest.approx(2.0)  # nearest n
    assert est.sources["history"] == 4 and est.per_config["budgeted"] == pytest.approx(14.0)


def test_dry_run_reports_pending_done_and_an_estimate(tmp_path):
    path = write_suite(tmp_path)
    db = tmp_path / "t.sqlite"
    first = cli("bench", "run", str(path), "--dry-run", "--db", str(db), "--workers", "2")
    assert first.returncode == 0, first.stderr
    assert "20 jobs" in first.stdout and "20 pending" in first.stdout and "estimate:" in first.stdout
    assert not db.exists()  # a dry run writes nothing
    assert run_suite(load_suite(str(path)), str(db), limit=8, progress="none").done == 8
    second = cli("bench", "run", str(path), "--dry-run", "--db", str(db), "--workers", "2")
    assert "12 pending" in second.stdout and "8 already in" in second.stdout and "from history" in second.stdout
    assert "with 2 workers" in second.stdout
