"""Where each QUBO variable sits: its label, asset, unit coefficient, role and parent.

Per asset i: a selection bit ``s_i`` ("<asset>:sel") worth lo_i units and weight bits ``b_ij``
("<asset>:w<j>") worth c_ij units, sum_j c_ij = R_i = hi_i - lo_i, laid out by a weight encoding
(:mod:`qportfolio.encodings`: bounded binary by default, unary, domain-wall, bounded-coefficient).
hi_i is the problem's unit cap (:attr:`~qportfolio.problem.PortfolioProblem.unit_caps`), the most
any asset holds in a feasible portfolio. Each weight bit has a parent (the selection bit, or the
previous bit in a domain wall). In selection-only mode (lo == hi) there are no weight bits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...encodings import WeightEncoding, get_encoding
from ...errors import ValidationError
from ...problem import PortfolioProblem


@dataclass(frozen=True)
class VariableLayout:
    """Where each variable sits: its label, owning asset, unit coefficient, role and parent."""

    labels: tuple[str, ...]
    asset: np.ndarray  # owning asset index of each variable
    coefficient: np.ndarray  # units contributed when the variable is 1 (lo_i for a selection bit)
    is_selection: np.ndarray  # bool per variable
    selection_index: np.ndarray  # variable index of each asset's selection bit
    parent: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # parent variable (-1: none)
    encoding: WeightEncoding = field(default_factory=lambda: get_encoding(None))  #: the object, custom ones included

    @property
    def num_variables(self) -> int:
        return len(self.labels)


def bounded_coefficients(span: int) -> np.ndarray:
    """Coefficients 1, 2, ..., 2^(k-1), r whose subset sums are exactly 0..span."""
    return get_encoding("binary").coefficients(span)


def encoded_unit_bounds(problem: PortfolioProblem) -> tuple[np.ndarray, np.ndarray]:
    """The unit range each asset's bits must cover: [lo_i, min(hi_i, U - (K - 1) lo_min)].

    The upper end is the problem's :attr:`~qportfolio.problem.PortfolioProblem.unit_caps`: bits
    beyond it could never be set in a feasible assignment. Leaving them out changes no feasible
    point, removes variables (port1, K = 10, step 0.05: 11 instead of 20 unit bits per asset in
    unary) and shrinks the box the penalties are calibrated on, so they are smaller too.
    """
    return problem.unit_bounds[0], problem.unit_caps


def build_layout(problem: PortfolioProblem, encoding: str | WeightEncoding | None = None) -> VariableLayout:
    """Variables of ``problem`` under ``encoding`` (see :mod:`qportfolio.encodings`)."""
    enc = get_encoding(encoding)
    lo, hi = encoded_unit_bounds(problem)
    labels: list[str] = []
    asset, coefficient, is_sel, sel_index, parent = [], [], [], [], []
    for i, name in enumerate(problem.assets):
        if lo[i] > hi[i]:
            raise ValidationError(f"asset {name!r} has no grid weight inside its bounds")
        first = len(labels)
        sel_index.append(first)
        labels.append(f"{name}:sel")
        asset.append(i)
        coefficient.append(lo[i])
        is_sel.append(True)
        parent.append(-1)
        coeffs = enc.coefficients(int(hi[i] - lo[i]))
        for j, (c, up) in enumerate(zip(coeffs, enc.parents(len(coeffs)))):
            labels.append(f"{name}:w{j}")
            asset.append(i)
            coefficient.append(int(c))
            is_sel.append(False)
            parent.append(first if up < 0 else first + 1 + int(up))
    return VariableLayout(
        labels=tuple(labels),
        asset=np.array(asset, dtype=np.int64),
        coefficient=np.array(coefficient, dtype=np.int64),
        is_selection=np.array(is_sel, dtype=bool),
        selection_index=np.array(sel_index, dtype=np.int64),
        parent=np.array(parent, dtype=np.int64),
        encoding=enc,
    )
