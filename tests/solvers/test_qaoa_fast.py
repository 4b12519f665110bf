"""Our QAOA simulator against Qiskit's statevector simulation of the same circuit."""

import numpy as np
import pytest

import qportfolio as qp
from qportfolio.errors import SolverError, ValidationError
from qportfolio.qaoa import Basis, QAOASimulator
from qportfolio.qaoa.energies import basis_energies
from qportfolio.qaoa.parameters import interp, optimize_angles

qiskit = pytest.importorskip("qiskit")
from qiskit.quantum_info import Statevector  # noqa: E402

from qportfolio.formulations.qiskit import to_ising  # noqa: E402
from qportfolio.qaoa.circuits import qaoa_ansatz  # noqa: E402

GIB = 1 << 30


@pytest.fixture(params=["compiled", "numpy"])
def backend(request, monkeypatch):
    """Run a test on the numba kernels (when installed) and on the pure-numpy path."""
    from qportfolio.qaoa import kernels

    if request.param == "numpy":
        monkeypatch.setattr(kernels, "HAVE_NUMBA", False)
    elif not kernels.HAVE_NUMBA:
        pytest.skip("numba not installed")
    return request.param


def selection_problem(n, k, seed):
    return qp.synthetic_problem(n, seed=seed, cardinality=k).selection_only_variant()


def simulators(qubo, mixer):
    n, k = qubo.num_variables, qubo.problem.cardinality
    full = Basis.full(n, GIB)
    sims = [QAOASimulator(basis_energies(qubo, full.masks), full, mixer, initial=_full_initial(full, mixer, k))]
    if mixer != "x":
        sub = Basis.hamming(n, k, GIB)
        sims.append(QAOASimulator(basis_energies(qubo, sub.masks), sub, mixer))
    return sims


def _full_initial(basis, mixer, k):
    if mixer == "x":
        return None
    from qportfolio.qaoa.circuits import dicke_state

    return dicke_state(basis.num_qubits, k)


