"""Stronger classical QUBO baselines from maintained libraries, each one hook on the shared base.

- ``sqa``: OpenJij's simulated quantum annealing (path-integral Monte Carlo, the classical
  stand-in for a quantum annealer). OpenJij's ``beta`` and ``gamma`` are in the units of the
  BQM it is given, so the hook hands it the QUBO divided by its largest |bias| (the penalties
  then sit near 1 and the portfolio objective's differences near 1e-3); ``beta`` defaults to
  1000 on that scale (a sweep over 5..1000 on port1 found only beta ~ 1000 feasible). One read
  per call: OpenJij returns identical reads for a fixed seed, so reads come from calls with
  distinct seeds (``num_reads``).
- ``pt``: dwave-hybrid's parallel tempering reference workflow, rebuilt from its pieces with
  per-replica seeded generators so that a seed repeats a run (the reference draws unseeded).
- ``kerberos``: dwave-hybrid's Kerberos workflow (tabu, SA and subproblem sampling of the
  highest-energy-impact variables, raced each iteration). The reference workflow samples its
  subproblems on a QPU; here they go to simulated annealing, so the baseline is fully classical
  and needs no credentials.
- ``tabu-restarts``: dwave-samplers' tabu with its multistart restarts run to a fixed timeout.

Energies in every returned sample set are recomputed on the QUBO that was encoded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import dimod
import numpy as np
from dwave import samplers

from ..errors import SolverError
from ..qubo import QuboModel
from .base import check_positive_int, check_positive_number
from .qubo_solver import DimodSamplerSolver, QuboSolver, SampleRun
from .registry import register


def _normalised(bqm: dimod.BinaryQuadraticModel) -> tuple[dimod.BinaryQuadraticModel, float]:
    biases = np.concatenate([np.abs(list(bqm.linear.values())), np.abs(list(bqm.quadratic.values()))])
    scale = float(biases.max()) if biases.size and biases.max() > 0 else 1.0
    out = bqm.copy()
    out.scale(1.0 / scale)
    return out, scale


def _on_qubo(qubo: QuboModel, sampleset: dimod.SampleSet) -> dimod.SampleSet:
    """The sample set with energies of ``qubo.bqm`` (the encoded QUBO, offset included)."""
    samples, labels = dimod.as_samples(sampleset)
    return dimod.SampleSet.from_samples_bqm((samples, labels), qubo.bqm)


def _import_hybrid() -> Any:
    try:
        import hybrid
    except ImportError as exc:
        raise SolverError("dwave-hybrid is not installed: pip install 'qportfolio[baselines]'") from exc
    return hybrid


@register
class SimulatedQuantumAnnealing(QuboSolver):
    name = "sqa"
    description = "simulated quantum annealing (OpenJij SQASampler, path-integral Monte Carlo)"
    sampler_options = {
        "num_reads": "reads, each an independent run (default 4)",
        "num_sweeps": "Monte Carlo sweeps per read (default 1000)",
        "trotter": "Trotter slices (default 8)",
        "beta": "inverse temperature on the QUBO scaled to max |bias| = 1 (default 1000)",
        "gamma": "initial transverse field (default 1.0)",
    }
    defaults = {"num_reads": 4, "num_sweeps": 1000, "trotter": 8, "beta": 1000.0, "gamma": 1.0}

    def _sample(self, qubo: QuboModel, *, seed: int | None, num_reads: int = 4, num_sweeps: int = 1000, trotter: int = 8,
                beta: float = 1000.0, gamma: float = 1.0) -> SampleRun:
        try:
            import openjij
        except ImportError as exc:
            raise SolverError("openjij is not installed: pip install 'qportfolio[baselines]'") from exc
        num_reads, num_sweeps, trotter = (check_positive_int(k, v) for k, v in
                                          (("num_reads", num_reads), ("num_sweeps", num_sweeps), ("trotter", trotter)))
        beta, gamma = check_positive_number("beta", beta), check_positive_number("gamma", gamma)
        bqm, scale = _normalised(qubo.bqm)
        sampler = openjij.SQASampler()
        rng = np.random.default_rng(seed)
        sets = [sampler.sample(bqm, num_reads=1, num_sweeps=num_sweeps, trotter=trotter, beta=beta, gamma=gamma,
                               seed=int(rng.integers(2**31 - 1)))
                for _ in range(num_reads)]
        params = {"num_reads": num_reads, "num_sweeps": num_sweeps, "trotter": trotter, "beta": beta, "gamma": gamma}
        return SampleRun(_on_qubo(qubo, dimod.concatenate(sets)), {"bqm_scale": scale}, params)


@register
class ParallelTempering(QuboSolver):
    name = "pt"
    description = "parallel tempering (dwave-hybrid reference workflow)"
    sampler_options = {
        "num_replicas": "replicas at geometrically spaced temperatures (default 10)",
        "num_sweeps": "sweeps per replica between swaps (default 1000)",
        "max_time": "seconds per call (default 1)",
        "max_iter": "iterations per call (default: until max_time)",
    }
    defaults = {"num_replicas": 10, "num_sweeps": 1000, "max_time": 1.0, "max_iter": None}

    def budget_params(self, params: Mapping[str, Any], seconds: float) -> dict[str, Any]:
        return _capped(params, "max_time", seconds)

    def _sample(self, qubo: QuboModel, *, seed: int | None, num_replicas: int = 10, num_sweeps: int = 1000,
                max_time: float | None = 1.0, max_iter: int | None = None) -> SampleRun:
        _import_hybrid()
        workflow = _seeded_parallel_tempering(
            seed, num_sweeps=check_positive_int("num_sweeps", num_sweeps),
            num_replicas=check_positive_int("num_replicas", num_replicas),
            max_iter=_optional(check_positive_int, "max_iter", max_iter),
            max_time=_optional(check_positive_number, "max_time", max_time))
        import hybrid

        sampleset = hybrid.HybridSampler(workflow).sample(qubo.bqm)
        params = {"num_replicas": num_replicas, "num_sweeps": num_sweeps, "max_time": max_time, "max_iter": max_iter}
        return SampleRun(_on_qubo(qubo, sampleset), {}, params)


def _seeded_parallel_tempering(seed: int | None, *, num_sweeps: int, num_replicas: int, max_iter: int | None,
                               max_time: float | None) -> Any:
    """dwave-hybrid's reference parallel tempering (``hybrid.reference.pt.ParallelTempering``), rebuilt
    from its own pieces so that a seed fixes the run.

    The reference maps one unseeded fixed-temperature sampler over the replicas in threads (each
    call draws its SA seed from whichever generator state the thread finds) and swaps with an
    OS-seeded ``random.Random``: two runs with the same seed differed. Here every replica owns a
    generator spawned from ``seed`` and the swap step is seeded, so the thread order no longer
    matters. Only ``max_time`` (a wall-clock stop) still makes a run depend on the machine's speed.
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
    update = hybrid.Branches(*[SeededFixedTemperatureSampler(np.random.default_rng(s), num_sweeps=num_sweeps)
                               for s in replica_seeds])

    def coldest_energy(states: Any) -> Any:
        return None if states is None else states[-1].samples.first.energy

    loop = hybrid.Loop(update | SwapReplicasDownsweep(seed=swap_seed), max_iter=max_iter, max_time=max_time,
                       convergence=None, key=coldest_energy)
    return SpawnParallelTemperingReplicas(num_replicas=num_replicas) | loop | hybrid.MergeSamples(aggregate=True)


