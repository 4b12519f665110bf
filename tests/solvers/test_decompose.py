"""decompose: subproblems whose energies are the full QUBO's, subsolvers and controls, accounting
and refusals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qportfolio as qp
from qportfolio.cli import main
from qportfolio.solvers.controls import exhaustive_optimum, random_assignments
from qportfolio.solvers.subproblems import SparseQubo


def small(n=6, k=2, step=0.25):
    return qp.synthetic_problem(n, seed=3, cardinality=k, weight_step=step, min_weight=step)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12))
def test_subproblem_energies_are_full_energies(seed, size):
    qubo = qp.encode(small(), encoding="domain-wall")
    sparse = SparseQubo.of(qubo)
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, qubo.num_variables)
    variables = np.sort(rng.choice(qubo.num_variables, min(size, qubo.num_variables), replace=False))
    sub = sparse.subproblem(x, variables)
    labels = list(qubo.layout.labels)
    trial = rng.integers(0, 2, (5, variables.size))
    full = np.repeat(x[None, :], 5, axis=0)
    full[:, variables] = trial
    np.testing.assert_allclose(sub.energies((trial, [labels[v] for v in variables])),
                               qubo.bqm.energies((full, labels)), rtol=1e-12, atol=1e-15)
    assert sparse.energy(x) == pytest.approx(qubo.bqm.energy(dict(zip(labels, x))), rel=1e-12, abs=1e-15)


def test_whole_problem_as_one_exhaustive_subproblem_is_the_proven_optimum():
    problem = small()
    qubo = qp.encode(problem, encoding="domain-wall")
    assert qubo.num_variables <= 24
    r = qp.solve(problem, "decompose", subsolver="exhaustive", subproblem_size=qubo.num_variables, iterations=2, seed=1)
    exact = qp.solve(problem, "brute")
    assert r.feasible and r.objective == pytest.approx(exact.objective, rel=1e-12)
    info = r.info
    assert info["subsolver"] == "exhaustive" and info["subsolver_calls"] == 2 and info["classical_steps"] == 0
    assert info["decompose_objective"] == pytest.approx(r.objective) and info["start_objective"] >= r.objective - 1e-15


@pytest.mark.parametrize("sub, extra", [("sa", {}), ("tabu", {"subsolver_options": {"timeout": 20}}), ("random", {}),
                                        ("exhaustive", {})])
def test_subsolvers_improve_a_random_start_and_account_for_it(sub, extra):
    problem = qp.load_orlib("port1", cardinality=4, weight_step=0.1, min_weight=0.1)
    r = qp.solve(problem, "decompose", subsolver=sub, iterations=15, start="random", seed=2, **extra)
    info = r.info
    assert r.feasible and r.objective <= info["start_objective"] + 1e-15
    assert info["subsolver_calls"] == 15 and 0 <= info["subsolver_improvements"] <= 15
    assert info["decompose_objective"] == pytest.approx(r.objective)
    assert (info["subsolver_improvements"] > 0) == (r.objective < info["start_objective"])
    assert 0 < info["subsolver_seconds"] <= info["loop_seconds"]


def test_kept_weight_controls_sample_only_that_weight():
    problem = small(8, 3, 0.1)
    qubo = qp.encode(problem, encoding="domain-wall")
    sparse = SparseQubo.of(qubo)
    x = np.array([qubo.encode_units(np.array([4, 3, 3, 0, 0, 0, 0, 0]))[v] for v in qubo.layout.labels])
    variables = np.arange(12)
    sub = sparse.subproblem(x, variables)
    weight = int(x[variables].sum())
    rows = random_assignments(sub, weight, 200, np.random.default_rng(0)).record.sample
    assert (rows.sum(axis=1) == weight).all()
    best = exhaustive_optimum(sub, weight)
    assert best.record.sample.sum() == weight
    free = exhaustive_optimum(sub, None)
    assert free.first.energy <= best.first.energy + 1e-15


def test_xy_qaoa_subsolver_keeps_the_budget():
    problem = small(8, 3, 0.1)
    r = qp.solve(problem, "decompose", subsolver="qaoa-fast", subsolver_options={"mixer": "xy-ring", "reps": 1,
                                                                                   "restarts": 0, "maxiter": 20},
                 subproblem_size=10, iterations=4, seed=3)
    assert r.feasible and r.info["preserve_weight"] is True and r.info["subsolver_calls"] == 4
    assert r.parameters["subsolver_options"]["mixer"] == "xy-ring"
    assert r.info["subsolver_mean_approximation_ratio"] is not None


def test_mock_qpu_subsolver_is_labelled_and_the_clique_limits_the_size(capsys):
    problem = small(8, 3, 0.1)
    r = qp.solve(problem, "decompose", subsolver="dwave-qpu", subsolver_options={"mock": "pegasus:4", "num_reads": 20,
                                                                                   "embedding_cache": False},
                 subproblem_size=8, iterations=3, seed=1)
    assert r.feasible and r.info["mock_device"] is True and r.info["subproblem_limit"] >= 8
    assert "clique" in r.info["subproblem_limit_reason"]
    with pytest.raises(qp.ValidationError, match=r"subproblem_size 500 is larger than dwave-qpu allows: \d+ variables"):
        qp.solve(problem, "decompose", subsolver="dwave-qpu", subsolver_options={"mock": "pegasus:4"}, subproblem_size=500,
                 seed=1)


@pytest.mark.slow  # ~20 s of ExactSolver; a plain dimod sampler object is also tested on the whole problem below
def test_a_dimod_sampler_object_is_a_subsolver():
    import dimod

    r = qp.solve(small(), "decompose", subsolver=dimod.ExactSolver(), iterations=3, seed=1)
    assert r.feasible and r.info["subsolver"] == "dimod:ExactSolver"


@pytest.mark.parametrize("args, text", [
    (["-o", "subsolver=nope"], "unknown solver 'nope'"),
    (["-o", "subsolver=exact-discrete"], "subsolver exact-discrete is not a QUBO sampler"),
    (["-o", "subsolver=decompose"], "cannot be its own subsolver"),
    (["-o", "subsolver=qaoa-fast", "-o", "subproblem_size=40"], "subproblem_size 40 is larger than qaoa-fast allows"),
    (["-o", "subsolver=sa", "-o", "preserve_weight=true"], "preserve_weight needs a subsolver that keeps a Hamming weight"),
    (["-o", "subsolver=sa", "-o", "subsolver_options={\"bogus\": 1}"], "does not take option(s) bogus"),
    (["-o", "subsolver=qaoa-fast", "-o", "subsolver_options={\"mixer\": \"xy-ring\"}", "-o", "preserve_weight=false"],
     "keeps a Hamming weight: pass preserve_weight=true"),
    (["--encoding", "binary", "-o", "subsolver=random", "-o", "preserve_weight=true"], "unary or domain-wall"),
])
def test_bad_subsolver_requests_are_one_line_exit_2(args, text, capsys):
    assert main(["solve", "--synthetic", "6", "--instance-seed", "1", "--k", "2", "--solver", "decompose", *args]) == 2
    err = capsys.readouterr().err
    assert text in err and err.count("\n") == 1


def test_warm_started_qaoa_subsolver_begins_at_the_incumbent():
    problem = small(8, 3, 0.1)
    r = qp.solve(problem, "decompose", subsolver="qaoa-fast", subsolver_options={"warm_start": "incumbent", "reps": 1,
                                                                                   "restarts": 0, "maxiter": 15},
                 subproblem_size=10, iterations=3, start="random", seed=4)
    assert r.feasible and r.parameters["subsolver_options"]["warm_start"] == "incumbent"
    assert r.objective <= r.info["start_objective"] + 1e-15


def test_qiskit_qaoa_on_aer_is_a_subsolver_too():
    pytest.importorskip("qiskit_aer")
    problem = small(8, 3, 0.1)
    r = qp.solve(problem, "decompose", subsolver="qaoa", subsolver_options={"reps": 1, "maxiter": 10, "shots": 256,
                                                                              "mixer": "xy-ring"},
                 subproblem_size=8, iterations=3, start="random", seed=1)
    assert r.feasible and r.info["subsolver"] == "qaoa" and r.info["preserve_weight"] and r.info["subsolver_calls"] == 3
    assert r.objective <= r.info["start_objective"] + 1e-15


def test_an_ibm_backend_sets_the_subproblem_size():
    pytest.importorskip("qiskit_ibm_runtime")
    problem = small(8, 3, 0.1)
    with pytest.raises(qp.ValidationError, match=r"larger than qaoa allows: 5 variables \(the qubits of ibm-fake:FakeManilaV2"):
        qp.solve(problem, "decompose", subsolver="qaoa", subsolver_options={"sampler": "ibm-fake:FakeManilaV2"},
                 subproblem_size=8, seed=1)
    r = qp.solve(problem, "decompose", subsolver="qaoa", subsolver_options={"sampler": "ibm-fake:FakeManilaV2", "reps": 1,
                                                                              "maxiter": 5, "shots": 128},
                 iterations=2, seed=1)
    assert r.info["subproblem_size"] == 5 and r.feasible


@pytest.mark.parametrize("selection, encoding", [("energy-impact", "domain-wall"), ("assets", "binary"),
                                                 ("wall", "unary")])
def test_every_selection_keeps_a_feasible_incumbent(selection, encoding):
    problem = qp.load_orlib("port1", cardinality=4, weight_step=0.1, min_weight=0.1)
    r = qp.solve(problem, "decompose", subsolver="exhaustive", selection=selection, encoding=encoding, subproblem_size=14,
                 iterations=6, start="random", seed=5)
    assert r.feasible and r.info["selection"] == selection and r.parameters["encoding"] == encoding
    assert r.objective <= r.info["start_objective"] + 1e-15
    assert r.info["subsolver_calls"] == 6 and r.info["subproblem_size"] == 14


def test_a_solver_instance_or_its_sampler_is_the_same_subsolver_as_its_name():
    problem = small(8, 3, 0.1)
    opts = {"num_reads": 10, "num_sweeps": 100}
    by_name = qp.solve(problem, "decompose", subsolver="sa", subsolver_options=opts, iterations=4, start="random", seed=6)
    sa = qp.solvers.get("sa")
    by_solver = qp.solve(problem, "decompose", subsolver=sa, subsolver_options=opts, iterations=4, start="random", seed=6)
    by_sampler = qp.solve(problem, "decompose", subsolver=sa.as_sampler(**opts), iterations=4, start="random", seed=6)
    for r in (by_solver, by_sampler):
        assert r.info["subsolver"] == "sa" and r.objective == by_name.objective
        assert r.info["subsolver_improvements"] == by_name.info["subsolver_improvements"]


def test_a_plain_dimod_sampler_on_the_whole_problem_reaches_the_brute_force_optimum():
    import dimod

    problem = small()
    n = qp.encode(problem, encoding="domain-wall").num_variables
    r = qp.solve(problem, "decompose", subsolver=dimod.ExactSolver(), subproblem_size=n, iterations=1, seed=2)
    assert r.info["subsolver"] == "dimod:ExactSolver" and r.info["subproblem_limit"] is None
    assert r.objective == pytest.approx(qp.solve(problem, "brute").objective, rel=1e-12)
