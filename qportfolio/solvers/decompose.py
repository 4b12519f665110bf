"""``decompose``: a classical loop hands device-sized subproblems of the full QUBO to a subsolver.

The subsolver is any dimod sampler: a QUBO solver's ``as_sampler()`` (a registered name is a
shortcut for ``get(name).as_sampler(**subsolver_options)``), an Ocean sampler object, or one of the
controls of :mod:`.controls`. What the loop must know of it (the largest subproblem it takes,
whether it keeps a Hamming weight, whether it is a mock device or a control) it reads from the
sampler's ``properties["qportfolio"]`` (:class:`~.solver_sampler.SamplerFacts`), never from a name.

The loop is dwave-hybrid's (``hybrid.Loop`` over ``hybrid.Parallel(Identity, decomposer | sampler |
composer) | accept``, the shape of its reference workflows), built from the module-level runnables
of :mod:`.hybrid_runnables`: each iteration picks a subproblem of at most ``subproblem_size``
variables (:mod:`.subproblems`: the walls of a few assets, whole assets, or dwave-hybrid's
``EnergyImpactDecomposer``), fixes the rest at the incumbent, lets the subsolver sample it, writes
every subsample back into the incumbent, and keeps the best *feasible* portfolio if it improves
the objective (a lower energy alone could be an infeasible assignment).

It starts from a classical portfolio (``start``: the continuous relaxation rounded to the grid and
to K assets, or a random feasible one) and says in ``info`` what came from where: the start's
objective, how many improvements the subsolver's samples brought, the calls, the subsolver's own
time (QPU access time, simulator time), and the wall time. ``subsolver=random`` and
``subsolver=exhaustive`` are the controls that tell what a quantum subsolver adds over chance and
how far it is from a perfect one.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import dimod
import numpy as np

from .. import diagnostics
from ..bounds.repair import nearest_feasible_units
from ..bounds.start import rounded_start
from ..diagnostics import DecompositionDiagnostics, Diagnostics, QuboDiagnostics, SampleStatistics
from ..errors import ValidationError
from ..formulations.qubo import QuboModel
from .options import BOOLEAN, COUNT, POSITIVE, Option, Role, choice, declare, seed_option
from .qubo_solver import QuboSolver, SampleRun
from .registry import register
from .solver_sampler import SamplerFacts
from .subproblems import SELECTIONS, SparseQubo
from .subsolvers import SUBSOLVER_CHECK, SUBSOLVER_OPTIONS, subsolver_names, subsolver_sampler  # noqa: F401

DEFAULT_SIZE = 20
DEFAULT_ENCODING = "domain-wall"
#: What a preserve_weight refusal suggests (a hint for people; the loop reads the sampler's facts).
WEIGHT_KEEPER_HINT = ("an XY-mixer QAOA (qaoa-numpy or qaoa-qiskit with -o subsolver_options='{\"mixer\": \"xy-ring\"}') or the "
                      "random or exhaustive control")


@dataclass
class Accounting:
    """What the subsolver did (``info`` of the result): its calls, time and device figures, read from
    each call's ``sampleset.info``."""

    calls: int = 0
    seconds: float = 0.0
    qpu_access_seconds: float = 0.0
    simulate_seconds: float = 0.0
    subproblem_sizes: list[int] = field(default_factory=list)
    subsolver_stats: list[dict[str, Any]] = field(default_factory=list)

    def record(self, seconds: float, info: Mapping[str, Any], size: int) -> None:
        info = info.get("qportfolio") or info  # a qportfolio sampler's own figures, or a foreign one's info
        self.calls += 1
        self.seconds += seconds
        self.qpu_access_seconds += float(info.get("qpu_access_time_s") or 0.0)
        self.simulate_seconds += float(info.get("simulate_seconds") or 0.0)
        self.subproblem_sizes.append(size)
        keep = {k: info[k] for k in ("approximation_ratio", "optimum_probability", "feasible_probability",
                                     "chain_break_fraction", "chain_length_max") if k in info}
        if keep:
            self.subsolver_stats.append(keep)

    def mean(self, key: str) -> float | None:
        values = [r[key] for r in self.subsolver_stats if r.get(key) is not None]
        return float(np.mean(values)) if values else None


