"""The ``tuned`` penalty strategy: short pilot runs of the sampler itself pick the penalty scale.

The calibrated penalties (:func:`qportfolio.formulations.qubo.calibrate_penalties`) are the smallest that a
proof certifies for *every* infeasible assignment; a sampler only visits a few, and a lower
barrier between feasible portfolios usually finds better ones. The pilot runs each candidate
scale (a multiple of the calibrated strengths) with a share of the budget and keeps the scale
whose best *feasible* decoded sample is lowest (the larger scale on a tie; the calibrated one when
no pilot found a feasible sample). Below scale 1 the QUBO's ground state may be infeasible, but
the answer is still only ever a feasible decoded sample, so it stays a valid portfolio; what is
lost is the guarantee that the QUBO's optimum is the portfolio optimum. The pilots' time, reads
and per-scale figures are recorded in ``info["penalty_tuning"]``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ..formulations.qubo import QuboModel, encode
from ..problem import PortfolioProblem
from .stopping import StopRule


class RepeatedSampler(Protocol):
    """What the pilots need of a QUBO solver (``QuboSolver.sample_repeatedly``)."""

    def sample_repeatedly(self, qubo: QuboModel, *, seed: int | None, params: Mapping[str, Any],
                          stop: Any = None) -> Any: ...

#: Candidate multiples of the calibrated penalty strengths, from the certified one down.
DEFAULT_SCALES: tuple[float, ...] = (1.0, 0.5, 0.25, 0.125, 0.0625)
#: Share of a time budget spent on the pilots (the rest goes to the final run).
PILOT_FRACTION = 0.3
PILOT_SEED_OFFSET = 1_000_003


@dataclass(frozen=True)
class PenaltyTuning:
    """What the pilots found: the chosen scale and each candidate's figures."""

    scale: float
    scales: tuple[float, ...]
    best_objective: tuple[float | None, ...]
    feasible_fraction: tuple[float, ...]
    num_samples: int
    seconds: float

    def as_info(self) -> dict[str, Any]:
        return {"chosen_scale": self.scale, "scales": list(self.scales), "pilot_best_objective": list(self.best_objective),
                "pilot_feasible_fraction": list(self.feasible_fraction), "pilot_samples": self.num_samples,
                "pilot_seconds": self.seconds}


def pilot_params(params: Mapping[str, Any], candidates: int, fraction: float) -> dict[str, Any]:
    """Without a time budget, a pilot runs the sampler's own parameters with ``fraction`` of its
    reads shared between the candidates (at least one read each)."""
    out = dict(params)
    if isinstance(out.get("num_reads"), int):
        out["num_reads"] = max(1, math.ceil(out["num_reads"] * fraction / candidates))
    return out


def choose_scale(scales: Sequence[float], best: Sequence[float | None]) -> float:
    """The scale with the lowest best feasible objective (ties to the larger scale); the largest
    scale when no candidate found a feasible sample."""
    found = [(b, -s) for s, b in zip(scales, best) if b is not None]
    if not found:
        return max(scales)
    low = min(b for b, _ in found)
    tol = 1e-12 * max(abs(low), 1e-300)
    return max(-neg for b, neg in found if b <= low + tol)


def tune_penalty_scale(solver: RepeatedSampler, problem: PortfolioProblem, encode_opts: Mapping[str, Any],
                       params: Mapping[str, Any], *, seed: int | None, time_budget: float | None,
                       scales: Sequence[float] = DEFAULT_SCALES, fraction: float = PILOT_FRACTION) -> PenaltyTuning:
    """Run ``solver``'s sampler on the QUBO at each scale and pick one (see the module docstring)."""
    start = time.perf_counter()
    base = float(encode_opts.get("penalty_scale", 1.0))
    per_pilot = None if time_budget is None else time_budget * fraction / len(scales)
    run_params = params if time_budget is not None else pilot_params(params, len(scales), fraction)
    best: list[float | None] = []
    feasible_fraction: list[float] = []
    total = 0
    for j, scale in enumerate(scales):
        qubo = encode(problem, **{**encode_opts, "penalty_scale": base * scale})
        pilot_seed = None if seed is None else (seed + PILOT_SEED_OFFSET * (j + 1)) % 2**32
        stop = None if per_pilot is None else StopRule(deadline=time.perf_counter() + per_pilot)
        run = solver.sample_repeatedly(qubo, seed=pilot_seed, params=run_params, stop=stop)
        decoded = qubo.decode(run.sampleset)
        occurrences = np.asarray(run.sampleset.record.num_occurrences, dtype=float)
        total += int(occurrences.sum())
        ok = decoded.feasible
        best.append(float(decoded.objective[ok].min()) if ok.any() else None)
        feasible_fraction.append(float(occurrences[ok].sum() / occurrences.sum()) if occurrences.sum() else 0.0)
    return PenaltyTuning(choose_scale(scales, best), tuple(scales), tuple(best), tuple(feasible_fraction), total,
                         time.perf_counter() - start)
