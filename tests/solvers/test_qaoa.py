"""The qiskit QAOA solver: Aer by default, Statevector, and a user-supplied SamplerV2."""

import numpy as np
import pytest

pytest.importorskip("qiskit_aer")

import qportfolio as qp
from qportfolio.errors import SolverError, ValidationError

PROBLEM = qp.synthetic_problem(6, seed=1, cardinality=2).selection_only_variant()


def test_aer_default_finds_optimum_and_reports_distribution():
    r = qp.solve(PROBLEM, "qaoa", reps=2, seed=3, maxiter=60)
    assert r.solver == "qaoa" and r.info["sampler"] == "aer"
    assert r.feasible and r.objective == pytest.approx(qp.solve(PROBLEM, "brute").objective, rel=1e-12)
    assert 0 < r.info["feasible_probability"] <= 1 and 0 <= r.info["optimum_probability"] <= 1
    assert len(r.info["optimizer_trace"]) == r.info["optimizer_evaluations"] > 0
    assert r.sampleset.record.num_occurrences.sum() > 0


def test_xy_mixer_on_a_user_sampler_is_all_feasible():
    from qiskit.primitives import StatevectorSampler

    r = qp.solve(PROBLEM, "qaoa", reps=1, mixer="xy-ring", sampler=StatevectorSampler(seed=1), maxiter=30, seed=1)
    assert r.info["sampler"] == "StatevectorSampler"
    assert r.info["feasible_probability"] == pytest.approx(1.0)


def test_qaoa_errors():
    with pytest.raises(ValidationError, match="sampler must be"):
        qp.solve(PROBLEM, "qaoa", sampler="gpu")
    with pytest.raises(ValidationError, match="initial_point"):
        qp.solve(PROBLEM, "qaoa", reps=2, initial_point=[0.1, 0.2, 0.3])
    with pytest.raises(ValidationError, match="optimizer"):
        qp.solve(PROBLEM, "qaoa", optimizer="adam")
    big = qp.synthetic_problem(36, seed=0, cardinality=6).selection_only_variant()
    with pytest.raises(SolverError, match="36 qubits need 2\\^36 amplitudes"):
        qp.solve(big, "qaoa")


@pytest.mark.slow  # 20,000 shots; test_qaoa_fast checks the same expectations against qiskit's statevector
def test_same_circuit_same_expectation_as_qaoa_fast():
    """At the angles qiskit's run ended on, our simulator gives the expectation Aer estimated."""
    r = qp.solve(PROBLEM, "qaoa", reps=1, seed=2, sampler="statevector", shots=20000, maxiter=40)
    fast = qp.solve(PROBLEM, "qaoa-fast", reps=1, initial_point=r.info["optimal_params"], maxiter=1, seed=2)
    from qportfolio.qaoa import Basis, QAOASimulator
    from qportfolio.qaoa.energies import basis_energies

    qubo = qp.encode(PROBLEM)
    basis = Basis.full(qubo.num_variables, 1 << 30)
    sim = QAOASimulator(basis_energies(qubo, basis.masks), basis, "x")
    exact = sim.expectation(np.array(r.info["optimal_params"]))
    spread = sim.energies.max() - sim.energies.min()
    assert abs(r.info["expectation"] - exact) < 0.02 * spread  # shot noise of 20,000 shots
    assert fast.solver == "qaoa-fast"


def test_ibm_fake_backend_runs_through_the_same_path():
    pytest.importorskip("qiskit_ibm_runtime")
    problem = qp.synthetic_problem(5, seed=2, cardinality=2).selection_only_variant()
    r = qp.solve(problem, "qaoa", reps=1, sampler="ibm-fake:FakeManilaV2", shots=256, maxiter=5, seed=1)
    assert r.info["sampler"].startswith("ibm-fake:") and r.info["qubits"] == 5
    assert r.sampleset.record.num_occurrences.sum() > 0 and 0 <= r.info["feasible_probability"] <= 1
    with pytest.raises(SolverError, match="unknown fake backend"):
        qp.solve(problem, "qaoa", sampler="ibm-fake:FakeNowhere")


def test_ibm_without_account_is_a_setup_hint(monkeypatch, tmp_path):
    pytest.importorskip("qiskit_ibm_runtime")
    from qiskit_ibm_runtime.accounts import management

    monkeypatch.delenv("QISKIT_IBM_TOKEN", raising=False)
    monkeypatch.setattr(management, "_DEFAULT_ACCOUNT_CONFIG_JSON_FILE", str(tmp_path / "none.json"))
    with pytest.raises(SolverError, match="no IBM Quantum account found"):
        qp.solve(PROBLEM, "qaoa", sampler="ibm")


