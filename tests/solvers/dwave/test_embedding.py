"""Embeddings: cached, reused, recomputed when stale, minorminer, clear errors."""

from __future__ import annotations

import json

import pytest

import qportfolio as qp
from qportfolio.data import synthetic_problem
from qportfolio.errors import SolverError

from ...conftest import selection_problem

pytest.importorskip("dwave.system")


pytestmark = pytest.mark.usefixtures("isolated_dwave_config")


def test_embedding_is_cached_and_reused(tmp_path):
    problem = selection_problem()
    first = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1)
    second = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1)
    assert first.info["embedding_source"] == "computed" and second.info["embedding_source"] == "cache"
    assert first.info["embedding_key"] == second.info["embedding_key"]
    cache = tmp_path / "cache" / "embeddings" / f"{first.info['embedding_key']}.json"
    assert cache.exists()
    other = qp.solve(problem, "dwave-qpu", mock="zephyr:4", num_reads=10, seed=1)  # another topology, another key
    assert other.info["embedding_source"] == "computed" and other.info["embedding_key"] != first.info["embedding_key"]
    cache.write_text("{not json")  # a damaged file is recomputed, not trusted
    third = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1)
    assert third.info["embedding_source"] == "computed"
    json.loads(cache.read_text())
    off = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1, embedding_cache=False)
    assert off.info["embedding_source"] == "computed"


def test_stale_cached_embedding_is_recomputed(tmp_path):
    problem = selection_problem()
    first = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1)
    path = tmp_path / "cache" / "embeddings" / f"{first.info['embedding_key']}.json"
    stored = json.loads(path.read_text())
    stored["chains"] = {label: [0] for label in stored["chains"]}  # every chain on one qubit: invalid
    path.write_text(json.dumps(stored))
    again = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1)
    assert again.info["embedding_source"] == "computed"


def test_minorminer_embedding_method():
    problem = selection_problem(6, 2)
    result = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=30, seed=4, embedding="minorminer")
    assert result.feasible and result.info["physical_qubits"] >= problem.n


def test_problem_larger_than_the_topology_gives_a_clear_error():
    big = synthetic_problem(12, seed=1, cardinality=4)  # a few hundred variables
    with pytest.raises(SolverError, match=r"working qubits"):
        qp.solve(big, "dwave-qpu", mock="chimera:2,2,4", num_reads=5)
    dense = synthetic_problem(8, seed=1, cardinality=3)  # 48 variables, all coupled: fits in qubits, not as a clique
    with pytest.raises(SolverError, match=r"largest clique .* can embed has \d+"):
        qp.solve(dense, "dwave-qpu", mock="pegasus:3", num_reads=5)


def test_chain_statistics_by_hand():
    import dimod
    import numpy as np

    from qportfolio.solvers.dwave.embedding import chain_statistics

    embedding = {"a": [0], "b": [1, 2, 3], "c": [4, 5]}
    sampleset = dimod.SampleSet.from_samples((np.zeros((2, 3), dtype=np.int8), ["a", "b", "c"]), dimod.BINARY,
                                             energy=[0.0, 1.0], num_occurrences=[3, 1],
                                             chain_break_fraction=[0.0, 1 / 3])
    stats = chain_statistics(embedding, sampleset)
    assert stats["physical_qubits"] == 6 and stats["chain_length_max"] == 3 and stats["chain_length_mean"] == 2.0
    assert stats["chain_break_fraction"] == pytest.approx((3 * 0 + 1 * (1 / 3)) / 4)
    assert stats["samples_with_broken_chains"] == pytest.approx(1 / 4)


def test_structure_key_ignores_biases_and_largest_clique_bounds_dense_problems():
    import dimod

    from qportfolio.solvers.dwave.embedding import TargetGraph, largest_clique, structure_key
    from qportfolio.solvers.dwave.mock import mock_sampler

    mock = mock_sampler("pegasus:3", seed=0)
    target = TargetGraph.of(mock)
    one = dimod.BQM({"x": 1.0, "y": 2.0}, {("x", "y"): 3.0}, 0.0, "BINARY")
    other = dimod.BQM({"x": -5.0, "y": 0.5}, {("x", "y"): -1.0}, 7.0, "BINARY")
    assert structure_key(one, target, "auto") == structure_key(other, target, "auto")
    assert structure_key(one, target, "auto") != structure_key(one, target, "minorminer")
    largest = largest_clique(mock)
    assert 0 < largest < len(mock.nodelist)
    fits = selection_problem(min(largest, 8), 2)
    assert qp.solve(fits, "dwave-qpu", sampler=mock, num_reads=5, seed=1).info["physical_qubits"] >= fits.n
