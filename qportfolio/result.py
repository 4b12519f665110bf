"""One result type for every solver, in the spirit of scipy's ``OptimizeResult``.

The objective is always recomputed in float64 from the returned weights, never taken from a
solver's own (possibly scaled or tolerance-distorted) value. Exact solvers add their proven
``bound`` and ``gap``; samplers keep their raw ``dimod.SampleSet``.

Relative gap: ``(objective - bound) / max(|objective|, |bound|)`` (0 when both are 0); portfolio
objectives can be ~1e-5, so the absolute gap ``objective - bound`` is reported as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import dimod
import numpy as np

from .diagnostics import Diagnostics, from_dicts
from .diagnostics import report_lines as diagnostic_lines
from .problem import PortfolioProblem
from .status import Status, jsonable, weights_by_asset
from .utils.display import held_rows, table
from .utils.versions import package_versions

#: Statuses a result may carry (the values of :class:`qportfolio.status.Status`).
STATUSES = tuple(s.value for s in Status)


def relative_gap(objective: float, bound: float) -> float:
    """Relative optimality gap, well defined for objectives near zero (see module docstring)."""
    denom = max(abs(objective), abs(bound))
    return 0.0 if denom == 0.0 else (objective - bound) / denom


@dataclass(frozen=True, eq=False)
class Result:
    """What every solver returns; ``str(result)`` is a readable report, ``to_dict()`` is JSON-safe."""

    problem: PortfolioProblem = field(repr=False)
    weights: np.ndarray
    feasible: bool
    status: Status
    solver: str
    parameters: dict[str, Any]
    wall_time: float
    seed: int | None = None
    message: str = ""
    bound: float | None = None
    sampleset: dimod.SampleSet | None = field(default=None, repr=False)
    info: dict[str, Any] = field(default_factory=dict, repr=False)
    versions: dict[str, str] = field(default_factory=package_versions, repr=False)
    #: Typed views of ``info`` the solver attached (sample statistics, QPU, decomposition, exact, QAOA):
    #: what the CLI prints under the result and the benchmark runner stores (:mod:`qportfolio.diagnostics`).
    diagnostics: tuple[Diagnostics, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        w = np.array(self.weights, dtype=float, copy=True)
        w.setflags(write=False)
        object.__setattr__(self, "weights", w)
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {self.status!r}")
        object.__setattr__(self, "status", Status(self.status))
        object.__setattr__(self, "diagnostics", tuple(self.diagnostics))

    # scipy-style aliases and derived figures
    @property
    def x(self) -> np.ndarray:
        return self.weights

    @property
    def objective(self) -> float:
        return float(self.problem.objective(self.weights))

    fun = objective

    @property
    def expected_return(self) -> float:
        return self.problem.expected_return(self.weights)

    @property
    def volatility(self) -> float:
        return self.problem.volatility(self.weights)

    @property
    def selected(self) -> tuple[str, ...]:
        return tuple(a for a, w in zip(self.problem.assets, self.weights) if w > 0)

    @property
    def fingerprint(self) -> str:
        return self.problem.fingerprint

    @property
    def gap(self) -> float | None:
        return None if self.bound is None else relative_gap(self.objective, self.bound)

    @property
    def absolute_gap(self) -> float | None:
        return None if self.bound is None else self.objective - self.bound

    @property
    def assets(self) -> tuple[str, ...]:
        return self.problem.assets

    def weights_by_asset(self, tol: float | None = 0.0) -> dict[str, float]:
        """{asset: weight} of the positions with ``|weight| > tol``; ``tol=None`` keeps every asset."""
        return weights_by_asset(self.problem.assets, self.weights, tol)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable summary (no sample set; the sample statistics are in ``info``)."""
        out = {
            "objective": self.objective,
            "weights": self.weights_by_asset(),
            "selected": list(self.selected),
            "feasible": self.feasible,
            "status": self.status,
            "solver": self.solver,
            "wall_s": self.wall_time,
            "expected_return": self.expected_return,
            "volatility": self.volatility,
            "bound": self.bound,
            "gap": self.gap,
            "absolute_gap": self.absolute_gap,
            "message": self.message,
            "seed": self.seed,
            "parameters": self.parameters,
            "problem": self.problem.describe(),
            "info": self.info,
            "versions": self.versions,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }
        return jsonable(out)

    def diagnostic(self, kind: type[Diagnostics]) -> Diagnostics | None:
        """The attached record of class ``kind`` (e.g. :class:`~qportfolio.diagnostics.SampleStatistics`), if any."""
        return next((d for d in self.diagnostics if isinstance(d, kind)), None)

    def report_lines(self) -> list[str]:
        """The diagnostics' lines of the text report (what ``qportfolio solve`` prints under the result)."""
        return diagnostic_lines(self.diagnostics)

    @staticmethod
    def diagnostics_from_dict(record: dict[str, Any]) -> tuple[Diagnostics, ...]:
        """The typed diagnostics of a ``to_dict()`` record (a saved ``solve --json`` result, a benchmark row)."""
        return from_dicts(record.get("diagnostics") or ())

    def to_pandas(self):
        """The held positions as a DataFrame indexed by asset (column ``weight``, largest first)."""
        import pandas as pd

        rows = held_rows(self.weights_by_asset())
        return pd.DataFrame({"weight": [w for _, w in rows]}, index=pd.Index([a for a, _ in rows], name="asset"))

    def _repr_html_(self) -> str:
        figures: dict[str, Any] = {"status": str(self.status), "feasible": str(self.feasible), "objective": self.objective}
        if self.bound is not None:
            figures |= {"bound": self.bound, "gap": self.gap}
        figures |= {"expected return": self.expected_return, "volatility": self.volatility,
                    "wall time (s)": self.wall_time}
        if not self.has_portfolio:
            return table(f"{self.solver} on {self.problem.name}: no feasible portfolio", figures, note=self.message)
        if self.info.get("feasible_fraction") is not None:
            figures["feasible samples"] = f"{100 * self.info['feasible_fraction']:.1f} %"
        caption = (f"{self.solver} on {self.problem.name} (n={self.problem.n}, K={self.problem.cardinality}, "
                   f"λ={self.problem.risk_aversion:g}, step={self.problem.weight_step:g})")
        return table(caption, figures, ("asset", "weight"), held_rows(self.weights_by_asset()), self.message)

    def __repr__(self) -> str:
        gap = "" if self.bound is None else f", gap={self.gap:.3g}"
        return (f"Result(solver={self.solver!r}, status={self.status.value!r}, objective={self.objective:.10g}{gap}, "
                f"held={len(self.selected)} of {self.problem.n}, problem={self.problem.name!r})")

    def __str__(self) -> str:
        lines = [
            f"solver      {self.solver}   status {self.status}   feasible {self.feasible}",
            f"problem     {self.problem.name} (n={self.problem.n}, K={self.problem.cardinality}, "
            f"lambda={self.problem.risk_aversion:g}, step={self.problem.weight_step:g}, {self.fingerprint})",
            f"grid        {self.problem.grid_text()}",
            f"objective   {self.objective:.10g}" + ("" if self.has_portfolio else
                                                    "   (of an infeasible assignment, not a portfolio)"),
        ]
        if self.bound is not None:
            lines.append(f"bound       {self.bound:.10g}   gap {self.gap:.3g}")
        lines += [
            f"return      {self.expected_return:.6g}   volatility {self.volatility:.6g}",
            f"wall time   {self.wall_time:.3f} s" + (f"   seed {self.seed}" if self.seed is not None else ""),
        ]
        if self.message:
            lines.append(f"message     {self.message}")
        if not self.has_portfolio:
            broken = "; ".join(self.problem.violations(self.weights)) or "the sample breaks the QUBO's linking constraints"
            lines.append(f"weights     none: no feasible portfolio ({broken})")
            return "\n".join(lines)
        held = sorted(self.weights_by_asset().items(), key=lambda kv: -kv[1])
        width = max((len(a) for a, _ in held), default=5)
        lines.append("weights")
        lines += [f"  {a:<{width}}  {w:8.4f}" for a, w in held]
        return "\n".join(lines)

    @property
    def has_portfolio(self) -> bool:
        """Whether the answer is a portfolio: a feasible status (optimal, feasible, a time limit with an
        incumbent). ``infeasible`` and ``no_solution`` answers carry weights only as a diagnosis."""
        return self.status not in (Status.INFEASIBLE, Status.NO_SOLUTION)
