"""``qportfolio solve`` and ``qportfolio encode`` as a user meets them: real subprocesses for exit codes,
main() for speed."""

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


def test_encode_writes_what_solve_uses_and_decodes_alone(tmp_path, capsys, demo_spec_path):
    import dimod
    import numpy as np

    import qportfolio as qp

    path = tmp_path / "bqm.json"
    assert main(["encode", str(demo_spec_path), "--out", str(path)]) == 0
    out = capsys.readouterr().out
    assert "encoding domain-wall (the default solver qubo's" in out and "qp.decode_file" in out
    data = json.loads(path.read_text())
    assert data["info"]["encoding"]["name"] == "domain-wall"
    bqm = dimod.BinaryQuadraticModel.from_serializable({k: v for k, v in data.items() if k != "info"})
    expected = qp.encode(qp.load_spec(demo_spec_path), encoding="domain-wall")
    assert bqm.num_variables == expected.num_variables == 100
    binary = tmp_path / "bqm.bin"
    assert main(["encode", str(demo_spec_path), "--encoding", "binary", "--out", str(binary)]) == 0
    assert "(the default solver" not in capsys.readouterr().out
    with open(binary, "rb") as fh:  # dimod reads its own sections and ignores qportfolio's trailer
        assert dimod.BinaryQuadraticModel.from_file(fh).num_variables == 50
    # decoding needs nothing but the file: same portfolios and objectives as the in-memory model
    rng = np.random.default_rng(0)
    for file, model in ((path, expected), (binary, qp.encode(qp.load_spec(demo_spec_path), encoding="binary"))):
        samples = rng.integers(0, 2, size=(20, model.num_variables))
        alone, ref = qp.decode_file(str(file), samples), model.decode(samples)
        np.testing.assert_array_equal(alone.units, ref.units)
        np.testing.assert_array_equal(alone.feasible, ref.feasible)
        np.testing.assert_allclose(alone.objective, ref.objective)
        loaded = qp.load_qubo(str(file))
        np.testing.assert_allclose(loaded.bqm.energies((samples, list(loaded.layout.labels))),
                                   model.bqm.energies((samples, list(model.layout.labels))))


def test_decode_file_refuses_a_plain_bqm_and_an_altered_problem(tmp_path, demo_spec_path):
    import qportfolio as qp

    qubo = qp.encode(qp.load_spec(demo_spec_path))
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(qubo.bqm.to_serializable()))
    with pytest.raises(qp.DataError, match="not a QUBO written by qportfolio"):
        qp.load_qubo(str(plain))
    good = tmp_path / "good.json"
    qp.save_qubo(qubo, str(good))
    data = json.loads(good.read_text())
    data["info"]["problem"]["cardinality"] = 2
    good.write_text(json.dumps(data))
    with pytest.raises(qp.DataError, match="fingerprint"):
        qp.load_qubo(str(good))


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
    proc = run("solve", "--synthetic", "8", "--instance-seed", "1", "--seed", "1", "--k", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["solver"] == "qubo" and out["feasible"]
    assert out["info"]["backend"] == "tabu-structured" and out["parameters"]["encoding"] == "domain-wall"
    # the 10 s budget is a cap: the stopping rule ends a 24-variable solve long before it
    assert out["info"]["stopped_by"] == "patience" and out["wall_s"] < 5.0
    assert out["parameters"]["polish"] is False and out["info"]["raw_best_objective"] == out["objective"]


def test_solve_with_encoding_and_tuned_penalties(capsys):
    assert main(["solve", "--synthetic", "8", "--instance-seed", "1", "--seed", "1", "--k", "3", "--solver", "sa",
                 "--encoding", "unary", "--penalty-strategy", "tuned", "--num-reads", "50", "--num-sweeps", "1000",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["parameters"]["encoding"] == "unary" and "penalty_tuning" in out["info"]
    assert main(["encode", "--synthetic", "8", "--instance-seed", "1", "--k", "3", "--encoding", "domain-wall"]) == 0
    text = capsys.readouterr().out
    assert "encoding domain-wall" in text and "max/min |bias|" in text


SHORT_SA = ["solve", "--synthetic", "8", "--instance-seed", "1", "--seed", "1", "--k", "3", "--solver", "sa",
            "--num-reads", "5", "--num-sweeps", "5", "--encoding", "binary"]


def test_no_feasible_sample_exits_3_and_prints_no_portfolio():
    proc = run(*SHORT_SA)
    assert proc.returncode == 3, proc.stderr
    assert "status infeasible" in proc.stdout and "weights     none: no feasible portfolio (holds" in proc.stdout
    assert "\nweights\n" not in proc.stdout and "not a portfolio" in proc.stdout


@pytest.mark.parametrize("extra, origin", [(["--repair"], "answer      from a repaired sample (repair=True)"),
                                           (["--repair", "--polish"], "answer      from a local search (polish=True) "
                                                                       "from a repaired sample")])
def test_repaired_and_polished_answers_say_so(capsys, extra, origin):
    assert main([*SHORT_SA, *extra]) == 0
    out = capsys.readouterr().out
    assert origin in out and "best raw feasible sample: none" in out


def test_raw_answer_has_no_origin_line(capsys):
    assert main(["solve", "--synthetic", "8", "--instance-seed", "1", "--seed", "1", "--k", "3", "--solver", "sa",
                 "--num-reads", "50", "--num-sweeps", "1000"]) == 0
    assert "answer      from" not in capsys.readouterr().out


def test_qaoa_text_report_shows_its_quality(capsys):
    assert main(["solve", "--synthetic", "5", "--instance-seed", "1", "--seed", "1", "--k", "2", "--step", "0.5",
                 "--selection-only", "--solver", "qaoa-fast", "--mixer", "xy-ring", "--reps", "1"]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("qaoa "))
    assert "depth 1, 5 qubits, mixer xy-ring: approximation ratio 0." in line
    assert "P(feasible) 1" in line and "P(optimum) 0." in line


def test_readme_dwave_step_with_the_instance_seed_reaches_the_credentials_hint(monkeypatch):
    for var in ("DWAVE_API_TOKEN", "DWAVE_PROFILE", "DWAVE_CONFIG_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", "/nonexistent")  # no saved dwave config either
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent")
    proc = subprocess.run([sys.executable, "-m", "qportfolio.cli", "solve", "--synthetic", "8", "--instance-seed", "1",
                           "--k", "3", "--solver", "dwave-hybrid-cqm"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "no D-Wave credentials found" in proc.stderr and "does not take option" not in proc.stderr

