"""Diagonal splits Sigma = diag(d) + R (R PSD, d >= 0) for perspective reformulations.

An exact model of a cardinality-constrained quadratic program writes the diagonal part with
perspective terms d_i x_i^2 / z_i, whose continuous relaxation is exact for an unheld asset, and
leaves the remainder R convex. The larger d, the stronger the relaxation: on the OR-Library sets
the SDP split below puts 16-23 % of the variance on the diagonal where the correlation split puts
6-11 %, and halves the root gap of the hardest points (see ``benchmarks/exact_speed.py``).

``"sdp"``: max sum_i d_i s.t. Sigma - diag(d) PSD, d >= 0 (the max-trace split of Frangioni &
Gentile 2007; Zheng, Sun & Li 2014 choose d for the bound instead, at the cost of a full SDP
relaxation), solved by a
log-barrier Newton method in numpy: an n-variable smooth concave problem whose Hessian is
(S^-1 o S^-1), so port5 (n = 225) takes about 0.4 s where a generic SDP solver needs minutes.

``"bound"`` (:func:`bound_diagonal`): the diagonal that maximises the perspective relaxation's
bound for one problem (Zheng, Sun & Li 2014), read from the duals of its SDP relaxation. It
depends on lambda, mu and the constraints, not only on Sigma; SCS solves the SDP in ~2.5 s for
n = 98. On port4 at lambda = 0.98 it puts 7 % of the variance on the diagonal (max-trace: 17 %)
yet raises the relaxation's bound from 0.391 to 0.423 of an optimum at 0.449 (scaled units).

``"factor"`` (:func:`factor_diagonal`): where the covariance is a factor model to round-off,
Sigma = B F B' + D with rank r well below n (synthetic instances, covariances estimated from fewer
periods than assets, shrinkage toward a diagonal), d = D in closed form. The remainder then has
rank r, so the exact model needs r cones with dense rows instead of n: at n = 1 000 SCIP's presolve
of n dense cones alone outlasted a 60 s limit. Refused where the covariance has no such form.
``"auto"`` (the default of the exact solvers): ``"factor"`` where it applies, else ``"sdp"``.

``"correlation"``: d = lambda_min(C) var, the largest uniform multiple of the variances (one
eigenvalue, no optimisation). ``"none"``: d = 0.

Whatever the split, validity is checked here, not assumed: d >= 0 and Sigma - diag(d) PSD with a
margin, so an inaccurate solver answer can weaken a bound but never make it wrong.
"""

from __future__ import annotations

import hashlib
import warnings
from typing import TYPE_CHECKING, Literal

import numpy as np
import scipy.linalg
from threadpoolctl import threadpool_limits

from ..errors import SolverError, ValidationError

if TYPE_CHECKING:
    from ..problem import PortfolioProblem

#: splits that depend on the covariance alone (:func:`diagonal_split`)
COVARIANCE_SPLITS = ("auto", "factor", "sdp", "correlation", "none")
#: every split the exact models accept (:func:`split_for`)
SPLITS = (*COVARIANCE_SPLITS, "bound")
SplitMethod = Literal["auto", "factor", "sdp", "correlation", "none", "bound"]
#: a covariance is a factor model when the rank-r fit leaves no entry above this fraction of the
#: largest variance (round-off of the float64 products that built it is ~1e-16)
FACTOR_RTOL = 1e-12
#: largest factor rank used, as a fraction of n: the closed form needs three disjoint index sets of
#: more than r assets each, and a remainder of rank near n saves nothing over the SDP split
FACTOR_MAX_RANK_FRACTION = 1 / 6
#: SCS's tolerance for the bound SDP: looser costs bound, tighter costs time (port4, lambda 0.98:
#: 1e-4 gives 99.9 % of the exact SDP's bound in 2.4 s, Clarabel's interior point takes 34 s)
BOUND_SDP_EPS = 1e-5


