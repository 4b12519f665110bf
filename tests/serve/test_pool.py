"""The service pool: every task's outcome is typed (its answer, or a Failure that rebuilds the right
error class), a task past its time limit is stopped, a cancelled or shut-down one says so."""

from __future__ import annotations

import time

import pytest

from qportfolio.errors import ValidationError
from qportfolio.serve.pool import Busy, ServicePool, ShuttingDown, Timeout
from qportfolio.utils.workers import Cancelled, Failure, JobTimeout, Outcome, WorkerDied


def _execute(task: dict) -> Outcome:
    """A task: {"sleep": s} sleeps then answers s, {"bad": ...} fails as a client error, {"exit": code} dies."""
    if "exit" in task:
        import os

        os._exit(task["exit"])
    if "bad" in task:
        return Outcome(task["id"], None, Failure.of(ValidationError(f"bad: {task['bad']}")))
    time.sleep(task.get("sleep", 0.0))
    return Outcome(task["id"], {"slept": task.get("sleep", 0.0)}, None)


@pytest.fixture
def pool():
    p = ServicePool(1, _execute, queue_limit=1)
    yield p
    p.shutdown()


def test_answers_failures_timeouts_and_deaths_are_typed(pool):
    assert pool.submit({"id": "a", "time_limit": 30}).result(timeout=30) == ("a", {"slept": 0.0}, None)
    _, _, bad = pool.submit({"id": "b", "bad": "x", "time_limit": 30}).result(timeout=30)
    assert bad.is_a(ValidationError) and bad.message == "bad: x"
    start = time.monotonic()
    _, answer, late = pool.submit({"id": "c", "sleep": 60, "time_limit": 0.5}).result(timeout=30)
    assert answer is None and late.is_a(Timeout) and late.is_a(JobTimeout) and time.monotonic() - start < 20
    assert str(late).startswith("Timeout: no answer within 0.5 s")  # the text a job's error field shows
    _, _, died = pool.submit({"id": "d", "exit": 9, "time_limit": 30}).result(timeout=30)
    assert died.is_a(WorkerDied) and "exit code 9" in died.message
    assert pool.submit({"id": "e", "time_limit": 30}).result(timeout=30)[2] is None  # the replaced worker answers


def test_cancel_busy_and_shutdown(pool):
    running = pool.submit({"id": "run", "sleep": 60, "time_limit": 120})
    while pool.busy() == 0:
        time.sleep(0.01)
    waiting = pool.submit({"id": "wait", "time_limit": 30})
    with pytest.raises(Busy):
        pool.submit({"id": "over", "time_limit": 30})
    assert pool.cancel("wait") and not pool.cancel("nope")
    cancelled = waiting.result(timeout=5)[2]
    assert cancelled.is_a(Cancelled) and not cancelled.is_a(ShuttingDown)
    queued = pool.submit({"id": "queued", "time_limit": 30})
    pool.shutdown()
    for future in (running, queued):
        assert future.result(timeout=20)[2].is_a(ShuttingDown)
