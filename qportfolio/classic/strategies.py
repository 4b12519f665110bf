"""The classical strategies, declared once: name -> function, the inputs it reads, the parameters a
caller sets, whether it takes constraints, and a one-line description.

The ``qportfolio classic`` command builds one subcommand per entry and the walk-forward backtest
offers the entries that need no parameter of their own; :func:`run_strategy` calls any entry the same
way on a :class:`~.market.Market`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from .constraints import Constraints
from .market import Market
from .mean_variance import equal_weight, max_return_for_volatility, min_variance, min_variance_for_return
from .result import PortfolioResult
from .risk_parity import risk_budgeting
from .scores import score_tradeoff
from .sharpe import max_sharpe
from .tail_risk import min_cvar

#: What a strategy may read from a :class:`Market`, passed positionally in the order it lists them.
INPUTS = ("expected_returns", "covariance", "scenarios")


@dataclass(frozen=True)
class ClassicStrategy:
    """One entry of the table: ``function(*inputs, assets=..., [constraints=...], **parameters)``."""

    name: str
    function: Callable[..., PortfolioResult]
    description: str
    inputs: tuple[str, ...] = ("expected_returns", "covariance")
    parameters: tuple[str, ...] = ()  #: keyword parameters a caller sets (a default, if any, is the function's)
    constrained: bool = True  #: takes a :class:`Constraints` (bounds, leverage, a cardinality limit, ...)

    @property
    def required(self) -> tuple[str, ...]:
        """The parameters without a default in the function's signature: a caller must give them."""
        signature = inspect.signature(self.function).parameters
        return tuple(p for p in self.parameters if signature[p].default is inspect.Parameter.empty)


STRATEGIES: dict[str, ClassicStrategy] = {s.name: s for s in (
    ClassicStrategy("equal-weight", equal_weight, "1/n in every asset", constrained=False),
    ClassicStrategy("min-variance", min_variance, "the minimum-variance portfolio"),
    ClassicStrategy("max-sharpe", max_sharpe, "the maximum-Sharpe (tangency) portfolio", parameters=("risk_free",)),
    ClassicStrategy("risk-parity", risk_budgeting, "equal risk contributions", constrained=False),
    ClassicStrategy("min-variance-for-return", min_variance_for_return, "the minimum variance at a target expected return",
                    parameters=("target_return",)),
    ClassicStrategy("max-return-for-volatility", max_return_for_volatility,
                    "the highest expected return within a volatility budget", parameters=("target_volatility",)),
    ClassicStrategy("min-cvar", min_cvar, "the minimum CVaR on the return scenarios of --prices", inputs=("scenarios",),
                    parameters=("alpha",)),
    ClassicStrategy("score-tradeoff", score_tradeoff, "risk against a per-asset score (ESG, a signal): min w'Sigma w - t score'w",
                    parameters=("score", "tradeoff")),
)}


def backtested() -> tuple[str, ...]:
    """The strategies a walk-forward backtest can run on each window: those that need no parameter of their own."""
    return tuple(name for name, s in STRATEGIES.items() if not s.required)


def get_strategy(name: str) -> ClassicStrategy:
    """The table's entry for ``name``; an unknown name is refused listing the known ones."""
    if name not in STRATEGIES:
        raise ValidationError(f"strategy must be one of {', '.join(STRATEGIES)}, got {name!r}")
    return STRATEGIES[name]


def run_strategy(name: str, market: Market, *, constraints: Constraints | None = None,
                 **parameters: Any) -> PortfolioResult:
    """The portfolio of strategy ``name`` on ``market``, labelled with the market's units.

    A strategy that works on the per-period scenarios (min-cvar) reports its expected return and
    volatility under the market's estimates (e.g. annualised); its CVaR stays per period."""
    strategy = get_strategy(name)
    if constraints is not None and not strategy.constrained:
        raise ValidationError(f"strategy {name} takes no constraints; those that do: "
                              f"{', '.join(n for n, s in STRATEGIES.items() if s.constrained)}")
    unknown = sorted(set(parameters) - set(strategy.parameters))
    if unknown:
        takes = ", ".join(strategy.parameters) or "none"
        raise ValidationError(f"strategy {name} takes no parameter {', '.join(unknown)} (it takes: {takes})")
    missing = [p for p in strategy.required if parameters.get(p) is None]
    if missing:
        raise ValidationError(f"strategy {name} needs {', '.join(missing)}")
    values = {"expected_returns": market.expected_returns, "covariance": market.covariance, "scenarios": market.scenarios}
    if "scenarios" in strategy.inputs and market.scenarios is None:
        raise ValidationError(f"{name} needs return scenarios (a market estimated from returns, not from moments)")
    keywords = {k: v for k, v in parameters.items() if v is not None}
    if constraints is not None:
        keywords["constraints"] = constraints
    result = strategy.function(*(values[i] for i in strategy.inputs), assets=market.assets, **keywords)
    if "scenarios" in strategy.inputs:
        result = result.restated(market.expected_returns, market.covariance)
    return result.with_units(market.units)
