"""Classical portfolios: equal weight, minimum variance (closed form or QP), mean-variance targets,
maximum Sharpe (homogenised), risk budgeting / parity, minimum CVaR (Rockafellar-Uryasev LP), and a
risk-vs-score trade-off, all under any :class:`Constraints`, all returning a :class:`PortfolioResult`.

Convex problems go to cvxpy (Clarabel); a cardinality limit makes them mixed-integer and sends them
to SCIP. When a problem is infeasible the error carries the conflicting constraints found by
:func:`qportfolio.classic.diagnostics.explain_infeasibility`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..errors import InfeasibleProblemError, SolverError, ValidationError
from ..numerics.linalg import check_covariance
from ..status import Status, jsonable, weights_by_asset
from ..utils.display import held_rows, table
from .constraints import LONG_ONLY, Constraints, _vector, build


@dataclass(frozen=True, eq=False)
class PortfolioResult:
    """A classical portfolio: weights by asset, its figures, the solver's status and shadow prices.

    Shares its field names and meanings with the core :class:`qportfolio.Result`
    (:class:`qportfolio.status.PortfolioAnswer`). ``objective`` is the value of the criterion the
    strategy optimises, named by ``objective_name`` (``variance``, ``sharpe_ratio``, ``cvar``,
    ``expected_return``, ...), minimised or maximised as ``sense`` says; strategies that optimise
    nothing (equal weight, risk budgeting: a system of equations) have ``objective`` None.
    """

    strategy: str
    assets: tuple[str, ...]
    weights: np.ndarray
    expected_return: float | None
    volatility: float
    objective: float | None
    status: Status
    objective_name: str | None = None
    sense: str | None = None
    duals: dict[str, float] = field(default_factory=dict)
    risk_contributions: np.ndarray | None = None
    solver: str = ""
    wall_time: float = 0.0
    message: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))

    def weights_by_asset(self, tol: float | None = 0.0) -> dict[str, float]:
        """{asset: weight} of the positions with ``|weight| > tol``; ``tol=None`` keeps every asset."""
        return weights_by_asset(self.assets, self.weights, tol)

    def sharpe(self, risk_free: float = 0.0) -> float | None:
        if self.expected_return is None or self.volatility == 0:
            return None
        return (self.expected_return - risk_free) / self.volatility

    @property
    def risk_free(self) -> float | None:
        """The risk-free rate the result was reported against (``info["risk_free"]``), if any."""
        value = self.info.get("risk_free")
        return None if value is None else float(value)

    def with_risk_free(self, risk_free: float | None) -> PortfolioResult:
        """The same result, reported with its Sharpe ratio against ``risk_free`` (None: unchanged)."""
        if risk_free is None:
            return self
        return replace(self, info={**self.info, "risk_free": float(risk_free)})

    @property
    def units(self) -> dict[str, Any]:
        """What a period is: ``{"annualized": bool, "periods_per_year": P or None}`` (``info["units"]``;
        per period, P unknown, when the caller did not say)."""
        return dict(self.info.get("units") or {"annualized": False, "periods_per_year": None})

    def to_dict(self) -> dict[str, Any]:
        rf = self.risk_free
        sharpe_key = "sharpe_annual" if self.units["annualized"] else "sharpe_per_period"
        return jsonable({
            "strategy": self.strategy, "status": self.status, "weights": self.weights_by_asset(),
            "expected_return": self.expected_return, "volatility": self.volatility,
            sharpe_key: None if rf is None else self.sharpe(rf), "risk_free": rf, "units": self.units,
            "objective": self.objective, "objective_name": self.objective_name, "sense": self.sense, "duals": self.duals,
            "solver": self.solver, "wall_s": self.wall_time, "message": self.message,
            "risk_contributions": None if self.risk_contributions is None else dict(zip(self.assets, self.risk_contributions)),
            "info": self.info})

    def to_pandas(self):
        """The positions as a DataFrame indexed by asset (``weight``, and ``risk_contribution`` when known)."""
        import pandas as pd

        frame = pd.DataFrame({"weight": self.weights}, index=pd.Index(self.assets, name="asset"))
        if self.risk_contributions is not None:
            frame["risk_contribution"] = self.risk_contributions
        return frame[frame["weight"] != 0].sort_values("weight", key=abs, ascending=False)

    def _repr_html_(self) -> str:
        figures: dict[str, Any] = {"status": str(self.status), "expected return": self.expected_return,
                                   "volatility": self.volatility}
        if self.objective is not None:
            figures[f"{self.objective_name} ({self.sense})"] = self.objective
        if self.risk_free is not None:
            figures[f"Sharpe (risk-free {self.risk_free:g})"] = self.sharpe(self.risk_free)
        figures["wall time (s)"] = self.wall_time
        return table(f"{self.strategy} ({self.solver})", figures, ("asset", "weight"),
                     held_rows(self.weights_by_asset(1e-9)), self.message)

    def __repr__(self) -> str:
        return (f"PortfolioResult(strategy={self.strategy!r}, status={self.status.value!r}, "
                f"volatility={self.volatility:.6g}, held={int(np.count_nonzero(self.weights))} of {len(self.assets)})")

    def __str__(self) -> str:
        annual = self.units["annualized"]
        period = "a year" if annual else "per period"

        def pct(value: float | None) -> str:
            return "—" if value is None else f"{100 * value:.4g} % {period}"

        per = ", per period of the scenarios" if self.objective_name == "cvar" and annual else ""
        obj = "" if self.objective is None else f"   {self.objective_name} {self.objective:.6g} ({self.sense}{per})"
        lines = [f"strategy    {self.strategy}   status {self.status}   solver {self.solver}",
                 f"return      {pct(self.expected_return)}   volatility {pct(self.volatility)}{obj}"]
        rf = self.risk_free
        if rf is not None:
            sharpe = self.sharpe(rf)
            shown = "—" if sharpe is None else f"{sharpe:.4g}"
            lines.append(f"sharpe      {shown} ({'annual' if annual else 'per period'}: excess return over a risk-free "
                         f"{100 * rf:g} % {period} / volatility)")
        if self.message:
            lines.append(f"message     {self.message}")
        lines.append("weights")
        lines += [f"  {a:<10}{w:>10.4f}" for a, w in self.weights_by_asset(1e-9).items()]
        if self.duals:
            lines.append("shadow prices")
            lines += [f"  {k:<24}{v:>12.6g}" for k, v in self.duals.items()]
        return "\n".join(lines)


def check_constraints(constraints: Any) -> Constraints:
    if not isinstance(constraints, Constraints):
        raise ValidationError(f"constraints must be a qportfolio.classic.Constraints, got {type(constraints).__name__} "
                              "(pass assets=... by keyword)")
    return constraints


def _inputs(mu: Any, cov: Any, assets: Sequence[str] | None = None) -> tuple[np.ndarray | None, np.ndarray, tuple[str, ...]]:
    """(expected_returns or None, covariance, asset names), validated; names from pandas labels when present."""
    if cov is None:
        raise ValidationError("covariance is required (arguments are (expected_returns, covariance, ...); "
                              "expected_returns may be None where the strategy does not use it)")
    names = None
    if hasattr(cov, "columns"):
        names = tuple(map(str, cov.columns))
    if mu is not None and hasattr(mu, "index") and hasattr(mu, "values") and names is None:
        names = tuple(map(str, mu.index))
    if np.ndim(cov) == 1 and mu is not None and np.ndim(mu) == 2:
        raise ValidationError("covariance must be a square matrix, got a vector: arguments are (expected_returns, "
                              "covariance, ...), in that order (as PyPortfolioOpt and skfolio take them)")
    cov = np.asarray(cov, dtype=float)
    if cov.ndim != 2 or cov.shape[0] != cov.shape[1]:
        raise ValidationError(f"covariance must be a square matrix, got shape {cov.shape}")
    cov = check_covariance(cov, cov.shape[0], "covariance")
    n = cov.shape[0]
    if mu is not None:
        mu = np.asarray(mu, dtype=float)
        if mu.shape != (n,):
            raise ValidationError(f"expected_returns must have one value per asset ({n}), got shape {mu.shape}")
        if not np.all(np.isfinite(mu)):
            raise ValidationError("expected_returns contains NaN or infinite values")
    names = tuple(assets) if assets is not None else names or tuple(f"A{i + 1}" for i in range(n))
    if len(names) != n:
        raise ValidationError(f"assets must name each of the {n} assets, got {len(names)}")
    return mu, cov, names


def _require_returns(mu: np.ndarray | None, cov: np.ndarray, names: tuple[str, ...],
                     what: str) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    if mu is None:
        raise ValidationError(f"{what} needs expected_returns (one per asset), got None")
    return mu, cov, names


def risk_contributions(weights: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """Each asset's share of the portfolio variance: w_i (Sigma w)_i / w' Sigma w (sums to 1)."""
    w = np.asarray(weights, dtype=float)
    var = float(w @ cov @ w)
    return w * (cov @ w) / var if var > 0 else np.full(w.size, np.nan)


#: What each strategy optimises: (objective_name, sense); absent: it optimises nothing.
CRITERIA = {
    "min-variance": ("variance", "min"),
    "min-variance-for-return": ("variance", "min"),
    "max-return-for-volatility": ("expected_return", "max"),
    "max-sharpe": ("sharpe_ratio", "max"),
    "min-cvar": ("cvar", "min"),
    "score-tradeoff": ("variance - tradeoff * score", "min"),
}


def _result(strategy: str, assets: tuple[str, ...], w: np.ndarray, mu: np.ndarray | None, cov: np.ndarray,
            objective: float | None, status: Status | str, duals: dict[str, float], solver: str, start: float,
            info: dict[str, Any] | None = None) -> PortfolioResult:
    w = np.asarray(w, dtype=float)
    vol = math.sqrt(max(float(w @ cov @ w), 0.0))
    status = Status.from_cvxpy(status) if not isinstance(status, Status) else status
    name, sense = CRITERIA.get(strategy, (None, None))
    message = "" if status == Status.OPTIMAL else f"the solver reported {status.value}: the optimum is not proven to tolerance"
    return PortfolioResult(strategy=strategy, assets=assets, weights=w, expected_return=None if mu is None else float(mu @ w),
                           volatility=vol, objective=None if objective is None else float(objective), status=status,
                           objective_name=name, sense=sense, duals=duals,
                           risk_contributions=risk_contributions(w, cov) if vol > 0 else None, solver=solver,
                           wall_time=time.perf_counter() - start, message=message, info=info or {})


def solve_cvxpy(problem: Any, solver: str, **options: Any) -> None:
    """``problem.solve`` without cvxpy's "Solution may be inaccurate" warning: the inaccuracy is in
    ``problem.status`` (``optimal_inaccurate``), which every caller maps to ``Status.FEASIBLE``."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Solution may be inaccurate", category=UserWarning)
        problem.solve(solver=solver, **options)


