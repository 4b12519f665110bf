"""The solver registry: ``register`` a backend class, ``get`` it by name, list ``available``.

A new backend is one module that defines a :class:`Solver` subclass decorated with ``@register``.
Backends import :func:`register` from here; this module imports no backend by name. The
built-in modules are listed in :data:`BUILTIN_MODULES` and loaded by :func:`load_builtins` (the
``qportfolio.solvers`` package calls it), the way plugins are found from entry points.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from ..errors import SolverError, ValidationError
from ..problem import PortfolioProblem
from ..result import Result
from .base import Solver

#: Modules of the built-in backends (each registers its solvers when imported).
BUILTIN_MODULES = ("dwave_samplers", "tabu_structured", "hybrid_workflows", "sqa", "brute", "dwave", "exact", "qaoa", "qaoa_fast",
                   "recommended", "decompose")

_REGISTRY: dict[str, Callable[[], Solver]] = {}


def register(cls: type[Solver]) -> type[Solver]:
    """Class decorator: make ``cls`` available under ``cls.name``."""
    if cls.name in _REGISTRY:
        raise SolverError(f"a solver named {cls.name!r} is already registered")
    _REGISTRY[cls.name] = cls
    return cls


def unregister(name: str) -> None:
    """Remove the solver registered under ``name`` (tests, notebooks that redefine a backend)."""
    if _REGISTRY.pop(name, None) is None:
        raise SolverError(f"no solver named {name!r} is registered")


def load_builtins() -> None:
    """Import the built-in backend modules so that they register themselves (idempotent)."""
    for module in BUILTIN_MODULES:
        importlib.import_module(f"{__package__}.{module}")


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
        from .qubo_solver import DimodSamplerSolver

        return DimodSamplerSolver(solver)
    raise ValidationError(f"solver must be a name ({', '.join(available())}), a Solver or a dimod sampler, got {solver!r}")


#: The solver used when none is named: the recommended raw QUBO configuration (``solvers/recommended.py``).
DEFAULT_SOLVER = "qubo"


def solve(problem: PortfolioProblem, solver: str | Solver | Any = DEFAULT_SOLVER, **options: Any) -> Result:
    """Solve ``problem`` with ``solver`` (a registered name, a Solver, or a dimod sampler; by
    default the recommended QUBO configuration, ``qubo``)."""
    return get(solver).solve(problem, **options)
