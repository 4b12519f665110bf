"""Starts ``qportfolio serve`` with two test-only solvers registered (the tests run this file).

``test-hang`` sleeps for ``seconds`` (a solve that never answers in time) and ``test-crash`` ends
its process (a solver that segfaults); both exist only in the server these tests start.

The server dies with the test run that started it: Linux sends it SIGTERM (uvicorn's graceful
stop, which stops the solver processes) when its parent ends, and a watchdog thread ends it
outright a few seconds later, or on any platform when the parent is gone; so an interrupted or
killed test run leaves no server (or solver process) behind.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import numpy as np

from qportfolio.solvers import Solver, SolverOutput, register
from qportfolio.solvers.options import POSITIVE, Option, declare
from qportfolio.status import Status
from qportfolio.utils.workers import die_with_parent

#: seconds the server has for its graceful stop once the test run that started it is gone
GRACE_SECONDS = 10.0


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


def watch_parent(parent_pid: int) -> None:
    """End this process when ``parent_pid`` is no longer its parent: SIGTERM first, then exit outright."""
    while os.getppid() == parent_pid:
        time.sleep(0.2)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os._exit(1)


if __name__ == "__main__":
    from qportfolio.cli import main

    parent = int(os.environ.get("QPORTFOLIO_TEST_PARENT_PID", os.getppid()))
    die_with_parent(parent, signal.SIGTERM)
    threading.Thread(target=watch_parent, args=(parent,), name="watch-parent", daemon=True).start()
    sys.exit(main(["serve", *sys.argv[1:]]))
