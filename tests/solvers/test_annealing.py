"""dwave-samplers' SA, tabu and steepest descent, and any dimod sampler, through QuboSolver."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

from qportfolio import solve, synthetic_problem

from ..conftest import SMALL, rel


@pytest.mark.parametrize("name", ["tabu", "steepest"])
def test_other_dwave_samplers(name):
    problem = SMALL[3]
    r = solve(problem, name, seed=3)
    assert r.solver == name and r.seed == 3
    assert r.sampleset is not None and r.info["num_samples"] > 0


def test_any_dimod_sampler():
    problem = SMALL[1]
    r = solve(problem, dimod.ExactSolver())
    assert r.solver == "dimod:ExactSolver" and r.feasible
    assert rel(r.objective, solve(problem, "brute").objective) <= 1e-9
    r = solve(problem, dimod.RandomSampler(), num_reads=5, repair=True, seed=1)
    assert r.feasible  # repair maps random samples to feasible portfolios
    assert "num_repaired" in r.info or r.info["feasible_fraction"] > 0


def test_reproducible_with_seed():
    problem = synthetic_problem(8, seed=1, cardinality=3)
    a = solve(problem, "sa", num_reads=20, seed=42)
    b = solve(problem, "sa", num_reads=20, seed=42)
    assert np.array_equal(a.sampleset.record.sample, b.sampleset.record.sample)
    c = solve(problem, "sa", num_reads=5)
    assert isinstance(c.seed, int)  # an unseeded run records the seed it drew
