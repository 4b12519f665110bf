"""Command-line pieces every ``qportfolio`` command shares: the problem sources and parameters,
KEY=VALUE solver options, and the built-in example. Used by :mod:`qportfolio.cli` and
:mod:`qportfolio.cli.classic`, which import this module and not each other's internals.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError

if TYPE_CHECKING:  # the data readers load with the first problem, not with the parser (fast --help)
    from ..problem import PortfolioProblem

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


class Refuse(argparse.Action):
    """A flag a command does not take but a user may expect: refused at once, in one line, naming
    the flag that does the job (or saying why none applies). Hidden from ``--help``."""

    def __init__(self, option_strings: list[str], dest: str, instead: str, nargs: Any = None, **kwargs: Any) -> None:
        self.instead = instead
        super().__init__(option_strings, dest, nargs=nargs, help=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        raise SystemExit(_refusal(f"{parser.prog} does not take {option_string}; {self.instead}"))


def _refusal(message: str) -> int:
    import sys

    print(f"qportfolio: error: {message}", file=sys.stderr)
    return 2


def refuse(p: argparse.ArgumentParser, flags: dict[str, str], *, takes_value: bool = True) -> None:
    """Hidden flags of ``p`` that are refused with the hint ``flags[flag]``."""
    for flag, instead in flags.items():
        p.add_argument(flag, action=Refuse, instead=instead, nargs=None if takes_value else 0,
                       dest=f"refused_{flag.strip('-').replace('-', '_')}")


#: Flags of the core problem that the classical commands do not read, and what they take instead.
CORE_ONLY = {
    "--k": "use --max-assets to hold at most K assets",
    "--cardinality": "use --max-assets to hold at most K assets",
    "--max-weight": "use --upper for a cap on every weight",
    "--min-weight": "use --lower for a floor on every weight",
    "--lambda": "the classical strategies have no risk aversion: choose the strategy (min-variance, max-sharpe, ...)",
    "--risk-aversion": "the classical strategies have no risk aversion: choose the strategy (min-variance, max-sharpe, ...)",
    "--step": "the classical strategies take continuous weights (use `qportfolio solve` for a weight grid)",
    "--weight-step": "the classical strategies take continuous weights (use `qportfolio solve` for a weight grid)",
}


def add_problem_args(p: argparse.ArgumentParser, spec_optional: bool = True, *, parameters: bool = True) -> None:
    """The problem source (SPEC, --orlib, --synthetic, --prices) and, with ``parameters``, the core
    problem's parameter overrides; without them, those flags are refused naming what to use."""
    src = p.add_argument_group("problem (one source)")
    src.add_argument("spec", nargs="?" if spec_optional else None, help="JSON problem spec file")
    src.add_argument("--orlib", metavar="NAME", help="OR-Library set port1..port5 (or a path to portN.txt)")
    src.add_argument("--synthetic", metavar="N", type=int, help="seeded synthetic problem with N assets (see --instance-seed)")
    src.add_argument("--prices", metavar="CSV|sp500",
                     help="prices: a CSV with a date column, or a bundled dataset (sp500: 20 S&P 500 stocks, 1990-2022, "
                          "from the optional extra qportfolio[data]); mu and the covariance are estimated per period")
    src.add_argument("--date-column", help="--prices: name of the date column (default: the first)")
    src.add_argument("--date-format",
                     help="--prices: format of the dates (default ISO8601, e.g. 2024-01-31; strftime, e.g. %%d/%%m/%%Y)")
    src.add_argument("--estimator", choices=["sample", "ledoit-wolf"],
                     help="--prices: covariance estimator (default ledoit-wolf)")
    src.add_argument("--instance-seed", type=int, help="--synthetic: seed of the instance (default 0)")
    src.add_argument("--data-dir", help="--orlib: folder of the OR-Library files (default: the copy shipped with qportfolio)")
    src.add_argument("--repair-covariance", action="store_true",
                     help="SPEC or --prices: replace a non-PSD covariance by the nearest PSD matrix (recorded in the result)")
    if not parameters:
        refuse(p, {f: m for f, m in CORE_ONLY.items()})
        refuse(p, {"--selection-only": "the classical strategies take continuous weights"}, takes_value=False)
        return
    par = p.add_argument_group("problem parameters (override the source's)")
    par.add_argument("--k", "--cardinality", dest="k", type=int, help="number of assets to hold, K")
    par.add_argument("--lambda", "--risk-aversion", dest="lam", type=float, help="risk aversion lambda in [0, 1]")
    par.add_argument("--step", "--weight-step", dest="step", type=float, help="weight grid step (1/step an integer)")
    par.add_argument("--min-weight", type=float, help="minimum weight of a held asset")
    par.add_argument("--max-weight", type=float, help="maximum weight of a held asset")
    par.add_argument("--selection-only", action="store_true", help="equal weights 1/K: one binary variable per asset")


