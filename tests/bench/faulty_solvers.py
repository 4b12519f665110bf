"""Solvers that misbehave on purpose, for the benchmark fault tests (registered on import).

They live in a module of their own so that Dask worker processes (spawned, not forked) can import
them through a worker plugin, including workers started after one was killed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from qportfolio.errors import TransientError
from qportfolio.solvers import Option, Role, declare, get, register
from qportfolio.solvers.base import Solver
from qportfolio.solvers.registry import available

FAKE_TOKEN = "DEV-0123456789abcdef-fake-token"


class _Faulty(Solver):
    options = declare(
        Option("seed", "ignored", nullable=True, role=Role.SEED),
        Option("marker", "a file path that records attempts"),
        Option("fail_times", "transient failures first", default=0),
    )

    def _delegate(self, problem):
        brute = get("brute")
        return brute._solve(problem, **brute.with_defaults({}))


class Hang(_Faulty):
    """Never returns (a stuck network call)."""

    name = "test-hang"

    def _solve(self, problem, seed=None, marker=None, fail_times=0):
        while True:
            time.sleep(0.5)


class Flaky(_Faulty):
    """Fails with a transient network error ``fail_times`` times (counted in ``marker``), then solves;
    the message carries the API token, which must never reach the failures table."""

    name = "test-flaky"

    def _solve(self, problem, seed=None, marker=None, fail_times=0):
        path = Path(marker)
        count = int(path.read_text()) if path.exists() else 0
        path.write_text(str(count + 1))
        if count < fail_times:
            raise TransientError(f"could not reach https://cloud.example/sapi (token {FAKE_TOKEN}): connection reset")
        return self._delegate(problem)


class DieOnce(_Faulty):
    """Kills its own worker process the first time (the marker file does not exist yet), then solves."""

    name = "test-die-once"

    def _solve(self, problem, seed=None, marker=None, fail_times=0):
        path = Path(marker)
        if not path.exists():
            path.write_text(str(os.getpid()))
            os._exit(17)  # the worker process dies mid-job, as if OOM-killed
        return self._delegate(problem)


for _cls in (Hang, Flaky, DieOnce):
    if _cls.name not in available():
        register(_cls)
