"""qaoa/sampling.py: the mixer check, bit unpacking, sample sets from counts (energies from the BQM)
and the statistics of a distribution against brute force over a selection-only QUBO."""

import itertools

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.errors import ValidationError
from qportfolio.qaoa.energies import basis_energies
from qportfolio.qaoa.sampling import bits_of, check_mixer, distribution_stats, sampleset_from_counts

N, K = 5, 2
QUBO = qp.encode(qp.synthetic_problem(N, seed=4, cardinality=K).selection_only_variant())
MASKS = np.arange(1 << N, dtype=np.int64)
ENERGIES = basis_energies(QUBO, MASKS)
FEASIBLE = np.array([bin(int(m)).count("1") == K for m in MASKS])  # selection-only: exactly K assets held


def test_check_mixer_needs_selection_only_for_xy():
    check_mixer("x", QUBO)
    check_mixer("xy-ring", QUBO)
    weights = qp.encode(qp.synthetic_problem(3, seed=1, cardinality=2, weight_step=0.5))
    check_mixer("x", weights)
    with pytest.raises(ValidationError, match="selection-only"):
        check_mixer("xy-complete", weights)


def test_bits_of_is_little_endian():
    bits = bits_of(np.array([0, 1, 6, 31]), 5)
    assert bits.dtype == np.int8
    assert bits.tolist() == [[0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [0, 1, 1, 0, 0], [1, 1, 1, 1, 1]]
    assert np.array_equal(bits_of(MASKS, N), np.array([b[::-1] for b in itertools.product([0, 1], repeat=N)]))


def test_sampleset_from_counts_keeps_counts_and_the_bqms_energies():
    masks, counts = np.array([3, 5, 24]), np.array([7, 1, 2])
    ss = sampleset_from_counts(QUBO, masks, counts, {"shots": 10})
    assert isinstance(ss, dimod.SampleSet) and ss.vartype is dimod.BINARY and ss.info == {"shots": 10}
    assert list(ss.variables) == list(QUBO.layout.labels)
    by_energy = {round(float(r.energy), 12): int(r.num_occurrences) for r in ss.data(["energy", "num_occurrences"])}
    for m, c in zip(masks, counts, strict=True):
        sample = {v: int(m >> q & 1) for q, v in enumerate(QUBO.layout.labels)}
        assert QUBO.bqm.energy(sample) == pytest.approx(ENERGIES[m], abs=1e-12)
        assert by_energy[round(float(ENERGIES[m]), 12)] == c


def test_a_point_mass_on_the_optimum_scores_one():
    best = int(np.flatnonzero(FEASIBLE)[np.argmin(ENERGIES[FEASIBLE])])
    prob = np.zeros(1 << N)
    prob[best] = 3.0  # not normalised: the statistics normalise
    stats = distribution_stats(QUBO, MASKS, prob, ENERGIES)
    assert stats["optimum_energy"] == pytest.approx(ENERGIES[FEASIBLE].min())
    assert stats["feasible_probability"] == stats["optimum_probability"] == 1.0
    assert stats["approximation_ratio"] == pytest.approx(1.0) and stats["expectation"] == pytest.approx(ENERGIES[best])
    # the optimum energy is the objective of the best portfolio (brute force over the problem itself)
    assert stats["optimum_energy"] == pytest.approx(qp.solve(QUBO.problem, "brute").objective, rel=1e-9, abs=1e-12)


def test_uniform_and_infeasible_distributions_against_brute_force():
    prob = np.ones(1 << N)
    stats = distribution_stats(QUBO, MASKS, prob, ENERGIES)
    f_star, f_max = ENERGIES[FEASIBLE].min(), ENERGIES[FEASIBLE].max()
    mean_feasible = ENERGIES[FEASIBLE].mean()
    assert stats["feasible_probability"] == pytest.approx(FEASIBLE.sum() / 2**N)
    assert stats["expectation"] == pytest.approx(ENERGIES.mean())
    assert stats["approximation_ratio"] == pytest.approx((f_max - mean_feasible) / (f_max - f_star))
    low, high = ENERGIES.min(), ENERGIES.max()
    assert stats["energy_approximation_ratio"] == pytest.approx((high - ENERGIES.mean()) / (high - low))
    assert stats["optimum_probability"] == pytest.approx(np.sum(np.isclose(ENERGIES[FEASIBLE], f_star)) / 2**N)
    nowhere = np.where(FEASIBLE, 0.0, 1.0)
    stats = distribution_stats(QUBO, MASKS, nowhere, ENERGIES)
    assert stats["feasible_probability"] == 0.0 and np.isnan(stats["approximation_ratio"])


def test_a_given_spectrum_is_used_for_a_subset_of_masks():
    sub = np.flatnonzero(FEASIBLE)
    spectrum = (ENERGIES.min(), ENERGIES.max(), ENERGIES[FEASIBLE].min(), ENERGIES[FEASIBLE].max())
    stats = distribution_stats(QUBO, MASKS[sub], np.ones(sub.size), ENERGIES[sub], spectrum)
    assert stats["feasible_probability"] == pytest.approx(1.0)
    low, high = spectrum[:2]
    assert stats["energy_approximation_ratio"] == pytest.approx((high - ENERGIES[sub].mean()) / (high - low))
