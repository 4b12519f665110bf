"""One base for every QUBO backend: encode -> sample -> decode, in the spirit of cvxpy's
apply -> solve -> invert and of dimod's samplers, which implement one ``sample*`` method.

:class:`QuboSolver` declares the encoding and result options once, splits them from the
backend's own, resolves the seed, calls :func:`qportfolio.formulations.qubo.encode`, hands the QUBO to the
backend's only hook ``_sample(qubo, seed=..., **params) -> SampleRun``, and decodes the sample set
into a :class:`~qportfolio.solvers.base.SolverOutput`: the best *feasible* sample (lowest
recomputed objective) is the answer; infeasible samples are counted, not hidden. ``repair=True``
also maps each infeasible sample to its nearest feasible portfolio
(:func:`qportfolio.bounds.repair.nearest_feasible_units`); ``polish=True`` runs a classical local search
from the best few portfolios (a hybrid post-processing step, off by default so that the
sampler's own quality is what is reported; ``info`` keeps ``raw_best_objective`` beside
``repaired_best_objective`` and ``polished_best_objective``).

:class:`DimodSamplerSolver` is the hook for any dimod sampler object; SA, tabu and steepest
descent (:mod:`.dwave_samplers`) only fix its sampler and type its parameters.
"""

from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import dimod
import numpy as np

from .. import diagnostics
from ..bounds.repair import nearest_feasible_units, polish_units
from ..diagnostics import Diagnostics, QuboDiagnostics, SampleStatistics
from ..encodings import WeightEncoding, available_encodings
from ..errors import QPortfolioError, ValidationError
from ..formulations.qubo import QuboModel, bqm_bytes, encode
from ..problem import PortfolioProblem
from ..result import Result
from ..status import Status
from ..utils import progress, validate
from ..utils.memory import check_allocation
from .base import Solver, SolverOutput, resolve_seed
from .options import (
    BOOLEAN,
    COUNT,
    NON_NEGATIVE,
    NUMBER,
    PENALTIES,
    POSITIVE,
    Check,
    Option,
    Role,
    choice,
    declare,
    seed_option,
)
from .penalty_tuning import tune_penalty_scale
from .sample_report import sample_metrics, samples_report_lines, stop_reason  # noqa: F401 (their old home)
from .stopping import StopRule


def _encoding(value: Any, field: str) -> Any:
    if isinstance(value, (str, WeightEncoding)):
        return value
    raise ValidationError(f"{field} must be an encoding name ({', '.join(available_encodings())}, "
                          f"bounded-coefficient:<cap>) or a WeightEncoding, got {validate.describe(value)}")


SEED_OPTION = seed_option()
ENCODE_OPTIONS = declare(
    Option("encoding", "weight encoding: binary, unary, domain-wall, bounded-coefficient:<cap>, or a WeightEncoding",
           Check("encoding name or WeightEncoding", _encoding, textual=True), default="binary", nullable=True, flag=True),
    Option("penalty_scale", "multiply the calibrated penalties (below 1 loses the separation guarantee)", POSITIVE,
           default=1.0, flag=True),
    Option("penalties", "explicit penalty strength(s): a number or {cardinality, budget, linking}", PENALTIES,
           nullable=True),
    Option("margin", "relative safety margin of the calibrated penalties", NON_NEGATIVE, default=0.05),
    Option("lagrangian_shift", "price the budget at its relaxation multiplier", BOOLEAN, default=True),
)
RUN_OPTIONS = declare(
    Option("penalty_strategy", "calibrated (the certified penalties) or tuned (pilot runs pick the penalty scale)",
           choice("calibrated", "tuned"), default="calibrated", flag=True),
    Option("time_budget", "seconds for the whole solve (encoding, calibration, sampling, decoding): sampler calls "
           "repeat, new seeds, until it is spent; pilots included when tuned", POSITIVE, nullable=True,
           role=Role.TIME_BUDGET, flag=True),
    Option("batches", "number of sampler calls when no time_budget is given (with one: at most this many)", COUNT,
           nullable=True),
    Option("target_objective", "stop once a feasible sample's objective is at or below this value", NUMBER,
           nullable=True, flag=True),
    Option("patience", "stop after this many sampler calls in a row without a lower energy", COUNT, nullable=True,
           flag=True),
)
#: share of a time budget kept for decoding the samples and building the result
DECODE_RESERVE = 0.03
RESULT_OPTIONS = declare(
    Option("repair", "map infeasible samples to the nearest feasible portfolio", BOOLEAN, default=False, flag=True),
    Option("polish", "classical local search (unit transfers, swaps) from the best 5 portfolios", BOOLEAN,
           default=False, flag=True),
)
POLISH_STARTS = 5


