"""``decompose``: a classical loop hands device-sized subproblems of the full QUBO to a subsolver.

The loop is dwave-hybrid's (``hybrid.Loop`` over ``hybrid.Parallel(Identity, decomposer | sampler |
composer) | accept``, the shape of its reference workflows): each iteration picks a subproblem of at
most ``subproblem_size`` variables (:mod:`.subproblems`: the walls of a few assets, whole assets, or
dwave-hybrid's ``EnergyImpactDecomposer``), fixes the rest at the incumbent, lets the subsolver
sample it, writes every subsample back into the incumbent, and keeps the best *feasible* portfolio
if it improves the objective (a lower energy alone could be an infeasible assignment).

It starts from a classical portfolio (``start``: the continuous relaxation rounded to the grid and
to K assets, or a random feasible one) and says in ``info`` what came from where: the start's
objective, how many improvements the subsolver's samples brought, the calls, the subsolver's own
time (QPU access time, simulator time), and the wall time. ``subsolver=random`` and
``subsolver=exhaustive`` are the controls that tell what a quantum subsolver adds over chance and
how far it is from a perfect one.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import dimod
import numpy as np

from ..bounds.repair import nearest_feasible_units
from ..errors import ValidationError
from ..formulations.qubo import QuboModel
from .options import BOOLEAN, COUNT, POSITIVE, Check, Option, Role, choice, declare, seed_option
from .qubo_solver import QuboSolver, SampleRun
from .registry import register
from .subproblems import (
    CONTROLS,
    EXHAUSTIVE_MAX,
    SELECTIONS,
    SparseQubo,
    SubproblemView,
    asset_bits,
    clique_size,
    exhaustive_optimum,
    portfolio_variables,
    qubits_that_fit,
    random_assignments,
)

DEFAULT_SIZE = 20
DEFAULT_ENCODING = "domain-wall"
#: Subsolvers that can keep a subproblem's Hamming weight (their XY mixers, or by construction).
WEIGHT_KEEPERS = ("qaoa-fast", "qaoa", *CONTROLS)


def _subsolver(value: Any, field: str) -> Any:
    if isinstance(value, str) or (hasattr(value, "sample") and hasattr(value, "parameters")):
        return value
    raise ValidationError(f"{field} must be a registered QUBO solver's name, random, exhaustive or a dimod sampler; "
                          f"got {type(value).__name__}")


def _mapping(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(f"{field} must be a mapping of option -> value (CLI: -o {field.split()[-1]}="
                              "'{\"reps\": 2}'); got " + type(value).__name__)
    return dict(value)


@dataclass
class Accounting:
    """What the loop did and who did it (``info`` of the result)."""

    subsolver: str
    calls: int = 0
    seconds: float = 0.0
    qpu_access_seconds: float = 0.0
    simulate_seconds: float = 0.0
    improvements: int = 0
    improvement_total: float = 0.0
    subproblem_sizes: list[int] = field(default_factory=list)
    subsolver_stats: list[dict[str, Any]] = field(default_factory=list)

    def record(self, seconds: float, info: Mapping[str, Any], size: int) -> None:
        self.calls += 1
        self.seconds += seconds
        self.qpu_access_seconds += float(info.get("qpu_access_time_s") or 0.0)
        self.simulate_seconds += float(info.get("simulate_seconds") or 0.0)
        self.subproblem_sizes.append(size)
        keep = {k: info[k] for k in ("approximation_ratio", "optimum_probability", "feasible_probability",
                                     "chain_break_fraction", "chain_length_max") if k in info}
        if keep:
            self.subsolver_stats.append(keep)


class _Subsolver:
    """A subsolver as one callable: ``(subproblem bqm, kept weight, seed) -> (sampleset, info)``."""

    def __init__(self, spec: Any, options: Mapping[str, Any], preserve_weight: bool, fingerprint: str) -> None:
        self.options = dict(options)
        self.fingerprint = fingerprint
        self.solver: Any = None
        self.sampler: Any = None
        if isinstance(spec, str) and spec in CONTROLS:
            self.name = spec
            allowed = {"num_reads"} if spec == "random" else set()
            unknown = sorted(set(options) - allowed)
            if unknown:
                raise ValidationError(f"subsolver {spec} takes {'num_reads' if allowed else 'no options'}; "
                                      f"got {', '.join(unknown)}")
            self.reads = int(options.get("num_reads", 1024))
            if self.reads < 1:
                raise ValidationError("subsolver random: num_reads must be at least 1")
            return
        if not isinstance(spec, str):
            self.name = f"dimod:{type(spec).__name__}"
            self.sampler = spec
            if preserve_weight:
                keepers = ", ".join(WEIGHT_KEEPERS)
                raise ValidationError(f"preserve_weight needs a subsolver that keeps a Hamming weight ({keepers} with an "
                                      f"xy mixer); {self.name} does not")
            return
        from . import registry

        if spec == "decompose":
            raise ValidationError("subsolver decompose: a decomposition cannot be its own subsolver")
        solver = registry.get(spec)
        if not isinstance(solver, QuboSolver) or not getattr(solver, "subproblem_solver", True):
            raise ValidationError(f"subsolver {spec} is not a QUBO sampler; choose one of "
                                  f"{', '.join(subsolver_names())}, random or exhaustive")
        self.name, self.solver = spec, solver
        own = {k: v for k, v in solver.sampler_options.items() if k != "seed"}
        from .options import validate_options

        checked = validate_options(spec, own, options)
        self.params = {**solver.defaults, **checked}
        mixer = self.params.get("mixer", "x")
        if preserve_weight and (spec not in WEIGHT_KEEPERS or mixer == "x"):
            raise ValidationError(f"preserve_weight needs a subsolver that keeps a Hamming weight: qaoa-fast or qaoa with "
                                  f"-o subsolver_options='{{\"mixer\": \"xy-ring\"}}', random or exhaustive; got {spec}"
                                  + (" with the x mixer" if spec in WEIGHT_KEEPERS else ""))
        if not preserve_weight and mixer != "x":
            raise ValidationError(f"subsolver {spec} with mixer {mixer} keeps a Hamming weight: pass "
                                  "preserve_weight=true (subproblems whose weight is the budget: unary or domain-wall)")

    def device_limit(self, seed: int) -> tuple[int | None, str]:
        """The largest subproblem the device takes, and why (None: no device limit)."""
        if self.name == "exhaustive":
            return EXHAUSTIVE_MAX, "exhaustive enumeration"
        sampler = self.params.get("sampler") if self.name == "qaoa" else None
        if isinstance(sampler, str) and sampler.startswith("ibm"):
            from ..qaoa.ibm import backend_qubits

            qubits = backend_qubits(sampler)
            return qubits, f"the qubits of {sampler}" if qubits else ""
        if self.name in ("qaoa-fast", "qaoa"):
            gib = float(self.params.get("max_memory_gb", 8.0))
            return qubits_that_fit(int(gib * 2**30)), f"{self.name}'s statevector in max_memory_gb={gib:g}"
        if self.name == "dwave-qpu":
            p = self.params
            child = self.solver._child(p.get("sampler"), p.get("mock"), p.get("qpu"), p.get("profile"),
                                       p.get("config_file"), seed)
            return clique_size(child), f"the largest clique that embeds on {type(child).__name__}"
        if self.sampler is not None and hasattr(self.sampler, "to_networkx_graph"):
            return clique_size(self.sampler), f"the largest clique that embeds on {type(self.sampler).__name__}"
        return None, ""

    def __call__(self, bqm: dimod.BinaryQuadraticModel, weight: int | None, seed: int,
                 incumbent: np.ndarray | None = None) -> tuple[dimod.SampleSet, dict]:
        if self.name == "random":
            return random_assignments(bqm, weight, self.reads, np.random.default_rng(seed)), {}
        if self.name == "exhaustive":
            return exhaustive_optimum(bqm, weight), {}
        if self.sampler is not None:
            params = dict(self.options)
            if "seed" in self.sampler.parameters:
                params["seed"] = seed
            return self.sampler.sample(bqm, **params), {}
        view = SubproblemView(bqm, tuple(bqm.variables), weight, self.fingerprint, incumbent)
        run: SampleRun = self.solver._sample(view, seed=seed, **self.params)
        return run.sampleset, dict(run.info)


def subsolver_names() -> list[str]:
    """Registered solvers that can sample a subproblem."""
    from . import registry

    out = []
    for name in registry.available():
        solver = registry.get(name)
        if isinstance(solver, QuboSolver) and getattr(solver, "subproblem_solver", True) and name != "decompose":
            out.append(name)
    return out


def _runnables(qubo: QuboModel, sparse: SparseQubo, subsolver: _Subsolver, accounting: Accounting, *, size: int,
               selection: str, preserve_weight: bool, rng: np.random.Generator, seed: int) -> Any:
    """The iteration: Parallel(Identity, decompose | sample | compose) | accept."""
    import hybrid

    labels = list(sparse.labels)
    bits = asset_bits(qubo)
    energy_impact = hybrid.EnergyImpactDecomposer(size=size, rolling=True, rolling_history=1.0, traversal="bfs") \
        if selection == "energy-impact" else None

    def current(state: Any) -> np.ndarray:
        return layout_rows(state.samples, labels)[0].astype(np.int64)

    class PortfolioDecomposer(hybrid.traits.ProblemDecomposer, hybrid.traits.SISO, hybrid.Runnable):
        """A subproblem of a few assets' walls or bits (or dwave-hybrid's energy-impact choice)."""

        def next(self, state: Any, **runopts: Any) -> Any:
            x = current(state)
            if energy_impact is not None:
                chosen = energy_impact.next(state, **runopts).subproblem.variables
                variables = np.array(sorted(labels.index(v) for v in chosen), dtype=np.int64)
            else:
                variables = portfolio_variables(qubo, x, size, selection, rng, bits)
            weight = int(x[variables].sum()) if preserve_weight else None
            return state.updated(subproblem=sparse.subproblem(x, variables), subproblem_variables=variables,
                                 subproblem_weight=weight)

    class SubsolverSampler(hybrid.traits.SubproblemSampler, hybrid.traits.SISO, hybrid.Runnable):
        """The subsolver on the subproblem (one call; its time and device figures recorded)."""

        def next(self, state: Any, **runopts: Any) -> Any:
            t0 = time.perf_counter()
            call_seed = (seed + 1 + accounting.calls) % 2**32
            sampleset, info = subsolver(state.subproblem, state.subproblem_weight, call_seed,
                                        current(state)[state.subproblem_variables])
            accounting.record(time.perf_counter() - t0, info, len(state.subproblem_variables))
            return state.updated(subsamples=sampleset)

    class SplatEach(hybrid.traits.SubsamplesComposer, hybrid.traits.SISO, hybrid.Runnable):
        """Every distinct subsample written into the incumbent (hybrid's SplatComposer keeps only the
        first); energies are the subproblem's, which equal the full ones."""

        def next(self, state: Any, **runopts: Any) -> Any:
            sub = state.subsamples.aggregate()
            order = [str(v) for v in state.subproblem.variables]
            block = sub.record.sample[:, [sub.variables.index(v) for v in order]]
            full = np.repeat(current(state)[None, :], block.shape[0], axis=0)
            full[:, state.subproblem_variables] = block
            samples = dimod.SampleSet.from_samples((full.astype(np.int8), labels), dimod.BINARY,
                                                   energy=state.subproblem.energies((block, order)))
            return state.updated(samples=samples)

    class AcceptFeasibleImprovement(hybrid.traits.SamplesProcessor, hybrid.traits.MISO, hybrid.Runnable):
        """Keep the incumbent unless a proposal is a feasible portfolio with a lower objective."""

        def next(self, states: Any, **runopts: Any) -> Any:
            incumbent, proposal = states
            decoded = qubo.decode(layout_rows(proposal.samples, labels))
            feasible = np.flatnonzero(decoded.feasible)
            if not feasible.size:
                return incumbent
            best = feasible[np.argmin(decoded.objective[feasible])]
            now = float(qubo.decode(layout_rows(incumbent.samples, labels)[:1]).objective[0])
            gain = now - float(decoded.objective[best])
            if gain <= 1e-12 * max(abs(now), 1e-300):
                return incumbent
            accounting.improvements += 1
            accounting.improvement_total += gain
            row = layout_rows(proposal.samples, labels)[best:best + 1]
            kept = dimod.SampleSet.from_samples((row, labels), dimod.BINARY,
                                                energy=proposal.samples.record.energy[best:best + 1])
            return incumbent.updated(samples=kept)

    return hybrid.Parallel(hybrid.Identity(), PortfolioDecomposer() | SubsolverSampler() | SplatEach()) \
        | AcceptFeasibleImprovement()