def weight_kept(facts: SamplerFacts, sampler: dimod.Sampler, preserve_weight: bool | None) -> bool:
    """Whether subproblems keep their Hamming weight: as asked, or as the sampler always does."""
    keep = facts.keeps_hamming_weight if preserve_weight is None else bool(preserve_weight)
    if keep and "hamming_weight" not in sampler.parameters:
        raise ValidationError(f"preserve_weight needs a subsolver that keeps a Hamming weight ({WEIGHT_KEEPER_HINT}); "
                              f"{facts.solver} as configured does not")
    if not keep and facts.keeps_hamming_weight:
        raise ValidationError(f"subsolver {facts.solver} as configured keeps a Hamming weight: pass preserve_weight=true "
                              "(subproblems whose weight is the budget: unary or domain-wall)")
    return keep


def start_units(qubo: QuboModel, how: str, rng: np.random.Generator) -> np.ndarray:
    """The classical start: the relaxation rounded to the grid and K assets (no local search), or a
    random feasible portfolio."""
    problem = qubo.problem
    if how == "relaxation":
        return rounded_start(problem)  # the problem's one cached start, before its local search
    selected = np.zeros(problem.n, dtype=bool)
    selected[rng.choice(problem.n, problem.cardinality, replace=False)] = True
    start = np.zeros(problem.n, dtype=np.int64)
    start[selected] = rng.multinomial(problem.units, np.full(problem.cardinality, 1 / problem.cardinality))
    return nearest_feasible_units(problem, start, selected)


