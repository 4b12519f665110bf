"""Weight encodings: how an asset's grid units become binary variables.

Every encoding gives asset i a selection bit ``s_i`` worth ``lo_i`` units and weight bits ``b_ij``
worth ``c_ij`` units with ``sum_j c_ij = hi_i - lo_i``, so an asset's units m_i = lo_i s_i +
sum_j c_ij b_ij always lie in [0, hi_i], and each weight bit has a *parent* bit: the selection bit
or an earlier weight bit. The linking penalty ``C sum_b b (1 - parent(b))`` is zero exactly when
no bit is set above an unset parent. What the QUBO (:mod:`qportfolio.formulations.qubo`) needs of an encoding,
and what its penalty separation argument uses, is only this:

1. every value in {0} and [lo_i, hi_i] has a pattern with no linking violation (``canonical_bits``);
2. a pattern with no linking violation and ``s_i = 0`` holds no units;
3. the number l of set bits whose parent is unset is a non-negative integer, and an unselected
   asset that holds units contributes at least 1 to it.

The encodings (``--encoding``):

- ``binary`` (default): bounded binary, coefficients 1, 2, ..., 2^(k-1), r with every parent the
  selection bit; fewest variables, but moving one unit can flip many bits (a carry) and the
  coefficient range grows with the span.
- ``unary``: one bit of 1 unit per grid unit above the minimum, parents the selection bit; any
  bit can carry any unit, so moving a unit between assets is two flips, but a value has many
  patterns (degenerate).
- ``domain-wall`` (alias ``thermometer``): unary bits in a chain, each bit's parent the one before
  (the first bit's parent is the selection bit), so the only valid patterns are 1..10..0 and a
  value is the position of the wall (Chancellor, Quantum Sci. Technol. 4, 045004, 2019). In 0/1
  variables the domain-wall penalty  sum_j (x_j - x_{j+1})^2 with fixed end spins equals
  1 + 2 sum_j x_{j+1} (1 - x_j): the thermometer (ordering) penalty of unary at twice the weight,
  plus a constant. The two are therefore one encoding here, with two names.
- ``bounded-coefficient:<cap>`` (e.g. ``bounded-coefficient:4``): Karimi & Ronagh's
  bounded-coefficient encoding (arXiv:1706.01945): binary coefficients up to ``cap``, then
  repeated ``cap`` and a remainder; ``cap`` 1 is unary, a large ``cap`` is binary. It bounds
  the coefficient range (what limits precision on hardware) while keeping few variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .errors import ValidationError

DEFAULT_ENCODING = "binary"


@dataclass(frozen=True)
class WeightEncoding:
    """An encoding of 0..span extra units by weight bits: their coefficients and parents."""

    name: str
    chain: bool = False  # each bit's parent is the previous bit (domain wall) rather than the selection bit
    cap: int | None = None  # largest coefficient; None: plain bounded binary; 1: unary

    def coefficients(self, span: int) -> np.ndarray:
        """Units of each weight bit; their subset sums are exactly 0..span."""
        return _coefficients(int(span), self.cap)

    def parents(self, count: int) -> np.ndarray:
        """Parent of each of ``count`` weight bits: -1 the selection bit, j >= 0 weight bit j."""
        if self.chain:
            return np.arange(-1, count - 1, dtype=np.int64)
        return np.full(count, -1, dtype=np.int64)

    def canonical_bits(self, rest: int, span: int) -> np.ndarray:
        """The pattern (no linking violation) that encodes ``rest`` extra units out of ``span``."""
        if not 0 <= rest <= span:
            raise ValidationError(f"{rest} extra units are outside 0..{span}")
        return np.array(_subset(int(rest), int(span), self.cap), dtype=np.int64)


def _bounded_binary(span: int) -> list[int]:
    if span <= 0:
        return []
    k = int(np.floor(np.log2(span + 1)))
    coeffs = [1 << j for j in range(k)]
    rest = span - ((1 << k) - 1)
    return [*coeffs, rest] if rest > 0 else coeffs


@lru_cache(maxsize=1024)
def _coefficients_tuple(span: int, cap: int | None) -> tuple[int, ...]:
    if cap is None or span <= 0:
        return tuple(_bounded_binary(span))
    coeffs: list[int] = []
    power = 1
    while power <= cap and sum(coeffs) + power <= span:  # 1, 2, 4, ... up to cap
        coeffs.append(power)
        power <<= 1
    top = max(coeffs) if coeffs else 1
    while sum(coeffs) + top <= span:  # then copies of the largest power <= cap
        coeffs.append(top)
    if sum(coeffs) < span:
        coeffs.append(span - sum(coeffs))  # remainder, < top: all sums stay contiguous
    return tuple(coeffs)


def _coefficients(span: int, cap: int | None) -> np.ndarray:
    return np.array(_coefficients_tuple(span, cap), dtype=np.int64)


@lru_cache(maxsize=4096)
def _subset(rest: int, span: int, cap: int | None) -> tuple[int, ...]:
    """A 0/1 choice of coefficients summing to ``rest`` that prefers low-index bits (so that a
    domain wall's pattern is 1..10..0), by a small subset-sum table."""
    coeffs = _coefficients_tuple(span, cap)
    reach = [{0}]  # reach[j]: totals reachable with the first j bits
    for c in coeffs:
        reach.append(reach[-1] | {t + c for t in reach[-1]})
    if rest not in reach[-1]:  # cannot happen for the coefficient sets above (tested)
        raise ValidationError(f"{rest} units cannot be encoded with coefficients {coeffs}")
    bits = [0] * len(coeffs)
    total = rest
    for j in range(len(coeffs), 0, -1):
        if total not in reach[j - 1]:
            bits[j - 1], total = 1, total - coeffs[j - 1]
    return tuple(bits)


def available_encodings() -> tuple[str, ...]:
    return ("binary", "unary", "domain-wall", "thermometer", "bounded-coefficient:<cap>")


def get_encoding(name: str | WeightEncoding | None) -> WeightEncoding:
    """The encoding named ``name`` (see the module docstring); a clear error lists the choices."""
    if isinstance(name, WeightEncoding):
        return name
    key = (name or DEFAULT_ENCODING).strip().lower().replace("_", "-")
    if key == "binary":
        return WeightEncoding("binary")
    if key == "unary":
        return WeightEncoding("unary", cap=1)
    if key in ("domain-wall", "thermometer"):
        return WeightEncoding("domain-wall", chain=True, cap=1)
    if key.startswith("bounded-coefficient:") or key.startswith("bounded:"):
        raw = key.split(":", 1)[1]
        try:
            cap = int(raw)
        except ValueError:
            cap = 0
        if cap < 1 or (cap & (cap - 1)):
            raise ValidationError(f"encoding {name!r}: the cap must be a power of two >= 1 (e.g. bounded-coefficient:4)")
        return WeightEncoding(f"bounded-coefficient:{cap}", cap=cap)
    raise ValidationError(f"unknown encoding {name!r}; choose one of {', '.join(available_encodings())}")
