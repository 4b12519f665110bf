"""The one table of classical strategies: every entry runs as its function does, the CLI and the
backtest offer exactly its names, and the table refuses what an entry does not take."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.classic import max_sharpe, min_cvar, min_variance_for_return
from qportfolio.classic.backtest import CONSTRAINED
from qportfolio.classic.constraints import Constraints
from qportfolio.classic.market import Market
from qportfolio.classic.strategies import STRATEGIES, backtested, get_strategy, run_strategy
from qportfolio.errors import ValidationError

PARAMETERS = {"target_return": None, "target_volatility": 0.12, "score": None, "tradeoff": 0.01, "risk_free": 0.0005,
              "alpha": 0.9}


@pytest.fixture
def scenario_market():
    rng = np.random.default_rng(7)
    scenarios = rng.normal(0.003, 0.02, size=(120, 5)) + np.linspace(0, 0.002, 5)
    mu, cov = scenarios.mean(axis=0), np.cov(scenarios, rowvar=False)
    return Market(52 * mu, 52 * cov, tuple("abcde"), scenarios, {"annualized": True, "periods_per_year": 52})


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_every_entry_runs_as_its_function_does(name, scenario_market):
    m = scenario_market
    s = STRATEGIES[name]
    params = {p: (np.linspace(0, 1, 5) if p == "score" else PARAMETERS[p]) for p in s.parameters}
    if name == "min-variance-for-return":
        params["target_return"] = float(np.median(m.expected_returns))
    r = run_strategy(name, m, **params)
    inputs = {"expected_returns": m.expected_returns, "covariance": m.covariance, "scenarios": m.scenarios}
    direct = s.function(*(inputs[i] for i in s.inputs), assets=m.assets, **params)
    np.testing.assert_allclose(r.weights, direct.weights, atol=1e-8)
    assert r.units == m.units and r.assets == m.assets
    w = r.weights  # figures in the market's units, whatever the strategy worked on
    assert r.expected_return == pytest.approx(m.expected_returns @ w)
    assert r.volatility == pytest.approx(np.sqrt(w @ m.covariance @ w))


def test_min_cvar_keeps_its_per_period_cvar_and_reports_annual_figures(scenario_market):
    m = scenario_market
    r = run_strategy("min-cvar", m, alpha=0.9)
    direct = min_cvar(m.scenarios, alpha=0.9)
    assert r.objective == pytest.approx(direct.objective)
    assert r.expected_return == pytest.approx(52 * direct.expected_return)


def test_constraints_and_parameters_go_where_the_table_says(scenario_market):
    m = scenario_market
    c = Constraints(upper=0.3)
    r = run_strategy("max-sharpe", m, constraints=c, risk_free=0.0)
    np.testing.assert_allclose(r.weights, max_sharpe(m.expected_returns, m.covariance, risk_free=0.0, constraints=c).weights)
    with pytest.raises(ValidationError, match="takes no constraints"):
        run_strategy("risk-parity", m, constraints=c)
    with pytest.raises(ValidationError, match="takes no parameter alpha"):
        run_strategy("min-variance", m, alpha=0.9)
    with pytest.raises(ValidationError, match="needs target_return"):
        run_strategy("min-variance-for-return", m)
    with pytest.raises(ValidationError, match="needs return scenarios"):
        run_strategy("min-cvar", Market(m.expected_returns, m.covariance, m.assets))
    with pytest.raises(ValidationError, match="must be one of equal-weight"):
        get_strategy("max-return")
    target = float(np.median(m.expected_returns))
    np.testing.assert_allclose(run_strategy("min-variance-for-return", m, target_return=target).weights,
                               min_variance_for_return(m.expected_returns, m.covariance, target_return=target,
                                                       assets=m.assets).weights)


def test_the_cli_and_the_backtest_read_the_table():
    from qportfolio.cli.classic import STRATEGY_FLAGS, STRATEGY_HELP

    assert list(STRATEGY_HELP) == list(STRATEGIES)
    assert backtested() == ("equal-weight", "min-variance", "max-sharpe", "risk-parity", "min-cvar")
    assert CONSTRAINED == ("min-variance", "max-sharpe", "min-cvar")
    assert STRATEGY_FLAGS == {"--target-return": "min-variance-for-return", "--target-volatility": "max-return-for-volatility",
                              "--alpha": "min-cvar", "--scores": "score-tradeoff", "--tradeoff": "score-tradeoff",
                              "--sweep": "score-tradeoff", "--plot": "score-tradeoff"}
    assert get_strategy("min-variance-for-return").required == ("target_return",)
    assert get_strategy("min-cvar").required == ()
