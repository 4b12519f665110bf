"""Numerical edge cases against brute force (hypothesis): zero-variance assets, duplicated assets
(singular covariance), equal expected returns, lambda = 0 and 1, K = 1 and K = n, a one-unit grid,
and bounds that leave exactly one feasible portfolio. The exact MIQP (SCIP) and the QUBO's
lowest feasible energy must both equal the brute-force optimum."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qportfolio import encode, solve
from qportfolio.problem import PortfolioProblem

from .conftest import rel


@st.composite
def edge_problems(draw):
    n = draw(st.integers(2, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    factors = rng.normal(size=(n, 2)) * 0.1
    cov = factors @ factors.T + np.diag(rng.uniform(0.001, 0.01, n))
    mu = rng.uniform(-0.01, 0.03, n)
    case = draw(st.sampled_from(["zero-variance", "duplicate", "equal-returns", "plain"]))
    if case == "zero-variance":  # a riskless asset: its row and column are zero
        i = draw(st.integers(0, n - 1))
        cov[i, :] = cov[:, i] = 0.0
    elif case == "duplicate":  # two identical assets: singular covariance
        cov[1, :], cov[:, 1] = cov[0, :], cov[:, 0]
        cov[1, 1] = cov[0, 0]
        mu[1] = mu[0]
    elif case == "equal-returns":
        mu[:] = 0.01
    k = draw(st.sampled_from(sorted({1, n, draw(st.integers(1, n))})))
    lam = draw(st.sampled_from([0.0, 1.0, 0.5, draw(st.floats(0, 1))]))
    grid = draw(st.sampled_from(["coarse", "one-unit", "unique"]))
    if grid == "one-unit":  # step 1: one unit, so only K = 1 is feasible
        k, step, lo, hi = 1, 1.0, 1.0, 1.0
    elif grid == "unique":  # min = max = 1/K: every held weight is fixed (a unique portfolio when K = n)
        step = 1.0 / k
        lo = hi = step
    else:
        step = draw(st.sampled_from([0.25, 0.2, 0.5]))
        lo, hi = step, 1.0
        if k * lo > 1.0:
            k = int(1.0 / lo)
    assets = tuple(f"a{i}" for i in range(n))
    return PortfolioProblem(assets, mu, cov, k, risk_aversion=lam, min_weight=lo, max_weight=hi, weight_step=step,
                            name=f"edge-{case}-{grid}")


def _qubo_best_feasible(problem: PortfolioProblem) -> float:
    """Lowest energy over every feasible assignment (exhaustive), checking energy = objective on each."""
    qubo = encode(problem)
    order = list(qubo.bqm.variables)
    x = np.array(list(itertools.product((0, 1), repeat=len(order))), dtype=np.int8)
    decoded = qubo.decode((x, order))
    energies = qubo.bqm.energies((x, order))
    feasible = decoded.feasible
    assert feasible.any()
    assert np.allclose(energies[feasible], decoded.objective[feasible], rtol=1e-9, atol=1e-12)
    assert energies[~feasible].min(initial=np.inf) > energies[feasible].min()  # the penalties make infeasible lose
    return float(energies[feasible].min())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edge_problems())
def test_exact_and_qubo_agree_with_brute_force_on_edge_cases(problem):
    best = solve(problem, "brute")
    assert best.feasible
    exact = solve(problem, "exact-discrete", time_limit=60)
    assert exact.status.value == "optimal"
    assert rel(exact.objective, best.objective) <= 1e-7 or abs(exact.objective - best.objective) <= 1e-12
    if encode(problem).bqm.num_variables <= 14:
        assert _qubo_best_feasible(problem) == pytest.approx(best.objective, rel=1e-9, abs=1e-12)


def test_bounds_that_leave_exactly_one_portfolio():
    cov = np.diag([0.01, 0.02, 0.03])
    p = PortfolioProblem(("a", "b", "c"), [0.01, 0.02, 0.03], cov, 3, min_weight=1 / 3, max_weight=1 / 3,
                         weight_step=1 / 3)
    for solver in ("brute", "exact-discrete", "exact-continuous", "sa"):
        r = solve(p, solver, **({"seed": 1} if solver == "sa" else {}))
        assert r.feasible and np.allclose(r.weights, 1 / 3), solver
