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

from ..errors import SolverError, ValidationError
from ..utils.display import table
from .constraints import LONG_ONLY, Constraints, box_bounds, build
from .convex import CLARABEL_TIGHT, solve_cvxpy, solve_named
from .inputs import check_constraints, read_inputs
from .mean_variance import min_variance


@dataclass(frozen=True, eq=False)
class Frontier:
    """Minimum-variance portfolios, one per target return (rows of ``weights``), and what they achieve."""

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
    targets: np.ndarray | None = None  # the target return of each point
    min_variance_return: float | None = None  # return of the minimum-variance portfolio (below it: inefficient)
    note: str = ""

    def sharpe(self) -> np.ndarray | None:
        if self.risk_free is None:
            return None
        return (self.returns - self.risk_free) / self.volatilities

    @property
    def efficient(self) -> np.ndarray:
        """Per point: on the efficient (upper) branch, i.e. return at least the minimum-variance portfolio's."""
        if self.min_variance_return is None:
            return np.ones(len(self.returns), dtype=bool)
        return self.returns >= self.min_variance_return - 1e-12 * max(1.0, abs(self.min_variance_return))

    def to_pandas(self):
        """One row per point: target, return, volatility (Sharpe), the target's dual, and the weights."""
        return self.to_frame()

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        figures: dict[str, Any] = {"points": len(self.returns), "assets": len(self.assets),
                                   "return range": f"{self.returns.min():.6g} … {self.returns.max():.6g}",
                                   "volatility range": f"{self.volatilities.min():.6g} … {self.volatilities.max():.6g}",
                                   "wall time (s)": self.wall_time}
        columns = [c for c in ("target", "expected_return", "volatility", "sharpe") if c in frame.columns]
        rows = [(str(i), *row) for i, row in zip(frame.index, frame[columns].to_numpy())]
        return table("Efficient frontier", figures, ("point", *columns), rows, self.note)

    def __repr__(self) -> str:
        return (f"Frontier(points={len(self.returns)}, assets={len(self.assets)}, "
                f"returns={self.returns.min():.6g}..{self.returns.max():.6g})")

    def to_frame(self):
        import pandas as pd

        df = pd.DataFrame(self.weights, columns=list(self.assets))
        df.insert(0, "volatility", self.volatilities)
        df.insert(0, "expected_return", self.returns)
        df.insert(2, "target_dual", self.target_duals)
        if self.targets is not None:
            df.insert(0, "target", self.targets)
        if self.risk_free is not None:
            df.insert(df.columns.get_loc("volatility") + 1, "sharpe", self.sharpe())
        return df

    def to_dict(self, tol: float = 0.0) -> dict[str, Any]:
        """``targets``, ``returns``, ``volatilities``, ``sharpe`` (None without a risk-free rate) and
        ``weights``: one mapping asset -> weight per point (positions with ``|weight| > tol``)."""
        sharpe = self.sharpe()
        return {"targets": None if self.targets is None else self.targets.tolist(), "returns": self.returns.tolist(),
                "volatilities": self.volatilities.tolist(), "sharpe": None if sharpe is None else sharpe.tolist(),
                "risk_free": self.risk_free, "efficient": self.efficient.tolist(),
                "weights": [{a: float(v) for a, v in zip(self.assets, row) if abs(v) > tol} for row in self.weights],
                "tangency": self.tangency, "min_variance_return": self.min_variance_return, "note": self.note,
                "wall_s": self.wall_time}


def parse_targets(text: str, option: str = "--returns") -> np.ndarray:
    """Target returns from the command line: ``START:STOP:N`` (N evenly spaced, both ends included) or a
    comma list ``0.05,0.08,0.1``."""
    text = text.strip()
    try:
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise ValueError
            start, stop, count = float(parts[0]), float(parts[1]), int(parts[2])
            if count < 1:
                raise ValueError
            values = np.linspace(start, stop, count)
        else:
            values = np.array([float(v) for v in text.split(",") if v.strip()])
    except ValueError:
        raise ValidationError(f"{option} expects START:STOP:N (N >= 1 points) or a comma list of numbers, got {text!r}") from None
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise ValidationError(f"{option} expects finite numbers, got {text!r}")
    return values


