"""Penalties: one rule for explicit strengths (finite and > 0, through encode and through every solver's
``penalties`` option alike), the single-violation cap against brute force, and calibration from the
problem's one cached feasible start."""

import math

import numpy as np
import pytest

from qportfolio import encode, solve, synthetic_problem
from qportfolio.bounds.start import feasible_start
from qportfolio.errors import QPortfolioError, ValidationError
from qportfolio.formulations.penalties import Penalties, as_penalties, calibrate_penalties, single_violation_cap
from qportfolio.formulations.qubo import Penalties as QuboPenalties

from ..conftest import SMALL, all_assignments


def test_valid_values_become_penalties():
    assert as_penalties(2) == Penalties(2.0, 2.0, 2.0)
    assert as_penalties({"linking": 3, "budget": 2.0, "cardinality": 1}) == Penalties(1.0, 2.0, 3.0)
    given = Penalties(1e-9, 5.0, 1.0)
    assert as_penalties(given) == given
    assert QuboPenalties is Penalties  # the old import path names the same class


@pytest.mark.parametrize("bad, message", [
    (0, "penalties must be a positive number, got 0"),
    (-1.0, "penalties must be a positive number"),
    (math.nan, "penalties must be a finite number"),
    (math.inf, "penalties must be a finite number"),
    (True, "penalties must be a positive number or"),
    ("1", "penalties must be a positive number or"),
    ({"cardinality": 1, "budget": 0, "linking": 1}, "penalties.budget must be a positive number, got 0"),
    ({"cardinality": 1, "budget": 1, "linking": -2}, "penalties.linking must be a positive number"),
    ({"cardinality": 1}, "penalties needs all of cardinality, budget, linking.*missing: budget, linking"),
    ({"cardinality": 1, "budget": 1, "linking": 1, "extra": 1}, r"penalties: unknown key\(s\) \['extra'\]"),
    (Penalties(1.0, 0.0, 1.0), "penalties.budget must be a positive number"),
])
def test_one_rule_for_encode_and_for_the_solver_option(tiny_problem, bad, message):
    """Zero is refused everywhere: a zero strength drops its constraint from the QUBO."""
    with pytest.raises(ValidationError, match=message):
        as_penalties(bad)
    with pytest.raises(ValidationError, match=message):
        encode(tiny_problem, penalties=bad, lagrangian_shift=False)
    with pytest.raises(QPortfolioError, match=message):
        solve(tiny_problem, "sa", penalties=bad, num_reads=1)


def test_the_option_keeps_the_form_it_was_given(tiny_problem):
    result = solve(tiny_problem, "sa", penalties={"cardinality": 1, "budget": 2, "linking": 3}, num_reads=2, seed=1,
                   lagrangian_shift=False)
    assert result.parameters["penalties"] == {"cardinality": 1.0, "budget": 2.0, "linking": 3.0}


@pytest.mark.parametrize("problem", [p for p in SMALL if p.cardinality >= 2][:6], ids=lambda p: p.fingerprint[:6])
def test_single_violation_cap_bounds_every_assignment_with_one_violation(problem):
    """Brute force over all assignments: with |v| + |t| + l = 1 no asset holds more than the cap."""
    qubo = encode(problem)
    d = qubo.decode(all_assignments(qubo.num_variables))
    one = (np.abs(d.cardinality_violation) + np.abs(d.budget_violation) + d.linking_violation) == 1
    assert d.units[one].max(initial=0) <= single_violation_cap(problem)


@pytest.mark.parametrize("shift", [True, False])
def test_calibration_uses_the_problems_feasible_start(shift):
    problem = synthetic_problem(8, seed=5, cardinality=3, weight_step=0.1, min_weight=0.1)
    pen, cal = calibrate_penalties(problem, lagrangian_shift=shift)
    assert cal.heuristic_units is feasible_start(problem)
    assert cal.upper_bound == pytest.approx(float(problem.objective(cal.heuristic_units * problem.weight_step)),
                                            rel=1e-12)
    assert cal.lower_bound <= cal.upper_bound and min(pen.as_dict().values()) > 0
