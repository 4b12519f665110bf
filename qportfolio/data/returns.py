"""Problems estimated from a table of historical returns.

Estimators: the sample mean and covariance (unbiased, ddof=1), or the Ledoit-Wolf (2004)
shrinkage of the sample covariance towards a scaled identity, with the optimal intensity
delta* = min(1, b^2 / d^2) estimated from the data.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..problem import PortfolioProblem


def _as_returns(returns: pd.DataFrame | np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    if isinstance(returns, pd.DataFrame):
        names = tuple(str(c) for c in returns.columns)
        values = returns.to_numpy(dtype=float)
    else:
        values = np.asarray(returns, dtype=float)
        names = tuple(f"asset-{i + 1}" for i in range(values.shape[1] if values.ndim == 2 else 0))
    if values.ndim != 2 or values.shape[0] < 2 or values.shape[1] < 1:
        raise ValidationError(f"returns must be a (periods, assets) table with at least 2 periods, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        rows = np.flatnonzero(~np.all(np.isfinite(values), axis=1))
        raise ValidationError(
            f"returns contain NaN or inf in {rows.size} period(s) (first at row {rows[0]}); "
            "drop or fill those periods (e.g. returns.dropna()) before estimating"
        )
    return values, names


def sample_covariance(returns: pd.DataFrame | np.ndarray) -> np.ndarray:
    """Unbiased sample covariance (ddof=1) of a (periods, assets) table."""
    values, _ = _as_returns(returns)
    return np.atleast_2d(np.cov(values, rowvar=False, ddof=1))


def ledoit_wolf(returns: pd.DataFrame | np.ndarray) -> tuple[np.ndarray, float]:
    """Ledoit-Wolf shrinkage covariance and its intensity, as in Ledoit & Wolf (2004), eq. 14.

    Uses the maximum-likelihood (1/T) sample covariance of demeaned returns, as the paper does.
    """
    values, _ = _as_returns(returns)
    t, n = values.shape
    x = values - values.mean(axis=0)
    s = x.T @ x / t
    mu = np.trace(s) / n
    d2 = np.sum((s - mu * np.eye(n)) ** 2) / n
    # b2_bar = (1/T^2) sum_t || x_t x_t' - S ||_F^2 / n
    b2_bar = (np.sum(np.einsum("ti,tj->t", x**2, x**2)) / t - np.sum(s**2)) / (t * n)
    b2 = min(b2_bar, d2)
    shrinkage = 0.0 if d2 == 0 else b2 / d2
    return shrinkage * mu * np.eye(n) + (1.0 - shrinkage) * s, float(shrinkage)


def problem_from_returns(
    returns: pd.DataFrame | np.ndarray,
    *,
    cardinality: int,
    estimator: Literal["sample", "ledoit-wolf"] = "ledoit-wolf",
    name: str = "returns",
    **kwargs: Any,
) -> PortfolioProblem:
    """Estimate mu and Sigma from returns (rows = periods) and build a problem."""
    values, names = _as_returns(returns)
    if estimator == "sample":
        cov = sample_covariance(values)
    elif estimator == "ledoit-wolf":
        cov, _ = ledoit_wolf(values)
    else:
        raise ValidationError(f"estimator must be 'sample' or 'ledoit-wolf', got {estimator!r}")
    return PortfolioProblem(
        assets=names,
        expected_returns=values.mean(axis=0),
        covariance=cov,
        cardinality=cardinality,
        name=name,
        source=f"returns({values.shape[0]} periods, {estimator})",
        **kwargs,
    )
