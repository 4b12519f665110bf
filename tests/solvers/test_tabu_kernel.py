"""The compiled tabu kernel: its energies and one-flip deltas, and the incremental updates of a
flip, against dimod's own ``bqm.energies`` of the same QUBO; a call's best states against the
exhaustive minimum."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

from qportfolio import synthetic_problem
from qportfolio.formulations.qubo import encode
from qportfolio.solvers.tabu_kernel import _deltas, _flip, _refresh, tabu_call
from qportfolio.solvers.tabu_structured import _Search

ENCODINGS = ["binary", "unary", "domain-wall", "bounded-coefficient:4"]


def parts(qubo):
    st, search = qubo.structure, _Search(qubo, 1, {})
    return st, search, (st.covariance, search.asset, st.coefficient, st.selection, search.parent, st.linear,
                        st.risk, st.cardinality, st.budget, st.linking, st.offset)


def dimod_energies(qubo, x: np.ndarray) -> np.ndarray:
    return np.asarray(qubo.bqm.energies((np.atleast_2d(x), list(qubo.layout.labels))), dtype=float)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_kernel_flip_deltas_are_energy_differences(encoding):
    problem = synthetic_problem(7, seed=5, cardinality=3, weight_step=0.1, min_weight=0.1)
    qubo = encode(problem, encoding=encoding)
    st, search, args = parts(qubo)
    nv, n = st.num_variables, st.num_assets
    for seed in range(3):
        x = np.random.default_rng(seed).integers(0, 2, size=nv).astype(np.int8)
        m, y, child, delta = np.zeros(n), np.zeros(n), np.zeros(nv, dtype=np.int64), np.zeros(nv)
        energy, s, t = _refresh(*args, x, m, y, child)
        _deltas(search.first, st.coefficient, st.selection, search.parent, st.linear, search.qdiag, st.risk,
                st.cardinality, st.budget, st.linking, x, y, child, s, t, delta)
        flipped = np.repeat(x[None], nv, axis=0)
        flipped[np.arange(nv), np.arange(nv)] ^= 1
        base = dimod_energies(qubo, x)[0]
        assert energy == pytest.approx(base, abs=1e-12)
        assert base == pytest.approx(st.energies(x[None])[0], abs=1e-12)
        np.testing.assert_allclose(delta, dimod_energies(qubo, flipped) - base, atol=1e-12)


@pytest.mark.parametrize("encoding", ["binary", "domain-wall"])
def test_incremental_flips_keep_the_energy_and_the_state_exact(encoding):
    """A walk of 200 flips, each adding its delta to the energy and updating m, y, s, t and the
    child counts in place, ends where a fresh recomputation (and dimod) says it is."""
    qubo = encode(synthetic_problem(6, seed=2, cardinality=2, weight_step=0.125, min_weight=0.125), encoding=encoding)
    st, search, args = parts(qubo)
    nv, n = st.num_variables, st.num_assets
    rng = np.random.default_rng(4)
    x = rng.integers(0, 2, size=nv).astype(np.int8)
    m, y, child, delta = np.zeros(n), np.zeros(n), np.zeros(nv, dtype=np.int64), np.zeros(nv)
    energy, s, t = _refresh(*args, x, m, y, child)
    for v in rng.integers(0, nv, size=200):
        _deltas(search.first, st.coefficient, st.selection, search.parent, st.linear, search.qdiag, st.risk,
                st.cardinality, st.budget, st.linking, x, y, child, s, t, delta)
        energy += delta[v]
        s, t = _flip(int(v), st.covariance, search.asset, st.coefficient, st.selection, search.parent, x, m, y, child, s, t)
    m2, y2, child2 = np.zeros(n), np.zeros(n), np.zeros(nv, dtype=np.int64)
    fresh, s2, t2 = _refresh(*args, x.copy(), m2, y2, child2)
    assert energy == pytest.approx(dimod_energies(qubo, x)[0], abs=1e-10) == pytest.approx(fresh, abs=1e-10)
    assert (s, t) == (s2, t2) and np.array_equal(child, child2)
    np.testing.assert_allclose(m, m2, atol=1e-12)
    np.testing.assert_allclose(y, y2, atol=1e-12)


def test_a_call_returns_its_best_states_energies_and_finds_the_exhaustive_minimum():
    qubo = encode(synthetic_problem(5, seed=3, cardinality=2, weight_step=0.25, min_weight=0.25), encoding="domain-wall")
    st, search, _ = parts(qubo)
    assert st.num_variables <= 16
    exhaustive = dimod.ExactSolver().sample(qubo.bqm).first.energy
    best, call_best = tabu_call(st.covariance, search.asset, search.first, st.coefficient, st.selection, search.parent,
                                st.linear, search.qdiag, st.risk, st.cardinality, st.budget, st.linking, st.offset,
                                search.x, search.best_x, search.call_best_x, search.tabu_until, search.counters, 300,
                                search.tenure, search.stall, search.kick, 11)
    assert best == pytest.approx(dimod_energies(qubo, search.best_x)[0], abs=1e-12)
    assert call_best == pytest.approx(dimod_energies(qubo, search.call_best_x)[0], abs=1e-12)
    assert best == pytest.approx(exhaustive, abs=1e-12)
    assert search.counters[0] == 300 and search.counters[3] >= 1  # iterations run, flips made
