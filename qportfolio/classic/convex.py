"""Solving the classical strategies' cvxpy problems: Clarabel for convex ones, SCIP when a
cardinality limit makes them mixed-integer, with named constraints so that an infeasible problem
names its conflicting subset and a feasible one reports its shadow prices.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InfeasibleProblemError, SolverError, ValidationError

#: Portfolio objectives are ~1e-4: Clarabel's default 1e-8 gaps would leave weights wrong in the 4th digit.
CLARABEL_TIGHT = {"tol_gap_abs": 1e-14, "tol_gap_rel": 1e-12, "tol_feas": 1e-12, "tol_ktratio": 1e-10}


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
