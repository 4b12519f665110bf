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
* ``scip-default``: the default model with SCIP's own parameters (``settings="default"``): what
  the tuned parameters (one cut round per node below the root, heuristics off) gain;
* ``gurobi``: ``engine="gurobi"``, the textbook MIQP in Gurobi (added to the default models when
  gurobipy is installed; pip's size-limited license refuses port5: "over license").

Phases (``--phases``, for the first model): where SCIP's time goes on each point: the heuristic
warm start, the model build (the diagonal split's SDP included), presolve, the rest of the solve,
the nodes and LP iterations, and how much of the gap the root closes (root bound against the
optimum, relative to the optimum's size).

``--chang-hard`` adds the six chang2000 points (continuous weights in [0.01, 1]) that the max-trace
model's 60 s pass left unproven on 2026-11-24, solved by ``--hard-models`` (the bound split and
Gurobi) with ``--hard-time-limit``.
Where Gurobi proves a point, the ratio column is the point's first model's time over Gurobi's, and
the summary line gives the median and worst ratio.

A time is the solver's wall time (heuristic warm start, model build and SCIP) when SCIP proves
optimality, else "> limit" with the gap left. The speed-up column is old / new (time-limited
runs count as the limit, so the ratio is a lower bound); a ratio against Gurobi needs both proofs.
Prints a Markdown table and writes JSON to
benchmarks/out/exact_speed.json.
"""

from __future__ import annotations

import argparse
import statistics
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
    "scip-default": {"settings": "default"},
    "gurobi": {"engine": "gurobi"},
}
#: the chang2000 points (K = 10, weights in [0.01, 1], continuous) that SCIP's max-trace model left
#: unproven at 60 s on 2026-11-24 (the hardest of the suite); ``--chang-hard`` solves them with
#: ``--hard-models`` (default: bound split, Gurobi)
CHANG_HARD = [("port3", 0.96), ("port3", 0.98), ("port4", 0.94), ("port4", 0.96), ("port4", 0.98), ("port4", 1.0)]
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


def solve_point(name: str, lam: float, kind: str, weight_step: float, min_weight: float, models: list[str],
                limit: float, hard: bool) -> dict:
    """One point solved by every model in turn: times, statuses, nodes, and the first model's phases."""
    problem = qp.load_orlib(name, risk_aversion=lam, weight_step=weight_step, min_weight=min_weight)
    row: dict = {"set": name, "n": problem.n, "lambda": lam, "kind": kind, "weight_step": weight_step,
                 "min_weight": min_weight, "hard": hard, "fingerprint": problem.fingerprint, "first": models[0]}
    for label in models:
        try:
            r = qp.solve(problem, SOLVERS[kind], time_limit=limit, **MODELS[label])
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
        row[f"{label}_cell"] = cell(r, limit)
        if label == models[0]:
            info = r.info
            row.update({f"phase_{k}": info.get(f"{k}_seconds") for k in ("heuristic", "build", "presolve")})
            solving = info.get("solving_seconds")
            row["phase_solve"] = None if solving is None else solving - (info.get("presolve_seconds") or 0.0)
            row["lp_iterations"] = info.get("lp_iterations")
            row["first_nodes"] = info.get("nodes")
            root = info.get("root_bound")
            row["root_gap"] = (None if root is None or not r.feasible else
                               (r.objective - root) / max(abs(r.objective), 1e-300))
    if "new" in models and "old" in models:
        row["speedup"] = row["old_s"] / row["new_s"]
    first, gurobi_ok = models[0], row.get("gurobi_status") == "optimal"
    row["vs_gurobi"] = (row[f"{first}_s"] / row["gurobi_s"]
                        if gurobi_ok and row.get(f"{first}_status") == "optimal" and first != "gurobi" else None)
    print(f"{name} λ={lam:g} {kind} step {weight_step:g}: " + ", ".join(f"{m} {row[m + '_cell']}" for m in models),
          flush=True)
    return row


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
    parser.add_argument("--chang-hard", action="store_true",
                        help="also solve the six hard chang2000 points (continuous, weights in [0.01, 1])")
    parser.add_argument("--hard-models", nargs="+", choices=list(MODELS),
                        default=["bound"] + (["gurobi"] if have_gurobipy() else []))
    parser.add_argument("--hard-time-limit", type=float, default=900.0)
    args = parser.parse_args()
    points = [(name, lam, kind, args.weight_step, args.min_weight, args.models, args.time_limit, False)
              for name in args.sets for lam in args.lambdas for kind in args.kinds]
    if args.chang_hard:
        points += [(name, lam, "continuous", 0.01, 0.01, args.hard_models, args.hard_time_limit, True)
                   for name, lam in CHANG_HARD]
    rows = [solve_point(*point) for point in points]
    groups = [([r for r in rows if r["hard"] == hard], models, limit)
              for hard, models, limit in ((False, args.models, args.time_limit),
                                          (True, args.hard_models, args.hard_time_limit)) if any(r["hard"] == hard for r in rows)]
    for group, models, limit in groups:
        print()
        columns = [("set", "set", ""), ("n", "n", "d"), ("lambda", "λ", "g"), ("kind", "weights", "")]
        columns += [(f"{m}_cell", f"{m} s", "") for m in models]
        columns += [(f"{m}_nodes", f"{m} nodes", "d") for m in models]
        if "old" in models and "new" in models:
            columns.append(("speedup", "old/new", ".1f"))
        if "gurobi" in models:
            columns.append(("vs_gurobi", f"{models[0]}/gurobi", ".1f"))
        print_table(group, columns)
        for label in models:
            proven = sum(r[f"{label}_status"] == "optimal" for r in group)
            slowest = max((r[f"{label}_s"] for r in group if r[f"{label}_s"] is not None), default=float("nan"))
            print(f"{label}: {proven}/{len(group)} proven within {limit:g} s; slowest {slowest:.1f} s")
        ratios = sorted(r["vs_gurobi"] for r in group if r.get("vs_gurobi") is not None)
        if ratios:
            print(f"{models[0]} / gurobi over {len(ratios)} points both proved: median {statistics.median(ratios):.1f}x, "
                  f"worst {ratios[-1]:.1f}x, best {ratios[0]:.1f}x; within 3x: {sum(x <= 3 for x in ratios)}")
    if args.phases:
        print("\nPhases of each point's first model (seconds; root gap: (f - root bound) / |f|):\n")
        print_table(rows, [("set", "set", ""), ("lambda", "λ", "g"), ("kind", "weights", ""), ("first", "model", ""),
                           ("phase_heuristic", "warm start", ".2f"), ("phase_build", "build (split)", ".2f"),
                           ("phase_presolve", "presolve", ".2f"), ("phase_solve", "solve", ".2f"),
                           ("first_nodes", "nodes", "d"), ("lp_iterations", "LP iterations", "d"),
                           ("root_gap", "root gap", ".2%")])
    write_json(args.out, rows, vars(args))


if __name__ == "__main__":
    with threadpool_limits(1, user_api="blas"):  # two benchmark processes on two cores must not contend
        main()
