"""The report's plots on hand-made run frames: a PNG where there is data, nothing where there is
none, and integer axes for integer quantities."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from qportfolio.bench.report.plots import (
    _integer_axis,
    _plot_feasibility_vs_penalty,
    _plot_frontiers,
    _plot_gap_vs_n,
    _plot_time_memory_vs_n,
    _plot_tts_vs_n,
)

PNG = b"\x89PNG\r\n\x1a\n"


def frame() -> pd.DataFrame:
    """Two configurations on two sizes, traced over two risk aversions."""
    rows = []
    for config, role in (("sa", "solver"), ("exact-discrete", "reference")):
        for n in (5, 10):
            for lam in (0.3, 0.7):
                gap = 0.0 if role == "reference" else 0.01 * n * lam
                rows.append({"config": config, "solver": config, "role": role, "n": n, "risk_aversion": lam,
                             "instance_set": "synthetic", "instance": f"synthetic-{n}", "cardinality": 2,
                             "feasible": True, "status": "optimal" if role == "reference" else "feasible",
                             "objective": -lam, "volatility": 0.1 * lam, "expected_return": 0.01 * lam,
                             "gap_discrete": gap, "tts99": 0.5 if role == "solver" else np.nan,
                             "penalty_scale": 1.0 if role == "solver" else np.nan,
                             "feasible_fraction": 0.8 if role == "solver" else np.nan, "wall_time": 0.1 * n,
                             "info": {"peak_rss_mb": 100.0 + n, "rss_before_mb": 90.0}})
    return pd.DataFrame(rows)


def test_line_plots_write_a_png_where_there_is_data(tmp_path):
    df = frame()
    for name, plot in (("gap.png", _plot_gap_vs_n), ("tts.png", _plot_tts_vs_n),
                       ("feasibility.png", _plot_feasibility_vs_penalty), ("memory.png", _plot_time_memory_vs_n)):
        assert plot(df, tmp_path / name) is True, name
        assert (tmp_path / name).read_bytes().startswith(PNG), name


def test_no_data_no_plot(tmp_path):
    df = frame()
    solvers_failed = df.assign(gap_discrete=np.nan, tts99=np.nan, penalty_scale=np.nan)
    assert _plot_gap_vs_n(solvers_failed, tmp_path / "gap.png") is False
    assert _plot_tts_vs_n(solvers_failed, tmp_path / "tts.png") is False
    assert _plot_feasibility_vs_penalty(solvers_failed, tmp_path / "f.png") is False
    assert _plot_time_memory_vs_n(df[df["n"] == 5], tmp_path / "m.png") is False  # one n: no line
    assert list(tmp_path.iterdir()) == []


def test_frontier_plot_per_instance_set_traced_over_risk_aversions(tmp_path):
    df = frame()
    assert _plot_frontiers(df, tmp_path, None) == ["frontier_synthetic.png"]
    assert (tmp_path / "frontier_synthetic.png").read_bytes().startswith(PNG)
    one_lambda = df[df["risk_aversion"] == 0.3]
    assert _plot_frontiers(one_lambda, tmp_path / "none", None) == []  # a single point is no frontier


def test_integer_axis_for_integer_values_only():
    fig, ax = plt.subplots()
    _integer_axis(ax, pd.Series([7, 7]))
    assert ax.get_xlim() == (6.0, 8.0)  # a lone value gets +-1, not matplotlib's +-4 %
    fig2, ax2 = plt.subplots()
    ax2.plot([0.5, 1.5], [0, 1])
    before = ax2.get_xlim()
    _integer_axis(ax2, pd.Series([0.5, 1.5]))
    assert ax2.get_xlim() == before  # fractional values keep matplotlib's axis
    plt.close(fig)
    plt.close(fig2)
