"""Solving allocation models: values, shadow prices (by finite differences), conflicts, brute force for MILPs."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from qportfolio.errors import ValidationError
from qportfolio.lp import load_model, solve_model

EXAMPLES = Path(__file__).resolve().parents[2] / "qportfolio" / "examples"

PAYLOAD = {
    "variables": [{"name": "stocks", "type": "continuous", "lb": 0, "ub": 0.8},
                  {"name": "bonds", "type": "continuous", "lb": 0}, {"name": "cash", "type": "continuous", "lb": 0}],
    "objective": {"sense": "maximize", "coefficients": {"stocks": 0.07, "bonds": 0.03, "cash": 0.01}},
    "constraints": [{"name": "budget", "coefficients": {"stocks": 1, "bonds": 1, "cash": 1}, "sense": "==", "rhs": 1},
                    {"name": "safe_floor", "coefficients": {"bonds": 1, "cash": 1}, "sense": ">=", "rhs": 0.3}],
}


def test_declarative_model_values_duals_and_conflicts():
    import copy

    model = load_model(EXAMPLES / "allocation.json")
    r = solve_model(model)
    assert r.status == "optimal" and sum(r.values.values()) == pytest.approx(1.0, abs=1e-8)
    eps = 1e-4
    bumped = copy.deepcopy(model)
    bumped["constraints"][0]["rhs"] += eps
    assert r.duals["budget"] == pytest.approx((solve_model(bumped).objective - r.objective) / eps, rel=1e-3)
    bad = copy.deepcopy(model)
    bad["constraints"][1]["rhs"] = 1.2
    out = solve_model(bad)
    assert out.status == "infeasible" and "safe_floor" in out.message and "budget" in out.message
    with pytest.raises(ValidationError, match="not concave"):
        solve_model({**model, "objective": {**model["objective"], "quadratic": [["stocks", "stocks", 1.0]]}})
    with pytest.raises(ValidationError, match="unknown variable 'gold'"):
        solve_model({**model, "constraints": [{"name": "g", "terms": {"gold": 1}, "sense": "<=", "rhs": 1}]})


def test_lp_duals_are_finite_difference_slopes():
    base = solve_model(PAYLOAD)
    eps = 1e-3
    for i, con in enumerate(PAYLOAD["constraints"]):
        bumped = json.loads(json.dumps(PAYLOAD))
        bumped["constraints"][i]["rhs"] += eps
        slope = (solve_model(bumped).objective - base.objective) / eps
        assert base.duals[con["name"]] == pytest.approx(slope, abs=1e-9)


def test_milp_matches_brute_force():
    model = {
        "variables": [{"name": "a", "type": "integer", "lb": 0, "ub": 6}, {"name": "b", "type": "integer", "lb": 0, "ub": 6},
                      {"name": "open_b", "type": "binary"}, {"name": "slack", "type": "continuous", "lb": 0, "ub": 1.5}],
        "objective": {"sense": "maximize", "coefficients": {"a": 5, "b": 4, "open_b": -3, "slack": 0.5}},
        "constraints": [{"name": "capital", "coefficients": {"a": 6, "b": 4, "slack": 1}, "sense": "<=", "rhs": 25},
                        {"name": "link", "coefficients": {"b": 1, "open_b": -6}, "sense": "<=", "rhs": 0}],
    }
    r = solve_model(model)
    best = -np.inf
    for a, b, o in itertools.product(range(7), range(7), (0, 1)):
        if b > 6 * o or 6 * a + 4 * b > 25:
            continue
        slack = min(1.5, 25 - 6 * a - 4 * b)
        best = max(best, 5 * a + 4 * b - 3 * o + 0.5 * slack)
    assert r.kind == "MILP" and r.status == "optimal" and r.objective == pytest.approx(best, abs=1e-9)
    assert r.duals == {} and "not defined" in r.note
    infeasible = json.loads(json.dumps(model))
    infeasible["constraints"].append({"name": "odd", "coefficients": {"a": 2}, "sense": "==", "rhs": 3})
    out = solve_model(infeasible)
    assert out.status == "infeasible" and "integer" in out.message
