"""dwave-hybrid runnables of qportfolio's hybrids, defined at module level as dwave-hybrid defines its
own (a ``Runnable`` subclass with traits and a ``next(state)``), so that a workflow is composed of
them with ``|``, ``Parallel``, ``Race`` and ``Loop`` like any of the library's.

- :class:`SubproblemSampler`: any dimod sampler on ``state.subproblem`` (a registered solver's
  ``as_sampler()``, an Ocean sampler, a control); used by ``decompose``, kerberos and pt.
- :class:`PortfolioDecomposer`, :class:`SplatEach`, :class:`AcceptFeasibleImprovement`: the rest of
  ``decompose``'s iteration (portfolio-aware subproblems, every subsample written back, only a
  feasible improvement kept).

This module imports dwave-hybrid; import it where a workflow runs, not at package import.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import dimod
import hybrid
import numpy as np

from ..formulations.qubo import QuboModel
from .subproblems import SparseQubo, asset_bits, portfolio_variables


def layout_rows(sampleset: dimod.SampleSet, labels: list[str]) -> np.ndarray:
    """The sample set's rows with columns in ``labels`` order (hybrid's states need not keep it)."""
    variables = sampleset.variables
    return sampleset.record.sample[:, [variables.index(v) for v in labels]]


class SubproblemSampler(hybrid.traits.SubproblemSampler, hybrid.traits.SISO, hybrid.Runnable):
    """Any dimod sampler on the state's subproblem: ``state.subsamples = sampler.sample(state.subproblem)``.

    Besides the fixed ``params``, each call passes what the sampler declares it takes: ``seed``
    (``seed + 1``, ``seed + 2``, ... per call, when a seed is given), ``hamming_weight`` (the state's
    ``subproblem_weight``, when set) and ``incumbent`` (the state's values of the subproblem's
    variables). ``accounting.record(seconds, sampleset.info, size)`` is called after each call when given.
    """

    def __init__(self, sampler: dimod.Sampler, *, seed: int | None = None, params: Mapping[str, Any] | None = None,
                 accounting: Any = None, **runopts: Any) -> None:
        super().__init__(**runopts)
        self.sampler, self.seed, self.params, self.accounting = sampler, seed, dict(params or {}), accounting
        self.calls = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({type(self.sampler).__name__})"

    def next(self, state: Any, **runopts: Any) -> Any:
        takes = self.sampler.parameters
        params = dict(self.params)
        if self.seed is not None and "seed" in takes:
            params["seed"] = (self.seed + 1 + self.calls) % 2**32
        weight = state.get("subproblem_weight")
        if weight is not None:
            params["hamming_weight"] = int(weight)
        if "incumbent" in takes and state.samples is not None:
            row = state.samples.record.sample[0]
            where = {v: i for i, v in enumerate(state.samples.variables)}
            params["incumbent"] = {v: int(row[where[v]]) for v in state.subproblem.variables}
        t0 = time.perf_counter()
        subsamples = self.sampler.sample(state.subproblem, **params)
        self.calls += 1
        if self.accounting is not None:
            self.accounting.record(time.perf_counter() - t0, subsamples.info, len(state.subproblem.variables))
        return state.updated(subsamples=subsamples)


class PortfolioDecomposer(hybrid.traits.ProblemDecomposer, hybrid.traits.SISO, hybrid.Runnable):
    """A subproblem of a few assets' walls or bits (:mod:`.subproblems`), or dwave-hybrid's
    energy-impact choice, with the rest fixed at the incumbent; ``subproblem_weight`` is its kept
    Hamming weight when ``preserve_weight``."""

    def __init__(self, qubo: QuboModel, sparse: SparseQubo, *, size: int, selection: str, preserve_weight: bool,
                 rng: np.random.Generator, **runopts: Any) -> None:
        super().__init__(**runopts)
        self.qubo, self.sparse, self.size, self.selection = qubo, sparse, size, selection
        self.preserve_weight, self.rng = preserve_weight, rng
        self.labels = list(sparse.labels)
        self.bits = asset_bits(qubo)
        self.energy_impact = hybrid.EnergyImpactDecomposer(size=size, rolling=True, rolling_history=1.0,
                                                           traversal="bfs") if selection == "energy-impact" else None

    def next(self, state: Any, **runopts: Any) -> Any:
        x = layout_rows(state.samples, self.labels)[0].astype(np.int64)
        if self.energy_impact is not None:
            chosen = self.energy_impact.next(state, **runopts).subproblem.variables
            variables = np.array(sorted(self.labels.index(v) for v in chosen), dtype=np.int64)
        else:
            variables = portfolio_variables(self.qubo, x, self.size, self.selection, self.rng, self.bits)
        weight = int(x[variables].sum()) if self.preserve_weight else None
        return state.updated(subproblem=self.sparse.subproblem(x, variables), subproblem_variables=variables,
                             subproblem_weight=weight)


class SplatEach(hybrid.traits.SubsamplesComposer, hybrid.traits.SISO, hybrid.Runnable):
    """Every distinct subsample written into the incumbent (hybrid's SplatComposer keeps only the
    first); energies are the subproblem's, which equal the full ones."""

    def __init__(self, labels: list[str], **runopts: Any) -> None:
        super().__init__(**runopts)
        self.labels = list(labels)

    def next(self, state: Any, **runopts: Any) -> Any:
        sub = state.subsamples.aggregate()
        order = [str(v) for v in state.subproblem.variables]
        block = sub.record.sample[:, [sub.variables.index(v) for v in order]]
        current = layout_rows(state.samples, self.labels)[0].astype(np.int64)
        full = np.repeat(current[None, :], block.shape[0], axis=0)
        full[:, state.subproblem_variables] = block
        samples = dimod.SampleSet.from_samples((full.astype(np.int8), self.labels), dimod.BINARY,
                                               energy=state.subproblem.energies((block, order)))
        return state.updated(samples=samples)


class AcceptFeasibleImprovement(hybrid.traits.SamplesProcessor, hybrid.traits.MISO, hybrid.Runnable):
    """Keep the incumbent unless a proposal is a feasible portfolio with a lower objective (a lower
    energy alone could be an infeasible assignment); counts the improvements and their total."""

    def __init__(self, qubo: QuboModel, labels: list[str], **runopts: Any) -> None:
        super().__init__(**runopts)
        self.qubo, self.labels = qubo, list(labels)
        self.improvements, self.improvement_total = 0, 0.0

    def next(self, states: Any, **runopts: Any) -> Any:
        incumbent, proposal = states
        rows = layout_rows(proposal.samples, self.labels)
        decoded = self.qubo.decode(rows)
        feasible = np.flatnonzero(decoded.feasible)
        if not feasible.size:
            return incumbent
        best = feasible[np.argmin(decoded.objective[feasible])]
        now = float(self.qubo.decode(layout_rows(incumbent.samples, self.labels)[:1]).objective[0])
        gain = now - float(decoded.objective[best])
        if gain <= 1e-12 * max(abs(now), 1e-300):
            return incumbent
        self.improvements += 1
        self.improvement_total += gain
        kept = dimod.SampleSet.from_samples((rows[best:best + 1], self.labels), dimod.BINARY,
                                            energy=proposal.samples.record.energy[best:best + 1])
        return incumbent.updated(samples=kept)


class KeepLowest(hybrid.traits.SamplesProcessor, hybrid.traits.SISO, hybrid.Runnable):
    """The state's lowest-energy sample only (a replica of parallel tempering holds one state)."""

    def next(self, state: Any, **runopts: Any) -> Any:
        return state.updated(samples=state.samples.truncate(1))
