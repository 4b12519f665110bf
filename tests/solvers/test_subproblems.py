"""Subproblem selections: at most ``size`` variables of the chosen assets, walls around the units held."""

from __future__ import annotations

import numpy as np
import pytest

import qportfolio as qp
from qportfolio.solvers.subproblems import asset_bits, portfolio_variables, wall_window


def qubo():
    problem = qp.synthetic_problem(8, seed=3, cardinality=3, weight_step=0.1, min_weight=0.1)
    return qp.encode(problem, encoding="domain-wall")


def test_asset_bits_partition_the_variables_selection_bit_first():
    q = qubo()
    bits = asset_bits(q)
    assert sorted(np.concatenate(bits).tolist()) == list(range(q.num_variables))
    assert [int(b[0]) for b in bits] == [int(s) for s in q.layout.selection_index]


@pytest.mark.parametrize("mode", ["wall", "assets"])
@pytest.mark.parametrize("size", [3, 8, 15])
def test_portfolio_variables_fit_the_size_and_come_from_whole_assets_or_walls(mode, size):
    q = qubo()
    labels = list(q.layout.labels)
    x0 = q.encode_units(np.array([4, 3, 3, 0, 0, 0, 0, 0]))
    x = np.array([x0[v] for v in labels])
    bits = asset_bits(q)
    chosen = portfolio_variables(q, x, size, mode, np.random.default_rng(size), bits)
    assert 0 < chosen.size <= size and np.unique(chosen).size == chosen.size
    if mode == "wall":
        windows = np.concatenate([wall_window(b, x, 2) for b in bits])
        assert set(chosen.tolist()) <= set(windows.tolist())


def test_a_wall_window_holds_the_last_set_and_first_clear_bits():
    q = qubo()
    labels = list(q.layout.labels)
    x0 = q.encode_units(np.array([4, 3, 3, 0, 0, 0, 0, 0]))
    x = np.array([x0[v] for v in labels])
    bits = asset_bits(q)[0]
    window = wall_window(bits, x, 1)
    weight = bits[1:]
    held = int(x[weight].sum())
    assert x[window].tolist().count(1) >= 1 and {int(weight[held - 1]), int(weight[held])} <= set(window.tolist())
