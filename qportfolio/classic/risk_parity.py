"""Risk budgeting and risk parity: the long-only portfolio whose assets' shares of the variance
(:func:`risk_contributions`) equal given budgets (equal ones: risk parity)."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ValidationError
from ..status import Status
from .inputs import read_inputs
from .result import PortfolioResult, make_result, risk_contributions

__all__ = ["risk_budgeting", "risk_contributions"]


def risk_budgeting(expected_returns: Any, covariance: Any, *, budgets: Any = None, assets: Sequence[str] | None = None,
                   tol: float = 1e-12, max_iter: int = 100) -> PortfolioResult:
    """Long-only portfolio whose risk contributions equal ``budgets`` (equal: risk parity).

    Solves min 1/2 y'Sigma y - sum b_i log y_i (strictly convex; Spinu 2013) by damped Newton, then
    w = y / sum y; at the optimum y_i (Sigma y)_i = b_i, so the contributions are exactly b.
    """
    start = time.perf_counter()
    mu, cov, names = read_inputs(expected_returns, covariance, assets)
    n = len(names)
    b = np.full(n, 1.0 / n) if budgets is None else np.asarray(budgets, dtype=float)
    if b.shape != (n,) or np.any(b <= 0) or not np.all(np.isfinite(b)):
        raise ValidationError(f"budgets must be {n} positive numbers (risk shares), got {budgets!r}")
    b = b / b.sum()
    if np.any(np.diag(cov) <= 0):
        raise ValidationError("risk budgeting needs every asset to have positive variance")
    y = b / np.sqrt(np.diag(cov))
    y *= 1.0 / math.sqrt(y @ cov @ y)
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007  (the count is reported)
        grad = cov @ y - b / y
        if np.max(np.abs(grad * y)) < tol:
            break
        hess = cov + np.diag(b / y ** 2)
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while np.any(y - t * step <= 0):
            t *= 0.5
        y = y - t * step
    w = y / y.sum()
    rc = risk_contributions(w, cov)
    strategy = "risk-parity" if budgets is None else "risk-budgeting"
    return make_result(strategy, names, w, mu, cov, None, Status.OPTIMAL, {}, "newton", start,
                       {"iterations": iterations, "budgets": b.tolist(), "max_contribution_error": float(np.max(np.abs(rc - b)))})
