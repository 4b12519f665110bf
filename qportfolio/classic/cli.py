"""The classical commands of ``qportfolio``: classic, frontier, backtest, lp (parsing and printing only)."""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np

from ..cli_args import add_problem_args, demo_spec_path, has_problem_source, parse_key_values, problem_from_args
from ..errors import ValidationError

STRATEGIES = ("equal-weight", "min-variance", "max-sharpe", "risk-parity", "min-variance-for-return",
              "max-return-for-volatility", "min-cvar")


def _constraint_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("constraints")
    g.add_argument("--long-short", action="store_true", help="allow short positions (default long-only)")
    g.add_argument("--lower", type=float, help="lower bound on every weight")
    g.add_argument("--upper", type=float, help="upper bound on every weight")
    g.add_argument("--leverage", type=float, help="gross leverage limit sum |w| (e.g. 1.6 for 130/30)")
    g.add_argument("--max-assets", type=int, help="hold at most this many assets (SCIP)")


def _constraints(args: argparse.Namespace):
    from .constraints import Constraints

    return Constraints(long_only=not args.long_short, lower=args.lower, upper=args.upper, gross_leverage=args.leverage,
                       cardinality=args.max_assets)


def _market(args: argparse.Namespace) -> tuple[np.ndarray, np.ndarray, tuple[str, ...], Any]:
    """(mu, cov, assets, scenarios) from --prices CSV, or from the problem sources of the core CLI."""
    if getattr(args, "prices", None):
        from .estimation import estimate, read_table, returns_from_prices

        prices = read_table(args.prices, args.date_column)
        rets = returns_from_prices(prices)
        est = estimate(rets, args.estimator, periods_per_year=1.0)
        return est.expected_returns, est.covariance, est.assets, rets.to_numpy()
    if not has_problem_source(args):
        args.spec = demo_spec_path()
    problem = problem_from_args(args)
    return problem.expected_returns, problem.covariance, problem.assets, None


def cmd_classic(args: argparse.Namespace) -> int:
    from . import portfolios as pf

    mu, cov, assets, scenarios = _market(args)
    c = _constraints(args)
    name = args.strategy
    if name == "equal-weight":
        result = pf.equal_weight(mu, cov, assets=assets)
    elif name == "min-variance":
        result = pf.min_variance(mu, cov, c, assets=assets)
    elif name == "max-sharpe":
        result = pf.max_sharpe(mu, cov, args.risk_free, c, assets=assets)
    elif name == "risk-parity":
        result = pf.risk_budgeting(mu, cov, assets=assets)
    elif name == "min-variance-for-return":
        if args.target_return is None:
            raise ValidationError("min-variance-for-return needs --target-return")
        result = pf.min_variance_for_return(mu, cov, args.target_return, c, assets=assets)
    elif name == "max-return-for-volatility":
        if args.target_volatility is None:
            raise ValidationError("max-return-for-volatility needs --target-volatility")
        result = pf.max_return_for_volatility(mu, cov, args.target_volatility, c, assets=assets)
    else:
        if scenarios is None:
            raise ValidationError("min-cvar needs return scenarios: pass --prices PRICES.csv")
        result = pf.min_cvar(scenarios, args.alpha, c, assets=assets)
    print(json.dumps(result.to_dict(), indent=2, default=float) if args.json else result)
    return 0


def cmd_frontier(args: argparse.Namespace) -> int:
    from .frontier import efficient_frontier, plot_frontier

    mu, cov, assets, _ = _market(args)
    f = efficient_frontier(mu, cov, _constraints(args), points=args.points, risk_free=args.risk_free, assets=assets)
    if args.json:
        print(f.to_frame().to_json(orient="records"))
    else:
        print(f"{'#':>3}{'return':>12}{'volatility':>12}{'sharpe':>9}{'d var/d ret':>13}")
        sharpe = f.sharpe()
        for i, (r, v) in enumerate(zip(f.returns, f.volatilities)):
            mark = " <- tangency" if i == f.tangency else ""
            print(f"{i:>3}{r:>12.6g}{v:>12.6g}{sharpe[i]:>9.3f}{f.target_duals[i]:>13.4g}{mark}")
        print(f"\n{len(f.returns)} points in {f.wall_time:.2f} s")
    if args.plot:
        plot_frontier(f, args.plot)
        print(f"plot written to {args.plot}")
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    from .backtest import backtest, compare, plot_equity
    from .estimation import periods_per_year, read_table, returns_from_prices

    prices = read_table(args.prices, args.date_column)
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
    from .lp import load_model, solve_model

    result = solve_model(load_model(args.model))
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(f"status      {result.status}")
        if result.objective is not None:
            print(f"objective   {result.objective:.10g}")
            print("values")
            for k, v in result.values.items():
                print(f"  {k:<20}{v:>14.8g}")
            print("shadow prices (d objective / d rhs)")
            for k, v in result.duals.items():
                print(f"  {k:<20}{v:>14.6g}")
        if result.message:
            print(result.message)
    return 0 if result.status.has_solution else 1


def add_commands(sub: Any) -> None:
    """Add the classical commands to the ``qportfolio`` subcommand parser ``sub``."""
    def market_args(p: argparse.ArgumentParser) -> None:
        add_problem_args(p)
        p.add_argument("--prices", help="CSV of prices with a date column (estimates mu and the covariance)")
        p.add_argument("--date-column", help="name of the date column (default: the first)")
        p.add_argument("--estimator", choices=["sample", "ledoit-wolf"], default="ledoit-wolf")
        p.add_argument("--risk-free", type=float, default=0.0, help="risk-free rate per period")
        p.add_argument("--json", action="store_true")
        _constraint_args(p)

    p = sub.add_parser("classic", help="a classical portfolio (min variance, max Sharpe, risk parity, CVaR ...)")
    p.add_argument("strategy", choices=STRATEGIES)
    market_args(p)
    p.add_argument("--target-return", type=float)
    p.add_argument("--target-volatility", type=float)
    p.add_argument("--alpha", type=float, default=0.95, help="CVaR confidence level")
    p.set_defaults(func=cmd_classic)

    p = sub.add_parser("frontier", help="the efficient frontier (and a plot)")
    market_args(p)
    p.add_argument("--points", type=int, default=50)
    p.add_argument("--plot", help="write a PNG")
    p.set_defaults(func=cmd_frontier)

    p = sub.add_parser("backtest", help="walk-forward backtest of strategies on a price CSV")
    p.add_argument("prices", help="CSV of prices with a date column")
    p.add_argument("--date-column")
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

    p = sub.add_parser("lp", help="solve a declarative linear/quadratic allocation model (JSON)")
    p.add_argument("model")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lp)