def solve_named(objective: Any, named: list[tuple[str, Any]], *, what: str) -> tuple[Any, str, dict[str, float]]:
    """Solve a cvxpy problem whose constraints are named; return (problem, solver, scalar duals).

    Infeasible problems raise :class:`InfeasibleProblemError` naming a conflicting subset."""
    import cvxpy as cp

    problem = cp.Problem(objective, [c for _, c in named])
    mixed = problem.is_mixed_integer()
    solver = "SCIP" if mixed else "CLARABEL"
    try:
        solve_cvxpy(problem, solver, **({} if mixed else CLARABEL_TIGHT))
    except cp.error.SolverError as exc:
        raise SolverError(f"{what}: {solver} failed ({exc})") from None
    if problem.status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
        from .diagnostics import explain_infeasibility

        raise InfeasibleProblemError(f"{what} is infeasible: {explain_infeasibility(named)}")
    if problem.status in (cp.UNBOUNDED, cp.UNBOUNDED_INACCURATE):
        raise ValidationError(f"{what} is unbounded: add a budget, bounds or a leverage limit")
    if problem.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
        raise SolverError(f"{what}: {solver} ended with status {problem.status}")
    duals = {}
    if not mixed:
        for name, con in named:
            value = con.dual_value
            if value is not None and np.size(value) == 1:
                value = float(np.asarray(value).reshape(-1)[0])
                # equalities: d objective* / d right-hand side; inequalities: the (>= 0) gain per unit of relaxation
                duals[name] = -value if isinstance(con, cp.constraints.Equality) else value
    return problem, solver, duals


