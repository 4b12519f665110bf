"""The solver interface: a name, declared options, and ``solve(problem, **options) -> Result``.

Like dimod's samplers, a solver declares the options it accepts (``options``: name -> help);
anything else is refused with a message listing what is allowed.
"""

from __future__ import annotations

import secrets
import time
from abc import ABC, abstractmethod
from typing import Any, ClassVar, Mapping

import numpy as np

from ..errors import ValidationError
from ..problem import PortfolioProblem
from ..result import Result


def resolve_seed(seed: int | None) -> int:
    """The seed to use: the caller's, or a fresh one that is then recorded with the result."""
    if seed is None:
        return secrets.randbelow(2**31 - 1)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValidationError(f"seed must be an integer in [0, 2**32), got {seed!r}")
    return int(seed)


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
        start = time.perf_counter()
        fields = self._solve(problem, **options)
        wall = time.perf_counter() - start
        return Result(problem=problem, wall_time=wall, **fields)

    @abstractmethod
    def _solve(self, problem: PortfolioProblem, **options: Any) -> dict[str, Any]:
        """Return the keyword fields of a :class:`Result` (all but problem and wall_time)."""
