"""A QUBO solver handed out as a dimod sampler (``QuboSolver.as_sampler``), and the facts every
sampler a hybrid composes is asked about.

dimod's samplers share one small interface: ``sample(bqm, **params) -> SampleSet`` with declared
``parameters`` and ``properties``. :class:`SolverSampler` gives every registered QUBO solver that
interface, so that a hybrid (``decompose``, kerberos, pt, or any dwave-hybrid workflow) composes it
the way it composes an Ocean sampler: options fixed and validated when the sampler is made, a seed
and the per-call facts passed to ``sample``, and what the hybrid must know about it read from
``properties["qportfolio"]`` (:class:`SamplerFacts`), never from its name.

The solver's hook sees the BQM through :class:`BqmModel`: the few things a hook reads of a QUBO
(the BQM, its variable order, a decoder), with a kept Hamming weight presented as a
selection-only problem of that cardinality (what an XY-mixer QAOA simulates).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import dimod
import numpy as np

from ..errors import ValidationError
from .base import resolve_seed
from .options import validate_options

#: The key of ``properties`` under which a sampler states its :class:`SamplerFacts`.
FACTS_KEY = "qportfolio"


@dataclass(frozen=True)
class SamplerFacts:
    """What a hybrid needs to know of a sampler, stated by the sampler (``properties["qportfolio"]``)."""

    solver: str  #: the name results and reports show
    largest_subproblem: int | None = None  #: most variables one call takes (None: no device limit)
    largest_subproblem_reason: str = ""  #: why (e.g. "the qubits of ibm_kyiv")
    keeps_hamming_weight: bool = False  #: every sample keeps the weight passed as ``hamming_weight`` (XY mixers)
    deterministic: bool = False  #: a call's samples depend only on the BQM, the seed and the options
    mock: bool = False  #: a classical stand-in for a quantum device (label it so in reports)
    control: bool = False  #: a control of an experiment (chance, a perfect subsolver), not a device

    def as_properties(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, sampler: Any) -> SamplerFacts:
        """The facts a sampler states, or for any other dimod sampler those that can be read off it
        (a structured sampler's largest embeddable clique)."""
        stated = (getattr(sampler, "properties", None) or {}).get(FACTS_KEY)
        if isinstance(stated, Mapping):
            return cls(**{k: v for k, v in stated.items() if k in cls.__dataclass_fields__})
        name = f"dimod:{type(sampler).__name__}"
        if hasattr(sampler, "to_networkx_graph"):
            return cls(name, clique_size(sampler), f"the largest clique that embeds on {type(sampler).__name__}")
        return cls(name)


def clique_size(sampler: Any) -> int:
    """The largest clique that embeds in a structured sampler's graph (minorminer's busclique, as
    dwave-system's ``DWaveCliqueSampler.largest_clique_size`` computes it)."""
    from minorminer.busclique import busgraph_cache

    return len(busgraph_cache(sampler.to_networkx_graph()).largest_clique())


# ------------------------------------------------------------------------------------ the model a hook sees
@dataclass(frozen=True)
class _Layout:
    labels: tuple[str, ...]


@dataclass(frozen=True)
class _Problem:
    cardinality: int
    selection_only: bool
    fingerprint: str

    @property
    def name(self) -> str:
        return f"bqm-{self.fingerprint}"


@dataclass(frozen=True)
class _Decoded:
    feasible: np.ndarray


@dataclass(frozen=True)
class BqmModel:
    """Any BQM in the shape of a QUBO that a solver's ``_sample`` reads: its BQM, variable order and a
    decoder whose only constraint is a kept Hamming weight (every assignment is feasible when none
    is kept); ``incumbent`` holds current values a warm start begins at."""

    bqm: dimod.BinaryQuadraticModel
    labels: tuple[str, ...]
    weight: int | None = None
    incumbent: np.ndarray | None = None
    calibration: None = None  #: no penalties of its own
    structure: None = None  #: no portfolio structure: samplers of the structured form refuse it

    @property
    def num_variables(self) -> int:
        return len(self.labels)

    @property
    def has_bqm(self) -> bool:
        return True

    @property
    def offset(self) -> float:
        return float(self.bqm.offset)

    @property
    def layout(self) -> _Layout:
        return _Layout(self.labels)

    @property
    def problem(self) -> _Problem:
        digest = hashlib.sha1(repr(self.labels).encode()).hexdigest()[:12]
        return _Problem(self.weight if self.weight is not None else 0, self.weight is not None, digest)

    def decode(self, samples: Any) -> _Decoded:
        if isinstance(samples, dimod.SampleSet):
            samples = samples.record.sample[:, [samples.variables.index(v) for v in self.labels]]
        x = np.atleast_2d(np.asarray(samples))
        ok = np.ones(x.shape[0], dtype=bool) if self.weight is None else x.sum(axis=1) == self.weight
        return _Decoded(ok)


# ------------------------------------------------------------------------------------ the sampler
class SolverSampler(dimod.Sampler):
    """A registered QUBO solver as a dimod sampler on any BQM (see the module docstring). Made by
    ``QuboSolver.as_sampler(**options)``; the options are the solver's own (its ``sampler_options``
    less ``seed``), validated here, so that a wrong one fails before any sampling."""

    def __init__(self, solver: Any, options: Mapping[str, Any]) -> None:
        if not solver.subproblem_solver:
            raise ValidationError(f"{solver.name} samples the structured QUBO of a portfolio problem, not any BQM: "
                                  "it cannot run as a dimod sampler")
        own = {k: v for k, v in solver.sampler_options.items() if k != "seed"}
        checked = validate_options(solver.name, own, options)
        self.solver = solver
        self.options = {**solver.defaults, **checked}
        limit, why = solver.largest_subproblem(self.options)
        self.facts = SamplerFacts(solver.name, limit, why, solver.keeps_hamming_weight(self.options),
                                  solver.deterministic_calls)
        self._parameters = {"seed": [], "incumbent": []}
        if self.facts.keeps_hamming_weight:
            self._parameters["hamming_weight"] = []

    @property
    def parameters(self) -> dict[str, Any]:
        """``seed`` (None: a fresh one), ``incumbent`` (the variables' current values, where a warm start
        begins) and, for a sampler that keeps a Hamming weight, ``hamming_weight``."""
        return {k: list(v) for k, v in self._parameters.items()}

    @property
    def properties(self) -> dict[str, Any]:
        return {FACTS_KEY: self.facts.as_properties(), "options": dict(self.options)}

    def sample(self, bqm: dimod.BinaryQuadraticModel, *, seed: int | None = None, hamming_weight: int | None = None,
               incumbent: Any = None) -> dimod.SampleSet:
        """The solver's samples of ``bqm`` (energies of ``bqm``; the solver's figures in ``info["qportfolio"]``)."""
        if bqm.vartype is dimod.SPIN:
            return self.sample(bqm.change_vartype(dimod.BINARY, inplace=False), seed=seed, hamming_weight=hamming_weight,
                               incumbent=incumbent).change_vartype(dimod.SPIN, inplace=False)
        labels = tuple(bqm.variables)
        if self.facts.keeps_hamming_weight and hamming_weight is None:
            raise ValidationError(f"hamming_weight: {self.facts.solver} with these options keeps a Hamming weight; pass "
                                  "hamming_weight=<the weight its samples keep>")
        if hamming_weight is not None and not self.facts.keeps_hamming_weight:
            raise ValidationError(f"hamming_weight: {self.facts.solver} with these options does not keep a Hamming weight")
        if hamming_weight is not None and not 0 <= int(hamming_weight) <= len(labels):
            raise ValidationError(f"hamming_weight must be in [0, {len(labels)}] (the variables), got {hamming_weight}")
        model = BqmModel(bqm, labels, None if hamming_weight is None else int(hamming_weight), _values(incumbent, labels))
        seed = resolve_seed(seed) if self.solver.seeded else None
        run = self.solver._sample(model, seed=seed, **self.solver.sample_params(self.options))
        samples, order = dimod.as_samples(run.sampleset)
        columns = [order.index(v) for v in labels]
        return dimod.SampleSet.from_samples_bqm((samples[:, columns], list(labels)), bqm,
                                                num_occurrences=run.sampleset.record.num_occurrences,
                                                info={FACTS_KEY: {**run.info, "seed": seed}}, sort_labels=False)


def _values(incumbent: Any, labels: tuple[str, ...]) -> np.ndarray | None:
    """An incumbent given as a mapping or in ``labels`` order, as an array in ``labels`` order."""
    if incumbent is None:
        return None
    if isinstance(incumbent, Mapping):
        missing = [v for v in labels if v not in incumbent]
        if missing:
            raise ValidationError(f"incumbent has no value for {len(missing)} variable(s), e.g. {missing[0]!r}")
        return np.array([incumbent[v] for v in labels], dtype=float)
    values = np.asarray(incumbent, dtype=float).ravel()
    if values.size != len(labels):
        raise ValidationError(f"incumbent must have one value per variable ({len(labels)}), got {values.size}")
    return values
