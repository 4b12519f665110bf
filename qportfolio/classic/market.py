"""What a classical strategy reads: expected returns and covariance in stated units, the asset names
and the per-period return scenarios they were estimated from.

Units are part of the data: estimates from dated prices are annualised by default (the periods a
year inferred from the dates), estimates given as moments (a spec, an OR-Library set) stay per
period unless the caller says how many periods make a year. Annualising scales the mean and the
covariance by the periods a year P (i.i.d. returns): mu_a = P mu, Sigma_a = P Sigma.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ValidationError


def per_period(periods_per_year: float | None = None) -> dict[str, Any]:
    """The units of data that are not annualised (``periods_per_year``: P when known)."""
    return {"annualized": False, "periods_per_year": periods_per_year}


@dataclass(frozen=True, eq=False)
class Market:
    """Estimates a strategy reads: ``expected_returns`` and ``covariance`` in ``units``
    (``{"annualized": bool, "periods_per_year": P or None}``), ``assets``, and the per-period return
    ``scenarios`` (periods x assets) behind them, or None for a problem given by its moments."""

    expected_returns: np.ndarray
    covariance: np.ndarray
    assets: tuple[str, ...]
    scenarios: np.ndarray | None = None
    units: dict[str, Any] = field(default_factory=per_period)


def annualize(expected_returns: np.ndarray, covariance: np.ndarray,
              periods_per_year: float) -> tuple[np.ndarray, np.ndarray]:
    """(P mu, P Sigma): per-period moments a year, for P periods a year of i.i.d. returns."""
    if not np.isfinite(periods_per_year) or periods_per_year <= 0:
        raise ValidationError(f"periods_per_year must be a positive number, got {periods_per_year}")
    return np.asarray(expected_returns, dtype=float) * periods_per_year, np.asarray(covariance, dtype=float) * periods_per_year


def market_from_returns(returns: Any, *, estimator: str = "ledoit-wolf", annualized: bool | None = None,
                        periods_per_year: float | None = None, repair: bool = False) -> Market:
    """The market of a dated returns table (rows: periods): annualised unless ``annualized`` is False,
    with ``periods_per_year`` inferred from the dates when not given; the scenarios are the returns."""
    from ..data.prices import estimate
    from ..data.prices import periods_per_year as infer_periods

    ppy = periods_per_year or infer_periods(returns.index)
    annual = annualized is not False
    est = estimate(returns, estimator, periods_per_year=ppy if annual else 1.0, repair=repair)
    return Market(est.expected_returns, est.covariance, est.assets, np.asarray(returns, dtype=float),
                  {"annualized": annual, "periods_per_year": ppy})


def market_from_problem(problem: Any, *, annualized: bool | None = None, periods_per_year: float | None = None) -> Market:
    """The market of a problem given by its moments (per period: such data have no dates), annualised
    only when ``annualized`` is True and ``periods_per_year`` says what a period is."""
    mu, cov = problem.expected_returns, problem.covariance
    if annualized:
        if periods_per_year is None:
            raise ValidationError("--annualize needs --periods-per-year for data without dates (the OR-Library sets are "
                                  "weekly: 52); --prices infers it from the dates")
        mu, cov = annualize(mu, cov, periods_per_year)
        return Market(mu, cov, problem.assets, None, {"annualized": True, "periods_per_year": periods_per_year})
    if periods_per_year is not None and annualized is None:
        raise ValidationError("--periods-per-year annualises with --annualize (or --prices, annualised by default)")
    return Market(mu, cov, problem.assets, None, per_period(periods_per_year))
