"""Embeddings: cached, reused, recomputed when stale, minorminer, clear errors."""

from __future__ import annotations

import json

import pytest

import qportfolio as qp
from qportfolio.data import synthetic_problem
from qportfolio.errors import SolverError

from ..conftest import selection_problem

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
