"""The solver interface: a name, declared options, and ``solve(problem, **options) -> Result``.

Like dimod's samplers, a solver declares the options it accepts, once: ``options`` maps each name
to a typed :class:`~qportfolio.solvers.options.Option` (check, default, help, role), and
:meth:`Solver.validate_options` is the one gate every call passes; anything undeclared is refused
with a message listing what is allowed. A backend implements one hook,
``_solve(problem, **options) -> SolverOutput`` (QUBO backends implement the narrower
``_sample`` of :class:`qportfolio.solvers.qubo_solver.QuboSolver` instead), and may add its own
lines to the CLI report (``report_lines``) and its own columns to benchmark rows
(``benchmark_metrics``), so that neither the CLI nor the benchmark runner knows any backend.
"""

from __future__ import annotations

import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import dimod
import numpy as np

from ..errors import ValidationError
from ..problem import PortfolioProblem
from ..result import Result
from ..status import Status
from .options import Option, Role, budget_seconds, limit_seconds, validate_options, with_role


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
    options: ClassVar[Mapping[str, Option]] = {}

    def validate_options(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """The options checked against the declared ones (the one gate: ``solve``, suites and the
        CLI all call it): unknown names refused, values type-checked and normalised."""
        return validate_options(self.name, self.options, options)

    def option_for(self, role: Role) -> str | None:
        """The name of the option that plays ``role`` (e.g. the time limit a suite fills), if any."""
        return next((o.name for o in with_role(self.options, role)), None)

    def limit_seconds(self, options: Mapping[str, Any]) -> float | None:
        """How long a solve with ``options`` is meant to take at most, from the roles of the options
        given (the benchmark watchdog allows a multiple of it); None when none bounds it."""
        return limit_seconds(self.options, options)

    def budget_seconds(self, options: Mapping[str, Any]) -> float | None:
        """The time budget a solve with ``options`` spends sampling (given or default), if it has one."""
        return budget_seconds(self.options, options)

    def solve(self, problem: PortfolioProblem, **options: Any) -> Result:
        """Validate the options, run the backend, and time the whole call."""
        if not isinstance(problem, PortfolioProblem):
            raise ValidationError(f"problem must be a PortfolioProblem, got {type(problem).__name__}")
        options = self.validate_options(options)
        start = time.perf_counter()
        out = self._solve(problem, **options)
        wall = time.perf_counter() - start
        return Result(problem=problem, weights=out.weights, feasible=out.feasible, status=out.status, solver=self.name,
                      parameters=out.parameters, wall_time=wall, seed=out.seed, message=out.message, bound=out.bound,
                      sampleset=out.sampleset, info=out.info)

    def replay_options(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Options that redo the work of the result ``record`` (``Result.to_dict()``) exactly, on any
        machine; backends whose work a seed and counts fix override it (the default refuses)."""
        raise ValidationError(f"{self.name} results cannot be replayed: its work is not fixed by a seed and counts "
                              "(see the docs' page on reproducibility); run it again with the same options instead")

    @abstractmethod
    def _solve(self, problem: PortfolioProblem, **options: Any) -> SolverOutput:
        """Solve ``problem`` with validated ``options``."""

    def report_lines(self, result: Result) -> list[str]:
        """Lines the CLI prints under the result for this backend (none by default)."""
        return []

    def benchmark_metrics(self, result: Result) -> dict[str, Any]:
        """This backend's values of :data:`BENCHMARK_METRICS` for a benchmark row (None where n/a)."""
        return dict.fromkeys(BENCHMARK_METRICS)
