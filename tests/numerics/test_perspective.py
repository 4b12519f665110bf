"""Diagonal splits: the barrier SDP against cvxpy's SDP, PSD remainders, edge cases."""

from __future__ import annotations

import warnings

import cvxpy as cp
import numpy as np
import pytest

from qportfolio.data import synthetic_problem
from qportfolio.errors import ValidationError
from qportfolio.numerics.perspective import (
    COVARIANCE_SPLITS,
    _valid_diagonal,
    bound_diagonal,
    diagonal_split,
    diagonal_split_named,
    factor_diagonal,
    split_for,
)


def random_covariance(n: int, seed: int, factors: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    loadings = rng.normal(size=(n, factors))
    noise = rng.uniform(0.05, 0.5, size=n)
    return (loadings @ loadings.T + np.diag(noise)) * 1e-3


def cvxpy_max_trace(cov: np.ndarray) -> float:
    d = cp.Variable(cov.shape[0], nonneg=True)
    scaled = cov / np.mean(np.diag(cov))
    prob = cp.Problem(cp.Maximize(cp.sum(d)), [scaled - cp.diag(d) >> 0])
    with warnings.catch_warnings():  # Clarabel may flag 'inaccurate' at 1e-8; agreement to 1e-5 is what is checked
        warnings.simplefilter("ignore", UserWarning)
        prob.solve(solver=cp.CLARABEL)
    return float(prob.value) * np.mean(np.diag(cov))


@pytest.mark.parametrize("seed", range(4))
def test_sdp_split_is_the_sdp_optimum_and_leaves_a_psd_remainder(seed):
    cov = random_covariance(12, seed)
    d = diagonal_split(cov, "sdp")
    assert np.all(d >= 0)
    assert np.linalg.eigvalsh(cov - np.diag(d))[0] >= 0
    assert d.sum() == pytest.approx(cvxpy_max_trace(cov), rel=1e-5)


def test_sdp_split_dominates_the_correlation_split():
    cov = random_covariance(20, 7, factors=3)
    sdp, corr = diagonal_split(cov, "sdp"), diagonal_split(cov, "correlation")
    assert sdp.sum() >= corr.sum() * (1 - 1e-9)
    assert np.linalg.eigvalsh(cov - np.diag(corr))[0] >= 0


def test_diagonal_covariance_splits_off_almost_everything():
    cov = np.diag([0.04, 0.09, 0.01])
    for method in ("sdp", "correlation"):
        d = diagonal_split(cov, method)
        assert d == pytest.approx(np.diag(cov), rel=1e-6)


def test_singular_covariance_and_none_give_zero():
    v = np.array([1.0, 2.0, 3.0])
    singular = np.outer(v, v) * 1e-3  # rank one: no diagonal can be split off
    assert np.all(diagonal_split(singular, "sdp") == 0)
    assert np.all(diagonal_split(random_covariance(5, 1), "none") == 0)


@pytest.mark.parametrize(("n", "factors"), [(12, 1), (60, 2), (60, 10), (300, 5)])
def test_factor_diagonal_recovers_the_idiosyncratic_variances(n, factors):
    rng = np.random.default_rng(n + factors)
    loadings = rng.normal(size=(n, factors)) * 0.01
    idio = rng.uniform(0.5, 2.0, size=n) * 1e-4
    cov = loadings @ loadings.T + np.diag(idio)
    d, rank = factor_diagonal(cov)
    assert rank == factors
    np.testing.assert_allclose(d, idio, rtol=1e-8)
    assert np.linalg.matrix_rank(cov - np.diag(d), tol=1e-12 * cov.max()) == factors
    assert diagonal_split_named(cov, "auto")[1] == f"factor (rank {factors})"


def test_factor_diagonal_refuses_full_rank_and_too_many_factors():
    rng = np.random.default_rng(3)
    returns = rng.normal(size=(200, 30))  # a sample covariance of more periods than assets: full rank
    cov = np.cov(returns, rowvar=False)
    assert factor_diagonal(cov) is None
    d, used = diagonal_split_named(cov, "auto")
    assert used == "sdp" and np.allclose(d, diagonal_split(cov, "sdp"))
    loadings = rng.normal(size=(30, 8))  # 8 factors > n/6
    assert factor_diagonal(loadings @ loadings.T + np.eye(30)) is None
    with pytest.raises(ValidationError, match="split='factor' needs a covariance that is a factor model"):
        diagonal_split(cov, "factor")


def test_unknown_split_names_the_choices():
    with pytest.raises(ValidationError, match="split must be one of " + ", ".join(COVARIANCE_SPLITS)):
        diagonal_split(np.eye(2), "eigen")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"depends on the whole problem: use split_for\(problem, 'bound'\)"):
        diagonal_split(np.eye(2), "bound")


# --- the bound-optimal split (Zheng, Sun & Li) ---------------------------------------------------


