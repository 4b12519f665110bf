"""Maximum Sharpe ratio against the closed-form tangency portfolio and a search over the frontier."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.classic import SHORTS_ALLOWED, Constraints, efficient_frontier, max_sharpe
from qportfolio.errors import ValidationError


def test_tangency_with_shorts_is_the_closed_form(market):
    mu, cov = market
    rf = 0.001
    x = np.linalg.solve(cov, mu - rf)
    closed = max_sharpe(mu, cov, risk_free=rf, constraints=SHORTS_ALLOWED)
    np.testing.assert_allclose(closed.weights, x / x.sum(), atol=1e-12)
    # the same optimum via the convex transform
    homog = max_sharpe(mu, cov, risk_free=rf, constraints=Constraints(long_only=False, gross_leverage=1000.0))
    np.testing.assert_allclose(homog.weights, closed.weights, atol=1e-5)


def test_long_only_tangency_beats_every_frontier_point(market):
    """The long-only tangency (active-set path) has the highest Sharpe ratio of any frontier portfolio."""
    mu, cov = market
    rf = 0.0005
    r = max_sharpe(mu, cov, risk_free=rf)
    assert r.solver == "active-set" and abs(r.weights.sum() - 1) < 1e-10 and r.weights.min() >= -1e-12
    f = efficient_frontier(mu, cov, points=200)
    best = np.max((f.returns - rf) / f.volatilities)
    assert r.sharpe(rf) >= best - 1e-9 and r.sharpe(rf) == pytest.approx(best, rel=1e-3)
    assert r.objective == pytest.approx(r.sharpe(rf))


def test_bounded_tangency_by_cvxpy_agrees_with_a_grid_over_the_frontier(market):
    mu, cov = market
    c = Constraints(upper=0.3)
    r = max_sharpe(mu, cov, constraints=c)
    assert r.weights.max() <= 0.3 + 1e-7
    f = efficient_frontier(mu, cov, constraints=c, points=200)
    assert r.sharpe(0.0) >= np.max(f.returns / f.volatilities) - 1e-7


def test_max_sharpe_refuses_when_no_asset_beats_the_risk_free_rate(market):
    mu, cov = market
    with pytest.raises(ValidationError, match="risk-free rate"):
        max_sharpe(mu, cov, risk_free=float(mu.max()) + 1.0)
