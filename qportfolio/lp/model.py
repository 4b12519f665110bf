"""Declarative linear, quadratic and mixed-integer allocation models in JSON, in two shapes: read and validated.

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
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, ValidationError
from ..utils.validate import describe, known_keys

SENSES = {"<=": "<=", "le": "<=", ">=": ">=", "==": "==", "=": "==", "eq": "=="}
OBJECTIVE_SENSES = {"min": "min", "minimize": "min", "minimise": "min", "max": "max", "maximize": "max", "maximise": "max"}
TYPES = ("continuous", "integer", "binary")


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
    """The model dict of a JSON file (either shape; :func:`parse_model` validates it)."""
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
