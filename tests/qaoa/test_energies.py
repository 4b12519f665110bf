"""qaoa/energies.py: the cost Hamiltonian's diagonal against dimod's own energies of every assignment."""

import itertools

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.qaoa import energies
from qportfolio.qaoa.energies import basis_energies, bits_energies, bqm_matrices, qubo_matrices


def all_bits(n):
    return np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.int8)


def test_bqm_matrices_reproduce_dimod_energies_in_the_given_order():
    rng = np.random.default_rng(0)
    labels = ["c", "a", "d", "b"]
    bqm = dimod.BinaryQuadraticModel({v: rng.normal() for v in labels},
                                     {(u, v): rng.normal() for u, v in itertools.combinations(labels, 2)}, 1.25, "BINARY")
    lin, quad, offset = bqm_matrices(bqm, labels)
    assert np.allclose(quad, np.triu(quad)) and offset == 1.25
    assert lin[0] == bqm.get_linear("c") and quad[1, 3] == pytest.approx(bqm.get_quadratic("a", "b"))
    bits = all_bits(4)
    assert np.allclose(bits_energies(bits, lin, quad, offset), bqm.energies((bits, labels)))


def test_basis_energies_are_the_qubo_energy_of_each_bitmask():
    qubo = qp.encode(qp.synthetic_problem(4, seed=2, cardinality=2, weight_step=0.25))
    n = qubo.num_variables
    labels = list(qubo.layout.labels)
    masks = np.arange(1 << n, dtype=np.int64)
    # oracle: bit q of the mask is layout variable q, energy from dimod's BQM
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(np.int8)
    expected = qubo.bqm.energies((bits, labels))
    assert np.allclose(basis_energies(qubo, masks), expected, rtol=1e-12, atol=1e-12)
    lin, quad, offset = qubo_matrices(qubo)
    assert lin.shape == (n,) and quad.shape == (n, n) and offset == pytest.approx(qubo.bqm.offset)


def test_chunking_does_not_change_the_energies(monkeypatch):
    qubo = qp.encode(qp.synthetic_problem(6, seed=1, cardinality=3).selection_only_variant())
    masks = np.arange(1 << qubo.num_variables, dtype=np.int64)
    whole = basis_energies(qubo, masks)
    monkeypatch.setattr(energies, "CHUNK", 7)  # 64 states in 10 chunks, the last one short
    assert np.allclose(basis_energies(qubo, masks), whole, rtol=1e-13, atol=1e-15)
    subset = masks[[5, 17, 63]]
    assert np.allclose(basis_energies(qubo, subset), whole[[5, 17, 63]], rtol=1e-13, atol=1e-15)
