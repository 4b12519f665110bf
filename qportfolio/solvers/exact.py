"""Exact baselines in SCIP: ``exact-discrete`` (the grid problem, integer units) and
``exact-continuous`` (continuous weights), both on the MIQP of :mod:`qportfolio.formulations.miqp`.

Each starts SCIP at a good feasible portfolio (relaxation, rounding, local search) and reports
SCIP's proven bound beside the answer; the reported objective is recomputed in float64 from the
weights. ``exact-continuous`` polishes the weights of SCIP's support with a convex QP (an exact
active-set method; cvxpy and Clarabel where it declines).
"""

from __future__ import annotations

import contextlib
import time
from typing import Any, ClassVar

import numpy as np
import pyscipopt

from .. import diagnostics
from ..bounds.start import feasible_start
from ..diagnostics import Diagnostics, ExactDiagnostics
from ..errors import ValidationError
from ..formulations import miqp
from ..formulations.miqp import MODELS, SETTINGS
from ..numerics.perspective import SPLITS
from ..problem import PortfolioProblem
from ..result import Result
from ..status import Status
from ..utils import progress
from .base import Solver, SolverOutput
from .options import BOOLEAN, COUNT, POSITIVE, Option, Role, choice, declare, seed_option
from .registry import register


def _watch_progress(scip: miqp.ScipModel) -> None:
    """Report SCIP's incumbent, bound and gap (in f's units) while it solves, when a progress
    reporter is active (:mod:`qportfolio.utils.progress`); a no-op otherwise."""
    if not progress.active():
        return

    class ScipProgress(pyscipopt.Eventhdlr):
        def eventinit(self) -> None:
            events = pyscipopt.SCIP_EVENTTYPE
            for kind in (events.BESTSOLFOUND, events.NODESOLVED, events.LPSOLVED):  # LPs: the root cut loop too
                self.model.catchEvent(kind, self)

        def eventexec(self, event: Any) -> None:
            model = self.model
            incumbent = f"{model.getPrimalbound() * scip.scale:.8g}" if model.getNSols() else "none yet"
            progress.update(f"SCIP: incumbent {incumbent}, bound {model.getDualbound() * scip.scale:.8g}, "
                            f"gap {100 * model.getGap():.3g} %, {model.getNNodes()} nodes")

    scip.model.includeEventhdlr(ScipProgress(), "qportfolio-progress", "progress lines for a watching person")


def _finite(model: Any, value: float, scale: float) -> float | None:
    """``value`` in f's units, or None where SCIP reports infinity (e.g. no root LP: solved in presolve)."""
    return float(value) * scale if abs(value) < model.infinity() else None


def scip_output(problem: PortfolioProblem, scip: miqp.ScipModel, weights: np.ndarray | None, params: dict[str, Any], *,
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
        "lp_iterations": int(model.getNLPIterations()),
        "root_bound": _finite(model, model.getDualboundRoot(), scale),  # the bound after the root (cuts included)
        "presolve_seconds": float(model.getPresolvingTime()),
        "solving_seconds": float(model.getSolvingTime()),
        "split_seconds": scip.split_seconds,
        "split_used": scip.split_used,
    }
    if weights is None:
        return SolverOutput(weights=np.zeros(problem.n), feasible=False, status=Status.NO_SOLUTION, parameters=params,
                            bound=bound, message=message or f"SCIP found no solution (status {raw})", info=info)
    if status == Status.OPTIMAL:
        # SCIP proved its incumbent optimal up to its tolerances; the bound never exceeds it.
        bound = min(bound, float(problem.objective(weights)))
    return SolverOutput(weights=weights, feasible=problem.is_feasible(weights, discrete=discrete), status=status,
                        parameters=params, bound=bound, message=message, info=info)


