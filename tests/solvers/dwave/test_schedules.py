"""Anneal schedules, the reverse-anneal shorthand and the initial state, checked before any QPU time."""

from __future__ import annotations

import numpy as np
import pytest

import qportfolio as qp
from qportfolio.data import synthetic_problem
from qportfolio.errors import ValidationError
from qportfolio.solvers.dwave.schedules import (
    anneal_controls,
    check_initial_state,
    check_schedule,
    is_reverse,
    reverse_schedule,
)


class _Child:
    properties = {"max_anneal_schedule_points": 4}


@pytest.mark.parametrize("s, hold, ramp", [(0.45, 10.0, 5.0), (0.01, 1.0, 0.5), (0.99, 200.0, 20.0)])
def test_reverse_schedule_goes_down_holds_and_comes_back(s, hold, ramp):
    points = np.array(reverse_schedule(s, hold, ramp))
    assert points.shape == (4, 2)
    t, level = points[:, 0], points[:, 1]
    assert t[0] == 0 and np.all(np.diff(t) > 0)
    np.testing.assert_allclose(np.diff(t), [ramp, hold, ramp])  # ramp down, hold, ramp up
    np.testing.assert_allclose(level, [1.0, s, s, 1.0])
    assert is_reverse(points.tolist()) and check_schedule(points.tolist(), "s") == points.tolist()


@pytest.mark.parametrize("s, hold, ramp, text", [
    (0.0, 10.0, 5.0, "reverse_anneal"), (1.0, 10.0, 5.0, "reverse_anneal"), (-0.2, 10.0, 5.0, "reverse_anneal"),
    (float("nan"), 10.0, 5.0, "reverse_anneal"), ("half", 10.0, 5.0, "reverse_anneal"),
    (0.5, 0.0, 5.0, "reverse_hold_us"), (0.5, -1.0, 5.0, "reverse_hold_us"), (0.5, float("inf"), 5.0, "reverse_hold_us"),
    (0.5, 10.0, 0.0, "ramp_us"),
])
def test_reverse_schedule_refuses_bad_values(s, hold, ramp, text):
    with pytest.raises(ValidationError, match=text):
        reverse_schedule(s, hold, ramp)


@pytest.mark.parametrize("points, text", [
    ([[0, 0]], "at least two"), ([[0, 0, 1], [5, 1, 1]], "at least two"), ([[1, 0], [5, 1]], "start at 0"),
    ([[0, 0], [5, 0.5], [5, 1]], "strictly increase"), ([[0, 0], [5, 1.2], [6, 1]], r"\[0, 1\]"),
    ([[0, 0], [5, 0.5]], "end at 1"), ([[0, 0.3], [5, 1]], "start at 0"),
])
def test_check_schedule_refuses_malformed_points(points, text):
    with pytest.raises(ValidationError, match=text):
        check_schedule(points, "anneal_schedule")
    assert not is_reverse(None) and not is_reverse([[0.0, 0.0], [5.0, 1.0]])


def test_check_initial_state():
    assert check_initial_state("heuristic", "initial_state") == "heuristic"
    assert check_initial_state({1: 1, "b": 0}, "initial_state") == {"1": 1, "b": 0}
    for bad in ({"a": 2}, "cold", [0, 1]):
        with pytest.raises(ValidationError, match="initial_state"):
            check_initial_state(bad, "initial_state")


def _qubo():
    return qp.encode(synthetic_problem(6, seed=4, cardinality=2, weight_step=0.25, min_weight=0.25), encoding="binary")


def test_anneal_controls_for_a_reverse_anneal_from_the_heuristic():
    qubo = _qubo()
    params, recorded = anneal_controls(qubo, _Child(), annealing_time=None, anneal_schedule=None, reverse_anneal=0.4,
                                       reverse_hold_us=3.0, initial_state="heuristic", reinitialize_state=False)
    assert params["anneal_schedule"] == reverse_schedule(0.4, 3.0) == recorded["anneal_schedule"]
    assert set(params["initial_state"]) == set(qubo.bqm.variables)
    assert set(params["initial_state"].values()) <= {0, 1} and params["reinitialize_state"] is False
    # the start is the heuristic portfolio: decoding it gives back that portfolio's objective
    units = qubo.calibration.heuristic_units
    assert recorded["initial_objective"] == pytest.approx(qubo.problem.objective(units * qubo.problem.weight_step))
    assert params["initial_state"] == {v: int(x) for v, x in qubo.encode_units(units).items()}


def test_anneal_controls_forward_and_refusals():
    qubo = _qubo()
    forward = [[0.0, 0.0], [10.0, 0.5], [20.0, 1.0]]
    params, recorded = anneal_controls(qubo, _Child(), annealing_time=None, anneal_schedule=forward,
                                       reverse_anneal=None, reverse_hold_us=10.0, initial_state=None,
                                       reinitialize_state=True)
    assert params == {"anneal_schedule": forward} and recorded == {"anneal_schedule": forward}
    base = {"annealing_time": None, "anneal_schedule": None, "reverse_anneal": None, "reverse_hold_us": 10.0,
            "initial_state": None, "reinitialize_state": True}
    for change, text in [({"reverse_anneal": 0.4, "anneal_schedule": forward}, "not both"),
                         ({"annealing_time": 5.0, "anneal_schedule": forward}, "give one"),
                         ({"reverse_anneal": 0.4}, "starts from a state"),
                         ({"initial_state": "heuristic"}, "start of a reverse anneal"),
                         ({"anneal_schedule": [[float(i), i / 4] for i in range(5)]}, "at most 4")]:
        with pytest.raises(ValidationError, match=text):
            anneal_controls(qubo, _Child(), **{**base, **change})
