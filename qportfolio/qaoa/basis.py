"""The computational basis a QAOA simulation runs in.

State position p holds basis state ``masks[p]``, a bitmask in which bit q is qubit q (Qiskit's
little-endian order) and QUBO variable q. The full space has masks = 0 .. 2^n - 1; the
Hamming-weight-K subspace (what an XY mixer started from a Dicke state never leaves) has the
C(n, K) masks with K bits set, ascending, and finds a mask's position by combinatorial ranking
(:mod:`.subspace`): its memory is O(C(n, K)), with no 2^n table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..errors import SolverError

#: Bytes per basis state a simulation holds at most: the state and the adjoint vector (complex128),
#: the energies and the probabilities (float64), the bitmasks (int64). Gradients contract the mixer's
#: generator in place and sampling reuses the probabilities, so nothing else of that size is allocated.
BYTES_PER_STATE = 16 + 16 + 8 + 8 + 8


@dataclass(frozen=True)
class Basis:
    num_qubits: int
    masks: np.ndarray  # sorted ascending, int64
    weight: int | None  # None for the full space
    max_bytes: int = field(default=0, compare=False)  # the allowance it was built under (mixers' caches fit in it)

    @property
    def size(self) -> int:
        return int(self.masks.shape[0])

    @property
    def is_full(self) -> bool:
        return self.weight is None

    @cached_property
    def binomials(self) -> np.ndarray:
        """C(b, t) for b <= n, t <= K: the ranking table of a weight-K basis."""
        from .subspace import binomial_table

        return binomial_table(self.num_qubits, self.weight or 0)

    def positions(self, masks: np.ndarray) -> np.ndarray:
        """Positions of the given masks (all must lie in the basis)."""
        if self.weight is None:
            return masks
        from .subspace import ranks

        return ranks(masks, self.num_qubits, self.weight, self.binomials)

    @staticmethod
    def required_bytes(num_qubits: int, weight: int | None = None) -> int:
        """Memory a simulation in this basis needs, before anything is allocated."""
        states = (1 << num_qubits) if weight is None else math.comb(num_qubits, weight)
        return BYTES_PER_STATE * states

    @classmethod
    def full(cls, num_qubits: int, max_bytes: int) -> Basis:
        check_memory(num_qubits, None, max_bytes)
        return cls(num_qubits, np.arange(1 << num_qubits, dtype=np.int64), None, max_bytes)

    @classmethod
    def hamming(cls, num_qubits: int, weight: int, max_bytes: int) -> Basis:
        from .subspace import weight_masks

        check_memory(num_qubits, weight, max_bytes)
        return cls(num_qubits, weight_masks(num_qubits, weight), weight, max_bytes)


def check_memory(num_qubits: int, weight: int | None, max_bytes: int) -> None:
    """Refuse, before allocating, a simulation larger than ``max_bytes``."""
    need = Basis.required_bytes(num_qubits, weight)
    if need > max_bytes:
        if weight is None:
            space = f"2^{num_qubits} amplitudes"
        else:
            space = f"C({num_qubits}, {weight}) = {math.comb(num_qubits, weight):,} amplitudes"
        raise SolverError(
            f"qaoa-numpy: {num_qubits} qubits need {space}, about {need / 2**30:,.1f} GiB, over the limit of "
            f"{max_bytes / 2**30:.1f} GiB (option max_memory_gb); use fewer assets, a coarser weight_step, "
            "the selection-only mode with an XY mixer, or an annealing solver"
        )