COMMON_OPTIONS = declare(
    Option("engine", "scip (the default baseline) or gurobi (gurobipy and a license: pip install 'qportfolio[gurobi]')",
           choice("scip", "gurobi"), default="scip", flag=True),
    Option("time_limit", "seconds before the engine stops with its best solution and bound (default: none)", POSITIVE,
           nullable=True, role=Role.TIME_LIMIT, flag=True),
    Option("model", "extended (remainder split by direction, secant cuts, z branched first) or compact (the earlier model)",
           choice(*MODELS), default="extended"),
    Option("split", "diagonal split for the perspective terms: auto (factor where the covariance is a factor model, "
                    "else sdp), factor (idiosyncratic variances: r remainder terms for r factors), sdp (max trace), "
                    "bound (the bound-optimal diagonal of this problem from an SDP: seconds to build, for hard points), "
                    "correlation, none",
           choice(*SPLITS), default="auto"),
    Option("settings", "SCIP's parameters: tuned (5 cut rounds of <= 50 cuts at the root, 1 of <= 20 per node "
                       "below, fast presolve, no primal heuristics: the solve starts at a heuristic incumbent) or "
                       "default (SCIP's own)",
           choice(*SETTINGS), default="tuned"),
    Option("threads", "the engine's threads", COUNT, default=1),
    Option("verbose", "show the engine's log", BOOLEAN, default=False),
    seed_option("accepted for a uniform interface; SCIP is deterministic (Gurobi's seed with engine=gurobi)"),
)
#: options of the SCIP model only: refused with engine=gurobi rather than ignored
SCIP_ONLY = {name: COMMON_OPTIONS[name].default for name in ("model", "split", "settings")}


def _gurobi_output(problem: PortfolioProblem, *, integer: bool, start: np.ndarray | None, time_limit: float | None,
                   threads: int, verbose: bool, seed: int | None, shaping: dict[str, str]) -> SolverOutput:
    """Solve with Gurobi (engine=gurobi): same problem, same Result and status vocabulary as SCIP's."""
    from ..formulations import gurobi_miqp

    given = {k: v for k, v in shaping.items() if v != SCIP_ONLY[k]}
    if given:
        raise ValidationError(f"{', '.join(f'{k}={v}' for k, v in given.items())} shapes the SCIP model; engine=gurobi "
                              "solves the textbook MIQP: drop it, or use engine=scip")
    gm = gurobi_miqp.build(problem, integer=integer, time_limit=time_limit, threads=threads, verbose=verbose, seed=seed,
                           start=start)
    gurobi_miqp.optimize(gm)
    weights, status, info = gm.weights(), gm.status(), gm.info()
    params = {"engine": "gurobi", "time_limit": time_limit, "threads": threads}
    bound = float(gm.model.ObjBound) * gm.scale if gm.model.SolCount or status == Status.OPTIMAL else None
    if weights is None:
        return SolverOutput(weights=np.zeros(problem.n), feasible=False, status=status if not status.has_solution
                            else Status.NO_SOLUTION, parameters=params, bound=bound, info=info,
                            message=f"Gurobi found no solution (status {gm.model.Status})")
    if status == Status.OPTIMAL:
        bound = min(bound, float(problem.objective(weights)))
    return SolverOutput(weights=weights, feasible=problem.is_feasible(weights, discrete=integer), status=status,
                        parameters=params, bound=bound, info=info)


def polish_support(problem: PortfolioProblem, support: np.ndarray) -> np.ndarray | None:
    """Optimal continuous weights on a fixed support: a convex QP of K variables, solved by the dense
    active-set method of :mod:`qportfolio.numerics.activeset` (exact KKT point, ~1 ms), with cvxpy and
    Clarabel as the fallback where that method declines (e.g. lambda = 0: no curvature)."""
    from ..numerics.activeset import ActiveSetFailure, budget_vertex, solve_qp

    idx = np.flatnonzero(support)
    q, c = problem.unit_objective(1.0)
    q_s, c_s = q[np.ix_(idx, idx)], c[idx]
    lo, hi = problem.min_weight[idx].astype(float), problem.max_weight[idx].astype(float)
    start = budget_vertex(1.0, lo, hi, np.argsort(c_s))
    weights = None
    if start is not None:
        with contextlib.suppress(ActiveSetFailure, np.linalg.LinAlgError):
            weights = solve_qp(2.0 * q_s, c_s, np.ones((1, idx.size)), np.ones(1), lo, hi, start).x
    if weights is None:
        weights = _polish_with_cvxpy(problem, idx, q_s, c_s, lo, hi)
        if weights is None:
            return None
    out = np.zeros(problem.n)
    out[idx] = np.clip(weights, lo, hi)
    out[idx] += (1.0 - out.sum()) / idx.size  # remove the last 1e-12 of budget error
    return out if problem.is_feasible(out, discrete=False) else None


