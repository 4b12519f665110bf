"""qubo, the recommended raw QUBO configuration: what it chooses (the measured backend and
options, as defaults a caller can override) and that it is exactly that backend run so."""

from __future__ import annotations

import numpy as np
import pytest

import qportfolio as qp
from qportfolio.solvers.recommended import RECOMMENDED
from qportfolio.solvers.registry import get

BACKEND, CHOSEN = RECOMMENDED


@pytest.fixture(scope="module")
def problem():
    return qp.synthetic_problem(6, seed=3, cardinality=2, weight_step=0.25, min_weight=0.25)


def test_its_options_are_the_backends_with_the_chosen_defaults():
    qubo, backend = get("qubo"), get(BACKEND)
    assert qubo.backend.name == BACKEND and set(qubo.options) == set(backend.options)
    for name, option in qubo.options.items():
        assert option.default == CHOSEN.get(name, backend.options[name].default), name
    assert all(f"{k}={v}" in qubo.description for k, v in CHOSEN.items())


def test_is_the_default_solver_and_the_backend_run_with_the_chosen_options(problem):
    r = qp.solve(problem, seed=5, batches=3, time_budget=None, patience=None)
    same = qp.solve(problem, BACKEND, seed=5, batches=3, **{**CHOSEN, "time_budget": None, "patience": None})
    assert r.solver == "qubo" and r.info["backend"] == BACKEND
    assert np.array_equal(r.sampleset.record.sample, same.sampleset.record.sample)
    assert r.parameters["encoding"] == CHOSEN["encoding"]
    assert r.objective == pytest.approx(qp.solve(problem, "brute").objective, abs=1e-12)


def test_a_given_option_overrides_the_choice(problem):
    r = qp.solve(problem, "qubo", seed=5, batches=2, encoding="binary", time_budget=None)
    assert r.parameters["encoding"] == "binary" and r.info["batches"] == 2
