"""A dense primal active-set solver for the small QPs of classical portfolios.

    min 1/2 x'Hx + c'x   s.t.   A x = b,   lower <= x <= upper      (H positive definite)

Long-only minimum variance, the efficient frontier's points and the homogenised maximum Sharpe
portfolio all have this form. The method (Nocedal & Wright, Algorithm 16.3) starts from a vertex,
where almost every variable sits at a bound, and frees one variable per iteration, so it needs
about as many iterations as the answer has holdings; each iteration solves a KKT system of that
size. The answer is exact up to the linear algebra (an active set, not an interior point), which
is why zeros come out as 0, and it is typically 10-50x faster than building and solving the same
QP through cvxpy. Anything it cannot handle (a singular reduced Hessian, no vertex found, cycling)
raises :class:`ActiveSetFailure`, and callers fall back to cvxpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class ActiveSetFailure(RuntimeError):
    """The active-set method could not solve this instance; use a general solver."""


@dataclass(frozen=True)
class QPSolution:
    x: np.ndarray
    equality_duals: np.ndarray  #: nu with Hx + c = A'nu + bound multipliers (d optimum / d b)
    bound_duals: np.ndarray  #: per variable: >= 0 at an active lower bound, <= 0 at an active upper one, else 0
    iterations: int


def vertex(a: np.ndarray, b: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """A vertex of {A x = b, lower <= x <= upper} by HiGHS' dual simplex (at most len(b) variables off their bounds)."""
    from scipy.optimize import linprog

    res = linprog(np.zeros(a.shape[1]), A_eq=a, b_eq=b, bounds=np.column_stack([lower, upper]), method="highs-ds")
    if res.status != 0:
        raise ActiveSetFailure(f"no feasible starting vertex ({res.message})")
    return np.clip(res.x, lower, upper)


def budget_vertex(budget: float, lower: np.ndarray, upper: np.ndarray, order: np.ndarray) -> np.ndarray | None:
    """A vertex of {sum x = budget, lower <= x <= upper}: every variable at its lower bound, then the
    rest of the budget poured into the variables in ``order`` up to their upper bounds (at most one
    ends between its bounds). None when lower bounds are infinite or the budget cannot be met."""
    if not np.all(np.isfinite(lower)):
        return None
    x = lower.astype(float).copy()
    left = budget - x.sum()
    if left < 0:
        return None
    for i in order:
        room = upper[i] - x[i]
        take = min(room, left)
        x[i] += take
        left -= take
        if left <= 0:
            return x
    return None if left > 1e-12 * max(1.0, abs(budget)) else x


def solve_qp(h: np.ndarray, c: np.ndarray, a: np.ndarray, b: np.ndarray, lower: np.ndarray, upper: np.ndarray,
             x0: np.ndarray | None = None, *, max_iter: int | None = None) -> QPSolution:
    """Solve the QP of the module docstring from the feasible point ``x0`` (a vertex by LP when None)."""
    n, m = h.shape[0], a.shape[0]
    scale = max(1.0, float(np.abs(h).max()), float(np.abs(c).max()) if c.size else 1.0)
    feas_tol = 1e-12 * max(1.0, float(np.abs(b).max()) if b.size else 1.0)
    x = vertex(a, b, lower, upper) if x0 is None else np.array(x0, dtype=float)
    if np.any(x < lower - feas_tol) or np.any(x > upper + feas_tol) or np.abs(a @ x - b).max(initial=0.0) > 1e-9:
        raise ActiveSetFailure("the starting point is not feasible")
    at_lower = np.abs(x - lower) <= feas_tol
    at_upper = ~at_lower & (np.abs(x - upper) <= feas_tol)
    x[at_lower] = lower[at_lower]
    x[at_upper] = upper[at_upper]
    free = ~(at_lower | at_upper)
    # a vertex may leave fewer free variables than equalities: free the ones with the best reduced cost later
    limit = max_iter or 10 * (n + m) + 50
    grad = h @ x + c
    stuck = np.zeros(n, dtype=bool)
    released = -1
    at_minimizer = False
    for iteration in range(1, limit + 1):
        f = np.flatnonzero(free)
        k = f.size
        a_f = a[:, f]
        kkt = np.zeros((k + m, k + m))
        kkt[:k, :k] = h[f][:, f]
        kkt[:k, k:] = a_f.T
        kkt[k:, :k] = a_f
        rhs = np.concatenate([-grad[f], np.zeros(m)])
        try:
            sol = np.linalg.solve(kkt, rhs)
            if not np.all(np.isfinite(sol)):
                raise np.linalg.LinAlgError
        except np.linalg.LinAlgError:
            sol = None
        if sol is None:
            if k >= m:  # a genuinely singular reduced Hessian: not this method's problem class
                raise ActiveSetFailure("singular KKT system (covariance not positive definite on the free set)")
            nu = None
            p = np.zeros(k)
        else:
            p = sol[:k]
            nu = -sol[k:]
        step_size = np.abs(p).max(initial=0.0)
        if at_minimizer or step_size <= 1e-13 * max(1.0, np.abs(x[f]).max(initial=0.0)):
            # after a full, unblocked step x minimises on the working set (what is left of p is rounding)
            at_minimizer = False
            # stationary on the working set: check the bound multipliers, release the worst one
            if nu is None:
                if k == 0:
                    nu = np.linalg.lstsq(a.T, grad, rcond=None)[0] if m else np.zeros(0)
                else:
                    nu = np.linalg.lstsq(a_f.T, grad[f], rcond=None)[0]
            reduced = grad - a.T @ nu
            score = np.where(at_lower, -reduced, np.where(at_upper, reduced, 0.0))
            score[stuck] = 0.0
            j = int(np.argmax(score))
            if score[j] <= 1e-11 * max(scale, float(np.abs(grad).max())):
                bound_duals = np.where(at_lower | at_upper, reduced, 0.0)
                return QPSolution(x, nu, bound_duals, iteration)
            free[j], at_lower[j], at_upper[j] = True, False, False
            released = j
            continue
        # move along p until a free variable meets a bound
        alpha, block, block_lower = 1.0, -1, False
        with np.errstate(divide="ignore", invalid="ignore"):
            to_lower = np.where(p < 0, (lower[f] - x[f]) / p, np.inf)
            to_upper = np.where(p > 0, (upper[f] - x[f]) / p, np.inf)
        i_lo, i_up = int(np.argmin(to_lower)), int(np.argmin(to_upper))
        if to_lower[i_lo] < alpha:
            alpha, block, block_lower = float(to_lower[i_lo]), f[i_lo], True
        if to_upper[i_up] < alpha:
            alpha, block, block_lower = float(to_upper[i_up]), f[i_up], False
        alpha = max(alpha, 0.0)
        if alpha == 0.0 and block == released:
            # the variable just freed wants to leave its bound the wrong way: its multiplier was rounding
            # noise; keep it fixed and do not free it again until a step makes progress (no cycling)
            stuck[block] = True
        elif alpha > 0.0:
            stuck[:] = False
        released = -1
        at_minimizer = block < 0
        x[f] += alpha * p
        grad += h[:, f] @ (alpha * p)  # O(n k) instead of recomputing H x
        if block >= 0:
            free[block] = False
            if block_lower:
                at_lower[block], x[block] = True, lower[block]
            else:
                at_upper[block], x[block] = True, upper[block]
    raise ActiveSetFailure(f"no convergence in {limit} iterations")
