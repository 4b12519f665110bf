"""Estimation from prices and annualisation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qportfolio.errors import ValidationError

EXAMPLES = Path(__file__).resolve().parents[2] / "qportfolio" / "examples"


def test_estimation_from_prices_and_annualisation():
    from qportfolio.data.prices import estimate, periods_per_year, read_table, returns_from_prices

    prices = read_table(EXAMPLES / "prices.csv")
    rets = returns_from_prices(prices)
    assert periods_per_year(rets.index) == 252
    daily = estimate(rets, "sample")
    annual = estimate(rets, "sample", periods_per_year=252)
    np.testing.assert_allclose(annual.covariance, 252 * daily.covariance)
    np.testing.assert_allclose(daily.covariance, rets.cov().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(daily.expected_returns, rets.mean().to_numpy(), rtol=1e-12)
    lw = estimate(rets, "ledoit-wolf")
    assert 0 < lw.shrinkage < 1
    log = returns_from_prices(prices, "log")
    np.testing.assert_allclose(np.exp(log.to_numpy()) - 1, rets.to_numpy(), atol=1e-12)
    with pytest.raises(ValidationError, match="positive"):
        returns_from_prices(prices * 0)
