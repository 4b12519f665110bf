"""One way back for every formulation: each model is a ``Formulation``, and a known grid portfolio
written as a solution of the model's own form reads back to the same weights (a round trip)."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.formulations import Formulation, cqm, miqp, qiskit
from qportfolio.formulations.qubo import encode


@pytest.fixture(scope="module")
def problem():
    return qp.synthetic_problem(5, seed=3, cardinality=2, weight_step=0.25, min_weight=0.25, max_weight=0.75)


#: Known feasible portfolios of ``problem`` in units (step 0.25, K = 2, 1..3 units held).
PORTFOLIOS = [np.array([1, 0, 3, 0, 0]), np.array([0, 2, 0, 0, 2]), np.array([0, 0, 0, 3, 1])]


def test_the_portfolios_are_feasible(problem):
    for units in PORTFOLIOS:
        assert problem.is_feasible(units * problem.weight_step)


@pytest.mark.parametrize("encoding", ["binary", "unary", "domain-wall"])
def test_qubo_round_trip(problem, encoding):
    model = encode(problem, encoding=encoding)
    assert isinstance(model, Formulation)
    samples = [model.encode_units(units) for units in PORTFOLIOS]
    expected = np.array(PORTFOLIOS) * problem.weight_step
    np.testing.assert_array_equal(model.weights(samples), expected)
    np.testing.assert_array_equal(model.weights(samples[0])[0], expected[0])
    sampleset = dimod.SampleSet.from_samples_bqm(samples, model.bqm)
    np.testing.assert_array_equal(model.weights(sampleset), expected)


def test_cqm_round_trip(problem):
    model = cqm.build(problem)
    assert isinstance(model, Formulation)
    samples = [{**{cqm.selection_label(a): int(u > 0) for a, u in zip(problem.assets, units)},
                **{cqm.units_label(a): int(u) for a, u in zip(problem.assets, units)}} for units in PORTFOLIOS]
    assert all(model.cqm.check_feasible(s) for s in samples)  # the CQM agrees they are portfolios
    expected = np.array(PORTFOLIOS) * problem.weight_step
    np.testing.assert_array_equal(model.weights(samples), expected)
    sampleset = dimod.SampleSet.from_samples_cqm(samples, model.cqm)
    np.testing.assert_array_equal(model.weights(sampleset), expected)


def test_quadratic_program_round_trip(problem):
    pytest.importorskip("qiskit_optimization")
    model = qiskit.build(problem)
    assert isinstance(model, Formulation)
    names = [v.name for v in model.program.variables]
    for units in PORTFOLIOS:
        values = {**{f"z_{i}": float(u > 0) for i, u in enumerate(units)}, **{f"m_{i}": float(u) for i, u in enumerate(units)}}
        x = np.array([values[name] for name in names])
        assert model.program.is_feasible(x)
        np.testing.assert_array_equal(model.weights(x), units * problem.weight_step)


def test_scip_round_trip(problem):
    model = miqp.build(problem, integer=True)
    assert isinstance(model, Formulation)
    for units in PORTFOLIOS:
        sol = model.model.createSol()
        for xi, zi, u in zip(model.x, model.z, units):
            model.model.setSolVal(sol, xi, float(u))
            model.model.setSolVal(sol, zi, float(u > 0))
        np.testing.assert_array_equal(model.weights(sol), units * problem.weight_step)
    continuous = miqp.build(problem, integer=False)
    sol = continuous.model.createSol()
    for xi, w in zip(continuous.x, [0.3, 0.0, 0.7, 0.0, 0.0]):
        continuous.model.setSolVal(sol, xi, w)
    np.testing.assert_allclose(continuous.weights(sol), [0.3, 0.0, 0.7, 0.0, 0.0])


def test_gurobi_round_trip(problem):
    pytest.importorskip("gurobipy")
    from qportfolio.formulations import gurobi_miqp

    model = gurobi_miqp.build(problem, integer=True)
    assert isinstance(model, Formulation)
    assert model.weights() is None  # nothing solved yet
    for units in PORTFOLIOS:
        np.testing.assert_array_equal(model.weights(units.astype(float)), units * problem.weight_step)
    units = PORTFOLIOS[1]
    model.x.LB = model.x.UB = units.astype(float)  # the solver's own solution of the pinned model
    gurobi_miqp.optimize(model)
    np.testing.assert_array_equal(model.weights(), units * problem.weight_step)
