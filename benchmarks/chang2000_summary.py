"""The chang2000 suite's results per set, in one table: the exact frontiers' and the default qubo's
percentage deviation from the unconstrained frontier (Chang et al. 2000), and each sampler's gaps
to the proven optimum of the same point on the 0.01 grid.

    qportfolio bench run chang2000 --db chang.sqlite --workers 2
    python benchmarks/chang2000_summary.py chang.sqlite

Gap per point: (f - f*) / max(|f|, |f*|), f* the exact-discrete answer of that point (the grid
problem the QUBO encodes; SCIP's incumbent where it did not prove it); "at optimum" counts points
within 1e-6 of it (SCIP's own tolerance), "below" those better than an unproven reference. Deviation: per point the
smaller of the variance deviation at equal return and the return deviation at equal variance from
the interpolated UEF (portefN.txt), mean and median over the set's 51 points.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json

from qportfolio.bench.metrics import add_metrics
from qportfolio.bench.store import load_runs

AT_OPTIMUM = 1e-6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db")
    args = parser.parse_args()
    runs = add_metrics(load_runs(args.db))
    rows = []
    for (instance, config), g in runs.groupby(["instance", "config"], sort=True):
        feasible = g[g["feasible"].astype(bool)]
        gaps = feasible["gap_discrete"].dropna().astype(float)
        dev = feasible["frontier_deviation"].dropna().astype(float)
        reference = (g["role"] == "reference").all()
        rows.append({
            "set": instance, "config": config, "points": len(g), "feasible": len(feasible),
            "proven": int((g["status"] == "optimal").sum()) if reference else None,
            "mean_dev": float(dev.mean()) if len(dev) else None, "median_dev": float(dev.median()) if len(dev) else None,
            "at_optimum": None if reference else int((gaps.abs() <= AT_OPTIMUM).sum()),
            "below": None if reference else int((gaps < -AT_OPTIMUM).sum()),
            "median_gap_pct": None if reference or not len(gaps) else 100 * float(gaps.median()),
            "max_gap_pct": None if reference or not len(gaps) else 100 * max(float(gaps.max()), 0.0),
            "mean_wall": float(g["wall_time"].mean()), "max_wall": float(g["wall_time"].max()),
        })
    print_table(rows, [("set", "set", ""), ("config", "configuration", ""), ("points", "points", "d"),
                       ("feasible", "feasible", "d"), ("proven", "proven", "d"), ("mean_dev", "mean % dev (UEF)", ".3f"),
                       ("median_dev", "median % dev", ".3f"), ("at_optimum", "at grid optimum", "d"),
                       ("below", "below the reference", "d"),
                       ("median_gap_pct", "median gap %", ".4f"), ("max_gap_pct", "max gap %", ".4f"),
                       ("mean_wall", "mean wall s", ".1f"), ("max_wall", "max wall s", ".1f")])
    solver = runs[(runs["role"] == "solver") & runs["feasible"].astype(bool)]
    for config, g in solver.groupby("config"):
        gaps = g["gap_discrete"].dropna().astype(float)
        print(f"{config}: {len(g)} feasible of {int((runs['config'] == config).sum())}; median gap "
              f"{100 * np.median(gaps):.4f} %, {int((gaps.abs() <= AT_OPTIMUM).sum())} at the grid optimum, "
              f"{int((gaps < -AT_OPTIMUM).sum())} below an unproven reference")
    write_json("chang2000_summary", rows, vars(args))


if __name__ == "__main__":
    main()
