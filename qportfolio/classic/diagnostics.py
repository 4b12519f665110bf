"""Why a portfolio problem is infeasible: a small set of named constraints that cannot hold together,
and by how much.

1. Deletion filter (Chinneck): drop each named constraint in turn; if the rest is still infeasible
   it is not needed to explain the conflict and stays dropped. What remains is an irreducible
   infeasible subset (IIS): infeasible, yet feasible without any one of its members.
2. Elastic program on the IIS: every constraint g(w) <= 0 becomes g(w) <= s with s >= 0 (both
   sides for equalities); minimising the total slack says by how much the set misses.
"""

from __future__ import annotations

from typing import Any


def _feasible(constraints: list[Any]) -> bool:
    import cvxpy as cp

    problem = cp.Problem(cp.Minimize(0), constraints)
    try:
        problem.solve(solver="SCIP" if problem.is_mixed_integer() else "CLARABEL")
    except cp.error.SolverError:
        return False
    return problem.status in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE)


def conflicting_subset(named: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """An irreducible infeasible subset of ``named`` (empty if the whole set is feasible)."""
    if _feasible([c for _, c in named]):
        return []
    keep = list(named)
    for item in list(named):
        trial = [c for c in keep if c is not item]
        if not _feasible([c for _, c in trial]):
            keep = trial
    return keep


def violations(named: list[tuple[str, Any]]) -> dict[str, float]:
    """Least total slack that makes ``named`` feasible, per constraint (elastic program)."""
    import cvxpy as cp

    relaxed, slacks = [], {}
    for name, con in named:
        expr = con.expr
        s = cp.Variable(expr.shape, nonneg=True)
        slacks[name] = s
        if isinstance(con, cp.constraints.Equality) or type(con).__name__ == "Equality":
            relaxed += [expr <= s, -expr <= s]
        else:
            relaxed.append(expr <= s)
    problem = cp.Problem(cp.Minimize(sum(cp.sum(s) for s in slacks.values())), relaxed)
    problem.solve(solver="SCIP" if problem.is_mixed_integer() else "CLARABEL")
    return {name: float(s.value.sum()) if s.value is not None else float("nan") for name, s in slacks.items()}


def describe(subset: list[tuple[str, Any]], amounts: dict[str, float]) -> str:
    """One line naming the conflicting constraints, each with the slack it needs."""
    listed = ", ".join(f"{name} (slack {amounts[name]:.4g})" if amounts[name] > 1e-9 else name for name, _ in subset)
    return f"these {len(subset)} constraints cannot hold together: {listed}; they miss by {sum(amounts.values()):.4g} in total"


def explain_infeasibility(named: list[tuple[str, Any]]) -> str:
    """One line: the conflicting constraints and the total amount by which they miss."""
    subset = conflicting_subset(named)
    if not subset:
        return "the solver reported infeasibility but no conflicting subset was found (numerical trouble?)"
    return describe(subset, violations(subset))
