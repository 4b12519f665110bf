"""``qportfolio solvers``: the registered solvers, one line each (``-v``: with their options)."""

from __future__ import annotations

import argparse


def cmd_solvers(args: argparse.Namespace) -> int:
    from .. import solvers as solver_registry

    for name in solver_registry.available():
        solver = solver_registry.get(name)
        print(f"{name:<18}{solver.description}")
        if args.verbose:
            for opt, option in sorted(solver.options.items()):
                print(f"    {opt:<25} {option.describe()}")  # a space even after a long name
    return 0


def build_solvers(p: argparse.ArgumentParser) -> None:
    p.add_argument("--verbose", "-v", action="store_true", help="also list each solver's options")
    p.set_defaults(func=cmd_solvers)
