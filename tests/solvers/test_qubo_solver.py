"""The shared QUBO-solver base: decoding, repair and polish of sample sets."""

from __future__ import annotations

import dimod
import pytest

import qportfolio as qp
from qportfolio import solve, synthetic_problem
from qportfolio.solvers import QuboSolver, SampleRun, declare
from qportfolio.solvers.base import BENCHMARK_METRICS
from qportfolio.solvers.options import COUNT, Option
from qportfolio.solvers.qubo_solver import ENCODE_OPTIONS, RESULT_OPTIONS
from qportfolio.status import Status

from ..conftest import SMALL, rel


def test_repair_keeps_raw_and_repaired_figures():
    problem = SMALL[2]
    r = solve(problem, "sa", num_reads=20, num_sweeps=10, penalty_scale=0.05, repair=True, seed=5)
    assert r.feasible
    if r.info.get("num_repaired"):
        assert "repaired_best_objective" in r.info and "raw_best_objective" in r.info


def test_polish_never_worsens_and_keeps_raw():
    problem = synthetic_problem(10, seed=4, cardinality=4)
    raw = solve(problem, "sa", num_reads=5, num_sweeps=50, seed=2)
    pol = solve(problem, "sa", num_reads=5, num_sweeps=50, seed=2, polish=True)
    assert pol.feasible and pol.objective <= raw.objective + 1e-15
    assert pol.info["raw_best_objective"] == raw.info["raw_best_objective"]
    assert pol.info["polished_best_objective"] == pytest.approx(pol.objective, rel=0, abs=0)


class ExhaustiveQubo(QuboSolver):
    """A whole backend in one hook: dimod's ExactSolver on the QUBO."""

    name = "test-exhaustive-qubo"
    sampler_options = declare(Option("keep", "lowest energies kept (default all)", COUNT, nullable=True))

    def _sample(self, qubo, *, seed, keep=None):
        sampleset = dimod.ExactSolver().sample(qubo.bqm)
        if keep is not None:
            sampleset = sampleset.truncate(keep)
        return SampleRun(sampleset, {"enumerated": True})


class AllZeros(QuboSolver):
    """A backend whose only sample is infeasible (nothing held)."""

    name = "test-all-zeros"
    seeded = False

    def _sample(self, qubo, *, seed):
        return SampleRun(dimod.SampleSet.from_samples_bqm({v: 0 for v in qubo.bqm.variables}, qubo.bqm))


def test_a_qubo_backend_is_one_hook_and_finds_the_brute_force_optimum():
    problem = SMALL[3]
    r = solve(problem, ExhaustiveQubo(), keep=50, penalty_scale=1.5, seed=4)
    best = solve(problem, "brute")
    assert r.status == Status.FEASIBLE and r.feasible and r.solver == "test-exhaustive-qubo"
    assert rel(r.objective, best.objective) < 1e-12
    assert r.parameters == {"keep": 50, "penalty_scale": 1.5, "repair": False, "polish": False}
    assert r.seed == 4 and r.info["enumerated"] is True and "sample_seconds" in r.info
    assert r.info["num_samples"] == 50 and {"objective", "feasible"} <= set(r.sampleset.record.dtype.names)
    solver = ExhaustiveQubo()
    assert solver.report_lines(r)[0].startswith("samples     50 reads")
    metrics = solver.benchmark_metrics(r)
    assert set(metrics) == set(BENCHMARK_METRICS) and metrics["penalty_scale"] == 1.5 and metrics["num_samples"] == 50


def test_no_feasible_sample_is_reported_not_hidden_and_repair_fixes_it():
    problem = SMALL[5]
    r = solve(problem, AllZeros())
    assert r.status == Status.INFEASIBLE and not r.feasible and "no feasible sample" in r.message
    assert r.seed is None and r.info["feasible_fraction"] == 0.0 and r.info["violations"]["cardinality"] == 1
    fixed = solve(problem, AllZeros(), repair=True)
    assert fixed.status == Status.FEASIBLE and fixed.info["num_repaired"] == 1 and fixed.info["raw_best_objective"] is None


def test_every_qubo_backend_takes_the_shared_options_once():
    for name in qp.available():
        solver = qp.solvers.get(name)
        if isinstance(solver, QuboSolver):
            assert set(ENCODE_OPTIONS) | set(RESULT_OPTIONS) | {"seed"} <= set(solver.options), name
    with pytest.raises(qp.ValidationError, match="penalty_scale"):
        solve(SMALL[0], ExhaustiveQubo(), nonsense=1)


