"""Synthetic instances: reproducible from their seed."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.data import (
    synthetic_problem,
)
from qportfolio.errors import ValidationError


def test_synthetic_reproducible():
    a, b = synthetic_problem(12, seed=5), synthetic_problem(12, seed=5)
    assert np.array_equal(a.covariance, b.covariance) and a.fingerprint == b.fingerprint
    assert np.linalg.eigvalsh(a.covariance)[0] > 0
    with pytest.raises(ValidationError, match="positive integer"):
        synthetic_problem(0)
