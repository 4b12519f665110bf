"""Reading allocation models: both shapes mean the same model; errors name the field and the fix."""

from __future__ import annotations

import json

import pytest

from qportfolio.errors import DataError, ValidationError
from qportfolio.lp import Constraint, Model, Variable, load_model, parse_model

OWN = {
    "variables": {"stocks": {"lower": 0, "upper": 0.8}, "bonds": {"lower": 0}, "lots": {"type": "integer", "upper": 10}},
    "objective": {"sense": "max", "linear": {"stocks": 0.07, "bonds": 0.03}, "quadratic": [["stocks", "stocks", -0.5]]},
    "constraints": [{"name": "budget", "terms": {"stocks": 1, "bonds": 1}, "sense": "==", "rhs": 1}],
}
PAYLOAD = {
    "variables": [{"name": "stocks", "type": "continuous", "lb": 0, "ub": 0.8}, {"name": "bonds", "lb": 0},
                  {"name": "lots", "type": "integer", "ub": 10}],
    "objective": {"sense": "maximize", "coefficients": {"stocks": 0.07, "bonds": 0.03},
                  "quadratic": [["stocks", "stocks", -0.5]]},
    "constraints": [{"name": "budget", "coefficients": {"stocks": 1, "bonds": 1}, "sense": "eq", "rhs": 1}],
}


def test_both_shapes_parse_to_the_same_model():
    own, payload = parse_model(OWN), parse_model(PAYLOAD)
    assert own == payload
    assert own.variables[2] == Variable("lots", "integer", None, 10.0)
    assert own.constraints == (Constraint("budget", {"stocks": 1.0, "bonds": 1.0}, "==", 1.0),)
    assert isinstance(own, Model) and own.kind == "MIQP" and own.names == ["stocks", "bonds", "lots"] and own.sense == "max"


def test_binary_bounds_default_to_the_unit_interval_and_are_checked():
    m = parse_model({"variables": {"open": {"type": "binary"}}, "objective": {}})
    assert m.variables[0] == Variable("open", "binary", 0.0, 1.0) and m.kind == "MILP" and m.sense == "min"
    with pytest.raises(ValidationError, match="binary"):
        parse_model({"variables": {"open": {"type": "binary", "ub": 2}}})


@pytest.mark.parametrize("model, message", [
    ([], "must be a JSON object"),
    ({"variables": {}}, "at least one variable"),
    ({"variables": {"x": {}, "y": {"lower": 2, "upper": 1}}}, "exceeds upper bound"),
    ({"variables": [{"name": "x"}, {"name": "x"}]}, "declared twice"),
    ({"variables": {"x": {"lower": 0, "lb": 0}}}, "both 'lower' and 'lb'"),
    ({"variables": {"x": {}}, "objective": {"linear": {"x": 1}, "coefficients": {"x": 1}}}, "both 'linear' and 'coefficients'"),
    ({"variables": {"x": {}}, "objective": {"quadratic": [["x", "z", 1]]}}, "unknown variable 'z'"),
    ({"variables": {"x": {}}, "constraints": [{"name": "c", "terms": {"x": 1}, "sense": "<=", "rhs": 1}] * 2}, "used twice"),
    ({"variables": {"x": {"upper": float("nan")}}}, "must be finite"),
    ({"variables": {"x": {}}, "colour": "red"}, "colour"),
])
def test_malformed_models_name_the_field(model, message):
    with pytest.raises(ValidationError, match=message):
        parse_model(model)


def test_load_model_reads_json_and_refuses_what_is_not(tmp_path):
    good = tmp_path / "m.json"
    good.write_text(json.dumps(OWN))
    assert load_model(good) == OWN
    with pytest.raises(DataError, match="does not exist"):
        load_model(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(DataError, match="not valid JSON"):
        load_model(bad)
