"""``qubo``: the recommended raw QUBO configuration, what ``qportfolio solve`` and
``qp.solve(problem)`` use when no solver is named.

It is one registered backend with the encoding, penalty strategy, time budget and stopping rule
that gave the best raw gap to the proven optimum on the OR-Library in
``benchmarks/qubo_formulations.py`` (the table is on the docs' results page): tabu search on the
structured QUBO (O(N + n^2) memory, so Chang's 0.01 grid and thousands of assets fit), domain-wall
weights, certified penalties, at most 10 s for the whole solve, ending earlier once 50 sampler calls
in a row bring no lower energy (the budget is a cap, not a price). Repair and polish stay off, so
the answer is the sampler's own best feasible sample (``info["raw_best_objective"]``). Every
option of the backend can still be passed and overrides the recommended value; ``info["backend"]``
names the backend.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar

from ..diagnostics import Diagnostics
from ..problem import PortfolioProblem
from ..result import Result
from .base import Solver, SolverOutput
from .options import Option
from .registry import get, register

#: (backend, options) measured best; see the module docstring.
RECOMMENDED: tuple[str, Mapping[str, Any]] = (
    "tabu-structured", {"encoding": "domain-wall", "penalty_strategy": "calibrated", "time_budget": 10.0, "patience": 50})


@register
class RecommendedQubo(Solver):
    name: ClassVar[str] = "qubo"
    fills_defaults: ClassVar[bool] = False  # the options as given go to the backend, which fills its own
    description = "recommended raw QUBO configuration ({}: {})".format(
        RECOMMENDED[0], ", ".join(f"{k}={v}" for k, v in RECOMMENDED[1].items()))

    @property
    def backend(self) -> Solver:
        return get(RECOMMENDED[0])

    @property
    def options(self) -> Mapping[str, Option]:  # type: ignore[override]
        """The backend's options, with the recommended values as their defaults."""
        declared = self.backend.options
        return {name: dataclasses.replace(o, default=RECOMMENDED[1].get(name, o.default)) for name, o in declared.items()}

    def _solve(self, problem: PortfolioProblem, **options: Any) -> SolverOutput:
        out = self.backend._solve(problem, **{**RECOMMENDED[1], **options})
        return dataclasses.replace(out, info={**out.info, "backend": RECOMMENDED[0]})

    def replay_options(self, record: Mapping[str, Any]) -> dict[str, Any]:
        return self.backend.replay_options(record)

    def diagnose(self, result: Result) -> tuple[Diagnostics, ...]:
        return self.backend.diagnose(result)
