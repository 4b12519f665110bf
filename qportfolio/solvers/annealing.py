"""QUBO samplers: dwave-samplers' simulated annealing, tabu search and steepest descent, and any
dimod sampler a user passes.

The problem is encoded once (``qubo.encode``), sampled, and every sample decoded. The best
*feasible* sample (lowest recomputed objective) is the answer; infeasible samples are counted,
not hidden. With ``repair=True`` each infeasible sample is also mapped to its nearest feasible
portfolio (``repair.nearest_feasible_units``) and both the raw and the repaired figures are kept.
``polish=True`` runs a classical local search from the best few portfolios (a hybrid
post-processing step, off by default so that the sampler's own quality is what is reported;
``info`` keeps ``raw_best_objective`` beside ``polished_best_objective``).
"""

from __future__ import annotations

import time
from typing import Any, ClassVar, Mapping

import dimod
import numpy as np
from dwave.samplers import SimulatedAnnealingSampler, SteepestDescentSolver, TabuSampler

from ..errors import ValidationError
from ..problem import PortfolioProblem
from ..qubo import QuboModel, encode
from ..repair import nearest_feasible_units, polish_units
from . import register
from .base import Solver, resolve_seed

ENCODE_OPTIONS = {
    "penalty_scale": "multiply the calibrated penalties (below 1 loses the separation guarantee)",
    "penalties": "explicit penalty strength(s): a number or {cardinality, budget, linking}",
    "margin": "relative safety margin of the calibrated penalties (default 0.05)",
}
RESULT_OPTIONS = {
    "repair": "map infeasible samples to the nearest feasible portfolio (default False)",
    "polish": "classical local search (unit transfers, swaps) from the best 5 portfolios (default False)",
}
POLISH_STARTS = 5


def with_portfolio_vectors(sampleset: dimod.SampleSet, objective: np.ndarray, feasible: np.ndarray) -> dimod.SampleSet:
    """The sample set with each sample's decoded ``objective`` and ``feasible`` flag as record fields,
    so that whoever reads it (the benchmark runner, a notebook) need not encode and decode again."""
    if {"objective", "feasible"} & set(sampleset.record.dtype.names):
        return sampleset
    return dimod.append_data_vectors(sampleset, objective=np.asarray(objective, dtype=float),
                                     feasible=np.asarray(feasible, dtype=bool))


