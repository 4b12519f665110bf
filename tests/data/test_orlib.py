"""OR-Library loader: values against the files, sizes, where the data is found."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.data import (
    load_orlib,
    load_orlib_frontier,
    orlib_data_dir,
)
from qportfolio.errors import DataError


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