def perspective_bound(problem, d: np.ndarray) -> float:
    """The continuous relaxation of the exact model with diagonal d (in f's units), by Clarabel."""
    n, lam = problem.n, problem.risk_aversion
    rem = problem.covariance - np.diag(d)
    w, z = cp.Variable(n), cp.Variable(n)
    persp = sum(d[i] * cp.quad_over_lin(w[i], z[i]) for i in range(n) if d[i] > 0)
    objective = lam * (cp.quad_form(w, cp.psd_wrap(0.5 * (rem + rem.T))) + persp) - (1 - lam) * problem.expected_returns @ w
    constraints = [cp.sum(w) == 1, cp.sum(z) == problem.cardinality, z <= 1,
                   w >= cp.multiply(problem.min_weight, z), w <= cp.multiply(problem.max_weight, z)]
    prob = cp.Problem(cp.Minimize(objective), constraints)
    prob.solve(solver=cp.CLARABEL)
    return float(prob.value)


def shor_sdp_bound(problem) -> float:
    """The SDP relaxation of the module docstring, by Clarabel (the value the best d reaches)."""
    n, lam = problem.n, problem.risk_aversion
    lifted = cp.Variable((n + 1, n + 1), symmetric=True)
    w, big_w, z = lifted[0, 1:], lifted[1:, 1:], cp.Variable(n)
    constraints = [lifted >> 0, lifted[0, 0] == 1, cp.sum(w) == 1, cp.sum(z) == problem.cardinality, z <= 1,
                   w >= cp.multiply(problem.min_weight, z), w <= cp.multiply(problem.max_weight, z)]
    constraints += [cp.bmat([[z[i], w[i]], [w[i], big_w[i, i]]]) >> 0 for i in range(n)]
    objective = lam * cp.trace(problem.covariance @ big_w) - (1 - lam) * problem.expected_returns @ w
    prob = cp.Problem(cp.Minimize(objective), constraints)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        prob.solve(solver=cp.CLARABEL)
    return float(prob.value)


BOUND_CASES = [synthetic_problem(12, seed=s, cardinality=3, risk_aversion=lam, min_weight=0.05)
               for s, lam in ((41, 0.9), (42, 0.98), (43, 0.5))]


@pytest.mark.parametrize("problem", BOUND_CASES, ids=lambda p: p.name)
def test_bound_split_is_valid_reaches_the_sdp_bound_and_beats_max_trace(problem):
    d = bound_diagonal(problem)
    assert np.all(d >= 0)
    assert np.linalg.eigvalsh(problem.covariance - np.diag(d))[0] >= 0
    best = shor_sdp_bound(problem)
    reached = perspective_bound(problem, d)
    size = abs(best) + problem.risk_aversion * float(np.mean(np.diag(problem.covariance)))
    assert reached <= best + 1e-7 * size  # no diagonal beats the SDP (Zheng, Sun & Li)
    assert reached >= best - 1e-3 * size  # and this one reaches it up to SCS's tolerance
    assert reached >= perspective_bound(problem, diagonal_split(problem.covariance, "sdp")) - 1e-7 * size
    assert split_for(problem, "bound") == pytest.approx(d, rel=1e-12, abs=0)  # SCS is deterministic


def test_bound_split_falls_back_to_max_trace_with_a_warning(monkeypatch):
    def no_duals(self, *args, **kwargs):
        raise cp.SolverError("Solver 'SCS' failed.")

    monkeypatch.setattr(cp.Problem, "solve", no_duals)
    problem = BOUND_CASES[0]
    with pytest.warns(RuntimeWarning, match=r"split 'bound': the SDP gave no duals .*SCS.* using the max-trace split"):
        d = bound_diagonal(problem)
    assert d == pytest.approx(diagonal_split(problem.covariance, "sdp"), rel=1e-12)


def test_bound_split_is_zero_without_risk_term():
    problem = synthetic_problem(6, seed=1, cardinality=2, risk_aversion=0.0)
    assert np.all(bound_diagonal(problem) == 0)


@pytest.mark.parametrize("factor", [1.0 + 1e-6, 2.0, 100.0])
def test_an_invalid_diagonal_is_made_valid_not_trusted(factor):
    """An inaccurate SDP dual may overshoot: the diagonal is shifted or scaled back into validity."""
    cov = random_covariance(15, 3)
    too_big = diagonal_split(cov, "sdp") * factor + 1e-6
    d = _valid_diagonal(cov, too_big)
    assert np.all(d >= 0) and np.all(d <= too_big)
    assert np.linalg.eigvalsh(cov - np.diag(d))[0] > 0
    assert d.sum() >= 0.5 * diagonal_split(cov, "sdp").sum() / factor  # scaled, not thrown away


def test_a_remembered_split_is_the_computed_one_and_a_private_copy(monkeypatch):
    import qportfolio.numerics.perspective as perspective

    cov = random_covariance(15, 11)
    first = diagonal_split(cov, "sdp")
    calls = []
    monkeypatch.setattr(perspective, "_compute_split", lambda *a: calls.append(a) or (np.zeros(15), "x"))
    again = diagonal_split(cov.copy(), "sdp")  # same values, new array: remembered
    assert calls == [] and np.array_equal(first, again)
    again[:] = -1.0  # the caller's copy, not the cache
    assert np.array_equal(diagonal_split(cov, "sdp"), first)
    changed = cov.copy()
    changed[0, 0] *= 1.5  # another covariance is another split
    diagonal_split(changed, "sdp")
    assert len(calls) == 1
    assert diagonal_split(cov, "correlation") is not None and len(calls) == 2  # per split method too
