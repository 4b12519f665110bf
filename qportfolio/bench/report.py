"""Reports from a results database: Markdown and HTML summaries, CSV/Parquet exports, PNG plots.

Files written to ``out``: ``summary.md``, ``summary.html``, ``summary.csv``, ``runs.csv``,
``runs.parquet`` (every job with its metrics), and the plots ``gap_vs_n.png``, ``tts99_vs_n.png``,
``feasibility_vs_penalty.png`` and ``frontier_<set>.png`` (one per instance set that has several
risk-aversion values: each solver's cardinality-constrained frontier against the unconstrained
frontier, as in Chang et al. 2000, Figure 1), plus, for every OR-Library instance traced over
several risk aversions, ``frontier_<set>_<instance>.png`` and the table of Chang et al.'s mean and
median percentage deviation from the unconstrained frontier (``frontier_deviation.csv`` and a
section of ``summary.md``).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ValidationError
from .metrics import add_metrics, summarize
from .store import load_runs

SUMMARY_COLUMNS = [
    ("config", "configuration", "s"), ("instance_set", "instance set", "s"), ("jobs", "jobs", "d"),
    ("feasible", "feasible", ".2f"), ("sample_feasibility", "sample feasibility", ".2f"),
    ("gap_median", "gap median", ".2e"), ("gap_q25", "gap q25", ".2e"), ("gap_q75", "gap q75", ".2e"),
    ("scaled_gap_median", "scaled gap median", ".2e"), ("optimal_share", "optimal share", ".2f"),
    ("p_opt_median", "P(opt) median", ".3f"), ("tts99_median", "TTS99 median s", ".3g"),
    ("wall_median", "wall median s", ".3g"), ("qpu_time_mean", "QPU s mean", ".3g"),
    ("mean_pct_deviation", "mean % deviation (UEF)", ".3f"), ("proven", "proven optimal (of jobs)", ".0f"),
]
BY_INSTANCE_COLUMNS = [("instance", "instance", "s"), ("config", "configuration", "s")] + [
    c for c in SUMMARY_COLUMNS if c[0] not in ("config", "instance_set", "gap_q25", "qpu_time_mean")]


def _fmt(value: Any, spec: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if isinstance(value, float) and np.isinf(value):
        return "∞"
    return format(value, spec)


def markdown_table(summary: Any, columns: list[tuple[str, str, str]] = SUMMARY_COLUMNS) -> str:
    head = "| " + " | ".join(h for _, h, _ in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    lines = [head, rule]
    for row in summary.to_dict("records"):
        lines.append("| " + " | ".join(_fmt(row.get(k), f) for k, _, f in columns) + " |")
    return "\n".join(lines)


#: The columns a terminal shows after ``bench report`` (the files hold every column).
TERMINAL_COLUMNS = [("config", "configuration", "s"), ("instance_set", "set", "s"), ("jobs", "jobs", "d"),
                    ("feasible", "feasible", ".2f"), ("gap_median", "gap median", ".2e"),
                    ("optimal_share", "optimal", ".2f"), ("wall_median", "wall s", ".3g")]


def terminal_table(summary: Any, columns: list[tuple[str, str, str]] = TERMINAL_COLUMNS) -> str:
    """An aligned plain-text table of ``columns`` (text left, numbers right), for a terminal."""
    rows = [[_fmt(r.get(k), f) for k, _, f in columns] for r in summary.to_dict("records")]
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, (_, h, _) in enumerate(columns)]
    numeric = [f != "s" for _, _, f in columns]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)).rstrip()

    head = line([h for _, h, _ in columns])
    return "\n".join([head, "-" * len(head), *(line(r) for r in rows)])


def _check_data_dir(runs: Any, data_dir: str | None) -> None:
    """A given ``data_dir`` must serve: the database has OR-Library runs and the folder has their frontiers."""
    if data_dir is None:
        return
    from ..data import load_orlib_frontier
    from ..data.orlib import ORLIB_SETS

    sets = sorted(set(runs["instance"]) & set(ORLIB_SETS)) if len(runs) else []
    if not sets:
        raise ValidationError("--data-dir locates the OR-Library frontier files (portefN.txt); this database has no "
                              "OR-Library runs (leave --data-dir out)")
    for name in sets:
        load_orlib_frontier(name, data_dir=data_dir)  # a DataError naming the missing file


def _html(summary: Any, title: str, plots: list[str], notes: str) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for _, h, _ in SUMMARY_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(r.get(k), f))}</td>" for k, _, f in SUMMARY_COLUMNS) + "</tr>"
                   for r in summary.to_dict("records"))
    images = "".join(f'<figure><img src="{html.escape(p)}" alt="{html.escape(p)}">'
                     f"<figcaption>{html.escape(p)}</figcaption></figure>" for p in plots)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #bbb;padding:3px 6px;text-align:right}}
th{{background:#eee}}td:first-child,td:nth-child(2){{text-align:left}}img{{max-width:720px}}figure{{display:inline-block}}</style></head>
<body><h1>{html.escape(title)}</h1><p>{html.escape(notes)}</p><table><tr>{cells}</tr>{body}</table>{images}</body></html>"""


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


