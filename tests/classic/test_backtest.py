"""Walk-forward backtests against hand computation, including a QUBO strategy."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "qportfolio" / "examples"


def test_backtest_matches_a_hand_computed_buy_and_hold():
    from qportfolio.classic.backtest import backtest

    dates = pd.bdate_range("2024-01-01", periods=40)
    rng = np.random.default_rng(2)
    rets = pd.DataFrame(rng.normal(0.001, 0.01, size=(40, 3)), index=dates, columns=["a", "b", "c"])
    fixed = np.array([0.5, 0.3, 0.2])
    result = backtest(rets, lambda est, window: fixed, window=10, rebalance="annually", name="fixed")
    # rebalanced once (at the start): a buy-and-hold of the initial weights
    growth = (fixed * np.prod(1 + rets.iloc[10:].to_numpy(), axis=0)).sum()
    assert result.equity.iloc[-1] == pytest.approx(growth, rel=1e-12)
    assert len(result.weights) == 1 and result.stats["mean_turnover"] == 0.0
    dd = result.equity / result.equity.cummax() - 1
    assert result.stats["max_drawdown"] == pytest.approx(dd.min())
    summary = json.loads(json.dumps(result.to_dict()))
    assert summary["strategy"] == "fixed" and len(summary["equity"]) == len(result.equity)


def test_backtest_of_builtin_strategies_including_a_qubo_solver():
    from qportfolio.classic.backtest import backtest, compare
    from qportfolio.data.prices import read_table, returns_from_prices

    rets = returns_from_prices(read_table(EXAMPLES / "prices.csv"))
    results = [backtest(rets, s, window=126, rebalance="quarterly") for s in ("equal-weight", "min-variance", "risk-parity")]
    results.append(backtest(rets, "qubo:exact-discrete", window=126, rebalance="quarterly", cardinality=3, weight_step=0.25))
    table = compare(results)
    assert list(table.index) == ["equal-weight", "min-variance", "risk-parity", "qubo:exact-discrete"]
    assert (table["max_drawdown"] <= 0).all() and (table["annual_volatility"] > 0).all()
    qubo_weights = results[-1].weights
    assert ((qubo_weights > 1e-9).sum(axis=1) == 3).all()  # K = 3 at every rebalance
    assert table.loc["min-variance", "annual_volatility"] < table.loc["equal-weight", "annual_volatility"]
