"""``tabu-structured``: tabu search on the portfolio QUBO held in its structured form.

dwave-samplers' TabuSampler turns a BQM into dense N x N float64 matrices (about six copies:
numpy, the C++ vector it is copied into, the search's own and its restart matrix), which caps it
near 8 000 variables on a 24 GiB machine; the BQM it reads needs another ~26 bytes per coupling.
This backend samples the same QUBO (same energies, same variables; :mod:`.tabu_kernel`) from
:class:`~qportfolio.formulations.qubo.structure.QuboStructure` in O(N + n^2) memory: port5 at the
0.01 grid (20 475 variables) in megabytes.

One run is a chain of sampler calls that continue one search: each call runs a fixed number of
iterations from where the last one stopped and returns the best state it met (one sample per
call). The work done (calls x iterations) is therefore a function of the seed and the counts
alone, so ``batches=<calls>`` replays a run that a time budget or a stopping rule ended, with the
same samples, on any machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import dimod
import numpy as np

from ..errors import ValidationError
from ..formulations.qubo import QuboModel
from .options import COUNT, NON_NEGATIVE_COUNT, Option, choice, declare, seed_option
from .qubo_solver import QuboSolver, SampleRun
from .registry import register

#: work of one call, in variable evaluations (iterations x N), when ``iterations`` is not given
CALL_EVALUATIONS = 20_000_000
MIN_CALL_ITERATIONS, MAX_CALL_ITERATIONS = 100, 5_000


def call_iterations(num_variables: int) -> int:
    """Default iterations of one call: about :data:`CALL_EVALUATIONS` evaluations (a few tens of
    milliseconds), so that a time budget or a stopping rule is checked often."""
    return int(min(MAX_CALL_ITERATIONS, max(MIN_CALL_ITERATIONS, CALL_EVALUATIONS // max(num_variables, 1))))


def default_tenure(num_variables: int, num_assets: int) -> int:
    """min(N/4, max(20, half the variables per asset)). dwave-samplers' tabu uses min(20, N/4), which
    is what the 0.05 grid wants (11 domain-wall variables an asset: 50 lost the optimum at 5 of 30
    formulation-table runs); at Chang's 0.01 grid (91 an asset) and high risk aversion 20 left the
    search in one basin (port4 lambda 0.9: 6.4 % above the optimum from every seed; 0-0.8 % at 45-50).
    Measured 2026-12-03."""
    per_asset = num_variables // max(num_assets, 1)
    return int(min(num_variables // 4, max(20, per_asset // 2)))


def default_kick(num_variables: int) -> int:
    return int(max(2, round(num_variables ** 0.5 / 4)))


class _Search:
    """The state a run's calls share: the current and best states, the tabu list and counters."""

    def __init__(self, qubo: QuboModel, seed: int | None, params: Mapping[str, Any]) -> None:
        st = qubo.structure
        if st is None:
            raise ValidationError("tabu-structured needs a QUBO encoded from a problem (qp.encode); a QUBO read from "
                                  "a file has no structure: sample its BQM with tabu or sa")
        nv = st.num_variables
        self.st, self.seed = st, seed
        self.first = np.searchsorted(st.asset, np.arange(st.num_assets + 1)).astype(np.int64)
        if not np.all(np.diff(st.asset) >= 0):
            raise ValidationError("tabu-structured needs the variables grouped by asset (qp.encode's layout)")
        self.qdiag = st.diagonal()
        self.parent = st.parent.astype(np.int64)
        self.asset = st.asset.astype(np.int64)
        rng = np.random.default_rng(seed)
        params = {**StructuredTabu().sample_params({}), **params}  # the declared defaults (tests pass none)
        start = params["start"]
        self.x = (rng.integers(0, 2, size=nv) if start == "random" else np.zeros(nv)).astype(np.int8)
        self.best_x = self.x.copy()
        self.call_best_x = self.x.copy()
        self.tabu_until = np.zeros(nv, dtype=np.int64)
        self.counters = np.zeros(4, dtype=np.int64)  # iteration, since best, restarts, flips
        self.iterations = params.get("iterations") or call_iterations(nv)
        tenure = params.get("tenure")
        self.tenure = int(default_tenure(nv, st.num_assets) if tenure is None else tenure)
        if not 0 <= self.tenure < nv:
            raise ValidationError(f"tenure must be in [0, {nv - 1}] (the number of variables - 1), got {self.tenure}")
        self.stall = int(params["stall"])
        self.start = start
        self.kick = int(params.get("kick") or default_kick(nv))
        self.info: dict[str, Any] = {}

    def __call__(self, index: int, params: dict[str, Any]) -> SampleRun:
        from .tabu_kernel import tabu_call

        st = self.st
        call_seed = 0 if self.seed is None else (self.seed + index) % 2**32
        tabu_call(st.covariance, self.asset, self.first, st.coefficient, st.selection, self.parent, st.linear,
                  self.qdiag, st.risk, st.cardinality, st.budget, st.linking, st.offset, self.x, self.best_x,
                  self.call_best_x, self.tabu_until, self.counters, self.iterations, self.tenure, self.stall,
                  self.kick, call_seed)
        sample = self.call_best_x[None, :].copy()
        energy = st.energies(sample)
        sampleset = dimod.SampleSet.from_samples((sample, list(st.labels)), dimod.BINARY, energy)
        self.info = {"iterations_per_call": int(self.iterations), "iterations": int(self.counters[0]),
                     "flips": int(self.counters[3]), "restarts": int(self.counters[2]), "tenure": self.tenure,
                     "stall": self.stall, "kick": self.kick}
        return SampleRun(sampleset, parameters=self.parameters())

    def parameters(self) -> dict[str, Any]:
        return {"iterations": int(self.iterations), "tenure": self.tenure, "stall": self.stall, "kick": self.kick,
                "start": self.start}


@register
class StructuredTabu(QuboSolver):
    name: ClassVar[str] = "tabu-structured"
    description = "tabu search on the structured QUBO (numba; O(N + n^2) memory, replayable work)"
    subproblem_solver: ClassVar[bool] = False
    deterministic_calls: ClassVar[bool] = True
    sampler_options = declare(
        seed_option(),
        Option("iterations", "tabu iterations per sampler call (default: ~2e7 / N, 100 to 5 000)", COUNT,
               nullable=True),
        Option("tenure", "iterations a flipped variable stays tabu (default: min(N/4, max(20, N/2n)))", NON_NEGATIVE_COUNT,
               nullable=True),
        Option("stall", "iterations without a new best before a restart from the best state", COUNT, default=2000),
        Option("kick", "flips of a restart, drawn among the 4 x kick cheapest moves (default: sqrt(N)/4)", COUNT,
               nullable=True),
        Option("start", "first state: all zeros, or random bits", choice("zeros", "random"), default="zeros"),
    )

    def _session(self, qubo: QuboModel, seed: int | None, params: Mapping[str, Any]) -> _Search:
        return _Search(qubo, seed, params)

    def _sample(self, qubo: QuboModel, *, seed: int | None, **params: Any) -> SampleRun:
        return _Search(qubo, seed, params)(0, params)