RESOURCE_COLUMNS = [("config", "configuration", "s"), ("n", "n", "d"), ("points", "points", "d"),
                    ("proven", "proven optimal", ".0f"), ("median_wall_s", "median wall s", ".2f"),
                    ("max_wall_s", "max wall s", ".2f"), ("max_peak_mb", "max peak MB", ",.0f"),
                    ("max_job_mb", "max peak − start MB", ",.0f"),
                    ("median_gap_pct", "median gap %", ".4f"), ("max_gap_pct", "max gap %", ".4f")]


def _with_peak(df: Any) -> Any:
    data = df.copy()
    for key in ("peak_rss_mb", "rss_before_mb"):
        data[key] = data["info"].map(lambda i, k=key: (i or {}).get(k) if isinstance(i, dict) else None)
    return data


def resource_table(df: Any) -> Any:
    """Wall time, peak memory (each job's own peak RSS) and gap per configuration and n, for suites
    that vary n (e.g. ``scale``)."""
    import pandas as pd

    data = _with_peak(df)
    if data.empty or data["n"].nunique() < 2:
        return pd.DataFrame()
    rows = []
    for (config, n), g in data.groupby(["config", "n"], sort=True):
        gaps = g["gap_discrete"].dropna().astype(float) if "gap_discrete" in g else pd.Series(dtype=float)
        peaks = g["peak_rss_mb"].dropna().astype(float)
        grown = (g["peak_rss_mb"].astype(float) - g["rss_before_mb"].astype(float)).dropna()
        rows.append({"config": config, "n": int(n), "points": len(g),
                     "proven": int((g["status"] == "optimal").sum()) if (g["role"] == "reference").all() else None,
                     "median_wall_s": float(g["wall_time"].median()), "max_wall_s": float(g["wall_time"].max()),
                     "max_peak_mb": float(peaks.max()) if len(peaks) else np.nan,
                     "max_job_mb": float(grown.max()) if len(grown) else np.nan,
                     "median_gap_pct": 100 * float(gaps.median()) if len(gaps) else np.nan,
                     "max_gap_pct": 100 * float(gaps.max()) if len(gaps) else np.nan})
    return pd.DataFrame(rows)


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

    from ..data.orlib import ORLIB_SETS

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


DEVIATION_COLUMNS = [("instance", "set", "s"), ("config", "configuration", "s"), ("points", "points", "d"),
                     ("proven", "proven optimal", ".0f"), ("mean_pct_deviation", "mean % deviation", ".4f"),
                     ("median_pct_deviation", "median % deviation", ".4f")]


def _orlib_frontier_runs(df: Any) -> Any:
    """Feasible runs on OR-Library instances traced over at least two risk aversions: the best run
    (lowest objective over seeds) per instance set, instance, configuration and lambda."""
    from ..data.orlib import ORLIB_SETS

    data = df[df["feasible"].astype(bool) & df["instance"].isin(ORLIB_SETS)]
    if data.empty:
        return data
    traced = data.groupby(["instance_set", "instance"])["risk_aversion"].transform("nunique") >= 2
    data = data[traced]
    if data.empty:
        return data
    best = data.loc[data.groupby(["instance_set", "instance", "config", "risk_aversion"])["objective"].idxmin()]
    return best.sort_values(["instance_set", "instance", "config", "risk_aversion"])


def frontier_deviation_table(df: Any) -> Any:
    """Chang et al.'s mean and median percentage deviation from the UEF per instance and configuration."""
    import pandas as pd

    best = _orlib_frontier_runs(df)
    rows = []
    if not best.empty:
        for (iset, instance, config), g in best.groupby(["instance_set", "instance", "config"], sort=True):
            dev = g["frontier_deviation"].dropna()
            rows.append({"instance_set": iset, "instance": instance, "config": config, "points": len(g),
                         "proven": int((g["status"] == "optimal").sum()) if (g["role"] == "reference").all() else None,
                         "mean_pct_deviation": float(dev.mean()) if len(dev) else np.nan,
                         "median_pct_deviation": float(dev.median()) if len(dev) else np.nan})
    return pd.DataFrame(rows, columns=["instance_set", "instance", "config", "points", "proven",
                                       "mean_pct_deviation", "median_pct_deviation"])


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


