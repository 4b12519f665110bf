"""tabu-structured (the default qubo's sampler), the stopping rules every QUBO backend shares, and
replaying a run by its recorded work."""

from __future__ import annotations

import json

import numpy as np
import pytest

import qportfolio as qp
from qportfolio import synthetic_problem
from qportfolio.errors import ValidationError
from qportfolio.formulations.qubo import encode, load, save
from qportfolio.solvers.tabu_structured import _Search

ENCODINGS = ["binary", "unary", "domain-wall", "bounded-coefficient:4"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_reaches_the_brute_force_optimum(encoding):
    problem = synthetic_problem(6, seed=3, cardinality=2, weight_step=0.25, min_weight=0.25)
    best = qp.solve(problem, "brute")
    r = qp.solve(problem, "tabu-structured", encoding=encoding, seed=2, batches=20)
    assert r.feasible and r.objective == pytest.approx(best.objective, abs=1e-12)
    assert r.info["raw_best_objective"] == r.objective  # the sampler's own sample, no repair or polish
    energies = np.asarray(r.sampleset.record.energy)
    qubo = encode(problem, encoding=encoding)
    np.testing.assert_allclose(energies, qubo.bqm.energies(r.sampleset), atol=1e-12)


def test_same_seed_and_calls_give_the_same_samples():
    problem = synthetic_problem(20, seed=1, cardinality=4, weight_step=0.05, min_weight=0.05)
    a = qp.solve(problem, "tabu-structured", encoding="domain-wall", seed=9, batches=6, iterations=300)
    b = qp.solve(problem, "tabu-structured", encoding="domain-wall", seed=9, batches=6, iterations=300)
    assert np.array_equal(a.sampleset.record.sample, b.sampleset.record.sample)
    assert a.info["batches"] == 6 and a.info["iterations"] == 1800 and a.info["stopped_by"] == "batches"


def test_replay_of_a_budgeted_run_redoes_its_work():
    """A time budget ends a run after however many calls the machine managed; the result records that
    count, and replaying it (no budget, the same count) gives the same samples and answer."""
    problem = synthetic_problem(30, seed=2, cardinality=5, weight_step=0.05, min_weight=0.05)
    first = qp.solve(problem, "qubo", seed=3, time_budget=0.6, patience=None)
    assert first.info["stopped_by"] == "time_budget" and first.info["batches"] >= 1
    record = json.loads(json.dumps(first.to_dict()))
    options = qp.solvers.get("qubo").replay_options(record)
    assert options["batches"] == first.info["batches"] and options["time_budget"] is None
    again = qp.solve(problem, "qubo", **options)
    assert np.array_equal(again.weights, first.weights) and again.objective == first.objective
    assert np.array_equal(again.sampleset.record.sample, first.sampleset.record.sample)


def test_wall_clock_samplers_refuse_replay():
    problem = synthetic_problem(6, seed=3, cardinality=2, weight_step=0.25, min_weight=0.25)
    r = qp.solve(problem, "tabu-restarts", seed=1, timeout=20)
    with pytest.raises(ValidationError, match="cannot be replayed exactly"):
        qp.solvers.get("tabu-restarts").replay_options(r.to_dict())
    with pytest.raises(ValidationError, match="cannot be replayed"):
        qp.solvers.get("exact-discrete").replay_options(qp.solve(problem, "exact-discrete").to_dict())


def test_target_objective_and_patience_end_the_run():
    problem = synthetic_problem(8, seed=4, cardinality=3, weight_step=0.1, min_weight=0.1)
    optimum = qp.solve(problem, "exact-discrete").objective
    hit = qp.solve(problem, "tabu-structured", encoding="domain-wall", seed=1, time_budget=30, target_objective=optimum)
    assert hit.info["stopped_by"] == "target_objective" and hit.objective <= optimum + 1e-12 and hit.wall_time < 30
    calm = qp.solve(problem, "tabu-structured", encoding="domain-wall", seed=1, time_budget=30, patience=4)
    assert calm.info["stopped_by"] == "patience"
    assert calm.info["batches"] == calm.info["best_energy_call"] + 4
    capped = qp.solve(problem, "sa", seed=1, num_reads=2, num_sweeps=50, batches=3, patience=100)
    assert capped.info["stopped_by"] == "batches" and capped.info["batches"] == 3


def test_phases_are_reported_and_the_budget_covers_encoding(monkeypatch):
    problem = synthetic_problem(15, seed=1, cardinality=4, weight_step=0.05, min_weight=0.05)
    r = qp.solve(problem, "qubo", seed=1, time_budget=1.0, patience=None)
    phases = r.info["phases"]
    assert set(phases) == {"calibrate", "encode", "sample", "decode"}
    assert sum(phases.values()) <= r.info["solve_seconds"] + 1e-6 <= r.wall_time + 1e-6
    assert r.wall_time < 2.0  # the budget is for the whole solve (timings proper: benchmarks/)
    with pytest.raises(ValidationError, match="does not cover the encoding alone"):
        qp.solve(problem, "qubo", time_budget=1e-7)


def test_bad_stopping_options_are_refused():
    problem = synthetic_problem(6, seed=3, cardinality=2, weight_step=0.25, min_weight=0.25)
    with pytest.raises(ValidationError, match="target_objective must be a number"):
        qp.solve(problem, "qubo", target_objective="low")
    with pytest.raises(ValidationError, match="patience"):
        qp.solve(problem, "qubo", patience=0)


def test_a_qubo_read_from_a_file_has_no_structure(tmp_path):
    problem = synthetic_problem(6, seed=3, cardinality=2, weight_step=0.25, min_weight=0.25)
    save(encode(problem), str(tmp_path / "q.bqm"))
    loaded = load(str(tmp_path / "q.bqm"))
    assert loaded.structure is None and loaded.has_bqm
    with pytest.raises(ValidationError, match="no structure"):
        _Search(loaded, 1, {})


def test_the_guard_estimates_dwave_tabus_dense_copies(monkeypatch):
    """dwave-samplers' tabu makes dense N x N copies of the QUBO; its guard counts them, so a grid that
    tabu-structured handles in megabytes is refused for tabu-restarts before anything is built."""
    from qportfolio.errors import SolverError

    problem = synthetic_problem(40, seed=1, cardinality=5, weight_step=0.02, min_weight=0.02)
    monkeypatch.setenv("QPORTFOLIO_MAX_MEMORY_GB", "0.3")
    with pytest.raises(SolverError, match=r"tabu-restarts on [\d,]+ variables .*own copies.*tabu-structured"):
        qp.solve(problem, "tabu-restarts", encoding="domain-wall", timeout=10)
    r = qp.solve(problem, "tabu-structured", encoding="domain-wall", seed=1, batches=2)
    assert r.info["batches"] == 2 and r.info["num_variables"] == 1840  # the same QUBO runs under the same limit


def test_start_state_option_acts():
    """From all zeros (the default) the first call's search begins empty; from random bits it does not,
    and the two runs differ (same seed, same work)."""
    problem = synthetic_problem(12, seed=1, cardinality=3, weight_step=0.05, min_weight=0.05)
    zeros = qp.solve(problem, "tabu-structured", encoding="domain-wall", seed=5, batches=1, iterations=3)
    rand = qp.solve(problem, "tabu-structured", encoding="domain-wall", seed=5, batches=1, iterations=3, start="random")
    assert zeros.parameters["start"] == "zeros" and rand.parameters["start"] == "random"
    assert zeros.sampleset.record.sample.sum() <= 3 < rand.sampleset.record.sample.sum()
