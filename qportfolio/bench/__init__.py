"""Benchmark suites: TOML suites, a resumable runner (local processes or Dask), a SQLite results
store, metrics against exact optima, and reports with plots."""

from .metrics import add_metrics, summarize
from .report import write_report
from .runner import run_suite
from .store import ResultStore, load_runs
from .suite import Job, Suite, load_suite, parse_suite

__all__ = ["Job", "ResultStore", "Suite", "add_metrics", "load_runs", "load_suite", "parse_suite", "run_suite",
           "summarize", "write_report"]
