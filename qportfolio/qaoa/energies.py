"""QUBO energies of every basis state, vectorised in chunks (the cost Hamiltonian's diagonal)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..formulations.qubo import QuboModel

CHUNK = 1 << 18


def bqm_matrices(bqm: Any, labels: list[str]) -> tuple[np.ndarray, np.ndarray, float]:
    """(linear, upper-triangular quadratic, offset) of a BQM in the order ``labels``."""
    lin, (rows, cols, vals), offset = bqm.to_numpy_vectors(variable_order=labels)
    quad = np.zeros((len(labels), len(labels)))
    np.add.at(quad, (np.minimum(rows, cols), np.maximum(rows, cols)), vals)
    return np.asarray(lin, dtype=float), quad, float(offset)


def qubo_matrices(qubo: QuboModel) -> tuple[np.ndarray, np.ndarray, float]:
    """(linear, upper-triangular quadratic, offset) in layout order."""
    return bqm_matrices(qubo.bqm, list(qubo.layout.labels))


def bits_energies(bits: np.ndarray, lin: np.ndarray, quad: np.ndarray, offset: float) -> np.ndarray:
    """E(x) of each row of 0/1 ``bits`` (offset included)."""
    b = np.asarray(bits, dtype=float)
    return offset + b @ lin + np.einsum("bi,bi->b", b @ quad, b)


def basis_energies(qubo: QuboModel, masks: np.ndarray) -> np.ndarray:
    """E(x) for each bitmask (bit q = variable q of the layout), including the offset."""
    lin, quad, offset = qubo_matrices(qubo)
    n = lin.shape[0]
    shifts = np.arange(n, dtype=np.int64)
    out = np.empty(masks.shape[0])
    for start in range(0, masks.shape[0], CHUNK):
        out[start : start + CHUNK] = bits_energies((masks[start : start + CHUNK, None] >> shifts) & 1, lin, quad, offset)
    return out
