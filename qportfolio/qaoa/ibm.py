"""IBM Quantum hardware, or qiskit-ibm-runtime's fake backends, as the sampler of ``qaoa-qiskit``.

``sampler=`` accepts:
- ``"ibm"``: the least busy operational device with enough qubits on the user's account;
- ``"ibm:<backend>"``: that device;
- ``"ibm-fake:<FakeBackendV2 class>"`` (e.g. ``ibm-fake:FakeManilaV2``): the local noisy
  simulator of a real device, no account needed (what the tests use).

The account comes from qiskit-ibm-runtime's own resolution: a saved account
(``QiskitRuntimeService.save_account``) or the ``QISKIT_IBM_TOKEN`` / ``QISKIT_IBM_INSTANCE``
environment variables. The token is never printed, logged or stored: service errors are reported
with it masked.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import SolverError

TOKEN_ENV = "QISKIT_IBM_TOKEN"
SETUP_HINT = (
    "no IBM Quantum account found: run QiskitRuntimeService.save_account(token=..., instance=...) once, "
    f"or set {TOKEN_ENV} (and QISKIT_IBM_INSTANCE); or use sampler='ibm-fake:FakeManilaV2' to test offline"
)


def scrub(text: str) -> str:
    """``text`` with the user's token (if any is configured) masked."""
    token = os.environ.get(TOKEN_ENV)
    return text.replace(token, "***") if token else text


def ibm_sampler(spec: str, num_qubits: int, shots: int, seed: int) -> tuple[Any, Any, str]:
    """(sampler, pass manager for the device, label) for an ``ibm...`` sampler spec; the sampler is
    qiskit-ibm-runtime's client-side ``Sampler`` (``executor_sampler``, a ``BaseSamplerV2``), which
    replaces the deprecated ``SamplerV2`` from qiskit-ibm-runtime 0.50 on."""
    try:
        import qiskit_ibm_runtime as runtime
        from qiskit.transpiler import generate_preset_pass_manager
        from qiskit_ibm_runtime.executor_sampler import Sampler
    except ImportError as exc:
        raise SolverError("IBM backends need qiskit-ibm-runtime 0.50 or newer: pip install 'qportfolio[ibm]'") from exc
    kind, _, name = spec.partition(":")
    if kind == "ibm-fake":
        from qiskit_ibm_runtime import fake_provider

        cls = getattr(fake_provider, name, None) if name else None
        if cls is None:
            examples = ", ".join(n for n in ("FakeManilaV2", "FakeBrisbane", "FakeSherbrooke") if hasattr(fake_provider, n))
            raise SolverError(f"unknown fake backend {name!r}; use a class of qiskit_ibm_runtime.fake_provider, e.g. {examples}")
        backend = cls()
        options = {"default_shots": shots, "simulator": {"seed_simulator": seed}}
    elif kind == "ibm":
        from qiskit_ibm_runtime.accounts import AccountNotFoundError, InvalidAccountError

        try:
            service = runtime.QiskitRuntimeService()
        except (AccountNotFoundError, InvalidAccountError):
            raise SolverError(SETUP_HINT) from None
        except Exception as exc:  # network, authentication: never echo the token
            raise SolverError(f"IBM Quantum service unavailable ({type(exc).__name__}: {scrub(str(exc))})") from None
        try:
            backend = service.backend(name) if name else service.least_busy(
                operational=True, simulator=False, min_num_qubits=num_qubits)
        except Exception as exc:
            raise SolverError(f"IBM Quantum backend {name or '(least busy)'} unavailable: {scrub(str(exc))}") from None
        options = {"default_shots": shots}
    else:
        raise SolverError(f"sampler {spec!r}: use 'ibm', 'ibm:<backend>' or 'ibm-fake:<FakeBackend>'")
    if backend.num_qubits < num_qubits:
        raise SolverError(f"backend {backend.name} has {backend.num_qubits} qubits; this problem needs {num_qubits}")
    pm = generate_preset_pass_manager(optimization_level=1, backend=backend, seed_transpiler=seed)
    return Sampler(mode=backend, options=options), pm, f"{kind}:{backend.name}"


def backend_qubits(spec: str) -> int | None:
    """Qubits of the backend an ``ibm...`` sampler spec names (None for ``ibm``: the least busy device,
    chosen per call for the size asked)."""
    kind, _, name = spec.partition(":")
    if kind == "ibm-fake":
        from qiskit_ibm_runtime import fake_provider

        cls = getattr(fake_provider, name, None) if name else None
        if cls is None:
            raise SolverError(f"unknown fake backend {name!r}; use a class of qiskit_ibm_runtime.fake_provider")
        return int(cls().num_qubits)
    if kind == "ibm" and name:
        import qiskit_ibm_runtime as runtime
        from qiskit_ibm_runtime.accounts import AccountNotFoundError, InvalidAccountError

        try:
            return int(runtime.QiskitRuntimeService().backend(name).num_qubits)
        except (AccountNotFoundError, InvalidAccountError):
            raise SolverError(SETUP_HINT) from None
        except Exception as exc:
            raise SolverError(f"IBM Quantum backend {name} unavailable: {scrub(str(exc))}") from None
    return None
