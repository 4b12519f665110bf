"""``qaoa-qiskit`` (formerly ``qaoa``): qiskit-algorithms' QAOA inside qiskit-optimization's MinimumEigenOptimizer.

The problem's QUBO (our calibrated penalties) becomes an unconstrained ``QuadraticProgram``;
QAOA runs on a SamplerV2 primitive: qiskit-aer's ``SamplerV2`` by default (the ansatz is
transpiled for the simulator through a preset pass manager; untranspiled it fails with "unknown
instruction: QAOA"), ``sampler="statevector"`` for Qiskit's ``StatevectorSampler``, or any
``BaseSamplerV2`` object, which is how hardware plugs in. The final distribution is decoded
into portfolios (feasibility, probability of the optimum, approximation ratio).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..diagnostics import Diagnostics, QAOADiagnostics
from ..errors import SolverError, ValidationError
from ..formulations.qubo import QuboModel
from ..qaoa.basis import check_memory
from ..qaoa.energies import basis_energies
from ..qaoa.sampling import bits_of, check_mixer, distribution_stats, sampleset_from_counts
from ..result import Result
from .options import COUNT, NUMBERS, Option, Role, declare, seed_option
from .qaoa_options import (
    CVAR_ALPHA,
    MAX_MEMORY,
    MIXER,
    REPS,
    WARM_EPSILON,
    WARM_START,
    keeps_weight,
    statevector_limit,
)
from .qubo_solver import QuboSolver, SampleRun
from .registry import register

OPTIMIZERS = ("cobyla", "spsa", "l_bfgs_b", "nelder_mead")


def _optimizer(name: Any, maxiter: int, seed: int):
    from qiskit_algorithms import optimizers
    from qiskit_algorithms.utils import algorithm_globals

    if not isinstance(name, str):
        return name  # an Optimizer or a minimize-compatible callable
    algorithm_globals.random_seed = seed  # SPSA's perturbations
    table = {"cobyla": optimizers.COBYLA, "spsa": optimizers.SPSA, "l_bfgs_b": optimizers.L_BFGS_B,
             "nelder_mead": optimizers.NELDER_MEAD}
    if name not in table:
        raise ValidationError(f"optimizer must be one of {', '.join(OPTIMIZERS)} or an Optimizer object, got {name!r}")
    return table[name](maxiter=maxiter)


def _sampler(sampler: Any, shots: int, seed: int, num_qubits: int):
    """(SamplerV2, pass manager or None, label)."""
    if isinstance(sampler, str) and sampler.startswith("ibm"):
        from ..qaoa.ibm import ibm_sampler

        return ibm_sampler(sampler, num_qubits, shots, seed)
    if sampler == "aer":
        from qiskit.transpiler import generate_preset_pass_manager
        from qiskit_aer import AerSimulator
        from qiskit_aer.primitives import SamplerV2

        backend = AerSimulator(method="statevector", seed_simulator=seed)
        pm = generate_preset_pass_manager(optimization_level=1, backend=backend, seed_transpiler=seed)
        return SamplerV2(default_shots=shots, seed=seed), pm, "aer"
    if sampler == "statevector":
        from qiskit.primitives import StatevectorSampler

        return StatevectorSampler(default_shots=shots, seed=seed), None, "statevector"
    if isinstance(sampler, str):
        raise ValidationError(f"sampler must be 'aer', 'statevector', 'ibm[:backend]', 'ibm-fake:<FakeBackend>' "
                              f"or a BaseSamplerV2 object, got {sampler!r}")
    from qiskit.primitives import BaseSamplerV2

    if not isinstance(sampler, BaseSamplerV2):
        raise ValidationError(f"sampler object must be a qiskit BaseSamplerV2, got {type(sampler).__name__}")
    return sampler, None, type(sampler).__name__


@register
class QiskitQAOASolver(QuboSolver):
    name = "qaoa-qiskit"
    aliases = ("qaoa",)
    description = "QAOA (qiskit-algorithms) in MinimumEigenOptimizer on Aer / Statevector / any SamplerV2"
    sampler_options = declare(
        REPS, MIXER,
        Option("optimizer", f"{', '.join(OPTIMIZERS)} or a qiskit-algorithms Optimizer", default="cobyla"),
        Option("maxiter", "optimizer iterations", COUNT, default=100),
        Option("initial_point", "angles [beta_1..beta_p, gamma_1..gamma_p] (default: linear ramp)", NUMBERS,
               nullable=True),
        Option("shots", "shots per circuit evaluation", COUNT, default=1024, role=Role.SAMPLING, flag=True),
        Option("sampler", "aer, statevector, ibm[:backend] (your IBM Quantum account), ibm-fake:<FakeBackend>, "
                          "or a BaseSamplerV2 object", default="aer"),
        Option("pass_manager", "a transpiler pass manager for a user-supplied sampler's backend"),
        MAX_MEMORY, CVAR_ALPHA, WARM_START, WARM_EPSILON,
        seed_option("random seed (simulator, transpiler, optimizer)"),
    )

    def diagnose(self, result: Result) -> tuple[Diagnostics, ...]:
        return (*super().diagnose(result), QAOADiagnostics.of(result))

    def keeps_hamming_weight(self, options: Mapping[str, Any]) -> bool:
        return keeps_weight(options)

    def largest_subproblem(self, options: Mapping[str, Any]) -> tuple[int | None, str]:
        """An IBM backend's qubits, or the statevector that fits in ``max_memory_gb``."""
        sampler = options.get("sampler")
        if isinstance(sampler, str) and sampler.startswith("ibm"):
            from ..qaoa.ibm import backend_qubits

            qubits = backend_qubits(sampler)
            return qubits, f"the qubits of {sampler}" if qubits else ""
        return statevector_limit(self.name, options)

    def _sample(self, qubo: QuboModel, *, seed: int | None, reps: int, mixer: str, optimizer: Any, maxiter: int,
                initial_point: Any, shots: int, sampler: Any, pass_manager: Any, max_memory_gb: float,
                cvar_alpha: float, warm_start: Any, warm_epsilon: float) -> SampleRun:
        try:
            from qiskit_algorithms import QAOA
            from qiskit_optimization.algorithms import MinimumEigenOptimizer
        except ImportError as exc:
            raise SolverError("solver 'qaoa-qiskit' needs qiskit, qiskit-aer, qiskit-algorithms and qiskit-optimization: "
                              "pip install 'qportfolio[qaoa]'") from exc
        from ..formulations.qiskit import qubo_to_quadratic_program
        from ..qaoa.circuits import qaoa_parts
        from ..qaoa.parameters import linear_ramp

        check_mixer(mixer, qubo)
        n = qubo.num_variables
        check_memory(n, None, int(max_memory_gb * 2**30))  # before any simulator allocates 2^n amplitudes
        energies = basis_energies(qubo, np.arange(1 << n, dtype=np.int64))
        # Qiskit runs on the cost divided by its spread sigma (gamma' = gamma * sigma: the same circuits), so
        # that COBYLA's unit-sized first steps fit; angles are reported in the unscaled units of qaoa-numpy.
        sigma = float(np.std(energies)) or 1.0
        to_scaled = np.concatenate([np.ones(reps), np.full(reps, sigma)])
        if initial_point is None:
            initial_point = linear_ramp(reps, sigma)
        initial_point = np.asarray(initial_point, dtype=float)
        if initial_point.shape != (2 * reps,):
            raise ValidationError(f"initial_point must have 2 * reps = {2 * reps} entries [betas, gammas]")
        prim, pm, label = _sampler(sampler, shots, seed, n)
        pm = pass_manager if pass_manager is not None else pm
        _, ising_offset, mixer_qc, initial_state = qaoa_parts(qubo, mixer)
        if warm_start is not None:  # qiskit-optimization's own warm-start circuits (Egger et al. 2021)
            from qiskit_optimization.algorithms import WarmStartQAOAFactory

            from ..qaoa.warm_start import warm_values
            from .qaoa_options import warm_parts

            warm_parts(qubo, mixer, warm_start, warm_epsilon)  # the same checks as qaoa-numpy
            factory = WarmStartQAOAFactory(warm_epsilon)
            start = factory.create_initial_variables(warm_values(qubo, warm_start))
            initial_state, mixer_qc = factory.create_initial_state(start), factory.create_mixer(start)
        program = qubo_to_quadratic_program(qubo, scale=1.0 / sigma)
        trace: list[float] = []
        # CVaR: qiskit-algorithms' own aggregation (the alpha tail of the sampled energies)
        aggregation = None if cvar_alpha >= 1 else float(cvar_alpha)
        qaoa = _qaoa_class(QAOA)(prim, _optimizer(optimizer, maxiter, seed), reps=reps, initial_state=initial_state,
                    aggregation=aggregation,
                    mixer=mixer_qc, initial_point=initial_point * to_scaled, transpiler=pm,
                    callback=lambda count, params, mean, meta: trace.append(sigma * float(np.real(mean)) + ising_offset))
        t0 = time.perf_counter()
        result = MinimumEigenOptimizer(qaoa).solve(program)
        run_seconds = time.perf_counter() - t0
        masks, prob, negative_mass = _distribution(result.min_eigen_solver_result.eigenstate)
        counts = np.maximum(np.rint(prob * shots).astype(np.int64), 1)
        stats = distribution_stats(qubo, masks, prob, energies[masks], _spectrum(qubo, energies))
        eigen = result.min_eigen_solver_result
        info = {"qubits": n, "sampler": label, "optimal_params": (np.asarray(eigen.optimal_point) / to_scaled).tolist(),
                "energy_scale": sigma,
                "optimizer_trace": trace, "optimizer_evaluations": int(eigen.cost_function_evals or len(trace)),
                "qaoa_seconds": run_seconds, "negative_quasi_probability": negative_mass, **stats}
        sampleset = sampleset_from_counts(qubo, masks, counts, {"solver": self.name})
        params = {
            "reps": reps,
            "mixer": mixer,
            "optimizer": optimizer if isinstance(optimizer, str) else repr(optimizer),
            "maxiter": maxiter,
            "initial_point": initial_point.tolist(),
            "shots": shots,
            "sampler": label,
            "max_memory_gb": max_memory_gb,
            "cvar_alpha": cvar_alpha,
            "warm_start": warm_start if warm_start is None or isinstance(warm_start, str) else list(warm_start),
            "warm_epsilon": warm_epsilon,
        }
        return SampleRun(sampleset, info, params)


