"""The one exception family of qportfolio.

Every error a user can cause derives from :class:`QPortfolioError`; the message says what was
wrong and how to fix it, naming the field. The CLI prints it as one line and exits with code 2.
"""

from __future__ import annotations


def one_line(text: str) -> str:
    """A message on one line: a third-party reason (pandas, SQLite, a sampler) may carry newlines."""
    return " ".join(str(text).split())


class QPortfolioError(Exception):
    """Base class for every error qportfolio raises on bad input or an impossible request."""


class ValidationError(QPortfolioError, ValueError):
    """A problem definition or an option is malformed (names the field and the fix)."""


class InfeasibleProblemError(ValidationError):
    """The constraints (cardinality, bounds, weight grid) admit no portfolio at all."""


class DataError(QPortfolioError, OSError):
    """An input file is missing or cannot be parsed."""


class SolverError(QPortfolioError, RuntimeError):
    """A solver is unknown, unavailable, or refused the problem (e.g. too large)."""


class TransientError(SolverError):
    """A failure worth retrying as it is (a network timeout, a refused connection, a busy service);
    the benchmark runner retries it a bounded number of times with backoff."""


class StoreError(DataError):
    """The results database cannot be written (read-only, disk full, locked by another run)."""
