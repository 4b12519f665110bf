"""Diagonal splits: the barrier SDP against cvxpy's SDP, PSD remainders, edge cases."""

from __future__ import annotations

import warnings

import cvxpy as cp
import numpy as np
import pytest

from qportfolio.errors import ValidationError
from qportfolio.perspective import SPLITS, diagonal_split


def random_covariance(n: int, seed: int, factors: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    loadings = rng.normal(size=(n, factors))
    noise = rng.uniform(0.05, 0.5, size=n)
    return (loadings @ loadings.T + np.diag(noise)) * 1e-3


def cvxpy_max_trace(cov: np.ndarray) -> float:
    d = cp.Variable(cov.shape[0], nonneg=True)
    scaled = cov / np.mean(np.diag(cov))
    prob = cp.Problem(cp.Maximize(cp.sum(d)), [scaled - cp.diag(d) >> 0])
    with warnings.catch_warnings():  # Clarabel may flag 'inaccurate' at 1e-8; agreement to 1e-5 is what is checked
        warnings.simplefilter("ignore", UserWarning)
        prob.solve(solver=cp.CLARABEL)
    return float(prob.value) * np.mean(np.diag(cov))


@pytest.mark.parametrize("seed", range(4))
def test_sdp_split_is_the_sdp_optimum_and_leaves_a_psd_remainder(seed):
    cov = random_covariance(12, seed)
    d = diagonal_split(cov, "sdp")
    assert np.all(d >= 0)
    assert np.linalg.eigvalsh(cov - np.diag(d))[0] >= 0
    assert d.sum() == pytest.approx(cvxpy_max_trace(cov), rel=1e-5)


def test_sdp_split_dominates_the_correlation_split():
    cov = random_covariance(20, 7, factors=3)
    sdp, corr = diagonal_split(cov, "sdp"), diagonal_split(cov, "correlation")
    assert sdp.sum() >= corr.sum() * (1 - 1e-9)
    assert np.linalg.eigvalsh(cov - np.diag(corr))[0] >= 0


def test_diagonal_covariance_splits_off_almost_everything():
    cov = np.diag([0.04, 0.09, 0.01])
    for method in ("sdp", "correlation"):
        d = diagonal_split(cov, method)
        assert d == pytest.approx(np.diag(cov), rel=1e-6)


def test_singular_covariance_and_none_give_zero():
    v = np.array([1.0, 2.0, 3.0])
    singular = np.outer(v, v) * 1e-3  # rank one: no diagonal can be split off
    assert np.all(diagonal_split(singular, "sdp") == 0)
    assert np.all(diagonal_split(random_covariance(5, 1), "none") == 0)


def test_unknown_split_names_the_choices():
    with pytest.raises(ValidationError, match="split must be one of " + ", ".join(SPLITS)):
        diagonal_split(np.eye(2), "eigen")  # type: ignore[arg-type]
