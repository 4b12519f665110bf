"""``qportfolio solvers``: the registered solvers, one line each with their old names (``-v``: with their options)."""

from __future__ import annotations

import argparse


def cmd_solvers(args: argparse.Namespace) -> int:
    from .. import solvers as solver_registry

    old_names: dict[str, list[str]] = {}
    for alias, current in solver_registry.aliases().items():
        old_names.setdefault(current, []).append(alias)
    for name in solver_registry.available():
        solver = solver_registry.get(name)
        also = f" (also: {', '.join(old_names[name])})" if name in old_names else ""
        print(f"{name:<18}{solver.description}{also}")
        if args.verbose:
            for opt, option in sorted(solver.options.items()):
                print(f"    {opt:<25} {option.describe()}")  # a space even after a long name
    return 0


def build_solvers(p: argparse.ArgumentParser) -> None:
    p.add_argument("--verbose", "-v", action="store_true", help="also list each solver's options")
    p.set_defaults(func=cmd_solvers)
