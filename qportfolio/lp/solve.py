"""Solving an allocation model (:class:`~.model.Model`) to an :class:`LPResult`.

Solvers: a linear model goes to HiGHS (scipy): dual simplex for an LP, so the answer is a vertex
and its values are exact to the solver's 1e-9 tolerances (a zero is 0, not -5.8e-11), with shadow
prices; branch-and-cut for a MILP. A quadratic objective goes to cvxpy: Clarabel for a QP (values
to ~1e-9), SCIP for a MIQP. ``quadratic`` entries [a, b, c] add c * a * b and must make the
objective convex ("min") or concave ("max"). Shadow prices (d objective / d rhs, constraints and
the bounds ``lower:<var>`` / ``upper:<var>``) exist only for continuous models: for a MILP/MIQP
they are not defined and the answer says so. An infeasible model returns its conflicting
constraints and the amounts by which they miss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import SolverError, ValidationError
from ..status import Status, jsonable
from .model import Model, parse_model

UNBOUNDED_MESSAGE = "the objective is unbounded: add bounds or constraints"
NO_DUALS_NOTE = ("shadow prices are not defined for a model with integer or binary variables "
                 "(fix the integers at their values and solve the LP for conditional prices)")

#: Clarabel's default feasibility and duality-gap tolerances: the digits of a QP answer worth showing
INTERIOR_POINT_ACCURACY = 1e-8


@dataclass(frozen=True)
class LPResult:
    """A declarative model's answer; ``status`` in qportfolio's one vocabulary (:class:`~qportfolio.status.Status`)."""

    status: Status
    objective: float | None
    values: dict[str, float]
    duals: dict[str, float]
    conflicts: dict[str, float] = field(default_factory=dict)
    message: str = ""
    kind: str = "LP"  #: LP, MILP, QP or MIQP
    solver: str = ""
    note: str = ""  #: e.g. why there are no shadow prices
    accuracy: float | None = None  #: absolute accuracy of values and prices (interior point); None: as exact as printed

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"status": self.status, "kind": self.kind, "solver": self.solver, "objective": self.objective,
                         "values": self.values, "duals": self.duals if self.kind in ("LP", "QP") else None,
                         "conflicts": self.conflicts, "message": self.message, "note": self.note,
                         "accuracy": self.accuracy})



def _arrays(m: Model) -> dict[str, Any]:
    names = m.names
    index = {n: i for i, n in enumerate(names)}
    n = len(names)
    c = np.zeros(n)
    for k, v in m.linear.items():
        c[index[k]] += v
    q = np.zeros((n, n))
    for a, b, coef in m.quadratic:
        q[index[a], index[b]] += coef / 2
        q[index[b], index[a]] += coef / 2
    rows = np.zeros((len(m.constraints), n))
    for r, con in enumerate(m.constraints):
        for k, v in con.terms.items():
            rows[r, index[k]] += v
    return {"c": c, "q": q, "rows": rows}


def _named_cvxpy(m: Model, x: Any, rows: np.ndarray) -> list[tuple[str, Any]]:
    """(name, constraint) pairs over the continuous relaxation, for the solver and the conflict finder."""
    named = []
    for i, v in enumerate(m.variables):
        if v.lower is not None:
            named.append((f"lower:{v.name}", x[i] >= v.lower))
        if v.upper is not None:
            named.append((f"upper:{v.name}", x[i] <= v.upper))
    for r, con in enumerate(m.constraints):
        expr = rows[r] @ x
        named.append((con.name, expr <= con.rhs if con.sense == "<=" else expr >= con.rhs if con.sense == ">=" else
                      expr == con.rhs))
    return named


def _infeasible(m: Model, rows: np.ndarray, kind: str, solver: str) -> LPResult:
    import cvxpy as cp

    from ..classic.diagnostics import conflicting_subset, describe, violations

    x = cp.Variable(len(m.variables))
    named = _named_cvxpy(m, x, rows)
    subset = conflicting_subset(named)
    if subset:
        amounts = violations(subset)
        return LPResult(Status.INFEASIBLE, None, {}, {}, amounts, describe(subset, amounts), kind, solver)
    message = ("the continuous relaxation is feasible: the integer/binary requirements make the model infeasible"
               if m.integer else "the solver reported infeasibility but no conflicting subset was found")
    return LPResult(Status.INFEASIBLE, None, {}, {}, {}, message, kind, solver)


def _clean(value: float) -> float:
    return float(value) + 0.0  # -0.0 -> 0.0


def _solve_linear(m: Model, a: dict[str, Any]) -> LPResult:
    """An LP by HiGHS' dual simplex (a vertex, with duals) or a MILP by HiGHS' branch and cut."""
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp

    flip = 1.0 if m.sense == "min" else -1.0
    c = flip * a["c"]
    rows = a["rows"]
    lower = np.array([-np.inf if v.lower is None else v.lower for v in m.variables])
    upper = np.array([np.inf if v.upper is None else v.upper for v in m.variables])
    kind = m.kind
    if m.integer:
        integrality = np.array([0 if v.type == "continuous" else 1 for v in m.variables])
        lo = np.array([-np.inf if s.sense == "<=" else s.rhs for s in m.constraints])
        hi = np.array([np.inf if s.sense == ">=" else s.rhs for s in m.constraints])
        cons = [LinearConstraint(rows, lo, hi)] if len(m.constraints) else []
        res = milp(c, constraints=cons, integrality=integrality, bounds=Bounds(lower, upper),
                   options={"mip_rel_gap": 0.0})
        if res.status == 2:
            return _infeasible(m, rows, kind, "HiGHS")
        if res.status == 3 or (res.x is None and "unbounded" in res.message.lower()):
            return LPResult(Status.UNBOUNDED, None, {}, {}, {}, UNBOUNDED_MESSAGE,
                            kind, "HiGHS")
        if res.x is None:
            raise SolverError(f"HiGHS could not solve the MILP: {res.message}")
        status = Status.OPTIMAL if res.status == 0 else Status.TIME_LIMIT
        values = {v.name: _clean(x) for v, x in zip(m.variables, res.x)}
        objective = float(a["c"] @ res.x) + m.constant
        return LPResult(status, objective, values, {}, {}, "" if res.status == 0 else res.message, kind, "HiGHS", NO_DUALS_NOTE)
    ub = [r for r, s in enumerate(m.constraints) if s.sense != "=="]
    eq = [r for r, s in enumerate(m.constraints) if s.sense == "=="]
    sign = np.array([1.0 if m.constraints[r].sense == "<=" else -1.0 for r in ub])
    a_ub = rows[ub] * sign[:, None] if ub else None
    b_ub = np.array([m.constraints[r].rhs for r in ub]) * sign if ub else None
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=rows[eq] if eq else None,
                  b_eq=np.array([m.constraints[r].rhs for r in eq]) if eq else None,
                  bounds=list(zip(lower, upper)), method="highs-ds")
    if res.status == 2:
        return _infeasible(m, rows, kind, "HiGHS")
    if res.status == 3:
        return LPResult(Status.UNBOUNDED, None, {}, {}, {}, UNBOUNDED_MESSAGE, kind, "HiGHS")
    if res.status != 0:
        raise SolverError(f"HiGHS could not solve the LP: {res.message}")
    values = {v.name: _clean(x) for v, x in zip(m.variables, res.x)}
    duals: dict[str, float] = {}
    # HiGHS' marginals are d (min objective) / d b; flip back for "max", and for the >= rows negated above
    for i, v in enumerate(m.variables):
        if v.lower is not None:
            duals[f"lower:{v.name}"] = _clean(flip * res.lower.marginals[i])
        if v.upper is not None:
            duals[f"upper:{v.name}"] = _clean(flip * res.upper.marginals[i])
    for k, r in enumerate(ub):
        duals[m.constraints[r].name] = _clean(flip * sign[k] * res.ineqlin.marginals[k])
    for k, r in enumerate(eq):
        duals[m.constraints[r].name] = _clean(flip * res.eqlin.marginals[k])
    ordered = {s.name: duals[s.name] for s in m.constraints}
    ordered.update({k: v for k, v in duals.items() if k not in ordered})
    return LPResult(Status.OPTIMAL, float(a["c"] @ res.x) + m.constant, values, ordered, {}, "", kind, "HiGHS")


def _solve_quadratic(m: Model, a: dict[str, Any]) -> LPResult:
    """A QP (Clarabel) or MIQP (SCIP) through cvxpy."""
    import cvxpy as cp

    q = a["q"]
    eig = np.linalg.eigvalsh(q)
    scale = max(1.0, float(np.abs(eig).max()))
    if m.sense == "min" and eig.min() < -1e-12 * scale:
        raise ValidationError("objective.quadratic is not convex (a 'min' objective needs a PSD quadratic part)")
    if m.sense == "max" and eig.max() > 1e-12 * scale:
        raise ValidationError("objective.quadratic is not concave (a 'max' objective needs an NSD quadratic part)")
    n = len(m.variables)
    integer = [i for i, v in enumerate(m.variables) if v.type != "continuous"]
    x = cp.Variable(n, integer=integer) if integer else cp.Variable(n)
    named = _named_cvxpy(m, x, a["rows"])
    expr = a["c"] @ x + m.constant
    expr = expr + (cp.quad_form(x, cp.psd_wrap(q)) if m.sense == "min" else -cp.quad_form(x, cp.psd_wrap(-q)))
    problem = cp.Problem(cp.Minimize(expr) if m.sense == "min" else cp.Maximize(expr), [con for _, con in named])
    solver = "SCIP" if integer else "CLARABEL"
    try:
        problem.solve(solver=solver)
    except cp.error.SolverError as exc:
        raise SolverError(f"the model could not be solved ({exc})") from None
    kind = m.kind
    if problem.status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
        return _infeasible(m, a["rows"], kind, solver)
    if problem.status in (cp.UNBOUNDED, cp.UNBOUNDED_INACCURATE):
        return LPResult(Status.UNBOUNDED, None, {}, {}, {}, UNBOUNDED_MESSAGE, kind, solver)
    values = {v.name: _clean(val) for v, val in zip(m.variables, x.value)}
    status = Status.from_cvxpy(problem.status)
    message = "" if status == Status.OPTIMAL else f"the solver reported {problem.status}"
    if integer:
        return LPResult(status, float(problem.value), values, {}, {}, message, kind, solver, NO_DUALS_NOTE)
    duals = {}
    flip = 1.0 if m.sense == "min" else -1.0
    for name, con in named:
        if con.dual_value is None:
            continue
        d = float(np.asarray(con.dual_value).reshape(-1)[0])
        # cvxpy's duals are >= 0 for inequalities; turn them into d objective / d rhs
        if isinstance(con, cp.constraints.Equality):
            price = -d
        elif con.args[0].is_constant():  # rhs <= expr, a floor: raising it costs
            price = d
        else:  # expr <= rhs, a cap: raising it helps
            price = -d
        duals[name] = price * flip
    ordered = {s.name: duals[s.name] for s in m.constraints if s.name in duals}
    ordered.update({k: v for k, v in duals.items() if k not in ordered})
    return LPResult(status, float(problem.value), values, ordered, {}, message, kind, solver,
                    "QP values and prices are interior-point answers, accurate to about 1e-8",
                    INTERIOR_POINT_ACCURACY)


def solve_model(model: dict[str, Any] | Model) -> LPResult:
    """Solve a model (dict of either shape, or a parsed :class:`Model`); infeasible models return their conflicts."""
    m = model if isinstance(model, Model) else parse_model(model)
    a = _arrays(m)
    return _solve_quadratic(m, a) if np.any(a["q"]) else _solve_linear(m, a)
