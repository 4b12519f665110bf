"""The solver catalogue: one row per registered solver, own options apart from the shared QUBO ones,
and the Markdown block it writes into a page."""

from __future__ import annotations

import pytest

import qportfolio as qp
from qportfolio.solvers import catalog


def test_the_solver_table_lists_every_registered_solver_once():
    from qportfolio.solvers.registry import BUILTIN_SOLVERS

    names = [row.name for row in catalog.rows()]
    assert sorted(set(names) & set(qp.available())) == sorted(BUILTIN_SOLVERS) and len(names) == len(set(names))
    for name in BUILTIN_SOLVERS:
        assert f"| `{name}`" in catalog.markdown_table()


def test_a_plugin_registered_in_the_process_stays_out_of_the_docs_table():
    from qportfolio.solvers import Solver, SolverOutput, register, unregister

    class Plugin(Solver):
        name = "test-catalog-plugin"
        description = "a plug-in"

        def _solve(self, problem, **options):
            return SolverOutput(weights=None)

    register(Plugin)
    try:
        assert "test-catalog-plugin" in qp.available()
        assert "test-catalog-plugin" not in [row.name for row in catalog.rows()]
    finally:
        unregister("test-catalog-plugin")


def test_the_catalogue_splits_own_and_shared_options():
    shared = catalog.shared_qubo_options()
    assert {"encoding", "time_budget", "repair", "polish"} <= set(shared) and "seed" not in shared
    rows = {row.name: row for row in catalog.rows()}
    assert rows["sa"].takes_qubo_options and "num_reads" in rows["sa"].options and "encoding" not in rows["sa"].options
    assert not rows["exact-discrete"].takes_qubo_options and "time_limit" in rows["exact-discrete"].options
    assert rows["qubo"].default and sum(row.default for row in rows.values()) == 1


def test_with_tables_refuses_a_page_without_markers():
    with pytest.raises(ValueError, match="solver-table"):
        catalog.with_tables("# no table here\n")


def test_with_tables_replaces_only_the_marked_block():
    start, end = catalog.MARKERS
    page = f"# before\n{start}\nstale\n{end}\nafter\n"
    assert catalog.with_tables(page, "fresh\n") == f"# before\n{start}\nfresh\n{end}\nafter\n"
