"""Warm-start QAOA (Egger, Mareček & Woerner, Quantum 5, 479, 2021): start from a classical solution.

Each qubit q starts in RY(theta_q)|0> with theta_q = 2 arcsin(sqrt(c_q)), c_q in [eps, 1 - eps] a
relaxed (or incumbent) value of variable q, and the mixer is the one whose ground state that is:
exp(-i beta G_q) with G_q = -(cos theta_q Z + sin theta_q X), i.e. the circuit
RY(-theta) RZ(-2 beta) RY(theta) of qiskit-optimization's ``WarmStartQAOAFactory``, which the
``qaoa-qiskit`` backend uses as is (tests check both give the same expectation). ``c_q = 1/2`` everywhere
is plain QAOA (|+> and the X mixer).

Where the values come from (:func:`warm_values`): ``incumbent``, a classical portfolio's bits
(qportfolio's heuristic: the relaxation rounded and polished; inside ``decompose``, the
incumbent's values of the subproblem's variables), or ``relaxation``, the continuous relaxation
mapped onto the variables (selection-only: c = K w; unary and domain-wall: the fractional units as
a thermometer), or explicit numbers.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

import numpy as np

from ..errors import ValidationError

DEFAULT_EPSILON = 0.25
SOURCES = ("incumbent", "relaxation")


class WarmStartMixerGate:
    """exp(-i beta sum_q G_q), G_q = -(cos theta_q Z_q + sin theta_q X_q), on the full 2^n space."""

    def __init__(self, thetas: np.ndarray) -> None:
        self.thetas = np.asarray(thetas, dtype=float)
        self.n = self.thetas.size

    def _views(self, psi: np.ndarray, q: int) -> np.ndarray:
        return psi.reshape(1 << (self.n - q - 1), 2, 1 << q)

    def _matrices(self, angle: float) -> np.ndarray:
        ca, sa = np.cos(angle), np.sin(angle)
        cz, sx = np.cos(self.thetas), np.sin(self.thetas)
        out = np.empty((self.n, 2, 2), dtype=complex)
        out[:, 0, 0], out[:, 0, 1] = ca + 1j * sa * cz, 1j * sa * sx
        out[:, 1, 0], out[:, 1, 1] = 1j * sa * sx, ca - 1j * sa * cz
        return out

    def apply(self, psi: np.ndarray, angle: float) -> None:
        from . import kernels

        if kernels.HAVE_NUMBA:
            kernels.unitary_all(psi, self._matrices(angle))
            return
        ca, sa = np.cos(angle), np.sin(angle)
        for q, theta in enumerate(self.thetas):
            cz, sx = np.cos(theta), np.sin(theta)
            # exp(-i a G) = cos a + i sin a (cos theta Z + sin theta X)
            u00, u01, u11 = ca + 1j * sa * cz, 1j * sa * sx, ca - 1j * sa * cz
            v = self._views(psi, q)
            a, b = v[:, 0, :].copy(), v[:, 1, :].copy()
            v[:, 0, :] = u00 * a + u01 * b
            v[:, 1, :] = u01 * a + u11 * b

    def generator(self, psi: np.ndarray) -> np.ndarray:
        from . import kernels

        if kernels.HAVE_NUMBA:
            cz, sx = np.cos(self.thetas), np.sin(self.thetas)
            gs = np.empty((self.n, 2, 2), dtype=complex)
            gs[:, 0, 0], gs[:, 0, 1], gs[:, 1, 0], gs[:, 1, 1] = -cz, -sx, -sx, cz
            return kernels.local_sum(psi, gs)
        out = np.zeros_like(psi)
        for q, theta in enumerate(self.thetas):
            cz, sx = np.cos(theta), np.sin(theta)
            v, o = self._views(psi, q), self._views(out, q)
            o[:, 0, :] -= cz * v[:, 0, :] + sx * v[:, 1, :]
            o[:, 1, :] -= sx * v[:, 0, :] - cz * v[:, 1, :]
        return out

    def inner(self, lam: np.ndarray, phi: np.ndarray) -> complex:
        return complex(np.vdot(lam, self.generator(phi)))

    def adjoint_step(self, lam: np.ndarray, phi: np.ndarray, angle: float) -> complex:
        from .mixers import adjoint_step

        return adjoint_step(self, lam, phi, angle)


def regularized(values: np.ndarray, epsilon: float) -> np.ndarray:
    """Values clipped to [eps, 1 - eps] (qiskit-optimization's ``create_initial_variables``)."""
    return np.clip(np.asarray(values, dtype=float), epsilon, 1.0 - epsilon)


def thetas_of(values: np.ndarray) -> np.ndarray:
    return 2.0 * np.arcsin(np.sqrt(values))


def product_state(thetas: np.ndarray) -> np.ndarray:
    """⊗_q RY(theta_q)|0>, qubit q = bit q (little-endian, as Qiskit)."""
    factors = [np.array([np.cos(t / 2), np.sin(t / 2)], dtype=complex) for t in thetas[::-1]]
    return reduce(np.kron, factors, np.ones(1, dtype=complex))


def warm_values(qubo: Any, source: Any) -> np.ndarray:
    """The per-variable values c in [0, 1] (layout order) that a warm start begins from."""
    n = qubo.num_variables
    if not isinstance(source, str):
        values = np.asarray(source, dtype=float)
        if values.shape != (n,) or np.any((values < 0) | (values > 1)) or not np.all(np.isfinite(values)):
            raise ValidationError(f"warm_start values must be {n} numbers in [0, 1], one per QUBO variable")
        return values
    incumbent = getattr(qubo, "incumbent", None)
    if source == "incumbent":
        if incumbent is not None:  # a decompose subproblem: the incumbent's values of its variables
            return np.asarray(incumbent, dtype=float)
        calibration = getattr(qubo, "calibration", None)
        if calibration is None:
            raise ValidationError("warm_start=incumbent needs the calibrated penalties' heuristic portfolio "
                                  "(encode with calibrated penalties)")
        bits = qubo.encode_units(calibration.heuristic_units)
        return np.array([bits[v] for v in qubo.layout.labels], dtype=float)
    if incumbent is not None:
        raise ValidationError("a decompose subproblem has no relaxation of its own: use warm_start=incumbent")
    return _relaxed_bits(qubo)


def _relaxed_bits(qubo: Any) -> np.ndarray:
    from ..bounds.relaxation import solve_relaxation
    from ..formulations.qubo import encoded_unit_bounds

    problem, lay = qubo.problem, qubo.layout
    enc = lay.encoding
    lo, hi = encoded_unit_bounds(problem)
    weights = solve_relaxation(problem, hi * problem.weight_step)
    units = weights / problem.weight_step
    values = np.zeros(qubo.num_variables)
    if problem.selection_only:
        values[lay.selection_index] = np.clip(units / np.maximum(lo, 1), 0.0, 1.0)
        return values
    if not (enc.chain or enc.cap == 1):
        raise ValidationError(f"warm_start=relaxation maps fractional units onto unit bits (selection-only, unary or "
                              f"domain-wall); this QUBO uses {enc.name}: use warm_start=incumbent")
    for i in range(problem.n):
        sel = lay.selection_index[i]
        values[sel] = np.clip(units[i] / max(int(lo[i]), 1), 0.0, 1.0)
        extra = max(units[i] - lo[i], 0.0)
        bits = [v for v in np.flatnonzero(lay.asset == i) if v != sel]
        for j, v in enumerate(bits):  # a fractional thermometer: the first floor(extra) bits full
            values[v] = np.clip(extra - j, 0.0, 1.0)
    return values
