"""Type and shape checks shared by every reader (specs, LP models, suites, CSV, CLI options).

Each check takes the value and the name of the field it came from, and either returns a clean
Python/numpy value or raises :class:`~qportfolio.errors.ValidationError` naming the field, the
offending entry and what was expected. Nothing is coerced: a string is not a number (``"1.5"``
is refused, not parsed), a boolean is not a number, a nested list is not a number, NaN and inf
are refused unless a caller allows them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np

from ..errors import ValidationError

#: numpy dtype kinds that hold real numbers (booleans are not numbers here).
_NUMERIC_KINDS = "iuf"


def describe(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{text} ({type(value).__name__})"


def is_number(value: Any) -> bool:
    """True for a real number that is not a boolean (Python or numpy scalar)."""
    return isinstance(value, (Real, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def number(value: Any, field: str, *, finite: bool = True, low: float | None = None, high: float | None = None,
           low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a float; refuses strings, booleans, lists, NaN/inf (when ``finite``) and values
    outside [low, high] (open at either end with ``low_open`` / ``high_open``)."""
    if not is_number(value):
        raise ValidationError(f"{field} must be a number, got {describe(value)}")
    out = float(value)
    if finite and not math.isfinite(out):
        raise ValidationError(f"{field} must be a finite number, got {out}")
    if low is not None and (out < low or (low_open and out == low)):
        if low == 0:
            raise ValidationError(f"{field} must be a {'positive' if low_open else 'non-negative'} number, got {out:g}")
        raise ValidationError(f"{field} must be {'>' if low_open else '>='} {low:g}, got {out:g}")
    if high is not None and (out > high or (high_open and out == high)):
        raise ValidationError(f"{field} must be {'<' if high_open else '<='} {high:g}, got {out:g}")
    return out


def integer(value: Any, field: str, *, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int; a float is accepted only when it is integral (10.0), never a string."""
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        value = int(value)
    if not isinstance(value, (Integral, np.integer)) or isinstance(value, (bool, np.bool_)):
        raise ValidationError(f"{field} must be an integer, got {describe(value)}")
    out = int(value)
    if low is not None and out < low:
        what = {0: "a non-negative integer", 1: "a positive integer"}.get(low, f"an integer >= {low}")
        raise ValidationError(f"{field} must be {what}, got {out}")
    if high is not None and out > high:
        raise ValidationError(f"{field} must be <= {high}, got {out}")
    return out


def array(value: Any, field: str, *, ndim: int, shape: Sequence[int | None] | None = None,
          finite: bool = True) -> np.ndarray:
    """A float array of ``ndim`` dimensions from nested lists/tuples or a numeric numpy array.

    Every entry must be a number; ragged nesting and non-numbers are refused with the index of the
    first bad entry (``covariance[3][2] must be a number, got 'x' (str)``). ``shape`` entries of
    None are free.
    """
    if isinstance(value, np.ndarray) and value.dtype.kind in _NUMERIC_KINDS:
        out = value.astype(float, copy=False)
        if out.ndim != ndim:
            raise ValidationError(f"{field} must be {_dims(ndim)}, got an array of shape {out.shape}")
    else:
        _check_nested(value, field, ndim)
        try:
            out = np.array(_to_list(value), dtype=float)
        except ValueError:  # ragged rows
            out = None
        if out is None or out.ndim != ndim:
            raise ValidationError(f"{field} must be {_dims(ndim)} with rows of equal length")
    if shape is not None:
        for axis, (got, want) in enumerate(zip(out.shape, shape)):
            if want is not None and got != want:
                raise ValidationError(f"{field} must have {want} {_axis_name(ndim, axis)}, got {got} (shape {out.shape})")
    if finite and out.size and not np.all(np.isfinite(out)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])
        raise ValidationError(f"{field}{''.join(f'[{i}]' for i in bad)} must be finite, got {out[bad]}")
    return out


def vector_or_scalar(value: Any, field: str, n: int) -> np.ndarray:
    """A number (broadcast to n entries) or a list of exactly n numbers."""
    if is_number(value):
        return np.full(n, number(value, field))
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return np.full(n, number(value.item(), field))
    if not isinstance(value, (list, tuple, np.ndarray)):
        raise ValidationError(f"{field} must be a number or a list of {n} numbers (one per asset), got {describe(value)}")
    out = array(value, field, ndim=1)
    if out.shape != (n,):
        raise ValidationError(f"{field} must be a number or a list of {n} numbers (one per asset), got {out.size} entries")
    return out


def names(value: Any, field: str) -> tuple[str, ...]:
    """A list of labels: strings (integers are accepted and become strings); nothing nested."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        raise ValidationError(f"{field} must be a list of names, got {describe(value)}")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, (str, np.str_)):
            out.append(str(item))
        elif isinstance(item, (Integral, np.integer)) and not isinstance(item, (bool, np.bool_)):
            out.append(str(int(item)))
        else:
            raise ValidationError(f"{field}[{i}] must be a name (a string), got {describe(item)}")
    return tuple(out)


def boolean(value: Any, field: str) -> bool:
    """``true``/``false`` only: 0, 1, "yes" and 5 are refused rather than read as truth values."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValidationError(f"{field} must be true or false, got {describe(value)}")
    return bool(value)


def known_keys(table: Mapping[Any, Any], allowed: set[str], where: str) -> None:
    """Refuse keys of ``table`` outside ``allowed``, so that a typo never falls back to a default."""
    unknown = sorted(map(str, set(table) - allowed))
    if unknown:
        raise ValidationError(f"{where} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def text(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be a string, got {describe(value)}")
    return value


def _dims(ndim: int) -> str:
    return {0: "a number", 1: "a list of numbers", 2: "a matrix (a list of rows of numbers)"}.get(ndim, f"a {ndim}-d array")


def _axis_name(ndim: int, axis: int) -> str:
    if ndim == 1:
        return "entries"
    return "rows" if axis == 0 else "columns"


def _check_nested(value: Any, field: str, ndim: int) -> None:
    if ndim == 0:
        if not is_number(value):
            raise ValidationError(f"{field} must be a number, got {describe(value)}")
        return
    if isinstance(value, np.ndarray):
        if value.ndim != ndim:
            raise ValidationError(f"{field} must be {_dims(ndim)}, got an array of shape {value.shape}")
        for index in np.ndindex(value.shape):
            if not is_number(value[index]):
                where = "".join(f"[{i}]" for i in index)
                raise ValidationError(f"{field}{where} must be a number, got {describe(value[index])}")
        return
    if not isinstance(value, (list, tuple)):
        raise ValidationError(f"{field} must be {_dims(ndim)}, got {describe(value)}")
    for i, item in enumerate(value):
        _check_nested(item, f"{field}[{i}]", ndim - 1)


def _to_list(value: Any) -> Any:
    return value.tolist() if isinstance(value, np.ndarray) else value
