"""Repair and polish of grid portfolios: feasibility, idempotence, never worse; brute force as the oracle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qportfolio import solve, synthetic_problem
from qportfolio.bounds.repair import heuristic_units, nearest_feasible_units, polish_units, units_objective

from ..conftest import random_small_problem

PROBLEMS = [random_small_problem(200 + i, max_vars=24) for i in range(8)]


@settings(max_examples=60, deadline=None)
@given(index=st.integers(0, len(PROBLEMS) - 1), data=st.data())
def test_nearest_feasible_units_is_always_feasible(index, data):
    problem = PROBLEMS[index]
    units = np.array(data.draw(st.lists(st.integers(0, problem.units), min_size=problem.n, max_size=problem.n)))
    selected = np.array(data.draw(st.lists(st.booleans(), min_size=problem.n, max_size=problem.n)))
    repaired = nearest_feasible_units(problem, units, selected)
    assert problem.is_feasible(repaired * problem.weight_step)


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_feasible_portfolios_are_left_as_they_are(problem):
    best = solve(problem, "brute")
    units = np.round(best.weights / problem.weight_step).astype(np.int64)
    np.testing.assert_array_equal(nearest_feasible_units(problem, units, units > 0), units)
    np.testing.assert_array_equal(polish_units(problem, units), units)  # the optimum is a local optimum


@pytest.mark.parametrize("seed", range(5))
def test_polish_never_worsens_and_stays_feasible(seed):
    problem = synthetic_problem(10, seed=seed, cardinality=4, weight_step=0.05, min_weight=0.05)
    rng = np.random.default_rng(seed)
    start = nearest_feasible_units(problem, rng.integers(0, 6, size=problem.n))
    polished = polish_units(problem, start)
    assert problem.is_feasible(polished * problem.weight_step)
    assert units_objective(problem, polished) <= units_objective(problem, start) + 1e-15


def test_heuristic_start_is_feasible_and_near_the_optimum():
    problem = random_small_problem(7, max_vars=24)
    best = solve(problem, "brute")
    units = heuristic_units(problem, np.full(problem.n, 1.0 / problem.n))
    assert problem.is_feasible(units * problem.weight_step)
    assert units_objective(problem, units) >= best.objective - 1e-15
