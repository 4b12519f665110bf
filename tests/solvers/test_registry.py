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

        def _solve(self, problem, seed=None):
            w = np.zeros(problem.n)
            w[np.argsort(-problem.expected_returns)[: problem.cardinality]] = 1 / problem.cardinality
            return SolverOutput(weights=w, feasible=problem.is_feasible(w, discrete=False), status=Status.FEASIBLE,
                                parameters={})

    r = solve(SMALL[0], "test-top-return")
    assert r.solver == "test-top-return"
    unregister("test-top-return")
