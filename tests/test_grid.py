import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qportfolio.grid import feasible_units


def brute_feasible(lo, hi, k, total):
    for subset in itertools.combinations(range(len(lo)), k):
        if sum(lo[i] for i in subset) <= total <= sum(hi[i] for i in subset):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    bounds=st.lists(st.tuples(st.integers(1, 8), st.integers(0, 8)), min_size=1, max_size=6),
    k=st.integers(1, 6),
    total=st.integers(1, 20),
)
def test_dynamic_programme_matches_brute_force(bounds, k, total):
    lo = np.array([b[0] for b in bounds])
    hi = np.array([b[0] + b[1] - (b[1] == 0) * 0 for b in bounds])
    hi = np.where(np.arange(len(bounds)) % 3 == 2, lo - 1, hi)  # some assets with an empty range
    valid = [i for i in range(len(lo)) if lo[i] <= hi[i]]
    expected = k <= len(valid) and brute_feasible(lo[valid], hi[valid], k, total)
    witness = feasible_units(lo, hi, k, total) if k <= len(lo) else None
    assert (witness is not None) == expected
    if witness is not None:
        held = witness > 0
        assert held.sum() == k and witness.sum() == total
        assert np.all((witness[held] >= lo[held]) & (witness[held] <= hi[held]))
