"""Brute-force enumeration: its counts and its refusals."""

from __future__ import annotations

import pytest

from qportfolio import solve, synthetic_problem
from qportfolio.errors import SolverError
from qportfolio.solvers.brute import count_portfolios


def test_brute_refuses_large():
    problem = synthetic_problem(30, seed=0, cardinality=10, weight_step=0.01, min_weight=0.01)
    with pytest.raises(SolverError, match="brute force refuses"):
        solve(problem, "brute")
    small = synthetic_problem(4, seed=0, cardinality=2, weight_step=0.25, min_weight=0.25)
    assert count_portfolios(small) == 6 * 3  # 6 pairs x {(1,3),(2,2),(3,1)}
