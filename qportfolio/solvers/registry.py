"""The solver registry: ``register`` a backend class, ``get`` it by name, list ``available``.

A new backend is one module that defines a :class:`Solver` subclass decorated with ``@register``.
Backends import :func:`register` from here; this module imports no backend by name. The
built-in modules are listed in :data:`BUILTIN_MODULES` and loaded on first need, the way plugins are
found from entry points: :func:`get` of a built-in name imports only the module that defines it
(:data:`BUILTIN_SOLVERS`), so that one solve pays for its own backend and not for every one;
:func:`available` (and :func:`load_builtins`) import them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from ..errors import SolverError, ValidationError
from ..problem import PortfolioProblem
from ..result import Result
from .base import Solver

#: Modules of the built-in backends (each registers its solvers when imported), relative to this
#: package; a backend that is a package names its solver modules ("dwave.qpu"), not the package.
BUILTIN_MODULES = ("dwave_samplers", "tabu_structured", "hybrid_workflows", "sqa", "brute", "dwave.qpu", "dwave.leap",
                   "exact", "qaoa", "qaoa_fast", "recommended", "decompose")

#: The module of :data:`BUILTIN_MODULES` that registers each built-in solver: ``get(name)`` imports
#: it alone. A name missing here, or moved, still resolves (``get`` then loads every built-in);
#: tests/cli/test_flags.py checks the table against the registrations.
BUILTIN_SOLVERS = {
    "brute": "brute", "decompose": "decompose", "dwave-hybrid-bqm": "dwave.leap", "dwave-hybrid-cqm": "dwave.leap",
    "dwave-qpu": "dwave.qpu", "exact-continuous": "exact", "exact-discrete": "exact", "kerberos": "hybrid_workflows",
    "pt": "hybrid_workflows", "qaoa": "qaoa", "qaoa-fast": "qaoa_fast", "qubo": "recommended", "sa": "dwave_samplers",
    "sqa": "sqa", "steepest": "dwave_samplers", "tabu": "dwave_samplers", "tabu-restarts": "dwave_samplers",
    "tabu-structured": "tabu_structured",
}

_REGISTRY: dict[str, Callable[[], Solver]] = {}
_LOADED: list[bool] = []  # one entry once every built-in module has been imported


def _load_builtin(name: str) -> None:
    """Import the module that registers the built-in solver ``name`` (every built-in module if the
    table does not say, or says wrongly)."""
    module = BUILTIN_SOLVERS.get(name)
    if module is not None:
        importlib.import_module(f"{__package__}.{module}")
    if name not in _REGISTRY:
        load_builtins()


def register(cls: type[Solver]) -> type[Solver]:
    """Class decorator: make ``cls`` available under ``cls.name``."""
    builtin = BUILTIN_SOLVERS.get(cls.name)
    if builtin is not None and cls.__module__ != f"{__package__}.{builtin}" and cls.name not in _REGISTRY:
        importlib.import_module(f"{__package__}.{builtin}")  # a built-in name is taken even before its module loads
    if cls.name in _REGISTRY:
        raise SolverError(f"a solver named {cls.name!r} is already registered")
    _REGISTRY[cls.name] = cls
    return cls


def unregister(name: str) -> None:
    """Remove the solver registered under ``name`` (tests, notebooks that redefine a backend)."""
    if name not in _REGISTRY and name in BUILTIN_SOLVERS:
        _load_builtin(name)
    if _REGISTRY.pop(name, None) is None:
        raise SolverError(f"no solver named {name!r} is registered")


def load_builtins() -> None:
    """Import the built-in backend modules so that they register themselves (idempotent)."""
    if _LOADED:
        return
    for module in BUILTIN_MODULES:
        importlib.import_module(f"{__package__}.{module}")
    _LOADED.append(True)


def available() -> list[str]:
    """Names of the registered solvers (every built-in loaded)."""
    load_builtins()
    return sorted(_REGISTRY)


def get(solver: str | Solver | Any) -> Solver:
    """A solver instance from a name, a Solver, or any dimod sampler object."""
    if isinstance(solver, Solver):
        return solver
    if isinstance(solver, str):
        if solver not in _REGISTRY:
            _load_builtin(solver)
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
