"""Walk-forward backtests: re-estimate on a rolling window, rebalance on a calendar, hold in between.

A strategy maps an :class:`~qportfolio.data.prices.Estimate` of the trailing window to weights. Built-ins:
``equal-weight``, ``min-variance``, ``max-sharpe``, ``risk-parity``, ``min-cvar`` (on the window's
return scenarios) and ``qubo:<solver>`` — the cardinality-constrained problem of the core (K assets
on a weight grid) solved by any registered solver (``qubo:sa``, ``qubo:exact-discrete``, ...).
Between rebalances the weights drift with prices. Figures: annualised return and volatility,
Sharpe ratio, maximum drawdown, average turnover per rebalance (one-way: 1/2 sum |w_new - w_old|).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..data.prices import Estimate, check_finite_returns, estimate
from ..errors import ValidationError
from ..status import jsonable
from ..utils.display import held_rows, table
from .constraints import LONG_ONLY, Constraints
from .market import Market
from .strategies import STRATEGIES, backtested, run_strategy

FREQUENCIES = {"monthly": "ME", "quarterly": "QE", "annually": "YE", "weekly": "W-FRI"}

Strategy = Callable[[Estimate, pd.DataFrame], np.ndarray]


def _qubo_strategy(solver: str, cardinality: int, weight_step: float, risk_aversion: float, options: dict[str, Any]) -> Strategy:
    from ..solvers import get

    get(solver).validate_options(options)  # refused now, naming the option, not in the first window

    def run(est: Estimate, window: pd.DataFrame) -> np.ndarray:
        from ..problem import PortfolioProblem
        from ..solvers import solve

        problem = PortfolioProblem(assets=est.assets, expected_returns=est.expected_returns, covariance=est.covariance,
                                   cardinality=cardinality, risk_aversion=risk_aversion, weight_step=weight_step,
                                   min_weight=weight_step, name="backtest-window")
        result = solve(problem, solver, **options)
        if not result.feasible:
            raise ValidationError(f"qubo:{solver} returned no feasible portfolio in a window; "
                                  "raise num_reads or pass repair=True")
        return result.weights

    return run


#: the classical strategies a backtest runs (:data:`~.strategies.STRATEGIES` that need no parameter of their own)
BUILT_IN = backtested()
#: those of them that take a :class:`Constraints`
CONSTRAINED = tuple(name for name in BUILT_IN if STRATEGIES[name].constrained)


def strategy(name: str, *, risk_free: float = 0.0, constraints: Constraints | None = None, cardinality: int = 5,
             weight_step: float = 0.05, risk_aversion: float = 0.5, alpha: float = 0.95,
             options: dict[str, Any] | None = None) -> Strategy:
    """A named strategy (see the module docstring); ``constraints`` apply to the strategies of
    :data:`CONSTRAINED` and are refused by the others, ``options`` go to a ``qubo:<solver>``."""
    if constraints is not None and name not in CONSTRAINED:
        raise ValidationError(f"strategy {name} takes no constraints; those that do: {', '.join(CONSTRAINED)}")
    if options and not name.startswith("qubo:"):
        raise ValidationError(f"options ({', '.join(options)}) go to qubo:<solver> strategies; {name} takes none")
    if name.startswith("qubo:"):
        return _qubo_strategy(name.split(":", 1)[1], cardinality, weight_step, risk_aversion, dict(options or {}))
    if name not in BUILT_IN:
        raise ValidationError(f"strategy must be one of {', '.join(BUILT_IN)} or qubo:<solver>, got {name!r}")
    entry = STRATEGIES[name]
    c = (LONG_ONLY if constraints is None else constraints) if entry.constrained else None
    parameters = {k: v for k, v in {"risk_free": risk_free, "alpha": alpha}.items() if k in entry.parameters}

    def run(est: Estimate, window: pd.DataFrame) -> np.ndarray:
        market = Market(est.expected_returns, est.covariance, est.assets, window.to_numpy())
        return run_strategy(name, market, constraints=c, **parameters).weights

    return run


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """A strategy's walk-forward history: a time series, not one portfolio, so not a
    :class:`~qportfolio.status.PortfolioAnswer`; ``to_dict()`` is JSON-safe like every result's."""

    strategy: str
    equity: pd.Series  # portfolio value, starting at 1
    weights: pd.DataFrame  # target weights at each rebalance date
    turnover: pd.Series  # one-way turnover at each rebalance
    periods_per_year: float
    stats: dict[str, float] = field(default_factory=dict)

    def to_pandas(self) -> pd.DataFrame:
        """The history by date: ``equity`` and ``turnover`` (NaN between rebalances) and the target weights."""
        frame = pd.DataFrame({"equity": self.equity, "turnover": self.turnover})
        return frame.join(self.weights, how="left")

    def _repr_html_(self) -> str:
        labels = {"annual_return": "annual return", "annual_volatility": "annual volatility", "sharpe": "Sharpe",
                  "max_drawdown": "max drawdown", "total_return": "total return (× start − 1)",
                  "mean_turnover": "mean turnover"}
        figures = {labels.get(k, k): v for k, v in self.stats.items()}
        last = self.weights.iloc[-1] if len(self.weights) else pd.Series(dtype=float)
        rows = held_rows({str(a): float(w) for a, w in last.items() if w != 0})
        span = f"{self.equity.index[0].date()} … {self.equity.index[-1].date()}" if len(self.equity) else ""
        return table(f"Backtest: {self.strategy} ({span})", figures, ("asset", "last target weight"), rows)

    def __repr__(self) -> str:
        return f"BacktestResult(strategy={self.strategy!r}, periods={len(self.equity)}, rebalances={len(self.weights)})"

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "strategy": self.strategy, "stats": self.stats, "periods_per_year": self.periods_per_year,
            "equity": {str(k.date()): v for k, v in self.equity.items()},
            "weights": {str(k.date()): row.to_dict() for k, row in self.weights.iterrows()},
            "turnover": {str(k.date()): v for k, v in self.turnover.items()},
        })


