"""The Hamming-weight subspace by combinatorial ranking: masks, ranks and on-the-fly XY gates
against brute force and against the index-array gates."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import qportfolio as qp
from qportfolio.errors import SolverError
from qportfolio.qaoa import Basis, QAOASimulator, kernels
from qportfolio.qaoa.energies import basis_energies
from qportfolio.qaoa.mixers import build_mixer
from qportfolio.qaoa.subspace import ranks, weight_masks, weight_masks_numpy

GIB = 1 << 30


@pytest.mark.parametrize("n, k", [(1, 0), (1, 1), (5, 2), (8, 4), (12, 5), (16, 1), (16, 15)])
def test_weight_masks_are_the_ascending_weight_k_masks(n, k):
    brute = np.array([m for m in range(1 << n) if bin(m).count("1") == k], dtype=np.int64)
    np.testing.assert_array_equal(weight_masks(n, k), brute)
    np.testing.assert_array_equal(weight_masks_numpy(n, k), brute)
    np.testing.assert_array_equal(ranks(brute, n, k), np.arange(brute.size))


@given(st.integers(2, 40).flatmap(lambda n: st.tuples(st.just(n), st.sets(st.integers(0, n - 1), min_size=1, max_size=n))))
def test_rank_is_the_position_in_the_ascending_basis(case):
    n, bits = case
    k = len(bits)
    mask = sum(1 << b for b in bits)
    r = int(ranks(np.array([mask]), n, k)[0])
    assert 0 <= r < math.comb(n, k)
    below = sum(math.comb(c, t + 1) for t, c in enumerate(sorted(bits)))  # colex rank, by definition
    assert r == below
    if math.comb(n, k) <= 1 << 16:
        assert weight_masks(n, k)[r] == mask


@pytest.mark.skipif(not kernels.HAVE_NUMBA, reason="the on-the-fly gates are compiled kernels")
@pytest.mark.parametrize("mixer", ["xy-ring", "xy-complete"])
def test_on_the_fly_gates_equal_the_index_array_gates(mixer):
    problem = qp.synthetic_problem(11, seed=3, cardinality=4).selection_only_variant()
    qubo = qp.encode(problem)
    basis = Basis.hamming(11, 4, GIB)
    energies = basis_energies(qubo, basis.masks)
    cached = QAOASimulator(energies, basis, mixer)
    fly = QAOASimulator(energies, basis, mixer)
    fly.gates = build_mixer(mixer, basis, cache_bytes=0)
    assert all(g.cache for g in cached.gates) and not any(g.cache for g in fly.gates)
    params = np.array([0.3, -0.7, 0.9, 0.2]) / np.array([1, 1, np.std(energies), np.std(energies)])
    np.testing.assert_allclose(fly.state(params), cached.state(params), atol=1e-13)
    e1, g1 = fly.expectation_and_gradient(params)
    e2, g2 = cached.expectation_and_gradient(params)
    assert e1 == pytest.approx(e2, abs=1e-13) and np.allclose(g1, g2, atol=1e-10)
    psi = cached.state(params)
    for a, b in zip(fly.gates, cached.gates):
        np.testing.assert_allclose(a.generator(psi), b.generator(psi), atol=1e-15)
        assert a.inner(psi, 1j * psi) == pytest.approx(b.inner(psi, 1j * psi), abs=1e-13)


def test_memory_refusal_counts_only_the_subspace():
    need = Basis.required_bytes(31, 10)
    assert need == 56 * math.comb(31, 10) and need < 4 * GIB  # port1 selection-only, K = 10: no 2^31 table
    with pytest.raises(SolverError, match=r"C\(31, 10\) = 44,352,165 amplitudes, about 2\.3 GiB"):
        Basis.hamming(31, 10, 2 * GIB)


def _cvar_direct(prob: np.ndarray, energies: np.ndarray, alpha: float) -> float:
    """CVaR by definition: the mean energy of the lowest alpha share of the distribution."""
    order = np.argsort(energies)
    p, e = prob[order], energies[order]
    left, total = alpha, 0.0
    for pi, ei in zip(p, e):
        take = min(pi, left)
        total += take * ei
        left -= take
        if left <= 0:
            break
    return total / alpha


@pytest.mark.parametrize("mixer, alpha", [("x", 0.2), ("xy-ring", 0.35), ("x", 1.0)])
def test_cvar_value_and_adjoint_gradient(mixer, alpha):
    problem = qp.synthetic_problem(7, seed=2, cardinality=3).selection_only_variant()
    qubo = qp.encode(problem)
    basis = Basis.full(7, GIB) if mixer == "x" else Basis.hamming(7, 3, GIB)
    energies = basis_energies(qubo, basis.masks)
    sim = QAOASimulator(energies, basis, mixer)
    sim.cvar_alpha = alpha
    params = np.array([0.4, -0.2, 0.7 / np.std(energies), 0.3 / np.std(energies)])
    value, grad = sim.expectation_and_gradient(params)
    assert value == pytest.approx(_cvar_direct(sim.probabilities(params), energies, alpha), rel=1e-10)
    assert sim.objective(params) == pytest.approx(value, rel=1e-12)
    if alpha == 1.0:
        assert value == pytest.approx(sim.expectation(params), rel=1e-12)
    h = 1e-6
    for k in range(params.size):
        step = np.zeros_like(params)
        step[k] = h / (1 if k < 2 else np.std(energies))
        numeric = (sim.objective(params + step) - sim.objective(params - step)) / (2 * step[k])
        assert grad[k] == pytest.approx(numeric, rel=1e-4, abs=1e-9 * abs(value))


def test_cvar_option_is_recorded_and_lowers_the_tail():
    problem = qp.synthetic_problem(8, seed=5, cardinality=3).selection_only_variant()
    plain = qp.solve(problem, "qaoa-fast", reps=1, seed=1, restarts=1)
    cvar = qp.solve(problem, "qaoa-fast", reps=1, seed=1, restarts=1, cvar_alpha=0.1)
    assert cvar.parameters["cvar_alpha"] == 0.1 and cvar.info["objective_optimised"] == "CVaR_0.1"
    assert plain.info["objective_optimised"] == "expectation"
    # optimising the tail puts more mass on the optimum than optimising the mean (the point of CVaR)
    assert cvar.info["optimum_probability"] >= plain.info["optimum_probability"] - 1e-12


@pytest.mark.skipif(not kernels.HAVE_NUMBA, reason="compares the compiled kernels with the numpy path")
def test_warm_start_mixer_kernels_equal_the_numpy_path(monkeypatch):
    from qportfolio.qaoa.warm_start import WarmStartMixerGate

    rng = np.random.default_rng(1)
    gate = WarmStartMixerGate(rng.uniform(0.2, 2.9, 9))
    psi = rng.normal(size=1 << 9) + 1j * rng.normal(size=1 << 9)
    compiled, gen = psi.copy(), gate.generator(psi)
    gate.apply(compiled, 0.37)
    monkeypatch.setattr(kernels, "HAVE_NUMBA", False)
    plain = psi.copy()
    gate.apply(plain, 0.37)
    np.testing.assert_allclose(compiled, plain, atol=1e-13)
    np.testing.assert_allclose(gen, gate.generator(psi), atol=1e-13)
