"""Every weight encoding keeps the QUBO's guarantees: energy = objective on feasible
assignments, calibrated penalties that separate, exact decode and round trips."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qportfolio as qp
from qportfolio import encode, synthetic_problem
from qportfolio.encodings import WeightEncoding, available_encodings, get_encoding
from qportfolio.errors import ValidationError
from qportfolio.formulations.qubo import build_layout
from qportfolio.solvers.brute import count_portfolios

from .conftest import all_assignments, random_small_problem
from .formulations.qubo.test_model import random_feasible_units

ENCODINGS = ["binary", "unary", "domain-wall", "bounded-coefficient:2", "bounded-coefficient:4"]


@pytest.mark.parametrize("name", [*ENCODINGS, "bounded-coefficient:1", "bounded-coefficient:64"])
@pytest.mark.parametrize("span", range(0, 40))
def test_coefficients_cover_exactly_the_range(name, span):
    enc = get_encoding(name)
    coeffs = enc.coefficients(span)
    assert coeffs.sum() == span and np.all(coeffs >= 1)
    if len(coeffs) <= 14:
        sums = {int(np.dot(bits, coeffs)) for bits in itertools.product([0, 1], repeat=len(coeffs))}
        assert sums == set(range(span + 1))
    for rest in range(span + 1):
        bits = enc.canonical_bits(rest, span)
        assert int(bits @ coeffs) == rest
        if enc.chain:  # a domain wall: 1..10..0
            assert np.array_equal(bits, (np.arange(span) < rest).astype(int))


def test_encoding_sizes_and_structure():
    assert list(get_encoding("unary").coefficients(5)) == [1] * 5
    assert list(get_encoding("bounded-coefficient:4").coefficients(19)) == [1, 2, 4, 4, 4, 4]
    assert list(get_encoding("binary").coefficients(19)) == [1, 2, 4, 8, 4]
    assert list(get_encoding("domain-wall").parents(3)) == [-1, 0, 1]
    assert list(get_encoding("unary").parents(3)) == [-1, -1, -1]
    assert get_encoding("thermometer") == get_encoding("domain-wall")


@pytest.mark.parametrize("bad", ["onehot", "bounded-coefficient:3", "bounded-coefficient:x", "bounded-coefficient:0"])
def test_unknown_or_malformed_encoding_is_a_clear_error(bad, tiny_problem):
    with pytest.raises(ValidationError, match="encoding") as info:
        encode(tiny_problem, encoding=bad)
    if bad == "onehot":
        assert all(choice in str(info.value) for choice in ("binary", "unary", "domain-wall"))


@pytest.mark.parametrize("encoding", ENCODINGS[1:])
@pytest.mark.parametrize("seed", range(12))
def test_exhaustive_energy_and_penalty_separation(encoding, seed):
    problem = random_small_problem(seed, encoding=encoding)
    qubo = encode(problem, encoding=encoding)
    x = all_assignments(qubo.num_variables)
    energy = qubo.bqm.energies((x, list(qubo.layout.labels)))
    d = qubo.decode(x)
    feasible = d.feasible
    f = d.objective[feasible]
    assert np.all(np.abs(energy[feasible] - f) <= 1e-12 * np.maximum(np.abs(f), 1e-300) + 1e-18)
    if (~feasible).any():
        assert energy[~feasible].min() > f.min()
    assert np.array_equal(~feasible, (d.cardinality_violation != 0) | (d.budget_violation != 0) | (d.linking_violation != 0))
    # every feasible portfolio appears (the capped unit range loses none), once in a domain wall
    portfolios = {tuple(u) for u in d.units[feasible]}
    assert len(portfolios) == count_portfolios(problem)
    if encoding == "domain-wall":
        assert len(portfolios) == int(feasible.sum())


@pytest.mark.parametrize("encoding", ["unary", "domain-wall"])
@pytest.mark.parametrize("seed", range(4))
def test_separation_with_single_violation_box(encoding, seed):
    problem = synthetic_problem(4, seed=seed, cardinality=3, weight_step=0.2, min_weight=0.2, max_weight=0.6,
                                risk_aversion=[0.1, 0.5, 0.9, 0.0][seed])
    qubo = encode(problem, encoding=encoding)
    assert qubo.num_variables <= 16
    x = all_assignments(qubo.num_variables)
    energy = qubo.bqm.energies((x, list(qubo.layout.labels)))
    d = qubo.decode(x)
    assert energy[~d.feasible].min() > d.objective[d.feasible].min()


def test_domain_wall_penalises_a_broken_wall(tiny_problem):
    qubo = encode(tiny_problem, encoding="domain-wall")
    units = np.array([2, 2, 0, 0, 0])
    sample = qubo.encode_units(units)
    name = tiny_problem.assets[0]
    assert sample[f"{name}:w0"] == 1 and sample[f"{name}:w1"] == 0
    broken = dict(sample, **{f"{name}:w0": 0, f"{name}:w1": 1})  # same units, wall broken
    d = qubo.decode(broken)
    assert d.units[0][0] == 2 and d.linking_violation[0] == 1 and not d.feasible[0]
    assert qubo.bqm.energy(broken) == pytest.approx(qubo.bqm.energy(sample) + qubo.penalties.linking, rel=1e-12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), encoding=st.sampled_from(ENCODINGS), step=st.sampled_from([0.05, 0.1, 0.25]),
       k=st.integers(1, 4), lam=st.floats(0.0, 1.0))
def test_round_trip_and_energy_on_feasible(seed, encoding, step, k, lam):
    problem = synthetic_problem(6, seed=seed, cardinality=k, weight_step=step, min_weight=step, risk_aversion=lam)
    qubo = encode(problem, encoding=encoding)
    units = random_feasible_units(problem, np.random.default_rng(seed))
    sample = qubo.encode_units(units)
    decoded = qubo.decode(sample)
    assert decoded.feasible[0] and np.array_equal(decoded.units[0], units)
    f = problem.objective(units * step)
    # relative to the largest term summed (the offset): f near 0 is a cancellation of terms ~0.1
    assert abs(qubo.bqm.energy(sample) - f) <= 1e-12 * max(abs(f), abs(qubo.bqm.offset), 1e-300) + 1e-18


def test_sizes_and_coefficient_ratio_reported():
    problem = synthetic_problem(8, seed=3, cardinality=3, weight_step=0.05, min_weight=0.05)
    sizes = {name: encode(problem, encoding=name).summary() for name in ENCODINGS}
    # K = 3 of 20 units, minimum 1: no asset can hold more than 18 units, so 17 bits above the minimum
    assert sizes["binary"]["num_variables"] == 8 * (1 + len(get_encoding("binary").coefficients(17)))
    assert sizes["unary"]["num_variables"] == sizes["domain-wall"]["num_variables"] == 8 * 18
    assert all(s["encoding"] == name for name, s in sizes.items())
    # unit coefficients shrink the range of the budget term's couplings (c_u c_v = 1 for unary)
    assert sizes["unary"]["coefficient_ratio"] < sizes["binary"]["coefficient_ratio"]
    assert build_layout(problem, "domain-wall").encoding.name == "domain-wall"


def test_available_encodings_listed():
    assert {"binary", "unary", "domain-wall"} <= set(available_encodings())


def test_a_custom_encoding_object_works_end_to_end():
    """A WeightEncoding that no name refers to: encode, decode and encode_units use the object itself."""
    custom = WeightEncoding("my-capped-binary", cap=2)
    problem = qp.synthetic_problem(5, seed=4, cardinality=2, weight_step=0.1, min_weight=0.1)
    qubo = qp.encode(problem, encoding=custom)
    assert qubo.layout.encoding is custom and qubo.summary()["encoding"] == "my-capped-binary"
    exact = qp.solve(problem, "exact-discrete")
    units = np.round(exact.weights / problem.weight_step).astype(np.int64)
    assignment = qubo.encode_units(units)
    decoded = qubo.decode([assignment])
    assert decoded.feasible[0] and np.array_equal(decoded.units[0], units)
    assert qubo.bqm.energy(assignment) == pytest.approx(exact.objective, rel=1e-12)
    np.testing.assert_allclose(qubo.weights([assignment])[0], exact.weights)
    solved = qp.solve(problem, "sa", encoding=custom, num_reads=50, seed=3)
    assert solved.parameters["encoding"] is custom and solved.feasible
