"""The portfolio problem, declared once and validated early.

Choose exactly K of n assets and weights w (sum w = 1) minimising

    f(w) = lambda * w' Sigma w - (1 - lambda) * mu' w        (Chang et al. 2000)

where a held asset's weight lies in [min_weight, max_weight] and on the grid of multiples of
``weight_step``; an asset not held has weight 0. With ``weight_step = 1/K`` and both bounds equal
to 1/K the problem is the equal-weight, selection-only variant (one binary variable per asset).
Solvers translate this object into their own form (QUBO, MIQP, ...) and back; nothing else here
knows those forms.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from . import grid
from .errors import ValidationError
from .numerics.linalg import check_covariance
from .utils import validate

#: Tolerance for deciding that a weight vector satisfies the problem's constraints.
FEASIBILITY_TOL = 1e-9


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=float, copy=True)
    array.setflags(write=False)
    return array


def _per_asset(value: float | Sequence[float] | np.ndarray, n: int, name: str) -> np.ndarray:
    return validate.vector_or_scalar(value, name, n)


@dataclass(frozen=True, eq=False)
class PortfolioProblem:
    """A cardinality-constrained mean-variance problem on a weight grid.

    Parameters
    ----------
    assets: asset names (unique).
    expected_returns: mu, one per asset (per period, e.g. weekly for the OR-Library sets).
    covariance: Sigma, symmetric positive semidefinite (see ``linalg.nearest_psd`` to repair).
    cardinality: K, the exact number of assets held.
    risk_aversion: lambda in [0, 1]; 1 is minimum variance, 0 maximum return.
    min_weight, max_weight: bounds of a held asset's weight, scalar or per asset.
    weight_step: grid step; 1/step must be an integer.
    name: a label for reports (e.g. ``orlib:port1``).
    source, provenance: where the numbers came from and how (reported, not compared).
    """

    assets: tuple[str, ...]
    expected_returns: np.ndarray
    covariance: np.ndarray
    cardinality: int
    risk_aversion: float = 0.5
    min_weight: np.ndarray | float = 0.05
    max_weight: np.ndarray | float = 1.0
    weight_step: float = 0.05
    name: str = "portfolio"
    source: str = field(default="", compare=False)
    #: how the data were obtained (estimator, shrinkage, periods, covariance repair, seed, file): reported
    #: with every result; not part of the fingerprint, which identifies the numbers themselves
    provenance: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        assets = validate.names(self.assets, "assets")
        n = len(assets)
        if n == 0:
            raise ValidationError("assets is empty: a problem needs at least one asset")
        if len(set(assets)) != n:
            dup = sorted({a for a in assets if assets.count(a) > 1})
            raise ValidationError(f"assets must be unique; repeated: {', '.join(dup[:5])}")
        mu = validate.array(self.expected_returns, "expected_returns", ndim=1, finite=False)
        if mu.shape != (n,):
            raise ValidationError(f"expected_returns has shape {mu.shape}, expected ({n},) for {n} assets")
        if not np.all(np.isfinite(mu)):
            i = int(np.flatnonzero(~np.isfinite(mu))[0])
            raise ValidationError(f"expected_returns contains NaN or inf (asset {assets[i]!r})")
        cov = check_covariance(validate.array(self.covariance, "covariance", ndim=2, finite=False), n)
        k = self.cardinality
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ValidationError(f"cardinality must be a positive integer, got {k!r}")
        if k > n:
            raise ValidationError(f"cardinality K={k} exceeds the number of assets n={n}; choose K <= {n}")
        lam = validate.number(self.risk_aversion, "risk_aversion")
        if not 0.0 <= lam <= 1.0:
            raise ValidationError(f"risk_aversion (lambda) must lie in [0, 1], got {self.risk_aversion}")
        lower = _per_asset(self.min_weight, n, "min_weight")
        upper = _per_asset(self.max_weight, n, "max_weight")
        if np.any(lower <= 0):
            raise ValidationError("min_weight must be > 0 so that a held asset has a positive weight")
        if np.any(upper > 1):
            raise ValidationError("max_weight must be <= 1 (long-only, fully invested)")
        if np.any(lower > upper):
            i = int(np.flatnonzero(lower > upper)[0])
            raise ValidationError(f"min_weight > max_weight for asset {assets[i]!r}; swap or fix the bounds")
        step = validate.number(self.weight_step, "weight_step")
        total = grid.units_in_budget(step)
        lo, hi = grid.unit_bounds(lower, upper, step)
        grid.check_grid_feasible(lo, hi, int(k), total, step)
        name = validate.text(self.name, "name")
        set_ = object.__setattr__
        set_(self, "name", name)
        set_(self, "assets", assets)
        set_(self, "expected_returns", _frozen(mu))
        set_(self, "covariance", _frozen(cov))
        set_(self, "cardinality", int(k))
        set_(self, "risk_aversion", lam)
        set_(self, "min_weight", _frozen(lower))
        set_(self, "max_weight", _frozen(upper))
        set_(self, "weight_step", step)
        set_(self, "provenance", dict(self.provenance))

    # ----------------------------------------------------------------- derived quantities
    @property
    def n(self) -> int:
        """Number of assets."""
        return len(self.assets)

    @property
    def units(self) -> int:
        """Grid units in the full budget, U = 1/weight_step."""
        return grid.units_in_budget(self.weight_step)

    @cached_property
    def unit_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-asset (lo, hi) units of a held asset."""
        lo, hi = grid.unit_bounds(self.min_weight, self.max_weight, self.weight_step)
        lo.setflags(write=False)
        hi.setflags(write=False)
        return lo, hi

    @cached_property
    def unit_caps(self) -> np.ndarray:
        """Per-asset most units held in any feasible portfolio: min(hi_i, U - (K - 1) lo_min), at least lo_i.

        A feasible portfolio holds K assets of at least lo_min units each and U units in all, so no
        asset holds more than U - (K - 1) lo_min. The cap loses no feasible point; the QUBO's bits and
        the relaxation's box stop at it (fewer variables, a tighter bound)."""
        lo, hi = self.unit_bounds
        cap = self.units - max(self.cardinality - 1, 0) * int(lo.min())
        out = np.maximum(np.minimum(hi, cap), lo)
        out.setflags(write=False)
        return out

    @property
    def selection_only(self) -> bool:
        """True when every held weight is fixed (lo == hi): one binary variable per asset."""
        lo, hi = self.unit_bounds
        return bool(np.all(lo == hi))

    @cached_property
    def fingerprint(self) -> str:
        """A stable 16-hex-digit hash of everything that defines the optimisation problem."""
        h = hashlib.sha256()
        h.update(json.dumps(self.assets).encode())
        for arr in (self.expected_returns, self.covariance, self.min_weight, self.max_weight):
            h.update(np.ascontiguousarray(arr, dtype="<f8").tobytes())
        h.update(repr((self.cardinality, self.risk_aversion, self.weight_step)).encode())
        return h.hexdigest()[:16]

    # ----------------------------------------------------------------- evaluation
    def objective_coefficients(self, step: float | None = None) -> tuple[float, float]:
        """(a, b) with f(step * m) = a m'Sigma m - b mu'm: the objective in units of ``step`` (the
        weight grid's by default; ``step=1`` gives weights). a = lambda step^2, b = (1 - lambda) step.

        The one definition every formulation (QUBO, CQM, Qiskit program, SCIP MIQP), the repair
        heuristic and brute force build from."""
        s = self.weight_step if step is None else float(step)
        return self.risk_aversion * s * s, (1.0 - self.risk_aversion) * s

    def unit_objective(self, step: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(Q, c) with f(step * m) = m'Q m + c'm, from :meth:`objective_coefficients`."""
        a, b = self.objective_coefficients(step)
        return a * self.covariance, -b * self.expected_returns

    def objective(self, weights: np.ndarray) -> np.ndarray | float:
        """f(w) in float64; ``weights`` may be one vector or a (samples, n) matrix."""
        w = np.asarray(weights, dtype=float)
        lam = self.risk_aversion
        risk = np.einsum("...i,ij,...j->...", w, self.covariance, w)
        value = lam * risk - (1.0 - lam) * (w @ self.expected_returns)
        return float(value) if np.ndim(value) == 0 else value

    def expected_return(self, weights: np.ndarray) -> float:
        return float(np.asarray(weights, dtype=float) @ self.expected_returns)

    def volatility(self, weights: np.ndarray) -> float:
        w = np.asarray(weights, dtype=float)
        return float(np.sqrt(max(w @ self.covariance @ w, 0.0)))

    def violations(self, weights: np.ndarray, *, discrete: bool = True, tol: float = FEASIBILITY_TOL) -> list[str]:
        """Human-readable list of the constraints ``weights`` breaks (empty when feasible)."""
        w = np.asarray(weights, dtype=float)
        out: list[str] = []
        held = w > tol
        if np.any(w < -tol):
            out.append("negative weight")
        if held.sum() != self.cardinality:
            out.append(f"holds {int(held.sum())} assets, cardinality is {self.cardinality}")
        if abs(w.sum() - 1.0) > tol * max(1, self.n):
            out.append(f"weights sum to {w.sum():.9g}, not 1")
        if np.any(held & ((w < self.min_weight - tol) | (w > self.max_weight + tol))):
            out.append("a held weight lies outside [min_weight, max_weight]")
        if discrete:
            units = w / self.weight_step
            if np.any(np.abs(units - np.round(units)) > 1e-6):
                out.append(f"a weight is not a multiple of weight_step={self.weight_step}")
        return out

    def is_feasible(self, weights: np.ndarray, *, discrete: bool = True) -> bool:
        return not self.violations(weights, discrete=discrete)

    # ----------------------------------------------------------------- variants and I/O
    def replace(self, **changes: Any) -> PortfolioProblem:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def selection_only_variant(self) -> PortfolioProblem:
        """The equal-weight variant: weight_step = min = max = 1/K (one qubit per asset)."""
        k = self.cardinality
        return self.replace(weight_step=1.0 / k, min_weight=1.0 / k, max_weight=1.0 / k)

    def describe(self) -> dict[str, Any]:
        """Every field that defines the problem, and its provenance (JSON-safe; for results)."""

        def scalar_or_list(arr: np.ndarray) -> float | list[float]:
            return float(arr[0]) if np.all(arr == arr[0]) else arr.tolist()

        return {"name": self.name, "fingerprint": self.fingerprint, "n": self.n, "cardinality": self.cardinality,
                "risk_aversion": self.risk_aversion, "weight_step": self.weight_step,
                "min_weight": scalar_or_list(self.min_weight), "max_weight": scalar_or_list(self.max_weight),
                "source": self.source, "provenance": dict(self.provenance)}

    def grid_text(self) -> str:
        """The weight grid in words (``weights 0.05 to 0.5 in steps of 0.05``), for reports that must say
        which discretisation they solved."""
        def span(arr: np.ndarray) -> str:
            return f"{arr[0]:g}" if np.all(arr == arr[0]) else f"{arr.min():g}..{arr.max():g} (per asset)"

        return f"weights {span(self.min_weight)} to {span(self.max_weight)} in steps of {self.weight_step:g}"

    def to_spec(self) -> dict[str, Any]:
        """A JSON-serialisable spec that ``data.spec.problem_from_spec`` reads back."""

        def scalar_or_list(arr: np.ndarray) -> float | list[float]:
            return float(arr[0]) if np.all(arr == arr[0]) else arr.tolist()

        return {
            "name": self.name,
            "assets": list(self.assets),
            "expected_returns": self.expected_returns.tolist(),
            "covariance": self.covariance.tolist(),
            "cardinality": self.cardinality,
            "risk_aversion": self.risk_aversion,
            "min_weight": scalar_or_list(self.min_weight),
            "max_weight": scalar_or_list(self.max_weight),
            "weight_step": self.weight_step,
        }

    def __repr__(self) -> str:
        return (
            f"PortfolioProblem(name={self.name!r}, n={self.n}, K={self.cardinality}, "
            f"lambda={self.risk_aversion:g}, step={self.weight_step:g}, "
            f"fingerprint={self.fingerprint})"
        )
