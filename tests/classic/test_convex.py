"""The cvxpy helpers: shadow prices are finite-difference slopes, infeasibility names its conflict."""

from __future__ import annotations

import cvxpy as cp
import numpy as np
import pytest

from qportfolio.classic.convex import solve_named
from qportfolio.errors import InfeasibleProblemError, ValidationError


def _min_variance(cov: np.ndarray, budget: float):
    w = cp.Variable(cov.shape[0])
    named = [("budget", cp.sum(w) == budget), ("long_only", w >= 0)]
    return solve_named(cp.Minimize(cp.quad_form(w, cov)), named, what="test portfolio")


def test_equality_dual_is_the_slope_of_the_optimum():
    cov = np.diag([0.04, 0.09, 0.16])
    problem, solver, duals = _min_variance(cov, 1.0)
    # closed form: var*(b) = b^2 / sum(1 / sigma_i^2), so d var* / d b = 2 b / sum(1 / sigma_i^2)
    assert solver == "CLARABEL" and problem.value == pytest.approx(1 / np.sum(1 / np.diag(cov)), rel=1e-8)
    assert duals["budget"] == pytest.approx(2 / np.sum(1 / np.diag(cov)), rel=1e-6)
    assert "long_only" not in duals  # a vector constraint has no scalar price


def test_infeasible_and_unbounded_problems_are_explained():
    w = cp.Variable(2)
    with pytest.raises(InfeasibleProblemError, match=r"floor.*cap|cap.*floor"):
        solve_named(cp.Minimize(cp.sum(w)), [("floor", cp.sum(w) >= 2), ("cap", cp.sum(w) <= 1)], what="test")
    with pytest.raises(ValidationError, match="unbounded"):
        solve_named(cp.Minimize(cp.sum(w)), [("cap", cp.sum(w) <= 1)], what="test")
