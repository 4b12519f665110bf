"""The QPU (or its mock) as a dimod sampler: any BQM in; embedded, sampled and unembedded.

:class:`QPUSampler` wraps a structured child (``DWaveSampler``, a ``MockDWaveSampler``, or any
structured dimod sampler) with what ``dwave-qpu`` does around it: an embedding found once per BQM
structure and target graph and cached on disk (:mod:`.embedding`), the chain strength (dwave-system's
uniform torque compensation unless a number or ``"scaled"`` is given), spin-reversal transforms, the
mock's classical reverse-anneal stand-in (:mod:`.mock`) and optional steepest-descent
postprocessing. ``dwave-qpu`` samples through it, and hands it out to compositions such as
``decompose`` (:meth:`~.qpu.DWaveQPUSolver.as_sampler`). Its figures (chains, timing, the QPU's
name) come back in ``sampleset.info["qportfolio"]``.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import dimod
import numpy as np

from ...errors import ValidationError
from .cloud import cloud_errors, timing_info
from .embedding import chain_statistics, embedding_for, largest_clique
from .fit import qpu_name
from .mock import MockReverseAnneal, is_mock

#: what :meth:`QPUSampler.sample` takes (the QPU's anneal parameters that qportfolio sets, and its own)
PARAMETERS = ("num_reads", "annealing_time", "chain_strength", "auto_scale", "anneal_schedule", "initial_state",
              "reinitialize_state", "num_spin_reversal_transforms", "postprocess", "label", "seed", "incumbent")


def chain_strength_for(value: Any, bqm: dimod.BinaryQuadraticModel, embedding: dict) -> float:
    """The chain strength: uniform torque compensation (None), ``"scaled"``, or a positive number."""
    from dwave.embedding.chain_strength import scaled, uniform_torque_compensation

    if value is None or value == "uniform_torque_compensation":
        return float(uniform_torque_compensation(bqm, embedding))
    if value == "scaled":
        return float(scaled(bqm, embedding))
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not value > 0:
        raise ValidationError("chain_strength must be a positive number, 'uniform_torque_compensation' or 'scaled', "
                              f"got {value!r}")
    return float(value)


class QPUSampler(dimod.ComposedSampler):
    """A structured child behind a cached embedding. ``defaults``: sample parameters used when a call omits
    them; ``seed``: of the embedding heuristic and the spin-reversal transforms (a call's ``seed`` overrides it).
    ``properties["qportfolio"]`` states what a composing hybrid must know (the largest clique it embeds; it
    keeps no Hamming weight and is not deterministic; whether it is a mock)."""

    def __init__(self, child: Any, *, solver: str = "dwave-qpu", embedding: str = "auto", embedding_cache: Any = None,
                 embedding_timeout: float = 60.0, seed: int = 0, defaults: dict[str, Any] | None = None,
                 owns_mock: bool = False) -> None:
        unknown = sorted(set(defaults or {}) - set(PARAMETERS))
        if unknown:
            raise ValidationError(f"QPUSampler does not take {', '.join(unknown)}; it takes {', '.join(PARAMETERS)}")
        self._structured = child
        self.solver = solver
        self.embedding = embedding
        self.embedding_cache = embedding_cache
        self.embedding_timeout = float(embedding_timeout)
        self.seed = int(seed)
        self.defaults = dict(defaults or {})
        self.owns_mock = owns_mock  #: the child is a mock built for this sampler: a call's seed may reseed it
        self._largest: int | None = None

    @property
    def children(self) -> list[Any]:
        return [self._structured]

    @property
    def parameters(self) -> dict[str, list]:
        return {name: [] for name in PARAMETERS}

    @property
    def properties(self) -> dict[str, Any]:
        if self._largest is None and hasattr(self.child, "to_networkx_graph"):
            self._largest = largest_clique(self.child)
        why = f"the largest clique that embeds on {qpu_name(self.child)}" if self._largest is not None else ""
        return {"child_properties": dict(self.child.properties), "options": dict(self.defaults),
                "qportfolio": {"solver": self.solver, "mock": is_mock(self.child), "largest_subproblem": self._largest,
                               "largest_subproblem_reason": why, "keeps_hamming_weight": False,
                               "deterministic": False}}

    def sample(self, bqm: dimod.BinaryQuadraticModel, **params: Any) -> dimod.SampleSet:
        """Embed ``bqm`` (cached), sample the child, unembed; the figures go to ``info["qportfolio"]``."""
        from dwave.system import FixedEmbeddingComposite

        p = {**self.defaults, **params}
        unknown = sorted(set(p) - set(PARAMETERS))
        if unknown:
            raise ValidationError(f"QPUSampler does not take {', '.join(unknown)}; it takes {', '.join(PARAMETERS)}")
        postprocess = p.get("postprocess") or "none"
        if postprocess not in ("none", "steepest"):
            raise ValidationError(f"postprocess must be none or steepest, got {postprocess!r}")
        p.pop("incumbent", None)  # a hybrid's current values: a forward anneal does not start from them
        call_seed = p.pop("seed", None)
        seed = self.seed if call_seed is None else int(call_seed)
        child = self.child
        if call_seed is not None and self.owns_mock:  # a call's own seed reseeds the mock's classical stand-in
            child.substitute_kwargs = {**child.substitute_kwargs, "seed": seed}
        chosen, emb_info = embedding_for(bqm, child, method=self.embedding, cache_dir=self.embedding_cache,
                                         timeout=self.embedding_timeout, seed=seed)
        strength = chain_strength_for(p.get("chain_strength"), bqm, chosen)
        num_reads = int(p.get("num_reads", 100))
        sent: dict[str, Any] = {"num_reads": num_reads, "chain_strength": strength, "return_embedding": True}
        if p.get("label") is not None:
            sent["label"] = p["label"]
        if p.get("annealing_time") is not None:
            sent["annealing_time"] = float(p["annealing_time"])
        if "auto_scale" in child.parameters:
            sent["auto_scale"] = bool(p.get("auto_scale", True))
        for key in ("anneal_schedule", "initial_state"):
            if p.get(key) is not None:
                sent[key] = p[key]
        if "initial_state" in sent:
            sent["reinitialize_state"] = bool(p.get("reinitialize_state", True))
        target = child
        transforms = p.get("num_spin_reversal_transforms")
        if transforms:
            from dwave.preprocessing import SpinReversalTransformComposite

            target = SpinReversalTransformComposite(child, seed=seed)
            sent["num_spin_reversal_transforms"] = int(transforms)
            sent["num_reads"] = max(1, num_reads // int(transforms))
        if is_mock(child) and "initial_state" in sent:
            # the mock's classical stand-in (SA) starts every read from the embedded state, annealing from cold:
            # a classical analogue of a reverse anneal, not a simulation of one
            target = MockReverseAnneal(target)
        t0 = time.perf_counter()
        with cloud_errors("sampling on the D-Wave QPU"), warnings.catch_warnings():
            if is_mock(child):
                warnings.filterwarnings("ignore", message=".*not mocked in MockDWaveSampler")
                warnings.simplefilter("ignore", dimod.exceptions.SamplerUnknownArgWarning)
            sampleset = FixedEmbeddingComposite(target, chosen).sample(bqm, **sent)
            sampleset.resolve()
        context = sampleset.info.get("embedding_context", {})
        info = {
            "qpu": qpu_name(child),
            "topology": dict(child.properties.get("topology", {})),
            "sample_seconds": time.perf_counter() - t0,
            "chain_strength": float(context.get("chain_strength", strength)),
            **timing_info(sampleset.info),
            **chain_statistics(chosen, sampleset),
            **emb_info,
        }
        if postprocess == "steepest":
            from dwave.samplers import SteepestDescentSolver

            raw_best = float(sampleset.first.energy)
            sampleset = SteepestDescentSolver().sample(bqm, initial_states=sampleset)
            info["raw_best_energy"] = raw_best
        info["sent"] = {k: v for k, v in sent.items()
                        if k not in ("return_embedding", "chain_strength", "initial_state", "anneal_schedule")}
        sampleset.info["qportfolio"] = info
        return sampleset
