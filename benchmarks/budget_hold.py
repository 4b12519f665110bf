"""Does ``time_budget`` bound the whole solve? The default ``qubo`` with its stopping rule off, at
several budgets, on the largest QUBOs the project meets: port5 at Chang's 0.01 grid (20 475
variables) and a synthetic universe of 2 000 assets (22 000 variables, 1 s of encoding).

    python benchmarks/budget_hold.py [--budgets 1 2 5 10] [--seed 1]

Per run: the solve's wall time (``Result.wall_time``: encoding, calibration, sampling, decoding),
its ratio to the budget (target: at most 1.10), the phases from ``info["phases"]``, the sampler
calls made. Timings only; the gap of these runs is in the scale and chang2000 reports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json

import qportfolio as qp
from qportfolio.errors import ValidationError


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budgets", nargs="+", type=float, default=[1.0, 2.0, 5.0, 10.0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    problems = {
        "port5, grid 0.01": qp.load_orlib("port5", cardinality=10, risk_aversion=0.5, weight_step=0.01, min_weight=0.01),
        "synthetic 2000, grid 0.05": qp.synthetic_problem(2000, seed=1, cardinality=10, weight_step=0.05, min_weight=0.05),
    }
    qp.solve(problems["port5, grid 0.01"], "qubo", batches=1, time_budget=None, patience=None)  # load the compiled kernel
    rows = []
    for label, problem in problems.items():
        for budget in args.budgets:
            try:
                r = qp.solve(problem, "qubo", seed=args.seed, time_budget=budget, patience=None)
            except ValidationError as exc:  # the budget does not cover the encoding: refused, as it should be
                rows.append({"problem": label, "budget": budget, "stopped_by": f"refused: {str(exc)[:60]}..."})
                continue
            ph = r.info["phases"]
            rows.append({"problem": label, "budget": budget, "wall": r.wall_time, "ratio": r.wall_time / budget,
                         "encode": ph["calibrate"] + ph["encode"], "sample": ph["sample"], "decode": ph["decode"],
                         "calls": r.info["batches"], "stopped_by": r.info["stopped_by"], "objective": r.objective})
            print(rows[-1], file=sys.stderr)
    print_table(rows, [("problem", "problem", ""), ("budget", "budget s", "g"), ("wall", "wall s", ".2f"),
                       ("ratio", "wall / budget", ".3f"), ("encode", "encode + calibrate s", ".2f"),
                       ("sample", "sample s", ".2f"), ("decode", "decode s", ".3f"), ("calls", "calls", "d"),
                       ("stopped_by", "stopped by", "")])
    write_json("budget_hold", rows, vars(args))


if __name__ == "__main__":
    main()