def _reaches(qubo: QuboModel, sampleset: dimod.SampleSet, target: float) -> bool:
    decoded = qubo.decode(sampleset)
    found = decoded.objective[decoded.feasible]
    return bool(found.size) and float(found.min()) <= target + 1e-12 * max(1.0, abs(target))


def session_info(session: Any) -> dict[str, Any]:
    return dict(getattr(session, "info", {}) or {})


@dataclass(frozen=True, eq=False)
class SampleRun:
    """What a QUBO backend's ``_sample`` returns: its raw sample set (energies of the QUBO given
    to it), its own figures for ``Result.info``, and the parameters it ran with (None: the
    ``params`` it was called with, as given)."""

    sampleset: dimod.SampleSet
    info: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] | None = None


def with_portfolio_vectors(sampleset: dimod.SampleSet, objective: np.ndarray, feasible: np.ndarray) -> dimod.SampleSet:
    """The sample set with each sample's decoded ``objective`` and ``feasible`` flag as record fields,
    so that whoever reads it (the benchmark runner, a notebook) need not encode and decode again."""
    if {"objective", "feasible"} & set(sampleset.record.dtype.names):
        return sampleset
    return dimod.append_data_vectors(sampleset, objective=np.asarray(objective, dtype=float),
                                     feasible=np.asarray(feasible, dtype=bool))


def sample_counts(sampleset: dimod.SampleSet, feasible: np.ndarray) -> dict[str, Any]:
    """Reads, distinct samples, and the share of reads (occurrences counted) whose ``feasible`` flag is set:
    the figures every sampler reports, QUBO or CQM."""
    occurrences = np.asarray(sampleset.record.num_occurrences, dtype=float)
    total = occurrences.sum()
    return {"num_samples": int(total), "num_distinct_samples": len(sampleset),
            "feasible_fraction": float(occurrences[np.asarray(feasible, dtype=bool)].sum() / total) if total else 0.0}


def on_qubo(qubo: QuboModel, sampleset: dimod.SampleSet) -> dimod.SampleSet:
    """The sample set with energies of ``qubo.bqm`` (the encoded QUBO, offset included)."""
    samples, labels = dimod.as_samples(sampleset)
    return dimod.SampleSet.from_samples_bqm((samples, labels), qubo.bqm)


def _repaired_candidates(problem: PortfolioProblem, decoded: Any, occurrences: np.ndarray,
                         info: dict[str, Any]) -> list[tuple[float, np.ndarray, str]]:
    rows = np.flatnonzero(~decoded.feasible)
    repaired = np.array([nearest_feasible_units(problem, decoded.units[i], decoded.selected[i]) for i in rows])
    weights = repaired * problem.weight_step
    objective = np.atleast_1d(problem.objective(weights))
    info["num_repaired"] = int(occurrences[rows].sum())
    info["repaired_best_objective"] = float(objective.min())
    return [(float(o), weights[j], "repaired") for j, o in enumerate(objective)]


def _polished(problem: PortfolioProblem, candidates: list[tuple[float, np.ndarray, str]]) -> list[tuple[float, np.ndarray, str]]:
    starts = sorted(candidates, key=lambda c: c[0])[:POLISH_STARTS]
    units = [np.round(w / problem.weight_step).astype(np.int64) for _, w, _ in starts]
    polished = [polish_units(problem, u) * problem.weight_step for u in units]
    return [(float(problem.objective(w)), w, f"polished {origin}") for w, (_, _, origin) in zip(polished, starts)]


