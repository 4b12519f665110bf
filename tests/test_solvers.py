"""Solvers against oracles: brute force, SCIP's proven optimum, each other."""

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio import solve, synthetic_problem
from qportfolio.errors import SolverError, ValidationError
from qportfolio.solvers.brute import count_portfolios

from .conftest import random_small_problem, requires_orlib

SMALL = [random_small_problem(1000 + i, max_vars=24) for i in range(20)]


def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


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


@pytest.mark.parametrize("name", ["tabu", "steepest"])
def test_other_dwave_samplers(name):
    problem = SMALL[3]
    r = solve(problem, name, seed=3)
    assert r.solver == name and r.seed == 3
    assert r.sampleset is not None and r.info["num_samples"] > 0


def test_any_dimod_sampler():
    problem = SMALL[1]
    r = solve(problem, dimod.ExactSolver())
    assert r.solver == "dimod:ExactSolver" and r.feasible
    assert rel(r.objective, solve(problem, "brute").objective) <= 1e-9
    r = solve(problem, dimod.RandomSampler(), num_reads=5, repair=True, seed=1)
    assert r.feasible  # repair maps random samples to feasible portfolios
    assert "num_repaired" in r.info or r.info["feasible_fraction"] > 0


def test_repair_keeps_raw_and_repaired_figures():
    problem = SMALL[2]
    r = solve(problem, "sa", num_reads=20, num_sweeps=10, penalty_scale=0.05, repair=True, seed=5)
    assert r.feasible
    if r.info.get("num_repaired"):
        assert "repaired_best_objective" in r.info and "raw_best_objective" in r.info


def test_reproducible_with_seed():
    problem = synthetic_problem(8, seed=1, cardinality=3)
    a = solve(problem, "sa", num_reads=20, seed=42)
    b = solve(problem, "sa", num_reads=20, seed=42)
    assert np.array_equal(a.sampleset.record.sample, b.sampleset.record.sample)
    c = solve(problem, "sa", num_reads=5)
    assert isinstance(c.seed, int)  # an unseeded run records the seed it drew


def test_result_records_everything():
    problem = SMALL[4]
    r = solve(problem, "exact-discrete")
    d = r.to_dict()
    for key in ("objective", "weights", "selected", "feasible", "status", "solver", "wall_s", "expected_return",
                "volatility", "bound", "gap", "parameters", "versions"):
        assert key in d
    assert d["problem"]["fingerprint"] == problem.fingerprint
    assert "dimod" in d["versions"] and "pyscipopt" in d["versions"]
    assert d["objective"] == pytest.approx(problem.objective(r.weights), rel=0, abs=0)
    assert abs(sum(d["weights"].values()) - 1) < 1e-12
    assert "objective" in str(r) and problem.assets[0] in str(r) or r.selected[0] in str(r)


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


def test_brute_refuses_large():
    problem = synthetic_problem(30, seed=0, cardinality=10, weight_step=0.01, min_weight=0.01)
    with pytest.raises(SolverError, match="brute force refuses"):
        solve(problem, "brute")
    small = synthetic_problem(4, seed=0, cardinality=2, weight_step=0.25, min_weight=0.25)
    assert count_portfolios(small) == 6 * 3  # 6 pairs x {(1,3),(2,2),(3,1)}


def test_new_backend_is_one_class():
    from qportfolio.outcome import Status
    from qportfolio.solvers import Solver, SolverOutput, register, unregister

    @register
    class EqualWeightTopReturn(Solver):
        name = "test-top-return"
        options = {"seed": "unused"}

        def _solve(self, problem, seed=None):
            w = np.zeros(problem.n)
            w[np.argsort(-problem.expected_returns)[: problem.cardinality]] = 1 / problem.cardinality
            return SolverOutput(weights=w, feasible=problem.is_feasible(w, discrete=False), status=Status.FEASIBLE,
                                parameters={})

    r = solve(SMALL[0], "test-top-return")
    assert r.solver == "test-top-return"
    unregister("test-top-return")


@requires_orlib
@pytest.mark.parametrize("lam", [0.2, 0.5, 0.95])
def test_exact_continuous_proves_port1(lam):
    from qportfolio.data import load_orlib

    r = solve(load_orlib("port1", risk_aversion=lam), "exact-continuous", time_limit=120)
    assert r.status == "optimal" and r.feasible
    assert len(r.selected) == 10
    assert r.gap <= 1e-4


def test_polish_never_worsens_and_keeps_raw():
    problem = synthetic_problem(10, seed=4, cardinality=4)
    raw = solve(problem, "sa", num_reads=5, num_sweeps=50, seed=2)
    pol = solve(problem, "sa", num_reads=5, num_sweeps=50, seed=2, polish=True)
    assert pol.feasible and pol.objective <= raw.objective + 1e-15
    assert pol.info["raw_best_objective"] == raw.info["raw_best_objective"]
    assert pol.info["polished_best_objective"] == pytest.approx(pol.objective, rel=0, abs=0)


@requires_orlib
def test_time_limit_reports_incumbent_bound_and_gap():
    from qportfolio.data import load_orlib

    problem = load_orlib("port5", weight_step=0.05, min_weight=0.05, risk_aversion=0.5)
    r = solve(problem, "exact-discrete", time_limit=3)
    assert r.status in {"time_limit", "optimal"}
    assert r.feasible  # the warm start guarantees an incumbent
    assert r.bound <= r.objective + 1e-12
    assert r.gap >= 0 and r.to_dict()["gap"] == r.gap
