"""Subproblems of a portfolio QUBO and the subsolvers that sample them (for ``decompose``).

A subproblem fixes every variable but a chosen few at the incumbent's values: what is left is a
small QUBO whose energy, with the fixed part as its offset, equals the full energy. It is built
from a sparse copy of the full QUBO (h_S + Q_{S,rest} x_rest, Q_{S,S}), so a step costs a few
sparse rows, not a pass over every coupling.

Which variables: portfolio-aware selections pick a few assets, mixing held and unheld ones, and
take from each either all of its bits (``assets``) or the bits around its domain wall
(``wall``: the last set and first clear bits of a unary/domain-wall chain, and the selection bit
when the wall is at the bottom), so a 20-variable subproblem can move units between four or five
assets. In a unary or domain-wall encoding every chain bit is one unit: a subproblem that keeps
its Hamming weight keeps the budget (``preserve_weight``), the fixed-weight problem an XY mixer
never leaves.

Who samples: any registered QUBO solver whose hook needs only the subproblem's BQM (``sa``,
``tabu``, ``dwave-qpu`` with the mock, ``qaoa-fast``, ``qaoa``, ...), any dimod sampler object,
and two controls every table needs: ``random`` (the best of N uniform assignments, of the same
weight when weight is kept) and ``exhaustive`` (the subproblem's exact optimum).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import dimod
import numpy as np
import scipy.sparse as sp

from ..errors import ValidationError
from ..formulations.qubo import QuboModel
from ..qaoa.energies import bits_energies, bqm_matrices
from ..qaoa.sampling import bits_of

#: Largest subproblem the exhaustive control enumerates (2^24 states, ~0.1 GB of energies).
EXHAUSTIVE_MAX = 24
#: Subsolvers that are controls, not devices.
CONTROLS = ("random", "exhaustive")


@dataclass(frozen=True)
class SparseQubo:
    """The full QUBO as a symmetric sparse matrix (zero diagonal) and a linear vector, layout order."""

    linear: np.ndarray
    coupling: sp.csr_matrix  # Q + Q^T of the upper triangle: x^T Q x / 2 is the quadratic energy
    offset: float
    labels: tuple[str, ...]

    @classmethod
    def of(cls, qubo: QuboModel) -> SparseQubo:
        labels = list(qubo.layout.labels)
        lin, (rows, cols, vals), offset = qubo.bqm.to_numpy_vectors(variable_order=labels)
        n = len(labels)
        upper = sp.coo_matrix((vals, (rows, cols)), shape=(n, n))
        return cls(np.asarray(lin, float), (upper + upper.T).tocsr(), float(offset), tuple(labels))

    def energy(self, x: np.ndarray) -> float:
        x = np.asarray(x, dtype=float)
        return float(self.offset + self.linear @ x + 0.5 * x @ (self.coupling @ x))

    def subproblem(self, x: np.ndarray, variables: np.ndarray) -> dimod.BinaryQuadraticModel:
        """The BQM over ``variables`` with the others fixed at ``x``; its energies are full energies."""
        variables = np.asarray(variables, dtype=np.int64)
        x = np.asarray(x, dtype=float)
        rest = x.copy()
        rest[variables] = 0.0
        rows = self.coupling[variables]
        linear = self.linear[variables] + rows @ rest
        block = rows[:, variables].toarray()
        offset = self.energy(rest)
        labels = [self.labels[v] for v in variables]
        upper = np.triu(block, 1)
        r, c = np.nonzero(upper)
        return dimod.BinaryQuadraticModel.from_numpy_vectors(linear, (r, c, upper[r, c]), offset, dimod.BINARY,
                                                             variable_order=labels)


# ------------------------------------------------------------------------------------ selections
SELECTIONS = ("wall", "assets", "energy-impact")


def asset_bits(qubo: QuboModel) -> list[np.ndarray]:
    """Per asset, its variables in chain order: the selection bit first, then its weight bits."""
    lay = qubo.layout
    out = []
    for i in range(qubo.problem.n):
        own = np.flatnonzero(lay.asset == i)
        sel = lay.selection_index[i]
        out.append(np.concatenate([[sel], own[own != sel]]).astype(np.int64))
    return out


def wall_window(bits: np.ndarray, x: np.ndarray, width: int) -> np.ndarray:
    """The bits of one asset around its wall: up to ``width`` set weight bits below it and ``width``
    clear ones above it, and the selection bit when the wall is within ``width`` of the bottom."""
    weight_bits = bits[1:]
    held = int(x[weight_bits].sum()) if weight_bits.size else 0
    low, high = max(0, held - width), min(weight_bits.size, held + width)
    window = list(weight_bits[low:high])
    if low == 0 or not x[bits[0]]:
        window = [bits[0], *window]
    return np.array(window, dtype=np.int64)


def choose_assets(x: np.ndarray, selection_bits: np.ndarray, rng: np.random.Generator) -> list[int]:
    """Assets in the order a subproblem takes them: held and unheld alternating, each group shuffled."""
    held = rng.permutation(np.flatnonzero(x[selection_bits] == 1))
    free = rng.permutation(np.flatnonzero(x[selection_bits] == 0))
    order: list[int] = []
    for a, b in zip(held, free):
        order += [int(a), int(b)]
    longer = held if held.size > free.size else free
    order += [int(v) for v in longer[min(held.size, free.size):]]
    return order


def portfolio_variables(qubo: QuboModel, x: np.ndarray, size: int, mode: str, rng: np.random.Generator,
                        bits: list[np.ndarray], width: int = 2) -> np.ndarray:
    """At most ``size`` variables of whole assets (``assets``) or asset walls (``wall``)."""
    chosen: list[int] = []
    for asset in choose_assets(x, qubo.layout.selection_index, rng):
        part = bits[asset] if mode == "assets" else wall_window(bits[asset], x, width)
        if len(chosen) + part.size > size:
            if len(chosen) >= 2:
                continue  # a smaller window of a later asset may still fit
            part = part[: size - len(chosen)]
        chosen += [int(v) for v in part]
        if len(chosen) >= size:
            break
    return np.array(sorted(set(chosen)), dtype=np.int64)


# ------------------------------------------------------------------------------------ subsolvers
@dataclass(frozen=True)
class SubproblemView:
    """What a registered QUBO solver's ``_sample`` sees of a subproblem: a QuboModel-shaped object
    with the subproblem's BQM and variable order; a kept Hamming weight is presented as a
    selection-only problem of that cardinality (what the XY-mixer QAOA paths need)."""

    bqm: dimod.BinaryQuadraticModel
    labels: tuple[str, ...]
    weight: int | None
    fingerprint: str
    incumbent: np.ndarray | None = None  #: the incumbent's values of these variables (a warm start begins there)
    calibration: None = None  #: no penalties of its own

    @property
    def num_variables(self) -> int:
        return len(self.labels)

    @property
    def has_bqm(self) -> bool:
        return True  # a subproblem is its BQM

    @property
    def layout(self) -> Any:
        return _Layout(self.labels)

    @property
    def problem(self) -> Any:
        return _Problem(self.weight if self.weight is not None else 0, self.weight is not None,
                        f"{self.fingerprint}-sub")

    def decode(self, samples: Any) -> Any:
        """Feasibility within the subproblem: the kept weight (every assignment when none is kept)."""
        x = np.atleast_2d(np.asarray(samples))
        ok = np.ones(x.shape[0], dtype=bool) if self.weight is None else x.sum(axis=1) == self.weight
        return _Decoded(ok)


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
        return f"subproblem-{self.fingerprint}"


@dataclass(frozen=True)
class _Decoded:
    feasible: np.ndarray


@dataclass
class SubsolverCall:
    """One subsolver call's figures."""

    sampleset: dimod.SampleSet
    seconds: float
    info: dict[str, Any] = field(default_factory=dict)


def _sampleset(bits: np.ndarray, labels: list[str], energies: np.ndarray, counts: np.ndarray | None = None
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
    """The subproblem's exact optimum (over weight-``weight`` assignments when given), by enumeration."""
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


def clique_size(sampler: Any) -> int:
    """The largest clique that embeds in a structured sampler's graph (minorminer's busclique, as
    dwave-system's ``DWaveCliqueSampler.largest_clique_size`` computes it)."""
    from minorminer.busclique import busgraph_cache

    return len(busgraph_cache(sampler.to_networkx_graph()).largest_clique())


def qubits_that_fit(max_bytes: int) -> int:
    """The most qubits a full-space statevector simulation fits in ``max_bytes``."""
    from ..qaoa.basis import BYTES_PER_STATE

    return max(1, math.floor(math.log2(max(max_bytes, 1) / BYTES_PER_STATE)))
