"""Exact baselines in SCIP: the discretised problem (MIQP, integer units) and the continuous one.

Formulation (x = units for ``exact-discrete``, x = weights for ``exact-continuous``; w = s x with
s = weight_step or 1):

    min  lambda s^2 (sum_i d_i p_i + eta) - (1 - lambda) s mu'x
    s.t. sum z = K,  sum x = 1/s,  lo_i z_i <= x_i <= hi_i z_i,  z binary,
         x_i^2 <= p_i z_i              (perspective cuts of the diagonal part)
         eta >= x' R x                 (convex remainder)

with Sigma = diag(d) + R, R PSD. The plain big-M model (eta >= x'Sigma x) has a weak continuous
relaxation and stalls on the 85- to 98-asset OR-Library sets; the perspective terms make the
relaxation of an unheld asset's variance exact. The diagonal d is the largest uniform multiple of
the variances that keeps R PSD (``split="correlation"``) or, with ``split="sdp"``, the solution of
max sum d s.t. Sigma - diag(d) PSD (cvxpy).

The objective is divided by its natural size before it reaches SCIP so that SCIP's absolute
tolerances (1e-6) do not swamp objectives of order 1e-5; the reported objective is recomputed in
float64 from the weights. ``exact-continuous`` polishes the weights of SCIP's support with a
convex QP (cvxpy, Clarabel) because SCIP's tolerances distort small objectives by ~1 %.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

import cvxpy as cp
import numpy as np
import pyscipopt

from ..errors import SolverError, ValidationError
from ..linalg import smallest_eigenvalue
from ..outcome import Status
from ..problem import PortfolioProblem
from ..relaxation import solve_relaxation
from ..repair import heuristic_units, nearest_feasible_units
from .base import Solver, SolverOutput
from .registry import register


def diagonal_split(cov: np.ndarray, method: Literal["correlation", "sdp", "none"] = "correlation") -> np.ndarray:
    """A diagonal d >= 0 with Sigma - diag(d) PSD (see module docstring)."""
    var = np.diag(cov)
    if method == "none" or not np.all(var > 0):
        return np.zeros_like(var)
    if method == "correlation":
        scale = np.sqrt(var)
        corr = cov / np.outer(scale, scale)
        d = max(smallest_eigenvalue(corr), 0.0) * var
    elif method == "sdp":
        dvar = cp.Variable(cov.shape[0], nonneg=True)
        scaled = cov / var.mean()
        prob = cp.Problem(cp.Maximize(cp.sum(dvar)), [scaled - cp.diag(dvar) >> 0, dvar <= np.diag(scaled)])
        prob.solve(solver=cp.CLARABEL)
        if dvar.value is None:
            raise SolverError(f"the SDP diagonal split failed ({prob.status}); use split='correlation'")
        d = np.clip(dvar.value, 0.0, None) * var.mean()
    else:
        raise ValidationError(f"split must be 'correlation', 'sdp' or 'none', got {method!r}")
    d = d * (1.0 - 1e-7)
    slack = smallest_eigenvalue(cov - np.diag(d))  # keep the remainder safely PSD
    margin = 1e-9 * float(var.max())
    if slack < margin:
        d = np.clip(d - (margin - slack), 0.0, None)
    return d


def natural_objective_size(problem: PortfolioProblem) -> float:
    """Natural size of f, so that SCIP sees an objective of order one (SCIP's objective is f divided by it)."""
    lam = problem.risk_aversion
    typical = lam * float(np.mean(np.diag(problem.covariance))) / problem.cardinality
    typical += (1.0 - lam) * float(np.mean(np.abs(problem.expected_returns)))
    return max(typical, 1e-300)


@dataclass(frozen=True, eq=False)
class ScipModel:
    """The SCIP model of the module docstring and what is needed to read its solution back."""

    model: pyscipopt.Model
    x: list[Any]  #: units (discrete) or weights (continuous), one per asset
    z: list[Any]  #: selection binaries, one per asset
    step: float  #: weight of one unit of x (weight_step, or 1 for continuous weights)
    scale: float  #: SCIP's objective times ``scale`` is f


def build_scip_model(
    problem: PortfolioProblem,
    *,
    integer: bool,
    split: str = "correlation",
    time_limit: float | None = None,
    threads: int = 1,
    verbose: bool = False,
    start: np.ndarray | None = None,
) -> ScipModel:
    """The SCIP model of the module docstring, optionally warm-started at the weights/units ``start``."""
    n, lam = problem.n, problem.risk_aversion
    cov, mu = problem.covariance, problem.expected_returns
    if integer:
        step = problem.weight_step
        lo, hi = (b.astype(float) for b in problem.unit_bounds)
        total = float(problem.units)
    else:
        step, total = 1.0, 1.0
        lo, hi = np.asarray(problem.min_weight, float), np.asarray(problem.max_weight, float)
    scale = natural_objective_size(problem)
    model = pyscipopt.Model(f"qportfolio-{'discrete' if integer else 'continuous'}")
    if not verbose:
        model.hideOutput()
    if time_limit is not None:
        model.setParam("limits/time", float(time_limit))
    model.setParam("parallel/maxnthreads", int(threads))
    vtype = "I" if integer else "C"
    x = [model.addVar(f"x{i}", vtype=vtype, lb=0.0, ub=hi[i]) for i in range(n)]
    z = [model.addVar(f"z{i}", vtype="B") for i in range(n)]
    for i in range(n):
        model.addCons(x[i] <= hi[i] * z[i])
        model.addCons(x[i] >= lo[i] * z[i])
    model.addCons(pyscipopt.quicksum(z) == problem.cardinality)
    model.addCons(pyscipopt.quicksum(x) == total)
    objective = pyscipopt.quicksum(-(1.0 - lam) * step * mu[i] / scale * x[i] for i in range(n))
    aux: list[tuple[Any, Any]] = []  # (variable, value at the start point) for the warm start
    x0 = None if start is None else np.asarray(start, dtype=float)
    if lam > 0:
        # eta and p_i are in (scaled) objective units, so SCIP's absolute tolerances act on O(1) numbers
        d = diagonal_split(cov, split)  # type: ignore[arg-type]
        quad_coef = lam * step * step / scale
        rem = (cov - np.diag(d)) * quad_coef
        eta = model.addVar("eta", lb=0.0)
        rows, cols = np.triu_indices(n)
        vals = np.where(rows == cols, 1.0, 2.0) * rem[rows, cols]
        model.addCons(pyscipopt.quicksum(v * x[r] * x[c] for r, c, v in zip(rows, cols, vals) if v != 0) <= eta)
        objective += eta
        if x0 is not None:
            aux.append((eta, float(x0 @ rem @ x0) * (1 + 1e-9)))
        for i in np.flatnonzero(d > 0):
            p = model.addVar(f"p{i}", lb=0.0)
            model.addCons(quad_coef * d[i] * x[i] * x[i] <= p * z[i])
            objective += p
            if x0 is not None:
                aux.append((p, quad_coef * d[i] * x0[i] ** 2 * (1 + 1e-9)))
    obj_var = model.addVar("objective", lb=None)
    model.addCons(obj_var >= objective)
    model.setObjective(obj_var, "minimize")
    if x0 is not None:
        linear = float(-(1.0 - lam) * step * (mu @ x0) / scale)
        sol = model.createSol()
        for i in range(n):
            model.setSolVal(sol, x[i], float(x0[i]))
            model.setSolVal(sol, z[i], 1.0 if x0[i] > 0 else 0.0)
        for var, value in aux:
            model.setSolVal(sol, var, value)
        model.setSolVal(sol, obj_var, linear + sum(value for _, value in aux))
        if not model.addSol(sol, free=True):
            raise SolverError("SCIP rejected the warm-start portfolio (internal error: please report)")
    return ScipModel(model, x, z, step, scale)


def scip_output(problem: PortfolioProblem, scip: ScipModel, weights: np.ndarray | None, params: dict[str, Any], *,
                discrete: bool, message: str = "") -> SolverOutput:
    """The answer of a solved SCIP model: status, proven bound (in f's units) and SCIP's figures;
    ``discrete`` says whether feasibility includes the weight grid."""
    model, scale = scip.model, scip.scale
    raw = model.getStatus()
    has_sol = model.getNSols() > 0
    status = Status.from_scip(raw, has_sol)
    bound = float(model.getDualbound()) * scale
    info = {
        "scip_status": raw,
        "scip_objective": float(model.getObjVal()) * scale if has_sol else None,
        "scip_gap": float(model.getGap()) if has_sol else None,
        "nodes": int(model.getNNodes()),
        "solving_seconds": float(model.getSolvingTime()),
    }
    if weights is None:
        return SolverOutput(weights=np.zeros(problem.n), feasible=False, status=Status.NO_SOLUTION, parameters=params,
                            bound=bound, message=message or f"SCIP found no solution (status {raw})", info=info)
    if status == Status.OPTIMAL:
        # SCIP proved its incumbent optimal up to its tolerances; the bound never exceeds it.
        bound = min(bound, float(problem.objective(weights)))
    return SolverOutput(weights=weights, feasible=problem.is_feasible(weights, discrete=discrete), status=status,
                        parameters=params, bound=bound, message=message, info=info)


def _heuristic_start(problem: PortfolioProblem) -> np.ndarray:
    """A good feasible grid portfolio (relaxation, rounding, local search) to warm-start SCIP."""
    upper = problem.unit_bounds[1] * problem.weight_step
    return heuristic_units(problem, solve_relaxation(problem, upper))


def _check_common(time_limit: Any, threads: Any) -> None:
    if time_limit is not None and (not isinstance(time_limit, (int, float)) or time_limit <= 0):
        raise ValidationError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    if not isinstance(threads, int) or threads < 1:
        raise ValidationError(f"threads must be a positive integer, got {threads!r}")


COMMON_OPTIONS = {
    "time_limit": "seconds before SCIP stops with its best solution and bound (default: none)",
    "split": "diagonal split for the perspective terms: correlation (default), sdp, none",
    "threads": "SCIP threads (default 1)",
    "verbose": "show SCIP's log",
    "seed": "accepted for a uniform interface; SCIP is deterministic",
}


@register
class ExactDiscreteSolver(Solver):
    name = "exact-discrete"
    description = "the discretised problem as a MIQP in SCIP, solved to proven optimality"
    options = dict(COMMON_OPTIONS)

    def _solve(self, problem: PortfolioProblem, time_limit: float | None = None, split: str = "correlation",
               threads: int = 1, verbose: bool = False, seed: int | None = None) -> SolverOutput:
        _check_common(time_limit, threads)
        start = _heuristic_start(problem)
        scip = build_scip_model(problem, integer=True, split=split, time_limit=time_limit, threads=threads,
                                verbose=verbose, start=start)
        model = scip.model
        model.optimize()
        weights = None
        if model.getNSols() > 0:
            sol = model.getBestSol()
            units = np.round([model.getSolVal(sol, v) for v in scip.x]).astype(np.int64)
            if not problem.is_feasible(units * scip.step):  # rounding of a tolerance-feasible point
                units = nearest_feasible_units(problem, units)
            weights = units * scip.step
        params = {"time_limit": time_limit, "split": split, "threads": threads}
        return scip_output(problem, scip, weights, params, discrete=True)


def polish_support(problem: PortfolioProblem, support: np.ndarray) -> np.ndarray | None:
    """Optimal continuous weights on a fixed support (convex QP in cvxpy with Clarabel)."""
    idx = np.flatnonzero(support)
    lam, scale = problem.risk_aversion, natural_objective_size(problem)
    cov = problem.covariance[np.ix_(idx, idx)]
    w = cp.Variable(idx.size)
    obj = lam * cp.quad_form(w, cp.psd_wrap(cov)) - (1.0 - lam) * (problem.expected_returns[idx] @ w)
    cons = [cp.sum(w) == 1, w >= problem.min_weight[idx], w <= problem.max_weight[idx]]
    prob = cp.Problem(cp.Minimize(obj / scale), cons)
    try:
        prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    except cp.SolverError:
        return None
    if w.value is None:
        return None
    out = np.zeros(problem.n)
    out[idx] = np.clip(w.value, problem.min_weight[idx], problem.max_weight[idx])
    out[idx] += (1.0 - out.sum()) / idx.size  # remove the solver's last 1e-12 of budget error
    return out if problem.is_feasible(out, discrete=False) else None


@register
class ExactContinuousSolver(Solver):
    name = "exact-continuous"
    description = "cardinality-constrained problem with continuous weights in SCIP (perspective), polished by a QP"
    options = dict(COMMON_OPTIONS)

    def _solve(self, problem: PortfolioProblem, time_limit: float | None = None, split: str = "correlation",
               threads: int = 1, verbose: bool = False, seed: int | None = None) -> SolverOutput:
        _check_common(time_limit, threads)
        start = polish_support(problem, _heuristic_start(problem) > 0)
        scip = build_scip_model(problem, integer=False, split=split, time_limit=time_limit, threads=threads,
                                verbose=verbose, start=start)
        model = scip.model
        t0 = time.perf_counter()
        model.optimize()
        weights, message = None, ""
        if model.getNSols() > 0:
            sol = model.getBestSol()
            support = np.array([model.getSolVal(sol, v) > 0.5 for v in scip.z])
            scip_w = np.array([model.getSolVal(sol, v) for v in scip.x])
            weights = polish_support(problem, support)
            if weights is None:
                weights = scip_w
                message = "QP polish failed; weights are SCIP's own"
        params = {"time_limit": time_limit, "split": split, "threads": threads}
        out = scip_output(problem, scip, weights, params, discrete=False, message=message)
        out.info["optimize_seconds"] = time.perf_counter() - t0
        return out