#: Source-specific flags: the source each belongs to.
SOURCE_FLAGS = {"date_column": ("prices", "--date-column"), "date_format": ("prices", "--date-format"),
                "estimator": ("prices", "--estimator"), "instance_seed": ("synthetic", "--instance-seed"),
                "data_dir": ("orlib", "--data-dir")}


def check_source_flags(args: argparse.Namespace, source: str) -> None:
    """Refuse a flag that belongs to another problem source than ``source`` (it would be ignored)."""
    for dest, (owner, flag) in SOURCE_FLAGS.items():
        if getattr(args, dest, None) is not None and owner != source:
            raise ValidationError(f"{flag} applies to --{owner} only; this problem comes from "
                                  f"{'a SPEC file' if source == 'spec' else '--' + source}")
    if getattr(args, "repair_covariance", False) and source not in ("spec", "prices"):
        raise ValidationError(f"--repair-covariance applies to a SPEC file or --prices; --{source} covariances are PSD "
                              "as given")


def _problem_from_prices(args: argparse.Namespace, overrides: dict[str, Any]) -> PortfolioProblem:
    from ..data import problem_from_returns
    from ..data.prices import read_prices, returns_from_prices

    k = overrides.pop("cardinality", None)
    if k is None:
        raise ValidationError("a problem from --prices needs --k (the number of assets to hold)")
    returns = returns_from_prices(read_prices(args.prices, args.date_column, args.date_format or "ISO8601"))
    name = Path(args.prices).stem if Path(args.prices).suffix else str(args.prices)
    return problem_from_returns(returns, cardinality=k, estimator=args.estimator or "ledoit-wolf", name=name,
                                repair_covariance=args.repair_covariance, **overrides)


def has_problem_source(args: argparse.Namespace) -> bool:
    return any(getattr(args, s, None) is not None for s in SOURCES)


def problem_from_args(args: argparse.Namespace) -> PortfolioProblem:
    """Build the problem named on the command line (exactly one source)."""
    from ..data import load_orlib, load_spec, synthetic_problem

    sources = [s for s in SOURCES if getattr(args, s, None) is not None]
    if len(sources) != 1:
        raise ValidationError("give exactly one problem source: a SPEC file, --orlib NAME, --synthetic N or --prices CSV|sp500")
    check_source_flags(args, sources[0])
    overrides = {
        "cardinality": getattr(args, "k", None),
        "risk_aversion": getattr(args, "lam", None),
        "weight_step": getattr(args, "step", None),
        "min_weight": getattr(args, "min_weight", None),
        "max_weight": getattr(args, "max_weight", None),
    }
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if args.spec is not None:
        problem = load_spec(args.spec, repair_covariance=args.repair_covariance, **overrides)
    elif args.orlib is not None:
        problem = load_orlib(args.orlib, data_dir=args.data_dir, **overrides)
    elif args.prices is not None:
        problem = _problem_from_prices(args, overrides)
    else:
        seed = args.instance_seed if args.instance_seed is not None else 0  # --seed seeds the solver only
        k = overrides.pop("cardinality", None)
        problem = synthetic_problem(args.synthetic, seed=seed, cardinality=k, **overrides)
    return problem.selection_only_variant() if getattr(args, "selection_only", False) else problem
