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
    def __init__(self, energies: np.ndarray, basis: Basis, mixer: str, initial: np.ndarray | None = None,
                 gates: list[Gate] | None = None) -> None:
        self.energies = np.asarray(energies, dtype=float)
        self.basis = basis
        self.mixer_name = mixer
        self.gates: list[Gate] = build_mixer(mixer, basis) if gates is None else list(gates)
        if mixer != "x" and basis.weight is None and initial is None:
            raise ValidationError("an XY mixer needs a Dicke initial state: build the simulator on a Hamming basis")
        uniform = 1.0 / math.sqrt(self.basis.size)
        given = None if initial is None else np.asarray(initial, dtype=complex)
        # the uniform start (|+>^n, or the Dicke state of a Hamming basis) is made when needed, not stored
        self.from_plus = given is None or bool(np.allclose(given, uniform, rtol=0, atol=1e-15))
        self._initial = None if self.from_plus else given
        self.shift = float(self.energies.mean())  # a global phase: keeps the phase angles small
        self.fused = kernels.HAVE_NUMBA and isinstance(self.gates[0], XMixerGate)

    @property
    def initial(self) -> np.ndarray:
        """The initial state (a new array)."""
        return self.default_initial_state() if self._initial is None else self._initial.copy()

    def default_initial_state(self) -> np.ndarray:
        """|+>^n for the X mixer; the Dicke state (uniform over the basis's weight) for XY mixers."""
        if self.mixer_name != "x" and self.basis.weight is None:
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
            psi = np.empty(self.basis.size, dtype=complex) if plus else self.initial
            value = None
            for layer, (beta, gamma) in enumerate(zip(betas, gammas, strict=True)):
                last = layer == betas.size - 1
                value = kernels.layer(psi, self.energies, gamma, self.shift, self.basis.num_qubits, beta,
                                      from_plus=plus and layer == 0, energy=want_energy and last)
            if betas.size == 0:
                psi = self.initial
            return psi, value
        psi = self.initial
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

    # ------------------------------------------------------------------ CVaR (Barkoutsos et al. 2020)
    cvar_alpha: float = 1.0  #: 1: the expectation; alpha < 1: the mean of the lowest alpha tail of the energy

    def objective(self, params: np.ndarray) -> float:
        """What the angles are optimised for: the expectation, or CVaR_alpha when ``cvar_alpha`` < 1."""
        if self.cvar_alpha >= 1.0:
            return self.expectation(params)
        return self._cvar_weights(self.probabilities(params))[0]

    def _energy_order(self) -> np.ndarray:
        if getattr(self, "_order", None) is None:
            self._order = np.argsort(self.energies, kind="stable")
        return self._order

    def _cvar_weights(self, prob: np.ndarray) -> tuple[float, np.ndarray]:
        """(CVaR_alpha, c) with CVaR = E_b + sum_i p_i c_i: c_i = (E_i - E_b) / alpha on the states
        below the alpha quantile's state b, 0 elsewhere. Almost everywhere the gradient of CVaR is
        that of <psi| diag(c) |psi> (the tail set is locally constant)."""
        alpha = self.cvar_alpha
        order = self._energy_order()
        cum = np.cumsum(prob[order])
        b = int(min(np.searchsorted(cum, alpha * cum[-1]), order.size - 1))
        e_b = float(self.energies[order[b]])
        tail = order[:b]
        weights = np.zeros_like(self.energies)
        weights[tail] = (self.energies[tail] - e_b) / alpha
        value = e_b + float(prob[tail] @ weights[tail]) / cum[-1]
        return value, weights

    def expectation_and_gradient(self, params: np.ndarray) -> tuple[float, np.ndarray]:
        """The objective (expectation or CVaR) and its gradient by the adjoint method."""
        with kernels.interleaved():
            return self._expectation_and_gradient(params)

    def _expectation_and_gradient(self, params: np.ndarray) -> tuple[float, np.ndarray]:
        betas, gammas = self.split(params)
        p = betas.size
        phi = self.state(params)
        if self.cvar_alpha >= 1.0:
            lam = self.energies * phi
            value = float(np.vdot(phi, lam).real)
        else:  # the observable diag(c); the phase gates' generator stays the cost Hamiltonian
            value, weights = self._cvar_weights(phi.real**2 + phi.imag**2)
            lam = weights * phi
        grad_b, grad_g = np.zeros(p), np.zeros(p)
        for layer in range(p - 1, -1, -1):
            for gate in reversed(self.gates):
                grad_b[layer] += 2.0 * gate.adjoint_step(lam, phi, -betas[layer]).imag
            grad_g[layer] = 2.0 * self._energy_inner(lam, phi).imag
            self.apply_phase(phi, -gammas[layer])
            self.apply_phase(lam, -gammas[layer])
        return value, np.concatenate([grad_b, grad_g])

    def _energy_inner(self, lam: np.ndarray, phi: np.ndarray) -> complex:
        if kernels.HAVE_NUMBA:
            return complex(kernels.weighted_inner(lam, self.energies, phi))
        return complex(np.vdot(lam, self.energies * phi))

    def sample(self, params: np.ndarray, shots: int, rng: np.random.Generator,
               probabilities: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(masks, counts) of ``shots`` measurements in the computational basis (``probabilities``:
        the state's, when already computed)."""
        prob = self.probabilities(params) if probabilities is None else probabilities
        prob = prob / prob.sum()
        counts = rng.multinomial(shots, prob)
        hit = np.flatnonzero(counts)
        return self.basis.masks[hit], counts[hit]
