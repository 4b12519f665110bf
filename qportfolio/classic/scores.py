"""Risk against a per-asset score (ESG, momentum, a signal): the weighted multi-objective
min w'Sigma w - t score'w at one trade-off t (:func:`score_tradeoff`) or along a sweep of them
(:func:`score_frontier`, one QP re-solved with t as a cvxpy parameter), and its plot.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import SolverError, ValidationError
from .constraints import LONG_ONLY, Constraints, build
from .convex import CLARABEL_TIGHT, solve_cvxpy, solve_named
from .inputs import check_constraints, read_inputs
from .mean_variance import _convex
from .result import PortfolioResult


def score_tradeoff(expected_returns: Any, covariance: Any, score: Any, *, tradeoff: float, constraints: Constraints = LONG_ONLY,
                   assets: Sequence[str] | None = None) -> PortfolioResult:
    """Weighted multi-objective: min w'Sigma w - tradeoff * score'w (score: ESG, momentum, a signal);
    ``expected_returns`` may be None. The portfolio's score'w is ``info["score"]``."""
    check_constraints(constraints)
    start = time.perf_counter()
    mu, cov, names = read_inputs(expected_returns, covariance, assets)
    s = np.asarray(score, dtype=float)
    if s.shape != (len(names),) or not np.all(np.isfinite(s)):
        raise ValidationError(f"score must be {len(names)} finite numbers, one per asset")
    result = _convex("score-tradeoff", mu, cov, names, constraints, start, score=s, tradeoff=float(tradeoff))
    return replace(result, info={**result.info, "score": float(s @ result.weights)})


@dataclass(frozen=True, eq=False)
class ScoreFrontier:
    """Risk against a per-asset score (ESG, a signal): one portfolio per trade-off t of
    min w'Sigma w - t score'w, from t = 0 (minimum variance) upwards."""

    assets: tuple[str, ...]
    tradeoffs: np.ndarray
    scores: np.ndarray  # score'w per point
    volatilities: np.ndarray
    returns: np.ndarray | None
    weights: np.ndarray  # (points, assets)
    risk_free: float | None
    wall_time: float

    def sharpe(self) -> np.ndarray | None:
        if self.risk_free is None or self.returns is None:
            return None
        return (self.returns - self.risk_free) / self.volatilities

    def to_dict(self, tol: float = 0.0) -> dict[str, Any]:
        sharpe = self.sharpe()
        return {"tradeoffs": self.tradeoffs.tolist(), "scores": self.scores.tolist(),
                "volatilities": self.volatilities.tolist(), "returns": None if self.returns is None else self.returns.tolist(),
                "sharpe": None if sharpe is None else sharpe.tolist(), "risk_free": self.risk_free,
                "weights": [{a: float(v) for a, v in zip(self.assets, row) if abs(v) > tol} for row in self.weights],
                "wall_s": self.wall_time}


def score_frontier(expected_returns: Any, covariance: Any, score: Any, *, tradeoffs: Sequence[float] | np.ndarray,
                   constraints: Constraints = LONG_ONLY, risk_free: float | None = None,
                   assets: Sequence[str] | None = None) -> ScoreFrontier:
    """The risk-vs-score frontier: :func:`score_tradeoff` at each trade-off (one QP,
    re-solved with the trade-off as a cvxpy parameter). ``expected_returns`` may be None."""
    import cvxpy as cp

    start = time.perf_counter()
    check_constraints(constraints)
    mu, cov, names = read_inputs(expected_returns, covariance, assets)
    s = np.asarray(score, dtype=float)
    if s.shape != (len(names),) or not np.all(np.isfinite(s)):
        raise ValidationError(f"score must be {len(names)} finite numbers, one per asset")
    ts = np.asarray(tradeoffs, dtype=float).reshape(-1)
    if ts.size == 0 or not np.all(np.isfinite(ts)) or np.any(ts < 0):
        raise ValidationError("tradeoffs must be a non-empty list of finite numbers >= 0 (0: minimum variance)")
    w = cp.Variable(len(names))
    named, cost, _ = build(w, names, constraints)
    t = cp.Parameter(nonneg=True)
    problem = cp.Problem(cp.Minimize(cp.quad_form(w, cp.psd_wrap(cov)) - t * (s @ w) + cost), [c for _, c in named])
    solver = "SCIP" if problem.is_mixed_integer() else "CLARABEL"
    rows = []
    for value in ts:
        t.value = float(value)
        solve_cvxpy(problem, solver, **({} if solver == "SCIP" else CLARABEL_TIGHT))
        if problem.status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
            solve_named(cp.Minimize(0), named, what="the score trade-off's constraint set")  # raises naming the conflict
        if problem.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
            raise SolverError(f"score trade-off {value:g}: {solver} ended with status {problem.status}")
        rows.append(np.asarray(w.value, dtype=float))
    weights = np.array(rows)
    vols = np.sqrt(np.maximum(np.einsum("pi,ij,pj->p", weights, cov, weights), 0.0))
    return ScoreFrontier(names, ts, weights @ s, vols, None if mu is None else weights @ mu, weights, risk_free,
                         time.perf_counter() - start)


def plot_score_frontier(frontier: ScoreFrontier, path: str | Path | None = None, *, score_name: str = "score",
                        title: str = "Risk vs score"):
    """Volatility against the portfolio's score, each point labelled with its trade-off."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.8))
    ax.plot(frontier.volatilities, frontier.scores, "o-", lw=1.5, ms=3)
    for t, x, y in list(zip(frontier.tradeoffs, frontier.volatilities, frontier.scores))[:: max(1, len(frontier.tradeoffs) // 8)]:
        ax.annotate(f"t={t:g}", (x, y), fontsize=7, xytext=(4, -8), textcoords="offset points")
    ax.set_xlabel("volatility σ")
    ax.set_ylabel(f"portfolio {score_name}")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=110)
    plt.close(fig)
