"""sqa (OpenJij's simulated quantum annealing): the brute-force optimum of a tiny problem with a
seed, energies on the encoded QUBO, and the bias normalisation it hands OpenJij."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.formulations.qubo import encode
from qportfolio.solvers.sqa import _normalised

pytest.importorskip("openjij")


def test_reaches_the_brute_force_optimum_with_a_seed():
    problem = qp.synthetic_problem(5, seed=3, cardinality=2, weight_step=0.5, min_weight=0.5)
    best = qp.solve(problem, "brute")
    r = qp.solve(problem, "sqa", seed=4, num_reads=4, num_sweeps=300)
    assert r.feasible and r.objective == pytest.approx(best.objective, abs=1e-12)
    assert r.info["num_samples"] >= 1
    qubo = encode(problem)
    np.testing.assert_allclose(r.sampleset.record.energy, qubo.bqm.energies(r.sampleset), atol=1e-12)
    again = qp.solve(problem, "sqa", seed=4, num_reads=4, num_sweeps=300)
    assert np.array_equal(r.sampleset.record.sample, again.sampleset.record.sample)


def test_normalised_bqm_has_largest_bias_one_and_the_same_minimisers():
    bqm = dimod.BinaryQuadraticModel({"a": -4.0, "b": 2.0}, {("a", "b"): 8.0}, 1.5, "BINARY")
    scaled, scale = _normalised(bqm)
    assert scale == 8.0 and max(abs(v) for v in [*scaled.linear.values(), *scaled.quadratic.values()]) == 1.0
    for sample in ({"a": 0, "b": 0}, {"a": 1, "b": 0}, {"a": 1, "b": 1}):
        assert scaled.energy(sample) * scale == pytest.approx(bqm.energy(sample))
    assert bqm.linear["a"] == -4.0  # the given BQM is left alone
    zero = dimod.BinaryQuadraticModel({"a": 0.0}, {}, 0.0, "BINARY")
    assert _normalised(zero)[1] == 1.0
