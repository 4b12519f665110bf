"""The answer of every classical strategy: :class:`PortfolioResult`, its figures and how it is built.

A result carries the weights by asset, the expected return and volatility they imply, the value of
the criterion the strategy optimises (:data:`CRITERIA`), the solver's status and shadow prices, and
each asset's share of the variance (:func:`risk_contributions`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..status import Status, jsonable, weights_by_asset
from ..utils.display import held_rows, table


@dataclass(frozen=True, eq=False)
class PortfolioResult:
    """A classical portfolio: weights by asset, its figures, the solver's status and shadow prices.

    Shares its field names and meanings with the core :class:`qportfolio.Result`
    (:class:`qportfolio.status.PortfolioAnswer`). ``objective`` is the value of the criterion the
    strategy optimises, named by ``objective_name`` (``variance``, ``sharpe_ratio``, ``cvar``,
    ``expected_return``, ...), minimised or maximised as ``sense`` says; strategies that optimise
    nothing (equal weight, risk budgeting: a system of equations) have ``objective`` None.
    """

    strategy: str
    assets: tuple[str, ...]
    weights: np.ndarray
    expected_return: float | None
    volatility: float
    objective: float | None
    status: Status
    objective_name: str | None = None
    sense: str | None = None
    duals: dict[str, float] = field(default_factory=dict)
    risk_contributions: np.ndarray | None = None
    solver: str = ""
    wall_time: float = 0.0
    message: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))

    def weights_by_asset(self, tol: float | None = 0.0) -> dict[str, float]:
        """{asset: weight} of the positions with ``|weight| > tol``; ``tol=None`` keeps every asset."""
        return weights_by_asset(self.assets, self.weights, tol)

    def sharpe(self, risk_free: float = 0.0) -> float | None:
        if self.expected_return is None or self.volatility == 0:
            return None
        return (self.expected_return - risk_free) / self.volatility

    @property
    def risk_free(self) -> float | None:
        """The risk-free rate the result was reported against (``info["risk_free"]``), if any."""
        value = self.info.get("risk_free")
        return None if value is None else float(value)

    def with_risk_free(self, risk_free: float | None) -> PortfolioResult:
        """The same result, reported with its Sharpe ratio against ``risk_free`` (None: unchanged)."""
        if risk_free is None:
            return self
        return replace(self, info={**self.info, "risk_free": float(risk_free)})

    def with_units(self, units: dict[str, Any]) -> PortfolioResult:
        """The same result, labelled with what a period is (``{"annualized": bool, "periods_per_year": P}``)."""
        return replace(self, info={**self.info, "units": dict(units)})

    def restated(self, expected_returns: np.ndarray, covariance: np.ndarray) -> PortfolioResult:
        """The same weights with their expected return and volatility under other estimates (e.g. the
        annualised ones, for a portfolio found on per-period scenarios); the objective is left as it was."""
        w = self.weights
        return replace(self, expected_return=float(np.asarray(expected_returns, dtype=float) @ w),
                       volatility=math.sqrt(max(float(w @ np.asarray(covariance, dtype=float) @ w), 0.0)))

    @property
    def units(self) -> dict[str, Any]:
        """What a period is: ``{"annualized": bool, "periods_per_year": P or None}`` (``info["units"]``;
        per period, P unknown, when the caller did not say)."""
        return dict(self.info.get("units") or {"annualized": False, "periods_per_year": None})

    def to_dict(self) -> dict[str, Any]:
        rf = self.risk_free
        sharpe_key = "sharpe_annual" if self.units["annualized"] else "sharpe_per_period"
        return jsonable({
            "strategy": self.strategy, "status": self.status, "weights": self.weights_by_asset(),
            "expected_return": self.expected_return, "volatility": self.volatility,
            sharpe_key: None if rf is None else self.sharpe(rf), "risk_free": rf, "units": self.units,
            "objective": self.objective, "objective_name": self.objective_name, "sense": self.sense, "duals": self.duals,
            "solver": self.solver, "wall_s": self.wall_time, "message": self.message,
            "risk_contributions": None if self.risk_contributions is None else dict(zip(self.assets, self.risk_contributions)),
            "info": self.info})

    def to_pandas(self):
        """The positions as a DataFrame indexed by asset (``weight``, and ``risk_contribution`` when known)."""
        import pandas as pd

        frame = pd.DataFrame({"weight": self.weights}, index=pd.Index(self.assets, name="asset"))
        if self.risk_contributions is not None:
            frame["risk_contribution"] = self.risk_contributions
        return frame[frame["weight"] != 0].sort_values("weight", key=abs, ascending=False)

    def _repr_html_(self) -> str:
        figures: dict[str, Any] = {"status": str(self.status), "expected return": self.expected_return,
                                   "volatility": self.volatility}
        if self.objective is not None:
            figures[f"{self.objective_name} ({self.sense})"] = self.objective
        if self.risk_free is not None:
            figures[f"Sharpe (risk-free {self.risk_free:g})"] = self.sharpe(self.risk_free)
        figures["wall time (s)"] = self.wall_time
        return table(f"{self.strategy} ({self.solver})", figures, ("asset", "weight"),
                     held_rows(self.weights_by_asset(1e-9)), self.message)

    def __repr__(self) -> str:
        return (f"PortfolioResult(strategy={self.strategy!r}, status={self.status.value!r}, "
                f"volatility={self.volatility:.6g}, held={int(np.count_nonzero(self.weights))} of {len(self.assets)})")

    def __str__(self) -> str:
        annual = self.units["annualized"]
        period = "a year" if annual else "per period"

        def pct(value: float | None) -> str:
            return "—" if value is None else f"{100 * value:.4g} % {period}"

        per = ", per period of the scenarios" if self.objective_name == "cvar" and annual else ""
        obj = "" if self.objective is None else f"   {self.objective_name} {self.objective:.6g} ({self.sense}{per})"
        lines = [f"strategy    {self.strategy}   status {self.status}   solver {self.solver}",
                 f"return      {pct(self.expected_return)}   volatility {pct(self.volatility)}{obj}"]
        rf = self.risk_free
        if rf is not None:
            sharpe = self.sharpe(rf)
            shown = "—" if sharpe is None else f"{sharpe:.4g}"
            lines.append(f"sharpe      {shown} ({'annual' if annual else 'per period'}: excess return over a risk-free "
                         f"{100 * rf:g} % {period} / volatility)")
        if self.message:
            lines.append(f"message     {self.message}")
        lines.append("weights")
        lines += [f"  {a:<10}{w:>10.4f}" for a, w in self.weights_by_asset(1e-9).items()]
        if self.duals:
            lines.append("shadow prices")
            lines += [f"  {k:<24}{v:>12.6g}" for k, v in self.duals.items()]
        return "\n".join(lines)


def risk_contributions(weights: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """Each asset's share of the portfolio variance: w_i (Sigma w)_i / w' Sigma w (sums to 1)."""
    w = np.asarray(weights, dtype=float)
    var = float(w @ cov @ w)
    return w * (cov @ w) / var if var > 0 else np.full(w.size, np.nan)


#: What each strategy optimises: (objective_name, sense); absent: it optimises nothing.
CRITERIA = {
    "min-variance": ("variance", "min"),
    "min-variance-for-return": ("variance", "min"),
    "max-return-for-volatility": ("expected_return", "max"),
    "max-sharpe": ("sharpe_ratio", "max"),
    "min-cvar": ("cvar", "min"),
    "score-tradeoff": ("variance - tradeoff * score", "min"),
}


def make_result(strategy: str, assets: tuple[str, ...], w: np.ndarray, mu: np.ndarray | None, cov: np.ndarray,
                objective: float | None, status: Status | str, duals: dict[str, float], solver: str, start: float,
                info: dict[str, Any] | None = None) -> PortfolioResult:
    """The result of weights ``w``: figures from ``mu`` and ``cov``, the criterion from :data:`CRITERIA`,
    the wall time since ``start``."""
    w = np.asarray(w, dtype=float)
    vol = math.sqrt(max(float(w @ cov @ w), 0.0))
    status = Status.from_cvxpy(status) if not isinstance(status, Status) else status
    name, sense = CRITERIA.get(strategy, (None, None))
    message = "" if status == Status.OPTIMAL else f"the solver reported {status.value}: the optimum is not proven to tolerance"
    return PortfolioResult(strategy=strategy, assets=assets, weights=w, expected_return=None if mu is None else float(mu @ w),
                           volatility=vol, objective=None if objective is None else float(objective), status=status,
                           objective_name=name, sense=sense, duals=duals,
                           risk_contributions=risk_contributions(w, cov) if vol > 0 else None, solver=solver,
                           wall_time=time.perf_counter() - start, message=message, info=info or {})