def _qaoa_class(base: type) -> type:
    """qiskit-algorithms' QAOA, building its circuit with :func:`qportfolio.qaoa.circuits.qaoa_circuit`
    (plain gates) instead of ``QAOAAnsatz``, a ``BlueprintCircuit`` that qiskit 2.1 deprecates; the
    circuit, its parameter order and the transpiler step are otherwise what QAOA does itself."""
    from ..qaoa.circuits import qaoa_circuit

    class PlainCircuitQAOA(base):  # type: ignore[misc, valid-type]
        def _check_operator_ansatz(self, operator: Any) -> None:
            ansatz = qaoa_circuit(operator, self.reps, self.initial_state, self.mixer)
            if self._transpiler is not None:
                ansatz = self._transpiler.run(ansatz, **self._transpiler_options)
            self.ansatz = ansatz

    return PlainCircuitQAOA


def _distribution(eigenstate: Any) -> tuple[np.ndarray, np.ndarray, float]:
    """(masks, probabilities, clipped negative mass) of the final measured distribution.

    Read from the eigenstate (a quasi-distribution keyed by bitstring or integer, summing to 1);
    MinimumEigenOptimizer's own ``samples`` square these values as if they were amplitudes when
    the sampler is a V2 primitive (they then sum to about 0.02), so they are not used.
    """
    items = eigenstate.binary_probabilities().items() if hasattr(eigenstate, "binary_probabilities") else eigenstate.items()
    masks, prob = [], []
    for key, value in items:
        masks.append(int(key, 2) if isinstance(key, str) else int(key))  # "b_{n-1}...b_0": bit q = qubit q
        prob.append(float(value))
    raw = np.array(prob)
    negative = float(-raw[raw < 0].sum())  # error-mitigated quasi-probabilities can dip below 0: reported in info
    prob_arr = np.clip(raw, 0.0, None)
    return np.array(masks, dtype=np.int64), prob_arr / prob_arr.sum(), negative


def _spectrum(qubo: QuboModel, energies: np.ndarray) -> tuple[float, float, float, float]:
    feasible = qubo.decode(bits_of(np.arange(energies.size), qubo.num_variables)).feasible
    return float(energies.min()), float(energies.max()), float(energies[feasible].min()), float(energies[feasible].max())