@register
class Kerberos(QuboSolver):
    name = "kerberos"
    description = "Kerberos hybrid workflow (dwave-hybrid; tabu + SA + SA on energy-impact subproblems, classical)"
    sampler_options = {
        "max_time": "seconds per call (default 1)",
        "max_iter": "iterations per call (default: until max_time)",
        "subproblem_size": "variables per subproblem (default 50)",
        "sa_sweeps": "sweeps of the full-problem SA branch (default 10000)",
        "tabu_timeout": "milliseconds of the tabu branch per iteration (default 500)",
        "subproblem_reads": "SA reads per subproblem (default 10)",
    }
    defaults = {"max_time": 1.0, "max_iter": None, "subproblem_size": 50, "sa_sweeps": 10000, "tabu_timeout": 500,
                "subproblem_reads": 10}

    def budget_params(self, params: Mapping[str, Any], seconds: float) -> dict[str, Any]:
        return _capped(params, "max_time", seconds)

    def _sample(self, qubo: QuboModel, *, seed: int | None, max_time: float | None = 1.0, max_iter: int | None = None,
                subproblem_size: int = 50, sa_sweeps: int = 10000, tabu_timeout: int = 500,
                subproblem_reads: int = 10) -> SampleRun:
        hybrid = _import_hybrid()
        subproblem_size, sa_sweeps, tabu_timeout, subproblem_reads = (check_positive_int(k, v) for k, v in (
            ("subproblem_size", subproblem_size), ("sa_sweeps", sa_sweeps), ("tabu_timeout", tabu_timeout),
            ("subproblem_reads", subproblem_reads)))
        max_iter = _optional(check_positive_int, "max_iter", max_iter)
        max_time = _optional(check_positive_number, "max_time", max_time)
        _seed_numpy(seed)
        iteration = hybrid.Race(
            hybrid.BlockingIdentity(),
            hybrid.InterruptableTabuSampler(timeout=tabu_timeout),
            hybrid.InterruptableSimulatedAnnealingProblemSampler(num_reads=1, num_sweeps=sa_sweeps),
            hybrid.EnergyImpactDecomposer(size=subproblem_size, rolling=True, rolling_history=0.3, traversal="bfs")
            | hybrid.SimulatedAnnealingSubproblemSampler(num_reads=subproblem_reads, num_sweeps=1000)
            | hybrid.SplatComposer(),
        ) | hybrid.ArgMin()
        workflow = hybrid.Loop(iteration, max_iter=max_iter, max_time=max_time, convergence=None)
        sampleset = hybrid.HybridSampler(workflow).sample(qubo.bqm)
        params = {"max_time": max_time, "max_iter": max_iter, "subproblem_size": subproblem_size, "sa_sweeps": sa_sweeps,
                  "tabu_timeout": tabu_timeout, "subproblem_reads": subproblem_reads}
        return SampleRun(_on_qubo(qubo, sampleset), {}, params)


