"""The report's tables on hand-made run frames: each cell is the one computed here by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qportfolio.bench.report import (
    SUMMARY_COLUMNS,
    TERMINAL_COLUMNS,
    frontier_deviation_table,
    markdown_table,
    resource_table,
    terminal_table,
)


def test_markdown_table_formats_each_cell_and_marks_missing_and_infinite_values():
    summary = pd.DataFrame([{"config": "sa", "jobs": 3, "gap_median": 0.5, "tts99_median": float("inf")},
                            {"config": "tabu", "jobs": 4, "gap_median": None, "tts99_median": float("nan")}])
    columns = [("config", "configuration", "s"), ("jobs", "jobs", "d"), ("gap_median", "gap", ".2e"),
               ("tts99_median", "TTS", ".3g")]
    assert markdown_table(summary, columns).splitlines() == [
        "| configuration | jobs | gap | TTS |", "|---|---|---|---|", "| sa | 3 | 5.00e-01 | ∞ |", "| tabu | 4 | — | — |"]
    assert markdown_table(summary).count("|---") == len(SUMMARY_COLUMNS)  # the default columns


def test_terminal_table_aligns_text_left_and_numbers_right():
    summary = pd.DataFrame([{"config": "sa", "instance_set": "s", "jobs": 12, "feasible": 1.0, "gap_median": 0.0,
                             "optimal_share": 0.5, "wall_median": 0.25},
                            {"config": "exact-discrete", "instance_set": "s", "jobs": 3, "feasible": 1.0,
                             "gap_median": 0.0, "optimal_share": 1.0, "wall_median": 1.5}])
    head, rule, first, second = terminal_table(summary).splitlines()
    assert len(rule) == len(head) and head.split()[0] == "configuration"
    assert first.startswith("sa ") and second.startswith("exact-discrete")
    widths = [len(h) for _, h, _ in TERMINAL_COLUMNS]
    assert head.index("jobs") + widths[2] == first.index("12") + 2  # right-aligned under its header


def runs(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_resource_table_is_median_wall_peak_memory_and_gap_per_config_and_n():
    df = runs(config=["sa"] * 4 + ["exact"] * 2, n=[5, 5, 10, 10, 5, 10], role=["solver"] * 4 + ["reference"] * 2,
              status=["feasible"] * 4 + ["optimal", "time_limit"], wall_time=[1.0, 3.0, 2.0, 6.0, 0.5, 9.0],
              gap_discrete=[0.0, 0.02, 0.01, np.nan, 0.0, 0.0],
              info=[{"peak_rss_mb": 100.0, "rss_before_mb": 90.0}, {"peak_rss_mb": 120.0, "rss_before_mb": 80.0},
                    {"peak_rss_mb": 200.0, "rss_before_mb": 150.0}, None, {"peak_rss_mb": 50.0, "rss_before_mb": 40.0},
                    {"peak_rss_mb": 70.0, "rss_before_mb": 60.0}])
    table = resource_table(df).set_index(["config", "n"])
    sa5 = table.loc[("sa", 5)]
    assert sa5["points"] == 2 and sa5["median_wall_s"] == 2.0 and sa5["max_wall_s"] == 3.0
    assert sa5["max_peak_mb"] == 120.0 and sa5["max_job_mb"] == 40.0
    assert sa5["median_gap_pct"] == pytest.approx(1.0) and sa5["max_gap_pct"] == pytest.approx(2.0)
    assert pd.isna(sa5["proven"])  # solvers prove nothing
    assert table.loc[("sa", 10), "max_peak_mb"] == 200.0  # a job without info counts for none
    assert table.loc[("exact", 5), "proven"] == 1 and table.loc[("exact", 10), "proven"] == 0
    assert resource_table(df[df["n"] == 5]).empty  # one n: nothing to plot against


def test_frontier_deviation_takes_the_best_run_per_lambda_and_its_mean_and_median():
    df = runs(instance_set=["orlib"] * 5, instance=["port1"] * 5, config=["sa"] * 5, role=["solver"] * 5,
              status=["feasible"] * 5, feasible=[True, True, True, True, False],
              risk_aversion=[0.3, 0.3, 0.7, 0.9, 0.9], objective=[2.0, 1.0, 5.0, 3.0, -9.0],
              frontier_deviation=[8.0, 1.0, 3.0, 5.0, 0.0])
    table = frontier_deviation_table(df)
    assert len(table) == 1
    row = table.iloc[0]
    # lambda 0.3: the run of objective 1.0 (deviation 1); 0.7: 3; 0.9: the feasible run (5)
    assert row["points"] == 3 and row["mean_pct_deviation"] == pytest.approx(3.0) and row["median_pct_deviation"] == 3.0
    synthetic = df.assign(instance="synthetic-1")
    assert frontier_deviation_table(synthetic).empty  # only OR-Library sets have a UEF
