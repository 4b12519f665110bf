"""QUBO energies of every basis state, vectorised in chunks (the cost Hamiltonian's diagonal)."""

from __future__ import annotations

import numpy as np

from ..formulations.qubo import QuboModel

CHUNK = 1 << 18


def qubo_matrices(qubo: QuboModel) -> tuple[np.ndarray, np.ndarray, float]:
    """(linear, upper-triangular quadratic, offset) in layout order."""
    labels = list(qubo.layout.labels)
    lin, (rows, cols, vals), offset = qubo.bqm.to_numpy_vectors(variable_order=labels)
    n = len(labels)
    quad = np.zeros((n, n))
    np.add.at(quad, (np.minimum(rows, cols), np.maximum(rows, cols)), vals)
    return lin.astype(float), quad, float(offset)


def basis_energies(qubo: QuboModel, masks: np.ndarray) -> np.ndarray:
    """E(x) for each bitmask (bit q = variable q of the layout), including the offset."""
    lin, quad, offset = qubo_matrices(qubo)
    n = lin.shape[0]
    shifts = np.arange(n, dtype=np.int64)
    out = np.empty(masks.shape[0])
    for start in range(0, masks.shape[0], CHUNK):
        bits = ((masks[start : start + CHUNK, None] >> shifts) & 1).astype(float)
        out[start : start + CHUNK] = offset + bits @ lin + np.einsum("bi,bi->b", bits @ quad, bits)
    return out
