"""Quantum reach: the OR-Library sets through ``decompose``, each subsolver beside its controls.

    python benchmarks/quantum_reach.py [--db out/devices.sqlite] [--workers 2] [--plot docs/img/quantum_reach.png]

Runs (resumably) the built-in ``devices`` suite: port1..port5, K = 10, 0.05 grid, min weight
0.05, lambda 0.1/0.5/0.9, SCIP's proven optimum of each point as the reference; ``decompose``
from the same seeded random feasible start with equal call budgets (20 subproblems of 20
variables, 1024 samples a call) and subsolvers qaoa-fast (plain and CVaR 0.1), dwave-qpu on
dwave-system's MockDWaveSampler (a classical stand-in: SA on the embedded problem; it says nothing
about a QPU), sa, and the controls random (the best of 1024 uniform assignments) and exhaustive
(the subproblem's exact optimum). Prints per subsolver: median and max gap to SCIP over the 15
points, per set, median improvements accepted from the subsolver, the subsolver's share of the wall
time, and the median wall time; writes the table as JSON and, with ``--plot``, a gap-per-set chart.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT_DIR, print_table, write_json

from qportfolio.bench import load_suite, run_suite
from qportfolio.bench.metrics import add_metrics
from qportfolio.bench.store import load_runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(OUT_DIR / "devices.sqlite"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--plot", help="write a gap-per-set chart (PNG)")
    parser.add_argument("--limit", type=int, help="run at most this many pending jobs (then report what is there)")
    parser.add_argument("--suite", default="devices", help="the suite (default the built-in devices; "
                                                           "benchmarks/devices-long.toml: 100 subproblems)")
    args = parser.parse_args()
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    summary = run_suite(load_suite(args.suite), args.db, workers=args.workers, progress="lines", limit=args.limit)
    print(f"{summary.done} jobs run, {summary.skipped} already in {args.db}, {summary.failed} failed\n")
    runs = add_metrics(load_runs(args.db))
    rows = runs[(runs["role"] == "solver")].copy()
    rows["subsolver"] = rows["info"].map(lambda i: (i or {}).get("subsolver"))
    rows["improvements"] = rows["info"].map(lambda i: (i or {}).get("subsolver_improvements"))
    rows["share"] = rows["info"].map(lambda i: (i or {}).get("subsolver_seconds", np.nan) / max((i or {}).get(
        "loop_seconds", np.nan), 1e-300))
    rows["start_gap"] = [(i or {}).get("start_objective", np.nan) for i in rows["info"]]
    table = []
    for config, g in rows.groupby("config", sort=False):
        gaps = 100 * g["gap_discrete"]
        row = {"configuration": config, "points": len(g), "gap_median_pct": float(gaps.median()),
               "gap_max_pct": float(gaps.max()), "within_1pct": int((gaps <= 1.0).sum()),
               "improvements_median": float(g["improvements"].median()), "subsolver_share": float(g["share"].median()),
               "wall_median_s": float(g["wall_time"].median())}
        for name, s in g.groupby("instance"):
            row[name] = float(100 * s["gap_discrete"].median())
        table.append(row)
    sets = sorted(rows["instance"].unique())
    print(f"# Quantum reach, {datetime.date.today()}, {platform.machine()}, Python {platform.python_version()}\n")
    text = print_table(table, [("configuration", "configuration", "s"), ("points", "points", "d"),
                               ("gap_median_pct", "median gap %", ".3f"), ("gap_max_pct", "max gap %", ".3f"),
                               ("within_1pct", "within 1 %", "d"),
                               *[(s, f"{s} median %", ".3f") for s in sets],
                               ("improvements_median", "improvements (median)", ".0f"),
                               ("subsolver_share", "subsolver share of wall", ".2f"),
                               ("wall_median_s", "wall s (median)", ".1f")])
    write_json(f"quantum_reach_{Path(args.suite).stem}", table, {"db": args.db, "suite": args.suite, "table": text})
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(10, 4.8))
        width = 0.8 / max(len(table), 1)
        colours = plt.get_cmap("tab20")
        for k, row in enumerate(table):
            ax.bar(np.arange(len(sets)) + k * width, [max(row.get(s, np.nan), 1e-4) for s in sets], width,
                   color=colours(k % 20),
                   label=row["configuration"] + (" (mock QPU)" if "mock" in row["configuration"] else ""))
        ax.set_xticks(np.arange(len(sets)) + 0.4 - width / 2, sets)
        ax.set_yscale("log")
        ax.set_ylabel("median gap to SCIP's optimum, % (floor 1e-4)")
        loops = sorted({int((o or {}).get("iterations", 0)) for o in rows["options"]})
        ax.set_title(f"decompose from a random start, {'/'.join(map(str, loops))} subproblems of 20 variables")
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)
        print(f"plot written to {args.plot}")


if __name__ == "__main__":
    main()
