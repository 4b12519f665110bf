
import numpy as np
import pandas as pd
import pytest

from qportfolio.data import (
    ledoit_wolf,
    load_orlib,
    load_orlib_frontier,
    load_spec,
    orlib_data_dir,
    problem_from_returns,
    problem_from_spec,
    sample_covariance,
    synthetic_problem,
)
from qportfolio.errors import DataError, ValidationError

from .conftest import requires_orlib


@requires_orlib
def test_orlib_port1_matches_file():
    p = load_orlib("port1")
    assert p.n == 31 and p.cardinality == 10 and p.weight_step == 0.01
    lines = (orlib_data_dir() / "port1.txt").read_text().split("\n")
    mean0, std0 = map(float, lines[1].split())
    assert p.expected_returns[0] == mean0
    assert p.covariance[0, 0] == pytest.approx(std0**2)
    # the "1 2 .562289" row: covariance = corr * s1 * s2
    std1 = float(lines[2].split()[1])
    assert p.covariance[0, 1] == pytest.approx(0.562289 * std0 * std1)
    assert np.allclose(p.covariance, p.covariance.T)
    frontier = load_orlib_frontier("port1")
    assert frontier.shape == (2000, 2)


@requires_orlib
@pytest.mark.parametrize("name, n", [("port2", 85), ("port3", 89), ("port4", 98), ("port5", 225)])
def test_orlib_sizes(name, n):
    assert load_orlib(name).n == n


def test_orlib_missing_dir(tmp_path):
    with pytest.raises(DataError, match="QPORTFOLIO_ORLIB_DIR"):
        load_orlib("port1", data_dir=tmp_path)
    with pytest.raises(DataError, match="unknown OR-Library set"):
        load_orlib("port9")


def test_orlib_env_var(tmp_path, monkeypatch):
    (tmp_path / "port1.txt").write_text("2\n0.01 0.1\n0.02 0.2\n1 1 1.0\n1 2 0.3\n2 2 1.0\n")
    monkeypatch.setenv("QPORTFOLIO_ORLIB_DIR", str(tmp_path))
    p = load_orlib("port1", cardinality=1, weight_step=0.5, min_weight=0.5)
    assert p.n == 2 and p.covariance[0, 1] == pytest.approx(0.3 * 0.1 * 0.2)


def test_spec_both_forms(tmp_path, demo_spec_path):
    p = load_spec(demo_spec_path)
    assert p.name == "demo" and p.n == 10
    vol = np.sqrt(np.diag(p.covariance))
    spec = {"assets": list(p.assets), "expected_returns": p.expected_returns.tolist(), "volatilities": vol.tolist(),
            "correlations": (p.covariance / np.outer(vol, vol)).tolist(), "cardinality": 4, "weight_step": 0.05,
            "max_weight": 0.5}
    q = problem_from_spec(spec)
    assert np.allclose(q.covariance, p.covariance, atol=1e-15)
    f = tmp_path / "bad.json"
    f.write_text("{not json")
    with pytest.raises(DataError, match="invalid JSON"):
        load_spec(f)


@pytest.mark.parametrize(
    "change, text",
    [({"riskaversion": 0.5}, "unknown key"), ({"cardinality": None}, "missing required"), ({"volatilities": [0.1]}, "either 'covariance'")],
)
def test_spec_errors(change, text):
    spec = {"assets": ["A", "B"], "expected_returns": [0.1, 0.2], "covariance": [[0.1, 0], [0, 0.1]], "cardinality": 1,
            "weight_step": 0.5, "min_weight": 0.5}
    spec.update(change)
    spec = {k: v for k, v in spec.items() if v is not None}
    with pytest.raises(ValidationError, match=text):
        problem_from_spec(spec)


def test_returns_estimators_against_oracles():
    rng = np.random.default_rng(0)
    r = pd.DataFrame(rng.normal(0.001, 0.02, size=(60, 8)), columns=[f"X{i}" for i in range(8)])
    assert np.allclose(sample_covariance(r), np.cov(r.to_numpy(), rowvar=False))
    sklearn = pytest.importorskip("sklearn.covariance")
    cov, shrink = ledoit_wolf(r)
    ref = sklearn.LedoitWolf().fit(r.to_numpy())
    assert shrink == pytest.approx(ref.shrinkage_, rel=1e-10)
    assert np.allclose(cov, ref.covariance_, rtol=1e-10, atol=1e-14)
    p = problem_from_returns(r, cardinality=3, estimator="sample", weight_step=0.1, min_weight=0.1)
    assert p.assets[0] == "X0" and np.allclose(p.expected_returns, r.mean().to_numpy())
    bad = r.copy()
    bad.iloc[3, 2] = np.nan
    with pytest.raises(ValidationError, match="NaN"):
        problem_from_returns(bad, cardinality=3)


def test_synthetic_reproducible():
    a, b = synthetic_problem(12, seed=5), synthetic_problem(12, seed=5)
    assert np.array_equal(a.covariance, b.covariance) and a.fingerprint == b.fingerprint
    assert np.linalg.eigvalsh(a.covariance)[0] > 0
    with pytest.raises(ValidationError, match="positive integer"):
        synthetic_problem(0)
