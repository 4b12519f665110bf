"""QUBO encoding of a PortfolioProblem as a ``dimod.BinaryQuadraticModel``.

Variables, per asset i: a selection bit ``s_i`` ("<asset>:sel") worth lo_i units and weight bits
``b_ij`` ("<asset>:w<j>") worth c_ij units, sum_j c_ij = R_i = hi_i - lo_i, laid out by a weight
encoding (:mod:`qportfolio.encodings`: bounded binary by default, unary, domain-wall,
bounded-coefficient). An asset's units are m_i = lo_i s_i + sum_j c_ij b_ij, hence m = M x for a
fixed matrix M, and m_i never leaves [0, hi_i]; hi_i is capped at U - (K - 1) lo_min, the most
any asset holds in a feasible portfolio (``encoded_unit_bounds``). Each weight bit has a parent (the selection bit,
or the previous bit in a domain wall). In selection-only mode (lo == hi) there are no weight
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

Calibrated penalties (the default) provably make every infeasible x cost more than the feasible
optimum f*. Let F_up = f of a known feasible portfolio (>= f*). For a box [0, u] and any nu, the
relaxation gives a certified D_u(nu) with f(m) - nu step t >= D_u(nu) for every x whose weights
step * m(x) lie in the box, t = sum m - U (``relaxation.py``). With A = B = C = P the penalty
part of E is P * (v^2 + t^2 + l), where v = sum s - K and l counts weight bits set above an unset
parent, so an infeasible x pays P times a positive integer. The argument needs only that every
asset's units lie in [0, hi_i] and that an unselected asset holding units adds at least 1 to l,
which every encoding guarantees:
- two or more unit violations: E >= D_full + 2 P, safe when P > (F_up - D_full) / 2;
- exactly one (|v| = 1, |t| = 1 or l = 1, the rest zero): at most K + 1 assets are held, K - 2 of
  them with at least lo_min units, so no asset exceeds U - (K - 2) lo_min units; on that smaller
  box E >= D_single + P, safe when P > F_up - D_single.
So P = (1 + margin) max(F_up - D_single, (F_up - D_full) / 2) + floor (margin 0.05 by default; the
floor, 1e-6 |f|, keeps P positive when the relaxation is tight). nu is one value for both bounds
and the shift: the better of the two boxes' optimal multipliers. ``penalty_scale`` multiplies
the result for experiments (below 1 the guarantee is lost). With ``lagrangian_shift=False`` the
shift is left out and the simpler bound P = (1 + margin)(F_up - D_full), B = P + (1 + margin)
|nu| step is used (E >= D + nu step t + B t^2 for budget violations).
Measured on OR-Library port1 (K = 10, step 0.05, lambda 0.5): halving P took SA from 15 % to 3 %
above the optimum, which is why the bound is worth its second relaxation.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import dimod
import numpy as np

from ..bounds.relaxation import lagrangian_bound, max_eigenvalue, solve_relaxation
from ..bounds.repair import heuristic_units, units_objective
from ..encodings import WeightEncoding, get_encoding
from ..errors import ValidationError
from ..problem import PortfolioProblem
from ..utils import validate
from ..utils.memory import check_allocation
from .qubo_structure import BLOCK_BYTES, BQM_BYTES_PER_INTERACTION, QuboStructure

#: QUBOs up to this many variables get their coupling count and range scanned for ``summary``
#: (an O(N^2)-time, bounded-memory scan; larger ones report them once their BQM is built)
STATS_MAX_VARIABLES = 6000


def bqm_bytes(num_variables: int) -> float:
    """Estimated bytes of the dense dimod BQM of ``num_variables`` variables plus its build blocks."""
    blocks = 2.0 * min(BLOCK_BYTES, 32.0 * num_variables * num_variables)  # a row block and its temporaries
    return BQM_BYTES_PER_INTERACTION * num_variables * (num_variables - 1) / 2.0 + blocks


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
    heuristic_units: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class VariableLayout:
    """Where each variable sits: its label, owning asset, unit coefficient, role and parent."""

    labels: tuple[str, ...]
    asset: np.ndarray  # owning asset index of each variable
    coefficient: np.ndarray  # units contributed when the variable is 1 (lo_i for a selection bit)
    is_selection: np.ndarray  # bool per variable
    selection_index: np.ndarray  # variable index of each asset's selection bit
    parent: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # parent variable (-1: none)
    encoding: WeightEncoding = field(default_factory=lambda: get_encoding(None))  #: the object, custom ones included

    @property
    def num_variables(self) -> int:
        return len(self.labels)


def bounded_coefficients(span: int) -> np.ndarray:
    """Coefficients 1, 2, ..., 2^(k-1), r whose subset sums are exactly 0..span."""
    return get_encoding("binary").coefficients(span)


def encoded_unit_bounds(problem: PortfolioProblem) -> tuple[np.ndarray, np.ndarray]:
    """The unit range each asset's bits must cover: [lo_i, min(hi_i, U - (K - 1) lo_min)].

    A feasible portfolio holds K assets of at least lo_min units each and U units in all, so no
    asset holds more than U - (K - 1) lo_min: bits beyond that can never be set in a feasible
    assignment. Leaving them out changes no feasible point, removes variables (port1, K = 10,
    step 0.05: 11 instead of 20 unit bits per asset in unary) and shrinks the box the penalties
    are calibrated on, so the certified penalties are smaller too.
    """
    lo, hi = problem.unit_bounds
    cap = problem.units - max(problem.cardinality - 1, 0) * int(lo.min())
    return lo, np.maximum(np.minimum(hi, cap), lo)


def build_layout(problem: PortfolioProblem, encoding: str | WeightEncoding | None = None) -> VariableLayout:
    """Variables of ``problem`` under ``encoding`` (see :mod:`qportfolio.encodings`)."""
    enc = get_encoding(encoding)
    lo, hi = encoded_unit_bounds(problem)
    labels: list[str] = []
    asset, coefficient, is_sel, sel_index, parent = [], [], [], [], []
    for i, name in enumerate(problem.assets):
        if lo[i] > hi[i]:
            raise ValidationError(f"asset {name!r} has no grid weight inside its bounds")
        first = len(labels)
        sel_index.append(first)
        labels.append(f"{name}:sel")
        asset.append(i)
        coefficient.append(lo[i])
        is_sel.append(True)
        parent.append(-1)
        coeffs = enc.coefficients(int(hi[i] - lo[i]))
        for j, (c, up) in enumerate(zip(coeffs, enc.parents(len(coeffs)))):
            labels.append(f"{name}:w{j}")
            asset.append(i)
            coefficient.append(int(c))
            is_sel.append(False)
            parent.append(first if up < 0 else first + 1 + int(up))
    return VariableLayout(
        labels=tuple(labels),
        asset=np.array(asset, dtype=np.int64),
        coefficient=np.array(coefficient, dtype=np.int64),
        is_selection=np.array(is_sel, dtype=bool),
        selection_index=np.array(sel_index, dtype=np.int64),
        parent=np.array(parent, dtype=np.int64),
        encoding=enc,
    )


def single_violation_cap(problem: PortfolioProblem) -> int:
    """Most units any asset can hold in an assignment with exactly one unit constraint violation."""
    lo = problem.unit_bounds[0]
    return problem.units - max(problem.cardinality - 2, 0) * int(lo.min())


def calibrate_penalties(problem: PortfolioProblem, margin: float = 0.05,
                        lagrangian_shift: bool = True) -> tuple[Penalties, PenaltyCalibration]:
    """Smallest penalties (times 1 + margin) that the bound in the module docstring certifies."""
    step = problem.weight_step
    upper = encoded_unit_bounds(problem)[1] * step
    eig_max = max_eigenvalue(problem.covariance)
    w_full = solve_relaxation(problem, upper, eig_max=eig_max)
    full = lagrangian_bound(problem, upper, w_full)
    units = heuristic_units(problem, w_full)
    f_up = units_objective(problem, units)
    floor = 1e-6 * max(abs(f_up), abs(full.value), 1e-300)
    if not lagrangian_shift:
        gap = max(f_up - full.value, 0.0)
        base = (1.0 + margin) * gap + floor
        budget = (1.0 + margin) * (gap + abs(full.nu) * step) + floor
        pen = Penalties(cardinality=base, budget=budget, linking=base)
        return pen, PenaltyCalibration(f_up, full.value, full.nu, margin, units)
    upper_single = np.minimum(upper, single_violation_cap(problem) * step)
    w_single = w_full if np.array_equal(upper_single, upper) else solve_relaxation(problem, upper_single, eig_max=eig_max)
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


@dataclass(frozen=True)
class DecodedSamples:
    """Samples mapped back to portfolios (one row per sample)."""

    units: np.ndarray  # (samples, n) int
    weights: np.ndarray  # (samples, n) float
    selected: np.ndarray  # (samples, n) bool, the selection bits
    feasible: np.ndarray  # (samples,) bool
    objective: np.ndarray  # (samples,) f(w) recomputed in float64
    cardinality_violation: np.ndarray  # sum s - K
    budget_violation: np.ndarray  # sum m - U (units)
    linking_violation: np.ndarray  # weight bits set on unselected assets


@dataclass(frozen=True, eq=False)
class QuboModel:
    """A problem's QUBO: its structured form, variable layout, penalties and a decoder; the dimod
    BQM (``bqm``) is built on first use, so that samplers which take the structure never pay for
    N^2 couplings (:mod:`qportfolio.formulations.qubo_structure`)."""

    problem: PortfolioProblem
    layout: VariableLayout
    penalties: Penalties
    calibration: PenaltyCalibration | None
    encode_seconds: float
    shift: float = 0.0  # nu * step of the Lagrangian shift term (0 when not used)
    structure: QuboStructure | None = None  # None for a QUBO read from a file (its BQM is the file's)
    built_bqm: dimod.BinaryQuadraticModel | None = field(default=None, repr=False)
    calibrate_seconds: float = 0.0  # the part of encode_seconds spent calibrating the penalties

    def __post_init__(self) -> None:
        if self.structure is None and self.built_bqm is None:
            raise ValidationError("a QuboModel needs its structure or a BQM")

    @property
    def bqm(self) -> dimod.BinaryQuadraticModel:
        """The dimod BQM (built once, in row blocks, after the memory guard's estimate)."""
        if self.built_bqm is None:
            nv = self.num_variables
            check_allocation(f"a dimod BQM of {nv:,} variables ({self.layout.encoding.name} encoding)",
                             bqm_bytes(nv), "use a sampler that takes the structured QUBO (tabu-structured, qubo), "
                             "a coarser weight_step, fewer assets, or selection-only weights")
            object.__setattr__(self, "built_bqm", self.structure.to_bqm())  # type: ignore[union-attr]
        return self.built_bqm  # type: ignore[return-value]

    @property
    def has_bqm(self) -> bool:
        """Whether the BQM exists already (reading ``bqm`` builds it)."""
        return self.built_bqm is not None

    @property
    def offset(self) -> float:
        """Constant term of the energy (``bqm.energy`` and ``energies`` include it)."""
        return float(self.structure.offset if self.structure is not None else self.bqm.offset)

    @property
    def num_variables(self) -> int:
        return len(self.layout.labels)

    def _coupling_stats(self, scan_all: bool = False) -> tuple[int, float, float] | None:
        """(couplings, largest |J|, smallest non-zero |J|) from the structure, scanned blockwise when
        N <= STATS_MAX_VARIABLES or ``scan_all`` (O(N^2) time, bounded memory); cached."""
        cached = self.__dict__.get("_stats")
        if cached is None and self.structure is not None:
            cached = self.structure.coupling_stats(None if scan_all else STATS_MAX_VARIABLES)
            if cached is not None:
                object.__setattr__(self, "_stats", cached)
        return cached

    @property
    def num_interactions(self) -> int | None:
        """Non-zero couplings (None when the BQM is not built and N is too large to scan cheaply;
        :meth:`count_interactions` scans any size)."""
        if self.has_bqm:
            return self.bqm.num_interactions
        stats = self._coupling_stats()
        return None if stats is None else stats[0]

    def count_interactions(self) -> int:
        """Non-zero couplings at any size (a blockwise scan of the structure when there is no BQM)."""
        if self.has_bqm or self.structure is None:
            return self.bqm.num_interactions
        return self._coupling_stats(scan_all=True)[0]  # type: ignore[index]

    def energies(self, samples: Any) -> np.ndarray:
        """QUBO energy of each sample (offset included), from the structure when there is one."""
        if self.structure is None:
            return np.asarray(self.bqm.energies((self.sample_matrix(samples), list(self.layout.labels))), dtype=float)
        return self.structure.energies(self.sample_matrix(samples))

    def sample_matrix(self, samples: Any) -> np.ndarray:
        """Samples (SampleSet, dict, list of dicts or array in layout order) as a 0/1 matrix."""
        if isinstance(samples, np.ndarray) and samples.ndim in (1, 2):
            arr = np.atleast_2d(samples)
            if arr.shape[1] != self.num_variables:
                raise ValidationError(f"sample array has {arr.shape[1]} columns, the QUBO has {self.num_variables} variables")
            return arr.astype(np.int8)
        arr, labels = dimod.as_samples(samples)
        index = {label: col for col, label in enumerate(labels)}
        try:
            cols = [index[label] for label in self.layout.labels]
        except KeyError as exc:
            raise ValidationError(f"sample lacks variable {exc.args[0]!r} of this QUBO") from exc
        return np.asarray(arr[:, cols], dtype=np.int8)

    def decode(self, samples: Any) -> DecodedSamples:
        """Vectorised decode of many samples to units, weights, feasibility and objective."""
        x = self.sample_matrix(samples).astype(np.int64)
        lay, problem = self.layout, self.problem
        units = np.zeros((x.shape[0], problem.n), dtype=np.int64)
        np.add.at(units.T, lay.asset, (x * lay.coefficient).T)
        selected = x[:, lay.selection_index].astype(bool)
        card = selected.sum(axis=1) - problem.cardinality
        budget = units.sum(axis=1) - problem.units
        bits = np.flatnonzero(~lay.is_selection)
        linking = (x[:, bits] > x[:, lay.parent[bits]]).sum(axis=1)  # bits set above an unset parent
        weights = units * problem.weight_step
        return DecodedSamples(
            units=units,
            weights=weights,
            selected=selected,
            feasible=(card == 0) & (budget == 0) & (linking == 0),
            objective=np.atleast_1d(problem.objective(weights)),
            cardinality_violation=card,
            budget_violation=budget,
            linking_violation=linking,
        )

    def weights(self, samples: Any) -> np.ndarray:
        """(samples, n) weights of samples of this QUBO (the formulation's way back; see ``decode``
        for feasibility, violations and objectives)."""
        return self.decode(samples).weights

    def encode_units(self, units: np.ndarray) -> dict[str, int]:
        """The assignment (label -> 0/1) of a feasible unit vector: the inverse of ``decode``."""
        units = np.asarray(units, dtype=np.int64)
        lo, hi = encoded_unit_bounds(self.problem)
        enc = self.layout.encoding
        x = np.zeros(self.num_variables, dtype=np.int64)
        for i in np.flatnonzero(units):
            if not lo[i] <= units[i] <= hi[i]:
                raise ValidationError(f"units[{i}]={units[i]} is outside the grid range of asset {self.problem.assets[i]!r}")
            first = int(self.layout.selection_index[i])
            span = int(hi[i] - lo[i])
            x[first] = 1
            x[first + 1:first + 1 + len(enc.coefficients(span))] = enc.canonical_bits(int(units[i] - lo[i]), span)
        return dict(zip(self.layout.labels, x.tolist()))

    def coefficient_ranges(self, scan_all: bool = False) -> dict[str, float] | None:
        """Largest / smallest non-zero |bias| of the linear and quadratic parts and of both: the
        dynamic range a device must resolve (hardware has a few bits of precision). None when the
        BQM is not built and the QUBO is too large to scan cheaply, unless ``scan_all``."""

        def ratio(values: np.ndarray) -> float:
            values = values[values > 0]
            return float(values.max() / values.min()) if values.size else 1.0

        if self.has_bqm or self.structure is None:
            lin = np.abs(np.asarray(list(self.bqm.linear.values()), dtype=float))
            quad = np.abs(np.asarray(list(self.bqm.quadratic.values()), dtype=float))
            return {"linear": ratio(lin), "quadratic": ratio(quad), "all": ratio(np.concatenate([lin, quad]))}
        stats = self._coupling_stats(scan_all)
        if stats is None:
            return None
        lin = np.abs(self.structure.bqm_linear())
        _, largest, smallest = stats
        quad = np.array([largest, smallest]) if np.isfinite(smallest) else np.zeros(0)
        return {"linear": ratio(lin), "quadratic": ratio(quad), "all": ratio(np.concatenate([lin, quad]))}

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "num_variables": self.num_variables,
            "num_interactions": self.num_interactions,
            "encoding": self.layout.encoding.name,
            "coefficient_ratio": (self.coefficient_ranges() or {}).get("all"),
            "selection_only": self.problem.selection_only,
            "penalties": self.penalties.as_dict(),
            "offset": self.offset,
            "lagrangian_shift": self.shift,
            "encode_seconds": self.encode_seconds,
        }
        if self.calibration is not None:
            out["calibration"] = {
                "upper_bound": self.calibration.upper_bound,
                "lower_bound": self.calibration.lower_bound,
                "multiplier": self.calibration.multiplier,
                "margin": self.calibration.margin,
            }
        return out


