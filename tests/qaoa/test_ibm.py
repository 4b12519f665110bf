"""qaoa/ibm.py, offline: qiskit-ibm-runtime's fake backends as samplers (a Bell pair through the
device's pass manager and noisy simulator), the spec errors, the missing-account hint and token masking."""

import pytest

pytest.importorskip("qiskit_ibm_runtime")
from qiskit import QuantumCircuit

from qportfolio.errors import SolverError
from qportfolio.qaoa.ibm import SETUP_HINT, TOKEN_ENV, backend_qubits, ibm_sampler, scrub

SECRET = "tok-0123456789abcdef-SECRET"


@pytest.fixture
def no_account(monkeypatch, tmp_path):
    from qiskit_ibm_runtime.accounts import management

    for var in (TOKEN_ENV, "QISKIT_IBM_INSTANCE", "QISKIT_IBM_CHANNEL", "QISKIT_IBM_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(management, "_DEFAULT_ACCOUNT_CONFIG_JSON_FILE", str(tmp_path / "none.json"))


def bell_counts(sampler, pm, shots):
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    (result,) = sampler.run([pm.run(qc)]).result()
    return result.data.meas.get_counts()


def test_a_fake_backend_samples_a_bell_pair_with_its_noise():
    sampler, pm, label = ibm_sampler("ibm-fake:FakeManilaV2", 2, 400, seed=3)
    assert label == "ibm-fake:fake_manila"
    counts = bell_counts(sampler, pm, 400)
    assert sum(counts.values()) == 400  # default_shots reached the sampler
    correlated = counts.get("00", 0) + counts.get("11", 0)
    assert correlated >= 0.8 * 400 and min(counts.get("00", 0), counts.get("11", 0)) >= 100
    again, pm2, _ = ibm_sampler("ibm-fake:FakeManilaV2", 2, 400, seed=3)
    assert bell_counts(again, pm2, 400) == counts  # the seed fixes the transpiler and the simulator


def test_fake_backend_specs_are_checked():
    with pytest.raises(SolverError, match=r"unknown fake backend 'FakeNowhere'.*FakeManilaV2"):
        ibm_sampler("ibm-fake:FakeNowhere", 2, 10, 0)
    with pytest.raises(SolverError, match="unknown fake backend ''"):
        ibm_sampler("ibm-fake", 2, 10, 0)
    with pytest.raises(SolverError, match="has 5 qubits; this problem needs 6"):
        ibm_sampler("ibm-fake:FakeManilaV2", 6, 10, 0)
    with pytest.raises(SolverError, match="use 'ibm', 'ibm:<backend>' or 'ibm-fake:<FakeBackend>'"):
        ibm_sampler("ibmq:somewhere", 2, 10, 0)


def test_backend_qubits():
    assert backend_qubits("ibm-fake:FakeManilaV2") == 5
    assert backend_qubits("ibm") is None  # the least busy device is chosen per call
    with pytest.raises(SolverError, match="unknown fake backend"):
        backend_qubits("ibm-fake:FakeNowhere")


def test_without_an_account_the_error_is_the_setup_hint(no_account):
    with pytest.raises(SolverError) as info:
        ibm_sampler("ibm", 2, 10, 0)
    assert str(info.value) == SETUP_HINT
    with pytest.raises(SolverError, match="no IBM Quantum account found"):
        backend_qubits("ibm:ibm_brisbane")


def test_service_errors_mask_the_token(monkeypatch):
    import qiskit_ibm_runtime

    monkeypatch.setenv(TOKEN_ENV, SECRET)
    assert scrub(f"bad token {SECRET}!") == "bad token ***!"

    def refuse(*args, **kwargs):
        raise RuntimeError(f"401 Unauthorized for token {SECRET}")

    monkeypatch.setattr(qiskit_ibm_runtime, "QiskitRuntimeService", refuse)
    for call in (lambda: ibm_sampler("ibm", 2, 10, 0), lambda: backend_qubits("ibm:ibm_brisbane")):
        with pytest.raises(SolverError) as info:
            call()
        assert SECRET not in str(info.value) and "***" in str(info.value)


def test_scrub_without_a_token_changes_nothing(monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert scrub("nothing secret here") == "nothing secret here"
