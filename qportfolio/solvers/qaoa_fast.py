"""``qaoa-numpy`` (formerly ``qaoa-fast``): QAOA on our own numpy statevector simulator (``qportfolio.qaoa``).

The 2^n QUBO energies are computed once; a layer is an elementwise phase and a mixer applied
in place. With an XY mixer (selection-only mode) the simulation runs in the Hamming-weight-K
subspace only: C(n, K) amplitudes and every sample is feasible. Sizes beyond ``max_memory_gb``
are refused before anything is allocated.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..diagnostics import Diagnostics, QAOADiagnostics
from ..formulations.qubo import QuboModel
from ..qaoa import Basis, QAOASimulator
from ..qaoa.energies import basis_energies
from ..qaoa.parameters import STRATEGIES, optimize_angles
from ..qaoa.sampling import check_mixer, distribution_stats, sampleset_from_counts
from ..result import Result
from .options import COUNT, NON_NEGATIVE_COUNT, NUMBERS, Option, Role, choice, declare, seed_option
from .qaoa_options import (
    CVAR_ALPHA,
    MAX_MEMORY,
    MIXER,
    REPS,
    WARM_EPSILON,
    WARM_START,
    keeps_weight,
    statevector_limit,
    warm_parts,
)
from .qubo_solver import QuboSolver, SampleRun
from .registry import register

EXACT_STATS_LIMIT = 1 << 22  # decode the whole distribution up to this many basis states


@register
class FastQAOASolver(QuboSolver):
    name = "qaoa-numpy"
    aliases = ("qaoa-fast",)
    description = "QAOA on qportfolio's numpy statevector simulator (X or XY mixers, adjoint gradients)"
    sampler_options = declare(
        REPS, MIXER,
        Option("shots", "measurements of the final state", COUNT, default=1024, role=Role.SAMPLING, flag=True),
        Option("strategy", "angle strategy", choice(*STRATEGIES), default="interp"),
        Option("restarts", "random starts besides the linear ramp (interp: at depth 1; multistart: at full depth)",
               NON_NEGATIVE_COUNT, default=4),
        Option("maxiter", "L-BFGS-B iterations per local optimisation", COUNT, default=200),
        Option("initial_point", "angles [beta_1..beta_p, gamma_1..gamma_p] to start from", NUMBERS, nullable=True),
        MAX_MEMORY, CVAR_ALPHA, WARM_START, WARM_EPSILON,
        seed_option("random seed (multistart and sampling)"),
    )

    def diagnose(self, result: Result) -> tuple[Diagnostics, ...]:
        return (*super().diagnose(result), QAOADiagnostics.of(result))

    def keeps_hamming_weight(self, options: Mapping[str, Any]) -> bool:
        return keeps_weight(options)

    def largest_subproblem(self, options: Mapping[str, Any]) -> tuple[int | None, str]:
        return statevector_limit(self.name, options)

    def _sample(self, qubo: QuboModel, *, seed: int | None, reps: int, mixer: str, shots: int, strategy: str,
                restarts: int, maxiter: int, initial_point: Any, max_memory_gb: float, cvar_alpha: float,
                warm_start: Any, warm_epsilon: float) -> SampleRun:
        rng = np.random.default_rng(seed)
        problem = qubo.problem
        check_mixer(mixer, qubo)
        max_bytes = int(max_memory_gb * 2**30)
        n = qubo.num_variables
        basis = Basis.full(n, max_bytes) if mixer == "x" else Basis.hamming(n, problem.cardinality, max_bytes)
        t0 = time.perf_counter()
        energies = basis_energies(qubo, basis.masks)
        if warm_start is None:
            sim = QAOASimulator(energies, basis, mixer)
        else:
            from ..qaoa.warm_start import WarmStartMixerGate, product_state

            thetas = warm_parts(qubo, mixer, warm_start, warm_epsilon)
            sim = QAOASimulator(energies, basis, mixer, initial=product_state(thetas), gates=[WarmStartMixerGate(thetas)])
        sim.cvar_alpha = float(cvar_alpha)
        outcome = optimize_angles(sim, reps, strategy=strategy, restarts=restarts, maxiter=maxiter,
                                  initial_point=initial_point, rng=rng)
        prob = sim.probabilities(outcome.params)
        masks, counts = sim.sample(outcome.params, shots, rng, probabilities=prob)
        info: dict[str, Any] = {
            "qubits": n,
            "basis_states": basis.size,
            "subspace": mixer != "x",
            "optimal_params": outcome.params.tolist(),
            "optimizer_trace": outcome.trace,
            "optimizer_evaluations": outcome.evaluations,
            "objective_optimised": "expectation" if cvar_alpha >= 1 else f"CVaR_{cvar_alpha:g}",
            "optimised_value": outcome.value,
            "expectation_by_depth": {str(k): v for k, v in outcome.by_depth.items()},
            "simulate_seconds": time.perf_counter() - t0,
        }
        if basis.size <= EXACT_STATS_LIMIT:  # the exact distribution, no shot noise
            stats = distribution_stats(qubo, basis.masks, prob, energies)
        else:  # too many states to decode: the measured ones; every XY state is feasible in selection-only mode
            low, high = float(energies.min()), float(energies.max())
            sampled = basis.positions(masks)
            stats = distribution_stats(qubo, masks, counts, energies[sampled], (low, high, low, high))
            stats["from_samples"] = True
        info.update(stats)
        sampleset = sampleset_from_counts(qubo, masks, counts, {"solver": self.name})
        params = {"reps": reps, "mixer": mixer, "shots": shots, "strategy": strategy, "restarts": restarts,
                  "maxiter": maxiter, "initial_point": None if initial_point is None else list(initial_point),
                  "max_memory_gb": max_memory_gb, "cvar_alpha": cvar_alpha,
                  "warm_start": warm_start if warm_start is None or isinstance(warm_start, str) else list(warm_start),
                  "warm_epsilon": warm_epsilon}
        return SampleRun(sampleset, info, params)
