"""Dense reference operators for the QAOA tests: Pauli matrices on 2^n amplitudes (qubit q = bit q
of the index, Qiskit's little-endian order) and ``scipy.linalg.expm``, independent of the simulator."""

from __future__ import annotations

from functools import reduce

import numpy as np
from scipy.linalg import expm

I2 = np.eye(2, dtype=complex)
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
Z = np.array([[1, 0], [0, -1]], dtype=complex)


def on_qubits(n: int, ops: dict[int, np.ndarray]) -> np.ndarray:
    """The 2^n x 2^n matrix of ``ops[q]`` on qubit q (identity elsewhere); qubit 0 is the lowest bit."""
    return reduce(np.kron, [ops.get(q, I2) for q in reversed(range(n))])


def x_sum(n: int) -> np.ndarray:
    return sum(on_qubits(n, {q: X}) for q in range(n))


def xy_edge(n: int, i: int, j: int) -> np.ndarray:
    """(X_i X_j + Y_i Y_j) / 2."""
    return (on_qubits(n, {i: X, j: X}) + on_qubits(n, {i: Y, j: Y})) / 2


def evolve(generator: np.ndarray, angle: float) -> np.ndarray:
    """exp(-i angle G)."""
    return expm(-1j * angle * generator)


def popcounts(n: int) -> np.ndarray:
    return np.array([bin(m).count("1") for m in range(1 << n)])


def random_state(size: int, rng: np.random.Generator) -> np.ndarray:
    psi = rng.normal(size=size) + 1j * rng.normal(size=size)
    return psi / np.linalg.norm(psi)


def fidelity(a: np.ndarray, b: np.ndarray) -> float:
    """|<a|b>|^2 / (|a|^2 |b|^2): 1 when the states agree up to a global phase."""
    return float(abs(np.vdot(a, b)) ** 2 / (np.vdot(a, a).real * np.vdot(b, b).real))