def _optional(check: Callable[[str, Any], Any], name: str, value: Any) -> Any:
    return None if value is None else check(name, value)


def _capped(params: Mapping[str, Any], key: str, seconds: float) -> dict[str, Any]:
    out = dict(params)
    out[key] = max(0.01, seconds if out.get(key) is None else min(check_positive_number(key, out[key]), seconds))
    return out


def _seed_numpy(seed: int | None) -> None:
    """dwave-hybrid's samplers draw from numpy's global generator and take no seed; seeding it is
    the only way to make a run repeatable (timed loops still vary with the machine's speed)."""
    if seed is not None:
        np.random.seed(seed % 2**32)  # noqa: NPY002 (dwave-hybrid reads the legacy global generator)


@register
class TabuRestarts(DimodSamplerSolver):
    name = "tabu-restarts"
    description = "tabu search with multistart restarts until a timeout (dwave-samplers TabuSampler)"
    defaults = {"num_reads": 1, "timeout": 1000, "num_restarts": 1_000_000}

    def budget_params(self, params: Mapping[str, Any], seconds: float) -> dict[str, Any]:
        out = dict(params)
        out["timeout"] = max(1, min(check_positive_int("timeout", out.get("timeout", 1000)), int(1000 * seconds)))
        return out

    def __init__(self) -> None:
        super().__init__(samplers.TabuSampler())
