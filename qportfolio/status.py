"""The vocabulary every answer shares: one status ``Enum`` and one protocol for portfolio results.

The core :class:`qportfolio.result.Result` (QUBO samplers, SCIP, brute force) and the classical
:class:`qportfolio.classic.PortfolioResult` both satisfy :class:`PortfolioAnswer`: the same field
names with the same meanings (``weights``, ``assets``, ``expected_return``, ``volatility``,
``status``, ``objective``, ``weights_by_asset(tol)``, ``to_dict()``), as qiskit-optimization's
``OptimizationResultStatus`` gives its results one status vocabulary.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

import numpy as np


class Status(StrEnum):
    """How a solver's answer stands. A ``StrEnum``: ``Status.OPTIMAL == "optimal"`` holds, and it
    prints and serialises as its value."""

    #: Proven optimal within the solver's tolerances (SCIP, brute force, convex solvers, closed forms).
    OPTIMAL = "optimal"
    #: Satisfies every constraint; optimality not proven (samplers, heuristics, a gap limit).
    FEASIBLE = "feasible"
    #: Stopped at its time limit holding a feasible incumbent; ``bound`` and ``gap`` say how far it may be.
    TIME_LIMIT = "time_limit"
    #: No answer satisfies the constraints: the returned weights violate them (e.g. no feasible sample),
    #: or the model itself has no feasible point (``message`` names the conflict).
    INFEASIBLE = "infeasible"
    #: The objective is unbounded on the feasible set (declarative LP models only).
    UNBOUNDED = "unbounded"
    #: The solver returned nothing usable (e.g. a time limit reached before any solution).
    NO_SOLUTION = "no_solution"

    @property
    def has_solution(self) -> bool:
        """True when the answer's weights satisfy the constraints."""
        return self in (Status.OPTIMAL, Status.FEASIBLE, Status.TIME_LIMIT)

    @classmethod
    def from_cvxpy(cls, status: str) -> Status:
        """cvxpy's status strings in this vocabulary (``*_inaccurate``: the nearest, not proven)."""
        table = {"optimal": cls.OPTIMAL, "optimal_inaccurate": cls.FEASIBLE, "infeasible": cls.INFEASIBLE,
                 "infeasible_inaccurate": cls.INFEASIBLE, "unbounded": cls.UNBOUNDED,
                 "unbounded_inaccurate": cls.UNBOUNDED, "user_limit": cls.TIME_LIMIT}
        return table.get(str(status), cls.NO_SOLUTION)

    @classmethod
    def from_scip(cls, status: str, has_solution: bool) -> Status:
        """SCIP's ``getStatus()`` in this vocabulary."""
        if status == "optimal":
            return cls.OPTIMAL
        if status == "infeasible":
            return cls.INFEASIBLE
        if status == "unbounded":
            return cls.UNBOUNDED
        if not has_solution:
            return cls.NO_SOLUTION
        return cls.TIME_LIMIT if status == "timelimit" else cls.FEASIBLE


@runtime_checkable
class PortfolioAnswer(Protocol):
    """What every portfolio result offers, core or classical."""

    weights: np.ndarray
    status: Status

    @property
    def assets(self) -> tuple[str, ...]: ...

    @property
    def expected_return(self) -> float | None: ...

    @property
    def volatility(self) -> float: ...

    def weights_by_asset(self, tol: float | None = 0.0) -> dict[str, float]: ...

    def to_dict(self) -> dict[str, Any]: ...


def weights_by_asset(assets: Sequence[str], weights: np.ndarray, tol: float | None = 0.0) -> dict[str, float]:
    """{asset: weight} of the positions with ``|weight| > tol``; ``tol=None`` keeps every asset."""
    return {a: float(w) for a, w in zip(assets, weights) if tol is None or abs(w) > tol}


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars/arrays, enums and non-finite floats made JSON-safe."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, np.bool_):
        return bool(value)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return repr(value)
