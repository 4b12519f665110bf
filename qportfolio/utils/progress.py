"""Progress of a long single solve, shown where a person watches and nowhere else.

Backends report through :func:`update` (SCIP's incumbent, bound and gap; a QUBO run's best energy
per sampler call); nothing is shown unless a reporter is active:

- the CLI activates a :class:`LineReporter` (a line on stderr every few seconds) when both stdout
  and stderr are terminals and neither ``--json`` nor ``--quiet`` was given, so pipes, files and
  machine-readable output stay clean;
- in a notebook or script, ``with qp.show_progress(): qp.solve(...)`` shows a ``tqdm.auto``
  status line (a widget in Jupyter).

Reporters are held in a context variable, so threads and nested solves do not mix their lines.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol, TextIO

#: Seconds between two progress lines (``QPORTFOLIO_PROGRESS_INTERVAL`` overrides it).
DEFAULT_INTERVAL = 5.0


class Reporter(Protocol):
    def update(self, message: str) -> None: ...

    def close(self) -> None: ...


def interval_seconds() -> float:
    try:
        return max(float(os.environ.get("QPORTFOLIO_PROGRESS_INTERVAL", DEFAULT_INTERVAL)), 0.0)
    except ValueError:
        return DEFAULT_INTERVAL


class LineReporter:
    """One line ``[elapsed] message`` on ``stream``, at most every ``interval`` seconds."""

    def __init__(self, stream: TextIO | None = None, interval: float | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval_seconds() if interval is None else interval
        self.start = time.perf_counter()
        self.last = -float("inf")

    def update(self, message: str) -> None:
        now = time.perf_counter()
        if now - self.last < self.interval:
            return
        self.last = now
        print(f"[{now - self.start:7.1f} s] {message}", file=self.stream, flush=True)

    def close(self) -> None:
        pass


class TqdmReporter:
    """A ``tqdm.auto`` status line (a widget in Jupyter) whose text is the latest message."""

    def __init__(self, interval: float = 0.5) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(total=None, bar_format="{elapsed} {postfix}", leave=True)
        self.interval = interval
        self.last = -float("inf")

    def update(self, message: str) -> None:
        now = time.perf_counter()
        if now - self.last >= self.interval:
            self.last = now
            self.bar.set_postfix_str(message)

    def close(self) -> None:
        self.bar.close()


_ACTIVE: ContextVar[Reporter | None] = ContextVar("qportfolio_progress", default=None)


def active() -> bool:
    """Whether a reporter is listening (backends skip the bookkeeping otherwise)."""
    return _ACTIVE.get() is not None


def update(message: str) -> None:
    """Report ``message`` to the active reporter, if any (rate-limited by the reporter)."""
    reporter = _ACTIVE.get()
    if reporter is not None:
        reporter.update(message)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[Reporter | None]:
    """Make ``reporter`` the active one inside the block (None: silence)."""
    token = _ACTIVE.set(reporter)
    try:
        yield reporter
    finally:
        _ACTIVE.reset(token)
        if reporter is not None:
            reporter.close()


@contextmanager
def show_progress(**options: Any) -> Iterator[Reporter]:
    """Show the progress of the solves inside the block with ``tqdm.auto`` (notebooks, scripts)."""
    with reporting(TqdmReporter(**options)) as reporter:
        yield reporter  # type: ignore[misc]


def terminal_reporter(quiet: bool = False) -> LineReporter | None:
    """A line reporter on stderr when a person watches (stdout and stderr are terminals), else None."""
    if quiet or not (sys.stdout.isatty() and sys.stderr.isatty()):
        return None
    return LineReporter(sys.stderr)
