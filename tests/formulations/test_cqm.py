"""The CQM export keeps the constraints: its optimum equals SCIP's."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.formulations import cqm as cqm_formulation

from ..conftest import random_small_problem


@pytest.mark.parametrize("seed", [*range(5), pytest.param(5, marks=pytest.mark.slow)])  # seed 5: ~20 s of ExactCQMSolver
def test_cqm_optimum_equals_exact_discrete(seed):
    problem = random_small_problem(seed, max_vars=14)
    model = cqm_formulation.build(problem)
    cqm = model.cqm
    assert {"cardinality", "budget"} <= set(cqm.constraints)
    assert sum(1 for v in cqm.variables if cqm.vartype(v) is dimod.INTEGER) == problem.n
    sampleset = dimod.ExactCQMSolver().sample_cqm(cqm)
    feasible = sampleset.filter(lambda row: row.is_feasible)
    weights = model.weights(feasible)
    # the CQM's energy is f on every feasible assignment, and its feasible set is the problem's
    np.testing.assert_allclose(feasible.record.energy, problem.objective(weights), rtol=1e-10, atol=1e-15)
    assert all(problem.is_feasible(w) for w in weights)
    exact = qp.solve(problem, "exact-discrete")
    assert feasible.first.energy == pytest.approx(exact.objective, rel=1e-9, abs=1e-14)
