"""qaoa/basis.py: the full space and the Hamming-weight-K subspace, their lookup and memory guard."""

import itertools
import math

import numpy as np
import pytest

from qportfolio.errors import SolverError
from qportfolio.qaoa.basis import BYTES_PER_STATE, Basis, check_memory

GIB = 1 << 30


@pytest.mark.parametrize("n", [1, 4, 9])
def test_full_basis_is_every_bitmask_and_its_own_index(n):
    basis = Basis.full(n, GIB)
    assert basis.is_full and basis.weight is None and basis.num_qubits == n
    assert basis.size == 2**n and basis.masks.dtype == np.int64
    assert np.array_equal(basis.masks, np.arange(2**n))
    some = np.array([0, 2**n - 1, (2**n) // 3])
    assert np.array_equal(basis.positions(some), some)


@pytest.mark.parametrize("n, k", [(1, 0), (1, 1), (5, 2), (8, 4), (10, 3), (12, 11)])
def test_hamming_basis_has_the_c_n_k_masks_of_weight_k_in_order(n, k, backend):
    basis = Basis.hamming(n, k, GIB)
    assert not basis.is_full and basis.weight == k and basis.size == math.comb(n, k)
    # oracle: every subset of k of the n bits, as a bitmask
    expected = sorted(sum(1 << b for b in bits) for bits in itertools.combinations(range(n), k))
    assert basis.masks.tolist() == expected
    assert np.array_equal(basis.positions(basis.masks), np.arange(basis.size))
    shuffled = np.random.default_rng(n).permutation(basis.size)
    assert np.array_equal(basis.positions(basis.masks[shuffled]), shuffled)


def test_binomial_table_of_a_hamming_basis():
    basis = Basis.hamming(7, 3, GIB)
    assert basis.binomials.shape == (8, 4)
    for b, t in itertools.product(range(8), range(4)):
        assert basis.binomials[b, t] == math.comb(b, t)


def test_required_bytes_is_the_per_state_cost_times_the_states():
    assert BYTES_PER_STATE == 16 + 16 + 8 + 8 + 8
    assert Basis.required_bytes(10) == BYTES_PER_STATE * 1024
    assert Basis.required_bytes(30, 4) == BYTES_PER_STATE * math.comb(30, 4)


def test_memory_guard_refuses_before_allocating_and_accepts_at_the_limit():
    need = Basis.required_bytes(12)
    check_memory(12, None, need)  # exactly enough is enough
    assert Basis.full(12, need).max_bytes == need
    with pytest.raises(SolverError, match=r"12 qubits need 2\^12 amplitudes.*max_memory_gb"):
        Basis.full(12, need - 1)
    # 60 qubits would need 2^60 states: refused from the count alone, nothing allocated
    with pytest.raises(SolverError, match=r"2\^60 amplitudes"):
        Basis.full(60, GIB)
    with pytest.raises(SolverError, match=r"C\(40, 20\) = 137,846,528,820 amplitudes"):
        Basis.hamming(40, 20, GIB)
    small = Basis.hamming(40, 2, GIB)  # the subspace alone is counted: 780 states
    assert small.size == 780


def test_basis_is_frozen():
    basis = Basis.full(3, GIB)
    with pytest.raises(AttributeError):
        basis.weight = 2  # type: ignore[misc]
