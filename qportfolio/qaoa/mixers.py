"""Mixers as sequences of gates exp(-i beta G) sharing one angle per layer.

- ``XMixer``: exp(-i beta sum_q X_q), one gate (the X_q commute), applied qubit by qubit on the
  reshaped state; full space only.
- ``XYMixer``: the Trotterised XY mixer, a product over edges (i, j) of
  exp(-i beta (X_i X_j + Y_i Y_j) / 2), which rotates |..1_i..0_j..> into |..0_i..1_j..>: it
  keeps the Hamming weight, so from a Dicke state it never leaves the feasible subspace. Edge
  orders: ring = even edges (0,1), (2,3), ..., then odd edges (1,2), (3,4), ..., then the closing
  edge (n-1, 0) (the parity ring of Hadfield et al.); complete = all pairs in lexicographic order.
  Each edge gate is Qiskit's XXPlusYYGate(2 beta), which the tests use as the reference.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from . import kernels, subspace
from .basis import Basis


class Gate(Protocol):
    def apply(self, psi: np.ndarray, angle: float) -> None:
        """psi <- exp(-i angle G) psi, in place."""

    def generator(self, psi: np.ndarray) -> np.ndarray:
        """G psi (a new array)."""

    def inner(self, lam: np.ndarray, phi: np.ndarray) -> complex:
        """<lam|G|phi>."""

    def adjoint_step(self, lam: np.ndarray, phi: np.ndarray, angle: float) -> complex:
        """<lam|G|phi>, then both vectors rotated by exp(-i angle G) (one backward step of the adjoint method)."""


def adjoint_step(gate: Gate, lam: np.ndarray, phi: np.ndarray, angle: float) -> complex:
    """The backward step of the adjoint method from a gate's ``inner`` and ``apply``: <lam|G|phi>,
    then both vectors rotated by exp(-i angle G) (gates with a one-pass kernel do better)."""
    value = gate.inner(lam, phi)
    gate.apply(phi, angle)
    gate.apply(lam, angle)
    return value


class XMixerGate:
    def __init__(self, num_qubits: int) -> None:
        self.n = num_qubits

    def _views(self, psi: np.ndarray, q: int) -> np.ndarray:
        return psi.reshape(1 << (self.n - q - 1), 2, 1 << q)

    def apply(self, psi: np.ndarray, angle: float) -> None:
        if kernels.HAVE_NUMBA:
            kernels.rx_all(psi, self.n, angle)
            return
        c, s = np.cos(angle), -1j * np.sin(angle)
        for q in range(self.n):
            v = self._views(psi, q)
            a, b = v[:, 0, :].copy(), v[:, 1, :]
            v[:, 0, :] = c * a + s * b
            v[:, 1, :] = s * a + c * b

    def adjoint_step(self, lam: np.ndarray, phi: np.ndarray, angle: float) -> complex:
        return adjoint_step(self, lam, phi, angle)

    def inner(self, lam: np.ndarray, phi: np.ndarray) -> complex:
        """<lam|G|phi>."""
        if kernels.HAVE_NUMBA:
            return complex(kernels.x_inner(lam, phi, self.n))
        return complex(np.vdot(lam, self.generator(phi)))

    def generator(self, psi: np.ndarray) -> np.ndarray:
        if kernels.HAVE_NUMBA:
            return kernels.x_sum(psi, self.n)
        out = np.zeros_like(psi)
        for q in range(self.n):
            v, o = self._views(psi, q), self._views(out, q)
            o[:, 0, :] += v[:, 1, :]
            o[:, 1, :] += v[:, 0, :]
        return out


class XYEdgeGate:
    """exp(-i beta (XX + YY)/2) on qubits (i, j) within a basis.

    With ``cache`` the pairs (a state and its partner) are index arrays built once; without it the
    compiled kernels of :mod:`.subspace` find each partner by ranking as they go (no extra memory)."""

    def __init__(self, basis: Basis, i: int, j: int, cache: bool = True) -> None:
        self.basis, self.i, self.j = basis, i, j
        self.cache = cache or not kernels.HAVE_NUMBA or basis.is_full  # without numba: arrays, built per call
        self._pairs: tuple[np.ndarray, np.ndarray] | None = None
        self._keep = cache

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        if self._pairs is not None:
            return self._pairs
        masks = self.basis.masks
        bi, bj = (masks >> self.i) & 1, (masks >> self.j) & 1
        index = np.int32 if self.basis.size < 2**31 else np.int64
        a = np.flatnonzero((bi == 1) & (bj == 0)).astype(index)
        b = self.basis.positions(masks[a] ^ ((1 << self.i) | (1 << self.j))).astype(index)
        if self._keep:
            self._pairs = (a, b)
        return a, b

    def apply(self, psi: np.ndarray, angle: float) -> None:
        if not self.cache:
            subspace.xy_rotate(psi.view(np.float64), self.basis.masks, self.i, self.j, self.basis.binomials,
                               np.cos(angle), np.sin(angle))
            return
        a, b = self.pairs()
        if kernels.HAVE_NUMBA:
            kernels.pair_rotate(psi.view(np.float64), a, b, np.cos(angle), np.sin(angle))
            return
        c, s = np.cos(angle), -1j * np.sin(angle)
        pa, pb = psi[a], psi[b]
        psi[a] = c * pa + s * pb
        psi[b] = s * pa + c * pb

    def generator(self, psi: np.ndarray) -> np.ndarray:
        if not self.cache:
            return subspace.xy_generator(psi, self.basis.masks, self.i, self.j, self.basis.binomials)
        a, b = self.pairs()
        out = np.zeros_like(psi)
        out[a] = psi[b]
        out[b] = psi[a]
        return out

    def adjoint_step(self, lam: np.ndarray, phi: np.ndarray, angle: float) -> complex:
        """<lam|G|phi>, then both vectors rotated by exp(-i angle G): one pass when the kernels rank on the fly."""
        if not self.cache:
            return subspace.xy_adjoint_step(lam, phi, self.basis.masks, self.i, self.j, self.basis.binomials,
                                            np.cos(angle), np.sin(angle))
        return adjoint_step(self, lam, phi, angle)

    def inner(self, lam: np.ndarray, phi: np.ndarray) -> complex:
        """<lam|G|phi>, without a state-sized temporary when the kernels run."""
        if not self.cache:
            return subspace.xy_inner(lam, phi, self.basis.masks, self.i, self.j, self.basis.binomials)
        a, b = self.pairs()
        return complex(np.vdot(lam[a], phi[b]) + np.vdot(lam[b], phi[a]))


def ring_edges(n: int) -> list[tuple[int, int]]:
    even = [(q, q + 1) for q in range(0, n - 1, 2)]
    odd = [(q, q + 1) for q in range(1, n - 1, 2)]
    closing = [(n - 1, 0)] if n > 2 else []
    return even + odd + closing


def complete_edges(n: int) -> list[tuple[int, int]]:
    return [(i, j) for i in range(n) for j in range(i + 1, n)]


MIXERS = ("x", "xy-ring", "xy-complete")


def build_mixer(name: str, basis: Basis, cache_bytes: int = 2 << 30) -> list[Gate]:
    """The gates of one mixer layer. XY edges keep index arrays when they fit beside the simulation
    in the basis's memory allowance (and ``cache_bytes``); otherwise the kernels rank as they go."""
    if name == "x":
        return [XMixerGate(basis.num_qubits)]
    edges = ring_edges(basis.num_qubits) if name == "xy-ring" else complete_edges(basis.num_qubits)
    # each edge keeps two index arrays of about size/4 entries (int32 below 2^31 states)
    room = cache_bytes if not basis.max_bytes else min(cache_bytes, basis.max_bytes - basis.required_bytes(
        basis.num_qubits, basis.weight))
    cache = len(edges) * basis.size * (2 if basis.size < 2**31 else 4) <= room
    return [XYEdgeGate(basis, i, j, cache) for i, j in edges]
