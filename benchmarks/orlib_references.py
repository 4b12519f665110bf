"""Proven optima of the OR-Library grid problems that the QUBO benchmarks compare against.

    python benchmarks/orlib_references.py [--sets ...] [--lambdas 0.1 0.5 0.9] [--time-limit 300]

K = 10, weights on a 0.05 grid with minimum 0.05 (the formulation benchmark's points). Each point
is solved by exact-discrete (SCIP) once and cached in benchmarks/references/orlib_k10_step0.05.json
by instance fingerprint with its status and bound, so that every gap is taken to a proven optimum
(or, where SCIP did not prove it in time, to its best solution, flagged). Prints a table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table

import qportfolio as qp

CACHE = Path(__file__).resolve().parent / "references" / "orlib_k10_step0.05.json"


def load_references() -> dict[str, dict]:
    return json.loads(CACHE.read_text()) if CACHE.exists() else {}


def orlib_point(name: str, lam: float, k: int = 10, step: float = 0.05) -> qp.PortfolioProblem:
    return qp.load_orlib(name, cardinality=k, risk_aversion=lam, weight_step=step, min_weight=step)


def reference(problem: qp.PortfolioProblem, time_limit: float, cache: dict[str, dict]) -> dict:
    """The cached exact-discrete answer for ``problem``, solving (and caching) it when missing or unproven."""
    row = cache.get(problem.fingerprint)
    if row is None or (row["status"] != "optimal" and row["time_limit"] < time_limit):
        r = qp.solve(problem, "exact-discrete", time_limit=time_limit)
        row = {"problem": problem.name, "objective": r.objective, "status": str(r.status), "bound": r.bound,
               "gap": r.gap, "seconds": r.wall_time, "time_limit": time_limit,
               "units": [int(u) for u in (r.weights / problem.weight_step).round()]}
        cache[problem.fingerprint] = row
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps(cache, indent=1, sort_keys=True))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=["port1", "port2", "port3", "port4", "port5"])
    parser.add_argument("--lambdas", nargs="+", type=float, default=[0.1, 0.5, 0.9])
    parser.add_argument("--time-limit", type=float, default=300.0)
    args = parser.parse_args()
    cache = load_references()
    rows = []
    for name in args.sets:
        for lam in args.lambdas:
            problem = orlib_point(name, lam)
            row = reference(problem, args.time_limit, cache)
            rows.append({"set": name, "lambda": lam, **row})
            print(f"{name} lambda={lam}: {row['objective']:.10g} {row['status']} ({row['seconds']:.1f} s)", flush=True)
    print_table(rows, [("set", "set", ""), ("lambda", "λ", "g"), ("objective", "optimum", ".10g"), ("status", "status", ""),
                       ("gap", "gap", ".1e"), ("seconds", "s", ".1f")])


if __name__ == "__main__":
    main()
