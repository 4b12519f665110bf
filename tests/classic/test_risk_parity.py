"""Risk budgeting: the contributions equal the budgets; the contributions themselves by their definition."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.classic import risk_budgeting, risk_contributions


def test_risk_parity_contributions_are_equal(market):
    mu, cov = market
    r = risk_budgeting(mu, cov)
    np.testing.assert_allclose(r.risk_contributions, 1 / len(mu), atol=1e-6)
    budgets = np.arange(1, len(mu) + 1, dtype=float)
    rb = risk_budgeting(mu, cov, budgets=budgets)
    np.testing.assert_allclose(rb.risk_contributions, budgets / budgets.sum(), atol=1e-6)
    assert rb.weights.min() > 0 and abs(rb.weights.sum() - 1) < 1e-12


def test_risk_contributions_are_the_euler_decomposition_of_the_variance():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(5, 5))
    cov = a @ a.T + 0.1 * np.eye(5)
    w = rng.uniform(0.1, 1.0, 5)
    rc = risk_contributions(w, cov)
    assert rc.sum() == pytest.approx(1.0)
    # w_i d var / d w_i / (2 var), by finite differences
    var = w @ cov @ w
    eps = 1e-6
    fd = np.array([((w + eps * e) @ cov @ (w + eps * e) - var) / eps for e in np.eye(5)])
    np.testing.assert_allclose(rc, w * fd / (2 * var), rtol=1e-4)


def test_risk_parity_of_uncorrelated_assets_is_inverse_volatility():
    vols = np.array([0.1, 0.2, 0.4])
    r = risk_budgeting(None, np.diag(vols ** 2))
    np.testing.assert_allclose(r.weights, (1 / vols) / (1 / vols).sum(), atol=1e-10)
    assert r.strategy == "risk-parity" and r.expected_return is None
