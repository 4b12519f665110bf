"""Compiled kernels for the full-space simulator (numba when installed; the numpy path otherwise).

Pure numpy needs about n passes over the 2^n state for the X mixer, each with temporaries: at 20
qubits ~0.14 s per layer, no faster than Qiskit Aer. These kernels work on the float64 view of
the state (re, im interleaved) and apply a whole QAOA layer in two cache-blocked passes:

1. per block of 2^L contiguous amplitudes: the cost phase exp(-i gamma (E - shift)), then RX on
   every low qubit q < L while the block sits in cache;
2. per strip of columns of the (2^H x 2^L) view: RX on every high qubit.

Both passes rotate two qubits per sweep (four amplitudes held in registers), halving cache traffic.

The phase uses its own sincos (Cody-Waite reduction by pi/2 in three parts, Taylor polynomials to
degree 17/18 on |r| <= pi/4, error ~1e-18 for |theta| < 1e4) so that it vectorises; ``shift`` (the
mean energy) only changes the global phase and keeps theta small. Compiled without reassociation
so that the extended-precision reduction survives. Equal to the numpy path to ~1e-18.
"""

from __future__ import annotations

import contextlib
import math
import os

import numpy as np

try:  # pragma: no cover - import guard
    if os.environ.get("QPORTFOLIO_NO_NUMBA"):
        raise ImportError("disabled by QPORTFOLIO_NO_NUMBA")
    from numba import njit, prange

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    HAVE_NUMBA = False

_FASTMATH = {"nnan", "ninf", "nsz", "contract", "arcp"}  # no 'reassoc': keeps the range reduction exact
_TWO_OVER_PI = 2.0 / math.pi
_P1, _P2, _P3 = 1.5707963267341256e00, 6.0771005065061922e-11, 2.0222662487959506e-21  # pi/2 in three parts
_S = tuple((-1) ** k / math.factorial(2 * k + 1) for k in range(1, 9))
_C = tuple((-1) ** k / math.factorial(2 * k) for k in range(1, 10))
_S1, _S2, _S3, _S4, _S5, _S6, _S7, _S8 = _S
_C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, _C9 = _C
MAX_HIGH = 5  # qubits handled by the strip pass; the rest by the block pass (blocks of 2^(n-5))
STRIP = 256


@contextlib.contextmanager
def interleaved():
    """Raise the parallel threshold while kernels alternate with numpy calls (the adjoint gradient):
    there numba's idle workers fall asleep between calls and waking them costs ~2 ms a call."""
    global PARALLEL_MIN
    saved, PARALLEL_MIN = PARALLEL_MIN, max(PARALLEL_MIN, SERIAL_BELOW_WHEN_INTERLEAVED)
    try:
        yield
    finally:
        PARALLEL_MIN = saved
PARALLEL_MIN = 1 << 16  # below this many amplitudes a kernel runs on one thread
SERIAL_BELOW_WHEN_INTERLEAVED = 1 << 18  # threshold while numpy work sits between kernel calls (gradients)

