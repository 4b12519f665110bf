"""The classical commands of ``qportfolio``: classic, frontier, backtest, lp (parsing and printing only)."""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np

from ..classic.strategies import STRATEGIES
from ..errors import ValidationError
from .args import SOURCES, add_problem_args, demo_spec_path, has_problem_source, parse_key_values, problem_from_args, refuse

#: strategy -> (help, takes constraints), from the one table of classical strategies
STRATEGY_HELP = {name: (s.description, s.constrained) for name, s in STRATEGIES.items()}
#: parameters whose flag is not --<parameter> (the others: risk_free is every strategy's, for the report)
PARAMETER_FLAGS = {"score": "--scores", "risk_free": None}
#: flags that one strategy takes, refused by the others with its name
STRATEGY_FLAGS = {**{PARAMETER_FLAGS.get(p, "--" + p.replace("_", "-")): name for name, s in STRATEGIES.items()
                     for p in s.parameters if PARAMETER_FLAGS.get(p, "") is not None},
                  "--sweep": "score-tradeoff", "--plot": "score-tradeoff"}


def strategy_first(argv: list[str]) -> list[str]:
    """``classic [options] STRATEGY [options]`` as ``classic STRATEGY [options]``: options may come
    before the strategy, as before each strategy had a subcommand of its own."""
    if not argv or argv[0] != "classic":
        return argv
    rest = argv[1:]
    for i, token in enumerate(rest):
        if token in STRATEGY_HELP:
            return ["classic", token, *rest[:i], *rest[i + 1:]]
    return argv


def _units_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("units")
    g.add_argument("--annualize", action=argparse.BooleanOptionalAction, default=None,
                   help="report returns, volatilities and Sharpe ratios a year (default: on for --prices, whose dates give "
                        "the periods a year; other data need --periods-per-year)")
    g.add_argument("--periods-per-year", type=float, help="periods a year of the data (default: inferred from --prices' dates)")


def _constraint_args(p: argparse.ArgumentParser, *, cardinality: bool = True) -> None:
    g = p.add_argument_group("constraints")
    g.add_argument("--long-short", action="store_true", help="allow short positions (default long-only)")
    g.add_argument("--lower", type=float, help="lower bound on every weight")
    g.add_argument("--upper", type=float, help="upper bound on every weight")
    g.add_argument("--leverage", type=float, help="gross leverage limit sum |w| (e.g. 1.6 for 130/30)")
    if cardinality:
        g.add_argument("--max-assets", type=int, help="hold at most this many assets (a mixed-integer program in SCIP)")


def _constraints(args: argparse.Namespace):
    from ..classic.constraints import Constraints

    return Constraints(long_only=not args.long_short, lower=args.lower, upper=args.upper, gross_leverage=args.leverage,
                       cardinality=getattr(args, "max_assets", None))


def _market(args: argparse.Namespace) -> Any:
    """The :class:`~qportfolio.classic.market.Market` of --prices, or of the problem sources of the core CLI.

    Price data are annualised by default (periods a year inferred from the dates, or
    --periods-per-year); other sources are per period unless --annualize --periods-per-year P."""
    from ..classic.market import market_from_problem, market_from_returns

    annualize, given = getattr(args, "annualize", None), getattr(args, "periods_per_year", None)
    if getattr(args, "prices", None):
        others = [s for s in SOURCES if s != "prices" and getattr(args, s, None) is not None]
        if others:
            raise ValidationError(f"give exactly one problem source: --prices or {others[0].replace('spec', 'a SPEC file')}, "
                                  "not both")
        from ..data.prices import read_prices, returns_from_prices
        from .args import check_source_flags

        check_source_flags(args, "prices")
        rets = returns_from_prices(read_prices(args.prices, args.date_column, args.date_format or "ISO8601"))
        return market_from_returns(rets, estimator=args.estimator or "ledoit-wolf", annualized=annualize,
                                   periods_per_year=given, repair=args.repair_covariance)
    if not has_problem_source(args):
        args.spec = demo_spec_path()
    return market_from_problem(problem_from_args(args), annualized=annualize, periods_per_year=given)


