"""Command-line pieces every ``qportfolio`` command shares: the problem sources and parameters,
KEY=VALUE solver options, and the built-in example. Used by :mod:`qportfolio.cli` and
:mod:`qportfolio.classic.cli`, which import this module and not each other's internals.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from .data import load_orlib, load_spec, synthetic_problem
from .errors import ValidationError
from .problem import PortfolioProblem

DEMO_SPEC = "demo.json"
#: The argument names of the problem sources; a command takes exactly one.
SOURCES = ("spec", "orlib", "synthetic")


def demo_spec_path() -> str:
    """Path of the built-in example problem (``qportfolio/examples/demo.json``)."""
    return str(resources.files("qportfolio.examples").joinpath(DEMO_SPEC))


def parse_value(text: str) -> Any:
    """A command-line value: JSON when it parses (numbers, true, lists, objects), else the string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_key_values(items: Iterable[str] | None, flag: str = "--option") -> dict[str, Any]:
    """``KEY=VALUE`` items as a dict (dashes in keys become underscores; values via :func:`parse_value`)."""
    out: dict[str, Any] = {}
    for item in items or []:
        if "=" not in item:
            raise ValidationError(f"{flag} expects KEY=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        out[key.strip().replace("-", "_")] = parse_value(value)
    return out


def add_problem_args(p: argparse.ArgumentParser, spec_optional: bool = True) -> None:
    """The problem source (SPEC, --orlib, --synthetic) and parameter overrides."""
    src = p.add_argument_group("problem (one source)")
    src.add_argument("spec", nargs="?" if spec_optional else None, help="JSON problem spec file")
    src.add_argument("--orlib", metavar="NAME", help="OR-Library set port1..port5 (or a path to portN.txt)")
    src.add_argument("--synthetic", metavar="N", type=int, help="seeded synthetic problem with N assets")
    src.add_argument("--instance-seed", type=int, help="seed of the synthetic instance (default: --seed or 0)")
    src.add_argument("--data-dir", help="folder of the OR-Library files (default: $QPORTFOLIO_ORLIB_DIR or ../shared/data/orlib)")
    par = p.add_argument_group("problem parameters (override the source's)")
    par.add_argument("--k", "--cardinality", dest="k", type=int, help="number of assets to hold, K")
    par.add_argument("--lambda", "--risk-aversion", dest="lam", type=float, help="risk aversion lambda in [0, 1]")
    par.add_argument("--step", "--weight-step", dest="step", type=float, help="weight grid step (1/step an integer)")
    par.add_argument("--min-weight", type=float, help="minimum weight of a held asset")
    par.add_argument("--max-weight", type=float, help="maximum weight of a held asset")
    par.add_argument("--selection-only", action="store_true", help="equal weights 1/K: one binary variable per asset")
    par.add_argument("--repair-covariance", action="store_true", help="replace a non-PSD covariance by the nearest PSD matrix")


def has_problem_source(args: argparse.Namespace) -> bool:
    return any(getattr(args, s, None) is not None for s in SOURCES)


def problem_from_args(args: argparse.Namespace) -> PortfolioProblem:
    """Build the problem named on the command line (exactly one source)."""
    sources = [s for s in SOURCES if getattr(args, s, None) is not None]
    if len(sources) != 1:
        raise ValidationError("give exactly one problem source: a SPEC file, --orlib NAME or --synthetic N")
    overrides = {
        "cardinality": args.k,
        "risk_aversion": args.lam,
        "weight_step": args.step,
        "min_weight": args.min_weight,
        "max_weight": args.max_weight,
    }
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if args.spec is not None:
        problem = load_spec(args.spec, repair_covariance=args.repair_covariance, **overrides)
    elif args.orlib is not None:
        problem = load_orlib(args.orlib, data_dir=args.data_dir, **overrides)
    else:
        seed = args.instance_seed if args.instance_seed is not None else (getattr(args, "seed", None) or 0)
        k = overrides.pop("cardinality", None)
        problem = synthetic_problem(args.synthetic, seed=seed, cardinality=k, **overrides)
    return problem.selection_only_variant() if args.selection_only else problem
