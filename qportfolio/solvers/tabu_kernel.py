"""Compiled one-flip tabu search on the structured portfolio QUBO (numba).

The energy change of flipping x_v (d = 1 - 2 x_v, asset i, units c_v) is, from the structured
form of :mod:`qportfolio.formulations.qubo.structure`,

    dE_v = d (l_v + c_v (2a y_i + 2B t) + 2A sel_v s - C (x_parent(v) + set children of v)) + q_vv

with y = Sigma m (m: units per asset), s the selected count and t the total units. A flip changes
y by d c_v Sigma[i, :] (O(n)), s, t and one parent's child count, so an iteration costs O(N + n)
time and the search O(N + n^2) memory: no N x N matrix is ever formed.

The search (Glover's tabu with aspiration, restarts in the spirit of Palubeckis' multistart tabu):
each iteration flips the non-tabu variable of least dE (ties broken at random), or a tabu one that
gives a new best; a flipped variable stays tabu for ``tenure`` iterations. After ``stall``
iterations without a new best the search restarts from the best state with ``kick`` flips drawn at
random among the cheapest moves there (kept tabu for a tenure). Every random draw comes from the
seed given to the call, and a call runs a fixed number of iterations, so the same seeds and counts
give the same states on any machine.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _refresh(cov, asset, coef, sel, parent, lin, a, A, B, C, offset, x, m, y, child):
    """Recompute units m, y = Sigma m, the child counts and the energy of state x (returns (E, s, t))."""
    n = cov.shape[0]
    nv = x.shape[0]
    m[:] = 0.0
    child[:] = 0
    s = 0.0
    lin_part = 0.0
    links = 0.0
    for v in range(nv):
        if x[v]:
            m[asset[v]] += coef[v]
            s += sel[v]
            lin_part += lin[v]
            p = parent[v]
            if p >= 0:
                child[p] += 1
                links += x[p]
    t = 0.0
    quad = 0.0
    for i in range(n):
        t += m[i]
        acc = 0.0
        for j in range(n):
            if m[j] != 0.0:
                acc += cov[i, j] * m[j]
        y[i] = acc
        quad += m[i] * acc
    energy = offset + lin_part + a * quad + A * s * s + B * t * t - C * links
    return energy, s, t


@njit(cache=True)
def _flip(v, cov, asset, coef, sel, parent, x, m, y, child, s, t):
    """Flip x_v in place, updating m, y and the child counts; returns the new (s, t)."""
    d = 1 - 2 * x[v]
    x[v] = 1 - x[v]
    i = asset[v]
    dm = d * coef[v]
    if dm != 0.0:
        m[i] += dm
        row = cov[i]
        for j in range(y.shape[0]):
            y[j] += dm * row[j]
    p = parent[v]
    if p >= 0:
        child[p] += d
    return s + d * sel[v], t + dm


@njit(cache=True)
def _deltas(first, coef, sel, parent, lin, qdiag, a, A, B, C, x, y, child, s, t, out):
    """dE of flipping each variable, into ``out``."""
    n = first.shape[0] - 1
    two_a_s = 2.0 * A * s
    for i in range(n):
        g = 2.0 * a * y[i] + 2.0 * B * t
        for v in range(first[i], first[i + 1]):
            d = 1 - 2 * x[v]
            p = parent[v]
            link = child[v] + (x[p] if p >= 0 else 0)
            out[v] = d * (lin[v] + coef[v] * g + sel[v] * two_a_s - C * link) + qdiag[v]


@njit(cache=True)
def _choose(first, coef, sel, parent, lin, qdiag, a, A, B, C, x, y, child, s, t, tabu_until, it, aspire):
    """The move of least dE among the non-tabu variables and the tabu ones with dE < ``aspire``
    (a new best); ties broken at random. Returns (variable or -1, its dE)."""
    n = first.shape[0] - 1
    two_a_s = 2.0 * A * s
    chosen = -1
    chosen_delta = np.inf
    ties = 0
    for i in range(n):
        g = 2.0 * a * y[i] + 2.0 * B * t
        for v in range(first[i], first[i + 1]):
            xv = x[v]
            p = parent[v]
            link = child[v] + (x[p] if p >= 0 else 0)
            field = lin[v] + coef[v] * g + sel[v] * two_a_s - C * link
            dv = (-field if xv else field) + qdiag[v]
            if dv > chosen_delta:
                continue
            if tabu_until[v] > it and not dv < aspire:
                continue
            if dv < chosen_delta:
                chosen, chosen_delta, ties = v, dv, 1
            else:
                ties += 1
                if np.random.randint(ties) == 0:  # noqa: NPY002
                    chosen = v
    return chosen, chosen_delta


@njit(cache=True)
def tabu_call(cov, asset, first, coef, sel, parent, lin, qdiag, a, A, B, C, offset,
              x, best_x, call_best_x, tabu_until, counters, iterations, tenure, stall, kick, seed):
    """Run ``iterations`` tabu iterations from state ``x`` (all arrays updated in place).

    ``counters`` (int64): [iteration number, iterations since the last new best, restarts, flips];
    ``best_x`` is the best state of the whole run (its energy is recomputed here), ``call_best_x``
    receives the best state met during this call. Returns (energy of best_x, energy of call_best_x).
    """
    np.random.seed(seed)  # noqa: NPY002 (numba seeds its own per-thread generator)
    n = cov.shape[0]
    nv = x.shape[0]
    m = np.zeros(n)
    y = np.zeros(n)
    child = np.zeros(nv, dtype=np.int64)
    delta = np.zeros(nv)
    best_energy = _refresh(cov, asset, coef, sel, parent, lin, a, A, B, C, offset, best_x, m, y, child)[0]
    energy, s, t = _refresh(cov, asset, coef, sel, parent, lin, a, A, B, C, offset, x, m, y, child)
    call_best = energy
    call_best_x[:] = x
    it = counters[0]
    tol = 1e-12 * max(1.0, abs(best_energy))
    for _ in range(iterations):
        it += 1
        if counters[1] >= stall:  # restart from the best state with a kick among its cheapest moves
            x[:] = best_x
            energy, s, t = _refresh(cov, asset, coef, sel, parent, lin, a, A, B, C, offset, x, m, y, child)
            _deltas(first, coef, sel, parent, lin, qdiag, a, A, B, C, x, y, child, s, t, delta)
            pool = np.argsort(delta)[:min(nv, 4 * kick)]
            picks = np.random.permutation(pool.shape[0])[:min(kick, pool.shape[0])]  # noqa: NPY002
            for r in range(picks.shape[0]):
                v = pool[picks[r]]
                _deltas(first, coef, sel, parent, lin, qdiag, a, A, B, C, x, y, child, s, t, delta)
                energy += delta[v]
                s, t = _flip(v, cov, asset, coef, sel, parent, x, m, y, child, s, t)
                tabu_until[v] = it + tenure
                counters[3] += 1
            counters[1] = 0
            counters[2] += 1
        chosen, chosen_delta = _choose(first, coef, sel, parent, lin, qdiag, a, A, B, C, x, y, child, s, t,
                                       tabu_until, it, best_energy - tol - energy)
        if chosen < 0:
            counters[1] += 1
            continue
        s, t = _flip(chosen, cov, asset, coef, sel, parent, x, m, y, child, s, t)
        energy += chosen_delta
        tabu_until[chosen] = it + tenure
        counters[3] += 1
        if energy < call_best:
            call_best = energy
            call_best_x[:] = x
        if energy < best_energy - tol:
            best_energy = energy
            best_x[:] = x
            counters[1] = 0
        else:
            counters[1] += 1
    counters[0] = it
    return best_energy, call_best
