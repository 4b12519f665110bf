"""The classical commands of ``qportfolio``: classic, frontier, backtest, lp (parsing and printing only)."""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np

from ..cli_args import SOURCES, add_problem_args, demo_spec_path, has_problem_source, parse_key_values, problem_from_args, refuse
from ..errors import ValidationError

#: strategy -> (help, takes constraints)
STRATEGY_HELP = {
    "equal-weight": ("1/n in every asset", False),
    "min-variance": ("the minimum-variance portfolio", True),
    "max-sharpe": ("the maximum-Sharpe (tangency) portfolio", True),
    "risk-parity": ("equal risk contributions", False),
    "min-variance-for-return": ("the minimum variance at a target expected return", True),
    "max-return-for-volatility": ("the highest expected return within a volatility budget", True),
    "min-cvar": ("the minimum CVaR on the return scenarios of --prices", True),
    "score-tradeoff": ("risk against a per-asset score (ESG, a signal): min w'Sigma w - t score'w", True),
}
STRATEGIES = tuple(STRATEGY_HELP)
#: flags that one strategy takes, refused by the others with its name
STRATEGY_FLAGS = {"--target-return": "min-variance-for-return", "--target-volatility": "max-return-for-volatility",
                  "--alpha": "min-cvar", "--scores": "score-tradeoff", "--tradeoff": "score-tradeoff",
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


def _constraint_args(p: argparse.ArgumentParser, *, cardinality: bool = True) -> None:
    g = p.add_argument_group("constraints")
    g.add_argument("--long-short", action="store_true", help="allow short positions (default long-only)")
    g.add_argument("--lower", type=float, help="lower bound on every weight")
    g.add_argument("--upper", type=float, help="upper bound on every weight")
    g.add_argument("--leverage", type=float, help="gross leverage limit sum |w| (e.g. 1.6 for 130/30)")
    if cardinality:
        g.add_argument("--max-assets", type=int, help="hold at most this many assets (a mixed-integer program in SCIP)")


def _constraints(args: argparse.Namespace):
    from .constraints import Constraints

    return Constraints(long_only=not args.long_short, lower=args.lower, upper=args.upper, gross_leverage=args.leverage,
                       cardinality=getattr(args, "max_assets", None))


def _market(args: argparse.Namespace) -> tuple[np.ndarray, np.ndarray, tuple[str, ...], Any]:
    """(mu, cov, assets, scenarios) from --prices CSV, or from the problem sources of the core CLI."""
    if getattr(args, "prices", None):
        others = [s for s in SOURCES if s != "prices" and getattr(args, s, None) is not None]
        if others:
            raise ValidationError(f"give exactly one problem source: --prices or {others[0].replace('spec', 'a SPEC file')}, "
                                  "not both")
        from ..cli_args import check_source_flags
        from ..data.prices import estimate, read_prices, returns_from_prices

        check_source_flags(args, "prices")
        prices = read_prices(args.prices, args.date_column, args.date_format or "ISO8601")
        rets = returns_from_prices(prices)
        est = estimate(rets, args.estimator or "ledoit-wolf", periods_per_year=1.0, repair=args.repair_covariance)
        return est.expected_returns, est.covariance, est.assets, rets.to_numpy()
    if not has_problem_source(args):
        args.spec = demo_spec_path()
    problem = problem_from_args(args)
    return problem.expected_returns, problem.covariance, problem.assets, None


def cmd_classic(args: argparse.Namespace) -> int:
    from . import portfolios as pf

    mu, cov, assets, scenarios = _market(args)
    name = args.strategy
    c = _constraints(args) if STRATEGY_HELP[name][1] else None
    if name == "equal-weight":
        result = pf.equal_weight(mu, cov, assets=assets)
    elif name == "min-variance":
        result = pf.min_variance(mu, cov, constraints=c, assets=assets)
    elif name == "max-sharpe":
        result = pf.max_sharpe(mu, cov, risk_free=args.risk_free or 0.0, constraints=c, assets=assets)
    elif name == "risk-parity":
        result = pf.risk_budgeting(mu, cov, assets=assets)
    elif name == "min-variance-for-return":
        result = pf.min_variance_for_return(mu, cov, target_return=args.target_return, constraints=c, assets=assets)
    elif name == "max-return-for-volatility":
        result = pf.max_return_for_volatility(mu, cov, target_volatility=args.target_volatility, constraints=c, assets=assets)
    elif name == "score-tradeoff":
        return _score_tradeoff(args, mu, cov, assets, c)
    else:
        if scenarios is None:
            raise ValidationError("min-cvar needs return scenarios: pass --prices PRICES.csv")
        result = pf.min_cvar(scenarios, alpha=args.alpha, constraints=c, assets=assets)
    result = result.with_risk_free(args.risk_free if args.risk_free is not None else result.info.get("risk_free"))
    print(json.dumps(result.to_dict(), indent=2, default=float) if args.json else result)
    return 0


def _score_tradeoff(args: argparse.Namespace, mu: np.ndarray, cov: np.ndarray, assets: tuple[str, ...], c: Any) -> int:
    """classic score-tradeoff: one trade-off (--tradeoff) or a sweep (--sweep START:STOP:N) of min w'Sigma w - t score'w."""
    from ..data.scores import read_scores
    from . import portfolios as pf
    from .frontier import parse_targets, plot_score_frontier, score_frontier

    if (args.tradeoff is None) == (args.sweep is None):
        raise ValidationError("score-tradeoff needs exactly one of --tradeoff T or --sweep START:STOP:N")
    score = read_scores(args.scores, assets)
    if args.tradeoff is not None:
        if args.plot:
            raise ValidationError("--plot draws the risk-vs-score frontier: use it with --sweep")
        result = pf.score_tradeoff(mu, cov, score, tradeoff=args.tradeoff, constraints=c, assets=assets)
        result = result.with_risk_free(args.risk_free)
        if args.json:
            print(json.dumps({**result.to_dict(), "score": float(score @ result.weights)}, indent=2, default=float))
        else:
            print(result)
            print(f"score       {float(score @ result.weights):.6g}   (score'w)")
        return 0
    f = score_frontier(mu, cov, score, tradeoffs=parse_targets(args.sweep, "--sweep"), constraints=c,
                       risk_free=args.risk_free, assets=assets)
    if args.json:
        print(json.dumps(f.to_dict(), indent=2))
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
    from .frontier import efficient_frontier, parse_targets, plot_frontier

    mu, cov, assets, _ = _market(args)
    targets = parse_targets(args.returns) if args.returns is not None else None
    f = efficient_frontier(mu, cov, constraints=_constraints(args), points=args.points, risk_free=args.risk_free, assets=assets,
                           targets=targets)
    if args.json:
        print(json.dumps(f.to_dict(), indent=2))
    else:
        print(frontier_table(f, explicit=targets is not None))
    if args.plot:
        plot_frontier(f, args.plot)
        print(f"plot written to {args.plot}")
    return 0


def holdings(assets: tuple[str, ...], weights: np.ndarray, tol: float = 5e-7) -> str:
    """``asset:weight`` of the positions above ``tol`` in absolute value, largest first."""
    order = np.argsort(-np.abs(weights))
    return " ".join(f"{assets[j]}:{weights[j]:.4f}" for j in order if abs(weights[j]) > tol)


#: At most this many assets are shown as weight columns; beyond, each row lists its holdings.
MAX_WEIGHT_COLUMNS = 12


def frontier_table(f: Any, *, explicit: bool) -> str:
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
    return "\n".join(lines)


def cmd_backtest(args: argparse.Namespace) -> int:
    from ..data.prices import periods_per_year, read_prices, returns_from_prices
    from .backtest import backtest, compare, plot_equity

    prices = read_prices(args.prices, args.date_column, args.date_format)
    rets = returns_from_prices(prices)
    ppy = periods_per_year(rets.index)
    options = parse_key_values(args.option)
    results = [backtest(rets, s, window=args.window, rebalance=args.rebalance, periods_per_year=ppy,
                        risk_free=args.risk_free, cardinality=args.k or 5, weight_step=args.step or 0.05, options=options)
               for s in args.strategy]
    table = compare(results)
    print(table.to_string(float_format=lambda v: f"{v:.4f}"))
    if args.plot:
        plot_equity(results, args.plot, title=f"Backtest: {args.window}-period window, {args.rebalance} rebalancing")
        print(f"plot written to {args.plot}")
    return 0


def cmd_lp(args: argparse.Namespace) -> int:
    from .lp import format_result, load_model, solve_model

    result = solve_model(load_model(args.model))
    print(json.dumps(result.to_dict(), indent=2) if args.json else format_result(result))
    return 0 if result.status.has_solution else 1


def add_commands(sub: Any) -> None:
    """Add the classical commands to the ``qportfolio`` subcommand parser ``sub``."""
    def market_args(p: argparse.ArgumentParser) -> None:
        add_problem_args(p, parameters=False)
        p.add_argument("--risk-free", type=float,
                       help="risk-free rate per period: Sharpe ratios are reported when it is given (max-sharpe: default 0)")
        p.add_argument("--json", action="store_true")
        _constraint_args(p)

    p = sub.add_parser("classic", help="a classical portfolio (min variance, max Sharpe, risk parity, CVaR ...)",
                       description="A classical portfolio; `qportfolio classic STRATEGY --help` lists what each takes.")
    strategies = p.add_subparsers(dest="strategy", required=True, metavar="STRATEGY")
    for name, (help_, constrained) in STRATEGY_HELP.items():
        q = strategies.add_parser(name, help=help_, description=help_)
        add_problem_args(q, parameters=False)
        q.add_argument("--risk-free", type=float,
                       help="risk-free rate per period: Sharpe ratios are reported when it is given"
                            + (" (the tangency uses it; default 0)" if name == "max-sharpe" else ""))
        q.add_argument("--json", action="store_true", help="print the result as JSON")
        if constrained:
            _constraint_args(q, cardinality=name in ("max-sharpe", "min-variance", "min-variance-for-return",
                                                     "max-return-for-volatility", "min-cvar", "score-tradeoff"))
        else:
            refuse(q, {flag: f"{name} takes no constraints (its weights follow from the covariance alone)"
                       for flag in ("--lower", "--upper", "--leverage", "--max-assets")})
            refuse(q, {"--long-short": f"{name} takes no constraints (its weights follow from the covariance alone)"},
                   takes_value=False)
        if name == "min-variance-for-return":
            q.add_argument("--target-return", type=float, required=True, help="the expected return to reach (per period)")
        if name == "max-return-for-volatility":
            q.add_argument("--target-volatility", type=float, required=True, help="the volatility budget (per period)")
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

    p = sub.add_parser("frontier", help="the efficient frontier (and a plot)")
    market_args(p)
    p.add_argument("--points", type=int, default=50, help="number of evenly spaced points (default 50)")
    p.add_argument("--returns", metavar="START:STOP:N|R1,R2,...",
                   help="explicit target returns (per period, like mu): N evenly spaced from START to STOP, or a comma list; "
                        "each point has exactly that expected return")
    p.add_argument("--plot", help="write a PNG")
    p.set_defaults(func=cmd_frontier)

    p = sub.add_parser("backtest", help="walk-forward backtest of strategies on a price CSV")
    p.add_argument("prices", help="CSV of prices with a date column, or a bundled dataset (sp500, from qportfolio[data])")
    p.add_argument("--date-column")
    p.add_argument("--date-format", default="ISO8601", help="format of the dates (default ISO8601; strftime, e.g. %%d/%%m/%%Y)")
    p.add_argument("--strategy", action="append", required=True,
                   help="equal-weight, min-variance, max-sharpe, risk-parity, min-cvar or qubo:<solver> (repeatable)")
    p.add_argument("--rebalance", default="quarterly", choices=["weekly", "monthly", "quarterly", "annually"])
    p.add_argument("--window", type=int, default=252, help="estimation window in periods")
    p.add_argument("--risk-free", type=float, default=0.0)
    p.add_argument("--k", type=int, help="assets held by qubo:<solver> strategies (default 5)")
    p.add_argument("--step", type=float, help="weight grid of qubo:<solver> strategies (default 0.05)")
    p.add_argument("--option", "-o", action="append", metavar="KEY=VALUE", help="option of the qubo solver")
    p.add_argument("--plot", help="write the equity curves as a PNG")
    p.set_defaults(func=cmd_backtest)

    p = sub.add_parser("lp", help="solve a declarative LP/MILP/QP allocation model (JSON, either shape)")
    p.add_argument("model")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lp)
