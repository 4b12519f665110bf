"""Input checking shared by the classical strategies: constraints, expected returns, covariance, asset names.

Errors name the argument and the fix (argument order, shapes, NaN); asset names come from pandas
labels when present, else ``A1..An``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ValidationError
from ..numerics.linalg import check_covariance
from .constraints import Constraints


def check_constraints(constraints: Any) -> Constraints:
    """``constraints`` itself, refused unless it is a :class:`Constraints` (a common slip: assets passed by position)."""
    if not isinstance(constraints, Constraints):
        raise ValidationError(f"constraints must be a qportfolio.classic.Constraints, got {type(constraints).__name__} "
                              "(pass assets=... by keyword)")
    return constraints


def read_inputs(mu: Any, cov: Any, assets: Sequence[str] | None = None) -> tuple[np.ndarray | None, np.ndarray, tuple[str, ...]]:
    """(expected_returns or None, covariance, asset names), validated; names from pandas labels when present."""
    if cov is None:
        raise ValidationError("covariance is required (arguments are (expected_returns, covariance, ...); "
                              "expected_returns may be None where the strategy does not use it)")
    names = None
    if hasattr(cov, "columns"):
        names = tuple(map(str, cov.columns))
    if mu is not None and hasattr(mu, "index") and hasattr(mu, "values") and names is None:
        names = tuple(map(str, mu.index))
    if np.ndim(cov) == 1 and mu is not None and np.ndim(mu) == 2:
        raise ValidationError("covariance must be a square matrix, got a vector: arguments are (expected_returns, "
                              "covariance, ...), in that order (as PyPortfolioOpt and skfolio take them)")
    cov = np.asarray(cov, dtype=float)
    if cov.ndim != 2 or cov.shape[0] != cov.shape[1]:
        raise ValidationError(f"covariance must be a square matrix, got shape {cov.shape}")
    cov = check_covariance(cov, cov.shape[0], "covariance")
    n = cov.shape[0]
    if mu is not None:
        mu = np.asarray(mu, dtype=float)
        if mu.shape != (n,):
            raise ValidationError(f"expected_returns must have one value per asset ({n}), got shape {mu.shape}")
        if not np.all(np.isfinite(mu)):
            raise ValidationError("expected_returns contains NaN or infinite values")
    names = tuple(assets) if assets is not None else names or tuple(f"A{i + 1}" for i in range(n))
    if len(names) != n:
        raise ValidationError(f"assets must name each of the {n} assets, got {len(names)}")
    return mu, cov, names


def require_returns(mu: np.ndarray | None, cov: np.ndarray, names: tuple[str, ...],
                    what: str) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """The inputs, refused naming ``what`` when the strategy needs expected returns and they are None."""
    if mu is None:
        raise ValidationError(f"{what} needs expected_returns (one per asset), got None")
    return mu, cov, names
