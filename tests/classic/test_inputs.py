"""Input checking: errors name the argument; asset names come from pandas labels."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.classic import Constraints, min_cvar, min_variance, risk_budgeting
from qportfolio.classic.inputs import check_constraints, read_inputs, require_returns
from qportfolio.errors import ValidationError


def test_bad_inputs_name_the_field():
    cov = np.eye(3)
    with pytest.raises(ValidationError, match="expected_returns"):
        min_variance([0.1, np.nan, 0.2], cov)
    with pytest.raises(ValidationError, match="covariance"):
        min_variance(None, np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(ValidationError, match="budgets"):
        risk_budgeting(None, cov, budgets=[1, -1, 1])
    with pytest.raises(ValidationError, match="turnover needs current"):
        Constraints(turnover=0.1)
    with pytest.raises(ValidationError, match="alpha"):
        min_cvar(np.zeros((10, 3)), alpha=1.5)


def test_names_come_from_pandas_labels_then_the_argument_then_a1_to_an():
    pd = pytest.importorskip("pandas")
    cov = pd.DataFrame(np.eye(2), index=["x", "y"], columns=["x", "y"])
    assert read_inputs(None, cov)[2] == ("x", "y")
    assert read_inputs(pd.Series([0.1, 0.2], index=["p", "q"]), np.eye(2))[2] == ("p", "q")
    assert read_inputs(None, cov, ["a", "b"])[2] == ("a", "b")
    assert read_inputs(None, np.eye(3))[2] == ("A1", "A2", "A3")


def test_swapped_arguments_and_missing_returns_are_refused_with_the_fix():
    with pytest.raises(ValidationError, match="in that order"):
        read_inputs(np.eye(2), np.array([0.1, 0.2]))
    with pytest.raises(ValidationError, match="max_sharpe needs expected_returns"):
        require_returns(*read_inputs(None, np.eye(2)), "max_sharpe")
    with pytest.raises(ValidationError, match="by keyword"):
        check_constraints(["a", "b"])
    c = Constraints()
    assert check_constraints(c) is c