def return_range(mu: np.ndarray, names: tuple[str, ...], constraints: Constraints) -> tuple[float, float]:
    """The lowest and highest expected return any portfolio satisfying ``constraints`` attains
    (-inf / inf when unbounded); raises InfeasibleProblemError when no portfolio satisfies them."""
    import cvxpy as cp

    from ..numerics.activeset import budget_vertex

    box = box_bounds(constraints, len(names))
    if box is not None and np.all(np.isfinite(box[0])):  # budget and bounds: the extremes are greedy vertices
        lowest = budget_vertex(constraints.budget, *box, np.argsort(mu))
        highest = budget_vertex(constraints.budget, *box, np.argsort(-mu))
        if lowest is not None and highest is not None:
            return float(mu @ lowest), float(mu @ highest)
    w = cp.Variable(len(names))
    named, _, _ = build(w, names, constraints)
    ends = []
    for sense in (cp.Minimize, cp.Maximize):
        problem = cp.Problem(sense(mu @ w), [c for _, c in named])
        _solve_extreme(problem)
        if problem.status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
            solve_named(cp.Minimize(0), named, what="the frontier's constraint set")  # raises with the conflict
        if problem.status in (cp.UNBOUNDED, cp.UNBOUNDED_INACCURATE):
            ends.append(-math.inf if sense is cp.Minimize else math.inf)
        else:
            ends.append(float(problem.value))
    return ends[0], ends[1]


def _solve_extreme(problem: Any) -> None:
    """Solve an extreme-return problem with a solver that reports unboundedness.

    An LP goes to HiGHS (scipy's, through cvxpy): an interior-point conic solver is not trusted here,
    since Clarabel reports status *optimal* with a finite value for the unbounded LP min mu'w s.t.
    sum w = 1 (shorts, budget only). Mixed-integer sets go to SCIP; sets with cones (which HiGHS
    cannot take) to Clarabel, whose answer then stands.
    """
    import cvxpy as cp

    if problem.is_mixed_integer():
        problem.solve(solver="SCIP")
        return
    try:
        problem.solve(solver="SCIPY", scipy_options={"method": "highs"})
    except cp.SolverError:
        solve_cvxpy(problem, "CLARABEL")


def _active_set_points(mu: np.ndarray, cov: np.ndarray, constraints: Constraints, goals: np.ndarray,
                       start_at: np.ndarray | None) -> tuple[np.ndarray, np.ndarray] | None:
    """Each goal's minimum-variance portfolio with mu'w = goal by the active-set solver, warm started:
    the next point starts from the convex combination of the previous answer and the highest (or
    lowest) return vertex that has the new return, which is feasible. None when it does not apply."""
    from ..numerics.activeset import ActiveSetFailure, budget_vertex, solve_qp

    n = len(mu)
    box = box_bounds(constraints, n)
    if box is None:
        return None
    lower, upper = box
    hi = budget_vertex(constraints.budget, lower, upper, np.argsort(-mu))
    lo = budget_vertex(constraints.budget, lower, upper, np.argsort(mu))
    if hi is None or lo is None:
        return None
    a = np.vstack([np.ones(n), mu])
    h = 2.0 * cov
    prev = start_at
    ws, duals = [], []
    try:
        for r in goals:
            if prev is None:
                x0 = None
            else:
                r_prev = float(mu @ prev)
                end = hi if r >= r_prev else lo
                r_end = float(mu @ end)
                theta = 0.0 if r_end == r_prev else min(max((r - r_prev) / (r_end - r_prev), 0.0), 1.0)
                x0 = (1.0 - theta) * prev + theta * end
                near = np.abs(x0 - lower) <= 1e-13
                x0[near] = lower[near]
            sol = solve_qp(h, np.zeros(n), a, np.array([constraints.budget, r]), lower, upper, x0)
            ws.append(sol.x)
            duals.append(float(sol.equality_duals[1]))
            prev = sol.x
    except ActiveSetFailure:
        return None
    return np.array(ws), np.array(duals)


