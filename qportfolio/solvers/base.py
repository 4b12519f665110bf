"""The solver interface: a name, declared options, and ``solve(problem, **options) -> Result``.

Like dimod's samplers, a solver declares the options it accepts, once: ``options`` maps each name
to a typed :class:`~qportfolio.solvers.options.Option` (check, default, help, role), and
:meth:`Solver.validate_options` is the one gate every call passes; anything undeclared is refused
with a message listing what is allowed. A backend implements one hook,
``_solve(problem, **options) -> SolverOutput`` (QUBO backends implement the narrower
``_sample`` of :class:`qportfolio.solvers.qubo_solver.QuboSolver` instead). The hook receives every
declared option, its declared default filled in where it was not given (:meth:`Solver.with_defaults`),
so that a default lives on its Option record only and never in a hook's signature
(tests/solvers/test_declarations.py compares the two). A backend says which typed
diagnostics its results carry (``diagnose``: sample statistics, QPU, decomposition, exact; see
:mod:`qportfolio.diagnostics`), which the CLI and the benchmark runner render generically, so that
neither knows any backend and no backend formats lines or names columns.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import dimod
import numpy as np

from ..diagnostics import BENCHMARK_METRICS, Diagnostics, benchmark_columns  # noqa: F401 (BENCHMARK_METRICS: its old home)
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




class Solver(ABC):
    """Base class of every backend; subclasses set ``name``, ``options`` and ``_solve``."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    options: ClassVar[Mapping[str, Option]] = {}
    #: Older names that still reach this solver (``get(alias)``); a result records the name asked for.
    aliases: ClassVar[tuple[str, ...]] = ()
    #: Whether ``_solve`` receives every declared option with its default filled in (False: only the
    #: options given, for a ``_solve`` that forwards them, as QuboSolver's does to its ``_sample``).
    fills_defaults: ClassVar[bool] = True

    def with_defaults(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """Every declared option: its value in ``options`` (validated), else its declared default."""
        return {name: options.get(name, option.default) for name, option in self.options.items()}

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
        out = self._solve(problem, **(self.with_defaults(options) if self.fills_defaults else options))
        wall = time.perf_counter() - start
        result = Result(problem=problem, weights=out.weights, feasible=out.feasible, status=out.status, solver=self.name,
                        parameters=out.parameters, wall_time=wall, seed=out.seed, message=out.message, bound=out.bound,
                        sampleset=out.sampleset, info=out.info)
        diagnostics = self.diagnose(result)
        return dataclasses.replace(result, diagnostics=diagnostics) if diagnostics else result

    def replay_options(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Options that redo the work of the result ``record`` (``Result.to_dict()``) exactly, on any
        machine; backends whose work a seed and counts fix override it (the default refuses)."""
        raise ValidationError(f"{self.name} results cannot be replayed: its work is not fixed by a seed and counts "
                              "(see the docs' page on reproducibility); run it again with the same options instead")

    @abstractmethod
    def _solve(self, problem: PortfolioProblem, **options: Any) -> SolverOutput:
        """Solve ``problem`` with validated ``options`` (every declared one, defaults filled in)."""

    def diagnose(self, result: Result) -> tuple[Diagnostics, ...]:
        """The typed diagnostics this backend's ``result`` carries, views of its ``info`` (none by default;
        e.g. ``diagnostics.of(result, SampleStatistics)``)."""
        return ()

    def report_lines(self, result: Result) -> list[str]:
        """Lines the CLI prints under ``result``: its diagnostics, rendered generically."""
        return result.report_lines()

    def benchmark_metrics(self, result: Result) -> dict[str, Any]:
        """The :data:`BENCHMARK_METRICS` columns of ``result``'s diagnostics (None where n/a)."""
        return benchmark_columns(result.diagnostics)
