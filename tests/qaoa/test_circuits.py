"""qaoa/circuits.py: the Qiskit circuits against our simulator's amplitudes (the same QAOA twice),
the Dicke state, the mixer and initial-state circuits, and the diagonal-evolution shortcut."""

import math

import numpy as np
import pytest

qiskit = pytest.importorskip("qiskit")
from qiskit.quantum_info import Operator, SparsePauliOp, Statevector  # noqa: E402

import qportfolio as qp  # noqa: E402
from qportfolio.formulations.qiskit import to_ising  # noqa: E402
from qportfolio.qaoa import Basis, QAOASimulator  # noqa: E402
from qportfolio.qaoa.circuits import (  # noqa: E402
    _append_diagonal_evolution,
    dicke_state,
    initial_state_circuit,
    mixer_circuit,
    qaoa_ansatz,
    qaoa_circuit,
    qaoa_parts,
)
from qportfolio.qaoa.energies import basis_energies  # noqa: E402

from .oracles import evolve, fidelity, popcounts, x_sum  # noqa: E402

GIB = 1 << 30
N, K = 5, 2
QUBO = qp.encode(qp.synthetic_problem(N, seed=6, cardinality=K).selection_only_variant())


@pytest.mark.parametrize("n, k", [(1, 1), (4, 2), (6, 1), (6, 3)])
def test_dicke_state_is_uniform_over_weight_k(n, k):
    vec = dicke_state(n, k)
    assert vec.shape == (2**n,) and np.linalg.norm(vec) == pytest.approx(1.0)
    on = popcounts(n) == k
    assert np.allclose(vec[~on], 0) and np.allclose(vec[on], 1 / math.sqrt(math.comb(n, k)))


def test_x_mixer_circuit_is_exp_of_the_sum_of_x():
    qc = mixer_circuit(3, "x")
    (beta,) = qc.parameters
    assert np.allclose(Operator(qc.assign_parameters({beta: 0.4})).data, evolve(x_sum(3), 0.4), atol=1e-12)


@pytest.mark.parametrize("mixer", ["x", "xy-ring"])
def test_initial_state_circuit(mixer):
    sv = Statevector(initial_state_circuit(4, mixer, 2)).data
    expected = np.full(16, 0.25) if mixer == "x" else dicke_state(4, 2)
    assert np.allclose(sv, expected, atol=1e-10)


@pytest.mark.parametrize("mixer", ["x", "xy-ring", "xy-complete"])
def test_ansatz_amplitudes_equal_our_simulator(mixer):
    reps = 2
    ansatz = qaoa_ansatz(QUBO, reps, mixer)
    assert ansatz.num_parameters == 2 * reps
    assert [p.name for p in ansatz.parameters] == ["β[0]", "β[1]", "γ[0]", "γ[1]"]  # [betas, gammas]
    rng = np.random.default_rng(3)
    energies = basis_energies(QUBO, np.arange(1 << N))
    params = np.concatenate([rng.uniform(-1, 1, reps), rng.uniform(-1, 1, reps) / np.std(energies)])
    reference = Statevector(ansatz.assign_parameters(params)).data
    if mixer == "x":
        sim = QAOASimulator(energies, Basis.full(N, GIB), "x")
        ours = sim.state(params)
    else:  # ours lives on the C(5, 2) weight-2 states; the circuit's amplitude elsewhere must be zero
        sub = Basis.hamming(N, K, GIB)
        ours = np.zeros(1 << N, dtype=complex)
        ours[sub.masks] = QAOASimulator(energies[sub.masks], sub, mixer).state(params)
    assert fidelity(ours, reference) == pytest.approx(1.0, abs=1e-9)
    assert np.allclose(np.abs(ours) ** 2, np.abs(reference) ** 2, atol=1e-10)


def test_qaoa_parts_by_mixer():
    op, offset, mixer, initial = qaoa_parts(QUBO, "x")
    assert mixer is None and initial is None and op.num_qubits == N
    ref_op, ref_offset = to_ising(QUBO)
    assert op == ref_op and offset == ref_offset
    _, _, mixer, initial = qaoa_parts(QUBO, "xy-complete")
    assert mixer.num_parameters == 1 and len(mixer.data) == math.comb(N, 2) and initial.num_qubits == N


@pytest.mark.filterwarnings("ignore::scipy.sparse.SparseEfficiencyWarning")  # inside qiskit's evolution
def test_non_diagonal_or_many_body_terms_fall_back_to_pauli_evolution():
    qc = qiskit.QuantumCircuit(3)
    assert not _append_diagonal_evolution(qc, SparsePauliOp(["ZII", "IXI"], [1.0, 0.5]), 0.3)
    assert not _append_diagonal_evolution(qc, SparsePauliOp(["ZZZ"], [1.0]), 0.3)
    assert len(qc.data) == 0  # nothing half-appended
    op = SparsePauliOp(["ZZZ", "IXI", "IIZ"], [0.7, 0.5, -0.2])
    circuit = qaoa_circuit(op, 1)
    beta, gamma = 0.35, -0.6
    sv = Statevector(circuit.assign_parameters([beta, gamma])).data
    plus = np.full(8, 1 / math.sqrt(8))
    expected = evolve(x_sum(3), beta) @ evolve(op.to_matrix(), gamma) @ plus
    assert fidelity(sv, expected) == pytest.approx(1.0, abs=1e-10)
