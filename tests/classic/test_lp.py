"""Declarative LP/QP models: values, shadow prices (by finite differences) and conflicts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qportfolio.errors import ValidationError

EXAMPLES = Path(__file__).resolve().parents[2] / "qportfolio" / "examples"


def test_declarative_model_values_duals_and_conflicts():
    import copy

    from qportfolio.classic.lp import load_model, solve_model

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


def test_qp_text_is_rounded_to_the_solver_accuracy_and_json_keeps_every_digit(capsys):
    from qportfolio.cli import main
    from qportfolio.cli.args import demo_spec_path

    model = str(Path(demo_spec_path()).with_name("allocation.json"))
    assert main(["lp", model]) == 0
    text = capsys.readouterr().out
    assert "e-" not in text.split("note:")[0]  # no solver noise such as -1.02e-10
    assert re.search(r"^  cash\s+0\.74$", text, re.M) and re.search(r"^  stocks\s+0\.06$", text, re.M)
    assert main(["lp", model, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["accuracy"] == 1e-8 and abs(data["values"]["cash"] - 0.74) < 1e-7
