"""The tuned penalty strategy and time-budgeted sampling of the shared QUBO base."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio import solve
from qportfolio.errors import ValidationError
from qportfolio.solvers.penalty_tuning import choose_scale, pilot_params

from ..conftest import SMALL, rel


def test_choose_scale_prefers_the_best_feasible_then_the_larger_scale():
    assert choose_scale([1.0, 0.5, 0.25], [-1.0, -2.0, -1.5]) == 0.5
    assert choose_scale([1.0, 0.5, 0.25], [-2.0, -2.0, None]) == 1.0  # a tie goes to the safer scale
    assert choose_scale([1.0, 0.5], [None, None]) == 1.0  # nothing feasible: the calibrated scale
    assert pilot_params({"num_reads": 100, "num_sweeps": 10}, 5, 0.3) == {"num_reads": 6, "num_sweeps": 10}
    assert pilot_params({"num_reads": 1}, 5, 0.3)["num_reads"] == 1


def test_tuned_strategy_records_its_pilots_and_stays_feasible():
    problem = SMALL[5]
    r = solve(problem, "sa", penalty_strategy="tuned", num_reads=20, num_sweeps=200, seed=4)
    tuning = r.info["penalty_tuning"]
    assert tuning["chosen_scale"] in tuning["scales"]
    assert len(tuning["pilot_best_objective"]) == len(tuning["scales"])
    assert tuning["pilot_samples"] > 0 and tuning["pilot_seconds"] > 0
    assert r.parameters["penalty_scale"] == pytest.approx(tuning["chosen_scale"])
    assert r.parameters["penalty_strategy"] == "tuned"
    assert r.feasible and rel(r.objective, solve(problem, "brute").objective) <= 1e-9
    # the answer is a feasible decoded sample even when the chosen scale is below the certified one
    assert problem.is_feasible(r.weights)


def test_time_budget_repeats_calls_and_batches_reproduce():
    problem = SMALL[7]
    timed = solve(problem, "sa", num_reads=2, num_sweeps=50, time_budget=0.3, seed=9)
    n = timed.info["batches"]
    assert n >= 2 and timed.info["num_samples"] == 2 * n
    again = solve(problem, "sa", num_reads=2, num_sweeps=50, batches=n, seed=9)
    assert np.array_equal(np.sort(timed.sampleset.record.energy), np.sort(again.sampleset.record.energy))


@pytest.mark.parametrize("bad", [{"penalty_strategy": "magic"}, {"time_budget": 0}, {"time_budget": "1"},
                                 {"batches": 0}, {"encoding": "one-hot"}])
def test_bad_run_options_are_clear_errors(bad):
    with pytest.raises(ValidationError):
        solve(SMALL[0], "sa", num_reads=2, **bad)