def cmd_classic(args: argparse.Namespace) -> int:
    from ..classic.strategies import run_strategy

    market = _market(args)
    name = args.strategy
    strategy = STRATEGIES[name]
    c = _constraints(args) if strategy.constrained else None
    if name == "score-tradeoff":
        return _score_tradeoff(args, market, c)
    if "scenarios" in strategy.inputs and market.scenarios is None:
        raise ValidationError(f"{name} needs return scenarios: pass --prices PRICES.csv")
    result = run_strategy(name, market, constraints=c, **{p: getattr(args, p) for p in strategy.parameters})
    result = result.with_risk_free(args.risk_free if args.risk_free is not None else result.info.get("risk_free"))
    print(json.dumps(result.to_dict(), indent=2, default=float) if args.json else result)
    return 0


def _score_tradeoff(args: argparse.Namespace, market: Any, c: Any) -> int:
    """classic score-tradeoff: one trade-off (--tradeoff) or a sweep (--sweep START:STOP:N) of min w'Sigma w - t score'w."""
    from ..classic.frontier import parse_targets
    from ..classic.scores import plot_score_frontier, score_frontier
    from ..classic.strategies import run_strategy
    from ..data.scores import read_scores

    if (args.tradeoff is None) == (args.sweep is None):
        raise ValidationError("score-tradeoff needs exactly one of --tradeoff T or --sweep START:STOP:N")
    assets = market.assets
    score = read_scores(args.scores, assets)
    if args.tradeoff is not None:
        if args.plot:
            raise ValidationError("--plot draws the risk-vs-score frontier: use it with --sweep")
        result = run_strategy("score-tradeoff", market, constraints=c, score=score, tradeoff=args.tradeoff)
        result = result.with_risk_free(args.risk_free)
        if args.json:
            print(json.dumps({**result.to_dict(), "score": result.info["score"]}, indent=2, default=float))
        else:
            print(result)
            print(f"score       {result.info['score']:.6g}   (score'w)")
        return 0
    f = score_frontier(market.expected_returns, market.covariance, score, tradeoffs=parse_targets(args.sweep, "--sweep"),
                       constraints=c, risk_free=args.risk_free, assets=assets)
    if args.json:
        print(json.dumps(labelled(f.to_dict(), market.units), indent=2))
    else:
        sharpe = f.sharpe()
        head = f"{'#':>3}{'tradeoff':>12}{'score':>12}{'volatility':>12}{'return':>12}" + (f"{'sharpe':>9}" if sharpe is not None
                                                                                           else "") + "  holdings"
        lines = [head, "-" * len(head)]
        for i in range(len(f.tradeoffs)):
            row = f"{i:>3}{f.tradeoffs[i]:>12.6g}{f.scores[i]:>12.6g}{f.volatilities[i]:>12.6g}{f.returns[i]:>12.6g}"
            if sharpe is not None:
                row += f"{sharpe[i]:>9.4f}"
            row += "  " + holdings(assets, f.weights[i])
            lines.append(row)
        lines.append(f"\n{len(f.tradeoffs)} trade-offs of min w'Sigma w - t score'w in {f.wall_time:.2f} s")
        print("\n".join(lines))
    if args.plot:
        plot_score_frontier(f, args.plot)
        print(f"plot written to {args.plot}")
    return 0


def cmd_frontier(args: argparse.Namespace) -> int:
    from ..classic.frontier import efficient_frontier, parse_targets, plot_frontier

    market = _market(args)
    targets = parse_targets(args.returns) if args.returns is not None else None
    f = efficient_frontier(market.expected_returns, market.covariance, constraints=_constraints(args), points=args.points,
                           risk_free=args.risk_free, assets=market.assets, targets=targets)
    if args.json:
        print(json.dumps(labelled(f.to_dict(), market.units), indent=2))
    else:
        print(frontier_table(f, explicit=targets is not None, units=market.units))
    if args.plot:
        plot_frontier(f, args.plot)
        print(f"plot written to {args.plot}")
    return 0


def labelled(payload: dict[str, Any], units: dict[str, Any]) -> dict[str, Any]:
    """A JSON payload with its units: ``units``, and ``sharpe`` named ``sharpe_annual`` or ``sharpe_per_period``."""
    out = dict(payload)
    if "sharpe" in out:
        out["sharpe_annual" if units["annualized"] else "sharpe_per_period"] = out.pop("sharpe")
    out["units"] = units
    return out


