"""Conditional value-at-risk: the CVaR of a portfolio on return scenarios (:func:`cvar`) and the
minimum-CVaR portfolio (:func:`min_cvar`, the Rockafellar-Uryasev LP) under any :class:`Constraints`.

CVaR at level alpha is the mean of the worst (1 - alpha) share of the scenario losses -r'w; it is
measured per period of the scenarios.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ValidationError
from .constraints import LONG_ONLY, Constraints, build
from .convex import solve_named
from .inputs import check_constraints
from .result import PortfolioResult, make_result


def min_cvar(scenarios: Any, *, alpha: float = 0.95, constraints: Constraints = LONG_ONLY, target_return: float | None = None,
             assets: Sequence[str] | None = None) -> PortfolioResult:
    """Minimum conditional value-at-risk of the loss -r'w at level ``alpha`` over return scenarios
    (T x n), by the Rockafellar-Uryasev LP: min z + sum(u) / ((1 - alpha) T), u >= -R w - z, u >= 0."""
    import cvxpy as cp

    check_constraints(constraints)
    start = time.perf_counter()
    names_from = tuple(map(str, scenarios.columns)) if hasattr(scenarios, "columns") else None
    r = np.asarray(scenarios, dtype=float)
    if r.ndim != 2 or not np.all(np.isfinite(r)):
        raise ValidationError("scenarios must be a finite (periods x assets) table of returns")
    if not 0 < alpha < 1:
        raise ValidationError(f"alpha must be in (0, 1), got {alpha}")
    t, n = r.shape
    names = tuple(assets) if assets is not None else names_from or tuple(f"A{i + 1}" for i in range(n))
    mu = r.mean(axis=0)
    cov = np.atleast_2d(np.cov(r, rowvar=False)) if t > 1 else np.zeros((n, n))
    w = cp.Variable(n)
    z = cp.Variable()
    u = cp.Variable(t, nonneg=True)
    named, cost, _ = build(w, names, constraints)
    named.append(("scenario_losses", u >= -r @ w - z))
    if target_return is not None:
        named.append(("target_return", mu @ w >= target_return))
    objective = cp.Minimize(z + cp.sum(u) / ((1 - alpha) * t) + cost)
    problem, solver, duals = solve_named(objective, named, what="min-CVaR portfolio")
    return make_result("min-cvar", names, w.value, mu, cov, float(problem.value), problem.status, duals, solver, start,
                       {"alpha": alpha, "value_at_risk": float(z.value), "scenarios": t})


def cvar(weights: Any, scenarios: Any, alpha: float = 0.95) -> float:
    """CVaR of the loss -r'w: the mean of the worst (1 - alpha) share of scenario losses (fractional
    tail scenario weighted), the value the Rockafellar-Uryasev LP minimises."""
    losses = np.sort(-(np.asarray(scenarios, dtype=float) @ np.asarray(weights, dtype=float)))[::-1]
    k = (1 - alpha) * losses.size
    whole = math.floor(k)
    tail = losses[:whole].sum() + (k - whole) * (losses[whole] if whole < losses.size else 0.0)
    return float(tail / k)
