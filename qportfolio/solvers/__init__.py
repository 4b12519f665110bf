"""The solver registry: ``register`` a backend class, ``get`` it by name, list ``available``.

A new backend is one module here that defines a :class:`Solver` subclass decorated with
``@register``; built-in modules are imported below so that they register themselves.
"""

from __future__ import annotations

from typing import Any, Callable

from ..errors import SolverError, ValidationError
from ..problem import PortfolioProblem
from ..result import Result
from .base import Solver

_REGISTRY: dict[str, Callable[[], Solver]] = {}


def register(cls: type[Solver]) -> type[Solver]:
    """Class decorator: make ``cls`` available under ``cls.name``."""
    if cls.name in _REGISTRY:
        raise SolverError(f"a solver named {cls.name!r} is already registered")
    _REGISTRY[cls.name] = cls
    return cls


def available() -> list[str]:
    """Names of the registered solvers."""
    return sorted(_REGISTRY)


def get(solver: str | Solver | Any) -> Solver:
    """A solver instance from a name, a Solver, or any dimod sampler object."""
    if isinstance(solver, Solver):
        return solver
    if isinstance(solver, str):
        try:
            return _REGISTRY[solver]()
        except KeyError:
            raise SolverError(f"unknown solver {solver!r}; available: {', '.join(available())}") from None
    if hasattr(solver, "sample") and hasattr(solver, "parameters"):
        from .annealing import DimodSamplerSolver

        return DimodSamplerSolver(solver)
    raise ValidationError(f"solver must be a name ({', '.join(available())}), a Solver or a dimod sampler, got {solver!r}")


def solve(problem: PortfolioProblem, solver: str | Solver | Any = "sa", **options: Any) -> Result:
    """Solve ``problem`` with ``solver`` (a registered name, a Solver, or a dimod sampler)."""
    return get(solver).solve(problem, **options)


from . import annealing, brute, dwave, exact, qaoa, qaoa_fast  # noqa: E402,F401  (built-ins register themselves)

__all__ = ["Solver", "available", "get", "register", "solve"]
