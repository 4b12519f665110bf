"""D-Wave solvers on dwave-system's MockDWaveSampler and dimod's stand-ins: no account needed."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import qportfolio as qp
from qportfolio.data import synthetic_problem
from qportfolio.errors import ValidationError
from qportfolio.result import relative_gap
from qportfolio.solvers.dwave.mock import mock_sampler

from ...conftest import selection_problem

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


def test_reverse_anneal_without_a_state_is_one_line_exit_2(capsys):
    from qportfolio.cli import main

    assert main(["solve", "--synthetic", "6", "--instance-seed", "1", "--k", "2", "--solver", "dwave-qpu", "-o",
                 "mock=pegasus:4", "-o", "reverse_anneal=0.4"]) == 2
    err = capsys.readouterr().err
    assert "reverse annealing starts from a state" in err and err.count("\n") == 1


# ------------------------------------------------------------------ the solver handed out as a sampler
def test_as_sampler_validates_like_a_solve():
    qpu = qp.solvers.get("dwave-qpu")
    with pytest.raises(ValidationError, match="num_reads"):
        qpu.as_sampler(mock="pegasus:4", num_reads=0)
    with pytest.raises(ValidationError, match="does not take option"):
        qpu.as_sampler(mock="pegasus:4", num_read=10)
    with pytest.raises(ValidationError, match="repair"):
        qpu.as_sampler(mock="pegasus:4", repair=True)  # acts on a portfolio result, not on samples
    with pytest.raises(ValidationError, match="reverse_anneal"):
        qpu.as_sampler(mock="pegasus:4", reverse_anneal=0.5)  # needs one QUBO's start
    with pytest.raises(ValidationError, match="give one"):
        qpu.as_sampler(mock="pegasus:4", annealing_time=20, anneal_schedule=[[0, 0], [20, 1]])
    with pytest.raises(ValidationError, match="sampler= or mock="):
        qpu.as_sampler(mock="pegasus:4", sampler=mock_sampler("pegasus:4", seed=1))
    # decompose's parameters (the declared defaults plus its own) are accepted as they are
    sampler = qpu.as_sampler(**{**qpu.defaults, "mock": "pegasus:4", "num_reads": 7})
    assert sampler.defaults["num_reads"] == 7 and "reverse_hold_us" not in sampler.defaults


def test_as_sampler_states_the_facts_a_hybrid_reads():
    qpu = qp.solvers.get("dwave-qpu")
    facts = qpu.as_sampler(mock="pegasus:4").properties["qportfolio"]
    limit, why = qpu.largest_subproblem({"mock": "pegasus:4"})
    assert facts == {"solver": "dwave-qpu", "mock": True, "largest_subproblem": limit, "largest_subproblem_reason": why,
                     "keeps_hamming_weight": False, "deterministic": False}
    assert limit == qpu.fit(size=1, mock="pegasus:4").largest_clique
    given = mock_sampler("zephyr:2", seed=1)
    assert qpu.as_sampler(sampler=given).child is given
    assert qpu._child(given, None, None, None, None, 0) is given  # the old private name, until decompose moves


def test_the_old_names_of_the_solver_classes_are_the_registered_ones():
    from qportfolio.solvers.dwave import DWaveQPUSolver, LeapHybridBQMSolver, LeapHybridCQMSolver

    assert type(qp.solvers.get("dwave-qpu")) is DWaveQPUSolver
    assert LeapHybridBQMSolver.name == "dwave-hybrid-bqm" and LeapHybridCQMSolver.name == "dwave-hybrid-cqm"
    import qportfolio.solvers.dwave as package

    with pytest.raises(AttributeError, match="NoSuchSolver"):
        package.NoSuchSolver  # noqa: B018
