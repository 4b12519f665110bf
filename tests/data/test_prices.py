"""data/prices.py: reading price tables, returns by hand, the sampling frequency from the dates, and
annualised estimates (the estimators themselves are checked against scikit-learn in test_returns.py)."""

import numpy as np
import pandas as pd
import pytest

from qportfolio.data.prices import (
    Estimate,
    estimate,
    periods_per_year,
    problem_from_returns,
    read_prices,
    read_table,
    returns_from_prices,
)
from qportfolio.errors import DataError, ValidationError


def write(tmp_path, text, name="p.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_read_table_sorts_by_date_and_keeps_the_numbers(tmp_path):
    path = write(tmp_path, "Date,A,B\n2024-01-03,11,21\n2024-01-02,10,20\n2024-01-04,12.5,19\n")
    frame = read_table(path)
    assert list(frame.columns) == ["A", "B"] and frame.index.name == "Date"
    assert list(frame.index) == list(pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04"]))
    assert frame["A"].tolist() == [10, 11, 12.5]


def test_date_column_and_format_are_explicit(tmp_path):
    path = write(tmp_path, "A,when\n1,31/01/2024\n2,01/02/2024\n")
    frame = read_table(path, date_column="when", date_format="%d/%m/%Y")
    assert list(frame.index) == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-01")]
    with pytest.raises(DataError, match="does not hold dates in the format"):
        read_table(path, date_column="when")  # ISO by default: day-first dates are refused, not guessed
    with pytest.raises(DataError, match="no date column 'day'"):
        read_table(path, date_column="day")


@pytest.mark.parametrize("text, message", [
    ("Date,A\n2024-01-02,1\n2024-01-02,2\n", "appears twice"),
    ("Date,A,B\n2024-01-02,1,x\n2024-01-03,2,y\n", "non-numeric column\\(s\\) B"),
    ("Date,A\n2024-01-02,1\n2024-01-03,inf\n", "'A' holds an infinite value"),
    ("Date\n2024-01-02\n2024-01-03\n", "no data"),  # dates but no asset column
    ("Date,A\n", "A"),  # a header without rows (refused; today the message calls A non-numeric)
    ("Date,A\n1,2\n3,4\n", "does not hold dates"),
])
def test_bad_tables_are_refused(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        read_table(write(tmp_path, text))


def test_missing_file_and_dataset_names(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        read_prices(tmp_path / "none.csv")
    with pytest.raises(ValidationError, match="does not apply to the bundled dataset 'sp500'"):
        read_prices("sp500", date_column="Date")


def test_returns_by_hand():
    prices = pd.DataFrame({"A": [100.0, 110.0, 99.0], "B": [50.0, 50.0, 100.0]},
                          index=pd.date_range("2024-01-01", periods=3))
    simple = returns_from_prices(prices)
    assert np.allclose(simple.to_numpy(), [[0.1, 0.0], [-0.1, 1.0]])
    assert list(simple.index) == list(prices.index[1:])
    log = returns_from_prices(prices, "log")
    assert np.allclose(log.to_numpy(), np.log([[1.1, 1.0], [0.9, 2.0]]))


def test_returns_refuse_gaps_non_positive_and_overflowing_prices():
    index = pd.date_range("2024-01-01", periods=3)
    with pytest.raises(ValidationError, match="prices of 'B' have gaps"):
        returns_from_prices(pd.DataFrame({"A": [1.0, 2, 3], "B": [1.0, np.nan, 3]}, index=index))
    with pytest.raises(ValidationError, match="prices of 'A' must be positive"):
        returns_from_prices(pd.DataFrame({"A": [1.0, 0.0, 3]}, index=index))
    with pytest.raises(ValidationError, match=r"'A' on .* is inf"):
        returns_from_prices(pd.DataFrame({"A": [1.0, 1e-320, 3]}, index=index))


@pytest.mark.parametrize("freq, expected", [("B", 252), ("D", 252), ("W", 52), ("MS", 12), ("QS", 4), ("YS", 1)])
def test_periods_per_year_from_the_spacing_of_the_dates(freq, expected):
    assert periods_per_year(pd.date_range("2020-01-01", periods=30, freq=freq)) == expected


def test_periods_per_year_without_dates_is_one():
    assert periods_per_year(pd.RangeIndex(30)) == 1.0
    assert periods_per_year(pd.date_range("2020-01-01", periods=2)) == 1.0


def test_estimate_annualises_the_mean_and_the_covariance():
    rng = np.random.default_rng(0)
    returns = pd.DataFrame(rng.normal(0.001, 0.02, size=(80, 4)), columns=list("ABCD"))
    est = estimate(returns, "sample", periods_per_year=252)
    assert isinstance(est, Estimate) and est.assets == ("A", "B", "C", "D") and est.shrinkage is None
    assert np.allclose(est.expected_returns, 252 * returns.mean().to_numpy())
    assert np.allclose(est.covariance, 252 * np.cov(returns.to_numpy(), rowvar=False))
    lw = estimate(returns)
    assert lw.method == "ledoit-wolf" and 0 <= lw.shrinkage <= 1 and lw.periods_per_year == 1.0
    repaired = estimate(returns, "sample", repair=True)  # already PSD: the repair changes (almost) nothing
    assert repaired.repair_change == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValidationError, match="estimator must be one of sample, ledoit-wolf"):
        estimate(returns, "shrunk")
    with pytest.raises(ValidationError, match="periods_per_year must be positive"):
        estimate(returns, periods_per_year=0)
    with pytest.raises(ValidationError, match="at least 2 periods"):
        estimate(returns.iloc[:1])


def test_problem_from_returns_records_its_provenance():
    returns = np.random.default_rng(1).normal(0.0, 0.01, size=(40, 5))
    problem = problem_from_returns(returns, cardinality=2, estimator="sample", repair_covariance=True, name="mine")
    assert problem.assets == tuple(f"asset-{i}" for i in range(1, 6)) and problem.name == "mine"
    assert problem.provenance["periods"] == 40 and problem.provenance["estimator"] == "sample"
    assert problem.provenance["covariance_repair"]["method"] == "nearest-psd"
    assert problem.source.startswith("returns(40 periods, sample)") and problem.source.endswith("+nearest-psd")
    assert np.allclose(problem.covariance, np.cov(returns, rowvar=False), atol=1e-12)
