"""SCIP's exact solvers against brute force, exhaustive QUBO ground states and support enumeration."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio import solve, synthetic_problem

from ..conftest import SMALL, rel, requires_orlib


@pytest.mark.parametrize("problem", SMALL, ids=lambda p: p.name)
def test_exact_discrete_equals_brute_force_and_sa_finds_it(problem):
    brute = solve(problem, "brute")
    exact = solve(problem, "exact-discrete")
    assert exact.status == "optimal" and exact.feasible
    assert rel(exact.objective, brute.objective) <= 1e-9
    assert exact.bound <= exact.objective + 1e-12 * abs(exact.objective)
    assert exact.gap is not None and exact.gap <= 1e-6
    # the QUBO ground state is the same optimum: SA with calibrated penalties finds it
    sa = solve(problem, "sa", num_reads=200, num_sweeps=1000, seed=11)
    assert sa.feasible
    assert rel(sa.objective, brute.objective) <= 1e-12
    assert 0 < sa.info["feasible_fraction"] <= 1


def test_ground_state_by_exhaustive_qubo_equals_exact():
    problem = SMALL[0]
    qubo = qp.encode(problem)
    ground = dimod.ExactSolver().sample(qubo.bqm).first
    d = qubo.decode(ground.sample)
    assert d.feasible[0]
    assert rel(d.objective[0], solve(problem, "exact-discrete").objective) <= 1e-9


def test_continuous_relaxes_the_grid():
    problem = synthetic_problem(9, seed=2, cardinality=3)
    cont = solve(problem, "exact-continuous")
    disc = solve(problem, "exact-discrete")
    assert cont.status == "optimal"
    assert cont.objective <= disc.objective + 1e-12
    assert problem.is_feasible(cont.weights, discrete=False)
    assert cont.gap <= 1e-4


def test_continuous_matches_support_enumeration():
    """Oracle: enumerate all supports, solve each convex QP (cvxpy), take the best."""
    import itertools

    from qportfolio.solvers.exact import polish_support

    problem = synthetic_problem(7, seed=8, cardinality=3, risk_aversion=0.8)
    best = min(
        problem.objective(w)
        for s in itertools.combinations(range(7), 3)
        if (w := polish_support(problem, np.isin(np.arange(7), s))) is not None
    )
    assert rel(solve(problem, "exact-continuous").objective, best) <= 1e-7


@requires_orlib
@pytest.mark.parametrize("lam", [0.2, 0.5, 0.95])
def test_exact_continuous_proves_port1(lam):
    from qportfolio.data import load_orlib

    r = solve(load_orlib("port1", risk_aversion=lam), "exact-continuous", time_limit=120)
    assert r.status == "optimal" and r.feasible
    assert len(r.selected) == 10
    assert r.gap <= 1e-4


@requires_orlib
def test_time_limit_reports_incumbent_bound_and_gap():
    from qportfolio.data import load_orlib

    problem = load_orlib("port5", weight_step=0.05, min_weight=0.05, risk_aversion=0.5)
    r = solve(problem, "exact-discrete", time_limit=3)
    assert r.status in {"time_limit", "optimal"}
    assert r.feasible  # the warm start guarantees an incumbent
    assert r.bound <= r.objective + 1e-12
    assert r.gap >= 0 and r.to_dict()["gap"] == r.gap
