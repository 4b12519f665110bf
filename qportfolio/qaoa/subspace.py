"""The Hamming-weight-K subspace indexed by combinatorial ranking: memory O(C(n, K)), no 2^n table.

The C(n, K) bitmasks with K bits set, in ascending order, are the K-subsets of {0..n-1} in colex
order, and the position of a mask with set bits c_1 < ... < c_K is its rank in the combinatorial
number system, sum_t C(c_t, t) (Knuth, TAOCP 7.2.1.3). So a basis needs its masks and a small
binomial table, not the 2^n lookup a table-based index needs (2^31 entries for port1's 31 qubits).

An XY edge (i, j) pairs a state with bit i set and bit j clear with the state where the bit moved
to j. For neighbours (j = i +- 1) the partner's position is the state's own plus or minus one
binomial coefficient (the bits below i keep their order): O(1). For other edges the partner is
ranked from scratch: O(n). The compiled kernels rotate, apply or contract the pairs on the fly,
so a mixer needs no per-edge index arrays either.
"""

from __future__ import annotations

import math

import numpy as np

from . import kernels


def binomial_table(n: int, k: int) -> np.ndarray:
    """``table[b, t] = C(b, t)`` for 0 <= b <= n, 0 <= t <= k (int64)."""
    table = np.zeros((n + 1, k + 1), dtype=np.int64)
    for b in range(n + 1):
        for t in range(min(b, k) + 1):
            table[b, t] = math.comb(b, t)
    return table


def weight_masks(n: int, k: int) -> np.ndarray:
    """The bitmasks of n bits with exactly k set, ascending (int64; n <= 62)."""
    if not 0 <= k <= n <= 62:
        raise ValueError(f"need 0 <= k <= n <= 62, got n={n}, k={k}")
    if kernels.HAVE_NUMBA:
        return _gosper(math.comb(n, k), k)
    return weight_masks_numpy(n, k)


def weight_masks_numpy(n: int, k: int) -> np.ndarray:
    """:func:`weight_masks` without numba (memory about C(n + 1, k + 1) int64: for small bases)."""
    # masks over h bits of weight w = those over h - 1 bits, then bit h - 1 set over h - 1 bits of weight w - 1
    prev = [np.zeros(1, dtype=np.int64) for _ in range(n + 1)]
    for w in range(1, k + 1):
        cur = [np.empty(0, dtype=np.int64) for _ in range(n + 1)]
        for h in range(w, n + 1):
            cur[h] = np.concatenate([cur[h - 1], (np.int64(1) << (h - 1)) | prev[h - 1]])
        prev = cur
    return prev[n]


def ranks(masks: np.ndarray, n: int, k: int, table: np.ndarray | None = None) -> np.ndarray:
    """Positions of weight-k ``masks`` in the ascending basis: sum over set bits of C(bit, index)."""
    table = binomial_table(n, k) if table is None else table
    masks = np.asarray(masks, dtype=np.int64)
    out = np.zeros(masks.shape, dtype=np.int64)
    seen = np.zeros(masks.shape, dtype=np.int64)
    for b in range(n):
        bit = ((masks >> b) & 1).astype(bool)
        seen += bit
        out += np.where(bit, table[b, np.minimum(seen, k)], 0)
    return out


if kernels.HAVE_NUMBA:
    from numba import njit, prange

    from .kernels import _rx_pair

    @njit(cache=True)
    def _gosper(size, k):
        out = np.empty(size, dtype=np.int64)
        c = (np.int64(1) << k) - 1
        for p in range(size):
            out[p] = c
            if c == 0:
                break
            u = c & -c
            v = c + u
            c = v + (((v ^ c) // u) >> 2)
        return out

    @njit(inline="always")
    def _popcount(x):
        count = 0
        while x:
            x &= x - 1
            count += 1
        return count

    @njit(inline="always")
    def _partner(p, m, i, j, table):
        """Position of m with its bit i moved to j (bit i set, bit j clear in m; p is m's position)."""
        if j == i + 1:
            return p + table[i, _popcount(m & ((np.int64(1) << i) - 1))]
        if i == j + 1:
            return p - table[j, _popcount(m & ((np.int64(1) << j) - 1))]
        other = m ^ ((np.int64(1) << i) | (np.int64(1) << j))
        rank = 0
        t = 0
        b = 0
        while other:
            if other & 1:
                t += 1
                rank += table[b, t]
            other >>= 1
            b += 1
        return rank

    @njit(parallel=True, cache=True, fastmath=True)
    def xy_rotate(x, masks, i, j, table, c, s):
        """exp(-i beta (XX + YY)/2) on qubits (i, j): (psi_a, psi_b) <- (c psi_a - i s psi_b, -i s psi_a + c psi_b)
        for every pair a (bit i set, j clear) and its partner b (x: float64 view of the state)."""
        bit_i, bit_j = np.int64(1) << i, np.int64(1) << j
        for p in prange(masks.size):
            m = masks[p]
            if (m & bit_i) and not (m & bit_j):
                _rx_pair(x, 2 * p, 2 * _partner(p, m, i, j, table), c, s)

    @njit(parallel=True, cache=True)
    def xy_generator(psi, masks, i, j, table):
        """(XX + YY)/2 psi on qubits (i, j): swaps each pair's amplitudes, zero elsewhere."""
        out = np.zeros_like(psi)
        bit_i, bit_j = np.int64(1) << i, np.int64(1) << j
        for p in prange(masks.size):
            m = masks[p]
            if (m & bit_i) and not (m & bit_j):
                q = _partner(p, m, i, j, table)
                out[p] = psi[q]
                out[q] = psi[p]
        return out

    @njit(parallel=True, cache=True)
    def xy_inner(lam, phi, masks, i, j, table):
        """<lam| (XX + YY)/2 |phi> on qubits (i, j), without forming the product vector."""
        re = 0.0
        im = 0.0
        bit_i, bit_j = np.int64(1) << i, np.int64(1) << j
        for p in prange(masks.size):
            m = masks[p]
            if (m & bit_i) and not (m & bit_j):
                q = _partner(p, m, i, j, table)
                v = np.conj(lam[p]) * phi[q] + np.conj(lam[q]) * phi[p]
                re += v.real
                im += v.imag
        return complex(re, im)

    @njit(parallel=True, cache=True)
    def xy_adjoint_step(lam, phi, masks, i, j, table, c, s):
        """One backward step of the adjoint gradient for edge (i, j), in one pass: returns
        <lam| (XX + YY)/2 |phi> and rotates both vectors by the gate with cos c, sin s (pairs are
        independent, so each pair's contribution is taken before that pair is rotated)."""
        re = 0.0
        im = 0.0
        bit_i, bit_j = np.int64(1) << i, np.int64(1) << j
        for p in prange(masks.size):
            m = masks[p]
            if (m & bit_i) and not (m & bit_j):
                q = _partner(p, m, i, j, table)
                lp, lq, fp, fq = lam[p], lam[q], phi[p], phi[q]
                v = np.conj(lp) * fq + np.conj(lq) * fp
                re += v.real
                im += v.imag
                # exp(-i angle G) on the pair: (a, b) <- (c a - i s b, -i s a + c b)
                phi[p] = c * fp - 1j * s * fq
                phi[q] = c * fq - 1j * s * fp
                lam[p] = c * lp - 1j * s * lq
                lam[q] = c * lq - 1j * s * lp
        return complex(re, im)
