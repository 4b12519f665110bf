"""Command-line pieces every ``qportfolio`` command shares: the problem sources and parameters,
KEY=VALUE solver options, and the built-in example. Used by :mod:`qportfolio.cli` and
:mod:`qportfolio.classic.cli`, which import this module and not each other's internals.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from .data import load_orlib, load_spec, synthetic_problem
from .errors import ValidationError
from .problem import PortfolioProblem

DEMO_SPEC = "demo.json"
#: The argument names of the problem sources; a command takes exactly one.
SOURCES = ("spec", "orlib", "synthetic", "prices")


class IntermixedParser(argparse.ArgumentParser):
    """An ArgumentParser whose commands take options and positionals in any order.

    argparse's default parse fills an optional positional (``SPEC``, ``nargs="?"``) with nothing as
    soon as it meets the first positional, so ``classic max-sharpe --risk-free 0.02 spec.json`` was
    refused. A parser without subcommands here parses with :meth:`parse_known_intermixed_args`
    (options first, then the positionals in order); parsers with subcommands parse as usual, and
    their subparsers (created with this class) are intermixed in turn.
    """

    _intermixing = False

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        if self._intermixing or self._subparsers is not None:
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


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
    src.add_argument("--prices", metavar="CSV|sp500",
                     help="prices: a CSV with a date column, or a bundled dataset (sp500: 20 S&P 500 stocks, 1990-2022, "
                          "from the optional extra qportfolio[data]); mu and the covariance are estimated per period")
    src.add_argument("--date-column", help="name of the date column of --prices (default: the first)")
    src.add_argument("--date-format", default="ISO8601",
                     help="format of the dates of --prices (default ISO8601, e.g. 2024-01-31; strftime, e.g. %%d/%%m/%%Y)")
    src.add_argument("--estimator", choices=["sample", "ledoit-wolf"], default="ledoit-wolf",
                     help="covariance estimator for --prices (default ledoit-wolf)")
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


def _problem_from_prices(args: argparse.Namespace, overrides: dict[str, Any]) -> PortfolioProblem:
    from .data import problem_from_returns
    from .data.prices import read_prices, returns_from_prices

    k = overrides.pop("cardinality", None)
    if k is None:
        raise ValidationError("a problem from --prices needs --k (the number of assets to hold)")
    returns = returns_from_prices(read_prices(args.prices, args.date_column, args.date_format))
    name = Path(args.prices).stem if Path(args.prices).suffix else str(args.prices)
    return problem_from_returns(returns, cardinality=k, estimator=args.estimator, name=name, **overrides)


def has_problem_source(args: argparse.Namespace) -> bool:
    return any(getattr(args, s, None) is not None for s in SOURCES)


def problem_from_args(args: argparse.Namespace) -> PortfolioProblem:
    """Build the problem named on the command line (exactly one source)."""
    sources = [s for s in SOURCES if getattr(args, s, None) is not None]
    if len(sources) != 1:
        raise ValidationError("give exactly one problem source: a SPEC file, --orlib NAME, --synthetic N or --prices CSV|sp500")
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
    elif args.prices is not None:
        problem = _problem_from_prices(args, overrides)
    else:
        seed = args.instance_seed if args.instance_seed is not None else (getattr(args, "seed", None) or 0)
        k = overrides.pop("cardinality", None)
        problem = synthetic_problem(args.synthetic, seed=seed, cardinality=k, **overrides)
    return problem.selection_only_variant() if args.selection_only else problem
