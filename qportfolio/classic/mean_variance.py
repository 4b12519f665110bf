"""Mean-variance portfolios: equal weight (the benchmark), global minimum variance (closed form when
only the budget applies, else the active-set solver or a QP), minimum variance at a target return,
and maximum return within a volatility budget, under any :class:`Constraints`.

Small problems with only a budget and per-asset bounds go to the dense active-set solver
(:mod:`qportfolio.numerics.activeset`); everything else to cvxpy (Clarabel, or SCIP with a
cardinality limit). Shadow prices are reported by constraint name.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ValidationError
from ..status import Status
from .constraints import LONG_ONLY, Constraints, box_bounds, build
from .convex import solve_named
from .inputs import check_constraints, read_inputs, require_returns
from .result import PortfolioResult, make_result


def equal_weight(expected_returns: Any, covariance: Any, *, assets: Sequence[str] | None = None) -> PortfolioResult:
    """1/n in every asset (the benchmark every strategy should beat; optimises nothing)."""
    start = time.perf_counter()
    mu, cov, names = read_inputs(expected_returns, covariance, assets)
    w = np.full(len(names), 1.0 / len(names))
    return make_result("equal-weight", names, w, mu, cov, None, Status.OPTIMAL, {}, "closed form", start)


def min_variance(expected_returns: Any, covariance: Any, *, constraints: Constraints = LONG_ONLY,
                 assets: Sequence[str] | None = None) -> PortfolioResult:
    """Global minimum variance: w = Sigma^-1 1 / 1' Sigma^-1 1 when only the budget applies, else a QP.
    ``expected_returns`` may be None (it only fills ``expected_return`` of the answer)."""
    check_constraints(constraints)
    start = time.perf_counter()
    mu, cov, names = read_inputs(expected_returns, covariance, assets)
    if constraints.budget_only and constraints.budget:
        try:
            x = np.linalg.solve(cov, np.ones(len(names)))
        except np.linalg.LinAlgError:
            raise ValidationError("covariance is singular: the closed-form minimum variance needs it invertible; "
                                  "add bounds (a QP) or shrink the covariance (ledoit_wolf)") from None
        w = constraints.budget * x / x.sum()
        var = float(w @ cov @ w)
        # the budget's multiplier of min w'Sigma w: d var*/d budget = 2 budget / 1'Sigma^-1 1
        return make_result("min-variance", names, w, mu, cov, var, Status.OPTIMAL, {"budget": 2.0 * constraints.budget / x.sum()},
                           "closed form", start)
    fast = _active_set_result("min-variance", names, mu, cov, constraints, start)
    return fast if fast is not None else _convex("min-variance", mu, cov, names, constraints, start)


def min_variance_for_return(expected_returns: Any, covariance: Any, *, target_return: float,
                            constraints: Constraints = LONG_ONLY, assets: Sequence[str] | None = None) -> PortfolioResult:
    """Minimum variance subject to mu'w >= target (the target's dual: marginal variance per unit of return)."""
    check_constraints(constraints)
    start = time.perf_counter()
    mu, cov, names = require_returns(*read_inputs(expected_returns, covariance, assets), "min_variance_for_return")
    return _convex("min-variance-for-return", mu, cov, names, constraints, start, target_return=target_return)


def max_return_for_volatility(expected_returns: Any, covariance: Any, *, target_volatility: float,
                              constraints: Constraints = LONG_ONLY, assets: Sequence[str] | None = None) -> PortfolioResult:
    """Maximum expected return subject to w'Sigma w <= target_volatility^2 (a variance budget)."""
    check_constraints(constraints)
    start = time.perf_counter()
    mu, cov, names = require_returns(*read_inputs(expected_returns, covariance, assets), "max_return_for_volatility")
    if target_volatility <= 0:
        raise ValidationError(f"target_volatility must be positive, got {target_volatility}")
    return _convex("max-return-for-volatility", mu, cov, names, constraints, start, variance_budget=target_volatility ** 2)


def _active_set_result(strategy: str, names: tuple[str, ...], mu: np.ndarray | None, cov: np.ndarray, constraints: Constraints,
                       start: float, *, target_return: float | None = None) -> PortfolioResult | None:
    """Minimum variance (optionally at mu'w = target) by the active-set solver; None when it does not apply."""
    from ..numerics.activeset import ActiveSetFailure, budget_vertex, solve_qp

    n = len(names)
    box = box_bounds(constraints, n)
    if box is None:
        return None
    lower, upper = box
    rows = [np.ones(n)] + ([mu] if target_return is not None else [])
    rhs = [constraints.budget] + ([target_return] if target_return is not None else [])
    x0 = budget_vertex(constraints.budget, lower, upper, np.argsort(np.diag(cov))) if target_return is None else None
    try:
        sol = solve_qp(2.0 * cov, np.zeros(n), np.array(rows), np.array(rhs, dtype=float), lower, upper, x0)
    except ActiveSetFailure:
        return None
    duals = {"budget": float(sol.equality_duals[0])}
    if target_return is not None:
        duals["target_return"] = max(float(sol.equality_duals[1]), 0.0) if constraints.long_only else float(sol.equality_duals[1])
    for i, a in enumerate(names):
        if np.isfinite(lower[i]):
            duals[f"lower:{a}"] = max(float(sol.bound_duals[i]), 0.0)
        if np.isfinite(upper[i]):
            duals[f"upper:{a}"] = max(-float(sol.bound_duals[i]), 0.0)
    w = sol.x
    return make_result(strategy, names, w, mu, cov, float(w @ cov @ w), Status.OPTIMAL, duals, "active-set", start,
                       {"iterations": sol.iterations})


def _convex(strategy: str, mu: np.ndarray | None, cov: np.ndarray, names: tuple[str, ...], constraints: Constraints, start: float,
            *, target_return: float | None = None, variance_budget: float | None = None, score: np.ndarray | None = None,
            tradeoff: float = 0.0) -> PortfolioResult:
    """A mean-variance QP through cvxpy: min risk (+ costs), with a return target, a variance budget (then
    max return) or a score trade-off (min risk - tradeoff * score'w)."""
    import cvxpy as cp

    n = len(names)
    w = cp.Variable(n)
    named, cost, _ = build(w, names, constraints)
    risk = cp.quad_form(w, cp.psd_wrap(cov))
    if target_return is not None:
        named.append(("target_return", mu @ w >= target_return))
    if variance_budget is not None:
        named.append(("variance_budget", risk <= variance_budget))
        objective = cp.Maximize(mu @ w - cost)
    elif score is not None:
        objective = cp.Minimize(risk - tradeoff * (score @ w) + cost)
    else:
        objective = cp.Minimize(risk + cost)
    problem, solver, duals = solve_named(objective, named, what=f"{strategy} portfolio")
    value = float(problem.value)
    return make_result(strategy, names, w.value, mu, cov, value, problem.status, duals, solver, start)
