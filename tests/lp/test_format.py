"""Printing an allocation model's answer: numbers to the solver's accuracy, aligned columns, every digit in JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qportfolio.lp import LPResult, format_result, rounded
from qportfolio.status import Status


@pytest.mark.parametrize("value, accuracy, text", [
    (-1.02e-10, 1e-8, "0"), (0.06000000482, 1e-8, "0.06"), (0.7400000012, 1e-8, "0.74"), (-0.5, 1e-8, "-0.5"),
    (1234.56789, 1e-3, "1234.57"), (0.1 + 0.2, None, "0.3"), (1 / 3, None, "0.3333333333"),
])
def test_rounded_drops_what_is_below_the_accuracy(value, accuracy, text):
    assert rounded(value, accuracy) == text
    if accuracy is not None:
        assert abs(float(text) - value) <= 10 * accuracy  # never further from the value than the shown quantum


def test_format_result_aligns_values_prices_and_conflicts():
    r = LPResult(Status.OPTIMAL, 0.058, {"stocks": 0.7, "bonds": 0.3, "cash": 0.0}, {"budget": 0.07, "safe_floor": -0.04},
                 kind="LP", solver="HiGHS")
    text = format_result(r)
    rows = [ln for ln in text.splitlines() if ln.startswith("  ")]
    assert len(rows) == 5 and len({len(ln) for ln in rows}) == 1
    assert text.splitlines()[0].startswith("status      optimal   (LP, HiGHS)") and "shadow prices" in text
    bad = LPResult(Status.INFEASIBLE, None, {}, {}, {"floor": 0.2, "cap_long_name": 0.0}, "they cannot hold", "LP", "HiGHS")
    text = format_result(bad)
    assert "conflicting constraints" in text and "values" not in text and text.endswith("they cannot hold")


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
