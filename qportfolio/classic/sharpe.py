"""Maximum Sharpe ratio (the tangency portfolio) under any :class:`Constraints`.

With shorts and only a budget it is the closed form w ~ Sigma^-1 (mu - rf); long-only without upper
bounds, the active-set solver on the homogenised problem; otherwise cvxpy on the homogenised convex
form (Cornuejols & Tutuncu): min y'Sigma y s.t. (mu - rf)'y = 1 and the constraints scaled by
kappa >= 0, then w = y / kappa. A cardinality limit adds selection binaries (a MIQP for SCIP) with
a big-M bound derived from a feasible K-asset portfolio, so the answer is exact.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..errors import InfeasibleProblemError, ValidationError
from ..status import Status
from .constraints import LONG_ONLY, Constraints, _vector, box_bounds, build
from .convex import solve_named
from .inputs import check_constraints, read_inputs, require_returns
from .result import PortfolioResult, make_result


def max_sharpe(expected_returns: Any, covariance: Any, *, risk_free: float = 0.0, constraints: Constraints = LONG_ONLY,
               assets: Sequence[str] | None = None) -> PortfolioResult:
    """Maximum Sharpe ratio via the homogenised convex form: min y'Sigma y s.t. (mu - rf)'y = 1 and
    the constraints scaled by kappa >= 0; then w = y / kappa. Needs some asset with mu > rf."""
    import cvxpy as cp

    check_constraints(constraints)
    start = time.perf_counter()
    mu, cov, names = require_returns(*read_inputs(expected_returns, covariance, assets), "max_sharpe")
    if constraints.cardinality is not None and constraints.min_holding == 0.0 and constraints.turnover is None \
            and constraints.costs is None:
        return _max_sharpe_cardinality(mu, cov, names, risk_free, constraints, start)
    if not constraints.homogeneous:
        raise ValidationError("max_sharpe needs constraints that scale with the portfolio: turnover, costs and min_holding "
                              "are not; use efficient_frontier(...) and pick the tangency point")
    if constraints.budget is None or constraints.budget <= 0:
        raise ValidationError("max_sharpe needs a positive budget (the Sharpe ratio of a zero-cost portfolio is undefined)")
    excess = mu - risk_free
    if constraints.budget_only:
        x = np.linalg.solve(cov, excess)
        if x.sum() <= 0:
            ones = np.linalg.solve(cov, np.ones(len(names)))
            gmv_return = float(mu @ ones / ones.sum())
            raise ValidationError(
                f"with shorts allowed and risk_free {risk_free:g} at or above the minimum-variance portfolio's return "
                f"{gmv_return:.6g}, no fully invested portfolio attains the maximum Sharpe ratio (it is only approached "
                "with unbounded leverage); lower risk_free, or add a leverage limit or bounds")
        w = constraints.budget * x / x.sum()
        sharpe = float((mu @ w - risk_free) / math.sqrt(w @ cov @ w))
        return make_result("max-sharpe", names, w, mu, cov, sharpe, Status.OPTIMAL, {}, "closed form", start,
                           {"risk_free": risk_free})
    if np.all(excess <= 0):
        raise ValidationError(f"no asset's expected return exceeds the risk-free rate {risk_free}: "
                              "the maximum Sharpe ratio is not positive")
    fast = _max_sharpe_active_set(mu, cov, names, risk_free, constraints, start)
    if fast is not None:
        return fast
    y = cp.Variable(len(names))
    kappa = cp.Variable(nonneg=True)
    named, _, _ = build(y, names, constraints, scale=kappa)
    named.append(("unit_excess_return", excess @ y == 1))
    problem, solver, _ = solve_named(cp.Minimize(cp.quad_form(y, cp.psd_wrap(cov))), named, what="max-sharpe portfolio")
    w = y.value / kappa.value
    w = constraints.budget * w / w.sum()
    sharpe = float((mu @ w - risk_free) / math.sqrt(w @ cov @ w))
    return make_result("max-sharpe", names, w, mu, cov, sharpe, problem.status, {}, solver, start, {"risk_free": risk_free})


def _max_sharpe_active_set(mu: np.ndarray, cov: np.ndarray, names: tuple[str, ...], risk_free: float, constraints: Constraints,
                           start: float) -> PortfolioResult | None:
    """Long-only maximum Sharpe without upper bounds: min y'Sigma y s.t. (mu - rf)'y = 1, y >= 0 by the
    active-set solver (w = y / sum y), from the vertex y = e_j / (mu_j - rf) of the best asset."""
    from ..numerics.activeset import ActiveSetFailure, solve_qp

    n = len(names)
    box = box_bounds(constraints, n)
    if box is None or not constraints.long_only or np.any(box[0] != 0) or np.any(np.isfinite(box[1])):
        return None
    excess = mu - risk_free
    j = int(np.argmax(excess))
    y0 = np.zeros(n)
    y0[j] = 1.0 / excess[j]
    try:
        sol = solve_qp(2.0 * cov, np.zeros(n), excess[None, :], np.ones(1), np.zeros(n), np.full(n, np.inf), y0)
    except ActiveSetFailure:
        return None
    w = constraints.budget * sol.x / sol.x.sum()
    sharpe = float((mu @ w - risk_free) / math.sqrt(w @ cov @ w))
    return make_result("max-sharpe", names, w, mu, cov, sharpe, Status.OPTIMAL, {}, "active-set", start,
                       {"risk_free": risk_free, "iterations": sol.iterations})


def _max_sharpe_cardinality(mu: np.ndarray, cov: np.ndarray, names: tuple[str, ...], risk_free: float,
                            constraints: Constraints, start: float) -> PortfolioResult:
    """Maximum Sharpe ratio holding at most K assets: the homogenised problem with selection binaries,
    a MIQP solved to optimality by SCIP.

        min y'Sigma y  s.t.  (mu - rf)'y = 1,  constraints scaled by kappa >= 0,
                             |y_i| <= M_i z_i,  sum z <= K,  z binary;   w = y / kappa.

    y = kappa w with kappa = 1 / (mu - rf)'w*, so kappa <= 1 / (S_lb sigma_min), where S_lb is the
    Sharpe ratio of a feasible K-asset portfolio (the continuous optimum restricted to its K largest
    positions) and sigma_min = (1'Sigma^-1 1)^-1/2 the lowest volatility of any fully invested
    portfolio; M_i = (largest |w_i|) kappa_max is therefore a valid big-M, and the answer is exact.
    """
    import cvxpy as cp

    k = constraints.cardinality
    if constraints.budget is None or constraints.budget <= 0:
        raise ValidationError("max_sharpe needs a positive budget (the Sharpe ratio of a zero-cost portfolio is undefined)")
    relaxed = replace(constraints, cardinality=None)
    continuous = max_sharpe(mu, cov, risk_free=risk_free, constraints=relaxed, assets=names)
    support = np.argsort(-np.abs(continuous.weights))[:k]
    if np.count_nonzero(np.abs(continuous.weights) > 1e-9) <= k:
        return replace(continuous, wall_time=time.perf_counter() - start,
                       info={**continuous.info, "cardinality": k,
                             "note": "the continuous optimum already holds at most K assets"})
    n = len(names)
    upper = _vector(constraints.upper, n, "upper")
    cap = np.full(n, constraints.gross_leverage or (1.0 if constraints.long_only else np.inf)) if upper is None else np.abs(upper)
    if not constraints.long_only:
        lower = _vector(constraints.lower, n, "lower")
        if lower is not None:
            cap = np.maximum(cap, np.abs(lower))
    if not np.all(np.isfinite(cap)):
        raise ValidationError("max_sharpe with a cardinality limit and shorts needs bounds or a leverage limit "
                              "(--lower/--upper or --leverage): the positions would be unbounded")
    outside = np.setdiff1d(np.arange(n), support)
    restricted_upper = (np.broadcast_to(cap, (n,)) if upper is None else upper).astype(float).copy()
    restricted_upper[outside] = 0.0
    restricted_lower = _vector(constraints.lower, n, "lower")
    if restricted_lower is not None:
        restricted_lower = restricted_lower.copy()
        restricted_lower[outside] = 0.0
    try:
        restricted = replace(relaxed, upper=restricted_upper, lower=restricted_lower)
        seed = max_sharpe(mu, cov, risk_free=risk_free, constraints=restricted, assets=names)
    except (InfeasibleProblemError, ValidationError) as exc:
        raise ValidationError(f"max_sharpe with cardinality {k}: no feasible portfolio on the continuous optimum's {k} "
                              f"largest positions bounds the search ({exc})") from None
    s_lb = seed.sharpe(risk_free)
    try:
        ones = np.linalg.solve(cov, np.ones(n))
    except np.linalg.LinAlgError:
        raise ValidationError("max_sharpe with a cardinality limit needs a positive definite covariance "
                              "(shrink it: estimator ledoit-wolf)") from None
    if s_lb is None or s_lb <= 0 or ones.sum() <= 0:
        raise ValidationError("max_sharpe with a cardinality limit needs a feasible portfolio with a positive Sharpe ratio")
    sigma_min = math.sqrt(1.0 / ones.sum()) * constraints.budget
    kappa_max = 1.0 / (s_lb * sigma_min)
    excess = mu - risk_free
    y = cp.Variable(n)
    kappa = cp.Variable(nonneg=True)
    z = cp.Variable(n, boolean=True)
    named, _, _ = build(y, names, relaxed, scale=kappa)
    big = cap * kappa_max * constraints.budget
    named += [("unit_excess_return", excess @ y == 1), ("kappa_bound", kappa <= kappa_max),
              ("holding_link_upper", y <= cp.multiply(big, z)), ("cardinality", cp.sum(z) <= k)]
    if not constraints.long_only:
        named.append(("holding_link_lower", y >= -cp.multiply(big, z)))
    problem, solver, _ = solve_named(cp.Minimize(cp.quad_form(y, cp.psd_wrap(cov))), named,
                                     what=f"max-sharpe portfolio with at most {k} assets")
    w = np.asarray(y.value, dtype=float) / kappa.value
    w = constraints.budget * w / w.sum()
    w[np.asarray(z.value) < 0.5] = 0.0  # SCIP's y of an unselected asset is 0 up to its feasibility tolerance
    w = constraints.budget * w / w.sum()
    sharpe = float((mu @ w - risk_free) / math.sqrt(w @ cov @ w))
    return make_result("max-sharpe", names, w, mu, cov, sharpe, problem.status, {}, solver, start,
                       {"risk_free": risk_free, "cardinality": k, "kappa_max": kappa_max,
                    "continuous_sharpe": continuous.sharpe(risk_free)})
