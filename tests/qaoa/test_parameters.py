"""qaoa/parameters.py: the linear ramp and INTERP in closed form, the energy scale, and angle
optimisation reaching a known optimum (a one-qubit and a separable two-qubit landscape)."""

import numpy as np
import pytest

from qportfolio.errors import ValidationError
from qportfolio.qaoa import Basis, QAOASimulator
from qportfolio.qaoa.parameters import STRATEGIES, energy_spread, interp, linear_ramp, optimize_angles

GIB = 1 << 30


def test_linear_ramp_in_closed_form():
    assert np.allclose(linear_ramp(1, 2.0), [0.375, 0.1875])
    ramp = linear_ramp(4, 0.5, delta=1.0)
    t = np.array([0.125, 0.375, 0.625, 0.875])
    assert np.allclose(ramp, np.concatenate([1 - t, t / 0.5]))


def test_interp_by_hand():
    # u'_i = (i-1)/p u_{i-1} + (p-i+1)/p u_i, with u_0 = u_{p+1} = 0 (Zhou et al. 2020)
    assert np.allclose(interp(np.array([0.4, 0.9])), [0.4, 0.4, 0.9, 0.9])
    assert np.allclose(interp(np.array([1.0, 3.0, 10.0, 30.0])), [1.0, 2.0, 3.0, 10.0, 20.0, 30.0])
    # a linear schedule stays on its line
    betas, gammas = np.linspace(0.9, 0.1, 5), np.linspace(0.1, 0.9, 5)
    out = interp(np.concatenate([betas, gammas]))
    assert out.size == 12 and np.all(np.diff(out[:6]) < 0) and np.all(np.diff(out[6:]) > 0)


def test_energy_spread_uniform_weighted_and_flat():
    e = np.array([0.0, 1.0, 2.0, 7.0])
    assert energy_spread(QAOASimulator(e, Basis.full(2, GIB), "x")) == pytest.approx(np.std(e))
    initial = np.sqrt(np.array([0.5, 0.5, 0.0, 0.0]), dtype=complex)
    assert energy_spread(QAOASimulator(e, Basis.full(2, GIB), "x", initial=initial)) == pytest.approx(0.5)
    assert energy_spread(QAOASimulator(np.full(4, 3.0), Basis.full(2, GIB), "x")) == 1.0


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_reaches_the_ground_state_of_a_separable_landscape(strategy):
    """E(x) = x_0 + x_1: from |+>, gamma = pi/2 turns each qubit's Bloch vector onto the y axis and an
    X rotation by beta = +-pi/4 onto the pole |0>, so one layer reaches |00> and the optimum of the
    expectation is exactly 0."""
    e = np.array([0.0, 1.0, 1.0, 2.0])
    sim = QAOASimulator(e, Basis.full(2, GIB), "x")
    out = optimize_angles(sim, 1, strategy=strategy, restarts=2, rng=np.random.default_rng(0))
    assert out.value == pytest.approx(0.0, abs=1e-6)
    assert out.value == pytest.approx(sim.objective(out.params))
    assert out.evaluations == len(out.trace) > 0 and min(out.trace) <= out.value + 1e-9
    assert set(out.by_depth) == {1}


def test_interp_reports_every_depth_and_does_not_get_worse():
    rng = np.random.default_rng(3)
    e = rng.normal(size=16)
    sim = QAOASimulator(e, Basis.full(4, GIB), "x")
    out = optimize_angles(sim, 3, strategy="interp", restarts=1, maxiter=60, rng=np.random.default_rng(1))
    assert sorted(out.by_depth) == [1, 2, 3] and out.params.shape == (6,)
    assert out.by_depth[3] == out.value == pytest.approx(sim.expectation(out.params))
    # depth p + 1 starts from depth p's optimum interpolated: a local search from there never ends above it
    assert out.by_depth[2] <= out.by_depth[1] + 1e-9 and out.by_depth[3] <= out.by_depth[2] + 1e-9
    assert e.min() <= out.value < e.mean()


def test_multistart_is_no_worse_than_the_ramp_alone():
    e = np.random.default_rng(5).normal(size=16)
    sim = QAOASimulator(e, Basis.full(4, GIB), "x")
    ramp = optimize_angles(sim, 2, strategy="ramp", maxiter=40)
    multi = optimize_angles(sim, 2, strategy="multistart", restarts=2, maxiter=40, rng=np.random.default_rng(0))
    assert multi.value <= ramp.value + 1e-12


def test_initial_point_and_strategy_are_checked():
    sim = QAOASimulator(np.array([0.0, 1.0]), Basis.full(1, GIB), "x")
    with pytest.raises(ValidationError, match="strategy must be one of ramp, interp, multistart"):
        optimize_angles(sim, 1, strategy="anneal")
    with pytest.raises(ValidationError, match="2 \\* reps = 4"):
        optimize_angles(sim, 2, initial_point=[0.1, 0.2, 0.3])
    out = optimize_angles(sim, 1, initial_point=[0.0, 0.0], maxiter=50)  # a saddle would stall; (0, 0) is not one
    assert out.value <= sim.expectation(np.zeros(2)) + 1e-12