#: Portfolio objectives are ~1e-4: Clarabel's default 1e-8 gaps would leave weights wrong in the 4th digit.
CLARABEL_TIGHT = {"tol_gap_abs": 1e-14, "tol_gap_rel": 1e-12, "tol_feas": 1e-12, "tol_ktratio": 1e-10}


def equal_weight(expected_returns: Any, covariance: Any, *, assets: Sequence[str] | None = None) -> PortfolioResult:
    """1/n in every asset (the benchmark every strategy should beat; optimises nothing)."""
    start = time.perf_counter()
    mu, cov, names = _inputs(expected_returns, covariance, assets)
    w = np.full(len(names), 1.0 / len(names))
    return _result("equal-weight", names, w, mu, cov, None, Status.OPTIMAL, {}, "closed form", start)


def min_variance(expected_returns: Any, covariance: Any, *, constraints: Constraints = LONG_ONLY,
                 assets: Sequence[str] | None = None) -> PortfolioResult:
    """Global minimum variance: w = Sigma^-1 1 / 1' Sigma^-1 1 when only the budget applies, else a QP.
    ``expected_returns`` may be None (it only fills ``expected_return`` of the answer)."""
    check_constraints(constraints)
    start = time.perf_counter()
    mu, cov, names = _inputs(expected_returns, covariance, assets)
    if constraints.budget_only and constraints.budget:
        try:
            x = np.linalg.solve(cov, np.ones(len(names)))
        except np.linalg.LinAlgError:
            raise ValidationError("covariance is singular: the closed-form minimum variance needs it invertible; "
                                  "add bounds (a QP) or shrink the covariance (ledoit_wolf)") from None
        w = constraints.budget * x / x.sum()
        var = float(w @ cov @ w)
        # the budget's multiplier of min w'Sigma w: d var*/d budget = 2 budget / 1'Sigma^-1 1
        return _result("min-variance", names, w, mu, cov, var, Status.OPTIMAL, {"budget": 2.0 * constraints.budget / x.sum()},
                       "closed form", start)
    fast = _active_set_result("min-variance", names, mu, cov, constraints, start)
    return fast if fast is not None else _convex("min-variance", mu, cov, names, constraints, start)


