"""The report's tables: column specs, Markdown and terminal renderings, and the derived tables
(time and memory against n; Chang et al.'s percentage deviation from the unconstrained frontier)."""

from __future__ import annotations

from typing import Any

import numpy as np

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


DEVIATION_COLUMNS = [("instance", "set", "s"), ("config", "configuration", "s"), ("points", "points", "d"),
                     ("proven", "proven optimal", ".0f"), ("mean_pct_deviation", "mean % deviation", ".4f"),
                     ("median_pct_deviation", "median % deviation", ".4f")]


def _orlib_frontier_runs(df: Any) -> Any:
    """Feasible runs on OR-Library instances traced over at least two risk aversions: the best run
    (lowest objective over seeds) per instance set, instance, configuration and lambda."""
    from ...data.orlib import ORLIB_SETS

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
