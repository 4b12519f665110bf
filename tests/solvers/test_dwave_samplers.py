"""dwave-samplers' SA, tabu, multistart tabu and steepest descent: each reaches the brute-force
optimum of a 6-variable selection problem, and declares what it is."""

from __future__ import annotations

import pytest

import qportfolio as qp
from qportfolio.solvers.registry import get

from ..conftest import selection_problem

OPTIONS = {"sa": {"num_reads": 50, "num_sweeps": 200}, "tabu": {"num_reads": 4, "timeout": 20},
           "tabu-restarts": {"timeout": 50}, "steepest": {"num_reads": 100}}


@pytest.fixture(scope="module")
def problem():
    return selection_problem(n=6, k=3, seed=4)


@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_reaches_the_brute_force_optimum(problem, name):
    best = qp.solve(problem, "brute")
    r = qp.solve(problem, name, seed=3, **OPTIONS[name])
    assert r.solver == name and r.feasible and r.seed == 3
    assert r.objective == pytest.approx(best.objective, abs=1e-12)
    assert r.sampleset is not None and r.info["num_samples"] >= 1


@pytest.mark.parametrize("name", ["sa", "steepest"])
def test_deterministic_samplers_repeat_with_a_seed(problem, name):
    a = qp.solve(problem, name, seed=9, **OPTIONS[name])
    b = qp.solve(problem, name, seed=9, **OPTIONS[name])
    assert (a.sampleset.record.sample == b.sampleset.record.sample).all()
    assert get(name).deterministic_calls and not get("tabu").deterministic_calls


def test_multistart_tabu_spends_no_more_than_the_budget_per_call():
    solver = get("tabu-restarts")
    assert solver.budget_params({"timeout": 1000}, 0.25)["timeout"] == 250
    assert solver.budget_params({"timeout": 100}, 5.0)["timeout"] == 100  # its own timeout is the cap
    assert solver.budget_params({"timeout": 1000}, 1e-6)["timeout"] == 1  # never zero milliseconds


def test_options_are_typed():
    with pytest.raises(qp.ValidationError, match="num_reads"):
        qp.solve(selection_problem(n=6, k=3), "sa", num_reads=0)
