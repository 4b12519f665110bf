"""Constraint sets shared by every classical portfolio, each constraint named.

Names matter: they key the shadow prices reported with a result (``duals``) and the conflicting
sets reported when a problem is infeasible (:mod:`.diagnostics`). Per-asset bounds are named
``lower:<asset>`` / ``upper:<asset>``; the rest ``budget``, ``gross_leverage``, ``turnover``,
``group_floor:<name>``, ``group_cap:<name>``, ``cardinality``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ValidationError


@dataclass(frozen=True)
class Group:
    """A labelled set of assets with an optional floor and cap on its total weight."""

    name: str
    members: tuple[str, ...]
    floor: float | None = None
    cap: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(self.members))
        if not self.members:
            raise ValidationError(f"group {self.name!r} has no members")
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise ValidationError(f"group {self.name!r}: floor {self.floor} exceeds cap {self.cap}")


@dataclass(frozen=True)
class Constraints:
    """What a portfolio must satisfy (defaults: long-only, fully invested).

    budget: sum of weights (1 fully invested, 0 dollar-neutral, None free). long_only: w >= 0.
    lower/upper: per-asset bounds (a number or one per asset). gross_leverage: sum |w| <= L
    (1.6 for 130/30). groups: caps and floors by label. current + turnover: sum |w - current| <= T.
    costs: transaction cost rate on |w - current| (a number, one per asset, or tiers
    ((size, rate), ...) of a convex piecewise-linear cost per asset). cardinality: at most K
    holdings (mixed-integer, solved by SCIP).
    """

    budget: float | None = 1.0
    long_only: bool = True
    lower: Any = None
    upper: Any = None
    gross_leverage: float | None = None
    groups: tuple[Group, ...] = ()
    current: Any = None
    turnover: float | None = None
    costs: Any = None
    cardinality: int | None = None
    min_holding: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", tuple(self.groups))
        if self.gross_leverage is not None and self.gross_leverage <= 0:
            raise ValidationError(f"gross_leverage must be positive, got {self.gross_leverage}")
        if self.turnover is not None and self.current is None:
            raise ValidationError("turnover needs current holdings: pass current=[...] (one weight per asset)")
        if self.costs is not None and self.current is None:
            raise ValidationError("costs need current holdings: pass current=[...] (one weight per asset)")
        if self.cardinality is not None and (not isinstance(self.cardinality, int) or self.cardinality < 1):
            raise ValidationError(f"cardinality must be a positive integer, got {self.cardinality!r}")

    @property
    def budget_only(self) -> bool:
        """True when only the budget applies (shorts allowed): closed forms exist."""
        return (not self.long_only and self.lower is None and self.upper is None and self.gross_leverage is None
                and not self.groups and self.turnover is None and self.costs is None and self.cardinality is None)

    @property
    def homogeneous(self) -> bool:
        """True when the constraints scale with the portfolio (needed by the max-Sharpe transform)."""
        return self.turnover is None and self.costs is None and self.cardinality is None and self.min_holding == 0.0


LONG_ONLY = Constraints()
SHORTS_ALLOWED = Constraints(long_only=False)


def _vector(value: Any, n: int, field_name: str) -> np.ndarray | None:
    if value is None:
        return None
    arr = np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy() if np.ndim(value) == 0 else np.asarray(value, dtype=float)
    if arr.shape != (n,):
        raise ValidationError(f"{field_name} must be a number or one value per asset ({n}), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValidationError(f"{field_name} contains NaN or infinite values")
    return arr


def _tiers(costs: Any) -> list[tuple[float, float]] | None:
    if isinstance(costs, (list, tuple)) and costs and isinstance(costs[0], (list, tuple)):
        tiers = [(float(size), float(rate)) for size, rate in costs]
        rates = [r for _, r in tiers]
        if any(b <= a for (a, _), (b, _) in itertools.pairwise(tiers)) or rates != sorted(rates) or min(rates) < 0:
            raise ValidationError("cost tiers must be ((size, rate), ...) with increasing sizes and non-decreasing rates "
                                  "(a convex piecewise-linear cost)")
        return tiers
    return None


def build(w: Any, assets: Sequence[str], c: Constraints, *,
          scale: Any = 1.0) -> tuple[list[tuple[str, Any]], Any, dict[str, Any]]:
    """cvxpy constraints on ``w`` as (name, constraint) pairs, the transaction-cost expression, and
    extra variables. ``scale`` multiplies every right-hand side (the max-Sharpe homogenisation)."""
    import cvxpy as cp

    n = len(assets)
    named: list[tuple[str, Any]] = []
    extras: dict[str, Any] = {}
    if c.budget is not None:
        named.append(("budget", cp.sum(w) == c.budget * scale))
    lower = _vector(c.lower, n, "lower")
    upper = _vector(c.upper, n, "upper")
    if c.long_only:
        if lower is None:
            lower = np.zeros(n)
        elif np.any(lower < 0):
            raise ValidationError("lower bounds below 0 contradict long_only=True; set long_only=False for shorts")
    for i, a in enumerate(assets):
        if lower is not None:
            named.append((f"lower:{a}", w[i] >= lower[i] * scale))
        if upper is not None:
            named.append((f"upper:{a}", w[i] <= upper[i] * scale))
    if c.gross_leverage is not None:
        named.append(("gross_leverage", cp.norm1(w) <= c.gross_leverage * scale))
    index = {a: i for i, a in enumerate(assets)}
    for g in c.groups:
        missing = [m for m in g.members if m not in index]
        if missing:
            raise ValidationError(f"group {g.name!r} names unknown asset(s) {', '.join(map(str, missing))}")
        total = cp.sum(w[[index[m] for m in g.members]])
        if g.floor is not None:
            named.append((f"group_floor:{g.name}", total >= g.floor * scale))
        if g.cap is not None:
            named.append((f"group_cap:{g.name}", total <= g.cap * scale))
    cost = 0.0
    if c.current is not None:
        current = _vector(c.current, n, "current")
        trade = w - current * scale
        if c.turnover is not None:
            named.append(("turnover", cp.norm1(trade) <= c.turnover * scale))
        if c.costs is not None:
            tiers = _tiers(c.costs)
            if tiers is None:
                rate = _vector(c.costs, n, "costs")
                cost = rate @ cp.abs(trade)
            else:  # convex piecewise linear: sum of max over tier lines, per asset
                size = cp.abs(trade)
                pieces, start, offset = [], 0.0, 0.0
                for (edge, rate) in tiers:
                    pieces.append(offset + rate * (size - start))
                    offset += rate * (edge - start)
                    start = edge
                cost = cp.sum(cp.maximum(*pieces)) if len(pieces) > 1 else cp.sum(pieces[0])
    if c.cardinality is not None:
        z = cp.Variable(n, boolean=True)
        big = upper if upper is not None else np.full(n, c.gross_leverage or (1.0 if c.long_only else 10.0))
        named.append(("holding_link_upper", w <= cp.multiply(big, z) * scale))
        if not c.long_only:
            named.append(("holding_link_lower", w >= -cp.multiply(big, z) * scale))
        if c.min_holding > 0:
            named.append(("min_holding", w >= c.min_holding * z * scale))
        named.append(("cardinality", cp.sum(z) <= c.cardinality))
        extras["holdings"] = z
    return named, cost, extras


def box_bounds(constraints: Constraints, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(lower, upper) per asset when ``constraints`` are only a budget and per-asset bounds (the
    active-set solver's class), else None."""
    c = constraints
    if (c.budget is None or c.gross_leverage is not None or c.groups or c.current is not None or c.cardinality is not None
            or c.min_holding):
        return None
    lower = _vector(c.lower, n, "lower")
    upper = _vector(c.upper, n, "upper")
    if c.long_only:
        if lower is not None and np.any(lower < 0):
            return None  # build() raises the clear error
        lower = np.zeros(n) if lower is None else lower
    lower = np.full(n, -np.inf) if lower is None else lower
    upper = np.full(n, np.inf) if upper is None else upper
    return lower, upper
