"""The Solver interface: seeds, the one option gate, timing and the Result a backend's output becomes."""

from __future__ import annotations

import numpy as np
import pytest

import qportfolio as qp
from qportfolio.errors import ValidationError
from qportfolio.solvers.base import BENCHMARK_METRICS, Solver, SolverOutput, resolve_seed
from qportfolio.solvers.options import COUNT, Option, declare
from qportfolio.status import Status


class Equal(Solver):
    """Equal weights on the first K assets: a backend whose answer is known in closed form."""

    name = "equal-first"
    options = declare(Option("shift", "start at this asset", COUNT, default=1))

    def _solve(self, problem, **options):
        w = np.zeros(problem.n)
        start = options["shift"] - 1
        w[start:start + problem.cardinality] = 1.0 / problem.cardinality
        return SolverOutput(weights=w, feasible=problem.is_feasible(w), status=Status.FEASIBLE, parameters=options,
                            seed=None, info={"shift": options["shift"]})


@pytest.fixture
def problem():
    return qp.synthetic_problem(5, seed=1, cardinality=2, weight_step=0.5, min_weight=0.5)


def test_resolve_seed_keeps_a_given_seed_and_draws_one_otherwise():
    assert resolve_seed(7) == 7 and resolve_seed(np.int64(3)) == 3 and resolve_seed(2**32 - 1) == 2**32 - 1
    drawn = {resolve_seed(None) for _ in range(5)}
    assert all(0 <= s < 2**31 - 1 for s in drawn) and len(drawn) > 1
    for bad in (-1, 2**32, 1.5, True, "3"):
        with pytest.raises(ValidationError, match="seed must be an integer"):
            resolve_seed(bad)


def test_solve_validates_runs_and_times_the_backend(problem):
    r = Equal().solve(problem, shift=2)
    assert r.solver == "equal-first" and r.problem is problem and r.feasible
    np.testing.assert_array_equal(r.weights, [0, 0.5, 0.5, 0, 0])
    assert r.objective == pytest.approx(float(problem.objective(r.weights)))
    assert r.parameters == {"shift": 2} and r.info["shift"] == 2 and r.wall_time >= 0
    assert Equal().solve(problem).parameters == {"shift": 1}  # the declared default
    with pytest.raises(ValidationError, match="shift"):
        Equal().solve(problem, shift=0)
    with pytest.raises(ValidationError, match=r"does not take option\(s\) colour; allowed: shift"):
        Equal().solve(problem, colour="red")
    with pytest.raises(ValidationError, match="problem must be a PortfolioProblem"):
        Equal().solve("port1")


def test_defaults_refuse_replay_and_report_nothing(problem):
    r = Equal().solve(problem)
    with pytest.raises(ValidationError, match="cannot be replayed"):
        Equal().replay_options(r.to_dict())
    assert Equal().report_lines(r) == []
    assert Equal().benchmark_metrics(r) == dict.fromkeys(BENCHMARK_METRICS)
    assert Equal().option_for("no-such-role") is None
