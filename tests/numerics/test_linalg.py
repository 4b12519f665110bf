import numpy as np
import pytest

from qportfolio.errors import ValidationError
from qportfolio.numerics.linalg import covariance_from_correlation, nearest_psd


def test_nearest_psd_is_psd_and_nearest():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(6, 6))
    a = a + a.T
    r = nearest_psd(a)
    assert np.linalg.eigvalsh(r)[0] >= -1e-12
    dist = np.linalg.norm(r - a)
    for _ in range(200):  # no random PSD matrix is closer (Higham's theorem)
        b = rng.normal(size=(6, 3))
        candidate = r + 0.05 * (b @ b.T)
        assert np.linalg.norm(candidate - a) >= dist - 1e-12


def test_nearest_psd_keeps_psd_input():
    rng = np.random.default_rng(1)
    b = rng.normal(size=(5, 5))
    s = b @ b.T
    assert np.allclose(nearest_psd(s), s, atol=1e-12)


def test_covariance_from_correlation():
    vol = np.array([0.1, 0.2])
    corr = np.array([[1.0, 0.5], [0.5, 1.0]])
    assert np.allclose(covariance_from_correlation(vol, corr), [[0.01, 0.01], [0.01, 0.04]])
    with pytest.raises(ValidationError, match="ones on the diagonal"):
        covariance_from_correlation(vol, np.array([[0.9, 0.5], [0.5, 1.0]]))
