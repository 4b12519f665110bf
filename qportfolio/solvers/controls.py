"""The two controls every subsolver table needs, as dimod samplers: ``random`` (chance: the best of
N uniform assignments) and ``exhaustive`` (a perfect subsolver: the exact optimum by enumeration).

Beside a quantum subsolver they tell what it adds over chance and how far it is from perfect. Both
take ``hamming_weight`` (then they draw or enumerate only assignments of that weight, as an XY
mixer would) and state ``control: True`` in ``properties["qportfolio"]``, so that results label
them controls, not devices.
"""

from __future__ import annotations

from typing import Any

import dimod
import numpy as np

from ..errors import ValidationError
from ..qaoa.energies import bits_energies, bqm_matrices
from ..qaoa.sampling import bits_of
from .options import COUNT, Option
from .solver_sampler import FACTS_KEY, SamplerFacts

READS = Option("num_reads", "uniform assignments drawn per call", COUNT, default=1024)
#: Largest subproblem the exhaustive control enumerates (2^24 states, ~0.1 GB of energies).
EXHAUSTIVE_MAX = 24


def _sampleset(bits: np.ndarray, labels: list[Any], energies: np.ndarray, counts: np.ndarray | None = None
               ) -> dimod.SampleSet:
    return dimod.SampleSet.from_samples((bits.astype(np.int8), labels), dimod.BINARY, energy=energies,
                                        num_occurrences=counts)


def random_assignments(bqm: dimod.BinaryQuadraticModel, weight: int | None, reads: int,
                       rng: np.random.Generator) -> dimod.SampleSet:
    """``reads`` uniformly random assignments (of Hamming weight ``weight`` when given), aggregated."""
    labels = list(bqm.variables)
    n = len(labels)
    if weight is None:
        bits = rng.integers(0, 2, size=(reads, n), dtype=np.int8)
    else:
        keys = rng.random((reads, n))
        ranks = np.argsort(np.argsort(keys, axis=1), axis=1)
        bits = (ranks < weight).astype(np.int8)
    unique, counts = np.unique(bits, axis=0, return_counts=True)
    return _sampleset(unique, labels, bits_energies(unique, *bqm_matrices(bqm, labels)), counts)


def exhaustive_optimum(bqm: dimod.BinaryQuadraticModel, weight: int | None) -> dimod.SampleSet:
    """The BQM's exact optimum (over weight-``weight`` assignments when given), by enumeration."""
    labels = list(bqm.variables)
    n = len(labels)
    if n > EXHAUSTIVE_MAX:
        raise ValidationError(f"subsolver exhaustive enumerates at most {EXHAUSTIVE_MAX} variables; got a subproblem "
                              f"of {n} (lower subproblem_size)")
    from ..qaoa.subspace import weight_masks

    masks = np.arange(1 << n, dtype=np.int64) if weight is None else weight_masks(n, weight)
    lin, quad, off = bqm_matrices(bqm, labels)
    best_e, best_m = np.inf, 0
    for start in range(0, masks.size, 1 << 16):
        chunk = masks[start:start + (1 << 16)]
        e = bits_energies(bits_of(chunk, n), lin, quad, off)
        k = int(np.argmin(e))
        if e[k] < best_e:
            best_e, best_m = float(e[k]), int(chunk[k])
    return _sampleset(bits_of(np.array([best_m]), n), labels, np.array([best_e]))


def _binary(bqm: dimod.BinaryQuadraticModel) -> dimod.BinaryQuadraticModel:
    return bqm if bqm.vartype is dimod.BINARY else bqm.change_vartype(dimod.BINARY, inplace=False)


def _as(vartype: dimod.Vartype, sampleset: dimod.SampleSet) -> dimod.SampleSet:
    return sampleset if vartype is dimod.BINARY else sampleset.change_vartype(vartype, inplace=False)


class RandomControl(dimod.Sampler):
    """Chance: ``num_reads`` uniform assignments (of the given ``hamming_weight``), aggregated."""

    def __init__(self, **options: Any) -> None:
        unknown = sorted(set(options) - {"num_reads"})
        if unknown:
            raise ValidationError(f"subsolver random takes num_reads; got {', '.join(unknown)}")
        self.num_reads = int(READS.validate(options.get("num_reads", READS.default), "subsolver random"))

    @property
    def parameters(self) -> dict[str, Any]:
        return {"seed": [], "hamming_weight": []}

    @property
    def properties(self) -> dict[str, Any]:
        return {FACTS_KEY: SamplerFacts("random", deterministic=True, control=True).as_properties(),
                "num_reads": self.num_reads}

    def sample(self, bqm: dimod.BinaryQuadraticModel, *, seed: int | None = None,
               hamming_weight: int | None = None) -> dimod.SampleSet:
        rng = np.random.default_rng(seed)
        return _as(bqm.vartype, random_assignments(_binary(bqm), hamming_weight, self.num_reads, rng))


class ExhaustiveControl(dimod.Sampler):
    """A perfect subsolver: the exact optimum (over the given ``hamming_weight``), by enumeration."""

    def __init__(self, **options: Any) -> None:
        if options:
            raise ValidationError(f"subsolver exhaustive takes no options; got {', '.join(sorted(options))}")

    @property
    def parameters(self) -> dict[str, Any]:
        return {"hamming_weight": []}

    @property
    def properties(self) -> dict[str, Any]:
        facts = SamplerFacts("exhaustive", EXHAUSTIVE_MAX, "exhaustive enumeration", deterministic=True, control=True)
        return {FACTS_KEY: facts.as_properties()}

    def sample(self, bqm: dimod.BinaryQuadraticModel, *, hamming_weight: int | None = None) -> dimod.SampleSet:
        return _as(bqm.vartype, exhaustive_optimum(_binary(bqm), hamming_weight))


#: The controls by the names ``subsolver`` takes.
CONTROLS: dict[str, type[dimod.Sampler]] = {"random": RandomControl, "exhaustive": ExhaustiveControl}
