"""dwave-samplers' classical QUBO samplers: simulated annealing, tabu search (single runs and
multistart restarts until a timeout), steepest descent.

Each is :class:`~.qubo_solver.DimodSamplerSolver` with its sampler fixed and its parameters typed;
encoding, decoding, repair and polish are the shared ones of :class:`~.qubo_solver.QuboSolver`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dwave import samplers

from .options import BETA_RANGE, BOOLEAN, COUNT, NON_NEGATIVE_COUNT, Option, Role, choice, declare
from .qubo_solver import DimodSamplerSolver
from .registry import register

#: Bytes per variable pair each sampler adds to the BQM (the memory guard's estimate of its path).
#: TabuSampler: dense float64 N x N matrices (two in numpy, the C++ vector it is copied into, the
#: search's by-value copy and its own, the restart matrix C). SA and steepest descent: coupler
#: arrays and adjacency; measured on 5 500 variables / 15.1 M couplings: +54 and +46 bytes a pair.
TABU_PAIR_BYTES = 6 * 8.0
SA_PAIR_BYTES = 56.0
STEEPEST_PAIR_BYTES = 48.0

INITIAL_STATES = Option("initial_states_generator", "how missing initial states are made", choice("none", "tile", "random"))


def _reads(default: int) -> Option:
    return Option("num_reads", "samples to draw", COUNT, default=default, role=Role.SAMPLING, flag=True)


def _tabu_timeout(default: int) -> Option:
    return Option("timeout", "milliseconds of tabu search per read", COUNT, default=default)


@register
class SimulatedAnnealing(DimodSamplerSolver):
    name = "sa"
    description = "simulated annealing (dwave-samplers SimulatedAnnealingSampler)"
    deterministic_calls = True
    bytes_per_pair = SA_PAIR_BYTES
    typed_parameters = declare(
        _reads(100),
        Option("num_sweeps", "sweeps per read", COUNT, default=1000, role=Role.SAMPLING, flag=True),
        Option("num_sweeps_per_beta", "sweeps at each temperature", COUNT),
        Option("beta_range", "[hot, cold] inverse temperatures (default: from the QUBO's biases)", BETA_RANGE,
               nullable=True),
        Option("beta_schedule_type", "temperature schedule", choice("linear", "geometric", "custom")),
        Option("randomize_order", "visit variables in random order", BOOLEAN),
        Option("proposal_acceptance_criteria", "acceptance rule", choice("Metropolis", "Gibbs")),
        INITIAL_STATES,
    )

    def __init__(self) -> None:
        super().__init__(samplers.SimulatedAnnealingSampler())



TABU_PARAMETERS = (
    Option("tenure", "tabu tenure (default: min(20, n/4))", NON_NEGATIVE_COUNT),
    INITIAL_STATES,
)


@register
class TabuSearch(DimodSamplerSolver):
    name = "tabu"
    description = "tabu search (dwave-samplers TabuSampler)"
    bytes_per_pair = TABU_PAIR_BYTES
    typed_parameters = declare(_reads(10), _tabu_timeout(100),
                               Option("num_restarts", "restarts per read within the timeout", COUNT), *TABU_PARAMETERS)

    def __init__(self) -> None:
        super().__init__(samplers.TabuSampler())


@register
class TabuRestarts(DimodSamplerSolver):
    name = "tabu-restarts"
    description = "tabu search with multistart restarts until a timeout (dwave-samplers TabuSampler)"
    bytes_per_pair = TABU_PAIR_BYTES
    typed_parameters = declare(_reads(1), _tabu_timeout(1000),
                               Option("num_restarts", "restarts per read within the timeout", COUNT, default=1_000_000),
                               *TABU_PARAMETERS)

    def budget_params(self, params: Mapping[str, Any], seconds: float) -> dict[str, Any]:
        out = dict(params)
        out["timeout"] = max(1, min(int(out["timeout"]), int(1000 * seconds)))
        return out

    def __init__(self) -> None:
        super().__init__(samplers.TabuSampler())


@register
class SteepestDescent(DimodSamplerSolver):
    name = "steepest"
    description = "greedy steepest descent from random states (dwave-samplers SteepestDescentSolver)"
    deterministic_calls = True
    bytes_per_pair = STEEPEST_PAIR_BYTES
    typed_parameters = declare(_reads(100), Option("large_sparse_opt", "the large-sparse optimisation", BOOLEAN),
                               INITIAL_STATES)

    def __init__(self) -> None:
        super().__init__(samplers.SteepestDescentSolver())
