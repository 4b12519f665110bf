"""qaoa/subspace.py: combinatorial ranking of the weight-K subspace, and the compiled XY edge kernels
against the dense (X_i X_j + Y_i Y_j)/2 restricted to that subspace and its exact exponential."""

import itertools
import math

import numpy as np
import pytest

from qportfolio.qaoa import kernels, subspace

from .oracles import evolve, random_state, xy_edge

needs_numba = pytest.mark.skipif(not kernels.HAVE_NUMBA, reason="the on-the-fly XY kernels are compiled with numba")


def test_binomial_table_is_pascals_triangle():
    table = subspace.binomial_table(9, 4)
    assert table.shape == (10, 5) and table.dtype == np.int64
    for b, t in itertools.product(range(10), range(5)):
        assert table[b, t] == math.comb(b, t)


@pytest.mark.parametrize("n, k", [(0, 0), (3, 0), (3, 3), (6, 2), (9, 4), (11, 7)])
def test_weight_masks_with_and_without_numba_are_the_k_subsets(n, k):
    expected = sorted(sum(1 << b for b in bits) for bits in itertools.combinations(range(n), k))
    assert subspace.weight_masks_numpy(n, k).tolist() == expected
    assert subspace.weight_masks(n, k).tolist() == expected


@pytest.mark.parametrize("n, k", [(3, 4), (63, 1), (4, -1)])
def test_weight_masks_refuse_impossible_sizes(n, k):
    with pytest.raises(ValueError, match="0 <= k <= n <= 62"):
        subspace.weight_masks(n, k)


def test_ranks_are_positions_in_the_sorted_basis():
    n, k = 10, 4
    masks = subspace.weight_masks(n, k)
    rng = np.random.default_rng(0)
    picks = rng.choice(masks, 50)
    assert np.array_equal(subspace.ranks(picks, n, k), np.searchsorted(masks, picks))
    # a mask of weight k on the top bits is the last one; the k lowest bits the first
    assert subspace.ranks(np.array([(1 << k) - 1, ((1 << k) - 1) << (n - k)]), n, k).tolist() == [0, math.comb(n, k) - 1]


def _restricted(n, k, i, j):
    masks = subspace.weight_masks(n, k)
    dense = xy_edge(n, i, j)
    return masks, dense[np.ix_(masks, masks)]


EDGES = [(0, 1), (1, 0), (2, 3), (0, 4), (5, 1), (5, 0)]  # neighbours both ways, far pairs, a ring's closing edge


@needs_numba
@pytest.mark.parametrize("i, j", EDGES)
def test_xy_kernels_equal_the_dense_restricted_operator(i, j):
    n, k = 6, 3
    masks, g = _restricted(n, k, i, j)
    # the subspace is invariant: the full operator maps weight-k states to weight-k states
    full = xy_edge(n, i, j)
    outside = np.setdiff1d(np.arange(1 << n), masks)
    assert np.allclose(full[np.ix_(outside, masks)], 0)
    table = subspace.binomial_table(n, k)
    rng = np.random.default_rng(i * 7 + j)
    psi, lam = random_state(masks.size, rng), random_state(masks.size, rng)
    assert np.allclose(subspace.xy_generator(psi, masks, i, j, table), g @ psi, atol=1e-14)
    assert subspace.xy_inner(lam, psi, masks, i, j, table) == pytest.approx(np.vdot(lam, g @ psi), abs=1e-13)
    angle = 0.37
    rotated = psi.copy()
    subspace.xy_rotate(rotated.view(np.float64), masks, i, j, table, np.cos(angle), np.sin(angle))
    assert np.allclose(rotated, evolve(g, angle) @ psi, atol=1e-13)
    assert np.linalg.norm(rotated) == pytest.approx(1.0, abs=1e-13)


@needs_numba
def test_xy_adjoint_step_is_the_inner_product_then_both_rotations():
    n, k, i, j = 7, 3, 1, 5
    masks, g = _restricted(n, k, i, j)
    table = subspace.binomial_table(n, k)
    rng = np.random.default_rng(1)
    psi, lam = random_state(masks.size, rng), random_state(masks.size, rng)
    angle = -0.8
    phi2, lam2 = psi.copy(), lam.copy()
    value = subspace.xy_adjoint_step(lam2, phi2, masks, i, j, table, np.cos(angle), np.sin(angle))
    u = evolve(g, angle)
    assert value == pytest.approx(np.vdot(lam, g @ psi), abs=1e-13)
    assert np.allclose(phi2, u @ psi, atol=1e-13) and np.allclose(lam2, u @ lam, atol=1e-13)
