"""The structured QUBO against the dense build it replaced: the same BQM bit for bit, the same
energies on every encoding, and a BQM built only when asked for."""

from __future__ import annotations

import dimod
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qportfolio import synthetic_problem
from qportfolio.errors import SolverError
from qportfolio.formulations.qubo import bqm_bytes, encode

ENCODINGS = ["binary", "unary", "domain-wall", "bounded-coefficient:4"]


def dense_reference_bqm(qubo) -> dimod.BinaryQuadraticModel:
    """The BQM as encode built it before the structured form: a dense N x N matrix, then its upper
    triangle (kept here as the oracle)."""
    problem, layout, pen, shift = qubo.problem, qubo.layout, qubo.penalties, qubo.shift
    a, b = problem.objective_coefficients()
    k, total = problem.cardinality, problem.units
    coef = layout.coefficient.astype(float)
    sel = layout.is_selection.astype(float)
    quad = a * np.outer(coef, coef) * problem.covariance[np.ix_(layout.asset, layout.asset)]
    quad += pen.cardinality * np.outer(sel, sel) + pen.budget * np.outer(coef, coef)
    linear = -b * coef * problem.expected_returns[layout.asset]
    linear += -2.0 * pen.cardinality * k * sel - (2.0 * pen.budget * total + shift) * coef
    bits = np.flatnonzero(~layout.is_selection)
    linear[bits] += pen.linking
    parents = layout.parent[bits]
    quad[bits, parents] -= 0.5 * pen.linking
    quad[parents, bits] -= 0.5 * pen.linking
    offset = pen.cardinality * k * k + pen.budget * total * total + shift * total
    linear = linear + np.diag(quad)
    rows, cols = np.triu_indices(layout.num_variables, 1)
    values = quad[rows, cols] + quad[cols, rows]
    keep = values != 0.0
    return dimod.BinaryQuadraticModel.from_numpy_vectors(linear, (rows[keep], cols[keep], values[keep]), offset,
                                                         dimod.BINARY, variable_order=list(layout.labels))


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("min_weight", [0.05, 0.15])
def test_bqm_is_bitwise_the_dense_build(encoding, min_weight):
    problem = synthetic_problem(9, seed=2, cardinality=3, weight_step=0.05, min_weight=min_weight)
    qubo = encode(problem, encoding=encoding)
    assert not qubo.has_bqm  # encoding alone builds no BQM
    ref = dense_reference_bqm(qubo)
    assert qubo.bqm.linear == ref.linear and qubo.bqm.quadratic == ref.quadratic and qubo.bqm.offset == ref.offset
    assert qubo.has_bqm and qubo.num_interactions == ref.num_interactions


def test_selection_only_bqm_is_the_dense_build():
    problem = synthetic_problem(7, seed=1, cardinality=2, weight_step=0.5, min_weight=0.5, max_weight=0.5)
    qubo = encode(problem)
    ref = dense_reference_bqm(qubo)
    assert qubo.bqm.linear == ref.linear and qubo.bqm.quadratic == ref.quadratic


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 6), k=st.integers(1, 3), step=st.sampled_from([0.1, 0.2, 0.25]),
       lam=st.floats(0.0, 1.0), encoding=st.sampled_from(ENCODINGS), seed=st.integers(0, 50))
def test_structured_energies_equal_the_bqm_energies(n, k, step, lam, encoding, seed):
    k = min(k, n)
    problem = synthetic_problem(n, seed=seed, cardinality=k, weight_step=step, min_weight=step, risk_aversion=lam)
    qubo = encode(problem, encoding=encoding)
    x = np.random.default_rng(seed).integers(0, 2, size=(40, qubo.num_variables))
    ours = qubo.structure.energies(x)
    theirs = qubo.bqm.energies((x, list(qubo.layout.labels)))
    scale = max(1.0, float(np.abs(theirs).max()))
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose(qubo.energies(x), theirs, rtol=0, atol=1e-12 * scale)


def test_dense_matrix_and_coupling_statistics_agree_with_the_bqm():
    problem = synthetic_problem(8, seed=3, cardinality=3, weight_step=0.1, min_weight=0.1)
    qubo = encode(problem, encoding="domain-wall")
    q = qubo.structure.dense()
    x = np.random.default_rng(0).integers(0, 2, size=(25, qubo.num_variables))
    np.testing.assert_allclose(np.einsum("si,ij,sj->s", x, q, x) + qubo.offset, qubo.structure.energies(x), atol=1e-12)
    count, largest, smallest = qubo.structure.coupling_stats()
    quad = np.abs(np.array(list(qubo.bqm.quadratic.values())))
    assert count == qubo.bqm.num_interactions and largest == quad.max() and smallest == quad[quad > 0].min()


def test_summary_needs_no_bqm_and_the_guard_estimates_the_bqm(monkeypatch):
    problem = synthetic_problem(12, seed=1, cardinality=3, weight_step=0.05, min_weight=0.05)
    qubo = encode(problem, encoding="domain-wall")
    summary = qubo.summary()
    assert not qubo.has_bqm and summary["num_interactions"] > 0 and summary["coefficient_ratio"] > 1
    limit_gib = 0.5 * bqm_bytes(qubo.num_variables) / 2**30
    monkeypatch.setenv("QPORTFOLIO_MAX_MEMORY_GB", f"{limit_gib:.6f}")
    with pytest.raises(SolverError, match=r"dimod BQM .*tabu-structured"):
        _ = qubo.bqm


def test_chang_grid_on_port5_is_encoded_in_megabytes():
    """port5 at the 0.01 grid: 20 475 domain-wall variables, which the dense build refused (18.7 GiB)."""
    from qportfolio import load_orlib

    problem = load_orlib("port5", cardinality=10, weight_step=0.01, min_weight=0.01)
    qubo = encode(problem, encoding="domain-wall")
    assert qubo.num_variables == 20_475 and qubo.structure.nbytes < 8 * 2**20 and not qubo.has_bqm
