"""The watched worker pool and its typed outcomes: failures cross a process (pickled, as a pipe or a
Dask worker carries them) and come back as the same QPortfolioError subclass; a hung job is stopped
at its deadline and a dead worker is replaced, while the other jobs still answer."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qportfolio import errors
from qportfolio.utils.workers import (
    Cancelled,
    Failure,
    InternalError,
    JobTimeout,
    Outcome,
    WatchedPool,
    WorkerDied,
)

ERROR_CLASSES = [cls for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.QPortfolioError)]


@pytest.mark.parametrize("cls", [*ERROR_CLASSES, WorkerDied, JobTimeout, Cancelled, InternalError], ids=lambda c: c.__name__)
def test_a_failure_pickles_and_comes_back_as_its_own_class(cls):
    failure = pickle.loads(pickle.dumps(Failure.of(cls("what went wrong; how to fix it"))))
    rebuilt = failure.exception()
    assert type(rebuilt) is cls and str(rebuilt) == "what went wrong; how to fix it"
    assert str(failure) == f"{cls.__name__}: what went wrong; how to fix it"
    assert failure.is_a(cls) and failure.is_a(errors.QPortfolioError)


def test_a_foreign_exception_comes_back_as_an_internal_error_naming_it():
    failure = Failure.of(KeyError("weights"), "'weights'")
    rebuilt = failure.exception()
    assert type(rebuilt) is InternalError and str(rebuilt) == "KeyError: 'weights'"
    assert not failure.is_a(errors.ValidationError) and failure.is_a(errors.SolverError)


def test_subclasses_match_their_bases_and_the_message_may_be_replaced():
    failure = Failure.of(errors.InfeasibleProblemError("no portfolio"), "masked ***")
    assert failure.is_a(errors.ValidationError) and not failure.is_a(errors.DataError)
    assert failure.message == "masked ***" and str(failure.exception()) == "masked ***"


def test_an_outcome_unpacks_and_pickles():
    outcome = Outcome("k", None, Failure("JobTimeout", "late"))
    key, value, failure = pickle.loads(pickle.dumps(outcome))
    assert (key, value) == ("k", None) and failure == Failure("JobTimeout", "late")


def _execute(job: tuple[str, float]) -> Outcome:
    """A job: ("double", x) answers 2x, ("sleep", s) sleeps, ("exit", code) ends its process, ("fail", _) fails."""
    what, arg = job
    if what == "sleep":
        time.sleep(arg)
    elif what == "exit":
        os._exit(int(arg))
    elif what == "fail":
        return Outcome(f"{what}-{arg}", None, Failure.of(errors.ValidationError(f"bad {arg}")))
    return Outcome(f"{what}-{arg}", 2 * arg, None)


def _limit(job: tuple[str, float]) -> float | None:
    return 0.5 if job[0] == "sleep" else None


def test_the_pool_answers_every_job_stops_a_hung_one_and_replaces_a_dead_worker():
    jobs = [("double", 1.0), ("sleep", 60.0), ("exit", 7), ("fail", 3.0), ("double", 2.0), ("double", 3.0)]
    pool = WatchedPool(2, _execute, _limit)
    start = time.monotonic()
    outcomes = {o.key: o for o in pool.run(jobs, key=lambda job: f"{job[0]}-{job[1]}")}
    assert time.monotonic() - start < 30  # the sleeping job was stopped, not waited for
    assert {k: o.value for k, o in outcomes.items() if o.failure is None} == {"double-1.0": 2.0, "double-2.0": 4.0,
                                                                                "double-3.0": 6.0}
    assert outcomes["sleep-60.0"].failure.is_a(JobTimeout) and "watchdog" in outcomes["sleep-60.0"].failure.message
    died = outcomes["exit-7"].failure
    assert died.is_a(WorkerDied) and "exit code 7" in died.message
    assert outcomes["fail-3.0"].failure.exception().args == ("bad 3.0",)
    assert all(not w.process.is_alive() for w in pool.workers)  # no worker outlives the run


#: a parent whose one worker is busy (not reading its pipe) when the parent is killed
BUSY_PARENT = '''
import sys, time
from qportfolio.utils.workers import WatchedPool

pool = WatchedPool(1, time.sleep, lambda job: None)
worker = pool._spawn()
worker.take(600, None)
print(worker.process.pid, flush=True)
time.sleep(600)
'''


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG) is Linux's")
def test_a_busy_worker_dies_with_its_killed_parent():
    parent = subprocess.Popen([sys.executable, "-c", BUSY_PARENT], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    worker = int(parent.stdout.readline())
    try:
        os.kill(parent.pid, signal.SIGKILL)  # no chance to stop its worker
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
            if Path(f"/proc/{worker}/stat").read_text().split(")")[1].split()[0] == "Z":
                break  # ended, waiting to be reaped
            time.sleep(0.05)
        alive = Path(f"/proc/{worker}").exists() and Path(f"/proc/{worker}/stat").read_text().split(")")[1].split()[0] != "Z"
        assert not alive, "the worker outlived its parent"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signal.SIGKILL)