def write_report(db: str, out: str | Path, *, data_dir: str | None = None) -> dict[str, Any]:
    """Write every report file for ``db`` into ``out``; returns the summary DataFrame and file list."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    runs = load_runs(db)
    _check_data_dir(runs, data_dir)
    runs = add_metrics(runs, data_dir=data_dir)
    summary = summarize(runs)
    flat = runs.copy()
    for col in ("options", "penalties", "sample_objectives", "weights", "parameters", "info", "versions"):
        flat[col] = flat[col].map(lambda v: json.dumps(v, default=str) if v is not None else None)
    flat.to_csv(out / "runs.csv", index=False)
    flat.to_parquet(out / "runs.parquet", index=False)
    summary.to_csv(out / "summary.csv", index=False)
    by_instance = summarize(runs, by="instance").sort_values(["instance", "config"], kind="stable")
    by_instance.to_csv(out / "summary_by_instance.csv", index=False)
    plots = []
    for name, fn in (("gap_vs_n.png", _plot_gap_vs_n), ("tts99_vs_n.png", _plot_tts_vs_n),
                     ("feasibility_vs_penalty.png", _plot_feasibility_vs_penalty),
                     ("time_memory_vs_n.png", _plot_time_memory_vs_n)):
        if fn(runs, out / name):
            plots.append(name)
    plots += _plot_frontiers(runs, out, data_dir)
    plots += _plot_instance_frontiers(runs, out, data_dir)
    plots += _plot_gaps_by_lambda(runs, out)
    deviations = frontier_deviation_table(runs)
    deviation_section = ""
    if not deviations.empty:
        deviations.to_csv(out / "frontier_deviation.csv", index=False)
        deviation_section = ("## Percentage deviation from the unconstrained frontier (Chang et al. 2000)\n\n"
                             "Per point, the smaller of the variance deviation at equal return and the return deviation "
                             "at equal variance from the interpolated UEF (portefN.txt); mean and median over the "
                             "configuration's points (best run per risk aversion).\n\n"
                             + markdown_table(deviations, DEVIATION_COLUMNS) + "\n\n")
    resources = resource_table(runs)
    if not resources.empty:
        resources.to_csv(out / "time_memory_by_n.csv", index=False)
        deviation_section += ("## Time and memory against n\n\nPer configuration and n: wall time per point, the largest "
                              "peak resident memory of a job (measured in the worker, whose imports and suite data "
                              "it includes) and the largest growth over the worker's size at the job's start, the gap "
                              "to the exact-discrete optimum.\n\n" + markdown_table(resources, RESOURCE_COLUMNS) + "\n\n")
    notes = (f"{len(runs)} jobs from {db}. Gap = (f - f*)/max(|f|, |f*|) to the exact-discrete optimum f* of the same "
             "instance; scaled gap = (f - f*)/S with S the objective's range bound; TTS99 = t ln(0.01)/ln(1 - P(opt)) "
             "with t the sampling time per read; mean % deviation from the unconstrained frontier as in Chang et al. (2000). "
             "See qportfolio/bench/metrics.py.")
    table = markdown_table(summary)
    instance_table = markdown_table(by_instance, BY_INSTANCE_COLUMNS)
    (out / "summary.md").write_text(f"# Benchmark report\n\n{notes}\n\n{table}\n\n## By instance\n\n{instance_table}\n\n"
                                    + deviation_section
                                    + "\n".join(f"![{p}]({p})" for p in plots) + "\n")
    (out / "summary.html").write_text(_html(summary, "Benchmark report", plots, notes))
    return {"summary": summary, "by_instance": by_instance, "runs": runs, "files": sorted(p.name for p in out.iterdir()),
            "table": table, "terminal": terminal_table(summary), "instance_table": instance_table,
            "deviations": deviations, "resources": resources}


def _plot_uef(ax: Any, instance: str, data_dir: Any, *, lw: float) -> None:
    """Draw OR-Library set ``instance``'s unconstrained frontier (portefN.txt) on ``ax``, if its file is there."""
    from ..data import load_orlib_frontier
    from ..errors import DataError

    try:
        uef = load_orlib_frontier(instance, data_dir=data_dir)
    except DataError:
        return
    order = np.argsort(uef[:, 1])
    ax.plot(np.sqrt(uef[order, 1]), uef[order, 0], color="k", lw=lw, label="unconstrained frontier (UEF)")
