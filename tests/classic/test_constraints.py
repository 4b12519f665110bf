"""Constraint sets (box, groups/sectors) hold in the answers."""

from __future__ import annotations

from qportfolio.classic import (
    Constraints,
    Group,
    min_variance,
)
from qportfolio.data import synthetic_problem


def test_group_sector_and_box_constraints_hold():
    p = synthetic_problem(8, seed=2)
    assets = p.assets
    c = Constraints(upper=0.3, groups=(Group("tech", assets[:3], cap=0.2), Group("liquid", assets[3:6], floor=0.5)))
    r = min_variance(p.expected_returns, p.covariance, constraints=c, assets=assets)
    w = r.weights
    assert w.max() <= 0.3 + 1e-7 and w[:3].sum() <= 0.2 + 1e-7 and w[3:6].sum() >= 0.5 - 1e-7
    assert set(r.duals) >= {"budget", "group_cap:tech", "group_floor:liquid"}
