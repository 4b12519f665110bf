"""``qportfolio solve`` (one problem, one solver; ``--replay`` of a saved result) and ``qportfolio encode``
(the QUBO a problem becomes): parse, call the library, print."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from .args import add_problem_args, print_json, problem_from_args
from .flags import add_solver_flags, refuse_untaken, solver_options

if TYPE_CHECKING:
    from ..problem import PortfolioProblem

#: Exit code of ``solve`` when the solver found no feasible portfolio (status infeasible or no_solution);
#: 2 is bad input, 1 a failed benchmark job.
NO_PORTFOLIO_EXIT = 3


def cmd_solve(args: argparse.Namespace) -> int:
    from .. import solvers as solver_registry
    from ..utils import progress

    problem = problem_from_args(args)
    options = solver_options(args)
    if args.replay:
        name, options = replay(args, problem, options)
    else:
        name = args.solver or solver_registry.DEFAULT_SOLVER
    solver = solver_registry.get(name)
    refuse_untaken(args, name, solver.options)
    with progress.reporting(progress.terminal_reporter(quiet=args.json or args.quiet)):
        result = solver.solve(problem, **options)
    if args.json:
        print_json(result.to_dict())
    else:
        print(result)
        for line in result.report_lines():  # the result's typed diagnostics, rendered generically
            print(line)
    return 0 if result.has_portfolio else NO_PORTFOLIO_EXIT


def replay(args: argparse.Namespace, problem: PortfolioProblem, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(solver, options) of ``solve --replay FILE``; the file's problem must be the one given."""
    from .. import solvers as solver_registry
    from ..errors import DataError, ValidationError

    if options:
        given = ", ".join("--seed" if k == "seed" else f"--{k.replace('_', '-')} / -o {k}" for k in sorted(options))
        raise ValidationError(f"--replay takes the solver options and seed from {args.replay}; drop {given}")
    try:
        with open(args.replay) as fh:
            record = json.load(fh)
    except (OSError, ValueError) as exc:
        raise DataError(f"--replay {args.replay}: not a readable JSON result ({exc}); write one with solve --json") from None
    if not isinstance(record, dict) or "solver" not in record or "problem" not in record:
        raise DataError(f"--replay {args.replay}: not a result written by `qportfolio solve --json`")
    recorded = (record.get("problem") or {}).get("fingerprint")
    if recorded != problem.fingerprint:
        raise ValidationError(f"--replay {args.replay} solved problem {recorded}, these flags give {problem.fingerprint} "
                              f"({problem.name}); give the problem flags the result was made with")
    if args.solver and args.solver != record["solver"]:
        raise ValidationError(f"--replay {args.replay} was solved by {record['solver']}; drop --solver {args.solver}")
    return record["solver"], solver_registry.get(record["solver"]).replay_options(record)


def cmd_encode(args: argparse.Namespace) -> int:
    from .. import solvers as solver_registry
    from ..formulations.qubo import encode, save

    problem = problem_from_args(args)
    default = solver_registry.get(solver_registry.DEFAULT_SOLVER).options["encoding"].default
    encoding = args.encoding or default
    options = {"encoding": encoding, "penalty_scale": args.penalty_scale or 1.0}
    qubo = encode(problem, **options)
    ranges = qubo.coefficient_ranges(scan_all=True)  # the whole QUBO is this command's subject: scan any size
    summary = {"problem": problem.name, "fingerprint": problem.fingerprint, "n": problem.n, **qubo.summary()}
    if args.out:
        save(qubo, args.out, **options)
        summary["written"] = args.out
    if args.json:
        print_json(summary)
        return 0
    print(f"problem        {problem!r}")
    chosen = "" if args.encoding else f" (the default solver {solver_registry.DEFAULT_SOLVER}'s; --encoding to choose)"
    print(f"variables      {qubo.num_variables}   interactions {qubo.num_interactions}   "
          f"encoding {qubo.layout.encoding.name}{chosen}")
    print(f"coefficients   max/min |bias|: linear {ranges['linear']:.4g}   quadratic {ranges['quadratic']:.4g}   "
          f"all {ranges['all']:.4g}")
    pen = qubo.penalties
    print(f"penalties      cardinality {pen.cardinality:.4g}   budget {pen.budget:.4g}   linking {pen.linking:.4g}")
    if qubo.calibration:
        cal = qubo.calibration
        print(f"calibration    feasible upper bound {cal.upper_bound:.6g}   certified lower bound {cal.lower_bound:.6g}")
    print(f"offset         {qubo.offset:.6g}   encode time {qubo.encode_seconds:.3f} s")
    if args.out:
        kind = "JSON serialisable form" if args.out.endswith(".json") else "dimod binary file, BQM.from_file"
        print(f"written        {args.out} (dimod BQM, {kind}; with the problem, encoding and layout: "
              "qp.decode_file(path, samples) decodes it alone)")
    return 0


def build_solve(p: argparse.ArgumentParser, solver: str | None = None) -> None:
    """solve's arguments, with the solver flags of every solver (``solver`` None) or of ``solver`` alone."""
    from ..solvers.registry import DEFAULT_SOLVER

    add_problem_args(p)
    p.add_argument("--solver", help=f"solver name (see `qportfolio solvers`; default {DEFAULT_SOLVER}, the "
                                    "recommended QUBO configuration)")
    p.add_argument("--seed", type=int, help="random seed of the solver (--instance-seed seeds a synthetic instance)")
    p.add_argument("--replay", metavar="RESULT.json",
                   help="redo the work of a saved --json result (same problem flags): its solver, options, seed and "
                        "count of sampler calls, so the answer is the same on any machine")
    add_solver_flags(p, solver)
    p.add_argument("--option", "-o", action="append", metavar="KEY=VALUE", help="any solver option (repeatable)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="no progress lines (shown on stderr only when stdout and stderr are terminals)")
    p.set_defaults(func=cmd_solve)


def build_encode(p: argparse.ArgumentParser) -> None:
    add_problem_args(p)
    p.add_argument("--penalty-scale", type=float, help="multiply the calibrated penalties")
    p.add_argument("--encoding", help="weight encoding: binary, unary, domain-wall, bounded-coefficient:<cap> "
                                      "(default: the default solver's, domain-wall)")
    p.add_argument("--out", help="write the BQM: *.json as dimod's serialisable JSON, anything else as dimod's binary file")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_encode)