def min_variance_for_return(expected_returns: Any, covariance: Any, *, target_return: float,
                            constraints: Constraints = LONG_ONLY, assets: Sequence[str] | None = None) -> PortfolioResult:
    """Minimum variance subject to mu'w >= target (the target's dual: marginal variance per unit of return)."""
    check_constraints(constraints)
    start = time.perf_counter()
    mu, cov, names = _require_returns(*_inputs(expected_returns, covariance, assets), "min_variance_for_return")
    return _convex("min-variance-for-return", mu, cov, names, constraints, start, target_return=target_return)


def max_return_for_volatility(expected_returns: Any, covariance: Any, *, target_volatility: float,
                              constraints: Constraints = LONG_ONLY, assets: Sequence[str] | None = None) -> PortfolioResult:
    """Maximum expected return subject to w'Sigma w <= target_volatility^2 (a variance budget)."""
    check_constraints(constraints)
    start = time.perf_counter()
    mu, cov, names = _require_returns(*_inputs(expected_returns, covariance, assets), "max_return_for_volatility")
    if target_volatility <= 0:
        raise ValidationError(f"target_volatility must be positive, got {target_volatility}")
    return _convex("max-return-for-volatility", mu, cov, names, constraints, start, variance_budget=target_volatility ** 2)


def box_bounds(constraints: Constraints, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(lower, upper) per asset when ``constraints`` are only a budget and per-asset bounds (the
    active-set solver's class), else None."""
    c = constraints
    if (c.budget is None or c.gross_leverage is not None or c.groups or c.current is not None or c.cardinality is not None
            or c.min_holding):
        return None
    lower = _vector(c.lower, n, "lower")
    upper = _vector(c.upper, n, "upper")
    if c.long_only:
        if lower is not None and np.any(lower < 0):
            return None  # build() raises the clear error
        lower = np.zeros(n) if lower is None else lower
    lower = np.full(n, -np.inf) if lower is None else lower
    upper = np.full(n, np.inf) if upper is None else upper
    return lower, upper


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
    return _result(strategy, names, w, mu, cov, float(w @ cov @ w), Status.OPTIMAL, duals, "active-set", start,
                   {"iterations": sol.iterations})


def _psd_sqrt(cov: np.ndarray) -> np.ndarray:
    vals, vecs = np.linalg.eigh(cov)
    return (vecs * np.sqrt(np.clip(vals, 0.0, None))) @ vecs.T


def _convex(strategy: str, mu: np.ndarray | None, cov: np.ndarray, names: tuple[str, ...], constraints: Constraints, start: float,
            *, target_return: float | None = None, variance_budget: float | None = None, score: np.ndarray | None = None,
            tradeoff: float = 0.0) -> PortfolioResult:
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
    return _result(strategy, names, w.value, mu, cov, value, problem.status, duals, solver, start)


def max_sharpe(expected_returns: Any, covariance: Any, *, risk_free: float = 0.0, constraints: Constraints = LONG_ONLY,
               assets: Sequence[str] | None = None) -> PortfolioResult:
    """Maximum Sharpe ratio via the homogenised convex form: min y'Sigma y s.t. (mu - rf)'y = 1 and
    the constraints scaled by kappa >= 0; then w = y / kappa. Needs some asset with mu > rf."""
    import cvxpy as cp

    check_constraints(constraints)
    start = time.perf_counter()
    mu, cov, names = _require_returns(*_inputs(expected_returns, covariance, assets), "max_sharpe")
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
        return _result("max-sharpe", names, w, mu, cov, float((mu @ w - risk_free) / math.sqrt(w @ cov @ w)), Status.OPTIMAL, {},
                       "closed form", start, {"risk_free": risk_free})
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
    return _result("max-sharpe", names, w, mu, cov, sharpe, problem.status, {}, solver, start, {"risk_free": risk_free})


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
    return _result("max-sharpe", names, w, mu, cov, sharpe, Status.OPTIMAL, {}, "active-set", start,
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
    return _result("max-sharpe", names, w, mu, cov, sharpe, problem.status, {}, solver, start,
                   {"risk_free": risk_free, "cardinality": k, "kappa_max": kappa_max,
                    "continuous_sharpe": continuous.sharpe(risk_free)})


def risk_budgeting(expected_returns: Any, covariance: Any, *, budgets: Any = None, assets: Sequence[str] | None = None,
                   tol: float = 1e-12, max_iter: int = 100) -> PortfolioResult:
    """Long-only portfolio whose risk contributions equal ``budgets`` (equal: risk parity).

    Solves min 1/2 y'Sigma y - sum b_i log y_i (strictly convex; Spinu 2013) by damped Newton, then
    w = y / sum y; at the optimum y_i (Sigma y)_i = b_i, so the contributions are exactly b.
    """
    start = time.perf_counter()
    mu, cov, names = _inputs(expected_returns, covariance, assets)
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
    return _result(strategy, names, w, mu, cov, None, Status.OPTIMAL, {}, "newton", start,
                   {"iterations": iterations, "budgets": b.tolist(), "max_contribution_error": float(np.max(np.abs(rc - b)))})


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
    return _result("min-cvar", names, w.value, mu, cov, float(problem.value), problem.status, duals, solver, start,
                   {"alpha": alpha, "value_at_risk": float(z.value), "scenarios": t})


def cvar(weights: Any, scenarios: Any, alpha: float = 0.95) -> float:
    """CVaR of the loss -r'w: the mean of the worst (1 - alpha) share of scenario losses (fractional
    tail scenario weighted), the value the Rockafellar-Uryasev LP minimises."""
    losses = np.sort(-(np.asarray(scenarios, dtype=float) @ np.asarray(weights, dtype=float)))[::-1]
    k = (1 - alpha) * losses.size
    whole = math.floor(k)
    tail = losses[:whole].sum() + (k - whole) * (losses[whole] if whole < losses.size else 0.0)
    return float(tail / k)


def score_tradeoff(expected_returns: Any, covariance: Any, score: Any, *, tradeoff: float, constraints: Constraints = LONG_ONLY,
                   assets: Sequence[str] | None = None) -> PortfolioResult:
    """Weighted multi-objective: min w'Sigma w - tradeoff * score'w (score: ESG, momentum, a signal);
    ``expected_returns`` may be None."""
    check_constraints(constraints)
    start = time.perf_counter()
    mu, cov, names = _inputs(expected_returns, covariance, assets)
    s = np.asarray(score, dtype=float)
    if s.shape != (len(names),) or not np.all(np.isfinite(s)):
        raise ValidationError(f"score must be {len(names)} finite numbers, one per asset")
    return _convex("score-tradeoff", mu, cov, names, constraints, start, score=s, tradeoff=float(tradeoff))
