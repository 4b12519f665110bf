import json

import numpy as np
import pytest

from qportfolio import PortfolioProblem, synthetic_problem
from qportfolio.errors import InfeasibleProblemError, ValidationError


def make(**kw):
    base = dict(
        assets=("A", "B", "C", "D"),
        expected_returns=np.array([0.01, 0.02, 0.015, 0.005]),
        covariance=np.diag([0.04, 0.09, 0.0625, 0.01]),
        cardinality=2,
        risk_aversion=0.5,
        min_weight=0.1,
        max_weight=0.9,
        weight_step=0.1,
    )
    base.update(kw)
    return PortfolioProblem(**base)


def test_valid_problem_fields():
    p = make()
    assert p.n == 4 and p.units == 10
    lo, hi = p.unit_bounds
    assert lo.tolist() == [1] * 4 and hi.tolist() == [9] * 4
    assert not p.selection_only
    with pytest.raises(ValueError):
        p.expected_returns[0] = 1.0  # frozen arrays


def test_objective_closed_form():
    p = make()
    w = np.array([0.5, 0.5, 0.0, 0.0])
    expected = 0.5 * (0.25 * 0.04 + 0.25 * 0.09) - 0.5 * (0.5 * 0.01 + 0.5 * 0.02)
    assert p.objective(w) == pytest.approx(expected, rel=1e-15)
    assert p.volatility(w) == pytest.approx(np.sqrt(0.25 * 0.04 + 0.25 * 0.09))
    assert p.is_feasible(w)
    assert "holds 1 assets" in p.violations(np.array([1.0, 0, 0, 0]))[0]


@pytest.mark.parametrize(
    "kw, field",
    [
        (dict(expected_returns=np.array([0.01, np.nan, 0.0, 0.0])), "expected_returns"),
        (dict(expected_returns=np.array([0.01, 0.0])), "expected_returns"),
        (dict(covariance=np.ones((3, 3))), "covariance"),
        (dict(covariance=np.array([[1, 0.5, 0, 0], [0.4, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1.0]])), "not symmetric"),
        (dict(covariance=np.array([[1, 2, 0, 0], [2, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1.0]])), "not positive semidefinite"),
        (dict(covariance=np.diag([1, np.inf, 1, 1.0])), "NaN or inf"),
        (dict(cardinality=5), "exceeds the number of assets"),
        (dict(cardinality=0), "cardinality"),
        (dict(cardinality=2.0), "cardinality"),
        (dict(risk_aversion=1.5), "risk_aversion"),
        (dict(min_weight=0.0), "min_weight must be > 0"),
        (dict(max_weight=1.2), "max_weight must be <= 1"),
        (dict(min_weight=0.6, max_weight=0.5), "min_weight > max_weight"),
        (dict(assets=("A", "A", "C", "D")), "unique"),
        (dict(min_weight=[0.1, 0.1]), "min_weight must be a number or a list of 4"),
    ],
)
def test_validation_errors_name_the_field(kw, field):
    with pytest.raises(ValidationError, match=field):
        make(**kw)


@pytest.mark.parametrize(
    "kw, text",
    [
        (dict(min_weight=0.6), r"cardinality \* min_weight > 1"),
        (dict(max_weight=0.4), r"cardinality \* max_weight < 1"),
        (dict(weight_step=0.03, min_weight=0.03), "not reachable on the grid"),
        (dict(min_weight=0.15, max_weight=0.19), "no multiple of weight_step"),
        # per-asset bounds whose smallest/largest sums pass but no K-subset can sum to 1
        (dict(min_weight=[0.1, 0.1, 0.95, 0.95], max_weight=[0.2, 0.2, 1.0, 1.0], weight_step=0.05), "per-asset bounds"),
    ],
)
def test_infeasible_bounds(kw, text):
    with pytest.raises(InfeasibleProblemError, match=text):
        make(**kw)


def test_non_psd_repair_is_explicit():
    from qportfolio.data import problem_from_spec

    spec = dict(assets=["A", "B", "C"], expected_returns=[0.01, 0.02, 0.03], cardinality=2, weight_step=0.1, min_weight=0.1,
                covariance=[[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    with pytest.raises(ValidationError, match="repair_covariance=True"):
        problem_from_spec(spec)
    p = problem_from_spec(spec, repair_covariance=True)
    assert np.linalg.eigvalsh(p.covariance)[0] >= -1e-12
    assert "nearest-psd" in p.source


def test_fingerprint_stable_and_sensitive():
    a = synthetic_problem(6, seed=1, cardinality=2)
    b = synthetic_problem(6, seed=1, cardinality=2)
    assert a.fingerprint == b.fingerprint
    assert a.fingerprint != a.replace(risk_aversion=0.4).fingerprint
    assert a.fingerprint != synthetic_problem(6, seed=2, cardinality=2).fingerprint


def test_spec_round_trip():
    from qportfolio.data import problem_from_spec

    p = make(min_weight=[0.1, 0.2, 0.1, 0.1])
    q = problem_from_spec(json.loads(json.dumps(p.to_spec())))
    assert q.fingerprint == p.fingerprint


def test_selection_only_variant():
    p = synthetic_problem(7, seed=0, cardinality=3).selection_only_variant()
    assert p.selection_only and p.units == 3
    assert p.unit_bounds[0].tolist() == [1] * 7


@pytest.mark.parametrize("kw", [dict(), dict(cardinality=3, min_weight=0.2), dict(min_weight=[0.1, 0.3, 0.2, 0.1]),
                                dict(cardinality=1, max_weight=1.0), dict(max_weight=0.5)])
def test_unit_caps_are_the_most_any_feasible_portfolio_holds(kw):
    """Brute force over every grid portfolio: no feasible one exceeds the caps, and with equal lower
    bounds some feasible portfolio reaches each asset's cap."""
    import itertools

    p = make(**kw)
    lo, hi = p.unit_bounds
    most = np.zeros(p.n, dtype=np.int64)
    for units in itertools.product(range(p.units + 1), repeat=p.n):
        w = np.array(units) * p.weight_step
        if sum(units) == p.units and p.is_feasible(w):
            most = np.maximum(most, units)
    caps = p.unit_caps
    assert caps is p.unit_caps and not caps.flags.writeable
    assert np.all(most <= caps) and np.all(caps <= hi) and np.all(caps >= lo)
    if np.all(lo == lo[0]):
        assert np.array_equal(most, caps)
