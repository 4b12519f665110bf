"""The sample lines and columns every sampler's result shows."""

from __future__ import annotations

import qportfolio as qp
from qportfolio.solvers.base import BENCHMARK_METRICS
from qportfolio.solvers.sample_report import sample_metrics, samples_report_lines, stop_reason


def test_lines_and_columns_read_the_results_own_figures():
    problem = qp.synthetic_problem(6, seed=1, cardinality=2, weight_step=0.25, min_weight=0.25)
    r = qp.solve(problem, "sa", num_reads=8, num_sweeps=50, batches=2, seed=1)
    lines = samples_report_lines(r)
    assert lines[0].startswith(f"samples     {r.info['num_samples']} reads") and "2 sampler calls (all calls made)" in lines[1]
    assert stop_reason(r) == "all calls made"
    metrics = sample_metrics(r)
    assert set(metrics) >= set(BENCHMARK_METRICS) and metrics["num_samples"] == 16
