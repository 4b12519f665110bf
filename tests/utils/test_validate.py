"""utils/validate.py: each check accepts clean values as they are and refuses everything else with
the field, the offending entry and what was expected; nothing is coerced."""

import math

import numpy as np
import pytest

from qportfolio.errors import ValidationError
from qportfolio.utils import validate as v


def test_is_number_excludes_booleans_strings_and_containers():
    assert all(v.is_number(x) for x in (0, 1.5, -3, np.int32(2), np.float64(0.1), math.inf))
    assert not any(v.is_number(x) for x in (True, np.bool_(False), "1", [1], None, 1j))


def test_describe_is_short_and_typed():
    assert v.describe("x") == "'x' (str)"
    long = v.describe("y" * 100)
    assert long.endswith("... (str)") and len(long) < 60


def test_number_bounds_and_refusals():
    assert v.number(3, "f") == 3.0 and isinstance(v.number(np.int64(3), "f"), float)
    assert v.number(0.0, "f", low=0) == 0.0 and v.number(1.0, "f", high=1.0) == 1.0
    assert v.number(math.inf, "f", finite=False) == math.inf
    cases = [
        (dict(value="1.5"), "f must be a number, got '1.5' \\(str\\)"),
        (dict(value=True), "f must be a number, got True \\(bool\\)"),
        (dict(value=math.nan), "f must be a finite number, got nan"),
        (dict(value=-1, low=0), "f must be a non-negative number, got -1"),
        (dict(value=0, low=0, low_open=True), "f must be a positive number, got 0"),
        (dict(value=0.5, low=1), "f must be >= 1, got 0.5"),
        (dict(value=2, low=2, low_open=True), "f must be > 2, got 2"),
        (dict(value=1.5, high=1), "f must be <= 1, got 1.5"),
        (dict(value=1, high=1, high_open=True), "f must be < 1, got 1"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            v.number(field="f", **kwargs)


def test_integer_accepts_integral_floats_only():
    assert v.integer(10.0, "k") == 10 and v.integer(np.int16(4), "k", low=1) == 4
    for bad in (2.5, "3", True, None, math.inf):
        with pytest.raises(ValidationError, match="k must be an integer"):
            v.integer(bad, "k")
    with pytest.raises(ValidationError, match="k must be a positive integer, got 0"):
        v.integer(0, "k", low=1)
    with pytest.raises(ValidationError, match="k must be a non-negative integer"):
        v.integer(-1, "k", low=0)
    with pytest.raises(ValidationError, match="k must be an integer >= 3"):
        v.integer(2, "k", low=3)
    with pytest.raises(ValidationError, match="k must be <= 5, got 6"):
        v.integer(6, "k", high=5)


def test_array_from_lists_and_numpy():
    out = v.array([[1, 2], [3, 4.5]], "cov", ndim=2, shape=(2, 2))
    assert out.dtype == float and np.array_equal(out, [[1, 2], [3, 4.5]])
    ints = np.arange(3)
    assert v.array(ints, "mu", ndim=1).dtype == float
    with pytest.raises(ValidationError, match=r"cov\[1\]\[0\] must be a number, got 'x' \(str\)"):
        v.array([[1, 2], ["x", 4]], "cov", ndim=2)
    with pytest.raises(ValidationError, match="rows of equal length"):
        v.array([[1, 2], [3]], "cov", ndim=2)
    with pytest.raises(ValidationError, match="mu must be a list of numbers, got an array of shape \\(2, 2\\)"):
        v.array(np.eye(2), "mu", ndim=1)
    with pytest.raises(ValidationError, match="cov must have 3 columns, got 2"):
        v.array([[1, 2], [3, 4]], "cov", ndim=2, shape=(None, 3))
    with pytest.raises(ValidationError, match=r"mu\[1\] must be finite, got nan"):
        v.array([1.0, math.nan], "mu", ndim=1)
    assert np.isnan(v.array([1.0, math.nan], "mu", ndim=1, finite=False)[1])
    with pytest.raises(ValidationError, match=r"mu\[0\] must be a number, got True"):
        v.array([True, 1.0], "mu", ndim=1)
    with pytest.raises(ValidationError, match=r"mu\[1\] must be a number"):
        v.array(np.array([1, "a"], dtype=object), "mu", ndim=1)


def test_vector_or_scalar_broadcasts_a_number():
    assert np.array_equal(v.vector_or_scalar(0.2, "w", 3), [0.2, 0.2, 0.2])
    assert np.array_equal(v.vector_or_scalar(np.array(0.5), "w", 2), [0.5, 0.5])
    assert np.array_equal(v.vector_or_scalar([0.1, 0.2], "w", 2), [0.1, 0.2])
    with pytest.raises(ValidationError, match="a list of 3 numbers \\(one per asset\\), got 2 entries"):
        v.vector_or_scalar([0.1, 0.2], "w", 3)
    with pytest.raises(ValidationError, match="w must be a number or a list"):
        v.vector_or_scalar("0.1", "w", 3)


def test_names_booleans_keys_and_text():
    assert v.names(["a", 2, np.str_("c")], "assets") == ("a", "2", "c")
    with pytest.raises(ValidationError, match="assets must be a list of names"):
        v.names("abc", "assets")
    with pytest.raises(ValidationError, match=r"assets\[1\] must be a name"):
        v.names(["a", 1.5], "assets")
    assert v.boolean(True, "flag") is True and v.boolean(np.bool_(False), "flag") is False
    for bad in (0, 1, "yes"):
        with pytest.raises(ValidationError, match="flag must be true or false"):
            v.boolean(bad, "flag")
    v.known_keys({"a": 1}, {"a", "b"}, "spec")
    with pytest.raises(ValidationError, match="spec has unknown key\\(s\\) c, d; allowed: a, b"):
        v.known_keys({"a": 1, "d": 2, "c": 3}, {"a", "b"}, "spec")
    assert v.text("x", "name") == "x"
    with pytest.raises(ValidationError, match="name must be a string, got 3 \\(int\\)"):
        v.text(3, "name")
