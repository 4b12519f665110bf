"""The same QAOA as ``QAOASimulator``, as Qiskit circuits (for ``qaoa`` and as the tests' reference).

Cost layer: exp(-i gamma H_C) with H_C the Ising operator of ``export.to_ising``; X mixer: Qiskit's
default (exp(-i beta sum X)); XY mixers: XXPlusYYGate(2 beta) on the edges of ``mixers`` in the
same order; Dicke initial state for XY mixers via ``StatePreparation`` (exact, any size Qiskit can
synthesise).
"""

from __future__ import annotations

import math

import numpy as np

from ..formulations.qiskit import to_ising
from ..formulations.qubo import QuboModel
from .mixers import complete_edges, ring_edges


def dicke_state(num_qubits: int, weight: int) -> np.ndarray:
    masks = np.arange(1 << num_qubits)
    vec = (np.bitwise_count(masks) == weight).astype(complex)
    return vec / math.sqrt(math.comb(num_qubits, weight))


def mixer_circuit(num_qubits: int, mixer: str):
    from qiskit.circuit import Parameter, QuantumCircuit
    from qiskit.circuit.library import XXPlusYYGate

    beta = Parameter("β")
    qc = QuantumCircuit(num_qubits, name=f"mixer-{mixer}")
    if mixer == "x":
        qc.rx(2 * beta, range(num_qubits))
        return qc
    edges = ring_edges(num_qubits) if mixer == "xy-ring" else complete_edges(num_qubits)
    for i, j in edges:
        qc.append(XXPlusYYGate(2 * beta), [i, j])
    return qc


def initial_state_circuit(num_qubits: int, mixer: str, weight: int | None):
    from qiskit.circuit import QuantumCircuit
    from qiskit.circuit.library import StatePreparation

    qc = QuantumCircuit(num_qubits, name="initial")
    if mixer == "x":
        qc.h(range(num_qubits))
    else:
        qc.append(StatePreparation(dicke_state(num_qubits, int(weight))), range(num_qubits))
    return qc


def qaoa_parts(qubo: QuboModel, mixer: str = "x"):
    """(cost operator, offset, mixer circuit or None for Qiskit's default, initial state or None)."""
    operator, offset = to_ising(qubo)
    n = qubo.num_variables
    if mixer == "x":
        return operator, offset, None, None
    return operator, offset, mixer_circuit(n, mixer), initial_state_circuit(n, mixer, qubo.problem.cardinality)


def qaoa_ansatz(qubo: QuboModel, reps: int, mixer: str = "x"):
    """The parametrised circuit (parameters ordered [betas, gammas] as in ``QAOASimulator``)."""
    from qiskit.circuit.library import QAOAAnsatz

    operator, _, mixer_qc, initial = qaoa_parts(qubo, mixer)
    return QAOAAnsatz(operator, reps=reps, initial_state=initial, mixer_operator=mixer_qc)
