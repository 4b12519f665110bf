"""StopRule, read by QuboSolver.sample_repeatedly: each rule ends the run on the call it should,
checked with a scripted sampler whose calls return known energies."""

from __future__ import annotations

import time

import dimod
import numpy as np
import pytest

from qportfolio import synthetic_problem
from qportfolio.formulations.qubo import encode
from qportfolio.solvers.qubo_solver import QuboSolver, SampleRun
from qportfolio.solvers.stopping import StopRule


@pytest.fixture(scope="module")
def qubo():
    return encode(synthetic_problem(4, seed=2, cardinality=2, weight_step=0.5, min_weight=0.5))


class Scripted(QuboSolver):
    """Call i returns the QUBO's assignment script[i] (an index into all feasible portfolios' samples)."""

    name = "scripted"

    def __init__(self, samples: list[dict], pause: float = 0.0) -> None:
        self.samples, self.pause, self.seeds = samples, pause, []

    def _sample(self, qubo, *, seed, **params):
        self.seeds.append(seed)
        time.sleep(self.pause)
        sample = self.samples[min(len(self.seeds) - 1, len(self.samples) - 1)]
        return SampleRun(dimod.SampleSet.from_samples_bqm(sample, qubo.bqm))


def feasible_samples(qubo) -> list[tuple[float, dict]]:
    """(energy, sample) of every feasible portfolio of the tiny problem, best first."""
    p = qubo.problem
    out = []
    for i in range(p.n):
        for j in range(i + 1, p.n):
            units = np.zeros(p.n, dtype=int)
            units[[i, j]] = 1
            sample = qubo.encode_units(units)
            out.append((float(qubo.bqm.energy(sample)), sample))
    return sorted(out, key=lambda t: t[0])


def test_no_rule_means_one_call(qubo):
    solver = Scripted([feasible_samples(qubo)[0][1]])
    run = solver.sample_repeatedly(qubo, seed=5, params={})
    assert run.info["batches"] == 1 and run.info["stopped_by"] == "batches" and solver.seeds == [5]


def test_batches_count_calls_with_consecutive_seeds(qubo):
    solver = Scripted([s for _, s in feasible_samples(qubo)])
    run = solver.sample_repeatedly(qubo, seed=7, params={}, stop=StopRule(batches=3))
    assert run.info["batches"] == 3 and solver.seeds == [7, 8, 9] and len(run.sampleset) == 3


def test_patience_counts_calls_without_a_lower_energy(qubo):
    ranked = feasible_samples(qubo)
    worst, better, best = ranked[-1][1], ranked[1][1], ranked[0][1]
    # energies: worst, better (new best at call 2), best (call 3), then no improvement
    solver = Scripted([worst, better, best, worst, better, worst, worst])
    run = solver.sample_repeatedly(qubo, seed=0, params={}, stop=StopRule(batches=50, patience=3))
    assert run.info["stopped_by"] == "patience" and run.info["batches"] == 6
    assert run.info["best_energy_call"] == 3


def test_target_stops_at_a_feasible_sample_that_reaches_it(qubo):
    ranked = feasible_samples(qubo)
    target = qubo.problem.objective(qubo.weights(ranked[1][1])[0])
    solver = Scripted([ranked[-1][1], ranked[2][1], ranked[1][1], ranked[0][1]])
    run = solver.sample_repeatedly(qubo, seed=0, params={}, stop=StopRule(batches=10, target=float(target)))
    assert run.info["stopped_by"] == "target_objective" and run.info["batches"] == 3


def test_a_deadline_starts_no_call_that_would_overrun_it(qubo):
    solver = Scripted([feasible_samples(qubo)[0][1]], pause=0.05)
    start = time.perf_counter()
    run = solver.sample_repeatedly(qubo, seed=0, params={}, stop=StopRule(deadline=start + 0.22))
    assert run.info["stopped_by"] == "time_budget"
    assert 1 <= run.info["batches"] <= 4  # each call sleeps 0.05 s: at most four fit before the deadline


def test_the_first_rule_met_wins_batches_over_patience(qubo):
    solver = Scripted([feasible_samples(qubo)[0][1]])
    run = solver.sample_repeatedly(qubo, seed=0, params={}, stop=StopRule(batches=2, patience=5))
    assert run.info["stopped_by"] == "batches" and run.info["batches"] == 2
