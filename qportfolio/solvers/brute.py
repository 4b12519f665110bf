"""Exhaustive enumeration of every feasible grid portfolio: a test oracle for tiny problems.

Every K-subset is paired with every way of splitting the U budget units among its assets
within their bounds; the objective of all of them is evaluated in float64 (vectorised per
subset). Refuses, before enumerating, when the count exceeds ``max_portfolios``.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..errors import SolverError
from ..problem import PortfolioProblem
from ..status import Status
from .base import Solver, SolverOutput
from .options import COUNT, Option, declare, seed_option
from .registry import register


def compositions(total: int, parts: int, low: int, high: int) -> np.ndarray:
    """All integer vectors of length ``parts`` with entries in [low, high] summing to ``total``."""
    if parts == 0:
        return np.zeros((1, 0), dtype=np.int64) if total == 0 else np.zeros((0, 0), dtype=np.int64)
    blocks = []
    for first in range(low, min(high, total) + 1):
        rest = total - first
        if rest < low * (parts - 1) or rest > high * (parts - 1):
            continue
        tail = compositions(rest, parts - 1, low, high)
        blocks.append(np.column_stack([np.full(tail.shape[0], first, dtype=np.int64), tail]))
    return np.concatenate(blocks) if blocks else np.zeros((0, parts), dtype=np.int64)


def count_portfolios(problem: PortfolioProblem) -> int:
    """Number of feasible grid portfolios (exact, by dynamic programming)."""
    lo, hi = problem.unit_bounds
    k, total = problem.cardinality, problem.units
    count = [[0] * (total + 1) for _ in range(k + 1)]
    count[0][0] = 1
    for a in range(problem.n):
        if lo[a] > hi[a]:
            continue
        for c in range(min(k, a + 1), 0, -1):
            row, prev = count[c], count[c - 1]
            for s in range(total, -1, -1):
                row[s] += sum(prev[s - u] for u in range(lo[a], min(hi[a], s) + 1))
    return count[k][total]


@register
class BruteForceSolver(Solver):
    name = "brute"
    description = "exhaustive enumeration of the grid problem (tiny instances only)"
    options = declare(
        Option("max_portfolios", "refuse when more portfolios than this exist", COUNT, default=2_000_000),
        seed_option("accepted for a uniform interface; enumeration is deterministic"),
    )

    def _solve(self, problem: PortfolioProblem, *, max_portfolios: int, seed: int | None) -> SolverOutput:
        subsets = math.comb(problem.n, problem.cardinality)
        if subsets > max_portfolios:
            raise SolverError(f"brute force refuses: {subsets} subsets of {problem.cardinality} of {problem.n} assets "
                              f"exceed max_portfolios={max_portfolios}")
        total_count = count_portfolios(problem)
        if total_count > max_portfolios:
            raise SolverError(f"brute force refuses: {total_count} feasible portfolios exceed max_portfolios={max_portfolios}; "
                              "use exact-discrete")
        lo, hi = problem.unit_bounds
        k, step = problem.cardinality, problem.weight_step
        q, c = problem.unit_objective()
        valid = lo <= hi
        base = compositions(problem.units, k, int(lo[valid].min()), int(hi[valid].max()))
        best_value, best_units = np.inf, None
        for subset in itertools.combinations(np.flatnonzero(valid), k):
            idx = np.array(subset)
            rows = base[np.all((base >= lo[idx]) & (base <= hi[idx]), axis=1)]
            if rows.size == 0:
                continue
            values = np.einsum("ri,ij,rj->r", rows, q[np.ix_(idx, idx)], rows) + rows @ c[idx]
            j = int(np.argmin(values))
            if values[j] < best_value:
                best_value = float(values[j])
                best_units = np.zeros(problem.n, dtype=np.int64)
                best_units[idx] = rows[j]
        assert best_units is not None, "validated problems are feasible"
        weights = best_units * step
        return SolverOutput(weights=weights, feasible=True, status=Status.OPTIMAL, parameters={"max_portfolios": max_portfolios},
                            bound=float(problem.objective(weights)), info={"num_portfolios": total_count})
