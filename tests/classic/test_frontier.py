"""The efficient frontier: monotone, non-dominated, consistent with max Sharpe."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.classic import (
    efficient_frontier,
    max_sharpe,
)


def test_frontier_is_monotone_and_non_dominated(market):
    mu, cov = market
    f = efficient_frontier(mu, cov, points=50, risk_free=0.0)
    assert len(f.returns) == 50
    assert np.all(np.diff(f.returns) > -1e-10) and np.all(np.diff(f.volatilities) > -1e-9)
    for i in range(len(f.returns)):  # no point has both lower risk and higher return than another
        dominated = (f.volatilities < f.volatilities[i] - 1e-8) & (f.returns > f.returns[i] + 1e-8)
        assert not dominated.any()
    ms = max_sharpe(mu, cov, risk_free=0.0)
    assert ms.sharpe(0.0) >= f.sharpe().max() - 1e-6  # the tangency beats every sampled frontier point
    assert ms.sharpe(0.0) == pytest.approx(f.sharpe().max(), rel=1e-2)