def _penalties_from(value: Penalties | Mapping[str, float] | float) -> Penalties:
    if isinstance(value, Penalties):
        pen = value
    elif isinstance(value, Mapping):
        names = ("cardinality", "budget", "linking")
        unknown = sorted(map(str, set(value) - set(names)))
        if unknown:
            raise ValidationError(f"penalties: unknown key(s) {unknown}; use cardinality, budget, linking")
        missing = [k for k in names if k not in value]
        if missing:
            raise ValidationError(f"penalties needs all of cardinality, budget, linking (a strength each); "
                                  f"missing: {', '.join(missing)}")
        pen = Penalties(**{k: validate.number(value[k], f"penalties.{k}") for k in names})
    else:
        strength = validate.number(value, "penalties")
        pen = Penalties(strength, strength, strength)
    for name, v in pen.as_dict().items():
        if not np.isfinite(v) or v < 0:
            raise ValidationError(f"penalties.{name} must be a finite non-negative number, got {v}")
    return pen


def encode(
    problem: PortfolioProblem,
    *,
    penalties: Penalties | Mapping[str, float] | float | None = None,
    penalty_scale: float = 1.0,
    margin: float = 0.05,
    lagrangian_shift: bool = True,
    encoding: str | WeightEncoding | None = None,
) -> QuboModel:
    """Encode ``problem`` as a QUBO (see module docstring for the energy and the penalty bound).

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
    pen = calibrated if penalties is None else _penalties_from(penalties)
    shift = calibration.multiplier * problem.weight_step if (lagrangian_shift and calibration) else 0.0
    pen = pen.scaled(penalty_scale)
    structure = qubo_structure(problem, layout, pen, shift)
    return QuboModel(problem, layout, pen, calibration, time.perf_counter() - start, shift, structure,
                     calibrate_seconds=calibrate_seconds)


def qubo_structure(problem: PortfolioProblem, layout: VariableLayout, pen: Penalties, shift: float) -> QuboStructure:
    """The structured QUBO (see the module docstring for the energy; the linear part has the
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


#: Marks the qportfolio information appended to a dimod binary BQM file (dimod reads the file's own
#: length-prefixed sections and ignores what follows them).
INFO_MARKER = b"\nQPORTFOLIO-QUBO-INFO\n"
FILE_FORMAT = "qportfolio-qubo/1"


def _info(qubo: QuboModel, options: Mapping[str, Any]) -> dict[str, Any]:
    from ..status import jsonable

    lay = qubo.layout
    return jsonable({
        "format": FILE_FORMAT,
        "fingerprint": qubo.problem.fingerprint,
        "problem": {**qubo.problem.to_spec(), "provenance": dict(qubo.problem.provenance)},
        "encoding": {"name": lay.encoding.name, "chain": lay.encoding.chain, "cap": lay.encoding.cap},
        "options": dict(options),
        "penalties": qubo.penalties.as_dict(),
        "shift": qubo.shift,
        "layout": {"labels": list(lay.labels), "asset": lay.asset, "coefficient": lay.coefficient,
                   "is_selection": lay.is_selection, "selection_index": lay.selection_index, "parent": lay.parent},
    })


def save(qubo: QuboModel, path: str, **options: Any) -> None:
    """Write ``qubo.bqm`` to ``path`` with what is needed to decode its samples alone: the problem,
    its fingerprint, the encoding, the penalties and the variable layout (``options``: how it was
    encoded, recorded as given). ``*.json``: dimod's serialisable form plus an ``info`` key; otherwise
    dimod's binary file (``BinaryQuadraticModel.from_file`` reads it as is) followed by that info."""
    import json

    info = _info(qubo, options)
    if str(path).endswith(".json"):
        with open(path, "w") as fh:
            json.dump({**qubo.bqm.to_serializable(), "info": info}, fh)
        return
    with open(path, "wb") as fh, qubo.bqm.to_file() as src:
        while chunk := src.read(1 << 20):
            fh.write(chunk)
        fh.write(INFO_MARKER + json.dumps(info).encode())


def load(path: str) -> QuboModel:
    """A QUBO written by :func:`save`, ready to ``decode`` samples (no re-encoding; the energies are
    the file's). A file without qportfolio's information is refused with the way to write one."""
    import json
    from pathlib import Path

    from ..encodings import WeightEncoding
    from ..errors import DataError
    from ..problem import PortfolioProblem

    raw = Path(path).read_bytes()
    if str(path).endswith(".json"):
        data = json.loads(raw)
        info = data.pop("info", None) if isinstance(data, dict) else None
        bqm = dimod.BinaryQuadraticModel.from_serializable(data) if info else None
    else:
        cut = raw.rfind(INFO_MARKER)
        info = json.loads(raw[cut + len(INFO_MARKER):]) if cut >= 0 else None
        bqm = dimod.BinaryQuadraticModel.from_file(raw[:cut]) if info else None
    if not info or info.get("format") != FILE_FORMAT or bqm is None:
        raise DataError(f"{path}: not a QUBO written by qportfolio (qportfolio encode --out FILE, or "
                        "qportfolio.formulations.qubo.save); it carries no problem and layout to decode with")
    spec = dict(info["problem"])
    provenance = spec.pop("provenance", {})
    problem = PortfolioProblem(**{k: v for k, v in spec.items()}, provenance=provenance)
    if problem.fingerprint != info["fingerprint"]:
        raise DataError(f"{path}: the stored problem's fingerprint {problem.fingerprint} differs from the recorded "
                        f"{info['fingerprint']}; the file was altered")
    lay = info["layout"]
    enc = info["encoding"]
    layout = VariableLayout(labels=tuple(lay["labels"]), asset=np.array(lay["asset"], dtype=np.int64),
                            coefficient=np.array(lay["coefficient"], dtype=np.int64),
                            is_selection=np.array(lay["is_selection"], dtype=bool),
                            selection_index=np.array(lay["selection_index"], dtype=np.int64),
                            parent=np.array(lay["parent"], dtype=np.int64),
                            encoding=WeightEncoding(enc["name"], chain=enc["chain"], cap=enc["cap"]))
    return QuboModel(problem, layout, Penalties(**info["penalties"]), None, 0.0, float(info["shift"]), built_bqm=bqm)


def decode_file(path: str, samples: Any) -> DecodedSamples:
    """Decode ``samples`` of the QUBO written to ``path`` (by ``qportfolio encode --out`` or :func:`save`):
    portfolios, feasibility and objectives, with nothing but the file."""
    return load(path).decode(samples)
