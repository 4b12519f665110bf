"""engine=gurobi for the exact baselines: the same optima as SCIP and brute force on instances
inside pip's size-limited license, the same Result vocabulary, and one-line refusals."""

from __future__ import annotations

import sys

import pytest

import qportfolio as qp
from qportfolio.errors import SolverError, ValidationError

gurobipy = pytest.importorskip("gurobipy")


@pytest.mark.parametrize("lam", [0.1, 0.9])
def test_discrete_optimum_equals_brute_force_and_scip(lam):
    problem = qp.synthetic_problem(7, seed=4, cardinality=3, weight_step=0.1, min_weight=0.1, risk_aversion=lam)
    brute = qp.solve(problem, "brute")
    scip = qp.solve(problem, "exact-discrete")
    grb = qp.solve(problem, "exact-discrete", engine="gurobi")
    assert grb.status == "optimal" and grb.feasible
    assert grb.objective == pytest.approx(brute.objective, abs=1e-12) == pytest.approx(scip.objective, abs=1e-12)
    assert grb.bound <= grb.objective + 1e-12
    assert grb.parameters["engine"] == "gurobi" and grb.info["engine"] == "gurobi" and "gurobipy" in grb.versions
    assert scip.parameters["engine"] == "scip"


def test_orlib_points_agree_with_scip():
    for name, lam in (("port1", 0.5), ("port2", 0.9)):
        problem = qp.load_orlib(name, cardinality=10, risk_aversion=lam, weight_step=0.05, min_weight=0.05)
        scip = qp.solve(problem, "exact-discrete")
        grb = qp.solve(problem, "exact-discrete", engine="gurobi")
        assert scip.status == grb.status == "optimal"
        assert grb.objective == pytest.approx(scip.objective, rel=1e-9, abs=1e-12)
    problem = qp.load_orlib("port1", cardinality=10, risk_aversion=0.5, min_weight=0.01)
    scip = qp.solve(problem, "exact-continuous")
    grb = qp.solve(problem, "exact-continuous", engine="gurobi")
    assert grb.status == "optimal" and grb.feasible
    assert grb.objective == pytest.approx(scip.objective, rel=1e-7)


def test_scip_only_options_are_refused_with_gurobi():
    problem = qp.synthetic_problem(6, seed=1, cardinality=2, weight_step=0.25, min_weight=0.25)
    with pytest.raises(ValidationError, match=r"split=bound shapes the SCIP model.*engine=scip"):
        qp.solve(problem, "exact-discrete", engine="gurobi", split="bound")
    with pytest.raises(ValidationError, match=r"settings=default shapes the SCIP model"):
        qp.solve(problem, "exact-continuous", engine="gurobi", settings="default")


def test_a_model_over_the_pip_license_is_one_clear_error():
    """port5 (450 variables, 50 625 quadratic terms) is over pip's license; a full license solves it."""
    problem = qp.load_orlib("port5", cardinality=10, weight_step=0.05, min_weight=0.05)
    try:
        result = qp.solve(problem, "exact-discrete", engine="gurobi", time_limit=5)
    except SolverError as exc:
        assert "license" in str(exc) and "engine=scip" in str(exc)
    else:
        assert result.feasible  # a full license is installed here


def test_missing_gurobipy_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "gurobipy", None)  # import gurobipy now raises ImportError
    problem = qp.synthetic_problem(6, seed=1, cardinality=2, weight_step=0.25, min_weight=0.25)
    with pytest.raises(ValidationError, match=r"gurobipy, which is not installed: pip install 'qportfolio\[gurobi\]'"):
        qp.solve(problem, "exact-discrete", engine="gurobi")
