"""data/datasets.py: the price tables read from skfolio's wheel, and the one-line errors when the
package or its file is missing."""

import importlib.util

import numpy as np
import pandas as pd
import pytest

from qportfolio.data import datasets
from qportfolio.data.datasets import DATASETS, Dataset, dataset_path, is_dataset, load_dataset
from qportfolio.errors import DataError

needs_skfolio = pytest.mark.skipif(importlib.util.find_spec("skfolio") is None, reason="the datasets ship with skfolio")


def test_is_dataset_only_for_bundled_names():
    assert is_dataset("sp500") and is_dataset("sp500-index")
    assert not is_dataset("sp500.csv") and not is_dataset("SP500")
    from pathlib import Path

    assert not is_dataset(Path("sp500"))  # a path is a file, even when named like a dataset


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(DataError, match="unknown dataset 'ftse'; bundled datasets: sp500, sp500-index"):
        dataset_path("ftse")


@needs_skfolio
def test_sp500_is_twenty_stocks_over_8313_days():
    prices = load_dataset("sp500")
    assert prices.shape == (8313, 20) and prices.index.name == "Date"
    assert isinstance(prices.index, pd.DatetimeIndex) and prices.index.is_monotonic_increasing
    assert prices.index[0] == pd.Timestamp("1990-01-02") and prices.index[-1] == pd.Timestamp("2022-12-28")
    assert set(prices.dtypes) == {np.dtype(float)} and np.isfinite(prices.to_numpy()).all() and (prices.to_numpy() > 0).all()
    index = load_dataset("sp500-index")
    assert index.shape == (8313, 1) and index.index.equals(prices.index)


def test_missing_package_names_the_extra(monkeypatch):
    monkeypatch.setattr(datasets.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DataError, match=r"skfolio package, which is not installed: pip install 'qportfolio\[data\]'"):
        load_dataset("sp500")


def test_missing_or_unreadable_file(monkeypatch):
    # the package is found (qportfolio itself), but the file is not there / is not a price CSV
    monkeypatch.setitem(DATASETS, "gone", Dataset("gone", "qportfolio", "no/such.csv.gz", "data", "-"))
    with pytest.raises(DataError, match="is missing from the installed qportfolio"):
        dataset_path("gone")
    monkeypatch.setitem(DATASETS, "json", Dataset("json", "qportfolio", "examples/demo.json", "data", "-"))
    with pytest.raises(DataError, match="could not be read"):
        load_dataset("json")
