"""QAOA on a diagonal cost Hamiltonian: states, expectations, adjoint gradients and sampling.

Parameters follow Qiskit's ``QAOAAnsatz`` order: ``[beta_1 .. beta_p, gamma_1 .. gamma_p]``; layer
l applies exp(-i gamma_l H_C) and then the mixer exp(-i beta_l H_M). H_C is the diagonal of QUBO
energies (offset included: a global phase only).

Gradient by the adjoint method: with lambda = H psi_final carried backwards, a gate
exp(-i theta G) contributes dE/dtheta = 2 Im <lambda|G|phi> where phi is the state after the gate;
both vectors are then un-rotated by the gate. Cost: about three times one expectation.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ValidationError
from . import kernels
from .basis import Basis
from .mixers import Gate, XMixerGate, build_mixer


class QAOASimulator:
    def __init__(self, energies: np.ndarray, basis: Basis, mixer: str, initial: np.ndarray | None = None) -> None:
        self.energies = np.asarray(energies, dtype=float)
        self.basis = basis
        self.mixer_name = mixer
        self.gates: list[Gate] = build_mixer(mixer, basis)
        if initial is None:
            initial = self.default_initial_state()
        self.initial = np.asarray(initial, dtype=complex)
        self.shift = float(self.energies.mean())  # a global phase: keeps the phase angles small
        self.fused = kernels.HAVE_NUMBA and isinstance(self.gates[0], XMixerGate)
        self.from_plus = bool(np.allclose(self.initial, 1.0 / math.sqrt(self.basis.size), rtol=0, atol=1e-15))

    def default_initial_state(self) -> np.ndarray:
        """|+>^n for the X mixer; the Dicke state (uniform over the basis's weight) for XY mixers."""
        if self.mixer_name == "x":
            return np.full(self.basis.size, 1.0 / math.sqrt(self.basis.size), dtype=complex)
        if self.basis.weight is None:
            raise ValidationError("an XY mixer needs a Dicke initial state: build the simulator on a Hamming basis")
        return np.full(self.basis.size, 1.0 / math.sqrt(self.basis.size), dtype=complex)

    @staticmethod
    def split(params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        params = np.asarray(params, dtype=float)
        if params.ndim != 1 or params.size % 2:
            raise ValidationError("QAOA parameters are [beta_1..beta_p, gamma_1..gamma_p]: an even-length vector")
        p = params.size // 2
        return params[:p], params[p:]

    def apply_phase(self, psi: np.ndarray, gamma: float) -> None:
        """psi <- exp(-i gamma (H_C - shift)) psi, in place (the shift is a global phase)."""
        if kernels.HAVE_NUMBA:
            kernels.phase(psi.view(np.float64), self.energies, gamma, self.shift)
        else:
            psi *= np.exp(-1j * gamma * (self.energies - self.shift))

    def _run(self, params: np.ndarray, want_energy: bool) -> tuple[np.ndarray, float | None]:
        betas, gammas = self.split(params)
        if self.fused:  # phase and X mixer in two cache-blocked passes per layer
            plus = self.from_plus
            psi = np.empty_like(self.initial) if plus else self.initial.copy()
            value = None
            for layer, (beta, gamma) in enumerate(zip(betas, gammas, strict=True)):
                last = layer == betas.size - 1
                value = kernels.layer(psi, self.energies, gamma, self.shift, self.basis.num_qubits, beta,
                                      from_plus=plus and layer == 0, energy=want_energy and last)
            if betas.size == 0:
                psi = self.initial.copy()
            return psi, value
        psi = self.initial.copy()
        for beta, gamma in zip(betas, gammas, strict=True):
            self.apply_phase(psi, gamma)
            for gate in self.gates:
                gate.apply(psi, beta)
        return psi, None

    def state(self, params: np.ndarray) -> np.ndarray:
        return self._run(params, False)[0]

    def probabilities(self, params: np.ndarray) -> np.ndarray:
        psi = self.state(params)
        return psi.real**2 + psi.imag**2

    def expectation(self, params: np.ndarray) -> float:
        psi, value = self._run(params, True)
        if value is not None:
            return value
        if kernels.HAVE_NUMBA:
            return float(kernels.expectation(psi, self.energies))
        return float((psi.real**2 + psi.imag**2) @ self.energies)

    def expectation_and_gradient(self, params: np.ndarray) -> tuple[float, np.ndarray]:
        with kernels.interleaved():
            return self._expectation_and_gradient(params)

    def _expectation_and_gradient(self, params: np.ndarray) -> tuple[float, np.ndarray]:
        betas, gammas = self.split(params)
        p = betas.size
        phi = self.state(params)
        lam = self.energies * phi
        value = float(np.vdot(phi, lam).real)
        grad_b, grad_g = np.zeros(p), np.zeros(p)
        for layer in range(p - 1, -1, -1):
            for gate in reversed(self.gates):
                grad_b[layer] += 2.0 * np.vdot(lam, gate.generator(phi)).imag
                gate.apply(phi, -betas[layer])
                gate.apply(lam, -betas[layer])
            grad_g[layer] = 2.0 * np.vdot(lam, self.energies * phi).imag
            self.apply_phase(phi, -gammas[layer])
            self.apply_phase(lam, -gammas[layer])
        return value, np.concatenate([grad_b, grad_g])

    def sample(self, params: np.ndarray, shots: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(masks, counts) of ``shots`` measurements in the computational basis."""
        prob = self.probabilities(params)
        prob = prob / prob.sum()
        counts = rng.multinomial(shots, prob)
        hit = np.flatnonzero(counts)
        return self.basis.masks[hit], counts[hit]
