"""The same QAOA as ``QAOASimulator``, as Qiskit circuits (for ``qaoa-qiskit`` and as the tests' reference).

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


def qaoa_circuit(cost_operator, reps: int, initial_state=None, mixer=None):
    """The QAOA circuit for ``cost_operator``: ``initial_state`` (default H on every qubit), then
    ``reps`` layers exp(-i gamma_k H_C) and the mixer at beta_k (``mixer``: a circuit of one
    parameter, default exp(-i beta sum X)). Parameters are ordered [betas, gammas], as in
    ``QAOASimulator`` and Qiskit's QAOA. Built from plain gates (``PauliEvolutionGate``), not from
    ``QAOAAnsatz``, which qiskit 2.1 deprecates with the other ``BlueprintCircuit`` classes."""
    from qiskit.circuit import ParameterVector, QuantumCircuit
    from qiskit.circuit.library import PauliEvolutionGate

    n = cost_operator.num_qubits
    betas, gammas = ParameterVector("β", reps), ParameterVector("γ", reps)
    qc = QuantumCircuit(n, name="QAOA")
    if initial_state is None:
        qc.h(range(n))
    else:
        qc.compose(initial_state, range(n), inplace=True)
    for k in range(reps):
        if not _append_diagonal_evolution(qc, cost_operator, gammas[k]):
            qc.append(PauliEvolutionGate(cost_operator, time=gammas[k]), range(n))
        if mixer is None:
            qc.rx(2 * betas[k], range(n))
        else:
            (beta,) = mixer.parameters
            qc.compose(mixer.assign_parameters({beta: betas[k]}), range(n), inplace=True)
    return qc


def _append_diagonal_evolution(qc, operator, gamma) -> bool:
    """exp(-i gamma H) for an Ising H (Z and ZZ terms only) as RZ(2 gamma h) and RZZ(2 gamma J) gates:
    exact, since the terms commute, and bound and simulated far faster than a PauliEvolutionGate
    that is synthesised again at every parameter binding. False when H has other terms."""
    terms = []
    for pauli, coeff in zip(operator.paulis, operator.coeffs):
        if pauli.x.any() or abs(coeff.imag) > 1e-12:
            return False
        qubits = [int(q) for q in np.flatnonzero(pauli.z)]
        if len(qubits) > 2:
            return False
        terms.append((qubits, float(coeff.real)))
    for qubits, coeff in terms:
        if len(qubits) == 1:
            qc.rz(2 * coeff * gamma, qubits[0])
        elif len(qubits) == 2:
            qc.rzz(2 * coeff * gamma, *qubits)
    return True


def qaoa_ansatz(qubo: QuboModel, reps: int, mixer: str = "x"):
    """The parametrised circuit of ``qubo`` (parameters ordered [betas, gammas] as in ``QAOASimulator``)."""
    operator, _, mixer_qc, initial = qaoa_parts(qubo, mixer)
    return qaoa_circuit(operator, reps, initial, mixer_qc)
