"""PortfolioResult: figures from the weights, units and risk-free labels, restated figures, JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qportfolio.classic import PortfolioResult, min_variance
from qportfolio.classic.result import make_result
from qportfolio.status import Status


def test_make_result_computes_the_figures_of_the_weights(market):
    mu, cov = market
    w = np.linspace(1, 2, len(mu))
    w /= w.sum()
    r = make_result("min-variance", tuple(f"A{i}" for i in range(len(mu))), w, mu, cov, float(w @ cov @ w), "optimal", {},
                    "test", 0.0)
    assert r.expected_return == pytest.approx(mu @ w) and r.volatility == pytest.approx(np.sqrt(w @ cov @ w))
    assert (r.objective_name, r.sense, r.status) == ("variance", "min", Status.OPTIMAL)
    assert r.risk_contributions.sum() == pytest.approx(1.0)
    inaccurate = make_result("min-variance", r.assets, w, mu, cov, 0.0, "optimal_inaccurate", {}, "test", 0.0)
    assert inaccurate.status == Status.FEASIBLE and "not proven" in inaccurate.message


def test_units_risk_free_and_restated_figures(market):
    mu, cov = market
    r = min_variance(mu, cov)
    assert r.units == {"annualized": False, "periods_per_year": None} and "sharpe_per_period" in r.to_dict()
    annual = r.with_units({"annualized": True, "periods_per_year": 52}).with_risk_free(0.01)
    data = json.loads(json.dumps(annual.to_dict(), default=float))
    assert data["units"]["annualized"] and data["sharpe_annual"] == pytest.approx((r.expected_return - 0.01) / r.volatility)
    restated = r.restated(52 * mu, 52 * cov)
    assert restated.expected_return == pytest.approx(52 * r.expected_return)
    assert restated.volatility == pytest.approx(np.sqrt(52) * r.volatility)
    assert restated.objective == r.objective and restated.weights is r.weights
    assert "a year" in str(annual) and "per period" in str(r)


def test_to_pandas_lists_the_held_positions_largest_first(market):
    pytest.importorskip("pandas")
    mu, cov = market
    r = min_variance(mu, cov)
    frame = r.to_pandas()
    assert list(frame.index) == sorted(frame.index, key=lambda a: -abs(r.weights_by_asset()[a]))
    assert isinstance(r, PortfolioResult) and (frame["weight"] != 0).all()
