"""One feasible start per problem: the relaxation, rounded to K assets and the grid, then polished.

Three places need a good feasible portfolio of a problem before they solve it: the QUBO's
penalty calibration (its objective is the upper bound F_up), the exact solvers (SCIP's and
Gurobi's warm start) and ``decompose`` (its classical start). They share one computation here:

1. ``relaxed_weights``: the continuous relaxation (sum w = 1, 0 <= w <= step * unit caps, no
   cardinality) solved by :func:`~qportfolio.bounds.relaxation.solve_relaxation`; the box stops at
   :attr:`~qportfolio.problem.PortfolioProblem.unit_caps`, the most units any feasible portfolio gives
   an asset, so no feasible point is cut off;
2. ``rounded_start``: that optimum rounded to the grid, the K largest weights kept and repaired to a
   feasible unit vector (:func:`~qportfolio.bounds.repair.nearest_feasible_units`; no local search);
3. ``feasible_start``: the rounded start after local search
   (:func:`~qportfolio.bounds.repair.polish_units`).

Each is computed once per problem and kept, read-only, in a small cache keyed by the problem's
fingerprint (the numbers that define it), so the calibration and the warm start of one solve, or of
many solves of one problem, pay for one relaxation and one polish. The cache holds the last
``MAX_PROBLEMS`` problems.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from ..problem import PortfolioProblem
from .relaxation import solve_relaxation
from .repair import nearest_feasible_units, polish_units

#: problems whose starts are kept (least recently used dropped first)
MAX_PROBLEMS = 64

_CACHE: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_LOCK = threading.Lock()


def _cached(kind: str, problem: PortfolioProblem, compute: Callable[[PortfolioProblem], np.ndarray]) -> np.ndarray:
    """``compute(problem)`` once per (kind, fingerprint); the array is returned read-only, the same object each time."""
    key = (kind, problem.fingerprint)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    value = np.asarray(compute(problem))
    value.setflags(write=False)
    with _LOCK:
        value = _CACHE.setdefault(key, value)  # two threads racing keep the first: one object per problem
        _CACHE.move_to_end(key)
        while len(_CACHE) > MAX_PROBLEMS * 3:  # three kinds per problem
            _CACHE.popitem(last=False)
    return value


def relaxed_weights(problem: PortfolioProblem) -> np.ndarray:
    """The continuous relaxation's optimum over the box [0, step * unit caps] (cached, read-only)."""
    return _cached("relaxed", problem, lambda p: solve_relaxation(p, p.unit_caps * p.weight_step))


def rounded_start(problem: PortfolioProblem) -> np.ndarray:
    """The relaxed optimum rounded to the grid and its K largest weights, made feasible (no local search;
    cached, read-only grid units)."""

    def compute(p: PortfolioProblem) -> np.ndarray:
        w = relaxed_weights(p)
        selected = np.zeros(p.n, dtype=bool)
        selected[np.argsort(-(w + 1e-12 * p.expected_returns))[: p.cardinality]] = True  # ties: the higher return
        return nearest_feasible_units(p, np.round(w / p.weight_step).astype(np.int64), selected)

    return _cached("rounded", problem, compute)


def feasible_start(problem: PortfolioProblem) -> np.ndarray:
    """A good feasible portfolio in grid units: the rounded start after local search (cached, read-only)."""
    return _cached("polished", problem, lambda p: polish_units(p, rounded_start(p)))


def clear_cache() -> None:
    """Forget every cached start (tests, or a caller that measures the cost of computing one)."""
    with _LOCK:
        _CACHE.clear()
