"""QUBO encoding of a PortfolioProblem as a ``dimod.BinaryQuadraticModel``.

Variables, per asset i: a selection bit ``s_i`` ("<asset>:sel") worth lo_i units and weight bits
``b_ij`` ("<asset>:w<j>") worth c_ij units, sum_j c_ij = R_i = hi_i - lo_i, laid out by a weight
encoding (:mod:`qportfolio.encodings`: bounded binary by default, unary, domain-wall,
bounded-coefficient). An asset's units are m_i = lo_i s_i + sum_j c_ij b_ij, hence m = M x for a
fixed matrix M, and m_i never leaves [0, hi_i]; hi_i is the problem's unit cap U - (K - 1) lo_min
when that is lower, the most any asset holds in a feasible portfolio
(:attr:`~qportfolio.problem.PortfolioProblem.unit_caps`). Each weight bit has a parent (the selection
bit, or the previous bit in a domain wall). In selection-only mode (lo == hi) there are no weight
bits: one variable per asset.

Energy (``bqm.energy`` includes ``bqm.offset``):

    E(x) = a m'Sigma m - b mu'm                      (= f(w), w = step * m; a = lambda step^2, b = (1-lambda) step)
         - nu step (sum_i m_i - U)                    Lagrangian shift: zero on every feasible x
         + A (sum_i s_i - K)^2                        cardinality
         + B (sum_i m_i - U)^2                        budget (U = 1/step)
         + C sum_ij b_ij (1 - parent(b_ij))           a weight bit set above an unset parent

On a feasible x the shift and the three penalties vanish, so E(x) = f(w). The shift prices the
budget at its relaxation multiplier nu, so adding or removing units no longer pays off by itself;
without it the budget penalty would have to exceed the marginal value of a unit of budget,
|nu| step, which for return-seeking objectives is several times the rest and freezes annealers
between feasible portfolios (measured: 0-7 % feasible samples for SA on 8-asset instances).
The calibrated penalties, and the proof that every infeasible x then costs more than the feasible
optimum, are in :mod:`qportfolio.formulations.penalties`.

One job per module: :mod:`.layout` (the variables), :mod:`.structure` (the QUBO as arrays),
:mod:`.model` (``QuboModel``: BQM on demand, energies, decode), :mod:`.assemble` (``encode``) and
:mod:`.io` (QUBO files). Everything is importable from here.
"""

from __future__ import annotations

from ..penalties import Penalties, PenaltyCalibration, calibrate_penalties, single_violation_cap
from .assemble import build, encode, qubo_structure
from .io import FILE_FORMAT, INFO_MARKER, decode_file, load, save
from .layout import VariableLayout, bounded_coefficients, build_layout, encoded_unit_bounds
from .model import STATS_MAX_VARIABLES, DecodedSamples, QuboModel, bqm_bytes
from .structure import BLOCK_BYTES, BQM_BYTES_PER_INTERACTION, QuboStructure

__all__ = [
    "BLOCK_BYTES", "BQM_BYTES_PER_INTERACTION", "FILE_FORMAT", "INFO_MARKER", "STATS_MAX_VARIABLES", "DecodedSamples",
    "Penalties", "PenaltyCalibration", "QuboModel", "QuboStructure", "VariableLayout", "bounded_coefficients", "bqm_bytes",
    "build", "build_layout", "calibrate_penalties", "decode_file", "encode", "encoded_unit_bounds", "load",
    "qubo_structure", "save", "single_violation_cap",
]