def decode_samples(qubo: QuboModel, sampleset: dimod.SampleSet, *, parameters: dict[str, Any], seed: int | None,
                   repair: bool = False, polish: bool = False, extra_info: Mapping[str, Any] | None = None) -> SolverOutput:
    """Decode a sample set of ``qubo`` into the answer (see the module docstring)."""
    problem = qubo.problem
    decoded = qubo.decode(sampleset)
    occurrences = np.asarray(sampleset.record.num_occurrences, dtype=float)
    energies = np.asarray(sampleset.record.energy, dtype=float)
    feasible = decoded.feasible
    info: dict[str, Any] = {
        **qubo.summary(),
        **sample_counts(sampleset, feasible),
        "best_energy": float(energies.min()) if energies.size else None,
        "raw_best_objective": float(decoded.objective[feasible].min()) if feasible.any() else None,
        "violations": {
            "cardinality": int(occurrences[decoded.cardinality_violation != 0].sum()),
            "budget": int(occurrences[decoded.budget_violation != 0].sum()),
            "linking": int(occurrences[decoded.linking_violation != 0].sum()),
        },
        **(extra_info or {}),
    }
    sampleset = with_portfolio_vectors(sampleset, decoded.objective, feasible)
    candidates = [(float(o), decoded.weights[i], "raw") for i, o in enumerate(decoded.objective) if feasible[i]]
    if repair and (~feasible).any():
        candidates += _repaired_candidates(problem, decoded, occurrences, info)
    if polish and candidates:
        candidates = _polished(problem, candidates)
        info["polished_best_objective"] = min(c[0] for c in candidates)
    if candidates:
        _, weights, origin = min(candidates, key=lambda c: c[0])
        status, message = Status.FEASIBLE, ""
        info["answer_from"] = {"raw": "a raw sample", "repaired": "a repaired sample (repair=True)"}.get(
            origin, f"a local search (polish=True) from {'a repaired' if 'repaired' in origin else 'a raw'} sample")
    else:
        weights, status = decoded.weights[int(np.argmin(energies))], Status.INFEASIBLE
        info["answer_from"] = "no feasible sample (the weights are the lowest-energy sample's, not a portfolio)"
        message = "no feasible sample; raise num_reads/num_sweeps or penalty_scale, or pass repair=True"
    ok = problem.is_feasible(weights)
    return SolverOutput(weights=weights, feasible=ok, status=status if ok else Status.INFEASIBLE, parameters=parameters,
                        seed=seed, message=message, sampleset=sampleset, info=info)


