"""One status vocabulary and one result protocol across the core and the classical toolkit."""

from __future__ import annotations

import json
import math

import cvxpy as cp
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.classic import LONG_ONLY, max_sharpe, min_variance, risk_budgeting
from qportfolio.lp import solve_model
from qportfolio.status import PortfolioAnswer, Status, jsonable


def test_status_is_a_string_enum_with_documented_members():
    assert Status.OPTIMAL == "optimal" and str(Status.TIME_LIMIT) == "time_limit"
    assert json.dumps({"s": Status.FEASIBLE}) == '{"s": "feasible"}'
    assert {s.value for s in Status} == {"optimal", "feasible", "time_limit", "infeasible", "unbounded", "no_solution"}
    assert [s for s in Status if s.has_solution] == [Status.OPTIMAL, Status.FEASIBLE, Status.TIME_LIMIT]


@pytest.mark.parametrize("raw, expected", [
    (cp.OPTIMAL, Status.OPTIMAL), (cp.OPTIMAL_INACCURATE, Status.FEASIBLE), (cp.INFEASIBLE, Status.INFEASIBLE),
    (cp.INFEASIBLE_INACCURATE, Status.INFEASIBLE), (cp.UNBOUNDED, Status.UNBOUNDED), (cp.USER_LIMIT, Status.TIME_LIMIT),
    (cp.SOLVER_ERROR, Status.NO_SOLUTION),
])
def test_cvxpy_statuses_map_into_the_vocabulary(raw, expected):
    assert Status.from_cvxpy(raw) is expected


@pytest.mark.parametrize("raw, has_solution, expected", [
    ("optimal", True, Status.OPTIMAL), ("timelimit", True, Status.TIME_LIMIT), ("timelimit", False, Status.NO_SOLUTION),
    ("gaplimit", True, Status.FEASIBLE), ("infeasible", False, Status.INFEASIBLE), ("nodelimit", False, Status.NO_SOLUTION),
])
def test_scip_statuses_map_into_the_vocabulary(raw, has_solution, expected):
    assert Status.from_scip(raw, has_solution) is expected


def test_result_refuses_a_status_outside_the_vocabulary():
    problem = qp.synthetic_problem(4, seed=0, cardinality=2, weight_step=0.25, min_weight=0.25)
    good = qp.solve(problem, "brute")
    with pytest.raises(ValueError, match="status must be one of"):
        qp.Result(problem=problem, weights=good.weights, feasible=True, status="solved", solver="x", parameters={},
                  wall_time=0.0)


def test_core_and_classical_results_share_field_meanings():
    problem = qp.synthetic_problem(6, seed=2, cardinality=3, weight_step=0.25, min_weight=0.25)
    mu, cov = problem.expected_returns, problem.covariance
    answers = [qp.solve(problem, "brute"), qp.solve(problem, "sa", num_reads=20, seed=1),
               min_variance(mu, cov, constraints=LONG_ONLY, assets=problem.assets), max_sharpe(mu, cov, assets=problem.assets),
               risk_budgeting(mu, cov, assets=problem.assets)]
    for a in answers:
        assert isinstance(a, PortfolioAnswer)
        assert isinstance(a.status, Status) and a.status == Status(a.to_dict()["status"])
        assert a.assets == problem.assets
        assert a.expected_return == pytest.approx(float(mu @ a.weights), rel=1e-12)
        assert a.volatility == pytest.approx(math.sqrt(a.weights @ cov @ a.weights), rel=1e-12)
        assert list(a.weights_by_asset(tol=None)) == list(problem.assets)
        assert all(abs(w) > 0.1 for w in a.weights_by_asset(tol=0.1).values())
        json.dumps(a.to_dict())


def test_classical_objective_is_the_optimised_criterion():
    problem = qp.synthetic_problem(6, seed=2)
    mu, cov = problem.expected_returns, problem.covariance
    mv = min_variance(mu, cov)
    assert (mv.objective_name, mv.sense) == ("variance", "min")
    assert mv.objective == pytest.approx(mv.volatility**2, rel=1e-9)
    ms = max_sharpe(mu, cov, risk_free=0.001)
    assert (ms.objective_name, ms.sense) == ("sharpe_ratio", "max")
    assert ms.objective == pytest.approx(ms.sharpe(0.001), rel=1e-12)
    rp = risk_budgeting(mu, cov)
    assert rp.objective is None and rp.objective_name is None and "max_contribution_error" in rp.info


def test_swapped_arguments_are_named_in_the_error():
    problem = qp.synthetic_problem(4, seed=0)
    with pytest.raises(qp.ValidationError, match=r"\(expected_returns, covariance"):
        min_variance(problem.covariance, problem.expected_returns)


def test_lp_statuses_use_the_vocabulary():
    ok = solve_model({"variables": {"x": {"lower": 0, "upper": 1}}, "objective": {"sense": "max", "linear": {"x": 1}}})
    assert ok.status is Status.OPTIMAL and ok.to_dict()["status"] == "optimal"
    unbounded = solve_model({"variables": {"x": {"lower": 0}}, "objective": {"sense": "max", "linear": {"x": 1}}})
    assert unbounded.status is Status.UNBOUNDED and not unbounded.status.has_solution


def test_jsonable_makes_numpy_enums_and_non_finite_values_safe():
    out = jsonable({"a": np.float64(np.nan), "b": np.arange(2), "c": Status.OPTIMAL, 1: np.bool_(True), "d": (np.int32(3),)})
    assert out == {"a": None, "b": [0, 1], "c": "optimal", "1": True, "d": [3]}
