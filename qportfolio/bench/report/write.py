"""``write_report``: every report file for a results database (see the package docstring), and the
HTML page."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from ...errors import ValidationError
from ..metrics import add_metrics, summarize
from ..store import load_runs
from .plots import (
    _plot_feasibility_vs_penalty,
    _plot_frontiers,
    _plot_gap_vs_n,
    _plot_gaps_by_lambda,
    _plot_instance_frontiers,
    _plot_time_memory_vs_n,
    _plot_tts_vs_n,
)
from .tables import (
    BY_INSTANCE_COLUMNS,
    DEVIATION_COLUMNS,
    RESOURCE_COLUMNS,
    SUMMARY_COLUMNS,
    _fmt,
    frontier_deviation_table,
    markdown_table,
    resource_table,
    terminal_table,
)


def _check_data_dir(runs: Any, data_dir: str | None) -> None:
    """A given ``data_dir`` must serve: the database has OR-Library runs and the folder has their frontiers."""
    if data_dir is None:
        return
    from ...data import load_orlib_frontier
    from ...data.orlib import ORLIB_SETS

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
