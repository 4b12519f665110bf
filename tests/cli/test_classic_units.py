"""The classical commands agree with each other on units (annualised Sharpe ratios)."""

import json
from pathlib import Path

import pytest

from qportfolio.cli import main
from qportfolio.cli.args import demo_spec_path


def test_classic_and_backtest_give_the_same_annual_sharpe_for_the_same_weights(capsys):
    """classic's Sharpe (sample estimates, annualised) is the backtest's for the same weights held
    (rebalanced every period) over the same prices: (mean excess x P) / (std x sqrt P)."""
    import numpy as np
    import pandas as pd

    from qportfolio.classic.backtest import performance
    from qportfolio.data.prices import periods_per_year, read_prices, returns_from_prices

    prices_csv = str(Path(demo_spec_path()).with_name("prices.csv"))
    assert main(["classic", "max-sharpe", "--prices", prices_csv, "--estimator", "sample", "--risk-free", "0.02",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["units"]["annualized"] and "sharpe_per_period" not in out
    rets = returns_from_prices(read_prices(prices_csv, None, "ISO8601"))
    w = np.array([out["weights"].get(a, 0.0) for a in rets.columns])
    equity = pd.Series(np.concatenate([[1.0], (1 + rets.to_numpy() @ w).cumprod()]))
    held = performance(equity, periods_per_year(rets.index), risk_free=0.02)
    assert out["sharpe_annual"] == pytest.approx(held["sharpe"], rel=1e-9)

