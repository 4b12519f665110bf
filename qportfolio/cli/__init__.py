"""The ``qportfolio`` command: parses arguments, calls the library, prints.

    qportfolio solve SPEC.json | --orlib port1 | --synthetic N [--k --lambda --step ...] [--solver] [--json]
    qportfolio encode ... [--out bqm.json]
    qportfolio demo [--orlib port1]
    qportfolio solvers
    qportfolio bench run SUITE --db FILE [--workers N | --scheduler ADDRESS] [--dry-run]
    qportfolio bench report FILE --out DIR
    qportfolio classic STRATEGY [SPEC | --orlib | --prices CSV] ...   (and frontier, backtest, lp:
    see qportfolio/cli/classic.py)

Bad input ends with one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import QPortfolioError, ValidationError, one_line
from .args import (
    IntermixedParser,
    add_problem_args,
    demo_spec_path,
    has_problem_source,
    parse_key_values,
    parse_value,
    problem_from_args,
)
from .classic import BUILDERS as CLASSIC_BUILDERS
from .classic import COMMAND_DESCRIPTION as CLASSIC_DESCRIPTION
from .classic import COMMAND_HELP as CLASSIC_HELP

if TYPE_CHECKING:  # the library loads when a command runs, so that --help and --version answer at once
    from ..problem import PortfolioProblem
    from ..result import Result
    from ..solvers.options import Option


def _flag_options() -> dict[str, tuple[Option, list[str]]]:
    """The solver options declared as command-line flags, and the solvers that take each."""
    from .. import solvers as solver_registry
    from ..solvers.options import flag_options

    return flag_options({name: solver_registry.get(name).options for name in solver_registry.available()})


def add_solver_flags(p: argparse.ArgumentParser) -> None:
    """One flag per solver option declared with ``flag=True`` (``--num-reads`` for ``num_reads``);
    the value is checked by the chosen solver, like ``-o num_reads=...``."""
    from ..solvers.options import BOOLEAN

    group = p.add_argument_group("solver options (checked by the chosen solver; -o KEY=VALUE for any other)")
    for name, (option, solvers) in sorted(_flag_options().items()):
        flag = "--" + name.replace("_", "-")
        takers = ", ".join(solvers) if len(solvers) <= 6 else f"{', '.join(solvers[:6])}, ..."
        help_ = f"{option.help} [{option.type_label}] ({takers})"
        if option.check is BOOLEAN:
            group.add_argument(flag, dest=name, action="store_true", default=None, help=help_)
        else:
            kind = str if option.check is not None and option.check.textual else parse_value
            group.add_argument(flag, dest=name, type=kind, metavar=name.upper(), help=help_)


def _solver_options(args: argparse.Namespace) -> dict[str, Any]:
    opts = parse_key_values(args.option)
    for name in _flag_options():
        value = getattr(args, name, None)
        if value is not None:
            opts[name] = value
    if args.seed is not None:
        opts["seed"] = args.seed
    return opts


#: Exit code of ``solve`` when the solver found no feasible portfolio (status infeasible or no_solution);
#: 2 is bad input, 1 a failed benchmark job.
NO_PORTFOLIO_EXIT = 3


def _print_json(payload: Any) -> None:
    print(json.dumps(payload, indent=2, sort_keys=False))


def cmd_solve(args: argparse.Namespace) -> int:
    from .. import solvers as solver_registry
    from ..utils import progress

    problem = problem_from_args(args)
    options = _solver_options(args)
    if args.replay:
        name, options = _replay(args, problem, options)
    else:
        name = args.solver or solver_registry.DEFAULT_SOLVER
    solver = solver_registry.get(name)
    with progress.reporting(progress.terminal_reporter(quiet=args.json or args.quiet)):
        result = solver.solve(problem, **options)
    if args.json:
        _print_json(result.to_dict())
    else:
        print(result)
        for line in solver.report_lines(result):
            print(line)
    return 0 if result.has_portfolio else NO_PORTFOLIO_EXIT


def _replay(args: argparse.Namespace, problem: PortfolioProblem, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
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
        _print_json(summary)
    else:
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


def demo_problem(args: argparse.Namespace) -> PortfolioProblem:
    from ..data import load_orlib, load_spec

    if args.orlib:
        return load_orlib(args.orlib, data_dir=args.data_dir, cardinality=args.k or 10, weight_step=0.05, min_weight=0.05)
    for flag, value in (("--k", args.k), ("--data-dir", args.data_dir)):
        if value is not None:
            raise ValidationError(f"{flag} sets up --orlib NAME; the built-in example has its own K (qportfolio solve "
                                  "takes a problem of your own)")
    return load_spec(demo_spec_path())


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


def cmd_solvers(args: argparse.Namespace) -> int:
    from .. import solvers as solver_registry

    for name in solver_registry.available():
        solver = solver_registry.get(name)
        print(f"{name:<18}{solver.description}")
        if args.verbose:
            for opt, option in sorted(solver.options.items()):
                print(f"    {opt:<26}{option.describe()}")
    return 0


def cmd_bench_run(args: argparse.Namespace) -> int:
    from ..bench import load_suite, run_suite

    suite = load_suite(args.suite)
    jobs = suite.jobs(args.data_dir)
    if args.dry_run:
        for flag, given in (("--job-timeout", args.job_timeout is not None), ("--verbose", args.verbose)):
            if given:
                raise ValidationError(f"{flag} shapes a run; --dry-run only counts and estimates (drop one of them)")
        if args.scheduler is not None and args.workers is not None:
            raise ValidationError("give one of --workers and --scheduler")
        print(_dry_run_text(suite, jobs, args.db, None if args.scheduler is not None else args.workers or 1, args.limit))
        return 0
    if not args.db:
        raise ValidationError("bench run needs --db FILE (the SQLite results database)")
    progress = "lines" if args.verbose else "auto"
    summary = run_suite(suite, args.db, workers=args.workers or 1, scheduler=args.scheduler, data_dir=args.data_dir,
                        progress=progress, limit=args.limit, job_timeout=args.job_timeout)
    extended = f" ({summary.extended} unproven references rerun at the extended time limit)" if summary.extended else ""
    print(f"suite {suite.name}: {summary.done} jobs run{extended}, {summary.skipped} already in {args.db}, "
          f"{summary.failed} failed, {summary.seconds:.1f} s")
    for label, error in summary.failures[:10]:
        print(f"  failed: {label}: {error}")
    return 1 if summary.failed else 0


def _dry_run_text(suite: Any, jobs: list[Any], db: str | None, workers: int | None, limit: int | None = None) -> str:
    """Job counts per configuration, what is already done in ``db``, and a time estimate."""
    from collections import Counter

    from ..bench import ResultStore
    from ..bench.estimate import estimate_jobs

    history: list[dict[str, Any]] = []
    done: set[str] = set()
    if db and Path(db).exists():
        with ResultStore(db) as store:
            history, done = store.rows(), store.done_keys()
    pending = [j for j in jobs if j.key not in done]
    if limit is not None:
        pending = pending[:limit]
    instances = len({j.problem.fingerprint for j in jobs})
    est = estimate_jobs(pending, history)
    lines = [f"suite {suite.name}: {len(jobs)} jobs ({instances} instance x parameter points), "
             f"{len(pending)} pending" + (f" in this run (--limit {limit})" if limit is not None else "")
             + (f", {len(done & {j.key for j in jobs})} already in {db}" if done else "")]
    total, todo = Counter(j.config.name for j in jobs), Counter(j.config.name for j in pending)
    for name, count in total.items():
        lines.append(f"  {name:<28}{todo[name]:>6} pending of {count:<6} ~{est.per_config.get(name, 0.0) / 60:8.1f} min")
    extended_limit = suite.references.get("extended_time_limit")
    if extended_limit:
        statuses = {row["key"]: row["status"] for row in history}
        rerun = [j for j in suite.extended_jobs(jobs, statuses) if j.key not in done]
        lines.append(f"  references left unproven at their limit are run again at {suite.extended_label()}: "
                     f"{len(rerun)} so far, up to {extended_limit / 60:.0f} min each (not in the estimate)")
    lines.append(est.describe(workers or 1) if workers is not None else
                 est.describe(1) + "\n(on a Dask cluster, divide by the number of worker threads)")
    return "\n".join(lines)


def cmd_bench_report(args: argparse.Namespace) -> int:
    from ..bench import write_report

    report = write_report(args.db, args.out, data_dir=args.data_dir)
    print(report["terminal"])
    print(f"\nwrote {len(report['files'])} files to {args.out} (every column in summary.md, summary.csv): "
          f"{', '.join(report['files'])}")
    return 0


def _build_solve(p: argparse.ArgumentParser) -> None:
    from .. import solvers as solver_registry

    add_problem_args(p)
    p.add_argument("--solver", help=f"solver name (see `qportfolio solvers`; default {solver_registry.DEFAULT_SOLVER}, the "
                                    "recommended QUBO configuration)")
    p.add_argument("--seed", type=int, help="random seed of the solver (--instance-seed seeds a synthetic instance)")
    p.add_argument("--replay", metavar="RESULT.json",
                   help="redo the work of a saved --json result (same problem flags): its solver, options, seed and "
                        "count of sampler calls, so the answer is the same on any machine")
    add_solver_flags(p)
    p.add_argument("--option", "-o", action="append", metavar="KEY=VALUE", help="any solver option (repeatable)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="no progress lines (shown on stderr only when stdout and stderr are terminals)")
    p.set_defaults(func=cmd_solve)


def _build_encode(p: argparse.ArgumentParser) -> None:
    add_problem_args(p)
    p.add_argument("--penalty-scale", type=float, help="multiply the calibrated penalties")
    p.add_argument("--encoding", help="weight encoding: binary, unary, domain-wall, bounded-coefficient:<cap> "
                                      "(default: the default solver's, domain-wall)")
    p.add_argument("--out", help="write the BQM: *.json as dimod's serialisable JSON, anything else as dimod's binary file")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_encode)


def _build_demo(p: argparse.ArgumentParser) -> None:
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


def _build_bench(p: argparse.ArgumentParser) -> None:
    bench_sub = p.add_subparsers(dest="bench_command", required=True)
    p_run = bench_sub.add_parser("run", help="run a suite's jobs not yet in the database")
    from ..bench.suite import BUILTIN

    p_run.add_argument("suite", help=f"built-in suite ({', '.join(BUILTIN)}) or a TOML file")
    p_run.add_argument("--db", help="SQLite results database (created if missing)")
    p_run.add_argument("--workers", type=int, help="local worker processes (default 1)")
    p_run.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler address (tcp://host:8786): run jobs on that cluster")
    p_run.add_argument("--dry-run", action="store_true",
                       help="print the job counts (pending and done in --db) and a time estimate, and exit")
    p_run.add_argument("--limit", type=int, help="run at most this many pending jobs")
    p_run.add_argument("--job-timeout", type=float, metavar="SECONDS",
                       help="stop a job after this many seconds and record it as failed (default: twice the job's own "
                            "time limit + 60 s; no watchdog for jobs without a limit)")
    p_run.add_argument("--data-dir", help="folder of the OR-Library files")
    p_run.add_argument("--verbose", "-v", action="store_true", help="one line per finished job instead of a progress bar")
    p_run.set_defaults(func=cmd_bench_run)
    p_rep = bench_sub.add_parser("report", help="tables (Markdown, HTML, CSV, Parquet) and plots from a database")
    p_rep.add_argument("db", help="SQLite results database")
    p_rep.add_argument("--out", required=True, help="output folder")
    p_rep.add_argument("--data-dir", help="folder of the OR-Library files (for the unconstrained frontiers)")
    p_rep.set_defaults(func=cmd_bench_report)


def cmd_fit(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from .. import solvers as solver_registry
    from ..formulations.qubo import encode

    qpu = solver_registry.get("dwave-qpu")
    if args.subproblem_size is not None:
        if has_problem_source(args) or args.encoding:
            raise ValidationError("--subproblem-size checks a dense subproblem of that size: give no problem and no "
                                  "--encoding with it")
        qubo = None
    else:
        qubo = encode(problem_from_args(args), encoding=args.encoding or "domain-wall")
    fit = qpu.fit(qubo=qubo, size=args.subproblem_size, **parse_key_values(args.option))
    what = f"a {args.subproblem_size}-variable decompose subproblem" if qubo is None else (
        f"{qubo.problem.name}: {qubo.num_variables} variables ({qubo.layout.encoding.name}), "
        f"{qubo.num_interactions} interactions")
    if args.json:
        _print_json({"checked": what, "fingerprint": None if qubo is None else qubo.problem.fingerprint, **asdict(fit)})
    else:
        print(f"checking    {what}; no QPU time is spent")
        print("\n".join(fit.lines()))
    return 0 if fit.embeds else 4


def _build_fit(p: argparse.ArgumentParser) -> None:
    add_problem_args(p)
    p.add_argument("--encoding", help="weight encoding of the QUBO to check (default domain-wall)")
    p.add_argument("--subproblem-size", type=int, metavar="N", help="check a dense N-variable subproblem (decompose) "
                                                                     "instead of a whole QUBO")
    p.add_argument("--option", "-o", action="append", metavar="KEY=VALUE",
                   help="dwave-qpu options that shape the fit: mock, sampler, qpu, profile, config_file, num_reads, "
                        "annealing_time, anneal_schedule, reverse_anneal, reverse_hold_us, embedding, embedding_timeout, "
                        "embedding_cache, seed (e.g. -o mock=pegasus)")
    p.add_argument("--json", action="store_true", help="print the fit as JSON")
    p.set_defaults(func=cmd_fit)


def _build_serve(p: argparse.ArgumentParser) -> None:
    from ..serve.cli import build_serve

    build_serve(p)


def _build_solvers(p: argparse.ArgumentParser) -> None:
    p.add_argument("--verbose", "-v", action="store_true", help="also list each solver's options")
    p.set_defaults(func=cmd_solvers)


#: Every command: its one-line help and the function that adds its arguments. The parser of a run
#: builds only the command it runs (the others are listed), so that start-up imports no more than it uses.
COMMANDS: dict[str, tuple[str, Any]] = {
    "solve": ("solve one problem with one solver", _build_solve),
    "encode": ("encode a problem as a QUBO and report its size and penalties", _build_encode),
    "demo": ("the default solver and SA vs SCIP's proven optimum on a built-in example", _build_demo),
    "bench": ("benchmark suites: run (resumable) and report", _build_bench),
    **{name: (help_, CLASSIC_BUILDERS[name]) for name, help_ in CLASSIC_HELP.items()},
    "fit": ("will a QUBO or a decompose subproblem fit a D-Wave QPU? embedding, chains, QPU time estimate", _build_fit),
    "solvers": ("list the registered solvers", _build_solvers),
    "serve": ("the solve API as a local HTTP service (FastAPI): allocation models, portfolios, jobs", _build_serve),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``qportfolio`` parser with every command's arguments, or with only ``command``'s (``""``:
    none, enough for the top-level ``--help`` and ``--version``)."""
    parser = IntermixedParser(prog="qportfolio",
                              description="Cardinality-constrained portfolio selection on quantum and classical solvers.",
                              epilog="Exit codes: 0 done; 1 a benchmark job failed (or lp found no solution); 2 bad input "
                                     "(one line on stderr); 3 solve found no feasible portfolio; 4 fit: it does not "
                                     "embed.")
    parser.add_argument("--version", action="version", version=f"qportfolio {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_, build) in COMMANDS.items():
        p = sub.add_parser(name, help=help_, description=CLASSIC_DESCRIPTION.get(name, help_[:1].upper() + help_[1:] + "."))
        if command is None or command == name:
            build(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .classic import strategy_first

    argv = strategy_first(list(sys.argv[1:] if argv is None else argv))
    command = next((a for a in argv if not a.startswith("-")), "")
    parser = build_parser(command if command in COMMANDS else "")
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except QPortfolioError as exc:
        from ..utils.redaction import mask

        print(f"qportfolio: error: {one_line(mask(str(exc)))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qportfolio: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _closed_pipe()


def _closed_pipe() -> int:
    """The reader of stdout went away (``qportfolio ... | head``): stop quietly, as Unix tools do.

    stdout is pointed at /dev/null so that the interpreter's final flush does not raise again
    (the recipe of Python's signal module documentation); 141 = 128 + SIGPIPE, what a shell reports
    for a tool killed by the closed pipe.
    """
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141

