"""CVaR: the minimum-CVaR LP against brute force, and the CVaR of a portfolio against its definition."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qportfolio.classic import cvar, min_cvar


def test_min_cvar_matches_brute_force_scenario_sorting():
    rng = np.random.default_rng(4)
    scenarios = rng.normal(0.004, 0.03, size=(200, 3)) + rng.normal(0, 0.02, size=(200, 1))
    alpha = 0.9
    r = min_cvar(scenarios, alpha=alpha)
    assert r.objective == pytest.approx(cvar(r.weights, scenarios, alpha), abs=1e-8)
    # brute force over a fine simplex grid: nothing beats the LP
    grid = [np.array(w) / 50 for w in itertools.product(range(51), repeat=3) if sum(w) == 50]
    best = min(cvar(w, scenarios, alpha) for w in grid)
    assert r.objective <= best + 1e-9
    assert r.objective >= best - 0.02 * abs(best)


def test_cvar_is_the_mean_of_the_worst_losses():
    rng = np.random.default_rng(2)
    scenarios = rng.normal(0.0, 0.02, size=(100, 4))
    w = np.array([0.1, 0.2, 0.3, 0.4])
    losses = np.sort(-(scenarios @ w))
    assert cvar(w, scenarios, 0.9) == pytest.approx(losses[-10:].mean())  # (1 - 0.9) 100 = 10 scenarios, whole
    # 97.5 %: 2.5 scenarios, the third worst weighted by half
    assert cvar(w, scenarios, 0.975) == pytest.approx((losses[-1] + losses[-2] + 0.5 * losses[-3]) / 2.5)


def test_min_cvar_reports_its_value_at_risk_and_meets_a_target_return():
    rng = np.random.default_rng(3)
    scenarios = rng.normal(0.002, 0.02, size=(150, 4)) + np.array([0.0, 0.001, 0.002, 0.003])
    target = float(scenarios.mean(axis=0)[2])
    r = min_cvar(scenarios, alpha=0.9, target_return=target)
    assert r.expected_return >= target - 1e-9
    losses = -(scenarios @ r.weights)
    assert np.mean(losses >= r.info["value_at_risk"] - 1e-9) >= 0.1  # the VaR is the (1 - alpha) loss quantile
