"""The SCIP model's pieces: the remainder's triangular factor."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qportfolio.formulations.miqp import remainder_factor


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 12), rank=st.integers(0, 12), seed=st.integers(0, 2**32 - 1))
def test_remainder_factor_reproduces_the_remainder_and_is_lower_trapezoidal(n, rank, seed):
    rng = np.random.default_rng(seed)
    loadings = rng.normal(size=(n, min(rank, n)))
    rem = loadings @ loadings.T
    factor = remainder_factor(rem)
    assert factor.shape == (n, min(rank, n))  # one column per direction of a rank-r remainder
    scale = max(1.0, float(np.abs(rem).max()))
    assert np.abs(factor @ factor.T - rem).max() <= 1e-10 * scale
    assert np.all(factor[np.triu_indices(n, 1, factor.shape[1])] == 0.0)  # column k is zero above row k


def test_remainder_factor_halves_the_nonzeros_of_a_full_rank_remainder():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(40, 40))
    factor = remainder_factor(a @ a.T)
    assert np.count_nonzero(factor) == 40 * 41 // 2
    assert remainder_factor(np.zeros((5, 5))).shape == (5, 0)


@pytest.mark.parametrize("n", [1, 7])
def test_remainder_factor_of_a_diagonal_is_its_square_root(n):
    d = np.arange(1.0, n + 1)
    factor = remainder_factor(np.diag(d))
    assert np.allclose(factor @ factor.T, np.diag(d), atol=1e-12)
