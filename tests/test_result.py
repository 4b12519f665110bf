"""The common Result type: what it records and how it reports."""

from __future__ import annotations

import pytest

from qportfolio import solve

from .conftest import SMALL


def test_result_records_everything():
    problem = SMALL[4]
    r = solve(problem, "exact-discrete")
    d = r.to_dict()
    for key in ("objective", "weights", "selected", "feasible", "status", "solver", "wall_s", "expected_return",
                "volatility", "bound", "gap", "parameters", "versions"):
        assert key in d
    assert d["problem"]["fingerprint"] == problem.fingerprint
    assert "dimod" in d["versions"] and "pyscipopt" in d["versions"]
    assert d["objective"] == pytest.approx(problem.objective(r.weights), rel=0, abs=0)
    assert abs(sum(d["weights"].values()) - 1) < 1e-12
    assert ("objective" in str(r) and problem.assets[0] in str(r)) or r.selected[0] in str(r)


def test_notebook_display_and_pandas_views():
    import qportfolio as qp
    from qportfolio.classic import efficient_frontier, min_variance
    from qportfolio.utils.display import MAX_ROWS

    problem = qp.synthetic_problem(8, seed=1, cardinality=3)
    r = qp.solve(problem, "exact-discrete")
    frame = r.to_pandas()
    assert list(frame.index) == sorted(r.selected, key=lambda a: -r.weights_by_asset()[a])
    assert frame["weight"].sum() == pytest.approx(1.0)
    html = r._repr_html_()
    assert "optimal" in html and "gap" in html and all(a in html for a in r.selected)
    assert "array(" not in repr(r) and "objective=" in repr(r)  # a short repr, not the arrays
    mv = min_variance(problem.expected_returns, problem.covariance, assets=problem.assets)
    assert set(mv.to_pandas().index) == set(mv.weights_by_asset(0.0)) and "min-variance" in mv._repr_html_()
    f = efficient_frontier(problem.expected_returns, problem.covariance, points=30, assets=problem.assets)
    assert len(f.to_pandas()) == 30
    assert f"{30 - MAX_ROWS} more rows" in f._repr_html_()  # long tables are cut, and say so
