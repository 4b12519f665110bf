"""The exact baselines' problem as a MIQP in Gurobi (``engine=gurobi``), for users with gurobipy.

The textbook model, the one a researcher with a license writes first: per asset a selection
binary z_i and a holding x_i (integer units on the grid, or a continuous weight), lo_i z_i <= x_i
<= hi_i z_i, sum z = K, sum x = U (units) or 1, and the objective of
:meth:`PortfolioProblem.objective_coefficients` (x' (a Sigma) x - b mu'x in units; lambda w'Sigma w
- (1 - lambda) mu'w in weights), divided by the objective's natural size like the SCIP model's, so
that Gurobi's tolerances mean the same thing. SCIP's model (:mod:`.miqp`) adds perspective cones;
Gurobi applies its own reformulations to the binary-linked quadratic.

pip's gurobipy carries a size-limited license (2 000 variables and linear constraints); larger
models need a license from Gurobi. Both a missing package and a refused license are reported in
one line that says what to install.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..bounds.repair import nearest_feasible_units
from ..errors import SolverError, ValidationError
from ..problem import PortfolioProblem
from ..status import Status
from .miqp import natural_objective_size

INSTALL = "pip install 'qportfolio[gurobi]' (gurobipy; its pip license solves models up to 2 000 variables)"


def gurobipy() -> Any:
    """The gurobipy module, or a one-line refusal naming the extra to install."""
    try:
        import gurobipy as gp
    except ImportError:
        raise ValidationError(f"engine=gurobi needs gurobipy, which is not installed: {INSTALL}; "
                              "or engine=scip (the default)") from None
    return gp


@dataclass(frozen=True, eq=False)
class GurobiModel:
    """A built Gurobi model and what is needed to read its solution back."""

    problem: PortfolioProblem
    model: Any  #: gurobipy.Model
    x: Any  #: MVar of units (discrete) or weights (continuous)
    z: Any  #: MVar of selection binaries
    step: float  #: weight of one unit of x
    scale: float  #: Gurobi's objective times ``scale`` is f
    integer: bool

    def weights(self, solution: Any = None) -> np.ndarray | None:
        """Weights of a solution: ``solution`` the values of x in asset order (units on the grid,
        weights otherwise), or None for the model's best solution (None without one). Grid units are
        rounded and, if the rounding left the grid's constraints, repaired to the nearest feasible
        portfolio (the :class:`~qportfolio.formulations.Formulation` protocol)."""
        if solution is not None:
            values = np.asarray(solution, dtype=float).copy()
            if values.shape != (self.problem.n,):
                raise ValidationError(f"a solution of this model has {self.problem.n} values of x, got shape {values.shape}")
            if not self.integer:
                return values
        elif self.model.SolCount == 0:
            return None
        else:
            values = np.asarray(self.x.X, dtype=float)
            if not self.integer:
                values[np.asarray(self.z.X) < 0.5] = 0.0
                return values
        units = np.round(values).astype(np.int64)
        if not self.problem.is_feasible(units * self.step):
            units = nearest_feasible_units(self.problem, units)
        return units * self.step

    def status(self) -> Status:
        grb = gurobipy().GRB
        code, has_sol = self.model.Status, self.model.SolCount > 0
        if code == grb.OPTIMAL:
            return Status.OPTIMAL
        if code in (grb.INFEASIBLE, grb.INF_OR_UNBD):
            return Status.INFEASIBLE
        if code == grb.UNBOUNDED:
            return Status.UNBOUNDED
        if code == grb.TIME_LIMIT:
            return Status.TIME_LIMIT if has_sol else Status.NO_SOLUTION
        return Status.FEASIBLE if has_sol else Status.NO_SOLUTION

    def info(self) -> dict[str, Any]:
        m = self.model
        has_sol = m.SolCount > 0
        return {"engine": "gurobi", "gurobi_version": ".".join(map(str, gurobipy().gurobi.version())),
                "gurobi_status": int(m.Status), "gurobi_objective": float(m.ObjVal) * self.scale if has_sol else None,
                "gurobi_gap": float(m.MIPGap) if has_sol else None, "nodes": int(m.NodeCount),
                "solving_seconds": float(m.Runtime)}


def build(problem: PortfolioProblem, *, integer: bool, time_limit: float | None = None, threads: int = 1,
          verbose: bool = False, seed: int | None = None, start: np.ndarray | None = None) -> GurobiModel:
    """The model of the module docstring, with ``start`` (units on the grid, weights otherwise, as
    :func:`.miqp.build` takes it) as its first incumbent."""
    gp = gurobipy()
    grb = gp.GRB
    try:
        env = gp.Env(empty=True)
        env.setParam("OutputFlag", 1 if verbose else 0)  # also keeps the license banner off stdout
        env.start()
    except gp.GurobiError as exc:
        raise SolverError(f"Gurobi could not start ({exc}); check the license, or {INSTALL}") from None
    model = gp.Model(env=env)
    scale = natural_objective_size(problem)
    n, k = problem.n, problem.cardinality
    if integer:
        step = problem.weight_step
        lo, hi = (b.astype(float) for b in problem.unit_bounds)
        a, b = problem.objective_coefficients()
        q, c, total, vtype = a * problem.covariance, -b * problem.expected_returns, float(problem.units), grb.INTEGER
    else:
        step = 1.0
        lo, hi = problem.min_weight.astype(float), problem.max_weight.astype(float)
        q, c = problem.unit_objective(1.0)
        total, vtype = 1.0, grb.CONTINUOUS
    x = model.addMVar(n, lb=0.0, ub=hi, vtype=vtype, name="x")
    z = model.addMVar(n, vtype=grb.BINARY, name="z")
    model.addConstr(x >= lo * z, name="buy_in")
    model.addConstr(x <= hi * z, name="cap")
    model.addConstr(z.sum() == k, name="cardinality")
    model.addConstr(x.sum() == total, name="budget")
    model.setObjective((x @ (0.5 * (q + q.T)) @ x + c @ x) / scale, grb.MINIMIZE)
    model.Params.MIPGap = 1e-9  # proofs to SCIP's standard, not Gurobi's default 1e-4
    model.Params.Threads = threads
    if time_limit is not None:
        model.Params.TimeLimit = time_limit
    if seed is not None:
        model.Params.Seed = int(seed) % 2_000_000_000
    if start is not None:
        held = np.asarray(start) > 0
        x.Start = np.asarray(start, dtype=float)
        z.Start = held.astype(float)
    return GurobiModel(problem, model, x, z, step, scale, integer)


def optimize(gm: GurobiModel) -> None:
    """Solve; a model over the license's size is one line naming the way out."""
    gp = gurobipy()
    try:
        gm.model.optimize()
    except gp.GurobiError as exc:
        if getattr(exc, "errno", None) == 10010 or "size-limited" in str(exc):
            raise SolverError(f"Gurobi refused the model: {exc}. pip's license stops at 2 000 variables or constraints; "
                              "use a full Gurobi license, or engine=scip") from None
        raise SolverError(f"Gurobi failed: {exc}") from None
