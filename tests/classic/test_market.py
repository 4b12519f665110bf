"""Markets and their units: annualising scales by the periods a year; refusals name what is missing."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.classic.market import annualize, market_from_problem, market_from_returns
from qportfolio.data import synthetic_problem
from qportfolio.errors import ValidationError


def test_annualize_scales_mean_and_covariance():
    mu, cov = annualize(np.array([0.001, 0.002]), np.eye(2) * 1e-4, 52)
    np.testing.assert_allclose(mu, [0.052, 0.104])
    np.testing.assert_allclose(cov, np.eye(2) * 52e-4)
    with pytest.raises(ValidationError, match="periods_per_year"):
        annualize(mu, cov, 0)


def test_a_problem_is_per_period_unless_annualised_with_its_periods():
    p = synthetic_problem(5, seed=1)
    m = market_from_problem(p)
    assert m.units == {"annualized": False, "periods_per_year": None} and m.scenarios is None
    np.testing.assert_array_equal(m.expected_returns, p.expected_returns)
    a = market_from_problem(p, annualized=True, periods_per_year=12)
    np.testing.assert_allclose(a.covariance, 12 * p.covariance)
    assert a.units == {"annualized": True, "periods_per_year": 12}
    with pytest.raises(ValidationError, match="--periods-per-year"):
        market_from_problem(p, annualized=True)
    with pytest.raises(ValidationError, match="--annualize"):
        market_from_problem(p, periods_per_year=52)
    assert market_from_problem(p, annualized=False, periods_per_year=52).units["periods_per_year"] == 52


def test_returns_are_annualised_by_their_dates():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    index = pd.date_range("2020-01-03", periods=120, freq="W-FRI")
    rets = pd.DataFrame(rng.normal(0.001, 0.02, size=(120, 3)), index=index, columns=["a", "b", "c"])
    m = market_from_returns(rets, estimator="sample")
    assert m.units == {"annualized": True, "periods_per_year": 52.0} and m.assets == ("a", "b", "c")
    np.testing.assert_allclose(m.expected_returns, 52 * rets.mean().to_numpy())
    np.testing.assert_allclose(m.covariance, 52 * np.cov(rets.to_numpy(), rowvar=False))
    np.testing.assert_array_equal(m.scenarios, rets.to_numpy())
    per = market_from_returns(rets, estimator="sample", annualized=False)
    np.testing.assert_allclose(per.expected_returns, rets.mean().to_numpy())
