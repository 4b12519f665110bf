"""From prices or returns (pandas, or a CSV with a date column) to expected returns and a covariance.

Estimators: ``sample`` (unbiased) or ``ledoit-wolf`` shrinkage (qportfolio.data.returns); a non-PSD
matrix is refused unless ``repair=True`` asks for the nearest PSD matrix; ``periods_per_year``
annualises (mean x P, covariance x P: 252 for daily data, 52 weekly, 12 monthly).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..data.returns import ledoit_wolf, sample_covariance
from ..errors import DataError, ValidationError, one_line
from ..linalg import check_covariance, nearest_psd

PERIODS = {"daily": 252, "weekly": 52, "monthly": 12, "quarterly": 4, "annual": 1}


@dataclass(frozen=True)
class Estimate:
    assets: tuple[str, ...]
    expected_returns: np.ndarray
    covariance: np.ndarray
    method: str
    periods_per_year: float
    shrinkage: float | None = None


def read_table(path: str | Path, date_column: str | None = None) -> pd.DataFrame:
    """A CSV of prices or returns with a date column (the first column by default) as a DataFrame."""
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
        frame[column] = pd.to_datetime(frame[column])
    except Exception:
        raise DataError(f"{file}: column {column!r} does not hold dates; name the date column with --date-column") from None
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


def read_prices(source: str | Path, date_column: str | None = None) -> pd.DataFrame:
    """A price table from a bundled dataset name (``sp500``: :mod:`qportfolio.data.datasets`) or a CSV path."""
    from ..data.datasets import is_dataset, load_dataset

    if is_dataset(source):
        if date_column is not None:
            raise ValidationError(f"--date-column does not apply to the bundled dataset {source!r} (its dates are known)")
        return load_dataset(str(source))
    return read_table(source, date_column)


def read_scores(path: str | Path, assets: tuple[str, ...]) -> np.ndarray:
    """One score per asset (ESG, a signal) from a JSON object ``{asset: score}`` or a CSV with columns
    ``asset,score``; every asset must have exactly one finite score, and no unknown asset may appear."""
    import json

    file = Path(path)
    if not file.is_file():
        raise DataError(f"scores file {file} does not exist")
    if file.suffix.lower() == ".json":
        try:
            raw = json.loads(file.read_text())
        except json.JSONDecodeError as exc:
            raise DataError(f"{file}: not valid JSON ({exc})") from None
        if not isinstance(raw, dict):
            raise DataError(f"{file}: expected a JSON object {{asset: score}}, got {type(raw).__name__}")
        pairs = list(raw.items())
    else:
        try:
            frame = pd.read_csv(file)
        except Exception as exc:
            raise DataError(f"{file}: not a readable CSV ({one_line(exc)})") from None
        if list(frame.columns[:2]) != ["asset", "score"] or frame.shape[1] != 2:
            raise DataError(f"{file}: expected the two columns asset,score; got {', '.join(map(str, frame.columns))}")
        pairs = list(zip(frame["asset"].astype(str), frame["score"]))
    scores: dict[str, float] = {}
    for asset, value in pairs:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not np.isfinite(value):
            raise DataError(f"{file}: score of {asset!r} must be a finite number, got {value!r}")
        if asset in scores:
            raise DataError(f"{file}: asset {asset!r} is scored twice")
        scores[str(asset)] = float(value)
    unknown = sorted(set(scores) - set(assets))
    if unknown:
        raise DataError(f"{file}: scores for unknown asset(s) {', '.join(unknown[:5])}; the assets are {', '.join(assets[:8])}"
                        + (" ..." if len(assets) > 8 else ""))
    missing = [a for a in assets if a not in scores]
    if missing:
        raise DataError(f"{file}: no score for asset(s) {', '.join(missing[:5])}" + (" ..." if len(missing) > 5 else "")
                        + "; give every asset a score")
    return np.array([scores[a] for a in assets])


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


def estimate(returns: pd.DataFrame | np.ndarray, method: Literal["sample", "ledoit-wolf"] = "ledoit-wolf", *,
             periods_per_year: float = 1.0, repair: bool = False) -> Estimate:
    """Expected returns (sample mean) and covariance of a returns table, optionally annualised."""
    frame = returns if isinstance(returns, pd.DataFrame) else pd.DataFrame(np.asarray(returns, dtype=float))
    assets = tuple(map(str, frame.columns))
    values = frame.to_numpy(dtype=float)
    if method == "sample":
        cov, shrink = sample_covariance(values), None
    elif method == "ledoit-wolf":
        cov, shrink = ledoit_wolf(values)
    else:
        raise ValidationError(f"method must be 'sample' or 'ledoit-wolf', got {method!r}")
    if repair:
        cov = nearest_psd(cov)
    cov = check_covariance(cov, len(assets), "covariance")
    if periods_per_year <= 0:
        raise ValidationError(f"periods_per_year must be positive, got {periods_per_year}")
    return Estimate(assets, values.mean(axis=0) * periods_per_year, cov * periods_per_year, method, periods_per_year, shrink)


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
