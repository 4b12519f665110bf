"""D-Wave solvers offline: dwave-system's MockDWaveSampler (a real topology, classical sampling
underneath) through the same code path as the QPU; the CQM export against SCIP's optimum with
dimod's exact CQM solver; credentials, their absence, and that the token never leaks."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.cqm import to_cqm, weights_from_samples
from qportfolio.data import synthetic_problem
from qportfolio.errors import SolverError, ValidationError
from qportfolio.result import relative_gap
from qportfolio.solvers._dwave_cloud import CredentialsError, cloud_config, mask
from qportfolio.solvers.dwave import mock_sampler

from .conftest import random_small_problem

pytest.importorskip("dwave.system")

TOKEN = "DEV-0123456789abcdef0123456789abcdef-SECRET"


@pytest.fixture(autouse=True)
def isolated_dwave_config(tmp_path, monkeypatch):
    """No user config, token or cache leaks in from (or out to) the machine running the tests."""
    for var in ("DWAVE_API_TOKEN", "DWAVE_CONFIG_FILE", "DWAVE_PROFILE", "DWAVE_API_ENDPOINT", "DWAVE_API_SOLVER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("QPORTFOLIO_CACHE_DIR", str(tmp_path / "cache"))


def selection_problem(n: int = 8, k: int = 3, seed: int = 1):
    return synthetic_problem(n, seed=seed, cardinality=k).selection_only_variant()


# --- the QPU path on the mock -----------------------------------------------------------------


def test_mock_qpu_returns_the_optimum_with_chain_statistics():
    problem = selection_problem()
    exact = qp.solve(problem, "exact-discrete")
    result = qp.solve(problem, "dwave-qpu", sampler=mock_sampler("pegasus:6", seed=2), num_reads=100, seed=3)
    assert result.feasible and problem.is_feasible(result.weights)
    assert result.objective == pytest.approx(exact.objective, rel=1e-12)
    info = result.info
    assert info["qpu"] == "MockDWaveSampler" and info["topology"]["type"] == "pegasus"
    assert info["chain_length_max"] >= 2  # a dense 8-variable QUBO needs chains on Pegasus
    assert info["physical_qubits"] >= problem.n * 2
    assert info["chain_length_mean"] == pytest.approx(info["physical_qubits"] / problem.n)
    assert 0.0 <= info["chain_break_fraction"] <= 1.0
    assert info["chain_strength"] > 0 and result.parameters["chain_strength"] == "uniform_torque_compensation"
    assert info["qpu_access_time_s"] > 0 and "qpu_programming_time" in info["timing_us"]
    assert info["problem_id"] and info["problem_label"] == f"qportfolio {problem.fingerprint}"
    assert 0 < info["feasible_fraction"] <= 1 and info["num_samples"] == 100
    assert result.parameters["source"] == "mock" and result.seed == 3


def test_mock_qpu_weighted_problem_with_postprocessing_is_feasible_and_optimal():
    problem = synthetic_problem(8, seed=1, cardinality=3)
    exact = qp.solve(problem, "exact-discrete")
    result = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=100, seed=3, postprocess="steepest", repair=True)
    assert result.feasible and problem.is_feasible(result.weights)
    assert result.objective >= exact.objective - 1e-12
    assert relative_gap(result.objective, exact.objective) < 0.05
    assert "raw_best_energy" in result.info and result.parameters["postprocess"] == "steepest"


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


def test_chain_strength_options():
    problem = selection_problem(6, 2)
    fixed = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1, chain_strength=0.05)
    assert fixed.info["chain_strength"] == pytest.approx(0.05) and fixed.parameters["chain_strength"] == 0.05
    scaled = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1, chain_strength="scaled")
    assert scaled.info["chain_strength"] > 0
    with pytest.raises(ValidationError, match="chain_strength"):
        qp.solve(problem, "dwave-qpu", mock="pegasus:6", chain_strength=-1)
    with pytest.raises(ValidationError, match="mock"):
        qp.solve(problem, "dwave-qpu", mock="hypercube")
    with pytest.raises(ValidationError, match="num_reads"):
        qp.solve(problem, "dwave-qpu", mock=True, num_reads=0)


# --- CQM export and the hybrid solvers --------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_cqm_optimum_equals_exact_discrete(seed):
    problem = random_small_problem(seed, max_vars=14)
    cqm = to_cqm(problem)
    assert {"cardinality", "budget"} <= set(cqm.constraints)
    assert sum(1 for v in cqm.variables if cqm.vartype(v) is dimod.INTEGER) == problem.n
    sampleset = dimod.ExactCQMSolver().sample_cqm(cqm)
    feasible = sampleset.filter(lambda row: row.is_feasible)
    weights = weights_from_samples(problem, feasible)
    # the CQM's energy is f on every feasible assignment, and its feasible set is the problem's
    np.testing.assert_allclose(feasible.record.energy, problem.objective(weights), rtol=1e-10, atol=1e-15)
    assert all(problem.is_feasible(w) for w in weights)
    exact = qp.solve(problem, "exact-discrete")
    assert feasible.first.energy == pytest.approx(exact.objective, rel=1e-9, abs=1e-14)


def test_hybrid_cqm_solver_through_a_cqm_sampler(tiny_problem):
    result = qp.solve(tiny_problem, "dwave-hybrid-cqm", sampler=dimod.ExactCQMSolver())
    exact = qp.solve(tiny_problem, "exact-discrete")
    assert result.feasible and result.objective == pytest.approx(exact.objective, rel=1e-12)
    # every assignment the CQM calls feasible is a feasible portfolio; the converse need not hold
    # (units can form a valid portfolio while the selection bits disagree with them)
    assert 0 < result.info["solver_feasible_fraction"] <= result.info["feasible_fraction"] < 1
    with pytest.raises(ValidationError, match="sample_cqm"):
        qp.solve(tiny_problem, "dwave-hybrid-cqm", sampler=object())


def test_hybrid_bqm_solver_through_a_dimod_sampler():
    problem = random_small_problem(3, max_vars=14)
    result = qp.solve(problem, "dwave-hybrid-bqm", sampler=dimod.ExactSolver())
    exact = qp.solve(problem, "exact-discrete")
    assert result.feasible and result.objective == pytest.approx(exact.objective, rel=1e-9, abs=1e-14)


# --- credentials and secrets ------------------------------------------------------------------


def test_missing_credentials_give_the_setup_hint():
    with pytest.raises(CredentialsError, match="dwave setup.*DWAVE_API_TOKEN.*--profile"):
        cloud_config()
    problem = selection_problem()
    for solver in ("dwave-qpu", "dwave-hybrid-bqm", "dwave-hybrid-cqm"):
        with pytest.raises(CredentialsError):
            qp.solve(problem, solver)
    with pytest.raises(CredentialsError, match="profile 'lab'"):
        qp.solve(problem, "dwave-qpu", profile="lab")


def test_cli_without_credentials_prints_one_line_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DWAVE_")}
    env.update(HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-m", "qportfolio.cli", "solve", "--synthetic", "8", "--seed", "1", "--k", "3",
                          "--solver", "dwave-qpu"], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 2 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "dwave setup" in lines[0] and "Traceback" not in out.stderr


def test_config_file_profile_is_used_and_its_token_masked(tmp_path, caplog):
    config = tmp_path / "dwave.conf"
    config.write_text(f"[defaults]\nendpoint = http://127.0.0.1:9/sapi/v2/\n\n[lab]\ntoken = {TOKEN}\n")
    with caplog.at_level(logging.DEBUG):
        resolved = cloud_config(profile="lab", config_file=str(config))
        logging.getLogger("dwave.cloud.test").debug("config %r", resolved)
    assert resolved["token"] == TOKEN
    assert TOKEN not in caplog.text and "***" in caplog.text
    assert mask(f"token={TOKEN}") == "token=***"


def test_token_never_appears_in_errors_logs_output_or_results(monkeypatch, caplog, capsys):
    monkeypatch.setenv("DWAVE_API_TOKEN", TOKEN)
    monkeypatch.setenv("DWAVE_API_ENDPOINT", "http://127.0.0.1:9/sapi/v2/")  # nothing listens: a network error
    problem = selection_problem(6, 2)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(SolverError) as err:
            qp.solve(problem, "dwave-qpu", num_reads=10)
    assert "D-Wave" in str(err.value) and TOKEN not in str(err.value)
    assert TOKEN not in caplog.text
    # a run with credentials in the environment stores nothing of them
    result = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1)
    payload = json.dumps(result.to_dict()) + str(result) + repr(result.parameters)
    assert TOKEN not in payload
    captured = capsys.readouterr()
    assert TOKEN not in captured.out + captured.err


def test_cli_mock_run_prints_chain_statistics(capsys):
    from qportfolio.cli import main

    code = main(["solve", "--synthetic", "8", "--seed", "1", "--k", "3", "--selection-only", "--solver", "dwave-qpu",
                 "-o", "mock=pegasus:6", "--num-reads", "50"])
    out = capsys.readouterr().out
    assert code == 0 and "chain-break fraction" in out and "MockDWaveSampler" in out