class QuboSolver(Solver):
    """Base of every QUBO backend; a subclass sets ``name``, ``sampler_options`` (its own options,
    declared with :func:`~qportfolio.solvers.options.declare`), and implements :meth:`_sample`, which
    receives every one of them, its declared default filled in when it is not given
    (:meth:`sample_params`): hook signatures carry no defaults."""

    sampler_options: ClassVar[Mapping[str, Option]] = {}
    fills_defaults: ClassVar[bool] = False  # _solve splits the options; _sample gets its own, filled in
    #: Resolve a seed (a fresh one when none is given, recorded with the result) and pass it on;
    #: when False the hook gets ``seed=None`` and the option is accepted for a uniform interface.
    seeded: ClassVar[bool] = True
    #: Whether ``_sample`` needs only the QUBO's BQM and variable order, so that :meth:`as_sampler` can run it
    #: on any BQM (:class:`~qportfolio.solvers.solver_sampler.BqmModel`).
    subproblem_solver: ClassVar[bool] = True
    #: Whether one call's samples depend on nothing but the seed and the parameters (no wall-clock
    #: limit inside a call), so that a run is replayed by its number of calls (:meth:`replay_options`).
    deterministic_calls: ClassVar[bool] = False

    @property
    def options(self) -> Mapping[str, Option]:  # type: ignore[override]
        own = dict(self.sampler_options)
        seed = own.pop("seed", SEED_OPTION)  # a backend may say what its seed seeds
        return {"seed": seed, **own, **ENCODE_OPTIONS, **RUN_OPTIONS, **RESULT_OPTIONS}

    @property
    def defaults(self) -> dict[str, Any]:
        """The backend's own options that have a default (what ``_sample`` receives when not given)."""
        return {name: o.default for name, o in self.sampler_options.items() if o.default is not None and name != "seed"}

    def sample_params(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """What ``_sample`` receives: every own option (seed aside), as given or its declared default."""
        return {name: given.get(name, o.default) for name, o in self.sampler_options.items() if name != "seed"}

    def _solve(self, problem: PortfolioProblem, **options: Any) -> SolverOutput:
        t0 = time.perf_counter()
        encode_opts = {k: options.pop(k) for k in list(options) if k in ENCODE_OPTIONS}
        run_opts = {k: options.pop(k) for k in list(options) if k in RUN_OPTIONS}
        repair = bool(options.pop("repair", False))
        polish = bool(options.pop("polish", False))
        seed = options.pop("seed", None)
        seed = resolve_seed(seed) if self.seeded else None
        params = self.sample_params(options)
        strategy = run_opts.get("penalty_strategy", "calibrated")
        budget = run_opts.get("time_budget")
        extra: dict[str, Any] = {}
        if strategy == "tuned":
            tuning = tune_penalty_scale(self, problem, encode_opts, params, seed=seed, time_budget=budget)
            encode_opts = {**encode_opts, "penalty_scale": tuning.scale * float(encode_opts.get("penalty_scale", 1.0))}
            extra["penalty_tuning"] = tuning.as_info()
        t_tune = time.perf_counter()
        qubo = encode(problem, **encode_opts)
        t1 = time.perf_counter()
        deadline = None
        if budget is not None:
            deadline = t0 + budget * (1.0 - DECODE_RESERVE)
            if t1 >= deadline:
                what = "the encoding and the penalty pilots" if strategy == "tuned" else "the encoding alone"
                raise ValidationError(f"time_budget={budget:g} s does not cover {what} ({t1 - t0:.2f} s on this "
                                      f"machine); give at least {2 * (t1 - t0) / (1 - DECODE_RESERVE):.2g} s, or "
                                      "batches=N with no time_budget")
        stop = StopRule(deadline=deadline, batches=run_opts.get("batches"), target=run_opts.get("target_objective"),
                        patience=run_opts.get("patience"), time_budget=budget)
        run = self.sample_repeatedly(qubo, seed=seed, params=params, stop=stop)
        t2 = time.perf_counter()
        recorded = {**self.defaults, **options} if run.parameters is None else dict(run.parameters)
        parameters = {**recorded, **encode_opts, **run_opts, "repair": repair, "polish": polish}
        out = decode_samples(qubo, run.sampleset, parameters=parameters, seed=seed, repair=repair, polish=polish,
                             extra_info={"sample_seconds": t2 - t1, **extra, **run.info})
        t3 = time.perf_counter()
        phases = {"tune": t_tune - t0, "calibrate": qubo.calibrate_seconds,
                  "encode": qubo.encode_seconds - qubo.calibrate_seconds, "sample": t2 - t1, "decode": t3 - t2}
        if strategy != "tuned":
            phases.pop("tune")
        out.info.update(phases=phases, solve_seconds=t3 - t0)
        return out

    def sample_repeatedly(self, qubo: QuboModel, *, seed: int | None, params: Mapping[str, Any],
                          stop: StopRule | None = None) -> SampleRun:
        """Sampler calls (seeds seed, seed + 1, ...) until ``stop`` says so: ``batches`` calls, the
        deadline (a call is not started when the last one's duration says it would overrun it), a
        feasible sample at the target objective, or ``patience`` calls in a row without a lower
        energy; at least one call. The sample sets are concatenated; ``info["batches"]`` says how many
        ran and ``info["stopped_by"]`` why, and ``batches=<that number>`` with no time budget, target or
        patience repeats the run exactly (for backends whose calls do fixed work: ``deterministic``)."""
        stop = stop or StopRule()
        runs: list[SampleRun] = []
        session = self._session(qubo, seed, params)
        start = time.perf_counter()
        best, stagnant, reason, best_call, best_seconds = np.inf, 0, "batches", 0, 0.0
        while True:
            t = time.perf_counter()
            call = dict(params) if stop.deadline is None else self.budget_params(params, stop.deadline - t)
            run = session(len(runs), call)
            runs.append(run)
            now = time.perf_counter()
            last = now - t
            energy = float(run.sampleset.record.energy.min()) if len(run.sampleset) else np.inf
            if energy < best - 1e-12 * max(1.0, abs(best) if np.isfinite(best) else 1.0):
                best, stagnant, best_call, best_seconds = energy, 0, len(runs), now - start
            else:
                stagnant += 1
            if progress.active():
                of = f" of {stop.time_budget:g} s" if stop.time_budget is not None else ""
                progress.update(f"{self.name}: best energy {best:.8g} after {len(runs)} sampler calls, "
                                f"{now - start:.1f} s{of} (energy = objective on feasible samples)")
            if stop.target is not None and _reaches(qubo, run.sampleset, stop.target):
                reason = "target_objective"
                break
            if stop.patience is not None and stagnant >= stop.patience:
                reason = "patience"
                break
            if stop.batches is not None and len(runs) >= stop.batches:
                reason = "batches"
                break
            if stop.deadline is not None and now + last > stop.deadline:
                reason = "time_budget"
                break
            if stop.deadline is None and stop.batches is None:
                reason = "batches"
                break
        info = {**runs[0].info, **session_info(session), "batches": len(runs), "stopped_by": reason,
                "best_energy_call": best_call, "best_energy_seconds": best_seconds}
        if len(runs) == 1:
            return SampleRun(runs[0].sampleset, info, runs[0].parameters)
        return SampleRun(dimod.concatenate([r.sampleset for r in runs]), info, runs[0].parameters)

    def replay_options(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The recorded options with the run's stopping rules replaced by its count of calls: the
        same seeds and the same work, hence the same samples, however fast the machine is."""
        if not self.deterministic_calls:
            raise ValidationError(f"{self.name}'s sampler calls stop on wall-clock time (or are otherwise not fixed by "
                                  "the seed), so its runs cannot be replayed exactly; tabu-structured (qubo), sa and "
                                  "steepest can be")
        params = dict(record.get("parameters") or {})
        info = record.get("info") or {}
        if params.get("penalty_strategy") == "tuned" and params.get("time_budget") is not None:
            raise ValidationError("this run tuned its penalties with pilots on a time budget, which no count fixes; "
                                  "replay needs penalty_strategy=calibrated or tuned without a time_budget")
        if not isinstance(info.get("batches"), int) or record.get("seed") is None:
            raise ValidationError("the result records no seed or no count of sampler calls (info.batches); it was not "
                                  "written by a QUBO solver of this version")
        return {**params, "time_budget": None, "target_objective": None, "patience": None,
                "batches": info["batches"], "seed": record["seed"]}

    def _session(self, qubo: QuboModel, seed: int | None, params: Mapping[str, Any]) -> Callable[[int, dict], SampleRun]:
        """The function making call ``index`` of a run: independent calls of :meth:`_sample` with seed
        ``seed + index`` by default; a backend whose calls continue one search overrides it (its
        function may carry an ``info`` dict of figures about the whole run)."""

        def call(index: int, call_params: dict[str, Any]) -> SampleRun:
            return self._sample(qubo, seed=None if seed is None else (seed + index) % 2**32, **call_params)

        return call

    def budget_params(self, params: Mapping[str, Any], seconds: float) -> dict[str, Any]:
        """The parameters of one call that has ``seconds`` left of a time budget: a backend with a
        per-call time limit caps it here (the default changes nothing)."""
        return dict(params)

    def as_sampler(self, **options: Any) -> dimod.Sampler:
        """This solver as a dimod sampler on any BQM, its own ``options`` validated now; its ``properties``
        state the facts below (:mod:`qportfolio.solvers.solver_sampler`)."""
        from .solver_sampler import SolverSampler

        return SolverSampler(self, options)

    def largest_subproblem(self, options: Mapping[str, Any]) -> tuple[int | None, str]:
        """The most variables one sampler call takes with ``options``, and why (None: no device limit)."""
        return None, ""

    def keeps_hamming_weight(self, options: Mapping[str, Any]) -> bool:
        """Whether, with ``options``, every sample keeps the Hamming weight it is given (XY mixers)."""
        return False

    @abstractmethod
    def _sample(self, qubo: QuboModel, *, seed: int | None, **params: Any) -> SampleRun:
        """Sample ``qubo.bqm`` with the backend's own ``params`` (the remaining options, defaults applied)."""

    def diagnose(self, result: Result) -> tuple[Diagnostics, ...]:
        """The sample statistics and the QUBO's size and penalties."""
        return diagnostics.of(result, SampleStatistics, QuboDiagnostics)


#: dimod's conventional sampler parameters, typed for any sampler that declares them.
DIMOD_PARAMETERS = declare(
    Option("num_reads", "samples to draw", COUNT, role=Role.SAMPLING, flag=True),
    SEED_OPTION,
)


class DimodSamplerSolver(QuboSolver):
    """Any dimod sampler on the problem's QUBO; subclasses fix the sampler and type its parameters.

    The sampler's ``parameters`` are the options. Those named in :data:`DIMOD_PARAMETERS` or in the
    subclass's ``typed_parameters`` are checked (and defaulted) here; the others are passed through
    to the sampler, whose refusal comes back as a :class:`ValidationError`.
    """

    name: ClassVar[str] = "dimod"
    description = "any dimod sampler object"
    typed_parameters: ClassVar[Mapping[str, Option]] = {}
    #: bytes per (variable, variable) pair the sampler adds to the BQM's own (its copies: dense
    #: matrices, coupler arrays), measured; the memory guard adds them to the BQM's estimate
    bytes_per_pair: ClassVar[float] = 0.0

    def __init__(self, sampler: dimod.Sampler | None = None) -> None:
        if sampler is None:
            raise ValidationError("DimodSamplerSolver needs a dimod sampler object")
        self.sampler = sampler
        if type(self) is DimodSamplerSolver:
            self.name = f"dimod:{type(sampler).__name__}"
        typed = {**DIMOD_PARAMETERS, **self.typed_parameters}
        owner = type(sampler).__name__
        self.sampler_options = {p: typed.get(p) or Option(p, f"{owner} parameter (checked by the sampler)")
                                for p in sampler.parameters}
        self.seeded = "seed" in sampler.parameters

    def _sample(self, qubo: QuboModel, *, seed: int | None, **params: Any) -> SampleRun:
        params = {k: v for k, v in params.items() if v is not None}  # options not given: the sampler decides
        if self.seeded:
            params["seed"] = seed
        nv = qubo.num_variables
        if self.bytes_per_pair:
            check_allocation(f"{self.name} on {nv:,} variables (a dimod BQM and the sampler's own copies of it)",
                             (0.0 if qubo.has_bqm else bqm_bytes(nv)) + self.bytes_per_pair * float(nv) ** 2,
                             "use tabu-structured (the default qubo), which never forms the matrix, a coarser "
                             "weight_step, or fewer assets")
        check_allocation(f"{params.get('num_reads', 1):,} reads of {qubo.bqm.num_variables:,} variables",
                         4.0 * params.get("num_reads", 1) * (qubo.bqm.num_variables + 32), "ask for fewer num_reads")
        try:
            sampleset = self.sampler.sample(qubo.bqm, **params)  # None: the sampler's own default
            sampleset.resolve()
        except (TypeError, ValueError, OverflowError) as exc:
            if isinstance(exc, QPortfolioError):
                raise
            shown = ", ".join(f"{k}={v!r}" for k, v in params.items() if k != "seed")
            raise ValidationError(f"{type(self.sampler).__name__} refused its parameters ({shown}): {exc}") from exc
        return SampleRun(sampleset, parameters=params)
