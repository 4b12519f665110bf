"""What a hybrid accepts as its subsolver: names, solver instances, samplers and controls."""

from __future__ import annotations

import dimod
import pytest

import qportfolio as qp
from qportfolio.solvers.controls import ExhaustiveControl, RandomControl
from qportfolio.solvers.solver_sampler import SolverSampler
from qportfolio.solvers.subsolvers import subsolver_names, subsolver_sampler


def test_every_kind_of_spec_becomes_a_sampler():
    sampler, params = subsolver_sampler("sa", {"num_reads": 3})
    assert isinstance(sampler, SolverSampler) and sampler.options["num_reads"] == 3 and params == {}
    assert isinstance(subsolver_sampler(qp.solvers.get("sa"))[0], SolverSampler)
    assert isinstance(subsolver_sampler("random", {"num_reads": 5})[0], RandomControl)
    assert isinstance(subsolver_sampler("exhaustive")[0], ExhaustiveControl)
    exact = dimod.ExactSolver()
    assert subsolver_sampler(exact, {"x": 1}) == (exact, {"x": 1})  # a sampler's options go to each call


def test_what_is_not_a_subsolver_is_refused_by_name():
    names = subsolver_names()
    assert {"sa", "qaoa-numpy"} <= set(names) and not {"tabu-structured", "decompose", "brute"} & set(names)
    with pytest.raises(qp.ValidationError, match="brute is not a QUBO sampler"):
        subsolver_sampler("brute")
    with pytest.raises(qp.SolverError, match="unknown solver"):
        subsolver_sampler("nope")
    decompose = type(qp.solvers.get("decompose"))
    with pytest.raises(qp.ValidationError, match="cannot be its own subsolver"):
        subsolver_sampler("decompose", owner=decompose)
