"""The discrete weight grid: weights are integer multiples ("units") of ``weight_step``.

A held asset i has ``units[i]`` in ``[lo[i], hi[i]]`` with ``lo = ceil(min_weight/step)`` and
``hi = floor(max_weight/step)``; an asset not held has 0 units; the budget is
``sum(units) == U = 1/step``. Feasibility (is there a K-subset whose unit ranges can sum to U?)
is decided exactly by a dynamic programme over (assets chosen, units used), which also yields a
witness portfolio.
"""

from __future__ import annotations

import numpy as np

from .errors import InfeasibleProblemError, ValidationError
from .utils.memory import check_allocation

#: Tolerance when deciding whether a float is an integer number of steps.
GRID_TOL = 1e-9


def units_in_budget(step: float) -> int:
    """Number of steps in a weight of 1; raises when 1 is not on the grid."""
    if not np.isfinite(step) or step <= 0 or step > 1:
        raise ValidationError(f"weight_step must lie in (0, 1], got {step}")
    units = round(1.0 / step)
    if abs(units * step - 1.0) > GRID_TOL:
        raise InfeasibleProblemError(
            f"weight_step={step}: a total weight of 1 is not reachable on the grid of multiples "
            f"of {step}; use a step that divides 1 (e.g. 0.1, 0.05, 0.02, 0.01)"
        )
    return units


def unit_bounds(min_weight: np.ndarray, max_weight: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-asset integer unit bounds ``(lo, hi)`` of the grid points inside [min, max]."""
    lo = np.ceil(min_weight / step - GRID_TOL).astype(np.int64)
    hi = np.floor(max_weight / step + GRID_TOL).astype(np.int64)
    lo = np.maximum(lo, 1)  # a held asset carries at least one step
    return lo, hi


def _reachable_tables(lo: np.ndarray, hi: np.ndarray, k: int, total: int) -> list[np.ndarray]:
    """tables[i][c, s]: can c of the first i assets hold exactly s units (within their bounds)?"""
    # one boolean table per asset, plus two int64 work arrays of the same shape
    check_allocation(f"the grid feasibility tables ({lo.shape[0]} assets x {k + 1} counts x {total + 1} units)",
                     float(lo.shape[0] + 1 + 16) * (k + 1) * (total + 1), "use a coarser weight_step (fewer units)")
    reach = np.zeros((k + 1, total + 1), dtype=bool)
    reach[0, 0] = True
    tables = [reach]
    for a in range(lo.shape[0]):
        if lo[a] > hi[a]:  # this asset has no grid weight inside its bounds
            tables.append(reach)
            continue
        cum = np.concatenate([np.zeros((k + 1, 1), np.int64), np.cumsum(reach, axis=1)], axis=1)
        s = np.arange(total + 1)
        upper = np.clip(s - lo[a], -1, total)  # window of previous sums [s-hi, s-lo]
        lower = np.clip(s - hi[a] - 1, -1, total)
        window = cum[:, upper + 1] - cum[:, lower + 1]
        new = reach.copy()
        new[1:] |= window[:-1] > 0
        reach = new
        tables.append(reach)
    return tables


def feasible_units(lo: np.ndarray, hi: np.ndarray, k: int, total: int) -> np.ndarray | None:
    """A unit vector with exactly k held assets summing to ``total``, or None when none exists."""
    if k > lo.shape[0]:
        return None
    tables = _reachable_tables(lo, hi, k, total)
    if not tables[-1][k, total]:
        return None
    units = np.zeros(lo.shape[0], dtype=np.int64)
    c, s = k, total
    for a in range(lo.shape[0] - 1, -1, -1):
        prev = tables[a]
        if prev[c, s]:
            continue  # asset a not needed
        for u in range(lo[a], min(hi[a], s) + 1):
            if c > 0 and prev[c - 1, s - u]:
                units[a], c, s = u, c - 1, s - u
                break
    return units


def check_grid_feasible(lo: np.ndarray, hi: np.ndarray, k: int, total: int, step: float) -> np.ndarray:
    """Raise a named error when no portfolio exists on the grid; otherwise return a witness."""
    n = lo.shape[0]
    bad = np.flatnonzero(lo > hi)
    if bad.size == n or n - bad.size < k:
        raise InfeasibleProblemError(
            f"min_weight/max_weight: {bad.size} of {n} assets have no multiple of weight_step={step} "
            f"inside their [min_weight, max_weight], leaving fewer than cardinality={k}; widen the "
            "bounds or use a finer weight_step"
        )
    smallest = np.sort(np.where(lo <= hi, lo, np.iinfo(np.int64).max))[:k].sum()
    largest = np.sort(np.where(lo <= hi, hi, 0))[::-1][:k].sum()
    if smallest > total:
        raise InfeasibleProblemError(
            f"cardinality * min_weight > 1: the {k} smallest minimum weights on the grid sum to "
            f"{smallest * step:.6g}; lower min_weight to at most 1/cardinality = {1 / k:.6g} or "
            "reduce cardinality"
        )
    if largest < total:
        raise InfeasibleProblemError(
            f"cardinality * max_weight < 1: the {k} largest maximum weights on the grid sum to "
            f"{largest * step:.6g}; raise max_weight to at least 1/cardinality = {1 / k:.6g} or "
            "increase cardinality"
        )
    witness = feasible_units(lo, hi, k, total)
    if witness is None:
        raise InfeasibleProblemError(
            f"no {k} assets have per-asset bounds on the grid of weight_step={step} that can sum "
            "to 1; adjust min_weight/max_weight per asset or the cardinality"
        )
    return witness
