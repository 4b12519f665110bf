"""The problem as a dimod ``ConstrainedQuadraticModel``, constraints kept as constraints:
``build(problem)`` and ``CqmModel.weights(sampleset)``.

Variables (per asset i): a binary selection ``"<asset>:sel"`` and an integer number of weight
units ``"<asset>:units"`` in [0, hi_i] (weight w_i = step * units_i). Objective, the same f as
:meth:`PortfolioProblem.objective`::

    f = lambda * step^2 * u' Sigma u  -  (1 - lambda) * step * mu' u

Constraints, each labelled: ``cardinality`` (sum sel = K), ``budget`` (sum units = U = 1/step),
``min_units:<asset>`` (units_i - lo_i sel_i >= 0) and ``max_units:<asset>`` (units_i - hi_i sel_i
<= 0). A hybrid CQM solver (LeapHybridCQMSampler) or dimod's ``ExactCQMSolver`` solves it as is;
no penalty tuning is involved, unlike the QUBO of :mod:`qportfolio.formulations.qubo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import dimod
import numpy as np

from ..errors import ValidationError
from ..problem import PortfolioProblem


def selection_label(asset: str) -> str:
    return f"{asset}:sel"


def units_label(asset: str) -> str:
    return f"{asset}:units"


@dataclass(frozen=True, eq=False)
class CqmModel:
    """The problem's CQM (``cqm``, dimod's own object) and the way back to weights."""

    problem: PortfolioProblem
    cqm: dimod.ConstrainedQuadraticModel

    def weights(self, sampleset: dimod.SampleSet | Any) -> np.ndarray:
        """(samples, n) weight matrix of a CQM sample set, or of any dimod samples (a sample dict,
        a list of them, ``(array, labels)``): units times the weight step."""
        samples, variables = dimod.as_samples(sampleset, dtype=np.float64)
        labels = [units_label(a) for a in self.problem.assets]
        index = {label: col for col, label in enumerate(variables)}
        missing = [lab for lab in labels if lab not in index]
        if missing:
            raise ValidationError(f"sample set lacks the CQM's unit variables, e.g. {missing[0]!r}")
        units = np.asarray(samples, dtype=float)[:, [index[lab] for lab in labels]]
        return np.rint(units) * self.problem.weight_step


def build(problem: PortfolioProblem) -> CqmModel:
    """The discretized portfolio problem as a CQM (built from numpy arrays, no pair loops)."""
    lo, hi = problem.unit_bounds
    sel = [selection_label(a) for a in problem.assets]
    units = [units_label(a) for a in problem.assets]

    objective = dimod.QuadraticModel()
    objective.add_variables_from("BINARY", sel)
    for label, upper in zip(units, hi):
        objective.add_variable("INTEGER", label, lower_bound=0, upper_bound=int(upper))
    q, c = problem.unit_objective()
    objective.add_linear_from(zip(units, c.tolist()))
    rows, cols = np.triu_indices(problem.n)
    biases = np.where(rows == cols, q[rows, cols], 2.0 * q[rows, cols])  # u_i u_j appears twice off the diagonal
    keep = biases != 0.0
    objective.add_quadratic_from(
        (units[r], units[c], b) for r, c, b in zip(rows[keep].tolist(), cols[keep].tolist(), biases[keep].tolist())
    )

    cqm = dimod.ConstrainedQuadraticModel()
    cqm.set_objective(objective)
    cqm.add_constraint_from_iterable([(s, 1) for s in sel], "==", rhs=problem.cardinality, label="cardinality")
    cqm.add_constraint_from_iterable([(u, 1) for u in units], "==", rhs=problem.units, label="budget")
    for asset, s, u, lo_i, hi_i in zip(problem.assets, sel, units, lo.tolist(), hi.tolist()):
        cqm.add_constraint_from_iterable([(u, 1), (s, -lo_i)], ">=", rhs=0, label=f"min_units:{asset}")
        cqm.add_constraint_from_iterable([(u, 1), (s, -hi_i)], "<=", rhs=0, label=f"max_units:{asset}")
    return CqmModel(problem, cqm)
