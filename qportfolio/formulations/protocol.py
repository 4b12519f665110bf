"""The one protocol every formulation's model keeps: ``problem`` and ``weights(solution)``, the way
back from a solution of the model's own form to portfolio weights.

A solution is whatever the model's solvers hand back: a dimod sample set, sample or sample array
(QUBO, CQM), the variable values of a ``QuadraticProgram`` or its ``OptimizationResult`` (Qiskit),
a SCIP solution, or the values of x (Gurobi). One solution gives an (n,) array; a sample set gives
(samples, n). The models solved in place (SCIP, Gurobi) read their own best solution when
``solution`` is None, and give None when they have none. Any code that only reads weights back
(a result builder, a test) takes a ``Formulation`` and knows no form.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..problem import PortfolioProblem


@runtime_checkable
class Formulation(Protocol):
    """A problem translated into a solver's form, with the way back (``weights``)."""

    problem: PortfolioProblem

    def weights(self, solution: Any) -> np.ndarray:
        """Portfolio weights of ``solution`` (a solution of this model's own form)."""
        ...
