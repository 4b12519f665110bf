"""The solver interface: a name, declared options, and ``solve(problem, **options) -> Result``.

Like dimod's samplers, a solver declares the options it accepts (``options``: name -> help);
anything else is refused with a message listing what is allowed. A backend implements one hook,
``_solve(problem, **options) -> SolverOutput`` (QUBO backends implement the narrower
``_sample`` of :class:`qportfolio.solvers.qubo_solver.QuboSolver` instead), and may add its own
lines to the CLI report (``report_lines``) and its own columns to benchmark rows
(``benchmark_metrics``), so that neither the CLI nor the benchmark runner knows any backend.
"""

from __future__ import annotations

import math
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import dimod
import numpy as np

from .. import validate
from ..errors import ValidationError
from ..outcome import Status
from ..problem import PortfolioProblem
from ..result import Result
from .option_types import check_option_values


def check_positive_int(name: str, value: Any) -> int:
    """An option that must be a positive integer (bools and strings refused, nothing coerced)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValidationError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_positive_number(name: str, value: Any) -> float:
    """An option that must be a positive finite number."""
    if not validate.is_number(value) or not math.isfinite(float(value)) or value <= 0:
        raise ValidationError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def resolve_seed(seed: int | None) -> int:
    """The seed to use: the caller's, or a fresh one that is then recorded with the result."""
    if seed is None:
        return secrets.randbelow(2**31 - 1)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValidationError(f"seed must be an integer in [0, 2**32), got {seed!r}")
    return int(seed)


@dataclass(frozen=True, eq=False)
class SolverOutput:
    """What a backend's ``_solve`` hands back: a :class:`Result` less the problem, solver name and
    wall time, which :meth:`Solver.solve` adds."""

    weights: np.ndarray
    feasible: bool
    status: Status
    parameters: dict[str, Any]
    seed: int | None = None
    message: str = ""
    bound: float | None = None
    sampleset: dimod.SampleSet | None = None
    info: dict[str, Any] = field(default_factory=dict)


#: Columns every benchmark row has; a backend fills those that apply to it (see ``benchmark_metrics``).
BENCHMARK_METRICS = ("sample_seconds", "qpu_access_time", "num_variables", "num_interactions", "penalty_scale",
                     "penalties", "feasible_fraction", "num_samples")


class Solver(ABC):
    """Base class of every backend; subclasses set ``name``, ``options`` and ``_solve``."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    options: ClassVar[Mapping[str, str]] = {}

    def check_options(self, options: Mapping[str, Any]) -> None:
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            allowed = ", ".join(sorted(self.options)) or "none"
            raise ValidationError(f"solver {self.name!r} does not take option(s) {', '.join(unknown)}; allowed: {allowed}")

    def solve(self, problem: PortfolioProblem, **options: Any) -> Result:
        """Validate the options, run the backend, and time the whole call."""
        if not isinstance(problem, PortfolioProblem):
            raise ValidationError(f"problem must be a PortfolioProblem, got {type(problem).__name__}")
        self.check_options(options)
        options = check_option_values(self.name, options)
        start = time.perf_counter()
        out = self._solve(problem, **options)
        wall = time.perf_counter() - start
        return Result(problem=problem, weights=out.weights, feasible=out.feasible, status=out.status, solver=self.name,
                      parameters=out.parameters, wall_time=wall, seed=out.seed, message=out.message, bound=out.bound,
                      sampleset=out.sampleset, info=out.info)

    @abstractmethod
    def _solve(self, problem: PortfolioProblem, **options: Any) -> SolverOutput:
        """Solve ``problem`` with validated ``options``."""

    def report_lines(self, result: Result) -> list[str]:
        """Lines the CLI prints under the result for this backend (none by default)."""
        return []

    def benchmark_metrics(self, result: Result) -> dict[str, Any]:
        """This backend's values of :data:`BENCHMARK_METRICS` for a benchmark row (None where n/a)."""
        return dict.fromkeys(BENCHMARK_METRICS)
