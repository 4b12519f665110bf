"""errors.py: one exception family, each class also the builtin a caller would catch, and one-line messages."""

import inspect

import pytest

import qportfolio as qp
from qportfolio import errors
from qportfolio.errors import (
    DataError,
    InfeasibleProblemError,
    QPortfolioError,
    SolverError,
    StoreError,
    TransientError,
    ValidationError,
    one_line,
)


def test_every_error_class_is_a_qportfolio_error():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, BaseException)]
    assert len(classes) >= 7
    assert all(issubclass(c, QPortfolioError) for c in classes)


@pytest.mark.parametrize("cls, builtin", [
    (ValidationError, ValueError),
    (InfeasibleProblemError, ValueError),
    (DataError, OSError),
    (StoreError, OSError),
    (SolverError, RuntimeError),
    (TransientError, RuntimeError),
])
def test_each_error_is_also_the_builtin_callers_catch(cls, builtin):
    assert issubclass(cls, builtin)
    with pytest.raises(builtin, match="why and how to fix"):
        raise cls("why and how to fix")


def test_the_family_tree():
    assert issubclass(InfeasibleProblemError, ValidationError)
    assert issubclass(TransientError, SolverError)
    assert issubclass(StoreError, DataError)
    assert not issubclass(TransientError, ValidationError) and not issubclass(DataError, ValueError)


def test_one_line_collapses_every_kind_of_whitespace():
    assert one_line("a\nb\t c\r\n\n  d  ") == "a b c d"
    assert one_line(ValueError("line 1\nline 2")) == "line 1 line 2"
    assert one_line("") == ""


def test_library_refusals_arrive_as_the_family(tmp_path):
    with pytest.raises(ValidationError):
        qp.synthetic_problem(4, seed=0, cardinality=9)
    with pytest.raises(DataError):
        qp.load_spec(tmp_path / "missing.json")
