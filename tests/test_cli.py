"""The command line as a user meets it: real subprocesses for exit codes, main() for speed."""

import json
import subprocess
import sys

import pytest

from qportfolio.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "qportfolio.cli", *args], capture_output=True, text=True, timeout=300)


def test_solve_json_fields(capsys):
    assert main(["solve", "--synthetic", "8", "--instance-seed", "1", "--k", "3", "--solver", "exact-discrete", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("objective", "weights", "selected", "feasible", "status", "solver", "wall_s", "expected_return", "volatility",
                "bound", "gap"):
        assert key in out
    assert out["status"] == "optimal" and len(out["selected"]) == 3


def test_solve_sa_table(capsys, demo_spec_path):
    assert main(["solve", str(demo_spec_path), "--solver", "sa", "--seed", "3", "--num-reads", "50"]) == 0
    out = capsys.readouterr().out
    assert "solver      sa" in out and "% feasible" in out


def test_encode_writes_bqm(tmp_path, capsys, demo_spec_path):
    import dimod

    path = tmp_path / "bqm.json"
    assert main(["encode", str(demo_spec_path), "--out", str(path)]) == 0
    assert "interactions" in capsys.readouterr().out
    bqm = dimod.BinaryQuadraticModel.from_serializable(json.loads(path.read_text()))
    assert bqm.num_variables == 50
    binary = tmp_path / "bqm.bin"
    assert main(["encode", str(demo_spec_path), "--out", str(binary)]) == 0
    with open(binary, "rb") as fh:
        assert dimod.BinaryQuadraticModel.from_file(fh) == bqm


def test_demo_runs(capsys):
    assert main(["demo", "--num-reads", "50", "--num-sweeps", "500"]) == 0
    out = capsys.readouterr().out
    assert "exact-discrete" in out and "sa" in out and "gap" in out


@pytest.mark.parametrize(
    "args, text",
    [
        (["solve", "--synthetic", "5", "--k", "9"], "cardinality K=9 exceeds"),
        (["solve", "--synthetic", "5", "--k", "2", "--step", "0.03"], "not reachable on the grid"),
        (["solve", "--synthetic", "5", "--k", "2", "--solver", "nope"], "unknown solver"),
        (["solve", "missing.json"], "does not exist"),
        (["solve"], "exactly one problem source"),
        (["solve", "--synthetic", "5", "--k", "2", "-o", "bogus=1"], "does not take option"),
        (["solve", "--synthetic", "5", "--k", "2", "--encoding", "one-hot"], "unknown encoding 'one-hot'; choose one of binary"),
        (["encode", "--synthetic", "5", "--k", "2", "--encoding", "bounded-coefficient:3"], "cap must be a power of two"),
        (["solve", "--synthetic", "5", "--k", "2", "--solver", "sa", "--time-budget", "-1"], "time_budget must be a positive"),
    ],
)
def test_errors_are_one_line_exit_2(args, text):
    proc = run(*args)
    assert proc.returncode == 2
    assert text in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_orlib_from_the_shell():
    proc = run("solve", "--orlib", "port1", "--k", "10", "--lambda", "0.5", "--solver", "exact-continuous", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["status"] == "optimal"


@pytest.mark.parametrize("solver", ["qaoa-fast", "qaoa"])
def test_qaoa_from_the_command_line(capsys, solver):
    pytest.importorskip("qiskit_aer")
    args = ["solve", "--synthetic", "6", "--instance-seed", "1", "--seed", "1", "--k", "2", "--selection-only",
            "--solver", solver, "--reps", "2", "--shots", "512", "--mixer", "xy-ring", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["feasible"] and out["parameters"]["reps"] == 2 and out["parameters"]["mixer"] == "xy-ring"
    assert out["info"]["feasible_probability"] == pytest.approx(1.0)


def test_qaoa_too_large_is_one_line():
    proc = run("solve", "--synthetic", "40", "--k", "10", "--selection-only", "--solver", "qaoa-fast")
    assert proc.returncode == 2 and "40 qubits need 2^40 amplitudes" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_default_solver_is_the_recommended_qubo_configuration():
    proc = run("solve", "--synthetic", "8", "--instance-seed", "1", "--seed", "1", "--k", "3", "--time-budget", "0.5", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["solver"] == "qubo" and out["feasible"]
    assert out["info"]["backend"] == "tabu-restarts" and out["parameters"]["encoding"] == "domain-wall"
    assert out["parameters"]["polish"] is False and out["info"]["raw_best_objective"] == out["objective"]


def test_solve_with_encoding_and_tuned_penalties(capsys):
    assert main(["solve", "--synthetic", "8", "--instance-seed", "1", "--seed", "1", "--k", "3", "--solver", "sa",
                 "--encoding", "unary", "--penalty-strategy", "tuned", "--num-reads", "10", "--num-sweeps", "200", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["parameters"]["encoding"] == "unary" and "penalty_tuning" in out["info"]
    assert main(["encode", "--synthetic", "8", "--instance-seed", "1", "--k", "3", "--encoding", "domain-wall"]) == 0
    text = capsys.readouterr().out
    assert "encoding domain-wall" in text and "max/min |bias|" in text