def holdings(assets: tuple[str, ...], weights: np.ndarray, tol: float = 5e-7) -> str:
    """``asset:weight`` of the positions above ``tol`` in absolute value, largest first."""
    order = np.argsort(-np.abs(weights))
    return " ".join(f"{assets[j]}:{weights[j]:.4f}" for j in order if abs(weights[j]) > tol)


#: At most this many assets are shown as weight columns; beyond, each row lists its holdings.
MAX_WEIGHT_COLUMNS = 12


def frontier_table(f: Any, *, explicit: bool, units: dict[str, Any] | None = None) -> str:
    """The frontier as an aligned text table: target, return, volatility, Sharpe (with a risk-free
    rate), d var/d target, and the weights."""
    sharpe = f.sharpe()
    held = [j for j in range(len(f.assets)) if np.any(np.abs(f.weights[:, j]) > 5e-7)] if len(f.returns) else []
    as_columns = len(held) <= MAX_WEIGHT_COLUMNS
    width = max([9] + [len(f.assets[j]) + 1 for j in held]) if as_columns else 0
    head = f"{'#':>3}{'target':>12}{'return':>12}{'volatility':>12}" + (f"{'sharpe':>9}" if sharpe is not None else "")
    head += f"{'d var/d ret':>13}"
    head += "".join(f"{f.assets[j]:>{width}}" for j in held) if as_columns else "  holdings (weight > 5e-7)"
    lines = [head, "-" * len(head)]
    efficient = f.efficient
    for i in range(len(f.returns)):
        row = f"{i:>3}{f.targets[i]:>12.6g}{f.returns[i]:>12.6g}{f.volatilities[i]:>12.6g}"
        if sharpe is not None:
            row += f"{sharpe[i]:>9.4f}"
        row += f"{f.target_duals[i]:>13.4g}"
        if as_columns:
            row += "".join(f"{f.weights[i, j]:>{width}.4f}" for j in held)
        else:
            row += "  " + holdings(f.assets, f.weights[i])
        marks = []
        if f.tangency == i:
            marks.append("tangency")
        if not efficient[i]:
            marks.append("inefficient")
        lines.append(row + (f"  <- {', '.join(marks)}" if marks else ""))
    lines.append("")
    kind = "target returns as given (mu'w = target)" if explicit else "targets from the minimum-variance to the highest return"
    lines.append(f"{len(f.returns)} points, {kind}, in {f.wall_time:.2f} s")
    if f.min_variance_return is not None and not np.all(efficient):
        lines.append(f"inefficient: below the minimum-variance portfolio's return {f.min_variance_return:.6g} "
                     "(the lower branch of the minimum-variance frontier)")
    if f.note:
        lines.append(f"note: {f.note}")
    if units is not None:
        lines.append("units: " + (f"annualised ({units['periods_per_year']:g} periods a year): returns, volatilities and "
                                  "Sharpe ratios a year" if units["annualized"] else
                                  "per period of the data (not annualised): returns, volatilities and Sharpe ratios"))
    return "\n".join(lines)


