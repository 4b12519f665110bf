"""Risk against a score: the trade-off, its sweep, and their agreement with the closed form at t = 0."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.classic import SHORTS_ALLOWED, min_variance, score_tradeoff
from qportfolio.classic.scores import score_frontier


def test_score_tradeoff_moves_towards_the_score(market):
    mu, cov = market
    score = np.linspace(0, 1, len(mu))
    low = score_tradeoff(None, cov, score, tradeoff=0.0)
    high = score_tradeoff(None, cov, score, tradeoff=0.01)
    assert high.weights @ score > low.weights @ score


def test_score_tradeoff_with_shorts_is_the_closed_form(market):
    """min w'Sigma w - t s'w, 1'w = 1: w = S^-1 (t s / 2 + nu 1) with nu fixing the budget."""
    _, cov = market
    score = np.linspace(-1, 1, cov.shape[0])
    t = 0.002
    inv = np.linalg.inv(cov)
    ones = np.ones(cov.shape[0])
    nu = (1 - t / 2 * ones @ inv @ score) / (ones @ inv @ ones)
    closed = inv @ (t / 2 * score + nu * ones)
    r = score_tradeoff(None, cov, score, tradeoff=t, constraints=SHORTS_ALLOWED)
    np.testing.assert_allclose(r.weights, closed, atol=1e-6)
    assert r.info["score"] == pytest.approx(score @ r.weights)


def test_score_frontier_starts_at_minimum_variance_and_matches_single_solves(market):
    mu, cov = market
    score = np.linspace(0, 1, len(mu))
    f = score_frontier(mu, cov, score, tradeoffs=[0.0, 0.005, 0.01])
    np.testing.assert_allclose(f.weights[0], min_variance(mu, cov).weights, atol=1e-6)
    single = score_tradeoff(mu, cov, score, tradeoff=0.005)
    np.testing.assert_allclose(f.weights[1], single.weights, atol=1e-6)
    assert np.all(np.diff(f.scores) >= -1e-9)
