"""``qportfolio demo``: the default solver and simulated annealing against SCIP's proven optimum on a
built-in example, printed side by side."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import ValidationError
from .args import CLI_NAMES, demo_spec_path

if TYPE_CHECKING:
    from ..problem import PortfolioProblem
    from ..result import Result


def demo_problem(args: argparse.Namespace) -> PortfolioProblem:
    """The built-in example, or ``--orlib NAME`` on a 0.05 grid (K = 10 unless ``--k``)."""
    from ..data.reference import ProblemReference, load_problem

    if args.orlib:
        return load_problem(ProblemReference(orlib=args.orlib, data_dir=args.data_dir, cardinality=args.k or 10,
                                             weight_step=0.05, min_weight=0.05), CLI_NAMES)
    for flag, value in (("--k", args.k), ("--data-dir", args.data_dir)):
        if value is not None:
            raise ValidationError(f"{flag} sets up --orlib NAME; the built-in example has its own K (qportfolio solve "
                                  "takes a problem of your own)")
    return load_problem(ProblemReference(spec=demo_spec_path()), CLI_NAMES)


def side_by_side(problem: PortfolioProblem, results: Sequence[Result], reference: Result,
                 labels: Sequence[str] | None = None) -> str:
    """A comparison table of several results on one problem, gaps taken to ``reference`` (rows and
    weight columns named by ``labels``, default the solvers' names)."""
    from ..result import relative_gap

    labels = list(labels) if labels is not None else [r.solver for r in results]
    lines = [f"{problem!r}", ""]
    head = (f"{'solver':<18}{'objective':>14}{'gap':>11}{'return':>11}{'volatility':>12}{'feasible':>10}{'status':>12}"
            f"{'wall s':>9}")
    lines += [head, "-" * len(head)]
    for label, r in zip(labels, results):
        gap = relative_gap(r.objective, reference.objective)
        lines.append(f"{label:<18}{r.objective:>14.8g}{gap:>11.2e}{r.expected_return:>11.5f}{r.volatility:>12.5f}"
                     f"{r.feasible!s:>10}{r.status:>12}{r.wall_time:>9.2f}")
    lines += ["", "weights"]
    assets = sorted({a for r in results for a in r.selected}, key=problem.assets.index)
    lines.append(f"  {'asset':<12}" + "".join(f"{label:>18}" for label in labels))
    for a in assets:
        lines.append(f"  {a:<12}" + "".join(f"{r.weights_by_asset().get(a, 0.0):>18.3f}" for r in results))
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    from .. import solvers as solver_registry

    problem = demo_problem(args)
    seed = 7 if args.seed is None else args.seed
    default_name = solver_registry.DEFAULT_SOLVER
    budget = {"time_budget": args.time_budget} if args.time_budget is not None else {}
    default = solver_registry.solve(problem, default_name, seed=seed, **budget)
    sa = solver_registry.solve(problem, "sa", seed=seed, num_reads=args.num_reads or 200, num_sweeps=args.num_sweeps or 2000)
    exact = solver_registry.solve(problem, "exact-discrete", time_limit=args.time_limit)
    print(f"qportfolio demo: the default solver ({default_name}: {solver_registry.get(default_name).description}) and "
          "simulated annealing (an extra row) on the QUBO, vs SCIP's proven optimum of the same grid problem\n"
          f"grid: {problem.grid_text()}, K = {problem.cardinality}\n")
    print(side_by_side(problem, [default, sa, exact], exact, labels=[f"{default_name} (default)", "sa (extra)", exact.solver]))
    budget_used = default.parameters.get("time_budget")
    from ..solvers.qubo_solver import stop_reason

    stopped = stop_reason(default)
    settings = {default_name: f"seed {default.seed}, at most {budget_used:g} s"
                              + (f", {stopped}" if stopped else ""),
                "sa": f"seed {sa.seed}, {sa.parameters.get('num_sweeps')} sweeps a read"}
    for label, r in ((default_name, default), ("sa", sa)):
        print(f"\n{label}: {r.info['num_samples']} reads, {100 * r.info['feasible_fraction']:.1f} % feasible; "
              f"QUBO {r.info['num_variables']} variables ({r.parameters.get('encoding') or 'binary'} encoding), "
              f"{r.info['num_interactions']} interactions; {settings[label]}; {r.wall_time:.1f} s", end="")
    limit = "no time limit" if args.time_limit is None else f"time limit {args.time_limit:g} s"
    print(f"\nSCIP: bound {exact.bound:.8g} ({exact.status}, {limit})")
    return 0


def build_demo(p: argparse.ArgumentParser) -> None:
    from .. import solvers as solver_registry

    default_budget = solver_registry.get(solver_registry.DEFAULT_SOLVER).options["time_budget"].default
    p.add_argument("--orlib", metavar="NAME", help="use an OR-Library set instead (K=10, step 0.05)")
    p.add_argument("--k", type=int, help="cardinality for --orlib (default 10)")
    p.add_argument("--data-dir", help="--orlib: folder of the OR-Library files (default: the copy shipped with qportfolio)")
    p.add_argument("--seed", type=int, help="random seed of the two QUBO solvers (default 7)")
    p.add_argument("--time-budget", type=float, metavar="SECONDS",
                   help=f"seconds the default solver may take at most (default: its own, {default_budget:g} s)")
    p.add_argument("--num-reads", type=int, help="reads of the sa row (default 200)")
    p.add_argument("--num-sweeps", type=int, help="sweeps per read of the sa row (default 2000)")
    p.add_argument("--time-limit", type=float, metavar="SECONDS", help="SCIP's time limit (default: none)")
    p.set_defaults(func=cmd_demo)
