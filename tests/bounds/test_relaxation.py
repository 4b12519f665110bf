import cvxpy as cp
import numpy as np
import pytest
from scipy.optimize import brentq

from qportfolio import solve, synthetic_problem
from qportfolio.bounds.relaxation import lagrangian_bound, project_box_budget, solve_relaxation


def test_projection_is_exact():
    rng = np.random.default_rng(0)
    for _ in range(500):
        n = int(rng.integers(2, 30))
        y = rng.normal(size=n) * rng.choice([1e-3, 1.0, 10.0])
        u = rng.uniform(0.05, 1.0, size=n)
        total = rng.uniform(0.01, u.sum())
        w = project_box_budget(y, u, total)
        def excess(t, y=y, u=u, total=total):
            return np.clip(y - t, 0, u).sum() - total

        theta = brentq(excess, (y - u).min() - 1, y.max() + 1, xtol=1e-15)
        assert np.allclose(w, np.clip(y - theta, 0, u), atol=1e-9 * max(1.0, np.abs(y).max()))


@pytest.mark.parametrize("seed", range(6))
def test_bound_below_relaxation_and_optimum(seed):
    p = synthetic_problem(10, seed=seed, cardinality=3, risk_aversion=[0.0, 0.2, 0.5, 0.8, 1.0, 0.95][seed])
    upper = p.unit_bounds[1] * p.weight_step
    w = cp.Variable(p.n)
    obj = p.risk_aversion * cp.quad_form(w, p.covariance) - (1 - p.risk_aversion) * p.expected_returns @ w
    relaxed = cp.Problem(cp.Minimize(obj), [w >= 0, w <= upper, cp.sum(w) == 1])
    relaxed.solve(solver=cp.CLARABEL)
    bound = lagrangian_bound(p, upper)
    assert bound.value <= relaxed.value + 1e-9
    assert bound.value >= relaxed.value - 1e-6 * max(1.0, abs(relaxed.value))  # and tight
    assert bound.value <= solve(p, "exact-discrete").objective
    assert abs(solve_relaxation(p, upper).sum() - 1) < 1e-9
