"""Will it fit, and what will it cost: embed a QUBO (or a dense subproblem) before any QPU time.

:func:`fit_check` embeds on the QPU's working graph (or a mock's) and estimates the QPU access time
with D-Wave's own timing model (dwave-cloud-client's ``estimate_qpu_access_time``). A mock has no
timing data of its own, so the Advantage model that dwave-cloud-client's mocks carry is used, and
the :class:`Fit` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import SolverError, ValidationError
from ...formulations.qubo import QuboModel
from .embedding import embedding_for
from .mock import is_mock


@dataclass(frozen=True)
class Fit:
    """Whether a QUBO (or a decompose subproblem of ``variables`` variables) fits a QPU, before any QPU time."""

    qpu: str
    mock: bool
    variables: int
    largest_clique: int
    embeds: bool
    physical_qubits: int | None
    chain_length_max: int | None
    chain_length_mean: float | None
    qpu_access_estimate_s: float | None
    estimate_basis: str
    num_reads: int
    reason: str = ""

    def lines(self) -> list[str]:
        mock = " (MockDWaveSampler: a classical stand-in, not a quantum device)" if self.mock else ""
        out = [f"qpu         {self.qpu}{mock}; largest embeddable clique {self.largest_clique} variables"]
        if not self.embeds:
            return [*out, f"fit         no: {self.reason}"]
        access = "unknown" if self.qpu_access_estimate_s is None else f"{1e3 * self.qpu_access_estimate_s:.1f} ms"
        return [*out, f"fit         yes: {self.variables} variables on {self.physical_qubits} qubits, chains max "
                      f"{self.chain_length_max}, mean {self.chain_length_mean:.2f}",
                f"estimate    QPU access time {access} for {self.num_reads} reads ({self.estimate_basis})"]


def qpu_name(child: Any) -> str:
    """The QPU's solver name, a mock's chip id, or the sampler's class name."""
    solver = getattr(child, "solver", None)
    return str(getattr(solver, "name", None) or child.properties.get("chip_id") or type(child).__name__)


def fit_check(child: Any, *, qubo: QuboModel | None = None, size: int | None = None, num_reads: int = 100,
              annealing_time: float | None = None, anneal_schedule: Any = None, reverse: bool = False,
              embedding: str = "auto", embedding_cache: Any = False, embedding_timeout: float = 60.0,
              seed: int = 0) -> Fit:
    """Embed ``qubo`` (or a dense subproblem of ``size`` variables: a clique) on ``child`` and estimate
    the QPU access time (see the module docstring)."""
    from minorminer.busclique import busgraph_cache

    graph = busgraph_cache(child.to_networkx_graph())
    largest = len(graph.largest_clique())
    name, mock = qpu_name(child), is_mock(child)
    variables = size if qubo is None else qubo.num_variables
    chains: dict | None
    if qubo is None:
        chains = graph.find_clique_embedding(size) if size <= largest else None
        reason = "" if chains else f"a {size}-variable subproblem is larger than the largest clique, {largest}"
    else:
        try:
            chains, _ = embedding_for(qubo.bqm, child, method=embedding, cache_dir=embedding_cache,
                                      timeout=float(embedding_timeout), seed=seed)
            reason = ""
        except (SolverError, ValidationError) as exc:
            chains, reason = None, str(exc)
    if not chains:
        return Fit(name, mock, variables, largest, False, None, None, None, None, "", num_reads, reason or "no embedding")
    lengths = np.array([len(c) for c in chains.values()])
    qubits = int(lengths.sum())
    estimate, basis = access_estimate(child, qubits, num_reads, annealing_time, anneal_schedule, reverse)
    return Fit(name, mock, variables, largest, True, qubits, int(lengths.max()), float(lengths.mean()), estimate, basis,
               num_reads)


def access_estimate(child: Any, qubits: int, num_reads: int, annealing_time: float | None, schedule: Any,
                    reverse: bool) -> tuple[float | None, str]:
    """Estimated QPU access time in seconds for a problem on ``qubits`` qubits, and what the estimate rests on."""
    from types import SimpleNamespace

    from dwave.cloud.solver import StructuredSolver

    kwargs: dict[str, Any] = {"num_reads": num_reads}
    if annealing_time is not None:
        kwargs["annealing_time"] = annealing_time
    if schedule is not None:
        kwargs["anneal_schedule"] = [tuple(p) for p in schedule]
        kwargs["reverse_anneal"] = reverse
    solver = getattr(child, "solver", None)
    try:
        if solver is not None and hasattr(solver, "estimate_qpu_access_time"):
            return float(solver.estimate_qpu_access_time(qubits, **kwargs)) / 1e6, "the QPU's own timing model"
        from dwave.cloud.testing.mocks import qpu_problem_timing_data

        props = {**child.properties, "problem_timing_data": qpu_problem_timing_data()}
        us = StructuredSolver.estimate_qpu_access_time(SimpleNamespace(properties=props), qubits, **kwargs)
        return float(us) / 1e6, "D-Wave's Advantage timing model from dwave-cloud-client; the mock has none"
    except (KeyError, ValueError, TypeError) as exc:
        return None, f"no estimate: {exc}"