@pytest.mark.parametrize("n", [4, 6, 8, 10])
@pytest.mark.parametrize("mixer", ["x", "xy-ring", "xy-complete"])
def test_expectation_equals_qiskit_statevector(n, mixer, backend):
    qubo = qp.encode(selection_problem(n, n // 2, seed=n))
    op, offset = to_ising(qubo)
    rng = np.random.default_rng(n)
    reps = 2
    sigma = np.std(basis_energies(qubo, np.arange(1 << n)))
    params = np.concatenate([rng.uniform(-np.pi, np.pi, reps), rng.uniform(-np.pi, np.pi, reps) / sigma])
    ansatz = qaoa_ansatz(qubo, reps, mixer)
    reference = float(np.real(Statevector(ansatz.assign_parameters(params)).expectation_value(op))) + offset
    for sim in simulators(qubo, mixer):
        assert sim.expectation(params) == pytest.approx(reference, abs=1e-9 * max(1.0, abs(reference)))
        assert abs(sim.expectation(params) - reference) <= 1e-9


@pytest.mark.parametrize("mixer", ["x", "xy-ring", "xy-complete"])
def test_adjoint_gradient_matches_finite_differences(mixer, backend):
    qubo = qp.encode(selection_problem(7, 3, seed=1))
    sim = simulators(qubo, mixer)[-1]
    rng = np.random.default_rng(0)
    sigma = np.std(sim.energies)
    params = np.concatenate([rng.uniform(-1, 1, 3), rng.uniform(-1, 1, 3) / sigma])
    _, grad = sim.expectation_and_gradient(params)
    h = np.concatenate([np.full(3, 1e-6), np.full(3, 1e-6 / sigma)])
    numeric = np.array([(sim.expectation(params + h * e) - sim.expectation(params - h * e)) / (2 * h[i])
                        for i, e in enumerate(np.eye(6))])
    assert np.allclose(grad, numeric, rtol=1e-5, atol=1e-7 * np.abs(numeric).max())


@pytest.mark.parametrize("mixer", ["xy-ring", "xy-complete"])
def test_xy_mixer_keeps_probability_in_feasible_subspace(mixer, backend):
    qubo = qp.encode(selection_problem(8, 3, seed=4))
    full_sim, sub_sim = simulators(qubo, mixer)
    params = np.array([0.3, -1.1, 0.7, 40.0, -25.0, 60.0])
    prob = full_sim.probabilities(params)
    weight = np.bitwise_count(np.arange(1 << 8))
    assert prob[weight != 3].sum() < 1e-24  # nothing leaks out of Hamming weight K
    assert np.allclose(prob[sub_sim.basis.masks], sub_sim.probabilities(params), atol=1e-14)
    assert qubo.decode((sub_sim.basis.masks[:, None] >> np.arange(8)) & 1).feasible.all()


def test_interp_extrapolation():
    out = interp(np.array([0.5, 1.0]))  # p = 1: beta = 0.5, gamma = 1.0
    assert np.allclose(out, [0.5, 0.5, 1.0, 1.0])
    out = interp(np.array([0.6, 0.2, 0.1, 0.9]))
    assert out.shape == (6,) and out[0] == pytest.approx(0.6) and out[2] == pytest.approx(0.2)


def test_solver_reproducible_and_reports_distribution():
    problem = selection_problem(8, 3, seed=1)
    a = qp.solve(problem, "qaoa-fast", reps=2, mixer="xy-ring", seed=5, strategy="multistart", restarts=2)
    b = qp.solve(problem, "qaoa-fast", reps=2, mixer="xy-ring", seed=5, strategy="multistart", restarts=2)
    assert a.info["optimal_params"] == b.info["optimal_params"]
    assert np.array_equal(a.sampleset.record.sample, b.sampleset.record.sample)
    assert a.info["feasible_probability"] == pytest.approx(1.0) and a.info["feasible_fraction"] == 1.0
    assert 0 < a.info["optimum_probability"] <= 1 and 0 <= a.info["approximation_ratio"] <= 1
    assert a.objective == pytest.approx(qp.solve(problem, "brute").objective, rel=1e-12)


def test_depth_improves_with_interp():
    problem = selection_problem(8, 3, seed=2)
    r = qp.solve(problem, "qaoa-fast", reps=3, mixer="x", seed=1, strategy="interp")
    depth = r.info["expectation_by_depth"]
    assert depth["3"] <= depth["2"] + 1e-15 <= depth["1"] + 2e-15


def test_refuses_before_allocating():
    big = qp.synthetic_problem(40, seed=0, cardinality=10).selection_only_variant()
    with pytest.raises(SolverError, match=r"40 qubits need 2\^40 amplitudes.*limit of 8.0 GiB"):
        qp.solve(big, "qaoa-fast")
    with pytest.raises(SolverError, match=r"C\(40, 10\)"):
        qp.solve(big, "qaoa-fast", mixer="xy-ring")


def test_xy_needs_selection_only_and_bad_options():
    problem = qp.synthetic_problem(5, seed=0, cardinality=2, weight_step=0.25, min_weight=0.25)
    with pytest.raises(ValidationError, match="selection-only"):
        qp.solve(problem, "qaoa-fast", mixer="xy-ring")
    with pytest.raises(ValidationError, match="mixer must be one of"):
        qp.solve(selection_problem(5, 2, 0), "qaoa-fast", mixer="z")
    with pytest.raises(ValidationError, match="reps"):
        qp.solve(selection_problem(5, 2, 0), "qaoa-fast", reps=0)


def test_strategies_reach_similar_optima():
    problem = selection_problem(6, 2, seed=3)
    qubo = qp.encode(problem)
    full = Basis.full(6, GIB)
    sim = QAOASimulator(basis_energies(qubo, full.masks), full, "x")
    strategies = ("ramp", "interp", "multistart")
    values = {s: optimize_angles(sim, 2, strategy=s, rng=np.random.default_rng(0)).value for s in strategies}
    assert values["multistart"] <= values["ramp"] + 1e-15
    spread = sim.energies.max() - sim.energies.min()
    assert max(values.values()) - min(values.values()) < 0.5 * spread