def cmd_backtest(args: argparse.Namespace) -> int:
    from ..classic.backtest import CONSTRAINED, backtest, plot_equity
    from ..data.prices import periods_per_year, read_prices, returns_from_prices

    qubo = [s for s in args.strategy if s.startswith("qubo:")]
    options = parse_key_values(args.option)
    if not qubo:
        given = [flag for flag, value in (("--k", args.k), ("--step", args.step), ("-o", options or None)) if value is not None]
        if given:
            raise ValidationError(f"{given[0]} applies to qubo:<solver> strategies; none is listed (--strategy qubo:sa, ...)")
    constrained = any(getattr(args, a) not in (None, False) for a in ("long_short", "lower", "upper", "leverage", "max_assets"))
    if constrained and not set(args.strategy) & set(CONSTRAINED):
        raise ValidationError(f"the constraint flags apply to the strategies {', '.join(CONSTRAINED)}; none is listed")
    prices = read_prices(args.prices, args.date_column, args.date_format or "ISO8601")
    rets = returns_from_prices(prices)
    ppy = args.periods_per_year or periods_per_year(rets.index)
    c = _constraints(args) if constrained else None
    results = [backtest(rets, s, window=args.window, rebalance=args.rebalance, periods_per_year=ppy,
                        risk_free=args.risk_free, cardinality=args.k or 5, weight_step=args.step or 0.05, options=options,
                        constraints=c if s in CONSTRAINED else None)
               for s in args.strategy]
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2))
    else:
        print(backtest_table(results, ppy, args.risk_free))
        if c is not None:
            print(f"constraints applied to: {', '.join(s for s in args.strategy if s in CONSTRAINED)}")
    if args.plot:
        plot_equity(results, args.plot, title=f"Backtest: {args.window}-period window, {args.rebalance} rebalancing")
        print(f"plot written to {args.plot}")
    return 0


def backtest_table(results: list[Any], periods_per_year: float, risk_free: float) -> str:
    """The strategies' figures as an aligned table, every column labelled with its unit."""
    columns = [("annual return %", "annual_return", 100.0, ".2f"), ("annual vol %", "annual_volatility", 100.0, ".2f"),
               ("Sharpe (annual)", "sharpe", 1.0, ".3f"), ("max drawdown %", "max_drawdown", 100.0, ".2f"),
               ("total return %", "total_return", 100.0, ".1f"), ("mean turnover", "mean_turnover", 1.0, ".3f")]
    width = max([len("strategy")] + [len(r.strategy) for r in results])
    head = f"{'strategy':<{width}}" + "".join(f"{label:>{max(len(label), 10) + 2}}" for label, *_ in columns)
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(f"{r.strategy:<{width}}" + "".join(f"{scale * r.stats[key]:>{max(len(label), 10) + 2}{fmt}}"
                                                          for label, key, scale, fmt in columns))
    first, last = results[0].equity.index[0], results[0].equity.index[-1]
    lines.append(f"\n{first.date()} to {last.date()}, {periods_per_year:g} periods a year; Sharpe = annualised mean excess "
                 f"return over a risk-free {100 * risk_free:g} % a year / annualised volatility; turnover one-way per rebalance")
    return "\n".join(lines)


def cmd_lp(args: argparse.Namespace) -> int:
    from ..lp import format_result, load_model, solve_model

    result = solve_model(load_model(args.model))
    print(json.dumps(result.to_dict(), indent=2) if args.json else format_result(result))
    return 0 if result.status.has_solution else 1


#: The classical commands and their one-line help (the parser's top level lists them without building them).
COMMAND_HELP = {
    "classic": "a classical portfolio (min variance, max Sharpe, risk parity, CVaR ...)",
    "frontier": "the efficient frontier (and a plot)",
    "backtest": "walk-forward backtest of strategies on prices",
    "lp": "solve a declarative LP/MILP/QP allocation model (JSON, either shape)",
}
COMMAND_DESCRIPTION = {"classic": "A classical portfolio; `qportfolio classic STRATEGY --help` lists what each takes."}


def _market_args(p: argparse.ArgumentParser) -> None:
    add_problem_args(p, parameters=False)
    p.add_argument("--risk-free", type=float,
                   help="risk-free rate, in the units of the report (a year when annualised, else per period): "
                        "Sharpe ratios are reported when it is given")
    p.add_argument("--json", action="store_true", help="print the frontier as JSON")
    _constraint_args(p)


