"""Minor embeddings for the QPU: found once per problem structure and target graph, cached on disk.

Portfolio QUBOs are dense (the budget and cardinality penalties couple every pair of variables),
so the default ``auto`` method uses minorminer's ``busclique`` clique embedding (uniform chains,
deterministic, milliseconds) when the BQM's density is at least 1/2 and minorminer's heuristic
``find_embedding`` otherwise. The cache key hashes the BQM's variables and edges together with the
solver's name and topology; a cached embedding is checked against the current working graph
(qubits go offline) and recomputed if it no longer fits.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dimod
import numpy as np

from ...errors import SolverError, ValidationError

METHODS = ("auto", "clique", "minorminer")
DENSE = 0.5


def default_cache_dir() -> Path:
    """``$QPORTFOLIO_CACHE_DIR/embeddings``, else ``$XDG_CACHE_HOME/qportfolio/embeddings`` (~/.cache)."""
    root = os.environ.get("QPORTFOLIO_CACHE_DIR")
    if root:
        return Path(root) / "embeddings"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "qportfolio" / "embeddings"


@dataclass(frozen=True)
class TargetGraph:
    """What an embedding depends on: the solver's name, topology and working graph."""

    name: str
    topology: dict[str, Any]
    nodes: list[int]
    edges: list[tuple[int, int]]

    @classmethod
    def of(cls, sampler: Any) -> TargetGraph:
        props = getattr(sampler, "properties", {}) or {}
        name = props.get("chip_id") or getattr(getattr(sampler, "solver", None), "name", None) or type(sampler).__name__
        return cls(str(name), dict(props.get("topology", {})), list(sampler.nodelist), [tuple(e) for e in sampler.edgelist])


def structure_key(bqm: dimod.BinaryQuadraticModel, target: TargetGraph, method: str) -> str:
    """sha256 of the BQM's structure (variables, edges; not biases), the target and the method."""
    variables = sorted(map(str, bqm.variables))
    edges = sorted(tuple(sorted((str(u), str(v)))) for u, v in bqm.quadratic)
    payload = json.dumps({"variables": variables, "edges": edges, "solver": target.name,
                          "topology": target.topology, "method": method}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _density(bqm: dimod.BinaryQuadraticModel) -> float:
    n = bqm.num_variables
    return 1.0 if n < 2 else bqm.num_interactions / (n * (n - 1) / 2)


def _valid(embedding: dict, bqm: dimod.BinaryQuadraticModel, target: TargetGraph) -> bool:
    from dwave.embedding import is_valid_embedding

    if set(embedding) != set(bqm.variables):
        return False
    return is_valid_embedding(embedding, list(bqm.quadratic), target.edges)


def _find(bqm: dimod.BinaryQuadraticModel, sampler: Any, target: TargetGraph, method: str, timeout: float, seed: int) -> dict:
    variables = list(bqm.variables)
    if method == "auto":
        clique_ok = target.topology.get("type") in ("chimera", "pegasus", "zephyr")
        method = "clique" if _density(bqm) >= DENSE and clique_ok else "minorminer"
    if method == "clique":
        from minorminer.busclique import busgraph_cache

        graph = sampler.to_networkx_graph()
        cache = busgraph_cache(graph)
        largest = len(cache.largest_clique())
        if len(variables) > largest:
            raise SolverError(
                f"the QUBO has {len(variables)} variables, all coupled, but the largest clique {target.name} "
                f"({target.topology.get('type')} {target.topology.get('shape')}, {len(target.nodes)} qubits) can embed has "
                f"{largest}; use fewer assets, a coarser weight_step, selection-only mode or a hybrid solver")
        chains = cache.find_clique_embedding(len(variables))
        return {v: list(map(int, chains[i])) for i, v in enumerate(variables)}
    import minorminer

    found = minorminer.find_embedding(list(bqm.quadratic), target.edges, random_seed=seed, timeout=timeout)
    if not found or set(found) != set(variables):
        raise SolverError(
            f"minorminer found no embedding of the {len(variables)}-variable QUBO into {target.name} "
            f"({len(target.nodes)} qubits) within {timeout:g} s; raise embedding_timeout, or use fewer assets, "
            "a coarser weight_step or embedding='clique'")
    return {v: list(map(int, found[v])) for v in variables}


def embedding_for(
    bqm: dimod.BinaryQuadraticModel,
    sampler: Any,
    *,
    method: str = "auto",
    cache_dir: str | Path | bool | None = None,
    timeout: float = 60.0,
    seed: int = 0,
) -> tuple[dict, dict[str, Any]]:
    """An embedding of ``bqm`` into ``sampler``'s graph and a record of where it came from.

    ``cache_dir``: a folder, ``None`` for :func:`default_cache_dir`, ``False`` for no cache.
    """
    if method not in METHODS:
        raise ValidationError(f"embedding must be one of {', '.join(METHODS)}, got {method!r}")
    target = TargetGraph.of(sampler)
    if bqm.num_variables > len(target.nodes):
        raise SolverError(
            f"the QUBO has {bqm.num_variables} variables but {target.name} has only {len(target.nodes)} working qubits; "
            "use fewer assets, a coarser weight_step, selection-only mode or a hybrid solver")
    key = structure_key(bqm, target, method)
    path = None if cache_dir is False else Path(cache_dir or default_cache_dir()) / f"{key}.json"
    if path is not None and path.exists():
        try:
            stored = json.loads(path.read_text())
            embedding = {v: stored["chains"][str(v)] for v in bqm.variables}
            if _valid(embedding, bqm, target):
                return embedding, {"embedding_source": "cache", "embedding_key": key}
        except (OSError, ValueError, KeyError):
            pass  # unreadable or stale: recompute and overwrite
    embedding = _find(bqm, sampler, target, method, timeout, seed)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"solver": target.name, "topology": target.topology, "method": method,
                                   "chains": {str(v): c for v, c in embedding.items()}}))
        os.replace(tmp, path)  # atomic: concurrent runs never read half a file
    return embedding, {"embedding_source": "computed", "embedding_key": key}


def chain_statistics(embedding: dict, sampleset: dimod.SampleSet) -> dict[str, Any]:
    """Chain lengths, physical qubits used and the chain-break fraction of the unembedded samples."""
    lengths = np.array([len(c) for c in embedding.values()], dtype=float)
    stats: dict[str, Any] = {
        "physical_qubits": int(lengths.sum()),
        "chain_length_max": int(lengths.max()) if lengths.size else 0,
        "chain_length_mean": float(lengths.mean()) if lengths.size else 0.0,
    }
    if "chain_break_fraction" in sampleset.record.dtype.names:
        frac = np.asarray(sampleset.record.chain_break_fraction, dtype=float)
        occ = np.asarray(sampleset.record.num_occurrences, dtype=float)
        stats["chain_break_fraction"] = float((frac * occ).sum() / occ.sum()) if occ.sum() else 0.0
        stats["samples_with_broken_chains"] = float(occ[frac > 0].sum() / occ.sum()) if occ.sum() else 0.0
    return stats


def largest_clique(sampler: Any) -> int:
    """How many fully coupled variables embed in a structured sampler's graph (minorminer's busclique,
    as dwave-system's ``DWaveCliqueSampler.largest_clique_size`` computes it)."""
    from minorminer.busclique import busgraph_cache

    return len(busgraph_cache(sampler.to_networkx_graph()).largest_clique())
