"""qaoa/mixers.py: the X and XY mixer gates against dense exponentials, Qiskit's XXPlusYYGate, and
the conservation laws (norm; Hamming weight for XY), on the numba kernels and on the numpy path."""

import math

import numpy as np
import pytest

from qportfolio.qaoa import mixers
from qportfolio.qaoa.basis import Basis
from qportfolio.qaoa.mixers import MIXERS, XMixerGate, XYEdgeGate, build_mixer, complete_edges, ring_edges

from .oracles import evolve, popcounts, random_state, x_sum, xy_edge

GIB = 1 << 30


def test_ring_edges_are_even_then_odd_then_the_closing_edge():
    assert ring_edges(2) == [(0, 1)]
    assert ring_edges(3) == [(0, 1), (1, 2), (2, 0)]
    assert ring_edges(6) == [(0, 1), (2, 3), (4, 5), (1, 2), (3, 4), (5, 0)]
    for n in range(3, 12):  # every ring neighbour once, no other edge
        edges = ring_edges(n)
        assert sorted(tuple(sorted(e)) for e in edges) == sorted(tuple(sorted((q, (q + 1) % n))) for q in range(n))


def test_complete_edges_are_all_pairs_in_order():
    assert complete_edges(4) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    assert len(complete_edges(9)) == math.comb(9, 2)


@pytest.mark.parametrize("n", [1, 3, 6])
def test_x_mixer_gate_is_exp_of_the_sum_of_x(n, backend):
    gate = XMixerGate(n)
    rng = np.random.default_rng(n)
    psi, lam = random_state(1 << n, rng), random_state(1 << n, rng)
    angle = 0.83
    out = psi.copy()
    gate.apply(out, angle)
    assert np.allclose(out, evolve(x_sum(n), angle) @ psi, atol=1e-13)
    assert np.linalg.norm(out) == pytest.approx(1.0, abs=1e-13)
    assert np.allclose(gate.generator(psi), x_sum(n) @ psi, atol=1e-13)
    assert gate.inner(lam, psi) == pytest.approx(np.vdot(lam, x_sum(n) @ psi), abs=1e-13)


@pytest.mark.parametrize("cache", [True, False])
@pytest.mark.parametrize("i, j", [(0, 1), (3, 2), (0, 4), (4, 0)])
def test_xy_edge_gate_on_the_subspace_is_the_restricted_exponential(i, j, cache, backend):
    n, k = 5, 2
    basis = Basis.hamming(n, k, GIB)
    g = xy_edge(n, i, j)[np.ix_(basis.masks, basis.masks)]
    gate = XYEdgeGate(basis, i, j, cache=cache)
    rng = np.random.default_rng(10 * i + j)
    psi, lam = random_state(basis.size, rng), random_state(basis.size, rng)
    angle = -1.3
    out = psi.copy()
    gate.apply(out, angle)
    assert np.allclose(out, evolve(g, angle) @ psi, atol=1e-13)
    assert np.allclose(gate.generator(psi), g @ psi, atol=1e-13)
    assert gate.inner(lam, psi) == pytest.approx(np.vdot(lam, g @ psi), abs=1e-13)
    phi2, lam2 = psi.copy(), lam.copy()
    value = gate.adjoint_step(lam2, phi2, angle)
    assert value == pytest.approx(np.vdot(lam, g @ psi), abs=1e-13)
    assert np.allclose(phi2, evolve(g, angle) @ psi, atol=1e-13)
    assert np.allclose(lam2, evolve(g, angle) @ lam, atol=1e-13)


@pytest.mark.parametrize("name", ["xy-ring", "xy-complete"])
def test_xy_mixer_keeps_every_hamming_weight_sector_and_the_norm(name, backend):
    n = 6
    basis = Basis.full(n, GIB)
    rng = np.random.default_rng(5)
    psi = random_state(basis.size, rng)
    out = psi.copy()
    for gate in build_mixer(name, basis):
        gate.apply(out, 0.9)
    weight = popcounts(n)
    before = np.bincount(weight, weights=np.abs(psi) ** 2)
    after = np.bincount(weight, weights=np.abs(out) ** 2)
    assert np.allclose(before, after, atol=1e-13)
    assert not np.allclose(np.abs(out), np.abs(psi))  # it did move amplitude within the sectors


@pytest.mark.parametrize("name", ["xy-ring", "xy-complete"])
def test_a_mixer_layer_equals_qiskits_xx_plus_yy_gates(name):
    qiskit = pytest.importorskip("qiskit")
    from qiskit.circuit.library import XXPlusYYGate
    from qiskit.quantum_info import Statevector

    n, beta = 4, 0.47
    qc = qiskit.QuantumCircuit(n)
    for i, j in (ring_edges(n) if name == "xy-ring" else complete_edges(n)):
        qc.append(XXPlusYYGate(2 * beta), [i, j])
    rng = np.random.default_rng(2)
    psi = random_state(1 << n, rng)
    reference = Statevector(psi).evolve(qc).data
    out = psi.copy()
    for gate in build_mixer(name, Basis.full(n, GIB)):
        gate.apply(out, beta)
    assert np.allclose(out, reference, atol=1e-13)


def test_adjoint_step_helper_is_inner_then_two_rotations():
    n = 3
    gate = XMixerGate(n)
    rng = np.random.default_rng(6)
    psi, lam = random_state(8, rng), random_state(8, rng)
    phi2, lam2 = psi.copy(), lam.copy()
    value = mixers.adjoint_step(gate, lam2, phi2, 0.4)
    u = evolve(x_sum(n), 0.4)
    assert value == pytest.approx(np.vdot(lam, x_sum(n) @ psi), abs=1e-13)
    assert np.allclose(phi2, u @ psi) and np.allclose(lam2, u @ lam)


def test_build_mixer_names_and_the_index_cache_decision(backend):
    assert MIXERS == ("x", "xy-ring", "xy-complete")
    roomy = Basis.hamming(8, 3, GIB)
    (x_gate,) = build_mixer("x", Basis.full(4, GIB))
    assert isinstance(x_gate, XMixerGate)
    ring, complete = build_mixer("xy-ring", roomy), build_mixer("xy-complete", roomy)
    assert [(g.i, g.j) for g in ring] == ring_edges(8) and [(g.i, g.j) for g in complete] == complete_edges(8)
    assert all(g.cache for g in ring + complete)
    # a basis built with just the simulation's bytes leaves no room for index arrays: rank on the fly
    tight = Basis.hamming(8, 3, Basis.required_bytes(8, 3))
    expect_cache = backend == "numpy"  # without numba the pairs are always index arrays
    assert all(g.cache is expect_cache for g in build_mixer("xy-ring", tight))
    assert all(g.cache for g in build_mixer("xy-ring", roomy, cache_bytes=0)) is expect_cache
