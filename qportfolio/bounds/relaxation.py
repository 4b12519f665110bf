"""Continuous relaxation of the grid problem and a certified lower bound on it.

The relaxation drops cardinality and the grid:  phi(tau) = min { f(w) : 0 <= w <= u, sum w = 1 + tau }
with u = the largest grid weight of each asset. It is solved approximately by accelerated
projected gradient (FISTA); the *bound* does not depend on how accurate that solve is. For any
point w^ in the box and any multiplier nu, with F(w) = f(w) - nu (sum w - 1) convex,

    phi(tau) >= min_box F + nu * tau >= F(w^) + sum_i min(-g_i w^_i, g_i (u_i - w^_i)) + nu * tau,

where g = grad F(w^) (first-order lower bound of a convex function, minimised over the box in
closed form). ``LagrangianBound.value`` is that right-hand side at tau = 0 with nu chosen to
maximise it. The QUBO penalties are calibrated from it (see ``qubo.calibrate_penalties``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..problem import PortfolioProblem


@dataclass(frozen=True)
class LagrangianBound:
    """A certified lower bound ``value`` <= phi(0) and the multiplier ``nu`` (per unit of weight).

    For every tau: phi(tau) >= value + nu * tau.
    """

    value: float
    nu: float
    relaxed_weights: np.ndarray
    relaxed_objective: float


def project_box_budget(y: np.ndarray, upper: np.ndarray, total: float = 1.0) -> np.ndarray:
    """Euclidean projection of ``y`` onto { 0 <= w <= upper, sum w = total }, exactly.

    w(theta) = clip(y - theta, 0, upper) and g(theta) = sum w(theta) is piecewise linear and
    decreasing: g(theta) = sum_{y_i > theta} (y_i - theta) - sum_{a_i > theta} (a_i - theta) with
    a = y - upper. Evaluate g at all breakpoints with suffix sums, then interpolate.
    """
    a = y - upper
    ys, as_ = np.sort(y), np.sort(a)
    y_suffix = np.concatenate([np.cumsum(ys[::-1])[::-1], [0.0]])
    a_suffix = np.concatenate([np.cumsum(as_[::-1])[::-1], [0.0]])
    theta = np.sort(np.concatenate([ys, as_]))

    def g(t: np.ndarray) -> np.ndarray:
        iy = np.searchsorted(ys, t, side="right")
        ia = np.searchsorted(as_, t, side="right")
        ny, na = ys.shape[0] - iy, as_.shape[0] - ia
        return (y_suffix[iy] - ny * t) - (a_suffix[ia] - na * t)

    values = g(theta)  # non-increasing in theta
    j = int(np.searchsorted(-values, -total, side="left"))  # first breakpoint with g <= total
    if j == 0:
        t = theta[0] - (total - values[0]) / max(np.count_nonzero(upper > 0), 1)
    elif j >= theta.shape[0]:
        t = theta[-1]
    else:
        t0, t1, g0, g1 = theta[j - 1], theta[j], values[j - 1], values[j]
        t = t1 if g0 == g1 else t0 + (g0 - total) * (t1 - t0) / (g0 - g1)
    return np.clip(y - t, 0.0, upper)


def max_eigenvalue(cov: np.ndarray) -> float:
    """Largest eigenvalue of a symmetric PSD matrix (the gradient's Lipschitz constant / 2 lambda)."""
    return float(np.linalg.eigvalsh(cov)[-1])


def solve_relaxation(
    problem: PortfolioProblem, upper: np.ndarray, iterations: int = 400, eig_max: float | None = None
) -> np.ndarray:
    """Approximate minimiser of f over the box [0, upper] with sum w = 1 (FISTA with restart)."""
    lam = problem.risk_aversion
    cov, mu = problem.covariance, problem.expected_returns
    if eig_max is None:
        eig_max = max_eigenvalue(cov)
    lipschitz = 2.0 * lam * eig_max
    lipschitz = max(lipschitz, 1e-8 * (1.0 - lam) * float(np.max(np.abs(mu)) + 1e-300), 1e-300)
    step = 1.0 / lipschitz
    lin = (1.0 - lam) * mu

    def value(w: np.ndarray, cov_w: np.ndarray) -> float:
        return float(lam * (w @ cov_w) - lin @ w)

    w = project_box_budget(np.full(problem.n, 1.0 / problem.n), upper)
    y, t = w.copy(), 1.0
    f_prev = value(w, cov @ w)
    for _ in range(iterations):
        w_next = project_box_budget(y - step * (2.0 * lam * (cov @ y) - lin), upper)
        f_next = value(w_next, cov @ w_next)
        if f_next > f_prev:  # adaptive restart keeps FISTA monotone
            y, t = w.copy(), 1.0
            continue
        t_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        y = w_next + ((t - 1.0) / t_next) * (w_next - w)
        converged = np.max(np.abs(w_next - w)) < 1e-13 or f_prev - f_next <= 1e-15 * abs(f_next)
        w, t, f_prev = w_next, t_next, f_next
        if converged:
            break
    return w


def lagrangian_bound(
    problem: PortfolioProblem, upper: np.ndarray, w_hat: np.ndarray | None = None, nu: float | None = None
) -> LagrangianBound:
    """Certified bound on the relaxation (see module docstring): at ``nu``, or maximised over nu."""
    if w_hat is None:
        w_hat = solve_relaxation(problem, upper)
    lam = problem.risk_aversion
    grad = 2.0 * lam * (problem.covariance @ w_hat) - (1.0 - lam) * problem.expected_returns
    f_hat = problem.objective(w_hat)
    excess = w_hat.sum() - 1.0
    # The bound is concave piecewise-linear in nu with breakpoints at nu = grad_i: try them all.
    candidates = np.unique(grad) if nu is None else np.array([float(nu)])
    g = grad[None, :] - candidates[:, None]
    values = f_hat - candidates * excess + np.minimum(-g * w_hat, g * (upper - w_hat)).sum(axis=1)
    best = int(np.argmax(values))
    return LagrangianBound(float(values[best]), float(candidates[best]), w_hat, f_hat)
