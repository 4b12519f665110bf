"""JSON problem specs: both covariance forms and errors that name the key."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.data import (
    load_spec,
    problem_from_spec,
)
from qportfolio.errors import DataError, ValidationError


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
    [
        ({"riskaversion": 0.5}, "unknown key"),
        ({"cardinality": None}, "missing required"),
        ({"volatilities": [0.1]}, "either 'covariance'"),
    ],
)
def test_spec_errors(change, text):
    spec = {
        "assets": ["A", "B"],
        "expected_returns": [0.1, 0.2],
        "covariance": [[0.1, 0], [0, 0.1]],
        "cardinality": 1,
        "weight_step": 0.5,
        "min_weight": 0.5,
    }
    spec.update(change)
    spec = {k: v for k, v in spec.items() if v is not None}
    with pytest.raises(ValidationError, match=text):
        problem_from_spec(spec)
