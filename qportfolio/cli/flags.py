"""The ``solve`` command's solver flags: one ``--flag`` per solver option declared with ``flag=True``.

Declaring every solver's flags imports every backend (about a second), so a run declares only the
chosen solver's (:func:`chosen_solver` reads ``--solver`` first; the registry then imports that
backend alone). ``--help``, and a command line with any flag that parser does not know exactly,
get every solver's flags, each naming the solvers that take it: an unknown flag is refused by
argparse with the whole list, and another solver's flag is parsed and refused naming its takers
(:func:`refuse_untaken`).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import QPortfolioError, ValidationError
from .args import parse_key_values, parse_value

if TYPE_CHECKING:  # the registry loads when solve's parser is built, not with --help or --version
    from ..solvers.options import Option

HELP_FLAGS = ("-h", "--help")


def flag_options(solver: str | None = None) -> dict[str, tuple[Option, list[str]]]:
    """The solver options declared as command-line flags, and the solvers that take each: every
    registered solver's, or ``solver``'s alone (none if it is not a solver: ``solve`` says so)."""
    from .. import solvers as registry
    from ..solvers.options import flag_options as declared_flags

    if solver is None:
        return declared_flags({name: registry.get(name).options for name in registry.available()})
    try:
        return declared_flags({solver: registry.get(solver).options})
    except QPortfolioError:
        return {}


def chosen_solver(argv: Sequence[str]) -> str | None:
    """The solver a ``solve`` command line names (``--solver NAME``, ``--solver=NAME``; the default
    solver without one), or None when the line asks for help: that lists every solver's flags."""
    from ..solvers.registry import DEFAULT_SOLVER

    solver = DEFAULT_SOLVER
    for i, token in enumerate(argv):
        if token == "--":
            break
        if token in HELP_FLAGS or (token.startswith("--h") and "--help".startswith(token)):
            return None
        if token == "--solver" and i + 1 < len(argv):
            solver = argv[i + 1]
        elif token.startswith("--solver="):
            solver = token.partition("=")[2]
    return solver


def long_flags(argv: Sequence[str]) -> set[str]:
    """The ``--flag`` tokens of ``argv`` (without ``=VALUE``), up to a ``--``."""
    out = set()
    for token in argv:
        if token == "--":
            break
        if token.startswith("--"):
            out.add(token.partition("=")[0])
    return out


def add_solver_flags(p: argparse.ArgumentParser, solver: str | None = None) -> None:
    """One flag per solver option declared with ``flag=True`` (``--num-reads`` for ``num_reads``), of
    every solver or of ``solver`` alone; the value is checked by the chosen solver, like ``-o num_reads=...``."""
    from ..solvers.options import BOOLEAN

    declared = flag_options(solver)
    group = p.add_argument_group("solver options (checked by the chosen solver; -o KEY=VALUE for any other)")
    for name, (option, solvers) in sorted(declared.items()):
        flag = "--" + name.replace("_", "-")
        takers = ", ".join(solvers) if len(solvers) <= 6 else f"{', '.join(solvers[:6])}, ..."
        help_ = f"{option.help} [{option.type_label}] ({takers})"
        if option.check is BOOLEAN:
            group.add_argument(flag, dest=name, action="store_true", default=None, help=help_)
        else:
            kind = str if option.check is not None and option.check.textual else parse_value
            group.add_argument(flag, dest=name, type=kind, metavar=name.upper(), help=help_)
    p.set_defaults(solver_flags={name: tuple(solvers) for name, (_, solvers) in declared.items()})


def solver_options(args: argparse.Namespace) -> dict[str, Any]:
    """The solver options of a command line: ``-o KEY=VALUE``, the solver flags given, ``--seed``."""
    opts = parse_key_values(args.option)
    for name in getattr(args, "solver_flags", {}):
        value = getattr(args, name, None)
        if value is not None:
            opts[name] = value
    if args.seed is not None:
        opts["seed"] = args.seed
    return opts


def refuse_untaken(args: argparse.Namespace, solver: str, declared: Mapping[str, Any]) -> None:
    """Refuse the solver flags given that ``solver`` (declaring ``declared``) does not take, naming
    the solvers that do."""
    flags: Mapping[str, Sequence[str]] = getattr(args, "solver_flags", {})
    untaken = [name for name in sorted(flags) if getattr(args, name, None) is not None and name not in declared]
    if untaken:
        raise ValidationError(f"solver {solver!r} does not take option(s) " + "; ".join(
            f"{name} (--{name.replace('_', '-')}: taken by {', '.join(flags[name])})" for name in untaken))