def result_fields_from_sampleset(
    qubo: QuboModel,
    sampleset: dimod.SampleSet,
    *,
    solver: str,
    parameters: dict[str, Any],
    seed: int | None,
    repair: bool = False,
    polish: bool = False,
    extra_info: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Decode a sample set into the fields of a :class:`Result` (shared by every QUBO backend)."""
    problem = qubo.problem
    decoded = qubo.decode(sampleset)
    occurrences = np.asarray(sampleset.record.num_occurrences, dtype=float)
    energies = np.asarray(sampleset.record.energy, dtype=float)
    total = occurrences.sum()
    feasible = decoded.feasible
    info: dict[str, Any] = {
        **qubo.summary(),
        "num_samples": int(total),
        "num_distinct_samples": int(len(sampleset)),
        "feasible_fraction": float(occurrences[feasible].sum() / total) if total else 0.0,
        "best_energy": float(energies.min()) if energies.size else None,
        "raw_best_objective": float(decoded.objective[feasible].min()) if feasible.any() else None,
        "violations": {
            "cardinality": int(occurrences[decoded.cardinality_violation != 0].sum()),
            "budget": int(occurrences[decoded.budget_violation != 0].sum()),
            "linking": int(occurrences[decoded.linking_violation != 0].sum()),
        },
    }
    if extra_info:
        info.update(extra_info)
    sampleset = with_portfolio_vectors(sampleset, decoded.objective, feasible)
    candidates = [(float(o), decoded.weights[i]) for i, o in enumerate(decoded.objective) if feasible[i]]
    if repair and (~feasible).any():
        rows = np.flatnonzero(~feasible)
        repaired = np.array([nearest_feasible_units(problem, decoded.units[i], decoded.selected[i]) for i in rows])
        rep_w = repaired * problem.weight_step
        rep_obj = np.atleast_1d(problem.objective(rep_w))
        info["num_repaired"] = int(occurrences[rows].sum())
        info["repaired_best_objective"] = float(rep_obj.min())
        candidates += [(float(o), rep_w[j]) for j, o in enumerate(rep_obj)]
    if polish and candidates:
        starts = sorted(candidates, key=lambda c: c[0])[:POLISH_STARTS]
        polished = [polish_units(problem, np.round(w / problem.weight_step).astype(np.int64)) * problem.weight_step for _, w in starts]
        candidates = [(float(problem.objective(w)), w) for w in polished]
        info["polished_best_objective"] = min(c[0] for c in candidates)
    if candidates:
        weights = min(candidates, key=lambda c: c[0])[1]
        status, message = "feasible", ""
    else:
        weights = decoded.weights[int(np.argmin(energies))]
        status = "infeasible"
        message = "no feasible sample; raise num_reads/num_sweeps or penalty_scale, or pass repair=True"
    ok = problem.is_feasible(weights)
    return dict(
        weights=weights,
        feasible=ok,
        status=status if ok else "infeasible",
        solver=solver,
        parameters=parameters,
        seed=seed,
        message=message,
        sampleset=sampleset,
        info=info,
    )


class DimodSamplerSolver(Solver):
    """Any dimod sampler on the problem's QUBO; subclasses fix the sampler and its defaults."""

    name: ClassVar[str] = "dimod"
    description = "any dimod sampler object"
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, sampler: dimod.Sampler | None = None) -> None:
        if sampler is None:
            raise ValidationError("DimodSamplerSolver needs a dimod sampler object")
        self.sampler = sampler
        if type(self) is DimodSamplerSolver:
            self.name = f"dimod:{type(sampler).__name__}"
        sampler_params = {p: f"{type(sampler).__name__} parameter" for p in sampler.parameters}
        self.options = {**sampler_params, **ENCODE_OPTIONS, **RESULT_OPTIONS, "seed": "random seed"}

    def _solve(self, problem: PortfolioProblem, **options: Any) -> dict[str, Any]:
        encode_opts = {k: options.pop(k) for k in list(options) if k in ENCODE_OPTIONS}
        repair = bool(options.pop("repair", False))
        polish = bool(options.pop("polish", False))
        seed = options.pop("seed", None)
        qubo = encode(problem, **encode_opts)
        params = {**self.defaults, **options}
        if "seed" in self.sampler.parameters:
            seed = resolve_seed(seed)
            params["seed"] = seed
        t0 = time.perf_counter()
        sampleset = self.sampler.sample(qubo.bqm, **params)
        sampleset.resolve()
        sample_seconds = time.perf_counter() - t0
        return result_fields_from_sampleset(
            qubo,
            sampleset,
            solver=self.name,
            parameters={**params, **encode_opts, "repair": repair, "polish": polish},
            seed=seed,
            repair=repair,
            polish=polish,
            extra_info={"sample_seconds": sample_seconds},
        )


@register
class SimulatedAnnealingSolver(DimodSamplerSolver):
    name = "sa"
    description = "simulated annealing (dwave-samplers SimulatedAnnealingSampler)"
    defaults = {"num_reads": 100, "num_sweeps": 1000}

    def __init__(self) -> None:
        super().__init__(SimulatedAnnealingSampler())


@register
class TabuSolver(DimodSamplerSolver):
    name = "tabu"
    description = "tabu search (dwave-samplers TabuSampler)"
    defaults = {"num_reads": 10, "timeout": 100}

    def __init__(self) -> None:
        super().__init__(TabuSampler())


@register
class SteepestDescentSolver_(DimodSamplerSolver):
    name = "steepest"
    description = "greedy steepest descent from random states (dwave-samplers SteepestDescentSolver)"
    defaults = {"num_reads": 100}

    def __init__(self) -> None:
        super().__init__(SteepestDescentSolver())
