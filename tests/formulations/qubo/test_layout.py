"""The QUBO's variables: coefficients that cover exactly each asset's unit range, labels, and sizes
against a brute-force count of the encodable units."""

import numpy as np
import pytest

from qportfolio import synthetic_problem
from qportfolio.formulations.qubo import bounded_coefficients, build_layout, encoded_unit_bounds

from ...conftest import SMALL, all_assignments


@pytest.mark.parametrize("span", range(0, 70))
def test_bounded_coefficients_cover_exactly_the_range(span):
    coeffs = bounded_coefficients(span)
    assert coeffs.sum() == span
    sums = {int(np.dot(bits, coeffs)) for bits in all_assignments(len(coeffs))} if len(coeffs) else {0}
    assert sums == set(range(span + 1))  # nothing outside [lo, hi] is encodable


def test_layout_labels(tiny_problem):
    layout = build_layout(tiny_problem)
    assert layout.labels[:3] == ("S1:sel", "S1:w0", "S1:w1")  # 1..3 units: lo=1, span 2 -> coefficients 1, 1
    assert layout.num_variables == 15
    assert np.array_equal(layout.asset[layout.selection_index], np.arange(tiny_problem.n))
    assert layout.is_selection.sum() == tiny_problem.n and np.all(layout.parent[layout.selection_index] == -1)


def test_encoded_bounds_are_the_problems_unit_caps():
    problem = synthetic_problem(6, seed=2, cardinality=3, weight_step=0.1, min_weight=0.2, max_weight=1.0)
    lo, hi = encoded_unit_bounds(problem)
    assert lo is problem.unit_bounds[0] and hi is problem.unit_caps
    assert np.all(hi == 10 - 2 * 2)  # U - (K - 1) lo_min = 10 - 2 * 2 < max_weight's 10 units


@pytest.mark.parametrize("encoding", ["binary", "unary", "domain-wall", "bounded-coefficient:2"])
@pytest.mark.parametrize("problem", SMALL[:8], ids=lambda p: p.fingerprint[:6])
def test_each_asset_encodes_exactly_zero_and_its_unit_range(encoding, problem):
    """Brute force per asset: the units its bits reach when selected are exactly [lo_i, cap_i], and
    the variable count is the sum over assets of one selection bit and the weight bits."""
    layout = build_layout(problem, encoding)
    lo, hi = problem.unit_bounds[0], problem.unit_caps
    total = 0
    for i in range(problem.n):
        cols = np.flatnonzero(layout.asset == i)
        total += cols.size
        x = all_assignments(cols.size)
        x = x[x[:, 0] == 1]  # selection bit set (it is the asset's first variable)
        bits, parents = x[:, 1:], layout.parent[cols[1:]] - cols[0]
        valid = np.all(bits <= x[:, parents], axis=1) if bits.shape[1] else np.ones(len(x), dtype=bool)
        reached = set((x[valid] @ layout.coefficient[cols]).tolist())
        assert reached == set(range(int(lo[i]), int(hi[i]) + 1))
    assert total == layout.num_variables