def test_ibm_errors_never_show_the_token(monkeypatch):
    pytest.importorskip("qiskit_ibm_runtime")
    import qiskit_ibm_runtime

    secret = "tok-0123456789abcdef-SECRET"
    monkeypatch.setenv("QISKIT_IBM_TOKEN", secret)

    def refuse(*args, **kwargs):
        raise RuntimeError(f"401 Unauthorized for token {secret}")

    monkeypatch.setattr(qiskit_ibm_runtime, "QiskitRuntimeService", refuse)
    with pytest.raises(SolverError) as info:
        qp.solve(PROBLEM, "qaoa", sampler="ibm")
    assert secret not in str(info.value) and "***" in str(info.value)


def test_cvar_aggregation_on_the_qiskit_path(monkeypatch):
    """cvar_alpha reaches qiskit-algorithms' QAOA as its aggregation (the CVaR of the sampled energies)."""
    import qiskit_algorithms

    problem = qp.synthetic_problem(5, seed=1, cardinality=2).selection_only_variant()
    captured = {}
    original = qiskit_algorithms.QAOA.__init__

    def spy(self, *args, **kwargs):
        captured["aggregation"] = kwargs.get("aggregation")
        original(self, *args, **kwargs)

    monkeypatch.setattr(qiskit_algorithms.QAOA, "__init__", spy)
    r = qp.solve(problem, "qaoa", reps=1, seed=3, maxiter=15, shots=512, cvar_alpha=0.25)
    assert r.parameters["cvar_alpha"] == 0.25 and r.feasible and captured["aggregation"] == 0.25


@pytest.mark.parametrize("source", ["incumbent", "relaxation", [0.1, 0.9, 0.5, 0.3, 0.7]])
def test_warm_start_simulator_equals_qiskit_optimizations_circuits(source):
    """qaoa-fast's warm start (product state, rotated mixer) is qiskit-optimization's
    WarmStartQAOAFactory circuit: the same expectation at any angles."""
    from qiskit.quantum_info import Statevector
    from qiskit_optimization.algorithms import WarmStartQAOAFactory

    from qportfolio.formulations.qiskit import to_ising
    from qportfolio.qaoa import Basis, QAOASimulator
    from qportfolio.qaoa.circuits import qaoa_circuit
    from qportfolio.qaoa.energies import basis_energies
    from qportfolio.qaoa.warm_start import WarmStartMixerGate, product_state, regularized, thetas_of, warm_values

    problem = qp.synthetic_problem(5, seed=3, cardinality=2).selection_only_variant()
    qubo = qp.encode(problem)
    values = warm_values(qubo, source)
    factory = WarmStartQAOAFactory(0.2)
    start = factory.create_initial_variables(values)
    op, offset = to_ising(qubo)
    reps = 2
    circuit = qaoa_circuit(op, reps, factory.create_initial_state(start), factory.create_mixer(start))
    basis = Basis.full(5, 1 << 30)
    energies = basis_energies(qubo, basis.masks)
    thetas = thetas_of(regularized(values, 0.2))
    sim = QAOASimulator(energies, basis, "x", initial=product_state(thetas), gates=[WarmStartMixerGate(thetas)])
    rng = np.random.default_rng(0)
    params = np.concatenate([rng.uniform(-1, 1, reps), rng.uniform(-1, 1, reps) / np.std(energies)])
    reference = float(np.real(Statevector(circuit.assign_parameters(params)).expectation_value(op))) + offset
    assert sim.expectation(params) == pytest.approx(reference, abs=1e-10 * max(1.0, abs(reference)))
    value, grad = sim.expectation_and_gradient(params)
    assert value == pytest.approx(reference, abs=1e-10 * max(1.0, abs(reference)))
    h = 1e-6
    for k in range(params.size):
        e = np.zeros_like(params)
        e[k] = h if k < reps else h / np.std(energies)
        assert grad[k] == pytest.approx((sim.expectation(params + e) - sim.expectation(params - e)) / (2 * e[k]),
                                        rel=1e-4, abs=1e-9)


def test_warm_start_options_in_both_backends():
    problem = qp.synthetic_problem(5, seed=3, cardinality=2).selection_only_variant()
    fast = qp.solve(problem, "qaoa-fast", reps=1, seed=1, restarts=0, warm_start="incumbent")
    aer = qp.solve(problem, "qaoa", reps=1, seed=1, maxiter=10, shots=256, warm_start="incumbent", warm_epsilon=0.3)
    assert fast.parameters["warm_start"] == "incumbent" and aer.parameters["warm_epsilon"] == 0.3
    with pytest.raises(ValidationError, match="warm_start replaces the x mixer"):
        qp.solve(problem, "qaoa-fast", mixer="xy-ring", warm_start="incumbent")
    with pytest.raises(ValidationError, match="unary or domain-wall"):
        qp.solve(qp.synthetic_problem(4, seed=1, cardinality=2, weight_step=0.25), "qaoa-fast", warm_start="relaxation",
                 encoding="binary")
