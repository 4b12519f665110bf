"""Real market data available offline: price tables shipped inside other packages' wheels.

``sp500``: daily adjusted closes of 20 S&P 500 stocks, 1990-01-02 to 2022-12-28 (8 313 days),
and ``sp500-index``: the S&P 500 index over the same days, both from the files skfolio bundles
(``skfolio/datasets/data/*.csv.gz``). They are read straight from the installed package, without
importing skfolio and without network access; skfolio is the optional extra ``qportfolio[data]``.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError


@dataclass(frozen=True)
class Dataset:
    """A price table bundled by another package."""

    name: str
    package: str
    path: str  #: inside the package
    extra: str  #: qportfolio's optional extra that installs the package
    description: str


DATASETS: dict[str, Dataset] = {
    "sp500": Dataset("sp500", "skfolio", "datasets/data/sp500_dataset.csv.gz", "data",
                     "daily prices of 20 S&P 500 stocks, 1990-2022 (skfolio)"),
    "sp500-index": Dataset("sp500-index", "skfolio", "datasets/data/sp500_index.csv.gz", "data",
                           "daily S&P 500 index level, 1990-2022 (skfolio)"),
}


def is_dataset(source: str | Path) -> bool:
    """True when ``source`` names a bundled dataset rather than a file."""
    return isinstance(source, str) and source in DATASETS


def dataset_path(name: str) -> Path:
    """Where the installed package keeps dataset ``name``; a one-line error naming the extra when it is missing."""
    if name not in DATASETS:
        raise DataError(f"unknown dataset {name!r}; bundled datasets: {', '.join(DATASETS)}")
    ds = DATASETS[name]
    spec = importlib.util.find_spec(ds.package)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"dataset {name!r} is read from the {ds.package} package, which is not installed: "
                        f"pip install 'qportfolio[{ds.extra}]'")
    path = Path(next(iter(spec.submodule_search_locations))) / ds.path
    if not path.is_file():
        raise DataError(f"dataset {name!r}: {path} is missing from the installed {ds.package}; "
                        f"reinstall it (pip install --force-reinstall 'qportfolio[{ds.extra}]')")
    return path


def load_dataset(name: str) -> pd.DataFrame:
    """Dataset ``name`` as a price table: a DatetimeIndex named ``Date``, one float column per asset."""
    path = dataset_path(name)
    try:
        frame = pd.read_csv(path, parse_dates=["Date"], index_col="Date")
    except (ValueError, OSError) as exc:
        raise DataError(f"dataset {name!r}: {path} could not be read ({exc})") from None
    return frame.sort_index().astype(float)
