"""dwave-samplers' classical QUBO samplers: simulated annealing, tabu search, steepest descent.

Each is :class:`~.qubo_solver.DimodSamplerSolver` with its sampler and defaults fixed; encoding,
decoding, repair and polish are the shared ones of :class:`~.qubo_solver.QuboSolver`.
"""

from __future__ import annotations

from dwave import samplers

from .qubo_solver import DimodSamplerSolver
from .registry import register


@register
class SimulatedAnnealing(DimodSamplerSolver):
    name = "sa"
    description = "simulated annealing (dwave-samplers SimulatedAnnealingSampler)"
    defaults = {"num_reads": 100, "num_sweeps": 1000}

    def __init__(self) -> None:
        super().__init__(samplers.SimulatedAnnealingSampler())


@register
class TabuSearch(DimodSamplerSolver):
    name = "tabu"
    description = "tabu search (dwave-samplers TabuSampler)"
    defaults = {"num_reads": 10, "timeout": 100}

    def __init__(self) -> None:
        super().__init__(samplers.TabuSampler())


@register
class SteepestDescent(DimodSamplerSolver):
    name = "steepest"
    description = "greedy steepest descent from random states (dwave-samplers SteepestDescentSolver)"
    defaults = {"num_reads": 100}

    def __init__(self) -> None:
        super().__init__(samplers.SteepestDescentSolver())
