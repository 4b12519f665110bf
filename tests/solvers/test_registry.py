"""The solver registry: names, option checking, a new backend as one class."""

from __future__ import annotations

import numpy as np
import pytest

import qportfolio as qp
from qportfolio import solve
from qportfolio.errors import SolverError, ValidationError

from ..conftest import SMALL


def test_registry_and_option_errors():
    assert {"sa", "tabu", "steepest", "exact-discrete", "exact-continuous", "brute"} <= set(qp.available())
    with pytest.raises(SolverError, match="unknown solver 'nope'"):
        solve(SMALL[0], "nope")
    with pytest.raises(ValidationError, match="does not take option"):
        solve(SMALL[0], "sa", num_sweep=10)
    with pytest.raises(ValidationError, match="time_limit"):
        solve(SMALL[0], "exact-discrete", time_limit=-1)
    with pytest.raises(ValidationError, match="seed"):
        solve(SMALL[0], "sa", seed=-3)


def test_new_backend_is_one_class():
    from qportfolio.solvers import Option, Solver, SolverOutput, declare, register, unregister
    from qportfolio.status import Status

    @register
    class EqualWeightTopReturn(Solver):
        name = "test-top-return"
        options = declare(Option("seed", "unused", nullable=True))

        def _solve(self, problem, *, seed):
            w = np.zeros(problem.n)
            w[np.argsort(-problem.expected_returns)[: problem.cardinality]] = 1 / problem.cardinality
            return SolverOutput(weights=w, feasible=problem.is_feasible(w, discrete=False), status=Status.FEASIBLE,
                                parameters={})

    r = solve(SMALL[0], "test-top-return")
    assert r.solver == "test-top-return"
    unregister("test-top-return")


def test_old_names_are_aliases_that_keep_the_name_asked_for():
    from qportfolio.solvers import registry

    assert registry.aliases() == {"qaoa": "qaoa-qiskit", "qaoa-fast": "qaoa-numpy"}
    assert not set(registry.aliases()) & set(qp.available())
    for old, current in registry.aliases().items():
        solver, canonical = registry.get(old), registry.get(current)
        assert type(solver) is type(canonical) and old in type(canonical).aliases
        assert solver.name == old and canonical.name == current  # a result records the name asked for
        assert registry.canonical(old) == current and registry.is_registered(old)
        # the lazy table: get(old) imports the module that registers the current name
        assert registry.BUILTIN_ALIASES[old] == current
    result = solve(SMALL[0], "qaoa-fast", reps=1, maxiter=5, seed=1)
    again = solve(SMALL[0], "qaoa-numpy", reps=1, maxiter=5, seed=1)
    assert result.solver == "qaoa-fast" and again.solver == "qaoa-numpy"
    assert np.array_equal(result.weights, again.weights) and result.objective == again.objective


def test_an_alias_is_taken_like_a_name():
    from qportfolio.solvers import Solver, register, unregister
    from qportfolio.solvers.registry import aliases, is_registered

    class Shadow(Solver):
        name = "test-shadow"
        aliases = ("qaoa",)

        def _solve(self, problem):
            raise AssertionError("never run")

    with pytest.raises(SolverError, match="'qaoa' is already registered"):
        register(Shadow)
    assert not is_registered("test-shadow")
    Shadow.aliases = ("test-old-shadow",)
    register(Shadow)
    assert aliases()["test-old-shadow"] == "test-shadow" and qp.solvers.get("test-old-shadow").name == "test-old-shadow"
    unregister("test-shadow")
    assert not is_registered("test-old-shadow") and not is_registered("test-shadow")