def build_classic(p: argparse.ArgumentParser) -> None:
    """``qportfolio classic STRATEGY``: one subcommand per strategy, each with the flags it reads."""
    strategies = p.add_subparsers(dest="strategy", required=True, metavar="STRATEGY")
    for name, (help_, constrained) in STRATEGY_HELP.items():
        q = strategies.add_parser(name, help=help_, description=help_)
        add_problem_args(q, parameters=False)
        q.add_argument("--risk-free", type=float,
                       help="risk-free rate, in the units of the report (a year when annualised, else per period): "
                            "Sharpe ratios are reported when it is given"
                            + (" (the tangency uses it; default 0)" if name == "max-sharpe" else ""))
        q.add_argument("--json", action="store_true", help="print the result as JSON")
        _units_args(q)
        if constrained:
            _constraint_args(q)
        else:
            refuse(q, {flag: f"{name} takes no constraints (its weights follow from the covariance alone)"
                       for flag in ("--lower", "--upper", "--leverage", "--max-assets")})
            refuse(q, {"--long-short": f"{name} takes no constraints (its weights follow from the covariance alone)"},
                   takes_value=False)
        if name == "min-variance-for-return":
            q.add_argument("--target-return", type=float, required=True,
                           help="the expected return to reach, in the report's units (a year when annualised, the "
                                "default for --prices; else per period)")
        if name == "max-return-for-volatility":
            q.add_argument("--target-volatility", type=float, required=True,
                           help="the volatility budget, in the report's units (a year when annualised, the default for "
                                "--prices; else per period)")
        if name == "min-cvar":
            q.add_argument("--alpha", type=float, default=0.95, help="CVaR confidence level (default 0.95)")
        if name == "score-tradeoff":
            q.add_argument("--scores", required=True, help="per-asset scores, JSON {asset: score} or CSV asset,score")
            q.add_argument("--tradeoff", type=float, help="t in min w'Sigma w - t score'w")
            q.add_argument("--sweep", metavar="START:STOP:N", help="a frontier of N trade-offs (or a comma list)")
            q.add_argument("--plot", help="with --sweep: write the risk-vs-score frontier as a PNG")
        refuse(q, {flag: f"it belongs to the strategy {owner} (qportfolio classic {owner} --help)"
                   for flag, owner in STRATEGY_FLAGS.items() if owner != name})
        q.set_defaults(func=cmd_classic)


def build_frontier(p: argparse.ArgumentParser) -> None:
    _market_args(p)
    _units_args(p)
    p.add_argument("--points", type=int, default=50, help="number of evenly spaced points (default 50)")
    p.add_argument("--returns", metavar="START:STOP:N|R1,R2,...",
                   help="explicit target returns in the report's units (a year when annualised): N evenly spaced from "
                        "START to STOP, or a comma list; each point has exactly that expected return")
    p.add_argument("--plot", help="write a PNG")
    p.set_defaults(func=cmd_frontier)


def build_backtest(p: argparse.ArgumentParser) -> None:
    p.add_argument("prices", help="CSV of prices with a date column, or a bundled dataset (sp500, from qportfolio[data])")
    p.add_argument("--date-column", help="name of the date column (default: the first)")
    p.add_argument("--date-format", help="format of the dates (default ISO8601; strftime, e.g. %%d/%%m/%%Y)")
    p.add_argument("--strategy", action="append", required=True,
                   help="equal-weight, min-variance, max-sharpe, risk-parity, min-cvar or qubo:<solver> (repeatable)")
    p.add_argument("--rebalance", default="quarterly", choices=["weekly", "monthly", "quarterly", "annually"])
    p.add_argument("--window", type=int, default=252, help="estimation window in periods (default 252)")
    p.add_argument("--periods-per-year", type=float, help="periods a year for annualising (default: inferred from the dates)")
    p.add_argument("--risk-free", type=float, default=0.0, help="risk-free rate a year, for the Sharpe ratio (default 0)")
    p.add_argument("--k", type=int, help="qubo:<solver> strategies: assets held (default 5)")
    p.add_argument("--step", type=float, help="qubo:<solver> strategies: weight grid (default 0.05)")
    p.add_argument("--option", "-o", action="append", metavar="KEY=VALUE",
                   help="qubo:<solver> strategies: a solver option (checked by the solver)")
    _constraint_args(p)
    p.add_argument("--json", action="store_true", help="print every strategy's history and figures as JSON")
    p.add_argument("--plot", help="write the equity curves as a PNG (log scale)")
    p.set_defaults(func=cmd_backtest)


def build_lp(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="the model: a JSON file in qportfolio's shape or the allocation-payload shape")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_lp)


#: command -> the function that adds its arguments to its (sub)parser
BUILDERS = {"classic": build_classic, "frontier": build_frontier, "backtest": build_backtest, "lp": build_lp}
