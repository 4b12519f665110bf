"""D-Wave solvers on dwave-system's MockDWaveSampler and dimod's stand-ins: no account needed."""

from __future__ import annotations

import os
import subprocess
import sys

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.data import synthetic_problem
from qportfolio.errors import ValidationError
from qportfolio.result import relative_gap
from qportfolio.solvers.dwave import mock_sampler

from ..conftest import random_small_problem, selection_problem

pytest.importorskip("dwave.system")


pytestmark = pytest.mark.usefixtures("isolated_dwave_config")


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


def test_cli_without_credentials_prints_one_line_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DWAVE_")}
    env.update(HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-m", "qportfolio.cli", "solve", "--synthetic", "8", "--instance-seed", "1",
                          "--seed", "1", "--k", "3", "--solver", "dwave-qpu"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 2 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "dwave setup" in lines[0] and "Traceback" not in out.stderr


def test_cli_mock_run_prints_chain_statistics(capsys):
    from qportfolio.cli import main

    code = main(["solve", "--synthetic", "8", "--instance-seed", "1", "--seed", "1", "--k", "3", "--selection-only",
                 "--solver", "dwave-qpu", "-o", "mock=pegasus:6", "--num-reads", "50"])
    out = capsys.readouterr().out
    assert code == 0 and "chain-break fraction" in out and "MockDWaveSampler" in out


# ------------------------------------------------------------------ anneal controls and the fit check
def _controls_problem():
    return synthetic_problem(8, seed=4, cardinality=3, weight_step=0.1, min_weight=0.1)


MOCK = {"mock": "pegasus:4", "embedding_cache": False, "seed": 2}


def test_reverse_anneal_from_the_optimum_returns_it_and_records_the_schedule():
    problem = _controls_problem()
    exact = qp.solve(problem, "brute")
    qubo = qp.encode(problem, encoding="binary")
    start = qubo.encode_units(np.round(exact.weights / problem.weight_step).astype(int))
    r = qp.solve(problem, "dwave-qpu", encoding="binary", num_reads=20, reverse_anneal=0.45, initial_state=start, **MOCK)
    assert r.objective == pytest.approx(exact.objective, rel=1e-12)
    assert r.parameters["anneal_schedule"][0] == [0.0, 1.0] and r.parameters["initial_state"] == "given"
    assert r.parameters["reinitialize_state"] is True
    h = qp.solve(problem, "dwave-qpu", encoding="binary", num_reads=20, reverse_anneal=0.45, initial_state="heuristic",
                 **MOCK)
    assert h.parameters["initial_state"] == "heuristic" and h.objective <= h.parameters["initial_objective"] + 1e-15


def test_spin_reversal_transforms_split_the_reads():
    r = qp.solve(_controls_problem(), "dwave-qpu", num_reads=40, num_spin_reversal_transforms=4, **MOCK)
    assert r.parameters["num_spin_reversal_transforms"] == 4 and r.parameters["num_reads"] == 40
    assert r.info["num_samples"] == 40


@pytest.mark.parametrize("options, text", [
    ({"reverse_anneal": 0.4}, "reverse annealing starts from a state: give initial_state"),
    ({"initial_state": "heuristic"}, "initial_state is the start of a reverse anneal"),
    ({"anneal_schedule": [[0, 0], [20, 1]], "annealing_time": 20}, "give one"),
    ({"anneal_schedule": [[0, 0], [0, 1]]}, "strictly increase"),
    ({"anneal_schedule": [[0, 0.2], [5, 1]]}, "start at 0 (forward) or 1 (reverse)"),
    ({"anneal_schedule": [[i, min(1.0, i / 12)] for i in range(14)]}, "at most 12"),
    ({"reverse_anneal": 1.0, "initial_state": "heuristic"}, "must be < 1"),
    ({"reverse_anneal": 0.4, "initial_state": {"x": 1}}, "initial_state must give every QUBO variable"),
])
def test_anneal_controls_are_validated(options, text):
    with pytest.raises(ValidationError, match=text.replace("(", r"\(").replace(")", r"\)")):
        qp.solve(_controls_problem(), "dwave-qpu", num_reads=5, **MOCK, **options)


def test_fit_check_before_any_qpu_time(capsys):
    from qportfolio.cli import main

    args = ["fit", "--orlib", "port1", "--k", "5", "--step", "0.1", "--min-weight", "0.1", "-o", "mock=pegasus"]
    assert main([*args, "--encoding", "binary"]) == 0
    out = capsys.readouterr().out
    assert "fit         yes: 124 variables" in out and "chains max" in out and "QPU access time" in out
    assert "classical stand-in" in out
    assert main(args) == 4  # domain-wall: 186 variables, all coupled, over the 180-variable clique
    assert "largest clique" in capsys.readouterr().out
    assert main(["fit", "--subproblem-size", "20", "-o", "mock=pegasus", "--json"]) == 0
    import json

    fit = json.loads(capsys.readouterr().out)
    assert fit["embeds"] and fit["largest_clique"] == 180 and fit["chain_length_max"] >= 1 and fit["qpu_access_estimate_s"] > 0
    assert main(["fit", "--subproblem-size", "20", "-o", "mock=pegasus", "-o", "chain_strength=2"]) == 2
    assert "fit does not use chain_strength" in capsys.readouterr().err


def test_reverse_anneal_without_a_state_is_one_line_exit_2(capsys):
    from qportfolio.cli import main

    assert main(["solve", "--synthetic", "6", "--instance-seed", "1", "--k", "2", "--solver", "dwave-qpu", "-o",
                 "mock=pegasus:4", "-o", "reverse_anneal=0.4"]) == 2
    err = capsys.readouterr().err
    assert "reverse annealing starts from a state" in err and err.count("\n") == 1
