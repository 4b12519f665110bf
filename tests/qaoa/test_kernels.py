"""qaoa/kernels.py: each compiled kernel against a dense numpy/scipy oracle on small n (and a
tensor-reshape oracle at 14 qubits, where the strip pass works in several chunks), threaded and serial."""

import math

import numpy as np
import pytest
from scipy.linalg import expm

from qportfolio.qaoa import kernels

from .oracles import X, evolve, on_qubits, random_state, x_sum

pytestmark = pytest.mark.skipif(not kernels.HAVE_NUMBA, reason="the kernels are compiled with numba")


@pytest.fixture(params=["serial", "parallel"])
def threads(request, monkeypatch):
    """Run a kernel on its single-threaded twin and on its threaded twin."""
    monkeypatch.setattr(kernels, "PARALLEL_MIN", 1 << 40 if request.param == "serial" else 0)
    return request.param


def rx_on_every_qubit(psi: np.ndarray, n: int, beta: float) -> np.ndarray:
    """exp(-i beta sum X) = prod_q RX_q(2 beta), applied axis by axis on the (2,)*n tensor."""
    rx = np.array([[math.cos(beta), -1j * math.sin(beta)], [-1j * math.sin(beta), math.cos(beta)]])
    t = psi.reshape((2,) * n)  # axis a is qubit n - 1 - a
    for axis in range(n):
        t = np.moveaxis(np.tensordot(rx, t, axes=([1], [axis])), 0, axis)
    return t.reshape(-1)


def test_the_reshape_oracle_is_the_dense_operator():
    rng = np.random.default_rng(0)
    psi = random_state(32, rng)
    assert np.allclose(rx_on_every_qubit(psi, 5, 0.3), evolve(x_sum(5), 0.3) @ psi)


def test_phase_is_exp_of_minus_i_gamma_e_even_for_large_angles(threads):
    rng = np.random.default_rng(1)
    energies = rng.uniform(-2000, 2000, 256)
    psi = random_state(256, rng)
    for gamma, shift in [(0.3, 0.0), (1.7, 12.5), (-4.0, -3.0)]:
        out = psi.copy()
        kernels.phase(out.view(np.float64), energies, gamma, shift)
        assert np.allclose(out, np.exp(-1j * gamma * (energies - shift)) * psi, rtol=0, atol=1e-13)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_layer_is_the_phase_then_the_x_mixer(n, threads):
    rng = np.random.default_rng(n)
    energies = rng.normal(size=1 << n)
    psi = random_state(1 << n, rng)
    gamma, beta, shift = 0.6, -0.45, float(energies.mean())
    expected = evolve(x_sum(n), beta) @ (np.exp(-1j * gamma * (energies - shift)) * psi)
    out = psi.copy()
    value = kernels.layer(out, energies, gamma, shift, n, beta, energy=True)
    assert np.allclose(out, expected, atol=1e-13)
    assert value == pytest.approx(float(np.abs(expected) ** 2 @ energies), abs=1e-12)
    # no mixer: the phase alone
    out = psi.copy()
    assert kernels.layer(out, energies, gamma, shift, n, None) is None
    assert np.allclose(out, np.exp(-1j * gamma * (energies - shift)) * psi, atol=1e-13)


@pytest.mark.parametrize("n", [3, 14])
def test_first_layer_from_plus_ignores_the_buffer(n, threads):
    rng = np.random.default_rng(n)
    energies = rng.normal(size=1 << n)
    plus = np.full(1 << n, 1 / math.sqrt(1 << n), dtype=complex)
    gamma, beta = 0.9, 0.2
    expected = rx_on_every_qubit(np.exp(-1j * gamma * energies) * plus, n, beta)
    buffer = np.full(1 << n, np.nan, dtype=complex)  # garbage: from_plus must not read it
    value = kernels.layer(buffer, energies, gamma, 0.0, n, beta, from_plus=True, energy=True)
    assert np.allclose(buffer, expected, atol=1e-12)
    assert value == pytest.approx(float(np.abs(expected) ** 2 @ energies), abs=1e-10)
    assert np.linalg.norm(buffer) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("n", [1, 5, 14])
def test_rx_all_rotates_every_qubit(n, threads):
    rng = np.random.default_rng(n)
    psi = random_state(1 << n, rng)
    out = psi.copy()
    kernels.rx_all(out, n, 1.1)
    assert np.allclose(out, rx_on_every_qubit(psi, n, 1.1), atol=1e-12)


def test_expectation_and_inner_products(threads):
    n = 5
    rng = np.random.default_rng(2)
    energies = rng.normal(size=1 << n)
    psi, lam = random_state(1 << n, rng), random_state(1 << n, rng)
    assert kernels.expectation(psi, energies) == pytest.approx(float(np.abs(psi) ** 2 @ energies), abs=1e-13)
    assert np.allclose(kernels.x_sum(psi, n), x_sum(n) @ psi, atol=1e-13)
    assert kernels.x_inner(lam, psi, n) == pytest.approx(np.vdot(lam, x_sum(n) @ psi), abs=1e-13)
    assert kernels.weighted_inner(lam, energies, psi) == pytest.approx(np.vdot(lam, energies * psi), abs=1e-13)


def test_unitary_all_and_local_sum_are_the_kronecker_products():
    n = 4
    rng = np.random.default_rng(3)
    gs = rng.normal(size=(n, 2, 2)) + 1j * rng.normal(size=(n, 2, 2))
    gs = gs + gs.conj().transpose(0, 2, 1)  # Hermitian generators
    us = np.array([expm(-0.3j * g) for g in gs])
    psi = random_state(1 << n, rng)
    out = psi.copy()
    kernels.unitary_all(out, us)
    dense_u = np.eye(1)
    for q in reversed(range(n)):
        dense_u = np.kron(dense_u, us[q])
    assert np.allclose(out, dense_u @ psi, atol=1e-13)
    dense_g = sum(on_qubits(n, {q: gs[q]}) for q in range(n))
    assert np.allclose(kernels.local_sum(psi, gs), dense_g @ psi, atol=1e-13)


def test_pair_rotate_rotates_each_listed_pair(threads):
    rng = np.random.default_rng(4)
    psi = random_state(8, rng)
    a, b = np.array([0, 5], dtype=np.int32), np.array([3, 6], dtype=np.int32)
    angle = 0.7
    out = psi.copy()
    kernels.pair_rotate(out.view(np.float64), a, b, math.cos(angle), math.sin(angle))
    expected = psi.copy()
    u = evolve(X, angle)  # exp(-i angle X) on each (a_k, b_k) pair
    for ak, bk in zip(a, b, strict=True):
        expected[[ak, bk]] = u @ psi[[ak, bk]]
    assert np.allclose(out, expected, atol=1e-14)


def test_interleaved_raises_the_parallel_threshold_and_restores_it(monkeypatch):
    monkeypatch.setattr(kernels, "PARALLEL_MIN", 10)
    with kernels.interleaved():
        assert kernels.PARALLEL_MIN == kernels.SERIAL_BELOW_WHEN_INTERLEAVED
    assert kernels.PARALLEL_MIN == 10
    with pytest.raises(RuntimeError), kernels.interleaved():
        raise RuntimeError
    assert kernels.PARALLEL_MIN == 10
