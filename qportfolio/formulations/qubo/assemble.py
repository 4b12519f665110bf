"""Assemble a problem's QUBO: layout, penalties (calibrated or given), Lagrangian shift, structure.

The problem's walk goes down: the layout (:mod:`.layout`) from the problem's unit caps, the
penalties from :mod:`..penalties` (which asks :mod:`qportfolio.bounds` once for the cached
feasible start and the relaxation), then the structured QUBO (:mod:`.structure`) that every
sampler reads; the dimod BQM is built from it only on demand (:class:`~.model.QuboModel`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import numpy as np

from ...encodings import WeightEncoding
from ...errors import ValidationError
from ...problem import PortfolioProblem
from ..penalties import Penalties, as_penalties, calibrate_penalties
from .layout import VariableLayout, build_layout
from .model import QuboModel
from .structure import QuboStructure


def encode(
    problem: PortfolioProblem,
    *,
    penalties: Penalties | Mapping[str, float] | float | None = None,
    penalty_scale: float = 1.0,
    margin: float = 0.05,
    lagrangian_shift: bool = True,
    encoding: str | WeightEncoding | None = None,
) -> QuboModel:
    """Encode ``problem`` as a QUBO (:mod:`.model` for the energy, :mod:`..penalties` for the bound).

    ``penalties`` overrides the calibrated strengths; ``penalty_scale`` multiplies either.
    ``lagrangian_shift`` adds -nu step (sum m - U), zero on feasible points (needs calibration).
    ``encoding`` names the weight encoding (:mod:`qportfolio.encodings`; default ``binary``).
    """
    start = time.perf_counter()
    if not np.isfinite(penalty_scale) or penalty_scale <= 0:
        raise ValidationError(f"penalty_scale must be a positive number, got {penalty_scale}")
    if not margin >= 0:
        raise ValidationError(f"margin must be >= 0, got {margin}")
    layout = build_layout(problem, encoding)
    calibration = None
    t_cal = time.perf_counter()
    if penalties is None or lagrangian_shift:
        calibrated, calibration = calibrate_penalties(problem, margin, lagrangian_shift)
    calibrate_seconds = time.perf_counter() - t_cal
    pen = calibrated if penalties is None else as_penalties(penalties)
    shift = calibration.multiplier * problem.weight_step if (lagrangian_shift and calibration) else 0.0
    pen = pen.scaled(penalty_scale)
    structure = qubo_structure(problem, layout, pen, shift)
    return QuboModel(problem, layout, pen, calibration, time.perf_counter() - start, shift, structure,
                     calibrate_seconds=calibrate_seconds)


def qubo_structure(problem: PortfolioProblem, layout: VariableLayout, pen: Penalties, shift: float) -> QuboStructure:
    """The structured QUBO (:mod:`.model` for the energy; the linear part has the
    operations of the dense build, so that the BQM's biases come out bitwise the same)."""
    a, b = problem.objective_coefficients()
    k, total = problem.cardinality, problem.units
    coef = layout.coefficient.astype(float)  # m = M x with M[asset_v, v] = coef_v; sum m = coef . x
    sel = layout.is_selection.astype(float)
    linear = -b * coef * problem.expected_returns[layout.asset]
    linear += -2.0 * pen.cardinality * k * sel - (2.0 * pen.budget * total + shift) * coef
    linear[~layout.is_selection] += pen.linking  # linking: C b (1 - parent(b))
    offset = pen.cardinality * k * k + pen.budget * total * total + shift * total
    return QuboStructure(covariance=np.ascontiguousarray(problem.covariance, dtype=float), asset=layout.asset,
                         coefficient=coef, selection=sel, parent=layout.parent, linear=linear, risk=float(a),
                         cardinality=pen.cardinality, budget=pen.budget, linking=pen.linking, offset=float(offset),
                         labels=layout.labels)


#: The formulation's uniform name (every module of :mod:`qportfolio.formulations` has ``build``).
build = encode
