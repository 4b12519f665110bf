"""Progress lines where a person watches (a terminal), none in pipes or under --json."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import qportfolio as qp
from qportfolio.utils import progress

HARD_POINT = ["solve", "--orlib", "port4", "--k", "10", "--lambda", "0.9", "--step", "0.05", "--min-weight", "0.05",
              "--solver", "exact-discrete", "--time-limit", "3"]


def _run_in_terminal(args: list[str]) -> str:
    """The command's output when stdout and stderr are a terminal (a pseudo-terminal)."""
    master, slave = pty.openpty()
    env = {**os.environ, "QPORTFOLIO_PROGRESS_INTERVAL": "0.5"}
    proc = subprocess.Popen([sys.executable, "-m", "qportfolio.cli", *args], stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the terminal closed: the process ended
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 0
    return b"".join(chunks).decode()


def test_an_exact_solve_on_a_terminal_prints_progress_lines():
    out = _run_in_terminal(HARD_POINT)
    lines = [ln for ln in out.splitlines() if "SCIP: incumbent" in ln]
    assert len(lines) >= 2, out
    assert "bound" in lines[-1] and "gap" in lines[-1] and "nodes" in lines[-1]


def test_no_progress_under_json_or_quiet_or_in_a_pipe():
    assert "SCIP: incumbent" not in _run_in_terminal([*HARD_POINT, "--json"])
    assert "SCIP: incumbent" not in _run_in_terminal([*HARD_POINT, "--quiet"])
    piped = subprocess.run([sys.executable, "-m", "qportfolio.cli", *HARD_POINT], capture_output=True, text=True,
                           env={**os.environ, "QPORTFOLIO_PROGRESS_INTERVAL": "0"}, timeout=120)
    assert piped.returncode == 0 and "SCIP:" not in piped.stdout + piped.stderr


def test_a_qubo_run_reports_its_best_energy_per_sampler_call():
    stream = io.StringIO()
    problem = qp.synthetic_problem(8, seed=1, cardinality=3)
    with progress.reporting(progress.LineReporter(stream, interval=0.0)):
        qp.solve(problem, "sa", num_reads=20, num_sweeps=100, batches=3, seed=1)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and "best energy" in lines[-1] and "3 sampler calls" in lines[-1]
    stream2 = io.StringIO()
    qp.solve(problem, "sa", num_reads=20, num_sweeps=100, seed=1)  # no reporter: silent
    assert stream2.getvalue() == ""


def test_show_progress_uses_tqdm(capsys):
    problem = qp.synthetic_problem(8, seed=1, cardinality=3)
    with qp.show_progress(interval=0.0):
        qp.solve(problem, "sa", num_reads=20, num_sweeps=100, batches=2, seed=1)
    assert "best energy" in capsys.readouterr().err
