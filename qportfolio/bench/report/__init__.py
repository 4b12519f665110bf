"""Reports from a results database: Markdown and HTML summaries, CSV/Parquet exports, PNG plots.

Files written to ``out``: ``summary.md``, ``summary.html``, ``summary.csv``, ``runs.csv``,
``runs.parquet`` (every job with its metrics), and the plots ``gap_vs_n.png``, ``tts99_vs_n.png``,
``feasibility_vs_penalty.png`` and ``frontier_<set>.png`` (one per instance set that has several
risk-aversion values: each solver's cardinality-constrained frontier against the unconstrained
frontier, as in Chang et al. 2000, Figure 1), plus, for every OR-Library instance traced over
several risk aversions, ``frontier_<set>_<instance>.png`` and the table of Chang et al.'s mean and
median percentage deviation from the unconstrained frontier (``frontier_deviation.csv`` and a
section of ``summary.md``).
"""


from .tables import (
                     BY_INSTANCE_COLUMNS,
                     DEVIATION_COLUMNS,
                     RESOURCE_COLUMNS,
                     SUMMARY_COLUMNS,
                     TERMINAL_COLUMNS,
                     frontier_deviation_table,
                     markdown_table,
                     resource_table,
                     terminal_table,
)
from .write import write_report

__all__ = ["BY_INSTANCE_COLUMNS", "DEVIATION_COLUMNS", "RESOURCE_COLUMNS", "SUMMARY_COLUMNS", "TERMINAL_COLUMNS",
           "frontier_deviation_table", "markdown_table", "resource_table", "terminal_table", "write_report"]