def efficient_frontier(expected_returns: Any, covariance: Any, *, constraints: Constraints = LONG_ONLY, points: int = 50,
                       risk_free: float | None = None, assets: Sequence[str] | None = None,
                       targets: Sequence[float] | np.ndarray | None = None) -> Frontier:
    """Minimum-variance portfolios under ``constraints``.

    Without ``targets``: ``points`` targets evenly spaced from the minimum-variance portfolio's return
    to the highest attainable one (when that is unbounded, as with shorts and no leverage limit, to the
    highest asset return; ``note`` says so), each solved with mu'w >= target. With ``targets``: one
    portfolio of expected return exactly equal to each target (the textbook minimum-variance
    frontier; targets below the minimum-variance return lie on its inefficient branch, marked by
    ``efficient``); a target outside the attainable range is refused, naming the range.
    """
    import cvxpy as cp

    start = time.perf_counter()
    check_constraints(constraints)
    mu, cov, names = read_inputs(expected_returns, covariance, assets)
    if mu is None:
        raise ValidationError("efficient_frontier needs expected_returns (one per asset), got None")
    note = ""
    low = min_variance(mu, cov, constraints=constraints, assets=names)
    r_min, r_max = return_range(mu, names, constraints)
    if targets is None:
        if not isinstance(points, int) or points < 2:
            raise ValidationError(f"points must be an integer of at least 2, got {points!r}")
        r_lo = low.expected_return
        r_hi = r_max
        if math.isinf(r_hi):
            r_hi = max(float(mu.max()), r_lo)
            note = (f"the highest attainable return is unbounded under these constraints (shorts without a leverage limit): "
                    f"targets end at the highest asset return {r_hi:.6g}; pass targets (--returns) for others")
        goals = np.linspace(r_lo, r_hi, points)
        equality = False
    else:
        goals = np.asarray(targets, dtype=float).reshape(-1)
        if goals.size == 0 or not np.all(np.isfinite(goals)):
            raise ValidationError("targets must be a non-empty list of finite target returns")
        span = 1e-9 * max(1.0, float(np.abs(mu).max()))
        outside = goals[(goals < r_min - span) | (goals > r_max + span)]
        if outside.size:
            raise ValidationError(f"target return {outside[0]:.6g} is outside what the constraints allow: attainable expected "
                                  f"returns are [{r_min:.6g}, {r_max:.6g}]; choose targets in that range or relax the "
                                  "constraints (e.g. --long-short, --leverage)")
        equality = True
    n = len(names)
    fast = _active_set_points(mu, cov, constraints, goals, low.weights if low.solver == "active-set" else None)
    if fast is not None:
        ws_a, duals_a = fast
        rets_a = ws_a @ mu
        vols_a = np.sqrt(np.maximum(np.einsum("pi,ij,pj->p", ws_a, cov, ws_a), 0.0))
        tangency = None
        if risk_free is not None and len(rets_a):
            tangency = int(np.argmax((rets_a - risk_free) / np.where(vols_a > 0, vols_a, np.inf)))
        return Frontier(names, rets_a, vols_a, ws_a, duals_a, tangency, risk_free, mu, np.sqrt(np.diag(cov)),
                        time.perf_counter() - start, targets=goals.copy(), min_variance_return=low.expected_return, note=note)
    w = cp.Variable(n)
    named, cost, _ = build(w, names, constraints)
    target = cp.Parameter()
    con = (mu @ w == target) if equality else (mu @ w >= target)
    problem = cp.Problem(cp.Minimize(cp.quad_form(w, cp.psd_wrap(cov)) + cost), [c for _, c in named] + [con])
    solver = "SCIP" if problem.is_mixed_integer() else "CLARABEL"
    rets, vols, ws, duals, kept = [], [], [], [], []
    for r in goals:
        target.value = float(r)
        solve_cvxpy(problem, solver, **({} if solver == "SCIP" else CLARABEL_TIGHT))
        if problem.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
            raise SolverError(f"frontier point at target return {r:.6g}: {solver} ended with status {problem.status}")
        x = np.asarray(w.value, dtype=float)
        rets.append(float(mu @ x))
        vols.append(math.sqrt(max(float(x @ cov @ x), 0.0)))
        ws.append(x)
        dual = con.dual_value
        duals.append(float(np.asarray(dual).reshape(-1)[0]) * (-1.0 if equality else 1.0) if dual is not None else np.nan)
        kept.append(float(r))
    rets_a, vols_a = np.array(rets), np.array(vols)
    tangency = None
    if risk_free is not None and len(rets):
        tangency = int(np.argmax((rets_a - risk_free) / np.where(vols_a > 0, vols_a, np.inf)))
    return Frontier(names, rets_a, vols_a, np.array(ws), np.array(duals), tangency, risk_free, mu,
                    np.sqrt(np.diag(cov)), time.perf_counter() - start, targets=np.array(kept),
                    min_variance_return=low.expected_return, note=note)


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
