"""Prices and returns to expected returns and a covariance: readers, returns, estimators,
annualisation, and problems estimated from return histories (one place for all of it).

- Readers: a CSV of prices or returns with a date column (dates in an explicit format, ISO 8601
  by default), or a bundled dataset (``sp500``, :mod:`.datasets`).
- Returns: simple or log, with gaps, non-positive prices and non-finite returns refused.
- Estimators (:func:`estimate`, the one dispatch): ``sample`` (the unbiased sample covariance,
  ddof=1) or ``ledoit-wolf`` (Ledoit & Wolf 2004: shrinkage of the sample covariance towards a
  scaled identity with the optimal intensity delta* = min(1, b^2 / d^2) estimated from the data).
  A non-PSD matrix is refused unless ``repair=True`` asks for the nearest PSD matrix.
- Annualisation: ``periods_per_year`` (mean x P, covariance x P: 252 for daily data, 52 weekly,
  12 monthly), inferred from the dates by :func:`periods_per_year`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import DataError, ValidationError, one_line
from ..numerics.linalg import check_covariance, nearest_psd
from ..problem import PortfolioProblem
from .datasets import is_dataset, load_dataset

PERIODS = {"daily": 252, "weekly": 52, "monthly": 12, "quarterly": 4, "annual": 1}
ESTIMATORS = ("sample", "ledoit-wolf")


@dataclass(frozen=True)
class Estimate:
    """Estimated expected returns and covariance, with how they were estimated."""

    assets: tuple[str, ...]
    expected_returns: np.ndarray
    covariance: np.ndarray
    method: str
    periods_per_year: float
    shrinkage: float | None = None
    repair_change: float | None = None  #: Frobenius norm of the nearest-PSD repair (None: not repaired)


def read_table(path: str | Path, date_column: str | None = None, date_format: str = "ISO8601") -> pd.DataFrame:
    """A CSV of prices or returns with a date column (the first column by default) as a DataFrame.

    Dates are read with ``date_format`` (ISO 8601, ``2024-01-31``, by default; any strftime format,
    e.g. ``%d/%m/%Y``), never guessed row by row: a file whose dates do not follow it is refused."""
    file = Path(path)
    if not file.is_file():
        raise DataError(f"{file} does not exist")
    try:
        frame = pd.read_csv(file)
    except Exception as exc:
        raise DataError(f"{file}: not a readable CSV ({one_line(exc)})") from None
    column = date_column or frame.columns[0]
    if column not in frame.columns:
        raise DataError(f"{file}: no date column {column!r}; columns are {', '.join(frame.columns)}")
    try:
        frame[column] = pd.to_datetime(frame[column].astype(str), format=date_format)  # numbers are not dates
    except (ValueError, TypeError) as exc:
        raise DataError(f"{file}: column {column!r} does not hold dates in the format {date_format!r} ({one_line(exc)}); "
                        "name the date column with --date-column, or give the format with --date-format "
                        "(date_format=, e.g. %d/%m/%Y)") from None
    frame = frame.set_index(column).sort_index()
    bad = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c])]
    if bad:
        raise DataError(f"{file}: non-numeric column(s) {', '.join(map(str, bad))}; every column but the dates must hold numbers")
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise DataError(f"{file}: no data (needs a date column, at least one asset column and rows of numbers)")
    if frame.index.isna().any():
        raise DataError(f"{file}: a row has no date in column {column!r}")
    if frame.index.duplicated().any():
        raise DataError(f"{file}: date {frame.index[frame.index.duplicated()][0]} appears twice in column {column!r}")
    infinite = np.isinf(frame.to_numpy(dtype=float))
    if infinite.any():
        row, col = np.argwhere(infinite)[0]
        raise DataError(f"{file}: column {frame.columns[col]!r} holds an infinite value on {frame.index[row]}")
    return frame


def read_prices(source: str | Path, date_column: str | None = None, date_format: str = "ISO8601") -> pd.DataFrame:
    """A price table from a bundled dataset name (``sp500``: :mod:`qportfolio.data.datasets`) or a CSV path."""
    if is_dataset(source):
        if date_column is not None:
            raise ValidationError(f"--date-column does not apply to the bundled dataset {source!r} (its dates are known)")
        return load_dataset(str(source))
    return read_table(source, date_column, date_format)


def returns_from_prices(prices: pd.DataFrame, kind: Literal["simple", "log"] = "simple") -> pd.DataFrame:
    """Period returns from a price table (rows: dates). Missing or non-positive prices are refused."""
    if prices.isna().any().any():
        col = prices.columns[prices.isna().any()][0]
        raise ValidationError(f"prices of {col!r} have gaps; fill or drop them (prices.ffill()) before computing returns")
    if (prices <= 0).any().any():
        col = prices.columns[(prices <= 0).any()][0]
        raise ValidationError(f"prices of {col!r} must be positive")
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        out = (np.log(prices).diff() if kind == "log" else prices.pct_change()).iloc[1:]
    check_finite_returns(out, "returns computed from the prices")
    return out


def check_finite_returns(returns: pd.DataFrame, what: str = "returns") -> None:
    """Refuse NaN/inf in a returns table, naming the first asset and date (e.g. a price of 1e-320
    turns the next return into inf)."""
    values = returns.to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValidationError(f"{what}: {returns.columns[col]!r} on {returns.index[row]} is {values[row, col]}; "
                              "fix or drop that price/return")


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


def estimate(returns: pd.DataFrame | np.ndarray, method: Literal["sample", "ledoit-wolf"] = "ledoit-wolf", *,
             periods_per_year: float = 1.0, repair: bool = False) -> Estimate:
    """Expected returns (sample mean) and covariance of a returns table (rows: periods), optionally
    annualised: the one estimator dispatch of the library."""
    values, assets = _as_returns(returns)
    if method == "sample":
        cov, shrink = sample_covariance(values), None
    elif method == "ledoit-wolf":
        cov, shrink = ledoit_wolf(values)
    else:
        raise ValidationError(f"estimator must be one of {', '.join(ESTIMATORS)}, got {method!r}")
    change = None
    if repair:
        repaired = nearest_psd(cov)
        change, cov = float(np.linalg.norm(repaired - cov)), repaired
    cov = check_covariance(cov, len(assets), "covariance")
    if periods_per_year <= 0:
        raise ValidationError(f"periods_per_year must be positive, got {periods_per_year}")
    return Estimate(assets, values.mean(axis=0) * periods_per_year, cov * periods_per_year, method, periods_per_year, shrink,
                    change)


def periods_per_year(index: Any) -> float:
    """Periods per year implied by a DatetimeIndex's median spacing (252 for business days)."""
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 3:
        return 1.0
    days = float(np.median(np.diff(index.values).astype("timedelta64[D]").astype(float)))
    if days <= 1.5:
        return 252.0
    if days <= 8:
        return 52.0
    if days <= 32:
        return 12.0
    if days <= 95:
        return 4.0
    return 1.0


