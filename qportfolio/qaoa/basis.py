"""The computational basis a QAOA simulation runs in.

State position p holds basis state ``masks[p]``, a bitmask in which bit q is qubit q (Qiskit's
little-endian order) and QUBO variable q. The full space has masks = 0 .. 2^n - 1; the
Hamming-weight-K subspace (what an XY mixer started from a Dicke state never leaves) has the
C(n, K) masks with K bits set, with a lookup table from mask to position.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import SolverError

#: Bytes per basis state a simulation needs: state, energy and two work vectors (complex128).
BYTES_PER_STATE = 16 + 8 + 2 * 16


@dataclass(frozen=True)
class Basis:
    num_qubits: int
    masks: np.ndarray  # sorted ascending, int64
    weight: int | None  # None for the full space
    lookup: np.ndarray | None  # mask -> position (-1 outside); None for the full space (identity)

    @property
    def size(self) -> int:
        return int(self.masks.shape[0])

    @property
    def is_full(self) -> bool:
        return self.weight is None

    def positions(self, masks: np.ndarray) -> np.ndarray:
        """Positions of the given masks (all must lie in the basis)."""
        return masks if self.lookup is None else self.lookup[masks]

    @staticmethod
    def required_bytes(num_qubits: int, weight: int | None = None) -> int:
        """Memory a simulation in this basis needs, before anything is allocated."""
        if weight is None:
            return BYTES_PER_STATE * (1 << num_qubits)
        return BYTES_PER_STATE * math.comb(num_qubits, weight) + 9 * (1 << num_qubits)  # + lookup build

    @classmethod
    def full(cls, num_qubits: int, max_bytes: int) -> Basis:
        check_memory(num_qubits, None, max_bytes)
        return cls(num_qubits, np.arange(1 << num_qubits, dtype=np.int64), None, None)

    @classmethod
    def hamming(cls, num_qubits: int, weight: int, max_bytes: int) -> Basis:
        check_memory(num_qubits, weight, max_bytes)
        counts = np.bitwise_count(np.arange(1 << num_qubits, dtype=np.uint32))
        masks = np.flatnonzero(counts == weight).astype(np.int64)
        del counts
        dtype = np.int32 if masks.size < 2**31 else np.int64
        lookup = np.full(1 << num_qubits, -1, dtype=dtype)
        lookup[masks] = np.arange(masks.size, dtype=dtype)
        return cls(num_qubits, masks, weight, lookup)


def check_memory(num_qubits: int, weight: int | None, max_bytes: int) -> None:
    """Refuse, before allocating, a simulation larger than ``max_bytes``."""
    need = Basis.required_bytes(num_qubits, weight)
    if need > max_bytes:
        if weight is None:
            space = f"2^{num_qubits} amplitudes"
        else:
            space = f"C({num_qubits}, {weight}) = {math.comb(num_qubits, weight):,} amplitudes and a 2^{num_qubits} lookup table"
        raise SolverError(
            f"qaoa-fast: {num_qubits} qubits need {space}, about {need / 2**30:,.1f} GiB, over the limit of "
            f"{max_bytes / 2**30:.1f} GiB (option max_memory_gb); use fewer assets, a coarser weight_step, "
            "the selection-only mode with an XY mixer, or an annealing solver"
        )