@register
class Decompose(QuboSolver):
    name = "decompose"
    description = "hybrid decomposition (dwave-hybrid loop): device-sized subproblems to any QUBO subsolver"
    subproblem_solver = False
    sampler_options = declare(
        Option("subsolver", "registered QUBO solver (qaoa-numpy, qaoa-qiskit, dwave-qpu, sa, tabu, ...), random, exhaustive, a "
               "QuboSolver or a dimod sampler", SUBSOLVER_CHECK, default="sa"),
        SUBSOLVER_OPTIONS,
        Option("subproblem_size", f"variables per subproblem (default {DEFAULT_SIZE}, at most what the device allows)",
               COUNT, nullable=True),
        Option("selection", "wall (bits around a few assets' walls), assets (whole assets) or energy-impact "
               "(dwave-hybrid's decomposer); default: wall for unary/domain-wall, assets otherwise",
               choice(*SELECTIONS), nullable=True),
        Option("preserve_weight", "subproblems keep their Hamming weight (the budget, in unary/domain-wall); default: "
               "on for a subsolver that always keeps one (an XY-mixer QAOA)", BOOLEAN, nullable=True),
        Option("iterations", "subproblems to solve", COUNT, default=100),
        Option("max_time", "seconds of the loop: a cap (it stops after iterations or stall first); null: no cap",
               POSITIVE, default=60.0, nullable=True, role=Role.CALL_TIME_LIMIT),
        Option("stall", "stop after this many subproblems without an improvement", COUNT, nullable=True),
        Option("start", "classical start: relaxation (rounded, no local search) or random", choice("relaxation", "random"),
               default="relaxation"),
        seed_option("seed of the subproblem choice, the start and every subsolver call"),
    )

    @property
    def options(self) -> Mapping[str, Option]:  # type: ignore[override]
        """The QUBO options, with domain-wall as the encoding's default (what the wall selection moves)."""
        import dataclasses

        declared = dict(super().options)
        declared["encoding"] = dataclasses.replace(declared["encoding"], default=DEFAULT_ENCODING)
        return declared

    def _solve(self, problem: Any, **options: Any) -> Any:
        options.setdefault("encoding", DEFAULT_ENCODING)
        return super()._solve(problem, **options)

    def budget_params(self, params: Mapping[str, Any], seconds: float) -> dict[str, Any]:
        out = dict(params)
        out["max_time"] = max(0.01, seconds if out.get("max_time") is None else min(float(out["max_time"]), seconds))
        return out

    def _sample(self, qubo: QuboModel, *, seed: int, subsolver: Any, subsolver_options: Any, subproblem_size: int | None,
                selection: str | None, preserve_weight: bool | None, iterations: int, max_time: float | None,
                stall: int | None, start: str) -> SampleRun:
        import hybrid

        from .hybrid_runnables import AcceptFeasibleImprovement, PortfolioDecomposer, SplatEach, SubproblemSampler, layout_rows

        t_wall = time.perf_counter()
        options = dict(subsolver_options or {})
        sampler, call_params = subsolver_sampler(subsolver, options, owner=Decompose)
        facts = SamplerFacts.of(sampler)
        enc = qubo.layout.encoding
        unit_bits = enc.chain or enc.cap == 1
        asked = facts.keeps_hamming_weight if preserve_weight is None else preserve_weight
        if asked and not unit_bits:
            raise ValidationError(f"preserve_weight keeps the budget only when every weight bit is one unit (unary or "
                                  f"domain-wall encoding); this QUBO uses {enc.name}")
        keep = weight_kept(facts, sampler, preserve_weight)
        mode = selection or ("wall" if unit_bits else "assets")
        limit, why = facts.largest_subproblem, facts.largest_subproblem_reason
        size = subproblem_size or (DEFAULT_SIZE if limit is None else min(DEFAULT_SIZE, limit))
        if limit is not None and size > limit:
            raise ValidationError(f"subproblem_size {size} is larger than {facts.solver} allows: {limit} variables ({why})")
        size = min(size, qubo.num_variables)
        rng = np.random.default_rng(seed)
        units = start_units(qubo, start, rng)
        x0 = qubo.encode_units(units)
        sparse = SparseQubo.of(qubo)
        labels = list(sparse.labels)
        x0_row = np.array([x0[v] for v in labels], dtype=np.int8)
        start_set = dimod.SampleSet.from_samples((x0_row[None, :], labels), dimod.BINARY, energy=[sparse.energy(x0_row)])
        start_objective = float(qubo.problem.objective(units * qubo.problem.weight_step))
        accounting = Accounting()
        accept = AcceptFeasibleImprovement(qubo, labels)
        decomposer = PortfolioDecomposer(qubo, sparse, size=size, selection=mode, preserve_weight=keep, rng=rng)
        sample = SubproblemSampler(sampler, seed=seed, params=call_params, accounting=accounting)
        iteration = hybrid.Parallel(hybrid.Identity(), decomposer | sample | SplatEach(labels)) | accept
        loop = hybrid.Loop(iteration, max_iter=iterations, max_time=max_time, convergence=stall)
        state = hybrid.State.from_sample(dict(zip(labels, x0_row.tolist())), qubo.bqm).updated(samples=start_set)
        best = loop.run(state).result().samples
        info = {
            "subsolver": facts.solver,
            "subsolver_calls": accounting.calls,
            "subsolver_seconds": accounting.seconds,
            "subsolver_qpu_access_seconds": accounting.qpu_access_seconds or None,
            "subsolver_simulate_seconds": accounting.simulate_seconds or None,
            "subsolver_improvements": accept.improvements,
            "subsolver_improvement_total": accept.improvement_total,
            "subsolver_control": facts.control,
            "classical_steps": 0,
            "start": start,
            "start_objective": start_objective,
            "decompose_objective": float(qubo.decode(layout_rows(best, labels)[:1]).objective[0]),
            "subproblem_size": size,
            "subproblem_limit": limit,
            "subproblem_limit_reason": why or None,
            "selection": mode,
            "preserve_weight": keep,
            "loop_seconds": time.perf_counter() - t_wall,
            "subsolver_mean_approximation_ratio": accounting.mean("approximation_ratio"),
            "subsolver_mean_optimum_probability": accounting.mean("optimum_probability"),
            "subsolver_mean_chain_break_fraction": accounting.mean("chain_break_fraction"),
            "mock_device": facts.mock,
        }
        params = {"subsolver": facts.solver, "subsolver_options": options, "subproblem_size": size, "selection": mode,
                  "preserve_weight": keep, "iterations": iterations, "max_time": max_time, "stall": stall,
                  "start": start}
        return SampleRun(dimod.concatenate([best, start_set]), info, params)

    def diagnose(self, result: Any) -> tuple[Diagnostics, ...]:
        """The loop's diagnostics beside the sample statistics, less the samples' feasible share: the loop keeps
        only feasible incumbents, so the figure would say nothing about the subsolver (its accounting is in the
        decomposition record)."""
        found = diagnostics.of(result, SampleStatistics, QuboDiagnostics, DecompositionDiagnostics)
        return tuple(dataclasses.replace(d, feasible_share=None) if isinstance(d, SampleStatistics) else d for d in found)
