"""Classical portfolios against independent oracles: closed forms, KKT conditions, brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qportfolio.classic import (
    SHORTS_ALLOWED,
    Constraints,
    Group,
    conflicting_subset,
    cvar,
    efficient_frontier,
    max_return_for_volatility,
    max_sharpe,
    min_cvar,
    min_variance,
    min_variance_for_return,
    risk_budgeting,
    score_tradeoff,
)
from qportfolio.data import synthetic_problem
from qportfolio.errors import InfeasibleProblemError, ValidationError


@pytest.fixture(params=[1, 2, 3])
def market(request):
    p = synthetic_problem(10, seed=request.param)
    return p.expected_returns, p.covariance


def test_min_variance_with_shorts_is_the_closed_form_and_the_qp_agrees(market):
    mu, cov = market
    closed = min_variance(mu, cov, SHORTS_ALLOWED)
    x = np.linalg.solve(cov, np.ones(len(mu)))
    np.testing.assert_allclose(closed.weights, x / x.sum(), atol=1e-12)
    qp_path = min_variance(mu, cov, Constraints(long_only=False, gross_leverage=100.0))  # inactive: forces the QP
    np.testing.assert_allclose(qp_path.weights, closed.weights, atol=1e-6)


def test_tangency_with_shorts_is_the_closed_form(market):
    mu, cov = market
    rf = 0.001
    x = np.linalg.solve(cov, mu - rf)
    closed = max_sharpe(mu, cov, rf, SHORTS_ALLOWED)
    np.testing.assert_allclose(closed.weights, x / x.sum(), atol=1e-12)
    homog = max_sharpe(mu, cov, rf, Constraints(long_only=False, gross_leverage=1000.0))  # same optimum via the convex transform
    np.testing.assert_allclose(homog.weights, closed.weights, atol=1e-5)


def test_long_only_min_variance_satisfies_kkt(market):
    mu, cov = market
    r = min_variance(mu, cov)
    w = r.weights
    grad = 2 * cov @ w
    nu = r.duals["budget"]
    # stationarity: grad = nu 1 + lambda, lambda >= 0 on the zero weights, = 0 on held ones
    held = w > 1e-6
    assert np.allclose(grad[held], nu, rtol=1e-5, atol=1e-10)
    assert np.all(grad[~held] >= nu * (1 - 1e-5))
    assert w.min() > -1e-8 and abs(w.sum() - 1) < 1e-8


def test_target_return_dual_is_the_marginal_variance_of_return(market):
    mu, cov = market
    base = min_variance(mu, cov)
    target = base.expected_return + 0.3 * (mu.max() - base.expected_return)
    r = min_variance_for_return(mu, cov, target)
    eps = 1e-5
    bumped = min_variance_for_return(mu, cov, target + eps)
    slope = (bumped.objective - r.objective) / eps
    assert r.duals["target_return"] == pytest.approx(slope, rel=2e-2)
    assert r.expected_return == pytest.approx(target, abs=1e-8)


def test_max_return_for_volatility_meets_the_variance_budget(market):
    mu, cov = market
    sigma = 1.2 * min_variance(mu, cov).volatility
    r = max_return_for_volatility(mu, cov, sigma)
    assert r.volatility <= sigma * (1 + 1e-6)
    # no frontier point with that volatility has a higher return
    f = efficient_frontier(mu, cov, points=60)
    assert r.expected_return >= f.returns[f.volatilities <= sigma].max() - 1e-7


def test_risk_parity_contributions_are_equal(market):
    mu, cov = market
    r = risk_budgeting(mu, cov)
    np.testing.assert_allclose(r.risk_contributions, 1 / len(mu), atol=1e-6)
    budgets = np.arange(1, len(mu) + 1, dtype=float)
    rb = risk_budgeting(mu, cov, budgets)
    np.testing.assert_allclose(rb.risk_contributions, budgets / budgets.sum(), atol=1e-6)
    assert rb.weights.min() > 0 and abs(rb.weights.sum() - 1) < 1e-12


def test_min_cvar_matches_brute_force_scenario_sorting():
    rng = np.random.default_rng(4)
    scenarios = rng.normal(0.004, 0.03, size=(200, 3)) + rng.normal(0, 0.02, size=(200, 1))
    alpha = 0.9
    r = min_cvar(scenarios, alpha)
    assert r.objective == pytest.approx(cvar(r.weights, scenarios, alpha), abs=1e-8)
    # brute force over a fine simplex grid: nothing beats the LP
    grid = [np.array(w) / 50 for w in itertools.product(range(51), repeat=3) if sum(w) == 50]
    best = min(cvar(w, scenarios, alpha) for w in grid)
    assert r.objective <= best + 1e-9
    assert r.objective >= best - 0.02 * abs(best)


def test_frontier_is_monotone_and_non_dominated(market):
    mu, cov = market
    f = efficient_frontier(mu, cov, points=50, risk_free=0.0)
    assert len(f.returns) == 50
    assert np.all(np.diff(f.returns) > -1e-10) and np.all(np.diff(f.volatilities) > -1e-9)
    for i in range(len(f.returns)):  # no point has both lower risk and higher return than another
        dominated = (f.volatilities < f.volatilities[i] - 1e-8) & (f.returns > f.returns[i] + 1e-8)
        assert not dominated.any()
    ms = max_sharpe(mu, cov, 0.0)
    assert ms.sharpe(0.0) >= f.sharpe().max() - 1e-6  # the tangency beats every sampled frontier point
    assert ms.sharpe(0.0) == pytest.approx(f.sharpe().max(), rel=1e-2)


def test_cardinality_min_variance_equals_brute_force_over_supports():
    p = synthetic_problem(7, seed=5)
    mu, cov = p.expected_returns, p.covariance
    k = 2
    r = min_variance(mu, cov, Constraints(cardinality=k))
    best = np.inf
    for support in itertools.combinations(range(7), k):
        s = list(support)
        sub = min_variance(mu[s], cov[np.ix_(s, s)]).objective
        best = min(best, sub)
    assert r.objective == pytest.approx(best, rel=1e-5)
    assert (r.weights > 1e-6).sum() <= k


def test_group_sector_and_box_constraints_hold():
    p = synthetic_problem(8, seed=2)
    assets = p.assets
    c = Constraints(upper=0.3, groups=(Group("tech", assets[:3], cap=0.2), Group("liquid", assets[3:6], floor=0.5)))
    r = min_variance(p.expected_returns, p.covariance, c, assets=assets)
    w = r.weights
    assert w.max() <= 0.3 + 1e-7 and w[:3].sum() <= 0.2 + 1e-7 and w[3:6].sum() >= 0.5 - 1e-7
    assert set(r.duals) >= {"budget", "group_cap:tech", "group_floor:liquid"}


def test_long_short_130_30_and_turnover_with_tiered_costs():
    p = synthetic_problem(8, seed=3)
    mu, cov = p.expected_returns, p.covariance
    ls = max_sharpe(mu, cov, 0.0, Constraints(long_only=False, gross_leverage=1.6, lower=-0.3, upper=0.6))
    assert np.abs(ls.weights).sum() <= 1.6 + 1e-6 and ls.weights.min() >= -0.3 - 1e-7
    current = np.full(8, 1 / 8)
    tiers = ((0.05, 0.001), (0.2, 0.004), (1.0, 0.02))
    t = min_variance_for_return(mu, cov, float(mu.mean()), Constraints(current=current, turnover=0.4, costs=tiers))
    assert np.abs(t.weights - current).sum() <= 0.4 + 1e-6
    with pytest.raises(ValidationError, match="increasing sizes"):
        min_variance(mu, cov, Constraints(current=current, costs=((0.2, 0.01), (0.1, 0.02))))


def test_dollar_neutral_signal_portfolio_with_a_variance_budget():
    p = synthetic_problem(10, seed=6)
    signal = np.random.default_rng(0).normal(size=10)
    c = Constraints(budget=0.0, long_only=False, gross_leverage=2.0)
    r = max_return_for_volatility(signal, p.covariance, 0.02, c)
    assert abs(r.weights.sum()) < 1e-7 and r.volatility <= 0.02 * (1 + 1e-6)
    assert r.expected_return > 0  # exposure to the signal


def test_score_tradeoff_moves_towards_the_score(market):
    mu, cov = market
    score = np.linspace(0, 1, len(mu))
    low = score_tradeoff(None, cov, score, 0.0)
    high = score_tradeoff(None, cov, score, 0.01)
    assert high.weights @ score > low.weights @ score


def test_diagnostics_name_the_conflicting_constraints():
    p = synthetic_problem(6, seed=1)
    a = p.assets
    c = Constraints(upper=0.3, groups=(Group("liquid", a[:2], floor=0.7),))
    with pytest.raises(InfeasibleProblemError) as err:
        min_variance(p.expected_returns, p.covariance, c, assets=a)
    message = str(err.value)
    for name in (f"upper:{a[0]}", f"upper:{a[1]}", "group_floor:liquid"):
        assert name in message
    assert "budget" not in message and f"upper:{a[3]}" not in message
    assert "miss by 0.1" in message
    # a target return above every asset's return conflicts with the budget and long-only bounds
    with pytest.raises(InfeasibleProblemError, match="target_return"):
        min_variance_for_return(p.expected_returns, p.covariance, p.expected_returns.max() * 2)


def test_conflicting_subset_is_irreducible():
    import cvxpy as cp

    w = cp.Variable(3)
    named = [("budget", cp.sum(w) == 1), ("cap_all", w <= 0.2), ("floor0", w[0] >= 0.0), ("loose", w[1] <= 5)]
    subset = conflicting_subset(named)
    names = [n for n, _ in subset]
    assert names == ["budget", "cap_all"]


def test_bad_inputs_name_the_field():
    cov = np.eye(3)
    with pytest.raises(ValidationError, match="expected_returns"):
        min_variance([0.1, np.nan, 0.2], cov)
    with pytest.raises(ValidationError, match="covariance"):
        min_variance(None, np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(ValidationError, match="budgets"):
        risk_budgeting(None, cov, [1, -1, 1])
    with pytest.raises(ValidationError, match="turnover needs current"):
        Constraints(turnover=0.1)
    with pytest.raises(ValidationError, match="alpha"):
        min_cvar(np.zeros((10, 3)), alpha=1.5)


# --- estimation, backtests, declarative models, the command line --------------------------------

from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "qportfolio" / "examples"


def test_estimation_from_prices_and_annualisation():
    from qportfolio.classic.estimation import estimate, periods_per_year, read_table, returns_from_prices

    prices = read_table(EXAMPLES / "prices.csv")
    rets = returns_from_prices(prices)
    assert periods_per_year(rets.index) == 252
    daily = estimate(rets, "sample")
    annual = estimate(rets, "sample", periods_per_year=252)
    np.testing.assert_allclose(annual.covariance, 252 * daily.covariance)
    np.testing.assert_allclose(daily.covariance, rets.cov().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(daily.expected_returns, rets.mean().to_numpy(), rtol=1e-12)
    lw = estimate(rets, "ledoit-wolf")
    assert 0 < lw.shrinkage < 1
    log = returns_from_prices(prices, "log")
    np.testing.assert_allclose(np.exp(log.to_numpy()) - 1, rets.to_numpy(), atol=1e-12)
    with pytest.raises(ValidationError, match="positive"):
        returns_from_prices(prices * 0)


def test_backtest_matches_a_hand_computed_buy_and_hold():
    from qportfolio.classic.backtest import backtest

    dates = pd.bdate_range("2024-01-01", periods=40)
    rng = np.random.default_rng(2)
    rets = pd.DataFrame(rng.normal(0.001, 0.01, size=(40, 3)), index=dates, columns=["a", "b", "c"])
    fixed = np.array([0.5, 0.3, 0.2])
    result = backtest(rets, lambda est, window: fixed, window=10, rebalance="annually", name="fixed")
    # rebalanced once (at the start): a buy-and-hold of the initial weights
    growth = (fixed * np.prod(1 + rets.iloc[10:].to_numpy(), axis=0)).sum()
    assert result.equity.iloc[-1] == pytest.approx(growth, rel=1e-12)
    assert len(result.weights) == 1 and result.stats["mean_turnover"] == 0.0
    dd = result.equity / result.equity.cummax() - 1
    assert result.stats["max_drawdown"] == pytest.approx(dd.min())


def test_backtest_of_builtin_strategies_including_a_qubo_solver():
    from qportfolio.classic.backtest import backtest, compare
    from qportfolio.classic.estimation import read_table, returns_from_prices

    rets = returns_from_prices(read_table(EXAMPLES / "prices.csv"))
    results = [backtest(rets, s, window=126, rebalance="quarterly") for s in ("equal-weight", "min-variance", "risk-parity")]
    results.append(backtest(rets, "qubo:exact-discrete", window=126, rebalance="quarterly", cardinality=3, weight_step=0.25))
    table = compare(results)
    assert list(table.index) == ["equal-weight", "min-variance", "risk-parity", "qubo:exact-discrete"]
    assert (table["max_drawdown"] <= 0).all() and (table["annual_volatility"] > 0).all()
    qubo_weights = results[-1].weights
    assert ((qubo_weights > 1e-9).sum(axis=1) == 3).all()  # K = 3 at every rebalance
    assert table.loc["min-variance", "annual_volatility"] < table.loc["equal-weight", "annual_volatility"]


def test_declarative_model_values_duals_and_conflicts():
    import copy

    from qportfolio.classic.lp import load_model, solve_model

    model = load_model(EXAMPLES / "allocation.json")
    r = solve_model(model)
    assert r.status == "optimal" and sum(r.values.values()) == pytest.approx(1.0, abs=1e-8)
    eps = 1e-4
    bumped = copy.deepcopy(model)
    bumped["constraints"][0]["rhs"] += eps
    assert r.duals["budget"] == pytest.approx((solve_model(bumped).objective - r.objective) / eps, rel=1e-3)
    bad = copy.deepcopy(model)
    bad["constraints"][1]["rhs"] = 1.2
    out = solve_model(bad)
    assert out.status == "infeasible" and "safe_floor" in out.message and "budget" in out.message
    with pytest.raises(ValidationError, match="not concave"):
        solve_model({**model, "objective": {**model["objective"], "quadratic": [["stocks", "stocks", 1.0]]}})
    with pytest.raises(ValidationError, match="unknown variable 'gold'"):
        solve_model({**model, "constraints": [{"name": "g", "terms": {"gold": 1}, "sense": "<=", "rhs": 1}]})


@pytest.mark.parametrize("argv", [
    ["classic", "min-variance"],
    ["classic", "max-sharpe", "--synthetic", "12", "--instance-seed", "1", "--upper", "0.3"],
    ["classic", "risk-parity", "--prices", str(EXAMPLES / "prices.csv")],
    ["classic", "min-cvar", "--prices", str(EXAMPLES / "prices.csv"), "--json"],
    ["frontier", "--synthetic", "10", "--instance-seed", "2", "--points", "20"],
    ["backtest", str(EXAMPLES / "prices.csv"), "--strategy", "equal-weight", "--strategy", "risk-parity", "--window", "126"],
    ["lp", str(EXAMPLES / "allocation.json")],
])
def test_classical_commands(argv, capsys):
    from qportfolio.cli import main

    assert main(argv) == 0
    assert capsys.readouterr().out.strip()


def test_frontier_command_on_orlib_writes_a_plot(tmp_path, capsys):
    from qportfolio.cli import main

    from .conftest import orlib_available

    if not orlib_available():
        pytest.skip("OR-Library data folder not found")
    plot = tmp_path / "f.png"
    assert main(["frontier", "--orlib", "port1", "--points", "30", "--risk-free", "0", "--plot", str(plot)]) == 0
    assert plot.stat().st_size > 10_000 and "tangency" in capsys.readouterr().out
