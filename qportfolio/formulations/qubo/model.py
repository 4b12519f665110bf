"""A problem's QUBO as a model: its structure, layout and penalties, the BQM on demand, energies
and the decode back to portfolios.

Energy (``bqm.energy`` includes ``bqm.offset``), with m the units per asset of an assignment x
(:mod:`.layout`) and w = step * m:

    E(x) = f(w) - nu step (sum_i m_i - U) + A (sum_i s_i - K)^2 + B (sum_i m_i - U)^2
           + C sum_ij b_ij (1 - parent(b_ij))

On a feasible x the shift and the three penalties vanish, so E(x) = f(w); ``decode`` recomputes f
in float64 and reports each violation (:mod:`qportfolio.formulations.qubo`, :mod:`..penalties`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import dimod
import numpy as np

from ...errors import ValidationError
from ...problem import PortfolioProblem
from ...utils.memory import check_allocation
from ..penalties import Penalties, PenaltyCalibration
from .layout import VariableLayout, encoded_unit_bounds
from .structure import BLOCK_BYTES, BQM_BYTES_PER_INTERACTION, QuboStructure

#: QUBOs up to this many variables get their coupling count and range scanned for ``summary``
#: (an O(N^2)-time, bounded-memory scan; larger ones report them once their BQM is built)
STATS_MAX_VARIABLES = 6000


def bqm_bytes(num_variables: int) -> float:
    """Estimated bytes of the dense dimod BQM of ``num_variables`` variables plus its build blocks."""
    blocks = 2.0 * min(BLOCK_BYTES, 32.0 * num_variables * num_variables)  # a row block and its temporaries
    return BQM_BYTES_PER_INTERACTION * num_variables * (num_variables - 1) / 2.0 + blocks



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

