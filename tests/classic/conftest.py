"""Fixtures of the classical-toolkit tests."""

from __future__ import annotations

import pytest

from qportfolio.data import synthetic_problem


@pytest.fixture(params=[1, 2, 3])
def market(request):
    """(expected_returns, covariance) of three seeded 10-asset synthetic markets."""
    p = synthetic_problem(10, seed=request.param)
    return p.expected_returns, p.covariance