if HAVE_NUMBA:

    class _Twin:
        """A kernel compiled twice: threaded for large inputs, single-threaded below PARALLEL_MIN
        (waking numba's thread pool costs milliseconds, more than the work on small states)."""

        def __init__(self, fn, fastmath: bool) -> None:
            flags = _FASTMATH if fastmath else False
            self.parallel = njit(parallel=True, cache=True, fastmath=flags)(fn)
            # cache=True would share (and clobber) the parallel twin's cache entry
            self.serial = njit(cache=False, fastmath=flags)(fn)

        def __call__(self, *args):
            size = args[0].size // 2 if args[0].dtype == np.float64 else args[0].size
            return (self.parallel if size >= PARALLEL_MIN else self.serial)(*args)

    def _twin(fastmath: bool):
        return lambda fn: _Twin(fn, fastmath)

    @njit(inline="always", fastmath=_FASTMATH)
    def _sincos(theta):
        q = np.floor(theta * _TWO_OVER_PI + 0.5)
        r = ((theta - q * _P1) - q * _P2) - q * _P3
        r2 = r * r
        sn = r + r * r2 * (_S1 + r2 * (_S2 + r2 * (_S3 + r2 * (_S4 + r2 * (_S5 + r2 * (_S6 + r2 * (_S7 + r2 * _S8)))))))
        cs = 1.0 + r2 * (_C1 + r2 * (_C2 + r2 * (_C3 + r2 * (_C4 + r2 * (_C5 + r2 * (_C6 + r2 * (_C7
                                                                                          + r2 * (_C8 + r2 * _C9))))))))
        m = int(q) & 3
        cc = cs if m == 0 else (-sn if m == 1 else (-cs if m == 2 else sn))
        ss = sn if m == 0 else (cs if m == 1 else (-sn if m == 2 else -cs))
        return cc, ss

    @njit(inline="always", fastmath=_FASTMATH)
    def _rotate(x, k, theta):
        cc, ss = _sincos(theta)
        re = x[2 * k]
        im = x[2 * k + 1]
        x[2 * k] = re * cc - im * ss
        x[2 * k + 1] = re * ss + im * cc

    @_twin(fastmath=True)
    def _phase_parallel(x, energies, gamma, shift):
        for k in prange(energies.size):
            _rotate(x, k, -gamma * (energies[k] - shift))

    def phase(x, energies, gamma, shift):
        """x <- exp(-i gamma (E - shift)) x (x: float64 view of the state)."""
        _phase_parallel(x, energies, gamma, shift)

    @njit(inline="always", fastmath=_FASTMATH)
    def _rx_pair(x, ia, ib, c, s):
        ar = x[ia]
        ai = x[ia + 1]
        br = x[ib]
        bi = x[ib + 1]
        x[ia] = c * ar + s * bi
        x[ia + 1] = c * ai - s * br
        x[ib] = c * br + s * ai
        x[ib + 1] = c * bi - s * ar

    @njit(inline="always", fastmath=_FASTMATH)
    def _rx_quad(x, i0, i1, i2, i3, c, s):
        """RX(2 beta) on qubits q and q+1 of the four amplitudes i0 = (0,0), i1 = (1,0), i2 = (0,1),
        i3 = (1,1), held in registers between the two rotations."""
        a0r = x[i0]
        a0i = x[i0 + 1]
        a1r = x[i1]
        a1i = x[i1 + 1]
        a2r = x[i2]
        a2i = x[i2 + 1]
        a3r = x[i3]
        a3i = x[i3 + 1]
        b0r = c * a0r + s * a1i
        b0i = c * a0i - s * a1r
        b1r = c * a1r + s * a0i
        b1i = c * a1i - s * a0r
        b2r = c * a2r + s * a3i
        b2i = c * a2i - s * a3r
        b3r = c * a3r + s * a2i
        b3i = c * a3i - s * a2r
        x[i0] = c * b0r + s * b2i
        x[i0 + 1] = c * b0i - s * b2r
        x[i2] = c * b2r + s * b0i
        x[i2 + 1] = c * b2i - s * b0r
        x[i1] = c * b1r + s * b3i
        x[i1 + 1] = c * b1i - s * b3r
        x[i3] = c * b3r + s * b1i
        x[i3 + 1] = c * b3i - s * b1r

    @_twin(fastmath=True)
    def _block_pass(x, energies, gamma, shift, mode, norm, low, c, s):
        """mode 0: RX only; 1: phase then RX; 2: write exp(-i theta) * norm (phase on |+>) then RX."""
        size = 1 << low
        for block in prange((x.size // 2) >> low):
            base = block * size
            if mode == 1:
                for k in range(base, base + size):
                    _rotate(x, k, -gamma * (energies[k] - shift))
            elif mode == 2:
                for k in range(base, base + size):
                    cc, ss = _sincos(-gamma * (energies[k] - shift))
                    x[2 * k] = norm * cc
                    x[2 * k + 1] = norm * ss
            q = 0
            while q + 1 < low:  # two qubits per sweep over the block: half the cache traffic
                s1 = 1 << q
                s2 = s1 << 1
                for start in range(0, size, 2 * s2):
                    for j in range(base + start, base + start + s1):
                        _rx_quad(x, 2 * j, 2 * (j + s1), 2 * (j + s2), 2 * (j + s1 + s2), c, s)
                q += 2
            if q < low:
                step = 1 << q
                for start in range(0, size, 2 * step):
                    for j in range(base + start, base + start + step):
                        _rx_pair(x, 2 * j, 2 * (j + step), c, s)

    @_twin(fastmath=True)
    def _strip_pass(x, energies, low, high, c, s, strip, want_energy):
        """RX on the high qubits, strip by strip; with want_energy, sum |psi|^2 E while in cache."""
        cols = 1 << low
        rows = 1 << high
        chunks = cols // strip
        partial = np.zeros(chunks)
        for chunk in prange(chunks):
            col0 = chunk * strip
            q = 0
            while q + 1 < high:
                s1 = 1 << q
                s2 = s1 << 1
                for start in range(0, rows, 2 * s2):
                    for r in range(start, start + s1):
                        i0 = 2 * (r * cols + col0)
                        i1 = 2 * ((r + s1) * cols + col0)
                        i2 = 2 * ((r + s2) * cols + col0)
                        i3 = 2 * ((r + s1 + s2) * cols + col0)
                        for k in range(strip):
                            _rx_quad(x, i0 + 2 * k, i1 + 2 * k, i2 + 2 * k, i3 + 2 * k, c, s)
                q += 2
            if q < high:
                step = 1 << q
                for start in range(0, rows, 2 * step):
                    for r in range(start, start + step):
                        ia = 2 * (r * cols + col0)
                        ib = 2 * ((r + step) * cols + col0)
                        for k in range(strip):
                            _rx_pair(x, ia + 2 * k, ib + 2 * k, c, s)
            if want_energy:
                acc = 0.0
                for r in range(rows):
                    for k in range(strip):
                        idx = r * cols + col0 + k
                        acc += (x[2 * idx] * x[2 * idx] + x[2 * idx + 1] * x[2 * idx + 1]) * energies[idx]
                partial[chunk] = acc
        return partial

    @_twin(fastmath=False)
    def expectation(psi, energies):
        total = 0.0
        for k in prange(psi.size):
            total += (psi[k].real * psi[k].real + psi[k].imag * psi[k].imag) * energies[k]
        return total

    @_twin(fastmath=False)
    def x_sum(psi, n):
        """sum_q X_q psi (the X mixer's generator)."""
        out = np.empty_like(psi)
        for i in prange(psi.size):
            acc = 0j
            for q in range(n):
                acc += psi[i ^ (1 << q)]
            out[i] = acc
        return out

    @_twin(fastmath=False)
    def x_inner(lam, phi, n):
        """<lam| sum_q X_q |phi>, without the product vector."""
        re = 0.0
        im = 0.0
        for i in prange(phi.size):
            acc = 0j
            for q in range(n):
                acc += phi[i ^ (1 << q)]
            v = np.conj(lam[i]) * acc
            re += v.real
            im += v.imag
        return complex(re, im)

    @_twin(fastmath=False)
    def weighted_inner(lam, energies, phi):
        """<lam| diag(energies) |phi>, without the product vector."""
        re = 0.0
        im = 0.0
        for i in prange(phi.size):
            v = np.conj(lam[i]) * (energies[i] * phi[i])
            re += v.real
            im += v.imag
        return complex(re, im)

    @njit(parallel=True, cache=True)
    def unitary_all(psi, us):
        """psi <- (⊗_q us[q]) psi: a 2x2 matrix on every qubit q (bit q of the index), in place."""
        half = psi.size // 2
        for q in range(us.shape[0]):
            stride = 1 << q
            u00, u01, u10, u11 = us[q, 0, 0], us[q, 0, 1], us[q, 1, 0], us[q, 1, 1]
            for k in prange(half):
                i0 = ((k >> q) << (q + 1)) | (k & (stride - 1))
                i1 = i0 | stride
                a = psi[i0]
                b = psi[i1]
                psi[i0] = u00 * a + u01 * b
                psi[i1] = u10 * a + u11 * b

    @njit(parallel=True, cache=True)
    def local_sum(psi, gs):
        """sum_q gs[q] acting on qubit q, applied to psi (a new array)."""
        out = np.zeros_like(psi)
        n = gs.shape[0]
        for i in prange(psi.size):
            acc = 0j
            for q in range(n):
                bit = (i >> q) & 1
                j = i ^ (1 << q)
                acc += gs[q, bit, bit] * psi[i] + gs[q, bit, 1 - bit] * psi[j]
            out[i] = acc
        return out

    def _split(n: int) -> tuple[int, int]:
        high = min(MAX_HIGH, n // 2)
        return n - high, high

    def layer(psi: np.ndarray, energies: np.ndarray, gamma: float, shift: float, n: int, beta: float | None,
              *, from_plus: bool = False, energy: bool = False) -> float | None:
        """In place: psi <- exp(-i beta sum X) exp(-i gamma (E - shift)) psi (no mixer when beta is None).

        ``from_plus``: psi's content is ignored and taken to be |+>^n (the first layer writes the state
        instead of reading it). ``energy``: also return <psi|E|psi> after the layer, summed in cache.
        """
        x = psi.view(np.float64)
        if beta is None:
            if from_plus:
                x[0::2], x[1::2] = 1.0 / math.sqrt(psi.size), 0.0
            phase(x, energies, gamma, shift)
            return float(expectation(psi, energies)) if energy else None
        low, high = _split(n)
        c, s = math.cos(beta), math.sin(beta)
        _block_pass(x, energies, gamma, shift, 2 if from_plus else 1, 1.0 / math.sqrt(psi.size), low, c, s)
        if high:
            partial = _strip_pass(x, energies, low, high, c, s, min(STRIP, 1 << low), energy)
            return float(partial.sum()) if energy else None
        return float(expectation(psi, energies)) if energy else None

    def rx_all(psi: np.ndarray, n: int, beta: float) -> None:
        """In place: psi <- exp(-i beta sum_q X_q) psi."""
        x = psi.view(np.float64)
        low, high = _split(n)
        c, s = math.cos(beta), math.sin(beta)
        _block_pass(x, x[:0], 0.0, 0.0, 0, 1.0, low, c, s)
        if high:
            _strip_pass(x, x[:0], low, high, c, s, min(STRIP, 1 << low), False)


if HAVE_NUMBA:

    @_twin(fastmath=True)
    def _pair_rotate_parallel(x, a, b, c, s):
        for k in prange(a.size):
            _rx_pair(x, 2 * a[k], 2 * b[k], c, s)

    def pair_rotate(x, a, b, c, s):
        """For each k: (psi[a_k], psi[b_k]) <- (c psi_a - i s psi_b, -i s psi_a + c psi_b), in place.

        Small inputs run serially: waking numba's thread pool costs ~2 ms, far more than the work."""
        _pair_rotate_parallel(x, a, b, c, s)
