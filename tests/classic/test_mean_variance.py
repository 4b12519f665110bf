"""Mean-variance portfolios against independent oracles: closed forms, KKT conditions, brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qportfolio.classic import (
    SHORTS_ALLOWED,
    Constraints,
    efficient_frontier,
    equal_weight,
    max_return_for_volatility,
    max_sharpe,
    min_variance,
    min_variance_for_return,
)
from qportfolio.data import synthetic_problem
from qportfolio.errors import ValidationError


def test_min_variance_with_shorts_is_the_closed_form_and_the_qp_agrees(market):
    mu, cov = market
    closed = min_variance(mu, cov, constraints=SHORTS_ALLOWED)
    x = np.linalg.solve(cov, np.ones(len(mu)))
    np.testing.assert_allclose(closed.weights, x / x.sum(), atol=1e-12)
    qp_path = min_variance(mu, cov, constraints=Constraints(long_only=False, gross_leverage=100.0))  # inactive: forces the QP
    np.testing.assert_allclose(qp_path.weights, closed.weights, atol=1e-6)


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
    r = min_variance_for_return(mu, cov, target_return=target)
    eps = 1e-5
    bumped = min_variance_for_return(mu, cov, target_return=target + eps)
    slope = (bumped.objective - r.objective) / eps
    assert r.duals["target_return"] == pytest.approx(slope, rel=2e-2)
    assert r.expected_return == pytest.approx(target, abs=1e-8)


def test_max_return_for_volatility_meets_the_variance_budget(market):
    mu, cov = market
    sigma = 1.2 * min_variance(mu, cov).volatility
    r = max_return_for_volatility(mu, cov, target_volatility=sigma)
    assert r.volatility <= sigma * (1 + 1e-6)
    # no frontier point with that volatility has a higher return
    f = efficient_frontier(mu, cov, points=60)
    assert r.expected_return >= f.returns[f.volatilities <= sigma].max() - 1e-7


def test_cardinality_min_variance_equals_brute_force_over_supports():
    p = synthetic_problem(7, seed=5)
    mu, cov = p.expected_returns, p.covariance
    k = 2
    r = min_variance(mu, cov, constraints=Constraints(cardinality=k))
    best = np.inf
    for support in itertools.combinations(range(7), k):
        s = list(support)
        sub = min_variance(mu[s], cov[np.ix_(s, s)]).objective
        best = min(best, sub)
    assert r.objective == pytest.approx(best, rel=1e-5)
    assert (r.weights > 1e-6).sum() <= k


def test_long_short_130_30_and_turnover_with_tiered_costs():
    p = synthetic_problem(8, seed=3)
    mu, cov = p.expected_returns, p.covariance
    ls = max_sharpe(mu, cov, risk_free=0.0, constraints=Constraints(long_only=False, gross_leverage=1.6, lower=-0.3, upper=0.6))
    assert np.abs(ls.weights).sum() <= 1.6 + 1e-6 and ls.weights.min() >= -0.3 - 1e-7
    current = np.full(8, 1 / 8)
    tiers = ((0.05, 0.001), (0.2, 0.004), (1.0, 0.02))
    t = min_variance_for_return(mu, cov, target_return=float(mu.mean()),
                                constraints=Constraints(current=current, turnover=0.4, costs=tiers))
    assert np.abs(t.weights - current).sum() <= 0.4 + 1e-6
    with pytest.raises(ValidationError, match="increasing sizes"):
        min_variance(mu, cov, constraints=Constraints(current=current, costs=((0.2, 0.01), (0.1, 0.02))))


def test_dollar_neutral_signal_portfolio_with_a_variance_budget():
    p = synthetic_problem(10, seed=6)
    signal = np.random.default_rng(0).normal(size=10)
    c = Constraints(budget=0.0, long_only=False, gross_leverage=2.0)
    r = max_return_for_volatility(signal, p.covariance, target_volatility=0.02, constraints=c)
    assert abs(r.weights.sum()) < 1e-7 and r.volatility <= 0.02 * (1 + 1e-6)
    assert r.expected_return > 0  # exposure to the signal


def test_equal_weight_is_one_over_n_with_its_figures(market):
    mu, cov = market
    r = equal_weight(mu, cov)
    w = np.full(len(mu), 1 / len(mu))
    np.testing.assert_allclose(r.weights, w)
    assert r.expected_return == pytest.approx(mu.mean()) and r.volatility == pytest.approx(np.sqrt(w @ cov @ w))
    assert r.objective is None and r.solver == "closed form"


def test_min_variance_with_shorts_at_a_target_return_is_the_two_fund_closed_form(market):
    """1'w = 1, mu'w = r, shorts allowed: w = S^-1 A' (A S^-1 A')^-1 (1, r), whatever path solves it."""
    mu, cov = market
    target = float(np.median(mu))
    inv = np.linalg.inv(cov)
    a = np.array([np.ones(len(mu)), mu])
    closed = inv @ a.T @ np.linalg.solve(a @ inv @ a.T, np.array([1.0, target]))
    r = min_variance_for_return(mu, cov, target_return=target, constraints=Constraints(long_only=False, gross_leverage=50.0))
    np.testing.assert_allclose(r.weights, closed, atol=1e-6)
    assert r.objective == pytest.approx(closed @ cov @ closed, rel=1e-6)
