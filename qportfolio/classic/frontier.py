"""The efficient frontier under any constraint set: N minimum-variance portfolios for target returns
evenly spaced between the minimum-variance and the maximum-return portfolio, the tangency
(maximum Sharpe) point marked, and a plot (sigma vs return, the assets, the capital market line).

The QP is built once with the target return as a cvxpy Parameter (DPP), so each further point
only re-solves: 50 points of a 20-asset problem take well under a second. With a cardinality limit
each point is a MIQP for SCIP (the cardinality-constrained frontier).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ValidationError
from .constraints import LONG_ONLY, Constraints, build
from .portfolios import CLARABEL_TIGHT, _inputs, check_constraints, min_variance, solve_named


@dataclass(frozen=True, eq=False)
class Frontier:
    assets: tuple[str, ...]
    returns: np.ndarray
    volatilities: np.ndarray
    weights: np.ndarray  # (points, assets)
    target_duals: np.ndarray  # d variance / d target return at each point
    tangency: int | None  # index of the highest-Sharpe point (None without a risk-free rate)
    risk_free: float | None
    asset_returns: np.ndarray
    asset_volatilities: np.ndarray
    wall_time: float

    def sharpe(self) -> np.ndarray | None:
        if self.risk_free is None:
            return None
        return (self.returns - self.risk_free) / self.volatilities

    def to_frame(self):
        import pandas as pd

        df = pd.DataFrame(self.weights, columns=list(self.assets))
        df.insert(0, "volatility", self.volatilities)
        df.insert(0, "expected_return", self.returns)
        df.insert(2, "target_dual", self.target_duals)
        return df


def efficient_frontier(expected_returns: Any, covariance: Any, constraints: Constraints = LONG_ONLY, *, points: int = 50,
                       risk_free: float | None = None, assets: Sequence[str] | None = None) -> Frontier:
    import cvxpy as cp

    start = time.perf_counter()
    check_constraints(constraints)
    mu, cov, names = _inputs(expected_returns, covariance, assets)
    if mu is None:
        raise ValidationError("efficient_frontier needs expected_returns (one per asset), got None")
    if points < 2:
        raise ValidationError(f"points must be at least 2, got {points}")
    low = min_variance(mu, cov, constraints, assets=names)
    n = len(names)
    w = cp.Variable(n)
    named, cost, _ = build(w, names, constraints)
    solve_named(cp.Maximize(mu @ w - cost), named, what="maximum-return portfolio")
    r_lo, r_hi = low.expected_return, float(mu @ w.value)
    target = cp.Parameter()
    con = mu @ w >= target
    problem = cp.Problem(cp.Minimize(cp.quad_form(w, cp.psd_wrap(cov)) + cost), [c for _, c in named] + [con])
    solver = "SCIP" if problem.is_mixed_integer() else "CLARABEL"
    rets, vols, ws, duals = [], [], [], []
    for r in np.linspace(r_lo, r_hi, points):
        target.value = float(r)
        problem.solve(solver=solver, **({} if solver == "SCIP" else CLARABEL_TIGHT))
        if problem.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
            continue
        x = np.asarray(w.value, dtype=float)
        rets.append(float(mu @ x))
        vols.append(math.sqrt(max(float(x @ cov @ x), 0.0)))
        ws.append(x)
        duals.append(float(con.dual_value) if con.dual_value is not None else np.nan)
    rets_a, vols_a = np.array(rets), np.array(vols)
    tangency = None
    if risk_free is not None and len(rets):
        tangency = int(np.argmax((rets_a - risk_free) / np.where(vols_a > 0, vols_a, np.inf)))
    return Frontier(names, rets_a, vols_a, np.array(ws), np.array(duals), tangency, risk_free, mu,
                    np.sqrt(np.diag(cov)), time.perf_counter() - start)


def plot_frontier(frontier: Frontier, path: str | Path | None = None, *, title: str = "Efficient frontier", ax: Any = None):
    """sigma vs return: the frontier, each asset, the tangency portfolio and the capital market line."""
    import matplotlib.pyplot as plt

    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(7, 4.8))
    ax.plot(frontier.volatilities, frontier.returns, "-", lw=2, label="efficient frontier")
    ax.scatter(frontier.asset_volatilities, frontier.asset_returns, s=18, color="grey", label="assets", zorder=3)
    if len(frontier.assets) <= 25:
        for a, x, y in zip(frontier.assets, frontier.asset_volatilities, frontier.asset_returns):
            ax.annotate(a, (x, y), fontsize=7, xytext=(3, 2), textcoords="offset points")
    if frontier.tangency is not None:
        t = frontier.tangency
        rf = frontier.risk_free
        ax.scatter([frontier.volatilities[t]], [frontier.returns[t]], marker="*", s=160, color="C3", zorder=4,
                   label=f"tangency (Sharpe {(frontier.returns[t] - rf) / frontier.volatilities[t]:.3f})")
        xs = np.linspace(0, max(frontier.volatilities.max(), frontier.asset_volatilities.max()) * 1.05, 50)
        slope = (frontier.returns[t] - rf) / frontier.volatilities[t]
        ax.plot(xs, rf + slope * xs, "--", color="C3", lw=1, label=f"capital market line (rf = {rf:g})")
    ax.set_xlabel("volatility σ")
    ax.set_ylabel("expected return")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    if own:
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=110)
        plt.close(fig)
    return ax