def performance(equity: pd.Series, periods_per_year: float, turnover: pd.Series | None = None,
                risk_free: float = 0.0) -> dict[str, float]:
    """Annualised return (geometric: what the money did) and volatility, the annualised Sharpe ratio,
    maximum drawdown, total return (fractions), mean turnover.

    The Sharpe ratio is the classical one (Sharpe 1994), the same as the classical toolkit's
    annualised figure: (mean period return x P - risk_free) / (std x sqrt(P)), ``risk_free`` a year."""
    rets = equity.pct_change().dropna()
    years = len(rets) / periods_per_year
    total = float(equity.iloc[-1] / equity.iloc[0])
    ann_ret = total ** (1 / years) - 1 if years > 0 else float("nan")
    ann_vol = float(rets.std(ddof=1) * math.sqrt(periods_per_year)) if len(rets) > 1 else float("nan")
    ann_mean = float(rets.mean() * periods_per_year) if len(rets) else float("nan")
    drawdown = equity / equity.cummax() - 1
    return {"annual_return": ann_ret, "annual_volatility": ann_vol,
            "sharpe": (ann_mean - risk_free) / ann_vol if ann_vol and ann_vol > 0 else float("nan"),
            "max_drawdown": float(drawdown.min()), "total_return": total - 1,
            "mean_turnover": float(turnover.mean()) if turnover is not None and len(turnover) else 0.0}


def backtest(returns: pd.DataFrame, strategy_fn: Strategy | str, *, window: int = 252, rebalance: str = "quarterly",
             method: str = "ledoit-wolf", periods_per_year: float = 252.0, risk_free: float = 0.0, name: str | None = None,
             **strategy_options: Any) -> BacktestResult:
    """Walk forward over ``returns`` (rows: dates): estimate on the last ``window`` rows at each rebalance.

    ``risk_free`` is a rate a year: the Sharpe ratio uses it as is, and a named strategy that needs a
    rate (max-sharpe, on per-period estimates) gets ``risk_free / periods_per_year``. The other
    ``strategy_options`` go to :func:`strategy` (constraints, cardinality, options, ...)."""
    if not isinstance(returns.index, pd.DatetimeIndex):
        raise ValidationError("returns must be indexed by dates (a DatetimeIndex) to rebalance on a calendar")
    check_finite_returns(returns)
    if rebalance not in FREQUENCIES:
        raise ValidationError(f"rebalance must be one of {', '.join(FREQUENCIES)}, got {rebalance!r}")
    if window < 2 or window >= len(returns):
        raise ValidationError(f"window must be between 2 and the number of periods - 1 ({len(returns) - 1}), got {window}")
    label = name or (strategy_fn if isinstance(strategy_fn, str) else getattr(strategy_fn, "__name__", "custom"))
    if isinstance(strategy_fn, str):
        fn = strategy(strategy_fn, risk_free=risk_free / periods_per_year, **strategy_options)
    elif strategy_options:
        raise ValidationError(f"strategy options ({', '.join(strategy_options)}) apply to named strategies; "
                              "a strategy function takes its own")
    else:
        fn = strategy_fn
    dates = returns.index
    period_ends = set(returns.groupby(pd.Grouper(freq=FREQUENCIES[rebalance])).tail(1).index)
    value, w_held = 1.0, None
    equity, targets, turns = [], {}, {}
    for t in range(window, len(dates)):
        date = dates[t - 1]
        if w_held is None or date in period_ends:
            est = estimate(returns.iloc[t - window:t], method, periods_per_year=1.0)
            target = np.asarray(fn(est, returns.iloc[t - window:t]), dtype=float)
            turns[date] = 0.5 * float(np.abs(target - w_held).sum()) if w_held is not None else 0.0
            targets[date] = target
            w_held = target
        r = returns.iloc[t].to_numpy(dtype=float)
        growth = float(w_held @ (1 + r))
        value *= growth
        w_held = w_held * (1 + r) / growth if growth != 0 else w_held
        equity.append((dates[t], value))
    curve = pd.Series([1.0] + [v for _, v in equity], index=[dates[window - 1]] + [d for d, _ in equity], name=label)
    weights = pd.DataFrame(targets, index=returns.columns).T
    turnover = pd.Series(turns, name="turnover").iloc[1:]
    return BacktestResult(label, curve, weights, turnover, periods_per_year,
                          performance(curve, periods_per_year, turnover, risk_free=risk_free))


def compare(results: list[BacktestResult]) -> pd.DataFrame:
    """One row per strategy: the performance figures."""
    return pd.DataFrame([{"strategy": r.strategy, **r.stats} for r in results]).set_index("strategy")


def plot_equity(results: list[BacktestResult], path: str | None = None, title: str = "Backtest"):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for r in results:
        ax.plot(r.equity.index, r.equity.values, label=f"{r.strategy} (annual Sharpe {r.stats['sharpe']:.2f})")
    ax.set_yscale("log")  # decades of compounding: equal ratios, equal heights
    ax.set_ylabel("portfolio value (start = 1, log scale)")
    ax.set_xlabel("date")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=110)
    plt.close(fig)
    return fig
