"""Feasible grid portfolios: repair of infeasible assignments and a local-search polish.

Both work in integer units m (weights w = step * m), where the objective is
f(m) = a m' Sigma m - b mu' m with a = lambda step^2 and b = (1 - lambda) step.

``nearest_feasible_units``: keep the K assets an assignment most clearly holds (selection flag
first, then units), clip their units into [lo, hi], then add or remove single units until the
budget holds, each time where the objective suffers least. Every unit moved goes towards the
budget, so for the chosen assets the result is an L1-nearest feasible point.

``polish_units``: best-improvement local search with unit transfers between held assets and
swaps of a held asset for an unheld one; used for an upper bound on the optimum (penalty
calibration) and as an optional post-processing step of samplers.
"""

from __future__ import annotations

import numpy as np

from ..grid import feasible_units
from ..problem import PortfolioProblem


def _coefficients(problem: PortfolioProblem) -> tuple[float, float]:
    return problem.objective_coefficients()


def units_objective(problem: PortfolioProblem, units: np.ndarray) -> float:
    return float(problem.objective(np.asarray(units, dtype=float) * problem.weight_step))


def _choose_assets(problem: PortfolioProblem, units: np.ndarray, selected: np.ndarray) -> np.ndarray:
    lo, hi = problem.unit_bounds
    k, total = problem.cardinality, problem.units
    usable = lo <= hi
    # rank: selection flag, then units held, then attractiveness (-mu) as a stable tie-break
    order = np.lexsort((-problem.expected_returns, -units, -selected.astype(int), ~usable))
    chosen = np.zeros(problem.n, dtype=bool)
    chosen[order[:k]] = True
    for _ in range(problem.n):
        if lo[chosen].sum() > total:  # swap the largest minimum for the smallest outside
            out = np.flatnonzero(chosen)[np.argmax(lo[chosen])]
            cand = np.flatnonzero(~chosen & usable)
            inn = cand[np.argmin(lo[cand])] if cand.size else None
            if inn is None or lo[inn] >= lo[out]:
                break
        elif hi[chosen].sum() < total:  # swap the smallest maximum for the largest outside
            out = np.flatnonzero(chosen)[np.argmin(hi[chosen])]
            cand = np.flatnonzero(~chosen & usable)
            inn = cand[np.argmax(hi[cand])] if cand.size else None
            if inn is None or hi[inn] <= hi[out]:
                break
        else:
            return chosen
        chosen[out], chosen[inn] = False, True
    witness = feasible_units(lo, hi, k, total)
    assert witness is not None, "validated problems are grid-feasible"
    return witness > 0


def nearest_feasible_units(problem: PortfolioProblem, units: np.ndarray, selected: np.ndarray | None = None) -> np.ndarray:
    """A feasible unit vector close to ``units`` (see module docstring)."""
    units = np.asarray(units, dtype=np.int64)
    if selected is None:
        selected = units > 0
    lo, hi = problem.unit_bounds
    a, b = _coefficients(problem)
    cov, mu = problem.covariance, problem.expected_returns
    chosen = _choose_assets(problem, units, np.asarray(selected, dtype=bool))
    m = np.where(chosen, np.clip(units, lo, hi), 0).astype(np.int64)
    g = cov @ m
    diag = np.diag(cov)
    deficit = problem.units - int(m.sum())
    while deficit != 0:
        sign = 1 if deficit > 0 else -1
        room = chosen & ((m < hi) if sign > 0 else (m > lo))
        delta = a * (2 * sign * g + diag) - b * sign * mu  # f change of one unit more/less
        i = int(np.flatnonzero(room)[np.argmin(delta[room])])
        m[i] += sign
        g += sign * cov[:, i]
        deficit -= sign
    return m


def polish_units(problem: PortfolioProblem, units: np.ndarray, max_moves: int | None = None) -> np.ndarray:
    """Best-improvement local search (unit transfers and asset swaps) from a feasible point."""
    lo, hi = problem.unit_bounds
    a, b = _coefficients(problem)
    cov, mu = problem.covariance, problem.expected_returns
    diag = np.diag(cov)
    m = np.asarray(units, dtype=np.int64).copy()
    max_moves = max_moves if max_moves is not None else 20 * problem.units + 10 * problem.n
    scale = max(abs(units_objective(problem, m)), 1e-300)
    for _ in range(max_moves):
        held = np.flatnonzero(m > 0)
        free = np.flatnonzero((m == 0) & (lo <= hi))
        g = cov @ m
        # transfer one unit from held i to held j
        pair = diag[held][:, None] + diag[held][None, :] - 2 * cov[np.ix_(held, held)]
        transfer = a * (pair + 2 * (g[held][None, :] - g[held][:, None])) - b * (mu[held][None, :] - mu[held][:, None])
        ok = (m[held] - 1 >= lo[held])[:, None] & (m[held] + 1 <= hi[held])[None, :]
        np.fill_diagonal(ok, False)
        transfer = np.where(ok, transfer, np.inf)
        best_t = np.unravel_index(np.argmin(transfer), transfer.shape) if transfer.size else None
        value_t = transfer[best_t] if best_t is not None else np.inf
        # swap held i (all its units) for free j
        value_s, best_s = np.inf, None
        if free.size:
            mi = m[held].astype(float)[:, None]
            pair_s = diag[held][:, None] + diag[free][None, :] - 2 * cov[np.ix_(held, free)]
            swap = (a * (mi * mi * pair_s + 2 * mi * (g[free][None, :] - g[held][:, None]))
                    - b * mi * (mu[free][None, :] - mu[held][:, None]))
            ok_s = (m[held][:, None] >= lo[free][None, :]) & (m[held][:, None] <= hi[free][None, :])
            swap = np.where(ok_s, swap, np.inf)
            best_s = np.unravel_index(np.argmin(swap), swap.shape)
            value_s = swap[best_s]
        if min(value_t, value_s) >= -1e-15 * scale:
            break
        if value_t <= value_s:
            i, j = held[best_t[0]], held[best_t[1]]
            m[i] -= 1
            m[j] += 1
        else:
            i, j = held[best_s[0]], free[best_s[1]]
            m[j], m[i] = m[i], 0
    return m


def heuristic_units(problem: PortfolioProblem, relaxed_weights: np.ndarray) -> np.ndarray:
    """A good feasible point: round the relaxed optimum to K assets, then polish."""
    step = problem.weight_step
    start = np.round(relaxed_weights / step).astype(np.int64)
    ranking = relaxed_weights + 1e-12 * problem.expected_returns  # prefer larger relaxed weight
    selected = np.zeros(problem.n, dtype=bool)
    selected[np.argsort(-ranking)[: problem.cardinality]] = True
    return polish_units(problem, nearest_feasible_units(problem, start, selected))