# ------------------------------------------------------------------------------------ as_sampler
def _bqm(n=7, seed=2, vartype="BINARY"):
    return dimod.generators.gnp_random_bqm(n, 0.6, vartype, random_state=seed, bias_generator=lambda k: __import__(
        "numpy").random.default_rng(seed).normal(size=k))


@pytest.mark.parametrize("vartype", ["BINARY", "SPIN"])
def test_as_sampler_is_a_dimod_sampler_whose_energies_are_the_bqms(vartype):
    import numpy as np

    bqm = _bqm(vartype=vartype)
    sampler = qp.solvers.get("sa").as_sampler(num_reads=20, num_sweeps=200)
    assert isinstance(sampler, dimod.Sampler) and "seed" in sampler.parameters
    sampleset = sampler.sample(bqm, seed=3)
    assert sampleset.vartype is bqm.vartype and set(sampleset.variables) == set(bqm.variables)
    np.testing.assert_allclose(sampleset.record.energy, bqm.energies(sampleset), rtol=1e-12, atol=1e-12)
    again = sampler.sample(bqm, seed=3)  # deterministic, as its properties say
    assert sampler.properties["qportfolio"]["deterministic"] is True
    np.testing.assert_array_equal(again.record.sample, sampleset.record.sample)
    assert sampleset.info["qportfolio"]["seed"] == 3


def test_a_one_hook_backend_as_a_sampler_finds_exact_solvers_optimum():
    bqm = _bqm(8, seed=5)
    best = dimod.ExactSolver().sample(bqm).first.energy
    sampleset = ExhaustiveQubo().as_sampler(keep=3).sample(bqm)
    assert len(sampleset) == 3 and sampleset.first.energy == pytest.approx(best, rel=1e-12, abs=1e-12)


def test_as_sampler_validates_its_options_up_front_and_names_them():
    with pytest.raises(qp.ValidationError, match="bogus"):
        qp.solvers.get("sa").as_sampler(bogus=1)
    with pytest.raises(qp.ValidationError, match="num_reads"):
        qp.solvers.get("sa").as_sampler(num_reads=0)
    with pytest.raises(qp.ValidationError, match="mixer"):
        qp.solvers.get("qaoa-fast").as_sampler(mixer="nope")
    with pytest.raises(qp.ValidationError, match="not any BQM"):
        qp.solvers.get("tabu-structured").as_sampler()


def test_as_sampler_properties_state_the_solvers_facts():
    from qportfolio.solvers.solver_sampler import SamplerFacts

    keys = {"solver", "largest_subproblem", "largest_subproblem_reason", "keeps_hamming_weight", "deterministic", "mock",
            "control"}
    sa = qp.solvers.get("sa").as_sampler()
    assert set(sa.properties["qportfolio"]) == keys
    assert SamplerFacts.of(sa) == SamplerFacts("sa", deterministic=True)
    plain = qp.solvers.get("qaoa-fast").as_sampler(max_memory_gb=1)
    facts = SamplerFacts.of(plain)
    assert facts.solver == "qaoa-fast" and not facts.keeps_hamming_weight and "hamming_weight" not in plain.parameters
    assert isinstance(facts.largest_subproblem, int) and 2**facts.largest_subproblem * 56 <= 2**30 < 2**(
        facts.largest_subproblem + 1) * 56
    xy = SamplerFacts.of(qp.solvers.get("qaoa-fast").as_sampler(mixer="xy-ring"))
    assert xy.keeps_hamming_weight and xy.largest_subproblem > facts.largest_subproblem
    assert SamplerFacts.of(dimod.ExactSolver()) == SamplerFacts("dimod:ExactSolver")


def test_an_xy_qaoa_sampler_keeps_the_weight_it_is_given():
    import numpy as np

    bqm = _bqm(6, seed=1)
    sampler = qp.solvers.get("qaoa-fast").as_sampler(mixer="xy-ring", reps=1, restarts=0, maxiter=10, shots=200)
    with pytest.raises(qp.ValidationError, match="hamming_weight"):
        sampler.sample(bqm, seed=1)
    sampleset = sampler.sample(bqm, seed=1, hamming_weight=2)
    assert (sampleset.record.sample.sum(axis=1) == 2).all()
    np.testing.assert_allclose(sampleset.record.energy, bqm.energies(sampleset), rtol=1e-12, atol=1e-12)
    assert sampleset.info["qportfolio"]["feasible_probability"] == pytest.approx(1.0)
    with pytest.raises(qp.ValidationError, match="hamming_weight"):
        qp.solvers.get("sa").as_sampler().sample(bqm, hamming_weight=2)
