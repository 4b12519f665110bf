"""Starts ``qportfolio serve`` with two test-only solvers registered (the tests run this file).

``test-hang`` sleeps for ``seconds`` (a solve that never answers in time) and ``test-crash`` ends
its process (a solver that segfaults); both exist only in the server these tests start.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

from qportfolio.solvers import Solver, SolverOutput, register
from qportfolio.solvers.options import POSITIVE, Option, declare
from qportfolio.status import Status


@register
class HangSolver(Solver):
    name = "test-hang"
    description = "test only: sleeps, then answers equal weights"
    options = declare(Option("seconds", "how long to sleep", POSITIVE, default=3600.0))

    def _solve(self, problem, seconds: float = 3600.0) -> SolverOutput:
        time.sleep(seconds)
        weights = np.zeros(problem.n)
        weights[: problem.cardinality] = 1.0 / problem.cardinality
        return SolverOutput(weights=weights, feasible=problem.is_feasible(weights), status=Status.FEASIBLE,
                            parameters={"seconds": seconds})


@register
class CrashSolver(Solver):
    name = "test-crash"
    description = "test only: the solver process dies"
    options = declare()

    def _solve(self, problem) -> SolverOutput:
        os._exit(11)


if __name__ == "__main__":
    from qportfolio.cli import main

    sys.exit(main(["serve", *sys.argv[1:]]))
