"""The report's PNG plots: gap and TTS99 against n, time and memory against n, feasibility against
the penalty scale, cardinality-constrained frontiers against the unconstrained one (Chang et al.
2000, Figure 1) and per-point gaps by risk aversion. Each returns what it wrote (nothing without data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .tables import _orlib_frontier_runs, resource_table


def _line_plot(data: Any, path: Path, *, series: str, x: str, y: str, agg: str, xlabel: str, ylabel: str, title: str,
               decorate: Any = None) -> bool:
    """One line per ``series`` value: ``y`` aggregated (``agg``) over ``x``; False when there is no data."""
    import matplotlib.pyplot as plt

    if data.empty:
        return False
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for label, g in data.groupby(series):
        line = g.groupby(x)[y].agg(agg)
        ax.plot(line.index, line.values, marker="o", label=label)
    if decorate is not None:
        decorate(ax)
    _integer_axis(ax, data[x])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def _integer_axis(ax: Any, values: Any) -> None:
    """Integer ticks for an integer quantity (n, K, reads); a lone value gets a window of +-1 around it
    rather than matplotlib's +-4 % (ticks at 0.96, 1.04)."""
    from matplotlib.ticker import MaxNLocator

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not v.size or not np.allclose(v, np.round(v)):
        return
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if v.min() == v.max():
        ax.set_xlim(v.min() - 1, v.max() + 1)


def _plot_gap_vs_n(df: Any, path: Path) -> bool:
    data = df[(df["role"] == "solver") & df["gap_discrete"].notna()]

    def scale(ax: Any) -> None:
        ax.set_yscale("symlog", linthresh=1e-4)
        if (data["gap_discrete"] >= 0).all():
            ax.set_ylim(bottom=0)

    return _line_plot(data, path, series="config", x="n", y="gap_discrete", agg="mean", xlabel="assets n",
                      ylabel="mean relative gap to exact-discrete optimum", title="Optimality gap vs problem size",
                      decorate=scale)


def _plot_tts_vs_n(df: Any, path: Path) -> bool:
    data = df[df["tts99"].notna() & np.isfinite(df["tts99"].astype(float))]
    return _line_plot(data, path, series="config", x="n", y="tts99", agg="median", xlabel="assets n",
                      ylabel="median TTS99 (s)", title="Time to solution at 99 % vs problem size (runs that found the optimum)",
                      decorate=lambda ax: ax.set_yscale("log"))


