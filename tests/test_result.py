"""The common Result type: what it records and how it reports."""

from __future__ import annotations

import pytest

from qportfolio import solve

from .conftest import SMALL


def test_result_records_everything():
    problem = SMALL[4]
    r = solve(problem, "exact-discrete")
    d = r.to_dict()
    for key in ("objective", "weights", "selected", "feasible", "status", "solver", "wall_s", "expected_return",
                "volatility", "bound", "gap", "parameters", "versions"):
        assert key in d
    assert d["problem"]["fingerprint"] == problem.fingerprint
    assert "dimod" in d["versions"] and "pyscipopt" in d["versions"]
    assert d["objective"] == pytest.approx(problem.objective(r.weights), rel=0, abs=0)
    assert abs(sum(d["weights"].values()) - 1) < 1e-12
    assert ("objective" in str(r) and problem.assets[0] in str(r)) or r.selected[0] in str(r)
