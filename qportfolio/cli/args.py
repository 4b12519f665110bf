"""Command-line pieces every ``qportfolio`` command shares: the problem sources and parameters (read
by :mod:`qportfolio.data.reference`), KEY=VALUE solver options, JSON output and the built-in example.
The command modules of :mod:`qportfolio.cli` import this module and not each other's internals.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError

if TYPE_CHECKING:  # the data readers load with the first problem, not with the parser (fast --help)
    from ..data.reference import ProblemReference
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


#: How the command line spells each field of a problem reference (errors name the flag).
CLI_NAMES = {"spec": "a SPEC file", "orlib": "--orlib", "synthetic": "--synthetic", "prices": "--prices",
             "date_column": "--date-column", "date_format": "--date-format", "estimator": "--estimator",
             "seed": "--instance-seed", "data_dir": "--data-dir", "repair_covariance": "--repair-covariance",
             "cardinality": "--k"}


def reference_from_args(args: argparse.Namespace) -> ProblemReference:
    """The problem reference the command line gives (flags a command lacks count as not given)."""
    from ..data.reference import ProblemReference

    given = {"spec": "spec", "orlib": "orlib", "synthetic": "synthetic", "prices": "prices", "data_dir": "data_dir",
             "seed": "instance_seed", "date_column": "date_column", "date_format": "date_format",
             "estimator": "estimator", "cardinality": "k", "risk_aversion": "lam", "weight_step": "step",
             "min_weight": "min_weight", "max_weight": "max_weight"}
    return ProblemReference(**{field: getattr(args, dest, None) for field, dest in given.items()},
                            repair_covariance=bool(getattr(args, "repair_covariance", False)),
                            selection_only=bool(getattr(args, "selection_only", False)))


def check_source_flags(args: argparse.Namespace, source: str) -> None:
    """Refuse a flag that belongs to another problem source than ``source`` (it would be ignored)."""
    reference_from_args(args).check_settings(source, CLI_NAMES)


def has_problem_source(args: argparse.Namespace) -> bool:
    return any(getattr(args, s, None) is not None for s in SOURCES)


def problem_from_args(args: argparse.Namespace) -> PortfolioProblem:
    """Build the problem named on the command line (exactly one source)."""
    from ..data.reference import load_problem

    return load_problem(reference_from_args(args), CLI_NAMES)


def print_json(payload: Any) -> None:
    """A command's answer as indented JSON on stdout."""
    print(json.dumps(payload, indent=2, sort_keys=False))
