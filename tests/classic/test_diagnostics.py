"""Infeasibility diagnostics name an irreducible conflicting subset."""

from __future__ import annotations

import pytest

from qportfolio.classic import (
    Constraints,
    Group,
    conflicting_subset,
    min_variance,
    min_variance_for_return,
)
from qportfolio.data import synthetic_problem
from qportfolio.errors import InfeasibleProblemError


def test_diagnostics_name_the_conflicting_constraints():
    p = synthetic_problem(6, seed=1)
    a = p.assets
    c = Constraints(upper=0.3, groups=(Group("liquid", a[:2], floor=0.7),))
    with pytest.raises(InfeasibleProblemError) as err:
        min_variance(p.expected_returns, p.covariance, constraints=c, assets=a)
    message = str(err.value)
    for name in (f"upper:{a[0]}", f"upper:{a[1]}", "group_floor:liquid"):
        assert name in message
    assert "budget" not in message and f"upper:{a[3]}" not in message
    assert "miss by 0.1" in message
    # a target return above every asset's return conflicts with the budget and long-only bounds
    with pytest.raises(InfeasibleProblemError, match="target_return"):
        min_variance_for_return(p.expected_returns, p.covariance, target_return=p.expected_returns.max() * 2)


def test_conflicting_subset_is_irreducible():
    import cvxpy as cp

    w = cp.Variable(3)
    named = [("budget", cp.sum(w) == 1), ("cap_all", w <= 0.2), ("floor0", w[0] >= 0.0), ("loose", w[1] <= 5)]
    subset = conflicting_subset(named)
    names = [n for n, _ in subset]
    assert names == ["budget", "cap_all"]
