"""The random and exhaustive controls as dimod samplers, against dimod's ExactSolver."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.solvers.controls import EXHAUSTIVE_MAX, ExhaustiveControl, RandomControl
from qportfolio.solvers.solver_sampler import SamplerFacts


def bqm(n=8, seed=4):
    rng = np.random.default_rng(seed)
    return dimod.generators.gnp_random_bqm(n, 0.7, "BINARY", random_state=seed, bias_generator=lambda k: rng.normal(size=k))


@pytest.mark.parametrize("weight", [None, 0, 3, 8])
def test_exhaustive_is_exact_solvers_optimum(weight):
    b = bqm()
    every = dimod.ExactSolver().sample(b)
    rows = every.record.sample[:, [every.variables.index(v) for v in b.variables]]
    ok = np.ones(len(rows), bool) if weight is None else rows.sum(axis=1) == weight
    best = every.record.energy[ok].min()
    got = ExhaustiveControl().sample(b, hamming_weight=weight)
    assert got.first.energy == pytest.approx(best, rel=1e-12, abs=1e-12)
    assert weight is None or got.record.sample.sum() == weight


def test_random_draws_the_weight_asked_and_true_energies():
    b = bqm(n=9)
    got = RandomControl(num_reads=300).sample(b, seed=2, hamming_weight=4)
    assert (got.record.sample.sum(axis=1) == 4).all() and got.record.num_occurrences.sum() == 300
    np.testing.assert_allclose(got.record.energy, b.energies(got), rtol=1e-12, atol=1e-12)
    spin = RandomControl(num_reads=10).sample(b.change_vartype("SPIN", inplace=False), seed=2)
    assert spin.vartype is dimod.SPIN


def test_controls_say_they_are_controls_and_check_their_options():
    assert SamplerFacts.of(RandomControl()) == SamplerFacts("random", deterministic=True, control=True)
    assert SamplerFacts.of(ExhaustiveControl()).largest_subproblem == EXHAUSTIVE_MAX
    with pytest.raises(qp.ValidationError, match="takes num_reads"):
        RandomControl(shots=3)
    with pytest.raises(qp.ValidationError, match="num_reads"):
        RandomControl(num_reads=0)
    with pytest.raises(qp.ValidationError, match="no options"):
        ExhaustiveControl(num_reads=3)
