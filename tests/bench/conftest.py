"""Helpers of the benchmark tests: a tiny suite file and the CLI in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TINY_SUITE = """
name = "tiny"
repeats = {repeats}
seed = 5
time_limit = 10

[[instances]]
kind = "synthetic"
n = [6, 7]
seeds = [1]

[parameters]
cardinality = 2
risk_aversion = [0.2, 0.6]
weight_step = 0.25
min_weight = 0.25

[references]
discrete = true
continuous = false

[[solvers]]
name = "sa-fast"
solver = "sa"
options = {{ num_reads = 10, num_sweeps = {sweeps} }}

[[solvers]]
name = "steepest"
solver = "steepest"
options = {{ num_reads = 10 }}
"""


def write_suite(tmp_path: Path, repeats: int = 2, sweeps: int = 200) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_SUITE.format(repeats=repeats, sweeps=sweeps))
    return path


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qportfolio.cli", *args], capture_output=True, text=True, timeout=600, **kw)