def _max_trace_diagonal(corr: np.ndarray, rtol: float = 1e-8, max_newton: int = 100) -> np.ndarray:
    """max sum d s.t. C - diag(d) PSD, d >= 0, for a positive definite C = ``corr`` of unit-order
    diagonal (barrier method).

    Barrier problem for mu > 0: maximise sum d + mu (log det(C - D) + sum log d). Its optimum is
    within 2 n mu of the SDP's, so mu shrinks tenfold until 2 n mu <= rtol * sum d.
    """
    n = corr.shape[0]
    d = np.full(n, 0.5 * float(np.linalg.eigvalsh(corr)[0]))
    mu = 1.0
    for _ in range(40):  # outer iterations: mu = 1, 0.1, ..., far below any useful rtol
        for _ in range(max_newton):
            chol = scipy.linalg.cho_factor(corr - np.diag(d), lower=True)
            inv = scipy.linalg.cho_solve(chol, np.eye(n))
            grad = 1.0 - mu * np.diag(inv) + mu / d
            hess = mu * (inv * inv) + np.diag(mu / d**2)  # minus the Hessian: positive definite
            step = scipy.linalg.solve(hess, grad, assume_a="pos")
            decrement = float(grad @ step)
            t = 1.0
            while t > 1e-12:  # backtrack into the interior (d > 0, C - D positive definite)
                trial = d + t * step
                if np.all(trial > 0) and _is_positive_definite(corr - np.diag(trial)):
                    break
                t *= 0.5
            else:
                break
            d = trial
            if decrement < 1e-10:
                break
        if 2.0 * n * mu <= rtol * float(d.sum()):
            return d
        mu *= 0.1
    raise SolverError("the SDP diagonal split did not converge; use split='correlation'")


