"""Return-data estimators against independent oracles (numpy, scikit-learn's Ledoit-Wolf)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qportfolio.data import (
    ledoit_wolf,
    problem_from_returns,
    sample_covariance,
)
from qportfolio.errors import ValidationError


def test_returns_estimators_against_oracles():
    rng = np.random.default_rng(0)
    r = pd.DataFrame(rng.normal(0.001, 0.02, size=(60, 8)), columns=[f"X{i}" for i in range(8)])
    assert np.allclose(sample_covariance(r), np.cov(r.to_numpy(), rowvar=False))
    sklearn = pytest.importorskip("sklearn.covariance")
    cov, shrink = ledoit_wolf(r)
    ref = sklearn.LedoitWolf().fit(r.to_numpy())
    assert shrink == pytest.approx(ref.shrinkage_, rel=1e-10)
    assert np.allclose(cov, ref.covariance_, rtol=1e-10, atol=1e-14)
    p = problem_from_returns(r, cardinality=3, estimator="sample", weight_step=0.1, min_weight=0.1)
    assert p.assets[0] == "X0" and np.allclose(p.expected_returns, r.mean().to_numpy())
    bad = r.copy()
    bad.iloc[3, 2] = np.nan
    with pytest.raises(ValidationError, match="NaN"):
        problem_from_returns(bad, cardinality=3)
