"""The QUBO's required properties, each against an independent oracle."""

import dimod
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qportfolio import encode, synthetic_problem
from qportfolio.errors import ValidationError
from qportfolio.formulations.qubo import bounded_coefficients, build_layout
from qportfolio.solvers.brute import compositions, count_portfolios

from ..conftest import all_assignments, random_small_problem


@pytest.mark.parametrize("span", range(0, 70))
def test_bounded_coefficients_cover_exactly_the_range(span):
    coeffs = bounded_coefficients(span)
    assert coeffs.sum() == span
    sums = {int(np.dot(bits, coeffs)) for bits in all_assignments(len(coeffs))} if len(coeffs) else {0}
    assert sums == set(range(span + 1))  # nothing outside [lo, hi] is encodable


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


@pytest.mark.parametrize("seed", range(25))
def test_exhaustive_energy_and_penalty_separation(seed):
    problem = random_small_problem(seed)
    qubo = encode(problem)
    x = all_assignments(qubo.num_variables)
    energy = qubo.bqm.energies((x, list(qubo.layout.labels)))
    d = qubo.decode(x)
    feasible = d.feasible
    assert feasible.any()
    f = d.objective[feasible]
    # energy + offset (bqm.energy includes the offset) equals f(w) on every feasible assignment
    assert np.all(np.abs(energy[feasible] - f) <= 1e-12 * np.maximum(np.abs(f), 1e-300) + 1e-18)
    # calibrated penalties: every infeasible assignment is above the feasible optimum
    if (~feasible).any():
        assert energy[~feasible].min() > f.min()
    assert len({tuple(u) for u in d.units[feasible]}) == count_portfolios(problem)  # none lost to the unit cap
    # decoded infeasibility is exactly a violated constraint
    assert np.array_equal(~feasible, (d.cardinality_violation != 0) | (d.budget_violation != 0) | (d.linking_violation != 0))


@pytest.mark.parametrize("seed", range(10))
def test_separation_without_lagrangian_shift(seed):
    problem = random_small_problem(100 + seed)
    qubo = encode(problem, lagrangian_shift=False)
    x = all_assignments(qubo.num_variables)
    energy = qubo.bqm.energies((x, list(qubo.layout.labels)))
    d = qubo.decode(x)
    assert energy[~d.feasible].min() > d.objective[d.feasible].min()
    assert qubo.penalties.budget >= qubo.penalties.cardinality


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


def test_layout_and_sizes(tiny_problem):
    layout = build_layout(tiny_problem)
    assert layout.labels[:3] == ("S1:sel", "S1:w0", "S1:w1")  # 1..3 units: lo=1, span 2 -> coefficients 1, 1
    qubo = encode(tiny_problem)
    assert qubo.num_variables == 15
    assert qubo.num_interactions == 15 * 14 // 2
    assert isinstance(qubo.bqm, dimod.BinaryQuadraticModel) and qubo.bqm.vartype is dimod.BINARY
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


def test_explicit_penalties_and_errors(tiny_problem):
    q = encode(tiny_problem, penalties={"cardinality": 1.0, "budget": 2.0, "linking": 3.0}, lagrangian_shift=False)
    assert q.penalties.as_dict() == {"cardinality": 1.0, "budget": 2.0, "linking": 3.0}
    assert encode(tiny_problem, penalty_scale=2.0).penalties.budget == pytest.approx(2 * encode(tiny_problem).penalties.budget)
    with pytest.raises(ValidationError, match="penalty_scale"):
        encode(tiny_problem, penalty_scale=0)
    with pytest.raises(ValidationError, match="penalties: unknown"):
        encode(tiny_problem, penalties={"budgett": 1.0})
    with pytest.raises(ValidationError, match="lacks variable"):
        q.decode({"x": 1})


def test_encode_port5_fine_grid():
    from qportfolio.data import load_orlib

    qubo = encode(load_orlib("port5", weight_step=0.01))
    assert qubo.num_variables == 225 * 8  # selection + 7 bits for 0..99 extra units
    assert qubo.num_interactions == qubo.num_variables * (qubo.num_variables - 1) // 2


@pytest.mark.parametrize("seed", range(4))
def test_separation_with_single_violation_box(seed):
    """K = 4 makes the single-violation box tighter than the full one: check it exhaustively."""
    from qportfolio.formulations.qubo import single_violation_cap

    problem = synthetic_problem(5, seed=seed, cardinality=4, weight_step=0.125, min_weight=0.125, max_weight=1.0,
                                risk_aversion=[0.1, 0.5, 0.9, 0.0][seed])
    assert single_violation_cap(problem) == 6 < problem.unit_bounds[1].max() == 8  # the cap binds
    qubo = encode(problem)
    x = all_assignments(qubo.num_variables)
    energy = qubo.bqm.energies((x, list(qubo.layout.labels)))
    d = qubo.decode(x)
    assert energy[~d.feasible].min() > d.objective[d.feasible].min()
    assert np.allclose(energy[d.feasible], d.objective[d.feasible], rtol=1e-12, atol=1e-18)
