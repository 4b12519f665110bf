"""Benchmark metrics against hand computations and bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qportfolio.bench.metrics import frontier_deviation, objective_scale, optimum_probability, relative_gap, tts99
from qportfolio.data import synthetic_problem


def test_tts99_formula():
    assert tts99(1.0, 0.5) == pytest.approx(math.log(0.01) / math.log(0.5))
    assert tts99(0.2, 0.995) == 0.2
    assert tts99(1.0, 0.0) == math.inf
    assert tts99(None, 0.3) is None


def test_relative_gap_is_bounded_near_zero():
    assert relative_gap(1e-12, -1e-12) == pytest.approx(2.0)
    assert relative_gap(-3e-5, -3e-5) == 0.0
    assert relative_gap(-2e-5, -4e-5) == pytest.approx(0.5)
    assert relative_gap(-5e-5, -4e-5) < 0  # beats a time-limited reference


def test_objective_scale_bounds_the_objective_spread():
    rng = np.random.default_rng(0)
    for seed in range(5):
        p = synthetic_problem(12, seed=seed, cardinality=4, risk_aversion=float(rng.uniform()))
        w = rng.dirichlet(np.ones(p.n), size=4000)
        w = np.vstack([w, np.eye(p.n)])
        values = p.objective(w)
        assert values.max() - values.min() <= objective_scale(p) * (1 + 1e-12)


def test_optimum_probability_counts_samples_at_the_optimum():
    objs = [[-2.0, 3.0], [-2.0 + 1e-13, 1.0], [-1.0, 6.0]]
    assert optimum_probability(objs, 20, -2.0, 1.0) == pytest.approx(4 / 20)
    assert optimum_probability(None, 20, -2.0, 1.0) is None
    assert optimum_probability([], 20, -2.0, 1.0) == 0.0


def test_frontier_deviation_matches_hand_computation():
    uef = np.array([[0.01, 0.0004], [0.02, 0.0016], [0.03, 0.0036]])  # (mean, variance), unsorted is fine
    assert frontier_deviation(0.0016, 0.02, uef) == pytest.approx(0.0)
    # variance 10 % above the frontier at return 0.02: variance deviation 10 %; return deviation
    # at variance 0.00176: R* = 0.02 + 0.01 * (0.00016 / 0.002) = 0.0208 -> 100 * 0.0008 / 0.0208 = 3.85 %
    assert frontier_deviation(0.00176, 0.02, uef) == pytest.approx(100 * 0.0008 / 0.0208)
    assert frontier_deviation(0.01, 0.5, uef) is None  # outside both ranges
