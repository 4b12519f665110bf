"""Reports from the command line: tables, plots, the OR-Library frontier deviation."""

from __future__ import annotations

import pytest

from qportfolio.bench import parse_suite, run_suite, write_report

from ..conftest import cli


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
                 "tts99_vs_n.png", "feasibility_vs_penalty.png", "frontier_synthetic-small.png", "time_memory_vs_n.png",
                 "time_memory_by_n.csv"):
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
    assert "## Time and memory against n" in summary
    import json

    peaks = [json.loads(i)["peak_rss_mb"] for i in runs["info"]]
    assert all(p is not None and 10 < p < 4096 for p in peaks)  # each job's own peak resident memory, in MB


def test_report_on_a_missing_database_is_a_clear_error(tmp_path):
    out = cli("bench", "report", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "r"))
    assert out.returncode == 2 and "does not exist" in out.stderr


def test_report_includes_the_orlib_frontier_deviation(tmp_path):
    suite = parse_suite(
        {
            "instances": [{"kind": "orlib", "names": ["port1"]}],
            "parameters": {"cardinality": 10, "risk_aversion": [0.3, 0.7], "weight_step": 0.1, "min_weight": 0.05},
            "references": {"discrete": True, "time_limit": 60},
            "solvers": [{"name": "sa", "solver": "sa", "options": {"num_reads": 10, "num_sweeps": 500, "polish": True}}],
        },
        name="orlib-mini",
    )
    db = tmp_path / "o.sqlite"
    assert run_suite(suite, str(db), progress="none").failed == 0
    report = write_report(str(db), tmp_path / "rep")
    dev = report["runs"]["frontier_deviation"]
    assert dev.notna().all() and (dev >= 0).all() and dev.max() < 50  # K = 10 portfolios lie near the UEF
    assert "frontier_orlib.png" in report["files"]
    assert "frontier_orlib_port1.png" in report["files"] and "frontier_deviation.csv" in report["files"]
    assert "gaps_by_lambda_orlib.png" in report["files"]  # every point's gap, not only the medians
    table = report["deviations"].set_index("config")
    assert set(table.index) == {"exact-discrete", "sa"} and (table["points"] == 2).all()
    assert table.loc["exact-discrete", "proven"] == 2
    runs = report["runs"]
    exact = runs[runs["config"] == "exact-discrete"]["frontier_deviation"]
    assert table.loc["exact-discrete", "mean_pct_deviation"] == pytest.approx(exact.mean())
    assert table.loc["exact-discrete", "median_pct_deviation"] == pytest.approx(exact.median())
    assert "Percentage deviation from the unconstrained frontier" in (tmp_path / "rep" / "summary.md").read_text()
