"""dwave-hybrid workflows on the QUBO, each one hook on the shared QUBO base.

- ``pt``: dwave-hybrid's parallel tempering reference workflow, rebuilt from its pieces with
  per-replica seeded generators so that a seed repeats a run (the reference draws unseeded).
- ``kerberos``: dwave-hybrid's Kerberos workflow (tabu, SA and subproblem sampling of the
  highest-energy-impact variables, raced each iteration). The reference workflow samples its
  subproblems on a QPU; here they go to simulated annealing by default, so it is fully classical and
  needs no credentials, or to any ``subsolver`` (a registered QUBO solver, a QuboSolver or a dimod
  sampler: :mod:`.subsolvers`), through the module-level :class:`~.hybrid_runnables.SubproblemSampler`.

``pt`` takes a ``subsolver`` too: then it is dwave-hybrid's hybridized parallel tempering
(``hybrid.reference.pt.HybridizedParallelTempering``), the subsolver sampling the hottest replica's
whole problem in place of its fixed-temperature sampler.

Energies in every returned sample set are recomputed on the QUBO that was encoded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import SolverError, ValidationError
from ..formulations.qubo import QuboModel
from .options import COUNT, POSITIVE, Option, Role, declare
from .qubo_solver import QuboSolver, SampleRun, on_qubo
from .registry import register
from .solver_sampler import SamplerFacts
from .subsolvers import SUBSOLVER_CHECK, SUBSOLVER_OPTIONS, subsolver_sampler

MAX_TIME = Option("max_time", "seconds per call", POSITIVE, default=1.0, nullable=True, role=Role.CALL_TIME_LIMIT)
MAX_ITER = Option("max_iter", "iterations per call (default: until max_time)", COUNT, nullable=True)


def _subsolver_option(what: str) -> Option:
    return Option("subsolver", f"{what}: a registered QUBO solver (sa, qaoa-numpy, dwave-qpu, ...), random, exhaustive, "
                  "a QuboSolver or a dimod sampler", SUBSOLVER_CHECK, nullable=True)


def _subsolver(subsolver: Any, options: Any, owner: type) -> tuple[Any, dict[str, Any], SamplerFacts]:
    """The subsolver as a dimod sampler, its per-call keyword arguments and its facts (one that keeps a
    Hamming weight is refused: these workflows' subproblems have none to keep)."""
    sampler, call_params = subsolver_sampler(subsolver, options, owner=owner)
    facts = SamplerFacts.of(sampler)
    if facts.keeps_hamming_weight:
        raise ValidationError(f"subsolver {facts.solver} keeps a Hamming weight, which {owner.name}'s subproblems do not "
                              "have: use the x mixer")
    return sampler, call_params, facts


def _import_hybrid() -> Any:
    try:
        import hybrid
    except ImportError as exc:
        raise SolverError("dwave-hybrid is not installed: pip install 'qportfolio[baselines]'") from exc
    return hybrid


@register
class ParallelTempering(QuboSolver):
    name = "pt"
    description = "parallel tempering (dwave-hybrid reference workflow)"
    sampler_options = declare(
        Option("num_replicas", "replicas at geometrically spaced temperatures", COUNT, default=10),
        Option("num_sweeps", "sweeps per replica between swaps", COUNT, default=1000, role=Role.SAMPLING, flag=True),
        MAX_TIME, MAX_ITER,
        _subsolver_option("the hottest replica's sampler, on the whole QUBO (hybridized PT); default: fixed-temperature "
                          "SA like the others"),
        SUBSOLVER_OPTIONS,
    )

    def budget_params(self, params: Mapping[str, Any], seconds: float) -> dict[str, Any]:
        return _capped(params, "max_time", seconds)

    def _sample(self, qubo: QuboModel, *, seed: int | None, num_replicas: int, num_sweeps: int, max_time: float | None,
                max_iter: int | None, subsolver: Any, subsolver_options: Any) -> SampleRun:
        _import_hybrid()
        hot, info = None, {}
        if subsolver is not None:
            hot, call_params, facts = _subsolver(subsolver, subsolver_options, ParallelTempering)
            limit, n = facts.largest_subproblem, qubo.num_variables
            if limit is not None and n > limit:
                raise ValidationError(f"subsolver {facts.solver} takes at most {limit} variables "
                                      f"({facts.largest_subproblem_reason}); pt hands it the whole QUBO of {n}: use "
                                      "kerberos or decompose, whose subproblems fit")
            info = {"subsolver": facts.solver}
            hot = (hot, call_params)
        workflow = _seeded_parallel_tempering(
            seed, num_sweeps=num_sweeps, num_replicas=num_replicas, max_iter=max_iter, max_time=max_time, hot=hot)
        import hybrid

        sampleset = hybrid.HybridSampler(workflow).sample(qubo.bqm)
        params = {"num_replicas": num_replicas, "num_sweeps": num_sweeps, "max_time": max_time, "max_iter": max_iter}
        if subsolver is not None:
            params.update(subsolver=info["subsolver"], subsolver_options=dict(subsolver_options or {}))
        return SampleRun(on_qubo(qubo, sampleset), info, params)


def _seeded_parallel_tempering(seed: int | None, *, num_sweeps: int, num_replicas: int, max_iter: int | None,
                               max_time: float | None, hot: tuple[Any, dict[str, Any]] | None = None) -> Any:
    """dwave-hybrid's reference parallel tempering (``hybrid.reference.pt.ParallelTempering``), rebuilt
    from its own pieces so that a seed fixes the run.

    The reference maps one unseeded fixed-temperature sampler over the replicas in threads (each
    call draws its SA seed from whichever generator state the thread finds) and swaps with an
    OS-seeded ``random.Random``: two runs with the same seed differed. Here every replica owns a
    generator spawned from ``seed`` and the swap step is seeded, so the thread order no longer
    matters. Only ``max_time`` (a wall-clock stop) still makes a run depend on the machine's speed.

    ``hot`` (a dimod sampler and its per-call keyword arguments) replaces the hottest replica's sampler,
    as in dwave-hybrid's ``HybridizedParallelTempering``; it keeps its lowest sample, so that every
    replica holds one state.
    """
    import hybrid
    from hybrid.reference.pt import FixedTemperatureSampler, SpawnParallelTemperingReplicas, SwapReplicasDownsweep

    class SeededFixedTemperatureSampler(FixedTemperatureSampler):
        """Fixed-temperature SA whose seed for each call comes from its own generator (dwave-samplers
        takes seeds below 2**31 although its message says 2**32)."""

        def __init__(self, rng: np.random.Generator, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.rng = rng

        def next(self, state: Any, **runopts: Any) -> Any:
            return super().next(state, seed=int(self.rng.integers(2**31)), **runopts)

    root = np.random.SeedSequence(seed)
    replica_seeds, swap_seed = root.spawn(num_replicas), int(root.generate_state(1)[0])
    replicas = [SeededFixedTemperatureSampler(np.random.default_rng(s), num_sweeps=num_sweeps) for s in replica_seeds]
    if hot is not None:
        from .hybrid_runnables import KeepLowest, SubproblemSampler

        sampler, call_params = hot
        hot_seed = int(replica_seeds[0].generate_state(1)[0])
        replicas[0] = (hybrid.IdentityDecomposer() | SubproblemSampler(sampler, seed=hot_seed, params=call_params)
                       | hybrid.IdentityComposer() | KeepLowest())
    update = hybrid.Branches(*replicas)

    def coldest_energy(states: Any) -> Any:
        return None if states is None else states[-1].samples.first.energy

    loop = hybrid.Loop(update | SwapReplicasDownsweep(seed=swap_seed), max_iter=max_iter, max_time=max_time,
                       convergence=None, key=coldest_energy)
    return SpawnParallelTemperingReplicas(num_replicas=num_replicas) | loop | hybrid.MergeSamples(aggregate=True)


@register
class Kerberos(QuboSolver):
    name = "kerberos"
    description = "Kerberos hybrid workflow (dwave-hybrid; tabu + SA + SA on energy-impact subproblems, classical)"
    sampler_options = declare(
        MAX_TIME, MAX_ITER,
        Option("subproblem_size", "variables per subproblem", COUNT, default=50),
        Option("sa_sweeps", "sweeps of the full-problem SA branch", COUNT, default=10000),
        Option("tabu_timeout", "milliseconds of the tabu branch per iteration", COUNT, default=500),
        Option("subproblem_reads", "SA reads per subproblem (the default subproblem sampler)", COUNT, default=10),
        _subsolver_option("the sampler of the energy-impact subproblems (the reference's QPU); default: SA"),
        SUBSOLVER_OPTIONS,
    )

    def budget_params(self, params: Mapping[str, Any], seconds: float) -> dict[str, Any]:
        return _capped(params, "max_time", seconds)

    def _sample(self, qubo: QuboModel, *, seed: int | None, max_time: float | None, max_iter: int | None,
                subproblem_size: int, sa_sweeps: int, tabu_timeout: int, subproblem_reads: int, subsolver: Any,
                subsolver_options: Any) -> SampleRun:
        hybrid = _import_hybrid()
        _seed_numpy(seed)
        info: dict[str, Any] = {}
        if subsolver is None:
            sub_sampler = hybrid.SimulatedAnnealingSubproblemSampler(num_reads=subproblem_reads, num_sweeps=1000)
        else:
            from .hybrid_runnables import SubproblemSampler

            sampler, call_params, facts = _subsolver(subsolver, subsolver_options, Kerberos)
            limit, size = facts.largest_subproblem, min(subproblem_size, qubo.num_variables)
            if limit is not None and size > limit:
                raise ValidationError(f"subproblem_size {size} is larger than {facts.solver} allows: {limit} variables "
                                      f"({facts.largest_subproblem_reason})")
            sub_sampler = SubproblemSampler(sampler, seed=seed, params=call_params)
            info["subsolver"] = facts.solver
        iteration = hybrid.Race(
            hybrid.BlockingIdentity(),
            hybrid.InterruptableTabuSampler(timeout=tabu_timeout),
            hybrid.InterruptableSimulatedAnnealingProblemSampler(num_reads=1, num_sweeps=sa_sweeps),
            hybrid.EnergyImpactDecomposer(size=subproblem_size, rolling=True, rolling_history=0.3, traversal="bfs")
            | sub_sampler
            | hybrid.SplatComposer(),
        ) | hybrid.ArgMin()
        workflow = hybrid.Loop(iteration, max_iter=max_iter, max_time=max_time, convergence=None)
        sampleset = hybrid.HybridSampler(workflow).sample(qubo.bqm)
        params = {"max_time": max_time, "max_iter": max_iter, "subproblem_size": subproblem_size, "sa_sweeps": sa_sweeps,
                  "tabu_timeout": tabu_timeout, "subproblem_reads": subproblem_reads}
        if subsolver is not None:
            params.update(subsolver=info["subsolver"], subsolver_options=dict(subsolver_options or {}))
        return SampleRun(on_qubo(qubo, sampleset), info, params)


def _capped(params: Mapping[str, Any], key: str, seconds: float) -> dict[str, Any]:
    out = dict(params)
    out[key] = max(0.01, seconds if out.get(key) is None else min(float(out[key]), seconds))
    return out


def _seed_numpy(seed: int | None) -> None:
    """dwave-hybrid's samplers draw from numpy's global generator and take no seed; seeding it is
    the only way to make a run repeatable (timed loops still vary with the machine's speed)."""
    if seed is not None:
        np.random.seed(seed % 2**32)  # noqa: NPY002 (dwave-hybrid reads the legacy global generator)
