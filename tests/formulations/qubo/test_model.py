"""QuboModel: energies equal the objective on feasible points, decode inverts encode_units, and
decode names every violation."""

import dimod
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qportfolio import encode, synthetic_problem
from qportfolio.errors import ValidationError
from qportfolio.solvers.brute import compositions

from ...conftest import all_assignments, random_small_problem


def random_feasible_units(problem, rng):
    lo, hi = problem.unit_bounds
    while True:
        idx = rng.choice(problem.n, size=problem.cardinality, replace=False)
        rows = compositions(problem.units, problem.cardinality, int(lo.min()), int(hi.max()))
        rows = rows[np.all((rows >= lo[idx]) & (rows <= hi[idx]), axis=1)]
        if rows.size:
            units = np.zeros(problem.n, dtype=np.int64)
            units[idx] = rows[rng.integers(rows.shape[0])]
            return units


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), step=st.sampled_from([0.05, 0.1, 0.2, 0.25]), k=st.integers(1, 4),
       lam=st.floats(0.0, 1.0), shift=st.booleans())
def test_energy_equals_objective_on_feasible_round_trip(seed, step, k, lam, shift):
    problem = synthetic_problem(6, seed=seed, cardinality=k, weight_step=step, min_weight=step, risk_aversion=lam)
    qubo = encode(problem, lagrangian_shift=shift)
    units = random_feasible_units(problem, np.random.default_rng(seed))
    sample = qubo.encode_units(units)
    decoded = qubo.decode(sample)
    assert decoded.feasible[0]
    assert np.array_equal(decoded.units[0], units)  # encode/decode round trip
    f = problem.objective(units * step)
    # relative to the largest term summed (the offset): f near 0 is a cancellation of terms ~0.1
    assert abs(qubo.bqm.energy(sample) - f) <= 1e-12 * max(abs(f), abs(qubo.bqm.offset), 1e-300) + 1e-18


@pytest.mark.parametrize("seed", range(6))
def test_structured_energies_and_decode_agree_with_the_bqm_on_every_assignment(seed):
    problem = random_small_problem(200 + seed)
    qubo = encode(problem)
    x = all_assignments(qubo.num_variables)
    bqm_energy = qubo.bqm.energies((x, list(qubo.layout.labels)))
    assert np.allclose(qubo.energies(x), bqm_energy, rtol=1e-12, atol=1e-12 * abs(qubo.offset))
    d = qubo.decode(x)
    # decoded infeasibility is exactly a violated constraint, and the units are M x
    assert np.array_equal(~d.feasible, (d.cardinality_violation != 0) | (d.budget_violation != 0) | (d.linking_violation != 0))
    units = np.zeros((len(x), problem.n), dtype=np.int64)
    for v, (i, c) in enumerate(zip(qubo.layout.asset, qubo.layout.coefficient)):
        units[:, i] += x[:, v] * c
    assert np.array_equal(d.units, units) and np.array_equal(d.weights, units * problem.weight_step)


def test_weight_bits_of_unselected_asset_are_penalised(tiny_problem):
    qubo = encode(tiny_problem)
    units = np.array([2, 2, 0, 0, 0])  # feasible: K=2, 4 units of 0.25
    sample = qubo.encode_units(units)
    base = qubo.bqm.energy(sample)
    bit = next(label for label in qubo.layout.labels if label.startswith(tiny_problem.assets[2] + ":w"))
    other = dict(sample, **{bit: 1})
    d = qubo.decode(other)
    assert not d.feasible[0] and d.linking_violation[0] == 1
    from qportfolio import solve

    optimum = solve(tiny_problem, "brute").objective
    assert qubo.bqm.energy(other) > optimum  # the linking penalty outweighs any gain
    assert base >= optimum


def test_sizes_and_summary(tiny_problem):
    qubo = encode(tiny_problem)
    assert qubo.num_variables == 15
    assert not qubo.has_bqm and qubo.num_interactions == 15 * 14 // 2  # counted from the structure
    assert isinstance(qubo.bqm, dimod.BinaryQuadraticModel) and qubo.bqm.vartype is dimod.BINARY
    assert qubo.has_bqm and qubo.count_interactions() == qubo.bqm.num_interactions
    s = qubo.summary()
    assert set(s["penalties"]) == {"cardinality", "budget", "linking"}
    assert s["calibration"]["lower_bound"] <= s["calibration"]["upper_bound"]


def test_selection_only_has_one_variable_per_asset():
    problem = synthetic_problem(9, seed=4, cardinality=3).selection_only_variant()
    qubo = encode(problem)
    assert qubo.num_variables == 9 and all(label.endswith(":sel") for label in qubo.bqm.variables)
    x = all_assignments(9)
    energy = qubo.bqm.energies((x, list(qubo.layout.labels)))
    d = qubo.decode(x)
    assert d.feasible.sum() == 84  # C(9, 3)
    assert np.allclose(energy[d.feasible], d.objective[d.feasible], rtol=1e-12, atol=0)
    assert energy[~d.feasible].min() > d.objective[d.feasible].min()


def test_samples_are_refused_with_the_reason(tiny_problem):
    qubo = encode(tiny_problem)
    with pytest.raises(ValidationError, match="lacks variable"):
        qubo.decode({"x": 1})
    with pytest.raises(ValidationError, match="3 columns, the QUBO has 15"):
        qubo.decode(np.zeros((1, 3), dtype=np.int8))
    with pytest.raises(ValidationError, match="outside the grid range"):
        qubo.encode_units(np.array([4, 0, 0, 0, 0]))  # 4 units > the asset's 3
