"""Shared fixtures: small random instances and exhaustive QUBO energies."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

from qportfolio.data import synthetic_problem
from qportfolio.problem import PortfolioProblem

# Property tests draw the same examples on every run by default, so that CI cannot fail on a draw
# nobody can reproduce; `pytest --hypothesis-profile=explore` draws new ones (what found the bugs
# the fuzz tests now pin down) and prints the seed of any failure.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("QPORTFOLIO_HYPOTHESIS_PROFILE", "ci"))


def random_small_problem(seed: int, max_vars: int = 16, encoding: str = "binary") -> PortfolioProblem:
    """A random problem whose QUBO (under ``encoding``) has at most ``max_vars`` variables
    (exhaustively checkable)."""
    rng = np.random.default_rng(seed)
    while True:
        n = int(rng.integers(3, 7))
        k = int(rng.integers(1, min(n, 3) + 1))
        step = float(rng.choice([0.1, 0.125, 0.2, 0.25, 0.5]))
        units = round(1 / step)
        lo_units = int(rng.integers(1, max(1, units // k) + 1))
        hi_units = int(rng.integers(max(lo_units, -(-units // k)), units + 1))
        lam = float(rng.choice([0.0, 0.3, 0.5, 0.9, 1.0, rng.uniform()]))
        try:
            p = synthetic_problem(n, seed=seed, cardinality=k, weight_step=step, risk_aversion=lam,
                                  min_weight=lo_units * step, max_weight=hi_units * step)
        except Exception:
            continue
        from qportfolio.formulations.qubo import build_layout

        if build_layout(p, encoding).num_variables <= max_vars:
            return p


#: Twenty random small problems (QUBOs of at most 24 variables) shared by the solver tests.
SMALL = [random_small_problem(1000 + i, max_vars=24) for i in range(20)]


def rel(a: float, b: float) -> float:
    """Relative difference, safe at zero."""
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def all_assignments(num_vars: int) -> np.ndarray:
    return np.array(list(itertools.product([0, 1], repeat=num_vars)), dtype=np.int8)


@pytest.fixture
def tiny_problem() -> PortfolioProblem:
    return synthetic_problem(5, seed=3, cardinality=2, weight_step=0.25, min_weight=0.25, max_weight=0.75)


@pytest.fixture
def demo_spec_path() -> Path:
    return Path(__file__).resolve().parents[1] / "qportfolio" / "examples" / "demo.json"


@pytest.fixture
def isolated_dwave_config(tmp_path, monkeypatch):
    """No user D-Wave config, token or cache leaks in from (or out to) the machine running the tests."""
    for var in ("DWAVE_API_TOKEN", "DWAVE_CONFIG_FILE", "DWAVE_PROFILE", "DWAVE_API_ENDPOINT", "DWAVE_API_SOLVER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("QPORTFOLIO_CACHE_DIR", str(tmp_path / "cache"))


def selection_problem(n: int = 8, k: int = 3, seed: int = 1) -> PortfolioProblem:
    """A selection-only synthetic problem (one qubit per asset) for the QPU tests."""
    return synthetic_problem(n, seed=seed, cardinality=k).selection_only_variant()
