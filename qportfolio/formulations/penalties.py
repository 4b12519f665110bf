"""Penalty strengths of the QUBO's constraint terms: their record, their one validator, their calibration.

The QUBO (:mod:`qportfolio.formulations.qubo`) adds A (sum s - K)^2 + B (sum m - U)^2 + C (bits set
above an unset parent) to the objective, and -nu step (sum m - U) when the Lagrangian shift is on.

Calibrated penalties (the default) provably make every infeasible x cost more than the feasible
optimum f*. Let F_up = f of a known feasible portfolio (>= f*; :func:`qportfolio.bounds.start.feasible_start`).
For a box [0, u] and any nu, the relaxation gives a certified D_u(nu) with f(m) - nu step t >= D_u(nu)
for every x whose weights step * m(x) lie in the box, t = sum m - U (:mod:`qportfolio.bounds.relaxation`).
With A = B = C = P the penalty part of E is P * (v^2 + t^2 + l), where v = sum s - K and l counts weight
bits set above an unset parent, so an infeasible x pays P times a positive integer. The argument needs
only that every asset's units lie in [0, hi_i] and that an unselected asset holding units adds at least
1 to l, which every encoding guarantees:
- two or more unit violations: E >= D_full + 2 P, safe when P > (F_up - D_full) / 2;
- exactly one (|v| = 1, |t| = 1 or l = 1, the rest zero): at most K + 1 assets are held, K - 2 of
  them with at least lo_min units, so no asset exceeds U - (K - 2) lo_min units
  (:func:`single_violation_cap`); on that smaller box E >= D_single + P, safe when P > F_up - D_single.
So P = (1 + margin) max(F_up - D_single, (F_up - D_full) / 2) + floor (margin 0.05 by default; the
floor, 1e-6 |f|, keeps P positive when the relaxation is tight). nu is one value for both bounds
and the shift: the better of the two boxes' optimal multipliers. ``penalty_scale`` multiplies
the result for experiments (below 1 the guarantee is lost). With ``lagrangian_shift=False`` the
shift is left out and the simpler bound P = (1 + margin)(F_up - D_full), B = P + (1 + margin)
|nu| step is used (E >= D + nu step t + B t^2 for budget violations).
Measured on OR-Library port1 (K = 10, step 0.05, lambda 0.5): halving P took SA from 15 % to 3 %
above the optimum, which is why the bound is worth its second relaxation.

Explicit penalties (``encode(penalties=...)``, the solvers' ``penalties`` option) pass one check,
:func:`as_penalties`: every strength finite and > 0. A zero strength would drop its constraint from
the QUBO (every count of assets, or every total, equally good), which no calibrated or scaled value
ever is (``penalty_scale`` must be > 0 too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..bounds.relaxation import lagrangian_bound, max_eigenvalue, solve_relaxation
from ..bounds.repair import units_objective
from ..bounds.start import feasible_start, relaxed_weights
from ..errors import ValidationError
from ..problem import PortfolioProblem
from ..utils import validate

#: The three constraint terms, in the order of :class:`Penalties`' fields.
PENALTY_NAMES = ("cardinality", "budget", "linking")


@dataclass(frozen=True)
class Penalties:
    """Penalty strengths of the three constraint terms."""

    cardinality: float
    budget: float
    linking: float

    def scaled(self, factor: float) -> Penalties:
        return Penalties(self.cardinality * factor, self.budget * factor, self.linking * factor)

    def as_dict(self) -> dict[str, float]:
        return {"cardinality": self.cardinality, "budget": self.budget, "linking": self.linking}


@dataclass(frozen=True)
class PenaltyCalibration:
    """The numbers the calibrated penalties come from (see module docstring)."""

    upper_bound: float  # f of a feasible portfolio found by rounding + local search
    lower_bound: float  # certified bound D_full on the continuous relaxation (at multiplier nu)
    multiplier: float  # nu, per unit of weight
    margin: float
    heuristic_units: np.ndarray = field(repr=False)  # that portfolio: bounds.start.feasible_start(problem)


def as_penalties(value: Any, field: str = "penalties") -> Penalties:
    """The one check of a penalties value: a :class:`Penalties`, one number for all three terms, or a
    mapping with all of cardinality, budget and linking; every strength a finite number > 0."""
    if isinstance(value, Penalties):
        strengths = value.as_dict()
    elif isinstance(value, Mapping):
        unknown = sorted(map(str, set(value) - set(PENALTY_NAMES)))
        if unknown:
            raise ValidationError(f"{field}: unknown key(s) {unknown}; use cardinality, budget, linking")
        missing = [k for k in PENALTY_NAMES if k not in value]
        if missing:
            raise ValidationError(f"{field} needs all of cardinality, budget, linking (a strength each); "
                                  f"missing: {', '.join(missing)}")
        strengths = {k: value[k] for k in PENALTY_NAMES}
    elif validate.is_number(value):
        return Penalties(*[validate.number(value, field, low=0.0, low_open=True)] * 3)
    else:
        raise ValidationError(f"{field} must be a positive number or {{cardinality, budget, linking}} numbers, "
                              f"got {validate.describe(value)}")
    return Penalties(**{k: validate.number(v, f"{field}.{k}", low=0.0, low_open=True) for k, v in strengths.items()})


def single_violation_cap(problem: PortfolioProblem) -> int:
    """Most units any asset can hold in an assignment with exactly one unit constraint violation."""
    lo = problem.unit_bounds[0]
    return problem.units - max(problem.cardinality - 2, 0) * int(lo.min())


def calibrate_penalties(problem: PortfolioProblem, margin: float = 0.05,
                        lagrangian_shift: bool = True) -> tuple[Penalties, PenaltyCalibration]:
    """Smallest penalties (times 1 + margin) that the bound in the module docstring certifies."""
    step = problem.weight_step
    upper = problem.unit_caps * step
    w_full = relaxed_weights(problem)
    full = lagrangian_bound(problem, upper, w_full)
    units = feasible_start(problem)
    f_up = units_objective(problem, units)
    floor = 1e-6 * max(abs(f_up), abs(full.value), 1e-300)
    if not lagrangian_shift:
        gap = max(f_up - full.value, 0.0)
        base = (1.0 + margin) * gap + floor
        budget = (1.0 + margin) * (gap + abs(full.nu) * step) + floor
        pen = Penalties(cardinality=base, budget=budget, linking=base)
        return pen, PenaltyCalibration(f_up, full.value, full.nu, margin, units)
    upper_single = np.minimum(upper, single_violation_cap(problem) * step)
    w_single = w_full if np.array_equal(upper_single, upper) else solve_relaxation(
        problem, upper_single, eig_max=max_eigenvalue(problem.covariance))
    best: tuple[float, float, float] | None = None
    for nu in {full.nu, lagrangian_bound(problem, upper_single, w_single).nu}:
        d_full = lagrangian_bound(problem, upper, w_full, nu).value
        d_single = lagrangian_bound(problem, upper_single, w_single, nu).value
        need = max(f_up - d_single, (f_up - d_full) / 2.0, 0.0)
        if best is None or need < best[0]:
            best = (need, nu, d_full)
    need, nu, d_full = best  # type: ignore[misc]
    base = (1.0 + margin) * need + floor
    pen = Penalties(cardinality=base, budget=base, linking=base)
    return pen, PenaltyCalibration(f_up, d_full, nu, margin, units)
