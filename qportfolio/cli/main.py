"""The ``qportfolio`` parser and entry point: one subcommand per command module, errors as one line.

Bad input ends with one line on stderr and exit code 2. The parser of a run builds only the command
it runs (the others are listed), and ``solve`` only the chosen solver's flags (:mod:`.flags`), so
that start-up imports no more than the run uses.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from .. import __version__
from ..errors import QPortfolioError, one_line
from .args import IntermixedParser
from .bench import build_bench
from .classic import BUILDERS as CLASSIC_BUILDERS
from .classic import COMMAND_DESCRIPTION as CLASSIC_DESCRIPTION
from .classic import COMMAND_HELP as CLASSIC_HELP
from .demo import build_demo
from .fit import build_fit
from .flags import chosen_solver, long_flags
from .solve import build_encode, build_solve
from .solvers import build_solvers


def _build_serve(p: argparse.ArgumentParser) -> None:
    from ..serve.cli import build_serve

    build_serve(p)


#: Every command: its one-line help and the function that adds its arguments.
COMMANDS: dict[str, tuple[str, Any]] = {
    "solve": ("solve one problem with one solver", build_solve),
    "encode": ("encode a problem as a QUBO and report its size and penalties", build_encode),
    "demo": ("the default solver and SA vs SCIP's proven optimum on a built-in example", build_demo),
    "bench": ("benchmark suites: run (resumable) and report", build_bench),
    **{name: (help_, CLASSIC_BUILDERS[name]) for name, help_ in CLASSIC_HELP.items()},
    "fit": ("will a QUBO or a decompose subproblem fit a D-Wave QPU? embedding, chains, QPU time estimate", build_fit),
    "solvers": ("list the registered solvers", build_solvers),
    "serve": ("the solve API as a local HTTP service (FastAPI): allocation models, portfolios, jobs", _build_serve),
}


def build_parser(command: str | None = None, *, solver: str | None = None) -> argparse.ArgumentParser:
    """The ``qportfolio`` parser with every command's arguments, or with only ``command``'s (``""``:
    none, enough for the top-level ``--help`` and ``--version``); ``solve`` declares the flags of
    every solver, or of ``solver`` alone."""
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
            build(p, solver) if name == "solve" else build(p)
    return parser


def _option_strings(parser: argparse.ArgumentParser, command: str) -> set[str]:
    """Every option string ``command``'s subparser knows."""
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(subparsers.choices[command]._option_string_actions)


def parser_for(argv: Sequence[str], command: str) -> argparse.ArgumentParser:
    """The parser of this run: ``command``'s alone; for ``solve``, with only the chosen solver's flags
    when every ``--flag`` of ``argv`` is one of them or of solve's own, else with every solver's (help
    that lists them all; an unknown flag refused with the list; another solver's flag refused by name)."""
    if command != "solve":
        return build_parser(command if command in COMMANDS else "")
    solver = chosen_solver(argv[argv.index(command) + 1:])
    if solver is not None:
        parser = build_parser(command, solver=solver)
        if long_flags(argv) <= _option_strings(parser, command):
            return parser
    return build_parser(command)


def main(argv: Sequence[str] | None = None) -> int:
    from .classic import strategy_first

    argv = strategy_first(list(sys.argv[1:] if argv is None else argv))
    command = next((a for a in argv if not a.startswith("-")), "")
    args = parser_for(argv, command).parse_args(argv)
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
        return closed_pipe()


def closed_pipe() -> int:
    """The reader of stdout went away (``qportfolio ... | head``): stop quietly, as Unix tools do.

    stdout is pointed at /dev/null so that the interpreter's final flush does not raise again
    (the recipe of Python's signal module documentation); 141 = 128 + SIGPIPE, what a shell reports
    for a tool killed by the closed pipe.
    """
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141
