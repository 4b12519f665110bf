"""``sqa``: OpenJij's simulated quantum annealing (path-integral Monte Carlo, the classical
stand-in for a quantum annealer), one hook on the shared QUBO base.

OpenJij's ``beta`` and ``gamma`` are in the units of the BQM it is given, so the hook hands it the
QUBO divided by its largest |bias| (the penalties then sit near 1 and the portfolio objective's
differences near 1e-3); ``beta`` defaults to 1000 on that scale (a sweep over 5..1000 on port1
found only beta ~ 1000 feasible). One read per call: OpenJij returns identical reads for a fixed
seed, so reads come from calls with distinct seeds (``num_reads``). Energies in the returned
sample set are recomputed on the QUBO that was encoded.
"""

from __future__ import annotations

import dimod
import numpy as np

from ..errors import SolverError
from ..formulations.qubo import QuboModel
from .options import COUNT, POSITIVE, Option, Role, declare
from .qubo_solver import QuboSolver, SampleRun, on_qubo
from .registry import register


def _normalised(bqm: dimod.BinaryQuadraticModel) -> tuple[dimod.BinaryQuadraticModel, float]:
    biases = np.concatenate([np.abs(list(bqm.linear.values())), np.abs(list(bqm.quadratic.values()))])
    scale = float(biases.max()) if biases.size and biases.max() > 0 else 1.0
    out = bqm.copy()
    out.scale(1.0 / scale)
    return out, scale


@register
class SimulatedQuantumAnnealing(QuboSolver):
    name = "sqa"
    description = "simulated quantum annealing (OpenJij SQASampler, path-integral Monte Carlo)"
    sampler_options = declare(
        Option("num_reads", "reads, each an independent run", COUNT, default=4, role=Role.SAMPLING, flag=True),
        Option("num_sweeps", "Monte Carlo sweeps per read", COUNT, default=1000, role=Role.SAMPLING, flag=True),
        Option("trotter", "Trotter slices", COUNT, default=8),
        Option("beta", "inverse temperature on the QUBO scaled to max |bias| = 1", POSITIVE, default=1000.0),
        Option("gamma", "initial transverse field", POSITIVE, default=1.0),
    )

    def _sample(self, qubo: QuboModel, *, seed: int | None, num_reads: int, num_sweeps: int, trotter: int, beta: float,
                gamma: float) -> SampleRun:
        try:
            import openjij
        except ImportError as exc:
            raise SolverError("openjij is not installed: pip install 'qportfolio[baselines]'") from exc
        bqm, scale = _normalised(qubo.bqm)
        sampler = openjij.SQASampler()
        rng = np.random.default_rng(seed)
        sets = [sampler.sample(bqm, num_reads=1, num_sweeps=num_sweeps, trotter=trotter, beta=beta, gamma=gamma,
                               seed=int(rng.integers(2**31 - 1)))
                for _ in range(num_reads)]
        params = {"num_reads": num_reads, "num_sweeps": num_sweeps, "trotter": trotter, "beta": beta, "gamma": gamma}
        return SampleRun(on_qubo(qubo, dimod.concatenate(sets)), {"bqm_scale": scale}, params)
