"""Time to proof of SCIP's exact references, model against model, on the OR-Library points.

    python benchmarks/exact_speed.py [--sets port1 ...] [--lambdas 0.1 0.3 0.5 0.7 0.9]
                                     [--kinds discrete continuous] [--models new old plain bound]
                                     [--time-limit 60] [--weight-step 0.05] [--min-weight 0.05]

The points are the built-in ``orlib`` suite's by default: K = 10, weights on a 0.05 grid with
minimum 0.05 (discrete) or in [0.05, 1] (continuous); ``--weight-step 0.01 --min-weight 0.01``
gives the ``chang2000`` suite's points. For each point every model solves the same problem in
the same process, one after the other, so a row's times share the machine's load:

* ``new``: the default model (``model="extended", split="auto"``: the max-trace split on the OR-Library);
* ``old``: ``model="compact", split="correlation"`` (the default before it);
* ``plain``: ``model="compact", split="none"``, the textbook big-M MIQP (eta >= x'Sigma x) that a
  user would write for SCIP without perspective terms;
* ``bound``: ``model="extended", split="bound"``, the bound-optimal diagonal of each point (an SDP
  in SCS, a few seconds at n = 98, counted in the time): what ``chang2000`` uses for its hard points;
* ``gurobi``: ``engine="gurobi"``, the textbook MIQP in Gurobi (added to the default models when
  gurobipy is installed; pip's size-limited license refuses port5: "over license").

Phases (``--phases``, for the first model): where SCIP's time goes on each point: the heuristic
warm start, the model build (the diagonal split's SDP included), presolve, the rest of the solve,
the nodes and LP iterations, and how much of the gap the root closes (root bound against the
optimum, relative to the optimum's size).

A time is the solver's wall time (heuristic warm start, model build and SCIP) when SCIP proves
optimality, else "> limit" with the gap left. The speed-up column is old / new (time-limited
runs count as the limit, so the ratio is a lower bound). Prints a Markdown table and writes JSON to
benchmarks/out/exact_speed.json.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json

import qportfolio as qp

MODELS = {
    "new": {"model": "extended", "split": "auto"},
    "old": {"model": "compact", "split": "correlation"},
    "plain": {"model": "compact", "split": "none"},
    "bound": {"model": "extended", "split": "bound"},
    "gurobi": {"engine": "gurobi"},
}
SOLVERS = {"discrete": "exact-discrete", "continuous": "exact-continuous"}


def have_gurobipy() -> bool:
    try:
        import gurobipy  # noqa: F401
    except ImportError:
        return False
    return True


def cell(result: qp.Result, limit: float) -> str:
    if result.status == "optimal":
        return f"{result.wall_time:.1f}"
    gap = "—" if result.gap is None else f"{100 * result.gap:.2f} %"
    return f"> {limit:g} (gap {gap})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=["port1", "port2", "port3", "port4", "port5"])
    parser.add_argument("--lambdas", nargs="+", type=float, default=[0.1, 0.3, 0.5, 0.7, 0.9])
    parser.add_argument("--kinds", nargs="+", choices=sorted(SOLVERS), default=["discrete", "continuous"])
    parser.add_argument("--models", nargs="+", choices=list(MODELS),
                        default=["new", "old", "plain"] + (["gurobi"] if have_gurobipy() else []))
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--weight-step", type=float, default=0.05)
    parser.add_argument("--min-weight", type=float, default=0.05)
    parser.add_argument("--out", default="exact_speed", help="name of the JSON file in benchmarks/out/")
    parser.add_argument("--phases", action="store_true", help="also print the first model's phases per point")
    args = parser.parse_args()
    rows = []
    for name in args.sets:
        for lam in args.lambdas:
            problem = qp.load_orlib(name, risk_aversion=lam, weight_step=args.weight_step, min_weight=args.min_weight)
            for kind in args.kinds:
                row: dict = {"set": name, "n": problem.n, "lambda": lam, "kind": kind, "fingerprint": problem.fingerprint}
                for label in args.models:
                    try:
                        r = qp.solve(problem, SOLVERS[kind], time_limit=args.time_limit, **MODELS[label])
                    except qp.SolverError as exc:  # e.g. a model over Gurobi's pip license
                        row.update({f"{label}_s": None, f"{label}_status": "refused", f"{label}_gap": None,
                                    f"{label}_nodes": None, f"{label}_objective": None,
                                    f"{label}_cell": "over license" if "license" in str(exc) else "refused"})
                        continue
                    row[f"{label}_s"] = r.wall_time
                    row[f"{label}_status"] = str(r.status)
                    row[f"{label}_gap"] = r.gap
                    row[f"{label}_nodes"] = r.info.get("nodes")
                    row[f"{label}_objective"] = r.objective if r.feasible else None
                    row[f"{label}_cell"] = cell(r, args.time_limit)
                    if label == args.models[0]:
                        info = r.info
                        row.update({f"phase_{k}": info.get(f"{k}_seconds") for k in ("heuristic", "build", "presolve")})
                        solving = info.get("solving_seconds")
                        row["phase_solve"] = None if solving is None else solving - (info.get("presolve_seconds") or 0.0)
                        row["lp_iterations"] = info.get("lp_iterations")
                        root = info.get("root_bound")
                        row["root_gap"] = (None if root is None or not r.feasible else
                                           (r.objective - root) / max(abs(r.objective), 1e-300))
                if "new" in args.models and "old" in args.models:
                    row["speedup"] = row["old_s"] / row["new_s"]
                rows.append(row)
                print(f"{name} λ={lam:g} {kind}: " + ", ".join(f"{m} {row[m + '_cell']}" for m in args.models), flush=True)
    print()
    columns = [("set", "set", ""), ("n", "n", "d"), ("lambda", "λ", "g"), ("kind", "weights", "")]
    columns += [(f"{m}_cell", f"{m} s", "") for m in args.models]
    columns += [(f"{m}_nodes", f"{m} nodes", "d") for m in args.models]
    if "speedup" in rows[0]:
        columns.append(("speedup", "old/new", ".1f"))
    if "gurobi" in args.models and "new" in args.models:
        for r in rows:
            r["vs_gurobi"] = r["new_s"] / r["gurobi_s"] if r.get("gurobi_s") and r["gurobi_status"] == "optimal" else None
        columns.append(("vs_gurobi", "new/gurobi", ".1f"))
    print_table(rows, columns)
    if args.phases:
        print(f"\nPhases of {args.models[0]} (seconds; root gap: (f - root bound) / |f|):\n")
        print_table(rows, [("set", "set", ""), ("lambda", "λ", "g"), ("kind", "weights", ""),
                           ("phase_heuristic", "warm start", ".2f"), ("phase_build", "build (split)", ".2f"),
                           ("phase_presolve", "presolve", ".2f"), ("phase_solve", "solve", ".2f"),
                           (f"{args.models[0]}_nodes", "nodes", "d"), ("lp_iterations", "LP iterations", "d"),
                           ("root_gap", "root gap", ".2%")])
    for label in args.models:
        proven = sum(r[f"{label}_status"] == "optimal" for r in rows)
        slowest = max((r[f"{label}_s"] for r in rows if r[f"{label}_s"] is not None), default=float("nan"))
        print(f"{label}: {proven}/{len(rows)} proven within {args.time_limit:g} s; slowest {slowest:.1f} s")
    write_json(args.out, rows, vars(args))


if __name__ == "__main__":
    with threadpool_limits(1, user_api="blas"):  # two benchmark processes on two cores must not contend
        main()
