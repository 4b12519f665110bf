"""The README stays true: it starts with the two commands, stays a short front door, and its
new-backend example is a working backend whose typed option is validated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import qportfolio as qp
from qportfolio.errors import ValidationError
from qportfolio.solvers import unregister

README = Path(__file__).resolve().parents[1] / "README.md"


def test_front_door_starts_with_the_two_commands_and_is_short():
    text = README.read_text()
    lines = text.splitlines()
    assert lines[2:6] == ["```bash", lines[3], lines[4], "```"] and lines[3].startswith("make demo")
    assert lines[4].startswith("make test")
    assert len(lines) <= 220


def test_the_new_backend_example_runs_and_its_option_is_typed():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    example = next(b for b in blocks if "class Exhaustive" in b)
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)
    try:
        problem = qp.synthetic_problem(4, seed=1, cardinality=2, weight_step=0.25, min_weight=0.25)
        result = qp.solve(problem, "exhaustive", keep=20, seed=1)
        assert result.feasible and result.info["enumerated"]
        with pytest.raises(ValidationError, match="keep"):
            qp.solve(problem, "exhaustive", keep="all")
    finally:
        unregister("exhaustive")
