"""A declarative file for linear and quadratic allocation models, solved with cvxpy.

    {
      "variables": {"stocks": {"lower": 0, "upper": 0.8}, "bonds": {"lower": 0}, "cash": {}},
      "objective": {"sense": "max", "linear": {"stocks": 0.07, "bonds": 0.03, "cash": 0.01},
                    "quadratic": [["stocks", "stocks", -0.5]], "constant": 0},
      "constraints": [
        {"name": "budget", "terms": {"stocks": 1, "bonds": 1, "cash": 1}, "sense": "==", "rhs": 1},
        {"name": "safe_floor", "terms": {"bonds": 1, "cash": 1}, "sense": ">=", "rhs": 0.3}
      ]
    }

``quadratic`` entries [a, b, c] add c * a * b. The quadratic part must be convex for "min" (concave
for "max"). The answer: status, objective, each variable's value, each constraint's shadow price
(d objective / d rhs), and, when infeasible, the conflicting constraints (variable bounds are
named ``lower:<var>`` / ``upper:<var>``) with the amounts by which they miss.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError, SolverError, ValidationError
from ..outcome import Status, jsonable

SENSES = ("<=", ">=", "==")


@dataclass(frozen=True)
class LPResult:
    """A declarative model's answer; ``status`` in qportfolio's one vocabulary (:class:`~qportfolio.outcome.Status`)."""

    status: Status
    objective: float | None
    values: dict[str, float]
    duals: dict[str, float]
    conflicts: dict[str, float] = field(default_factory=dict)
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"status": self.status, "objective": self.objective, "values": self.values, "duals": self.duals,
                         "conflicts": self.conflicts, "message": self.message})


def load_model(path: str | Path) -> dict[str, Any]:
    file = Path(path)
    if not file.is_file():
        raise DataError(f"model file {file} does not exist")
    try:
        return json.loads(file.read_text())
    except json.JSONDecodeError as exc:
        raise DataError(f"{file}: not valid JSON ({exc})") from None


def _variables(model: dict[str, Any]) -> dict[str, dict[str, Any]]:
    raw = model.get("variables")
    if isinstance(raw, list):
        raw = {v["name"]: v for v in raw}
    if not isinstance(raw, dict) or not raw:
        raise ValidationError("model needs 'variables': {name: {lower, upper}} with at least one variable")
    return {str(k): dict(v or {}) for k, v in raw.items()}


def solve_model(model: dict[str, Any]) -> LPResult:
    """Solve a model dict (see the module docstring); infeasible models return their conflicts."""
    import cvxpy as cp

    known = {"variables", "objective", "constraints", "name", "description"}
    unknown = sorted(set(model) - known)
    if unknown:
        raise ValidationError(f"model has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}")
    variables = _variables(model)
    names = list(variables)
    index = {n: i for i, n in enumerate(names)}
    x = cp.Variable(len(names))

    def vector(terms: dict[str, float], where: str) -> np.ndarray:
        v = np.zeros(len(names))
        for name, coef in terms.items():
            if name not in index:
                raise ValidationError(f"{where} names unknown variable {name!r}; variables are {', '.join(names)}")
            v[index[name]] = float(coef)
        return v

    named: list[tuple[str, Any]] = []
    for name, spec in variables.items():
        bad = sorted(set(spec) - {"lower", "upper"})
        if bad:
            raise ValidationError(f"variable {name!r} has unknown key(s) {', '.join(bad)} (lower, upper)")
        if spec.get("lower") is not None:
            named.append((f"lower:{name}", x[index[name]] >= float(spec["lower"])))
        if spec.get("upper") is not None:
            named.append((f"upper:{name}", x[index[name]] <= float(spec["upper"])))
    for i, con in enumerate(model.get("constraints", [])):
        label = str(con.get("name", f"c{i}"))
        sense = con.get("sense")
        if sense not in SENSES:
            raise ValidationError(f"constraint {label!r}: sense must be one of {', '.join(SENSES)}, got {sense!r}")
        a = vector(con.get("terms", {}), f"constraint {label!r}")
        rhs = float(con.get("rhs", 0.0))
        expr = a @ x
        named.append((label, expr <= rhs if sense == "<=" else expr >= rhs if sense == ">=" else expr == rhs))
    obj = model.get("objective") or {}
    sense = obj.get("sense", "min")
    if sense not in ("min", "max"):
        raise ValidationError(f"objective.sense must be 'min' or 'max', got {sense!r}")
    c = vector(obj.get("linear", {}), "objective.linear")
    q = np.zeros((len(names), len(names)))
    for entry in obj.get("quadratic", []):
        a, b, coef = entry
        i, j = index.get(a), index.get(b)
        if i is None or j is None:
            raise ValidationError(f"objective.quadratic names unknown variable {a if i is None else b!r}")
        q[i, j] += coef / 2
        q[j, i] += coef / 2
    eig = np.linalg.eigvalsh(q) if q.any() else np.zeros(1)
    if sense == "min" and eig.min() < -1e-12 * max(1.0, abs(eig).max()):
        raise ValidationError("objective.quadratic is not convex (a 'min' objective needs a PSD quadratic part)")
    if sense == "max" and eig.max() > 1e-12 * max(1.0, abs(eig).max()):
        raise ValidationError("objective.quadratic is not concave (a 'max' objective needs an NSD quadratic part)")
    expr = c @ x + float(obj.get("constant", 0.0))
    if q.any():
        expr = expr + (cp.quad_form(x, cp.psd_wrap(q)) if sense == "min" else -cp.quad_form(x, cp.psd_wrap(-q)))
    problem = cp.Problem(cp.Minimize(expr) if sense == "min" else cp.Maximize(expr), [con for _, con in named])
    try:
        problem.solve(solver="CLARABEL")
    except cp.error.SolverError as exc:
        raise SolverError(f"the model could not be solved ({exc})") from None
    if problem.status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
        from .diagnostics import conflicting_subset, describe, violations

        subset = conflicting_subset(named)
        amounts = violations(subset) if subset else {}
        return LPResult(Status.INFEASIBLE, None, {}, {}, amounts, describe(subset, amounts) if subset else
                        "the solver reported infeasibility but no conflicting subset was found")
    if problem.status in (cp.UNBOUNDED, cp.UNBOUNDED_INACCURATE):
        return LPResult(Status.UNBOUNDED, None, {}, {}, {}, "the objective is unbounded: add bounds or constraints")
    values = {n: float(v) for n, v in zip(names, x.value)}
    duals = {}
    flip = 1.0 if sense == "min" else -1.0
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
    status = Status.from_cvxpy(problem.status)
    message = "" if status == Status.OPTIMAL else f"the solver reported {problem.status}"
    return LPResult(status, float(problem.value), values, duals, message=message)
