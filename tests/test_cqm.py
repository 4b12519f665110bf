"""The CQM export keeps the constraints: its optimum equals SCIP's."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.cqm import to_cqm, weights_from_samples

from .conftest import random_small_problem

pytest.importorskip("dwave.system")


@pytest.fixture(autouse=True)
def isolated_dwave_config(tmp_path, monkeypatch):
    """No user config, token or cache leaks in from (or out to) the machine running the tests."""
    for var in ("DWAVE_API_TOKEN", "DWAVE_CONFIG_FILE", "DWAVE_PROFILE", "DWAVE_API_ENDPOINT", "DWAVE_API_SOLVER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("QPORTFOLIO_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("seed", range(6))
def test_cqm_optimum_equals_exact_discrete(seed):
    problem = random_small_problem(seed, max_vars=14)
    cqm = to_cqm(problem)
    assert {"cardinality", "budget"} <= set(cqm.constraints)
    assert sum(1 for v in cqm.variables if cqm.vartype(v) is dimod.INTEGER) == problem.n
    sampleset = dimod.ExactCQMSolver().sample_cqm(cqm)
    feasible = sampleset.filter(lambda row: row.is_feasible)
    weights = weights_from_samples(problem, feasible)
    # the CQM's energy is f on every feasible assignment, and its feasible set is the problem's
    np.testing.assert_allclose(feasible.record.energy, problem.objective(weights), rtol=1e-10, atol=1e-15)
    assert all(problem.is_feasible(w) for w in weights)
    exact = qp.solve(problem, "exact-discrete")
    assert feasible.first.energy == pytest.approx(exact.objective, rel=1e-9, abs=1e-14)