def problem_from_returns(
    returns: pd.DataFrame | np.ndarray,
    *,
    cardinality: int,
    estimator: Literal["sample", "ledoit-wolf"] = "ledoit-wolf",
    name: str = "returns",
    repair_covariance: bool = False,
    **kwargs: Any,
) -> PortfolioProblem:
    """Estimate mu and Sigma from returns (rows = periods, per period: not annualised) and build a
    problem; the estimator, its shrinkage, the periods and any covariance repair are its provenance."""
    values, _ = _as_returns(returns)
    est = estimate(returns, estimator, repair=repair_covariance)
    provenance: dict[str, Any] = {"estimator": estimator, "shrinkage": est.shrinkage, "periods": int(values.shape[0]),
                                  "annualized": False}
    if repair_covariance:
        provenance["covariance_repair"] = {"method": "nearest-psd", "frobenius_change": est.repair_change}
    shrink = "" if est.shrinkage is None else f", shrinkage {est.shrinkage:.4g}"
    return PortfolioProblem(
        assets=est.assets,
        expected_returns=est.expected_returns,
        covariance=est.covariance,
        cardinality=cardinality,
        name=name,
        source=f"returns({values.shape[0]} periods, {estimator}{shrink})" + (" +nearest-psd" if repair_covariance else ""),
        provenance=provenance,
        **kwargs,
    )