def _polish_with_cvxpy(problem: PortfolioProblem, idx: np.ndarray, q: np.ndarray, c: np.ndarray, lo: np.ndarray,
                       hi: np.ndarray) -> np.ndarray | None:
    import cvxpy as cp  # imported here: cvxpy takes ~0.8 s to import, and most solves never need it

    w = cp.Variable(idx.size)
    prob = cp.Problem(cp.Minimize((cp.quad_form(w, cp.psd_wrap(q)) + c @ w) / miqp.natural_objective_size(problem)),
                      [cp.sum(w) == 1, w >= lo, w <= hi])
    try:
        prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    except cp.SolverError:
        return None
    return None if w.value is None else np.asarray(w.value)


class _ExactSolver(Solver):
    """Both exact solvers: a heuristic warm start, then Gurobi or SCIP; continuous weights are
    polished on SCIP's support (the start too, so SCIP begins at that support's optimum)."""

    integer: ClassVar[bool]  #: the grid problem (integer units) rather than continuous weights
    options = COMMON_OPTIONS

    def diagnose(self, result: Result) -> tuple[Diagnostics, ...]:
        """The search: nodes, LP iterations, root bound, whether optimality is proven, where the time went."""
        return diagnostics.of(result, ExactDiagnostics)

    def _solve(self, problem: PortfolioProblem, *, time_limit: float | None, model: str, split: str, threads: int,
               verbose: bool, seed: int | None, engine: str, settings: str) -> SolverOutput:
        integer = self.integer
        t_start = time.perf_counter()
        start: np.ndarray | None = feasible_start(problem)  # the problem's one cached start
        if not integer:
            start = polish_support(problem, start > 0)
        t_built = time.perf_counter()
        if engine == "gurobi":
            return _gurobi_output(problem, integer=integer, start=start, time_limit=time_limit, threads=threads,
                                  verbose=verbose, seed=seed,
                                  shaping={"model": model, "split": split, "settings": settings})
        scip = miqp.build(problem, integer=integer, model=model, split=split, time_limit=time_limit, threads=threads,
                          verbose=verbose, start=start, settings=settings)
        _watch_progress(scip)
        t0 = time.perf_counter()
        scip.model.optimize()
        weights, message = scip.weights(), ""
        if weights is not None and not integer:
            polished = polish_support(problem, scip.support())
            if polished is None:
                message = "QP polish failed; weights are SCIP's own"
            else:
                weights = polished
        params = {"engine": "scip", "time_limit": time_limit, "model": model, "split": split, "settings": settings,
                  "threads": threads}
        out = scip_output(problem, scip, weights, params, discrete=integer, message=message)
        out.info.update(heuristic_seconds=t_built - t_start, build_seconds=t0 - t_built,
                        optimize_seconds=time.perf_counter() - t0)
        return out


@register
class ExactDiscreteSolver(_ExactSolver):
    name = "exact-discrete"
    description = "the discretised problem as a MIQP in SCIP, solved to proven optimality"
    integer = True


@register
class ExactContinuousSolver(_ExactSolver):
    name = "exact-continuous"
    description = "cardinality-constrained problem with continuous weights in SCIP (perspective), polished by a QP"
    integer = False
