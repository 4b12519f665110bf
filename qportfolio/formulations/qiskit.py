"""The problem, or its QUBO, in Qiskit's forms.

- ``build(problem)``: a qiskit-optimization ``QuadraticProgram`` that keeps the
  constraints as constraints (binary selection z, integer weight units m, cardinality, budget and
  linking rows), so that Qiskit's own converters (``QuadraticProgramToQubo``) apply.
- ``qubo_to_quadratic_program(qubo)``: our penalised QUBO as an unconstrained binary program
  (variables in layout order), for Qiskit algorithms that should see our calibrated penalties.
- ``to_ising(qubo)``: the Ising Hamiltonian as a ``SparsePauliOp`` plus a constant, with qubit i =
  QUBO variable i and x_i = (1 - z_i) / 2 (|0> is x = 0), so that <x|H|x> + offset = E(x).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import SolverError, ValidationError
from ..problem import PortfolioProblem
from .qubo import QuboModel


def _require_qiskit_optimization():
    try:
        import qiskit_optimization
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise SolverError("qiskit-optimization is not installed; pip install 'qportfolio[qaoa]'") from exc
    return qiskit_optimization


@dataclass(frozen=True, eq=False)
class QuadraticProgramModel:
    """The problem as a qiskit-optimization ``QuadraticProgram`` (``program``) and the way back."""

    problem: PortfolioProblem
    program: Any

    def weights(self, solution: Any) -> np.ndarray:
        """Weights of a solution of ``program``: its variable values in program order (``x`` of
        an ``OptimizationResult``, which is also accepted), units m_i times the weight step."""
        x = np.asarray(getattr(solution, "x", solution), dtype=float)
        names = [v.name for v in self.program.variables]
        if x.shape != (len(names),):
            raise ValidationError(f"a solution of this program has {len(names)} values, got shape {x.shape}")
        units = np.rint([x[names.index(f"m_{i}")] for i in range(self.problem.n)])
        return units * self.problem.weight_step


def build(problem: PortfolioProblem) -> QuadraticProgramModel:
    """The grid problem with constraints kept: min lambda s^2 m'Sigma m - (1-lambda) s mu'm."""
    qo = _require_qiskit_optimization()
    lo, hi = problem.unit_bounds
    qp = qo.QuadraticProgram(problem.name)
    z = [qp.binary_var(f"z_{i}") for i in range(problem.n)]
    m = [qp.integer_var(lowerbound=0, upperbound=int(hi[i]), name=f"m_{i}") for i in range(problem.n)]
    q, c = problem.unit_objective()
    names = [v.name for v in m]
    rows, cols = np.triu_indices(problem.n)
    values = np.where(rows == cols, 1.0, 2.0) * q[rows, cols]  # m_i m_j appears twice off the diagonal
    quadratic = {(names[r], names[c_]): float(v) for r, c_, v in zip(rows.tolist(), cols.tolist(), values.tolist())}
    linear = {names[i]: float(c[i]) for i in range(problem.n)}
    qp.minimize(linear=linear, quadratic=quadratic)
    qp.linear_constraint({v.name: 1 for v in z}, "==", problem.cardinality, "cardinality")
    qp.linear_constraint({v.name: 1 for v in m}, "==", problem.units, "budget")
    for i in range(problem.n):
        qp.linear_constraint({names[i]: 1, z[i].name: -int(hi[i])}, "<=", 0, f"held_max_{i}")
        qp.linear_constraint({names[i]: 1, z[i].name: -int(lo[i])}, ">=", 0, f"held_min_{i}")
    return QuadraticProgramModel(problem, qp)


def qubo_to_quadratic_program(qubo: QuboModel, scale: float = 1.0):
    """Our QUBO (penalties included, times ``scale``) as an unconstrained binary QuadraticProgram."""
    qo = _require_qiskit_optimization()
    labels = list(qubo.layout.labels)
    linear, (rows, cols, values), offset = qubo.bqm.to_numpy_vectors(variable_order=labels)
    qp = qo.QuadraticProgram(f"{qubo.problem.name}-qubo")
    names = [f"x_{i}" for i in range(len(labels))]  # Qiskit-safe names; index i = layout position
    for name in names:
        qp.binary_var(name)
    qp.minimize(
        constant=scale * float(offset),
        linear={names[i]: scale * float(v) for i, v in enumerate(linear) if v != 0},
        quadratic={(names[r], names[c]): scale * float(v) for r, c, v in zip(rows, cols, values) if v != 0},
    )
    return qp


def ising_coefficients(qubo: QuboModel) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """(h, rows, cols, J, offset) with E(x) = offset + sum h_i z_i + sum J_k z_r z_c, x = (1 - z)/2."""
    labels = list(qubo.layout.labels)
    lin, (rows, cols, quad), offset = qubo.bqm.to_numpy_vectors(variable_order=labels)
    # x_i = (1 - z_i)/2:  a x_i -> a/2 - a/2 z_i;  b x_r x_c -> b/4 (1 - z_r - z_c + z_r z_c)
    h = -0.5 * lin.astype(float)
    np.add.at(h, rows, -0.25 * quad)
    np.add.at(h, cols, -0.25 * quad)
    const = float(offset) + 0.5 * float(lin.sum()) + 0.25 * float(quad.sum())
    return h, rows.astype(np.int64), cols.astype(np.int64), 0.25 * quad.astype(float), const


def to_ising(qubo: QuboModel):
    """The Hamiltonian as (SparsePauliOp, offset); qubit i is QUBO variable i of the layout."""
    from qiskit.quantum_info import SparsePauliOp

    h, rows, cols, j, const = ising_coefficients(qubo)
    n = len(h)
    terms = [("Z", [i], float(h[i])) for i in np.flatnonzero(h)]
    terms += [("ZZ", [int(r), int(c)], float(v)) for r, c, v in zip(rows, cols, j) if v != 0]
    if not terms:
        terms = [("I", [0], 0.0)]
    return SparsePauliOp.from_sparse_list(terms, num_qubits=n).simplify(atol=0.0), const