def _plot_time_memory_vs_n(df: Any, path: Path) -> bool:
    """Median wall time and largest peak memory against n, one line per configuration."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    table = resource_table(df)
    if table.empty:
        return False
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for config, g in table.groupby("config"):
        left.plot(g["n"], g["median_wall_s"], marker="o", label=config)
        right.plot(g["n"], g["max_peak_mb"], marker="o", label=config)
    for ax, label in ((left, "median wall time per point (s)"), (right, "peak memory of a job (MB)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("assets n")
        ax.set_ylabel(label)
        ticks = sorted(int(v) for v in table["n"].unique())
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.grid(True, alpha=0.3, which="both")
        ax.legend(fontsize=8)
    fig.suptitle("Time and memory against problem size")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def _plot_feasibility_vs_penalty(df: Any, path: Path) -> bool:
    data = df[df["penalty_scale"].notna() & df["feasible_fraction"].notna()]

    def mark(ax: Any) -> None:
        ax.axvline(1.0, color="grey", ls=":", label="calibrated penalty (scale 1)")
        ax.set_ylim(-0.02, 1.02)

    return _line_plot(data, path, series="solver", x="penalty_scale", y="feasible_fraction", agg="mean",
                      xlabel="penalty scale (multiple of the certified penalty strength)",
                      ylabel="mean share of feasible raw samples", title="Feasibility vs penalty strength", decorate=mark)


def _save(fig: Any, out: Path, name: str, title: str) -> str:
    """Title, lay out, write and close a figure; its file name."""
    import matplotlib.pyplot as plt

    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(out / name, dpi=110)
    plt.close(fig)
    return name


def _plot_frontiers(df: Any, out: Path, data_dir: str | None) -> list[str]:
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from ...data.orlib import ORLIB_SETS

    written = []
    feasible = df[df["feasible"].astype(bool)]
    for iset, g_set in feasible.groupby("instance_set"):
        instances = [i for i, g in g_set.groupby("instance") if g["risk_aversion"].nunique() >= 2]
        if not instances:
            continue
        instances = instances[:6]
        cols = min(3, len(instances))
        rows = -(-len(instances) // cols)
        fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 4.2 * rows), squeeze=False)
        for ax, instance in zip(axes.flat, instances):
            g = g_set[g_set["instance"] == instance]
            if instance in ORLIB_SETS:
                _plot_uef(ax, instance, data_dir, lw=1.2)
            for config, gc in g.groupby("config"):
                best = gc.loc[gc.groupby("risk_aversion")["objective"].idxmin()].sort_values("volatility")
                ax.plot(best["volatility"], best["expected_return"], marker="o", ms=4, lw=0.8, label=config)
            k = int(g["cardinality"].iloc[0])
            ax.set_title(f"{instance} (K = {k})", fontsize=10)
            ax.xaxis.set_major_locator(MaxNLocator(5))
            ax.set_xlabel("volatility σ (per period)")
            ax.set_ylabel("expected return (per period)")
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=7)
        for ax in list(axes.flat)[len(instances):]:
            ax.set_visible(False)
        written.append(_save(fig, out, f"frontier_{iset}.png", f"Cardinality-constrained frontiers: {iset}"))
    return written


def _plot_instance_frontiers(df: Any, out: Path, data_dir: str | None) -> list[str]:
    """One plot per traced OR-Library instance: the UEF, the exact frontier as a line, other
    configurations as markers (Chang et al. 2000, Figure 1, one set per figure)."""
    import matplotlib.pyplot as plt

    best = _orlib_frontier_runs(df)
    written = []
    for (iset, instance), g in best.groupby(["instance_set", "instance"], sort=True):
        fig, ax = plt.subplots(figsize=(6.4, 4.6))
        _plot_uef(ax, instance, data_dir, lw=1.0)
        for config, gc in g.groupby("config"):
            gc = gc.sort_values("volatility")
            if (gc["role"] == "reference").all():
                ax.plot(gc["volatility"], gc["expected_return"], marker=".", ms=4, lw=1.2, label=f"{config} (exact)")
            else:
                ax.plot(gc["volatility"], gc["expected_return"], ls="none", marker="o", ms=3.5, mfc="none", label=config)
        k = int(g["cardinality"].iloc[0])
        ax.set_title(f"{instance}: K = {k}, {g['risk_aversion'].nunique()} risk aversions", fontsize=10)
        ax.set_xlabel("volatility σ (per period)")
        ax.set_ylabel("expected return (per period)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
        fig.tight_layout()
        name = f"frontier_{iset}_{instance}.png"
        fig.savefig(out / name, dpi=110)
        plt.close(fig)
        written.append(name)
    return written


def _plot_gaps_by_lambda(df: Any, out: Path) -> list[str]:
    """Per traced OR-Library instance set: each sampler's gap to the exact-discrete optimum at every
    risk aversion (one panel per instance), so that per-point gaps are seen, not only medians."""
    import matplotlib.pyplot as plt

    best = _orlib_frontier_runs(df)
    if best.empty:
        return []
    best = best[(best["role"] == "solver") & best["gap_discrete"].notna()]
    written = []
    for iset, g_set in best.groupby("instance_set"):
        instances = sorted(g_set["instance"].unique())
        fig, axes = plt.subplots(1, len(instances), figsize=(3.6 * len(instances), 3.4), squeeze=False, sharey=True)
        for ax, instance in zip(axes.flat, instances):
            for config, gc in g_set[g_set["instance"] == instance].groupby("config"):
                gc = gc.sort_values("risk_aversion")
                ax.plot(gc["risk_aversion"], 100 * gc["gap_discrete"].astype(float), marker="o", ms=2.5, lw=0.8,
                        label=config)
            ax.set_yscale("symlog", linthresh=1e-3)
            ax.set_title(instance, fontsize=10)
            ax.set_xlabel("risk aversion λ")
            ax.grid(True, alpha=0.3)
        axes.flat[0].set_ylabel("gap to the grid optimum (%)")
        axes.flat[0].legend(fontsize=7)
        written.append(_save(fig, out, f"gaps_by_lambda_{iset}.png", f"Per-point gaps: {iset}"))
    return written


def _plot_uef(ax: Any, instance: str, data_dir: Any, *, lw: float) -> None:
    """Draw OR-Library set ``instance``'s unconstrained frontier (portefN.txt) on ``ax``, if its file is there."""
    from ...data import load_orlib_frontier
    from ...errors import DataError

    try:
        uef = load_orlib_frontier(instance, data_dir=data_dir)
    except DataError:
        return
    order = np.argsort(uef[:, 1])
    ax.plot(np.sqrt(uef[order, 1]), uef[order, 0], color="k", lw=lw, label="unconstrained frontier (UEF)")