def _is_positive_definite(matrix: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return False
    return True


def factor_diagonal(cov: np.ndarray) -> tuple[np.ndarray, int] | None:
    """(D, r) where ``cov`` = B F B' + D to round-off with r <= n/6 factors, else None.

    Off the diagonal a factor model is exactly low rank, so with three disjoint index sets A, C, E
    (assets i mod 3) and i in A, (BFB')_ii = Sigma_iC (Sigma_EC)^+ Sigma_Ei, the pseudo-inverse
    taken at the rank r that Sigma_EC's singular values show. O(n^2 r); checked, not trusted: D > 0
    and Sigma - D equal to its rank-r eigen-part within FACTOR_RTOL of the largest variance.
    """
    cov = np.asarray(cov, dtype=float)
    n = cov.shape[0]
    max_rank = int(n * FACTOR_MAX_RANK_FRACTION)
    if max_rank < 1:
        return None
    groups = [np.arange(g, n, 3) for g in range(3)]
    rank = None
    common = np.empty(n)
    for a, c, e in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
        ga, gc, ge = groups[a], groups[c], groups[e]
        u, s, vt = np.linalg.svd(cov[np.ix_(ge, gc)], full_matrices=False)
        if rank is None:  # the first block's singular values show the rank
            if s[0] <= 0:
                return None
            rank = int(np.sum(s > 1e-9 * s[0]))
            if rank > max_rank:
                return None
        pinv = (vt[:rank].T / s[:rank]) @ u[:, :rank].T  # |C| x |E|
        common[ga] = np.einsum("ij,ji->i", cov[np.ix_(ga, gc)] @ pinv, cov[np.ix_(ge, ga)])
    d = np.diag(cov) - common
    if not np.all(d > 0):
        return None
    eigval, eigvec = scipy.linalg.eigh(cov - np.diag(d), subset_by_index=[n - rank, n - 1])
    low_rank = (eigvec * eigval) @ eigvec.T
    if np.abs(cov - np.diag(d) - low_rank).max() > FACTOR_RTOL * float(np.diag(cov).max()):
        return None
    return d, rank


def diagonal_split(cov: np.ndarray, method: SplitMethod = "sdp") -> np.ndarray:
    """A diagonal d >= 0 with ``cov - diag(d)`` PSD with a margin (see the module docstring)."""
    return diagonal_split_named(cov, method)[0]


def diagonal_split_named(cov: np.ndarray, method: SplitMethod = "sdp") -> tuple[np.ndarray, str]:
    """:func:`diagonal_split` and the split it took ("factor (rank 3)" where ``auto`` found a factor model).

    Remembered per covariance (:data:`SPLIT_CACHE_SIZE` most recent): a frontier or a benchmark suite
    solves many points of one covariance, and the split is a function of the covariance alone.
    """
    if method == "bound":
        raise ValidationError("split 'bound' depends on the whole problem: use split_for(problem, 'bound')")
    if method not in COVARIANCE_SPLITS:
        raise ValidationError(f"split must be one of {', '.join(COVARIANCE_SPLITS)}; got {method!r}")
    cov = np.ascontiguousarray(cov, dtype=float)
    key = (method, cov.shape, hashlib.blake2b(cov.tobytes(), digest_size=16).digest())
    if key not in _split_cache:
        d, name = _compute_split(cov, method)
        d.flags.writeable = False
        _split_cache[key] = (d, name)
        while len(_split_cache) > SPLIT_CACHE_SIZE:
            _split_cache.pop(next(iter(_split_cache)))
    d, name = _split_cache[key]
    return d.copy(), name


#: covariances whose splits :func:`diagonal_split_named` remembers (oldest forgotten first)
SPLIT_CACHE_SIZE = 32
_split_cache: dict[tuple[str, tuple[int, ...], bytes], tuple[np.ndarray, str]] = {}


def _compute_split(cov: np.ndarray, method: SplitMethod) -> tuple[np.ndarray, str]:
    if method in ("auto", "factor"):
        found = factor_diagonal(cov)
        if found is not None:  # exact to round-off: no margin shrink, which would give the remainder full rank
            return found[0], f"factor (rank {found[1]})"
        if method == "factor":
            raise ValidationError("split='factor' needs a covariance that is a factor model (diagonal + rank <= n/6 "
                                  "to round-off); this one is not: use split='auto' or 'sdp'")
        method = "sdp"
    return _covariance_split(cov, method), method


def _covariance_split(cov: np.ndarray, method: SplitMethod) -> np.ndarray:
    var = np.diag(cov)
    if method == "none" or not np.all(var > 0):
        return np.zeros_like(var)
    scale = np.sqrt(var)
    corr = cov / np.outer(scale, scale)
    corr = 0.5 * (corr + corr.T)
    eig_min = float(np.linalg.eigvalsh(corr)[0])
    if eig_min <= 1e-10:  # singular: no diagonal can be split off
        return np.zeros_like(var)
    if method == "sdp":
        mean_var = float(var.mean())
        with threadpool_limits(1, user_api="blas"):  # n <= a few hundred: threads only contend
            d = _max_trace_diagonal(0.5 * (cov + cov.T) / mean_var) * mean_var
    else:
        d = eig_min * var
    return _valid_diagonal(cov, d)


def _valid_diagonal(cov: np.ndarray, d: np.ndarray) -> np.ndarray:
    """``d`` made safe: non-negative, and ``cov - diag(d)`` PSD with a margin.

    A d that misses by round-off is shifted down by the eigenvalue deficit; one that misses by more
    (an inaccurate SDP dual) is also scaled down to the PSD boundary, and the larger of the two kept.
    """
    d = np.clip(np.nan_to_num(d, nan=0.0, posinf=0.0), 0.0, None) * (1.0 - 1e-7)
    margin = 1e-9 * float(np.diag(cov).max())

    def is_valid(candidate: np.ndarray) -> bool:
        return float(np.linalg.eigvalsh(cov - np.diag(candidate))[0]) >= margin

    slack = float(np.linalg.eigvalsh(cov - np.diag(d))[0])
    if slack >= margin:
        return d
    candidates = [np.clip(d - 2.0 * (margin - slack), 0.0, None)]
    try:  # largest t with cov - t D >= margin I: t = 1 / lambda_max(L^-1 D L^-T), cov - margin I = L L'
        chol = np.linalg.cholesky(cov - 2.0 * margin * np.eye(len(d)))
        half = scipy.linalg.solve_triangular(chol, np.diag(np.sqrt(d)), lower=True)
        candidates.append(d * min(1.0, (1.0 - 1e-9) / max(float(np.linalg.eigvalsh(half.T @ half)[-1]), 1e-300)))
    except np.linalg.LinAlgError:
        pass
    valid = [c for c in candidates if is_valid(c)]
    return max(valid, key=lambda c: float(c.sum())) if valid else np.zeros_like(d)


def split_for(problem: PortfolioProblem, method: SplitMethod = "sdp") -> np.ndarray:
    """The diagonal of ``method`` for ``problem``'s covariance (any of :data:`SPLITS`)."""
    return split_for_named(problem, method)[0]


def split_for_named(problem: PortfolioProblem, method: SplitMethod = "sdp") -> tuple[np.ndarray, str]:
    """:func:`split_for` and the split it took (``auto`` resolves to "factor (rank r)" or "sdp")."""
    if method == "bound":
        return bound_diagonal(problem), "bound"
    return diagonal_split_named(problem.covariance, method)


def bound_diagonal(problem: PortfolioProblem, *, eps: float = BOUND_SDP_EPS) -> np.ndarray:
    """The diagonal d that maximises the perspective relaxation's bound for ``problem``.

    Zheng, Sun & Li (2014): over all valid d, the best perspective bound equals the SDP relaxation

        min <Q, W> + c'w  s.t.  [[1, w'], [w, W]] PSD,  [[z_i, w_i], [w_i, W_ii]] PSD,
                               sum w = 1, sum z = K, lo z <= w <= hi z, 0 <= z <= 1,

    and the best d_i is the dual of the i-th 2x2 block at its W_ii entry (f = lambda v (w'Qw + c'w)
    with Q = Sigma / v, v the mean variance). Falls back to the max-trace split when the SDP
    solver returns no duals; the answer is validated either way (:func:`_valid_diagonal`).
    """
    import cvxpy as cp  # imported here: cvxpy takes ~0.8 s to import, and most solves never need it

    cov, lam, n = problem.covariance, problem.risk_aversion, problem.n
    if lam == 0 or not np.all(np.diag(cov) > 0):
        return np.zeros(n)
    mean_var = float(np.mean(np.diag(cov)))
    q = 0.5 * (cov + cov.T) / mean_var
    c = -(1.0 - lam) * problem.expected_returns / (lam * mean_var)
    lifted = cp.Variable((n + 1, n + 1), symmetric=True)
    w, big_w, z = lifted[0, 1:], lifted[1:, 1:], cp.Variable(n)
    blocks = [cp.bmat([[z[i], w[i]], [w[i], big_w[i, i]]]) >> 0 for i in range(n)]
    constraints = [lifted >> 0, lifted[0, 0] == 1, cp.sum(w) == 1, cp.sum(z) == problem.cardinality, z <= 1,
                   w >= cp.multiply(problem.min_weight, z), w <= cp.multiply(problem.max_weight, z), *blocks]
    sdp = cp.Problem(cp.Minimize(cp.trace(q @ big_w) + c @ w), constraints)
    try:
        with threadpool_limits(1, user_api="blas"), warnings.catch_warnings():
            # "solution may be inaccurate" is harmless here: any d is validated below
            warnings.simplefilter("ignore", UserWarning)
            sdp.solve(solver=cp.SCS, eps=eps)
        duals = [block.dual_value for block in blocks]
    except cp.SolverError as exc:
        duals, why = [], str(exc)
    else:
        why = f"SCS status {sdp.status}"
    if len(duals) != n or any(dual is None for dual in duals):
        warnings.warn(f"split 'bound': the SDP gave no duals ({why}); using the max-trace split 'sdp' instead",
                      RuntimeWarning, stacklevel=2)
        return diagonal_split(cov, "sdp")
    return _valid_diagonal(cov, np.array([float(dual[1, 1]) for dual in duals]) * mean_var)
