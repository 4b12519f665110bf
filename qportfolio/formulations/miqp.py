"""The portfolio problem as a MIQP in SCIP (pyscipopt): ``build(problem, integer=...)`` and
``ScipModel.weights()``, the formulation behind the exact baselines (:mod:`qportfolio.solvers.exact`).

Formulation (x = units for ``exact-discrete``, x = weights for ``exact-continuous``; w = s x with
s = weight_step or 1; all quadratic terms in scaled objective units):

    min  lambda s^2 (sum_i d_i p_i + sum_k t_k) - (1 - lambda) s mu'x
    s.t. sum z = K,  sum x = 1/s,  lo_i z_i <= x_i <= hi_i z_i,  z binary,
         x_i^2 <= p_i z_i                  (perspective terms of the diagonal part)
         y = F'x,  y_k^2 <= t_k            (remainder R = F F', F triangular, one term per column)
         p_i >= (2j+1) x_i - j(j+1) z_i    (discrete only: secants of x^2 between grid points)

with Sigma = diag(d) + R, R PSD, d from :mod:`qportfolio.numerics.perspective` (by default the idiosyncratic
variances where Sigma is a factor model, so R has rank r and needs r terms, else the max-trace SDP
split; ``split="bound"`` takes the diagonal that maximises this problem's relaxation bound).
Each piece answers a measured weakness (``benchmarks/exact_speed.py``, OR-Library, K = 10):

* the plain big-M model (eta >= x'Sigma x) has a weak relaxation; the perspective terms make an
  unheld asset's variance exact, and the SDP split puts two to three times more variance there
  than the correlation split;
* one dense constraint eta >= x'Rx is cut by SCIP one gradient at a time, each cut a dense row;
  the extended form (Vielma, Dunning, Huchette & Lubin 2017) lets SCIP cut each direction
  separately, which closes the root gap much faster; a triangular factor F (from the
  eigenvectors by a QR) halves the nonzeros of those rows against the eigenvectors themselves,
  and SCIP's LPs are the cheaper for it (:func:`remainder_factor`);
* on the grid, x_i is an integer and x_i^2 lies above the secants through consecutive integers,
  so the secant cuts are valid and tighten the perspective between grid points;
* branching on the selection z before the units x;
* ``settings="tuned"``: five rounds of cuts at the root and one per node below it (SCIP's default
  is unlimited: on port4 at lambda 0.9 it spent ~2 700 LP iterations per node re-cutting the
  cones), at most 50 cuts a round at the root and 20 below it (SCIP: 2 000 and 100; each round of
  ~50 cone cuts cost the next LP ~250 dual simplex iterations, and the 20 most violated close
  nearly as much: port4 at lambda 0.9 went from 8.5 to 4.6 s on the grid, 4.5 to 3.4 s
  continuous), no primal heuristics, since the solve starts at a good incumbent, SCIP's fast
  presolve emphasis (its default presolve took 1.3 s of a 1.5 s proof on port5; presolve off is
  not an option: it "proved" a worse portfolio optimal on port3 at lambda 0.9), and neither the
  aggregation separator (half the time of easy continuous points, no cut) nor symmetry detection.
  Compare with ``benchmarks/exact_speed.py --models new scip-default``.

``model="compact"`` keeps the earlier model (one dense remainder constraint, no secants, no
priorities) for comparisons. Both are exact: every constraint holds at every feasible portfolio.

The objective is divided by its natural size before it reaches SCIP so that SCIP's absolute
tolerances do not swamp objectives of order 1e-5, and the feasibility tolerance is 1e-7 (SCIP's
default 1e-6, summed over ~2n quadratic constraints, understated port5's optimum by 1e-4
relative).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyscipopt

from ..bounds.repair import nearest_feasible_units
from ..errors import SolverError, ValidationError
from ..numerics.perspective import split_for_named
from ..problem import PortfolioProblem

MODELS = ("extended", "compact")
#: SCIP parameter sets: ``tuned`` (see the module docstring) or SCIP's ``default``
SETTINGS = ("tuned", "default")
#: SCIP's feasibility tolerance in the exact models (see the module docstring).
FEASIBILITY_TOLERANCE = 1e-7
#: SCIP parameters of ``settings="tuned"`` beyond no heuristics and fast presolve (module docstring)
TUNED_PARAMS: dict[str, int | bool] = {
    "separating/maxrounds": 1,  # cut rounds per node below the root (SCIP: unlimited)
    "separating/maxroundsroot": 5,  # cut rounds at the root (SCIP: unlimited)
    "separating/maxcuts": 20,  # cuts added per round below the root (SCIP: 100)
    "separating/maxcutsroot": 50,  # cuts added per round at the root (SCIP: 2 000)
    "separating/aggregation/freq": -1,  # c-MIR/flow-cover aggregation: no cut found on any OR-Library point
    "misc/usesymmetry": 0,  # assets have distinct data: symmetry detection finds nothing
}
#: Secant cuts per asset, from its lowest unit up: above ~16 units a secant gains < 0.1 % of x^2.
MAX_SECANTS = 16
#: Directions of the remainder with eigenvalues below this fraction of the largest are dropped
#: (their share of any portfolio's variance is below SCIP's tolerances).
EIGEN_RTOL = 1e-12


def natural_objective_size(problem: PortfolioProblem) -> float:
    """Natural size of f, so that SCIP sees an objective of order one (SCIP's objective is f divided by it)."""
    lam = problem.risk_aversion
    typical = lam * float(np.mean(np.diag(problem.covariance))) / problem.cardinality
    typical += (1.0 - lam) * float(np.mean(np.abs(problem.expected_returns)))
    return max(typical, 1e-300)


@dataclass(frozen=True, eq=False)
class ScipModel:
    """The SCIP model of the module docstring and what is needed to read its solution back."""

    problem: PortfolioProblem
    model: pyscipopt.Model
    x: list[Any]  #: units (discrete) or weights (continuous), one per asset
    z: list[Any]  #: selection binaries, one per asset
    step: float  #: weight of one unit of x (weight_step, or 1 for continuous weights)
    scale: float  #: SCIP's objective times ``scale`` is f
    split_seconds: float = 0.0  #: time taken by the diagonal split (the ``bound`` split solves an SDP)
    split_used: str = ""  #: the split taken ("auto" resolves to "factor (rank r)" or "sdp")
    integer: bool = False  #: x counts units of the grid (SCIP may retype a 0/1-unit x as binary, so ask here)

    def weights(self, solution: Any = None) -> np.ndarray | None:
        """The weights of a SCIP solution (default: the best one; None when SCIP has none). On the
        grid, units are rounded and a rounding of a tolerance-feasible point is repaired."""
        if solution is None:
            if self.model.getNSols() == 0:
                return None
            solution = self.model.getBestSol()
        values = np.array([self.model.getSolVal(solution, v) for v in self.x])
        if not self.integer:
            return values * self.step
        units = np.round(values).astype(np.int64)
        if not self.problem.is_feasible(units * self.step):
            units = nearest_feasible_units(self.problem, units)
        return units * self.step

    def support(self, solution: Any = None) -> np.ndarray:
        """The assets a SCIP solution holds (its selection binaries)."""
        solution = self.model.getBestSol() if solution is None else solution
        return np.array([self.model.getSolVal(solution, v) > 0.5 for v in self.z])


def build(
    problem: PortfolioProblem,
    *,
    integer: bool,
    model: str = "extended",
    split: str = "auto",
    time_limit: float | None = None,
    threads: int = 1,
    verbose: bool = False,
    start: np.ndarray | None = None,
    feasibility_tolerance: float = FEASIBILITY_TOLERANCE,
    settings: str = "tuned",
) -> ScipModel:
    """The SCIP model of the module docstring, optionally warm-started at the weights/units ``start``."""
    if model not in MODELS:
        raise ValidationError(f"model must be one of {', '.join(MODELS)}; got {model!r}")
    if settings not in SETTINGS:
        raise ValidationError(f"settings must be one of {', '.join(SETTINGS)}; got {settings!r}")
    extended = model == "extended"
    n, lam = problem.n, problem.risk_aversion
    cov = problem.covariance
    if integer:
        step = problem.weight_step
        lo, hi = (b.astype(float) for b in problem.unit_bounds)
        total = float(problem.units)
    else:
        step, total = 1.0, 1.0
        lo, hi = np.asarray(problem.min_weight, float), np.asarray(problem.max_weight, float)
    scale = natural_objective_size(problem)
    scip = pyscipopt.Model(f"qportfolio-{'discrete' if integer else 'continuous'}-{model}")
    if not verbose:
        scip.hideOutput()
    if time_limit is not None:
        scip.setParam("limits/time", float(time_limit))
    scip.setParam("parallel/maxnthreads", int(threads))
    scip.setParam("numerics/feastol", float(feasibility_tolerance))
    scip.setParam("constraints/nonlinear/tightenlpfeastol", False)
    if settings == "tuned":
        scip.setHeuristics(pyscipopt.SCIP_PARAMSETTING.OFF)
        scip.setPresolve(pyscipopt.SCIP_PARAMSETTING.FAST)
        for name, value in TUNED_PARAMS.items():
            scip.setParam(name, value)
    vtype = "I" if integer else "C"
    x = [scip.addVar(f"x{i}", vtype=vtype, lb=0.0, ub=hi[i]) for i in range(n)]
    z = [scip.addVar(f"z{i}", vtype="B") for i in range(n)]
    for i in range(n):
        scip.addCons(x[i] <= hi[i] * z[i])
        scip.addCons(x[i] >= lo[i] * z[i])
        if extended:
            scip.chgVarBranchPriority(z[i], 10)
    scip.addCons(pyscipopt.quicksum(z) == problem.cardinality)
    scip.addCons(pyscipopt.quicksum(x) == total)
    quad_coef, lin_coef = problem.objective_coefficients(step)
    linear_terms = -lin_coef * problem.expected_returns / scale
    objective = pyscipopt.quicksum(float(linear_terms[i]) * x[i] for i in range(n))
    x0 = None if start is None else np.asarray(start, dtype=float)
    aux: list[tuple[Any, float, bool]] = []  # (variable, value at the start, is an objective term)
    split_seconds, split_used = 0.0, "none (lambda = 0)"
    if lam > 0:
        t0 = time.perf_counter()
        d, split_used = split_for_named(problem, split)  # type: ignore[arg-type]
        split_seconds = time.perf_counter() - t0
        quad_coef /= scale
        rem = (cov - np.diag(d)) * quad_coef
        if extended:
            objective += _add_remainder_terms(scip, x, rem, x0, aux)
        else:
            eta = scip.addVar("eta", lb=0.0)
            rows, cols = np.triu_indices(n)
            vals = np.where(rows == cols, 1.0, 2.0) * rem[rows, cols]
            scip.addCons(pyscipopt.quicksum(float(v) * x[r] * x[c] for r, c, v in zip(rows, cols, vals) if v != 0) <= eta)
            objective += eta
            if x0 is not None:
                aux.append((eta, float(x0 @ rem @ x0) * (1 + 1e-9), True))
        for i in np.flatnonzero(d > 0):
            coef = float(quad_coef * d[i])
            p = scip.addVar(f"p{i}", lb=0.0)
            scip.addCons(coef * x[i] * x[i] <= p * z[i])
            if extended and integer:
                for j in range(int(lo[i]), int(min(hi[i], lo[i] + MAX_SECANTS))):
                    scip.addCons(p >= coef * ((2 * j + 1) * x[i] - j * (j + 1) * z[i]))
            objective += p
            if x0 is not None:
                aux.append((p, coef * x0[i] ** 2 * (1 + 1e-9), True))
    obj_var = scip.addVar("objective", lb=None)
    scip.addCons(obj_var >= objective)
    scip.setObjective(obj_var, "minimize")
    if x0 is not None:
        linear = float(linear_terms @ x0)
        sol = scip.createSol()
        for i in range(n):
            scip.setSolVal(sol, x[i], float(x0[i]))
            scip.setSolVal(sol, z[i], 1.0 if x0[i] > 0 else 0.0)
        for var, value, _ in aux:
            scip.setSolVal(sol, var, value)
        scip.setSolVal(sol, obj_var, linear + sum(value for _, value, in_objective in aux if in_objective))
        if not scip.addSol(sol, free=True):
            raise SolverError("SCIP rejected the warm-start portfolio (internal error: please report)")
    return ScipModel(problem, scip, x, z, step, scale, split_seconds, split_used, integer)


def remainder_factor(rem: np.ndarray) -> np.ndarray:
    """F (n x r) with F F' = R, lower trapezoidal: column k is zero above row k, so the rows
    y = F'x of the model have n, n - 1, ... nonzeros (half the eigenvectors' n each).

    The eigen-decomposition drops the directions below :data:`EIGEN_RTOL` (so a rank-r remainder
    gives r columns); a QR of the scaled eigenvectors then turns them into the triangular factor of
    the same R. SCIP cuts each y_k^2 <= t_k separately either way; the triangular rows make its LPs
    cheaper (port4 at lambda 0.9: 2.2 -> 1.7 s continuous, 4.5 -> 3.4 s on the grid)."""
    eigval, eigvec = np.linalg.eigh(0.5 * (rem + rem.T))
    keep = eigval > EIGEN_RTOL * max(float(eigval[-1]), 0.0)
    if not np.any(keep):
        return np.zeros((rem.shape[0], 0))
    upper = np.linalg.qr((eigvec[:, keep] * np.sqrt(eigval[keep])).T, mode="r")  # F F' = upper' upper
    return upper.T


def _add_remainder_terms(scip: pyscipopt.Model, x: list[Any], rem: np.ndarray, x0: np.ndarray | None,
                         aux: list[tuple[Any, float, bool]]) -> Any:
    """x'Rx as sum_k t_k with y = F'x, y_k^2 <= t_k, R = F F' (:func:`remainder_factor`); returns sum t."""
    factor = remainder_factor(rem)
    total = 0.0
    for k in range(factor.shape[1]):
        column = factor[:, k]
        y = scip.addVar(f"y{k}", lb=None)
        t = scip.addVar(f"t{k}", lb=0.0)
        scip.addCons(pyscipopt.quicksum(float(c) * xi for c, xi in zip(column, x) if c != 0.0) == y)
        scip.addCons(y * y <= t)
        total += t
        if x0 is not None:
            y0 = float(column @ x0)
            aux.append((y, y0, False))
            aux.append((t, y0 * y0 * (1 + 1e-9) + 1e-15, True))
    return total
