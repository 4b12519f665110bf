"""The problem's one feasible start: feasible, cached once per problem, and the same units the
calibration, the exact solvers' warm start and decompose's start computed each on their own before."""

import numpy as np
import pytest

from qportfolio import synthetic_problem
from qportfolio.bounds import start as start_module
from qportfolio.bounds.relaxation import solve_relaxation
from qportfolio.bounds.repair import heuristic_units, nearest_feasible_units
from qportfolio.bounds.start import clear_cache, feasible_start, relaxed_weights, rounded_start
from qportfolio.data import load_orlib

from ..conftest import SMALL

PROBLEMS = [*SMALL, load_orlib("port1", cardinality=5, weight_step=0.05),
            load_orlib("port2", cardinality=10, risk_aversion=0.1, weight_step=0.01),
            synthetic_problem(12, seed=3, cardinality=4, weight_step=0.05, min_weight=0.1, risk_aversion=0.0)]
IDS = [p.name + ":" + p.fingerprint[:6] for p in PROBLEMS]


def assert_feasible(problem, units):
    lo, hi = problem.unit_bounds
    held = units > 0
    assert units.dtype.kind == "i" and np.all(units >= 0)
    assert held.sum() == problem.cardinality
    assert np.all((units[held] >= lo[held]) & (units[held] <= hi[held]))
    assert units.sum() == problem.units
    assert problem.is_feasible(units * problem.weight_step)


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_starts_are_feasible(problem):
    assert_feasible(problem, rounded_start(problem))
    assert_feasible(problem, feasible_start(problem))
    f = problem.objective
    step = problem.weight_step
    assert f(feasible_start(problem) * step) <= f(rounded_start(problem) * step)  # the local search only improves


@pytest.mark.parametrize("problem", PROBLEMS, ids=IDS)
def test_the_same_units_as_the_three_computations_it_replaced(problem):
    step = problem.weight_step
    # exact's warm start: the relaxation over the unit bounds, rounded, repaired, polished
    exact_before = heuristic_units(problem, solve_relaxation(problem, problem.unit_bounds[1] * step))
    assert np.array_equal(feasible_start(problem), exact_before)
    # the calibration's: the same over the encoded box (the unit caps)
    w = solve_relaxation(problem, problem.unit_caps * step)
    assert np.array_equal(relaxed_weights(problem), w)
    assert np.array_equal(feasible_start(problem), heuristic_units(problem, w))
    # decompose's: the same rounding and repair, without the local search
    selected = np.zeros(problem.n, dtype=bool)
    selected[np.argsort(-(w + 1e-12 * problem.expected_returns))[: problem.cardinality]] = True
    assert np.array_equal(rounded_start(problem), nearest_feasible_units(problem, np.round(w / step).astype(np.int64),
                                                                         selected))


def test_cached_once_per_problem_and_read_only():
    problem = synthetic_problem(7, seed=11, cardinality=3, weight_step=0.1, min_weight=0.1)
    first = feasible_start(problem)
    assert feasible_start(problem) is first
    assert feasible_start(problem.replace(name="renamed")) is first  # the same numbers: the same start
    assert feasible_start(problem.replace(risk_aversion=0.9)) is not first
    with pytest.raises(ValueError, match="read-only"):
        first[0] = 1
    clear_cache()
    again = feasible_start(problem)
    assert again is not first and np.array_equal(again, first)


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(start_module, "MAX_PROBLEMS", 2)
    clear_cache()
    problems = [synthetic_problem(6, seed=s, cardinality=2, weight_step=0.1, min_weight=0.1) for s in range(4)]
    kept = [feasible_start(p) for p in problems]
    assert len(start_module._CACHE) <= 2 * 3
    assert feasible_start(problems[-1]) is kept[-1]  # the most recent stays
    assert feasible_start(problems[0]) is not kept[0]  # the oldest was dropped
    clear_cache()
