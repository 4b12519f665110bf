"""qaoa/simulator.py: QAOA states against the dense product of exponentials, norms and Hamming weight
conserved, the adjoint gradient, CVaR, and measurement frequencies converging to the probabilities."""

import math

import numpy as np
import pytest

from qportfolio.errors import ValidationError
from qportfolio.qaoa import Basis, QAOASimulator

from .oracles import evolve, fidelity, popcounts, x_sum, xy_edge

GIB = 1 << 30


def energies_of(n, seed):
    return np.random.default_rng(seed).normal(size=1 << n)


def dense_qaoa(energies, mixer_generators, initial, params):
    """prod_l [prod_edges exp(-i beta_l G_e)] exp(-i gamma_l diag(E)) |initial>."""
    p = params.size // 2
    psi = initial.astype(complex)
    for beta, gamma in zip(params[:p], params[p:], strict=True):
        psi = np.exp(-1j * gamma * energies) * psi
        for g in mixer_generators:
            psi = evolve(g, beta) @ psi
    return psi


def dicke(n, k):
    vec = (popcounts(n) == k).astype(complex)
    return vec / np.linalg.norm(vec)


PARAMS = np.array([0.3, -0.7, 1.1, 0.45, -0.2, 0.9])  # p = 3: [betas, gammas]


@pytest.mark.parametrize("n", [1, 3, 5])
def test_x_mixer_state_is_the_dense_qaoa_state(n, backend):
    e = energies_of(n, n)
    sim = QAOASimulator(e, Basis.full(n, GIB), "x")
    psi = sim.state(PARAMS)
    reference = dense_qaoa(e, [x_sum(n)], np.full(1 << n, 1 / math.sqrt(1 << n)), PARAMS)
    assert fidelity(psi, reference) == pytest.approx(1.0, abs=1e-12)
    assert np.linalg.norm(psi) == pytest.approx(1.0, abs=1e-12)
    assert np.allclose(sim.probabilities(PARAMS), np.abs(reference) ** 2, atol=1e-13)
    assert sim.expectation(PARAMS) == pytest.approx(float(np.abs(reference) ** 2 @ e), abs=1e-12)


@pytest.mark.parametrize("mixer", ["xy-ring", "xy-complete"])
def test_xy_state_on_the_subspace_is_the_full_space_state_restricted(mixer, backend):
    from qportfolio.qaoa.mixers import complete_edges, ring_edges

    n, k = 5, 2
    e = energies_of(n, 7)
    edges = ring_edges(n) if mixer == "xy-ring" else complete_edges(n)
    reference = dense_qaoa(e, [xy_edge(n, i, j) for i, j in edges], dicke(n, k), PARAMS)
    weight = popcounts(n)
    assert np.allclose(reference[weight != k], 0, atol=1e-13)  # the XY mixer never leaves weight k
    sub = Basis.hamming(n, k, GIB)
    small = QAOASimulator(e[sub.masks], sub, mixer)
    assert np.allclose(small.initial, 1 / math.sqrt(math.comb(n, k)))
    assert fidelity(small.state(PARAMS), reference[sub.masks]) == pytest.approx(1.0, abs=1e-12)
    full = QAOASimulator(e, Basis.full(n, GIB), mixer, initial=dicke(n, k))
    prob = full.probabilities(PARAMS)
    assert prob.sum() == pytest.approx(1.0, abs=1e-12) and prob[weight != k].sum() < 1e-24
    assert np.allclose(prob[sub.masks], small.probabilities(PARAMS), atol=1e-13)


def test_depth_zero_is_the_initial_state_and_params_are_checked(backend):
    sim = QAOASimulator(energies_of(3, 1), Basis.full(3, GIB), "x")
    assert np.allclose(sim.state(np.array([])), 1 / math.sqrt(8))
    assert sim.expectation(np.array([])) == pytest.approx(energies_of(3, 1).mean())
    with pytest.raises(ValidationError, match="even-length"):
        sim.state(np.array([0.1, 0.2, 0.3]))
    with pytest.raises(ValidationError, match="Dicke"):
        QAOASimulator(energies_of(3, 1), Basis.full(3, GIB), "xy-ring")
    custom = np.zeros(8, dtype=complex)
    custom[5] = 1.0
    sim = QAOASimulator(energies_of(3, 1), Basis.full(3, GIB), "x", initial=custom)
    assert not sim.from_plus and np.array_equal(sim.initial, custom)
    assert sim.expectation(np.array([0.0, 0.4])) == pytest.approx(energies_of(3, 1)[5])  # beta 0: phases only


@pytest.mark.parametrize("mixer, basis", [("x", "full"), ("xy-ring", "hamming")])
def test_adjoint_gradient_is_the_central_difference(mixer, basis, backend):
    n, k = 5, 2
    b = Basis.full(n, GIB) if basis == "full" else Basis.hamming(n, k, GIB)
    e = energies_of(n, 3)[b.masks]
    sim = QAOASimulator(e, b, mixer)
    value, grad = sim.expectation_and_gradient(PARAMS)
    assert value == pytest.approx(sim.expectation(PARAMS), abs=1e-12)
    h = 1e-6
    numeric = [(sim.expectation(PARAMS + h * d) - sim.expectation(PARAMS - h * d)) / (2 * h) for d in np.eye(PARAMS.size)]
    assert np.allclose(grad, numeric, atol=1e-7)


def test_cvar_objective_is_the_mean_of_the_lowest_tail():
    n = 4
    e = np.arange(1 << n, dtype=float)[::-1] * 0.5  # distinct energies
    sim = QAOASimulator(e, Basis.full(n, GIB), "x")
    assert sim.objective(PARAMS) == pytest.approx(sim.expectation(PARAMS))
    prob = sim.probabilities(PARAMS)
    for alpha in (0.05, 0.3, 0.7):
        sim.cvar_alpha = alpha
        # oracle: fill the alpha mass from the lowest energy up, the last state partly
        mass, total = 0.0, 0.0
        for i in np.argsort(e):
            take = min(prob[i], alpha - mass)
            total += take * e[i]
            mass += take
            if mass >= alpha - 1e-15:
                break
        assert sim.objective(PARAMS) == pytest.approx(total / alpha, rel=1e-9)
        assert sim.objective(PARAMS) <= sim.expectation(PARAMS) + 1e-12


def test_sample_frequencies_converge_to_the_probabilities():
    n = 4
    sim = QAOASimulator(energies_of(n, 2), Basis.full(n, GIB), "x")
    prob = sim.probabilities(PARAMS)
    shots = 200_000
    masks, counts = sim.sample(PARAMS, shots, np.random.default_rng(0))
    assert counts.sum() == shots and np.all(counts > 0) and np.all(np.diff(masks) > 0)
    freq = np.zeros(1 << n)
    freq[masks] = counts / shots
    sigma = np.sqrt(prob * (1 - prob) / shots)
    assert np.all(np.abs(freq - prob) <= 5 * sigma + 1e-12)
    again = sim.sample(PARAMS, shots, np.random.default_rng(0), probabilities=prob)
    assert np.array_equal(again[0], masks) and np.array_equal(again[1], counts)


def test_sample_on_a_subspace_returns_its_masks():
    sub = Basis.hamming(6, 3, GIB)
    sim = QAOASimulator(energies_of(6, 4)[sub.masks], sub, "xy-complete")
    masks, counts = sim.sample(PARAMS, 5000, np.random.default_rng(1))
    assert counts.sum() == 5000 and set(masks.tolist()) <= set(sub.masks.tolist())
    assert all(bin(int(m)).count("1") == 3 for m in masks)
