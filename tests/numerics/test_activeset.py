"""The active-set QP solver against cvxpy/Clarabel and the KKT conditions, on random instances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qportfolio.classic import Constraints, efficient_frontier, max_sharpe, min_variance
from qportfolio.classic.mean_variance import _convex
from qportfolio.numerics.activeset import budget_vertex, solve_qp


def _market(seed: int, n: int):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 3))
    cov = 0.02 * (f @ f.T / 3 + np.diag(rng.uniform(0.2, 1.0, n)))
    mu = rng.normal(0.01, 0.01, n)
    return mu, cov


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 25), cap=st.sampled_from([None, 0.3, 0.5, 1.0]))
def test_min_variance_matches_cvxpy_and_kkt(seed, n, cap):
    mu, cov = _market(seed, n)
    if cap is not None and cap * n < 1:
        cap = None
    c = Constraints(upper=cap)
    fast = min_variance(mu, cov, constraints=c)
    slow = _convex("min-variance", mu, cov, tuple(f"A{i}" for i in range(n)), c, 0.0)
    assert fast.solver == "active-set"
    assert fast.objective <= slow.objective * (1 + 1e-7) + 1e-15  # at least as good as the interior point
    assert fast.objective == pytest.approx(slow.objective, rel=1e-6)
    w = fast.weights
    assert w.sum() == pytest.approx(1.0, abs=1e-12) and w.min() >= 0 and (cap is None or w.max() <= cap + 1e-12)
    # KKT: 2 Sigma w = nu 1 + multipliers, multipliers >= 0 at 0, <= 0 at the cap, 0 in between
    g = 2 * cov @ w - fast.duals["budget"]
    free = (w > 1e-12) & (cap is None or (w < cap - 1e-12))
    assert np.allclose(g[free], 0, atol=1e-10) and np.all(g[w <= 1e-12] >= -1e-10)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 20))
def test_max_sharpe_and_frontier_match_cvxpy(seed, n):
    mu, cov = _market(seed, n)
    mu = np.abs(mu) + 1e-3
    fast = max_sharpe(mu, cov, risk_free=0.0)
    assert fast.solver == "active-set"
    bounded = max_sharpe(mu, cov, risk_free=0.0, constraints=Constraints(upper=1.0))  # upper bounds: the cvxpy path
    assert fast.objective == pytest.approx(bounded.objective, rel=1e-6) and fast.objective >= bounded.objective * (1 - 1e-9)
    f = efficient_frontier(mu, cov, points=6)
    for r, vol in zip(f.returns, f.volatilities):
        ref = _convex("min-variance-for-return", mu, cov, tuple(f"A{i}" for i in range(n)), Constraints(), 0.0,
                      target_return=float(r))
        assert vol ** 2 <= ref.objective * (1 + 1e-7) + 1e-15 and vol ** 2 == pytest.approx(ref.objective, rel=1e-6)


def test_budget_vertex_and_solver_edge_cases():
    assert budget_vertex(1.0, np.zeros(3), np.full(3, 0.4), np.array([2, 0, 1])).tolist() == pytest.approx([0.4, 0.2, 0.4])
    assert budget_vertex(1.0, np.zeros(2), np.full(2, 0.4), np.arange(2)) is None  # caps below the budget
    sol = solve_qp(np.eye(2) * 2, np.zeros(2), np.ones((1, 2)), np.ones(1), np.zeros(2), np.ones(2), np.array([1.0, 0.0]))
    assert sol.x == pytest.approx([0.5, 0.5]) and sol.equality_duals[0] == pytest.approx(1.0)
