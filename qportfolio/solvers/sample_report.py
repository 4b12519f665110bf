"""Old home of the sample lines and columns, now the generic rendering of
:class:`qportfolio.diagnostics.SampleStatistics` (kept so that callers of these names keep working)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import SampleStatistics, benchmark_columns, stop_reason
from ..result import Result

__all__ = ["sample_metrics", "samples_report_lines", "stop_reason"]


def samples_report_lines(result: Result) -> list[str]:
    """The text lines of the result's sample statistics (none for a result without samples)."""
    stats = SampleStatistics.of(result)
    return [] if stats is None else stats.lines()


def sample_metrics(result: Result) -> dict[str, Any]:
    """The benchmark columns of the result's sample statistics (every column named, None where n/a)."""
    stats = SampleStatistics.of(result)
    return benchmark_columns(() if stats is None else (stats,))
