"""The benchmark runner's worker pool: :class:`~qportfolio.utils.workers.WatchedPool` (kept here
under its old name; the pool itself lives at the foundation, shared with ``qportfolio serve``)."""

from __future__ import annotations

from ..utils.workers import Failure, JobTimeout, Outcome, WatchedPool, WorkerDied

__all__ = ["Failure", "JobTimeout", "Outcome", "WatchedPool", "WorkerDied"]
