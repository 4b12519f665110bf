"""qaoa/warm_start.py: the warm start's product state (its per-qubit probabilities are the values it
starts from), its mixer against the dense exponential of sum_q G_q, and where the values come from."""

import types

import numpy as np
import pytest

import qportfolio as qp
from qportfolio.errors import ValidationError
from qportfolio.qaoa.mixers import XMixerGate
from qportfolio.qaoa.warm_start import (
    DEFAULT_EPSILON,
    WarmStartMixerGate,
    product_state,
    regularized,
    thetas_of,
    warm_values,
)

from .oracles import X, Z, evolve, on_qubits, random_state

VALUES = np.array([0.1, 0.9, 0.5, 0.3])


def generator(thetas):
    """sum_q G_q with G_q = -(cos theta_q Z_q + sin theta_q X_q)."""
    n = len(thetas)
    return sum(-(np.cos(t) * on_qubits(n, {q: Z}) + np.sin(t) * on_qubits(n, {q: X})) for q, t in enumerate(thetas))


def test_regularized_clips_to_epsilon():
    assert np.allclose(regularized([0.0, 0.1, 0.5, 1.0], 0.25), [0.25, 0.25, 0.5, 0.75])
    assert 0 < DEFAULT_EPSILON < 0.5


def test_product_state_marginals_are_the_values():
    thetas = thetas_of(VALUES)
    assert np.allclose(np.sin(thetas / 2) ** 2, VALUES)
    psi = product_state(thetas)
    prob = np.abs(psi) ** 2
    assert psi.shape == (16,) and prob.sum() == pytest.approx(1.0)
    masks = np.arange(16)
    for q, c in enumerate(VALUES):
        assert prob[(masks >> q) & 1 == 1].sum() == pytest.approx(c)  # P(qubit q = 1) = c_q
    # a product: the probability of each bitstring is the product of its marginals
    expected = [np.prod([c if m >> q & 1 else 1 - c for q, c in enumerate(VALUES)]) for m in masks]
    assert np.allclose(prob, expected)
    assert np.allclose(product_state(thetas_of(np.full(3, 0.5))), np.full(8, 8**-0.5))  # c = 1/2: |+>^n


def test_mixer_gate_is_the_dense_exponential_and_has_the_warm_state_as_ground_state(backend):
    thetas = thetas_of(regularized(VALUES, 0.2))
    gate = WarmStartMixerGate(thetas)
    g = generator(thetas)
    rng = np.random.default_rng(0)
    psi, lam = random_state(16, rng), random_state(16, rng)
    out = psi.copy()
    gate.apply(out, 0.6)
    assert np.allclose(out, evolve(g, 0.6) @ psi, atol=1e-13)
    assert np.allclose(gate.generator(psi), g @ psi, atol=1e-13)
    assert gate.inner(lam, psi) == pytest.approx(np.vdot(lam, g @ psi), abs=1e-13)
    phi2, lam2 = psi.copy(), lam.copy()
    assert gate.adjoint_step(lam2, phi2, 0.6) == pytest.approx(np.vdot(lam, g @ psi), abs=1e-13)
    assert np.allclose(phi2, out, atol=1e-13)
    # each G_q has eigenvalue -1 on RY(theta_q)|0>: the start is the mixer's ground state, energy -n
    start = product_state(thetas)
    assert np.allclose(gate.generator(start), -4 * start, atol=1e-13)
    assert np.linalg.eigvalsh(g).min() == pytest.approx(-4.0)


def test_at_one_half_the_warm_mixer_is_the_x_mixer_run_backwards(backend):
    gate = WarmStartMixerGate(thetas_of(np.full(3, 0.5)))  # G_q = -X_q
    psi = random_state(8, np.random.default_rng(1))
    a, b = psi.copy(), psi.copy()
    gate.apply(a, 0.45)
    XMixerGate(3).apply(b, -0.45)
    assert np.allclose(a, b, atol=1e-13)


def test_explicit_values_are_validated():
    qubo = qp.encode(qp.synthetic_problem(4, seed=3, cardinality=2).selection_only_variant())
    assert np.array_equal(warm_values(qubo, VALUES), VALUES)
    for bad in ([0.1, 0.2, 0.3], [0.1, 0.2, 1.5, 0.0], [0.1, np.nan, 0.3, 0.4]):
        with pytest.raises(ValidationError, match="4 numbers in \\[0, 1\\]"):
            warm_values(qubo, bad)


def test_incumbent_values_are_a_feasible_selection():
    k = 3
    qubo = qp.encode(qp.synthetic_problem(7, seed=2, cardinality=k).selection_only_variant())
    values = warm_values(qubo, "incumbent")
    assert set(np.unique(values)) <= {0.0, 1.0} and values.sum() == k
    assert qubo.decode(values.astype(np.int8)).feasible[0]


def test_relaxation_values_on_selection_only_hold_k_in_total():
    k = 3
    qubo = qp.encode(qp.synthetic_problem(7, seed=2, cardinality=k).selection_only_variant())
    values = warm_values(qubo, "relaxation")
    # c_i = K w_i of the continuous relaxation, whose weights sum to one
    assert np.all((values >= 0) & (values <= 1)) and values.sum() == pytest.approx(k, abs=1e-6)


def test_relaxation_needs_unit_bits_and_subproblems_need_the_incumbent():
    binary = qp.encode(qp.synthetic_problem(4, seed=1, cardinality=2, weight_step=0.25), encoding="binary")
    with pytest.raises(ValidationError, match="unary or domain-wall"):
        warm_values(binary, "relaxation")
    sub = types.SimpleNamespace(num_variables=3, incumbent=np.array([1.0, 0.0, 1.0]))
    assert np.array_equal(warm_values(sub, "incumbent"), [1.0, 0.0, 1.0])
    with pytest.raises(ValidationError, match="use warm_start=incumbent"):
        warm_values(sub, "relaxation")