def layout_rows(sampleset: dimod.SampleSet, labels: list[str]) -> np.ndarray:
    """The sample set's rows with columns in ``labels`` order (hybrid's states need not keep it)."""
    variables = sampleset.variables
    return sampleset.record.sample[:, [variables.index(v) for v in labels]]


def start_units(qubo: QuboModel, how: str, rng: np.random.Generator) -> np.ndarray:
    """The classical start: the relaxation rounded to the grid and K assets (no local search), or a
    random feasible portfolio."""
    problem = qubo.problem
    if how == "relaxation":
        from ..bounds.relaxation import solve_relaxation
        from ..formulations.qubo import encoded_unit_bounds

        _, hi = encoded_unit_bounds(problem)
        w = solve_relaxation(problem, hi * problem.weight_step)
        selected = np.zeros(problem.n, dtype=bool)
        selected[np.argsort(-(w + 1e-12 * problem.expected_returns))[: problem.cardinality]] = True
        return nearest_feasible_units(problem, np.round(w / problem.weight_step).astype(np.int64), selected)
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
        Option("subsolver", "registered QUBO solver (qaoa-fast, qaoa, dwave-qpu, sa, tabu, ...), random, exhaustive, or "
               "a dimod sampler", Check("solver name or dimod sampler", _subsolver, textual=True), default="sa"),
        Option("subsolver_options", "the subsolver's own options (CLI: -o subsolver_options='{\"reps\": 2}')",
               Check("{option: value}", _mapping), nullable=True),
        Option("subproblem_size", f"variables per subproblem (default {DEFAULT_SIZE}, at most what the device allows)",
               COUNT, nullable=True),
        Option("selection", "wall (bits around a few assets' walls), assets (whole assets) or energy-impact "
               "(dwave-hybrid's decomposer); default: wall for unary/domain-wall, assets otherwise",
               choice(*SELECTIONS), nullable=True),
        Option("preserve_weight", "subproblems keep their Hamming weight (the budget, in unary/domain-wall); default: "
               "on for an XY-mixer QAOA subsolver", BOOLEAN, nullable=True),
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

    def _sample(self, qubo: QuboModel, *, seed: int, subsolver: Any = "sa", subsolver_options: Any = None,
                subproblem_size: int | None = None, selection: str | None = None, preserve_weight: bool | None = None,
                iterations: int = 100, max_time: float | None = 60.0, stall: int | None = None,
                start: str = "relaxation") -> SampleRun:
        import hybrid

        t_wall = time.perf_counter()
        options = dict(subsolver_options or {})
        mixer = options.get("mixer", "x")
        keep = bool(preserve_weight) if preserve_weight is not None else (subsolver in ("qaoa-fast", "qaoa") and mixer != "x")
        enc = qubo.layout.encoding
        unit_bits = enc.chain or enc.cap == 1
        if keep and not unit_bits:
            raise ValidationError(f"preserve_weight keeps the budget only when every weight bit is one unit (unary or "
                                  f"domain-wall encoding); this QUBO uses {enc.name}")
        mode = selection or ("wall" if unit_bits else "assets")
        sub = _Subsolver(subsolver, options, keep, qubo.problem.fingerprint)
        limit, why = sub.device_limit(seed)
        size = subproblem_size or (DEFAULT_SIZE if limit is None else min(DEFAULT_SIZE, limit))
        if limit is not None and size > limit:
            raise ValidationError(f"subproblem_size {size} is larger than {sub.name} allows: {limit} variables ({why})")
        size = min(size, qubo.num_variables)
        rng = np.random.default_rng(seed)
        units = start_units(qubo, start, rng)
        x0 = qubo.encode_units(units)
        sparse = SparseQubo.of(qubo)
        labels = list(sparse.labels)
        x0_row = np.array([x0[v] for v in labels], dtype=np.int8)
        start_objective = float(qubo.problem.objective(units * qubo.problem.weight_step))
        accounting = Accounting(sub.name)
        iteration = _runnables(qubo, sparse, sub, accounting, size=size, selection=mode, preserve_weight=keep, rng=rng,
                               seed=seed)
        loop = hybrid.Loop(iteration, max_iter=iterations, max_time=max_time, convergence=stall)
        state = hybrid.State.from_sample(dict(zip(labels, x0_row.tolist())), qubo.bqm)
        state = state.updated(samples=dimod.SampleSet.from_samples((x0_row[None, :], labels), dimod.BINARY,
                                                                   energy=[sparse.energy(x0_row)]))
        final = loop.run(state).result()
        best = final.samples
        best_objective = float(qubo.decode(layout_rows(best, labels)[:1]).objective[0])
        start_set = dimod.SampleSet.from_samples((x0_row[None, :], labels), dimod.BINARY, energy=[sparse.energy(x0_row)])
        sampleset = dimod.concatenate([best, start_set])
        stats = accounting.subsolver_stats
        info = {
            "subsolver": sub.name,
            "subsolver_calls": accounting.calls,
            "subsolver_seconds": accounting.seconds,
            "subsolver_qpu_access_seconds": accounting.qpu_access_seconds if accounting.qpu_access_seconds else None,
            "subsolver_simulate_seconds": accounting.simulate_seconds if accounting.simulate_seconds else None,
            "subsolver_improvements": accounting.improvements,
            "subsolver_improvement_total": accounting.improvement_total,
            "classical_steps": 0,
            "start": start,
            "start_objective": start_objective,
            "decompose_objective": best_objective,
            "subproblem_size": size,
            "subproblem_limit": limit,
            "subproblem_limit_reason": why or None,
            "selection": mode,
            "preserve_weight": keep,
            "loop_seconds": time.perf_counter() - t_wall,
            "subsolver_mean_approximation_ratio": _mean(stats, "approximation_ratio"),
            "subsolver_mean_optimum_probability": _mean(stats, "optimum_probability"),
            "subsolver_mean_chain_break_fraction": _mean(stats, "chain_break_fraction"),
            "mock_device": bool(sub.name == "dwave-qpu" and sub.params.get("mock")),
        }
        params = {"subsolver": sub.name, "subsolver_options": options, "subproblem_size": size, "selection": mode,
                  "preserve_weight": keep, "iterations": iterations, "max_time": max_time, "stall": stall,
                  "start": start}
        return SampleRun(sampleset, info, params)

    def benchmark_metrics(self, result: Any) -> dict[str, Any]:
        """Rows: the subsolver's QPU access time; no sample feasibility (the loop keeps only feasible incumbents,
        so the figure would say nothing about the subsolver: its accounting is in ``info``)."""
        return {**super().benchmark_metrics(result), "qpu_access_time": result.info.get("subsolver_qpu_access_seconds"),
                "feasible_fraction": None}

    def report_lines(self, result: Any) -> list[str]:
        info = result.info
        mock = " (a mock QPU: a classical stand-in, not a quantum device)" if info.get("mock_device") else ""
        return [
            *super().report_lines(result),
            f"decompose   subsolver {info['subsolver']}{mock}: {info['subsolver_calls']} calls on {info['subproblem_size']}-"
            f"variable subproblems ({info['selection']}), {info['subsolver_seconds']:.2f} s of {info['loop_seconds']:.2f} s",
            f"            start ({info['start']}) {info['start_objective']:.10g} -> {info['decompose_objective']:.10g}: "
            f"{info['subsolver_improvements']} improvements from the subsolver's samples, {info['classical_steps']} "
            "classical steps",
        ]


def _mean(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return float(np.mean(values)) if values else None
