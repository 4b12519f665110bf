"""Subproblems of a portfolio QUBO and the selections that choose them (for ``decompose``).

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

Who samples them is not this module's business: ``decompose`` hands each subproblem to any dimod
sampler (a registered solver's ``as_sampler()``, an Ocean sampler, or a control of
:mod:`.controls`).
"""

from __future__ import annotations

from dataclasses import dataclass

import dimod
import numpy as np
import scipy.sparse as sp

from ..formulations.qubo import QuboModel


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
