"""Declarative linear, quadratic and mixed-integer allocation models in JSON, in two shapes.

qportfolio's own::

    {
      "variables": {"stocks": {"lower": 0, "upper": 0.8}, "bonds": {"lower": 0}, "cash": {}},
      "objective": {"sense": "max", "linear": {"stocks": 0.07, "bonds": 0.03, "cash": 0.01},
                    "quadratic": [["stocks", "stocks", -0.5]], "constant": 0},
      "constraints": [
        {"name": "budget", "terms": {"stocks": 1, "bonds": 1, "cash": 1}, "sense": "==", "rhs": 1}
      ]
    }

and the allocation-payload shape that allocation services use::

    {
      "variables": [{"name": "stocks", "type": "continuous", "lb": 0, "ub": 0.8},
                    {"name": "lots", "type": "integer", "lb": 0, "ub": 10}, {"name": "open", "type": "binary"}],
      "objective": {"sense": "maximize", "coefficients": {"stocks": 0.07, "lots": 0.01}},
      "constraints": [{"name": "budget", "coefficients": {"stocks": 1}, "sense": "<=", "rhs": 1}]
    }

Either shape may use the other's spellings: variables as a mapping or a list (``name``), bounds
``lower``/``upper`` or ``lb``/``ub`` (missing or null: unbounded; the default lower bound is 0 only
for ``binary``), ``type`` continuous (default), integer or binary; objective sense ``min``/``minimize``
or ``max``/``maximize``, ``linear`` or ``coefficients``; constraint ``terms`` or ``coefficients``,
sense ``<=``/``>=``/``==`` (or ``=``, ``le``, ``ge``, ``eq``).

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

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError, SolverError, ValidationError
from ..status import Status, jsonable
from ..utils.validate import describe, known_keys

SENSES = {"<=": "<=", "le": "<=", ">=": ">=", "ge": ">=", "==": "==", "=": "==", "eq": "=="}
OBJECTIVE_SENSES = {"min": "min", "minimize": "min", "minimise": "min", "max": "max", "maximize": "max", "maximise": "max"}
TYPES = ("continuous", "integer", "binary")
UNBOUNDED_MESSAGE = "the objective is unbounded: add bounds or constraints"
NO_DUALS_NOTE = ("shadow prices are not defined for a model with integer or binary variables "
                 "(fix the integers at their values and solve the LP for conditional prices)")


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


@dataclass(frozen=True)
class Variable:
    name: str
    type: str
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class Constraint:
    name: str
    terms: dict[str, float]
    sense: str
    rhs: float


@dataclass(frozen=True)
class Model:
    """A validated model, either input shape."""

    variables: tuple[Variable, ...]
    sense: str
    linear: dict[str, float]
    quadratic: tuple[tuple[str, str, float], ...]
    constant: float
    constraints: tuple[Constraint, ...]

    @property
    def names(self) -> list[str]:
        return [v.name for v in self.variables]

    @property
    def integer(self) -> bool:
        return any(v.type != "continuous" for v in self.variables)

    @property
    def kind(self) -> str:
        return ("MI" if self.integer else "") + ("QP" if self.quadratic else "LP")


def load_model(path: str | Path) -> dict[str, Any]:
    file = Path(path)
    if not file.is_file():
        raise DataError(f"model file {file} does not exist")
    try:
        return json.loads(file.read_text())
    except json.JSONDecodeError as exc:
        raise DataError(f"{file}: not valid JSON ({exc})") from None
    except UnicodeDecodeError:
        raise DataError(f"{file}: not a text (UTF-8) JSON file") from None


def _number(value: Any, where: str, *, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(f"{where} must be a number, got {describe(value)}")
    if not math.isfinite(value):
        if allow_none and value in (math.inf, -math.inf):
            return None
        raise ValidationError(f"{where} must be finite, got {value}")
    return float(value)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(f"{where} must be an object {{name: value}}, got {type(value).__name__}")
    return value


def _variable(name: Any, spec: Any, where: str) -> Variable:
    if not isinstance(name, str) or not name:
        raise ValidationError(f"{where}: a variable needs a non-empty string name, got {describe(name)}")
    spec = _mapping(spec, f"variable {name!r}")
    known_keys(spec, {"name", "type", "lower", "upper", "lb", "ub"}, f"variable {name!r}")
    for a, b in (("lower", "lb"), ("upper", "ub")):
        if a in spec and b in spec:
            raise ValidationError(f"variable {name!r} gives both {a!r} and {b!r}; use one")
    kind = spec.get("type", "continuous")
    if kind not in TYPES:
        raise ValidationError(f"variable {name!r}: type must be one of {', '.join(TYPES)}, got {describe(kind)}")
    lower = _number(spec.get("lower", spec.get("lb")), f"variable {name!r} lower bound", allow_none=True)
    upper = _number(spec.get("upper", spec.get("ub")), f"variable {name!r} upper bound", allow_none=True)
    if kind == "binary":
        lower = 0.0 if lower is None else lower
        upper = 1.0 if upper is None else upper
        if lower < 0 or upper > 1:
            raise ValidationError(f"variable {name!r} is binary: its bounds must lie in [0, 1], got [{lower:g}, {upper:g}]")
    if lower is not None and upper is not None and lower > upper:
        raise ValidationError(f"variable {name!r}: lower bound {lower:g} exceeds upper bound {upper:g}")
    return Variable(name, kind, lower, upper)


def parse_model(model: Any) -> Model:
    """Validate a model dict of either shape (module docstring); errors name the field and the fix."""
    if not isinstance(model, dict):
        raise ValidationError(f"a model must be a JSON object with 'variables', 'objective' and 'constraints', "
                              f"got {type(model).__name__}")
    known_keys(model, {"variables", "objective", "constraints", "name", "description"}, "model")
    raw = model.get("variables")
    if isinstance(raw, list):
        items = []
        for i, v in enumerate(raw):
            if not isinstance(v, dict):
                raise ValidationError(f"variables[{i}] must be an object with 'name', got {type(v).__name__}")
            items.append((v.get("name"), v, f"variables[{i}]"))
    elif isinstance(raw, dict):
        items = [(k, v, "variables") for k, v in raw.items()]
    else:
        raise ValidationError("model needs 'variables': a list of {name, type, lb, ub} or a mapping {name: {lower, upper}}")
    if not items:
        raise ValidationError("model needs at least one variable")
    variables = tuple(_variable(name, spec, where) for name, spec, where in items)
    names = [v.name for v in variables]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ValidationError(f"variable {dup!r} is declared twice")
    known = set(names)

    def terms(value: Any, where: str) -> dict[str, float]:
        out = {}
        for name, coef in _mapping(value, where).items():
            if name not in known:
                raise ValidationError(f"{where} names unknown variable {name!r}; variables are {', '.join(names[:10])}")
            out[name] = _number(coef, f"{where}[{name!r}]")
        return out

    obj = _mapping(model.get("objective"), "objective")
    known_keys(obj, {"sense", "linear", "coefficients", "quadratic", "constant"}, "objective")
    if "linear" in obj and "coefficients" in obj:
        raise ValidationError("objective gives both 'linear' and 'coefficients'; use one")
    sense = obj.get("sense", "min")
    if not isinstance(sense, str) or sense.lower() not in OBJECTIVE_SENSES:
        raise ValidationError(f"objective.sense must be 'min'/'minimize' or 'max'/'maximize', got {describe(sense)}")
    linear = terms(obj.get("linear", obj.get("coefficients")), "objective.linear")
    quadratic = []
    entries = obj.get("quadratic") or []
    if not isinstance(entries, list):
        raise ValidationError("objective.quadratic must be a list of [variable, variable, coefficient]")
    for i, entry in enumerate(entries):
        if not isinstance(entry, list) or len(entry) != 3:
            raise ValidationError(f"objective.quadratic[{i}] must be [variable, variable, coefficient], "
                                  f"got {describe(entry)}")
        a, b, coef = entry
        for v in (a, b):
            if not isinstance(v, str) or v not in known:
                raise ValidationError(f"objective.quadratic[{i}] names unknown variable {describe(v)}; variables are "
                                      f"{', '.join(names[:10])}")
        quadratic.append((a, b, _number(coef, f"objective.quadratic[{i}] coefficient")))
    constant = _number(obj.get("constant", 0.0), "objective.constant")
    raw_cons = model.get("constraints") or []
    if not isinstance(raw_cons, list):
        raise ValidationError("'constraints' must be a list of {name, terms|coefficients, sense, rhs}")
    constraints = []
    seen = set()
    for i, con in enumerate(raw_cons):
        if not isinstance(con, dict):
            raise ValidationError(f"constraints[{i}] must be an object, got {type(con).__name__}")
        known_keys(con, {"name", "terms", "coefficients", "sense", "rhs"}, f"constraints[{i}]")
        label = con.get("name", f"c{i}")
        if not isinstance(label, str) or not label:
            raise ValidationError(f"constraints[{i}].name must be a non-empty string")
        if label in seen:
            raise ValidationError(f"constraint name {label!r} is used twice")
        seen.add(label)
        s = con.get("sense")
        if not isinstance(s, str) or s.lower() not in SENSES:
            raise ValidationError(f"constraint {label!r}: sense must be one of <=, >=, == (or =, le, ge, eq), "
                                  f"got {describe(s)}")
        if "rhs" not in con:
            raise ValidationError(f"constraint {label!r} needs 'rhs' (a number)")
        constraints.append(Constraint(label, terms(con.get("terms", con.get("coefficients")), f"constraint {label!r}"),
                                      SENSES[s.lower()], _number(con["rhs"], f"constraint {label!r} rhs")))
    return Model(variables, OBJECTIVE_SENSES[sense.lower()], linear, tuple(quadratic), constant, tuple(constraints))


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

    from .diagnostics import conflicting_subset, describe, violations

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


#: Clarabel's default feasibility and duality-gap tolerances: the digits of a QP answer worth showing
INTERIOR_POINT_ACCURACY = 1e-8


def rounded(value: float, accuracy: float | None) -> str:
    """``value`` as text, to its accuracy: solver noise below it (``-1.02e-10``, ``0.06000000482``) is not printed."""
    if accuracy is None:
        return f"{value:.10g}"
    quantum = 10 * accuracy  # the last digit within the accuracy is itself uncertain
    digits = max(0, -math.floor(math.log10(quantum)))
    text = f"{round(value / quantum) * quantum:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_result(result: LPResult) -> str:
    """The answer as aligned text: status, objective, values, shadow prices (or why there are none)."""
    lines = [f"status      {result.status}   ({result.kind}, {result.solver})"]
    if result.objective is not None:
        lines.append(f"objective   {rounded(result.objective, result.accuracy)}")
        width = max([8] + [len(k) for k in (*result.values, *result.duals)]) + 2

        def number(v: float) -> str:
            return f"{rounded(v, result.accuracy):>16}"

        lines.append("values")
        lines += [f"  {k:<{width}}{number(v)}" for k, v in result.values.items()]
        if result.duals:
            lines.append("shadow prices (d objective / d rhs)")
            lines += [f"  {k:<{width}}{number(v)}" for k, v in result.duals.items()]
    if result.conflicts:
        width = max(len(k) for k in result.conflicts) + 2
        lines.append("conflicting constraints (least total violation to make them hold)")
        lines += [f"  {k:<{width}}{v:>16.6g}" for k, v in result.conflicts.items()]
    if result.message:
        lines.append(result.message)
    if result.note:
        shown = ": shown to 7 decimals (--json has every digit)" if result.accuracy is not None else ""
        lines.append(f"note: {result.note}{shown}")
    return "\n".join(lines)
