"""The Gurobi model of the exact baselines, built and solved directly under pip's size-limited
license: its optimum agrees with SCIP's exact-discrete/continuous to 1e-6 and with brute force,
its objective is f once rescaled, and the way back repairs a rounding that leaves the grid."""

from __future__ import annotations

import numpy as np
import pytest

import qportfolio as qp
from qportfolio.status import Status

pytest.importorskip("gurobipy")

from qportfolio.formulations import gurobi_miqp


@pytest.mark.parametrize(("seed", "lam"), [(1, 0.0), (2, 0.5), (3, 0.95)])
def test_discrete_optimum_agrees_with_scip_and_brute_force(seed, lam):
    problem = qp.synthetic_problem(6, seed=seed, cardinality=3, weight_step=0.1, min_weight=0.1, risk_aversion=lam)
    model = gurobi_miqp.build(problem, integer=True)
    gurobi_miqp.optimize(model)
    weights = model.weights()
    assert model.status() == Status.OPTIMAL and problem.is_feasible(weights)
    f = float(problem.objective(weights))
    scip = qp.solve(problem, "exact-discrete")
    assert f == pytest.approx(scip.objective, rel=1e-6, abs=1e-12)
    assert f == pytest.approx(qp.solve(problem, "brute").objective, rel=1e-6, abs=1e-12)
    assert model.info()["gurobi_objective"] == pytest.approx(f, rel=1e-6, abs=1e-12)  # Gurobi's objective times scale


def test_continuous_optimum_agrees_with_scip():
    problem = qp.synthetic_problem(6, seed=5, cardinality=2, min_weight=0.1, risk_aversion=0.7)
    model = gurobi_miqp.build(problem, integer=False)
    gurobi_miqp.optimize(model)
    weights = model.weights()
    assert model.status() == Status.OPTIMAL and abs(weights.sum() - 1) < 1e-6 and (weights > 1e-9).sum() == 2
    scip = qp.solve(problem, "exact-continuous")
    assert float(problem.objective(weights)) == pytest.approx(scip.objective, rel=1e-6, abs=1e-12)


def test_a_warm_start_is_an_incumbent_from_the_first_solution_on():
    problem = qp.synthetic_problem(6, seed=4, cardinality=2, weight_step=0.25, min_weight=0.25)
    start = np.array([2, 2, 0, 0, 0, 0])
    model = gurobi_miqp.build(problem, integer=True, start=start)
    model.model.Params.SolutionLimit = 1  # stop at the first incumbent
    gurobi_miqp.optimize(model)
    assert model.status() in (Status.FEASIBLE, Status.OPTIMAL) and model.model.SolCount >= 1
    assert float(problem.objective(model.weights())) <= float(problem.objective(start * problem.weight_step)) + 1e-12


def test_rounded_units_off_the_grid_are_repaired():
    problem = qp.synthetic_problem(5, seed=1, cardinality=2, weight_step=0.25, min_weight=0.25)
    model = gurobi_miqp.build(problem, integer=True)
    repaired = model.weights(np.array([2.0, 1.0, 1.0, 0.0, 0.0]))  # three assets held: not a portfolio of K = 2
    assert problem.is_feasible(repaired)
    with pytest.raises(qp.ValidationError, match="5 values of x"):
        model.weights(np.zeros(4))


def test_objective_scale_is_the_natural_size_shared_with_scip():
    from qportfolio.formulations.miqp import natural_objective_size

    problem = qp.synthetic_problem(5, seed=1, cardinality=2, weight_step=0.25, min_weight=0.25)
    assert gurobi_miqp.build(problem, integer=True).scale == natural_objective_size(problem)
