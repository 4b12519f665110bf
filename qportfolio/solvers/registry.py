"""The solver registry: ``register`` a backend class, ``get`` it by name, list ``available``.

A solver class may also declare ``aliases``: older names that still reach it (scripts, suites and
stored results use them). :func:`available` lists the current names, :func:`aliases` the old ones;
``get(alias)`` gives the solver under the name asked for, so that its results record that name
(a suite's labels and a stored result's replay stay as they were).

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
    "pt": "hybrid_workflows", "qaoa-qiskit": "qaoa", "qaoa-numpy": "qaoa_fast", "qubo": "recommended", "sa": "dwave_samplers",
    "sqa": "sqa", "steepest": "dwave_samplers", "tabu": "dwave_samplers", "tabu-restarts": "dwave_samplers",
    "tabu-structured": "tabu_structured",
}

#: The current name of each built-in alias (the solver classes declare them; this table lets ``get(alias)``
#: import one module; tests/solvers/test_registry.py checks it against the declarations).
BUILTIN_ALIASES = {"qaoa": "qaoa-qiskit", "qaoa-fast": "qaoa-numpy"}

_REGISTRY: dict[str, Callable[[], Solver]] = {}
_ALIASES: dict[str, str] = {}  # old name -> current name
_LOADED: list[bool] = []  # one entry once every built-in module has been imported


def _load_builtin(name: str) -> None:
    """Import the module that registers the built-in solver ``name`` (every built-in module if the
    table does not say, or says wrongly)."""
    module = BUILTIN_SOLVERS.get(BUILTIN_ALIASES.get(name, name))
    if module is not None:
        importlib.import_module(f"{__package__}.{module}")
    if name not in _REGISTRY and name not in _ALIASES:
        load_builtins()


def register(cls: type[Solver]) -> type[Solver]:
    """Class decorator: make ``cls`` available under ``cls.name`` and its ``aliases``."""
    names = (cls.name, *cls.aliases)
    for name in names:
        builtin = BUILTIN_SOLVERS.get(BUILTIN_ALIASES.get(name, name))
        if builtin is not None and cls.__module__ != f"{__package__}.{builtin}" and name not in _REGISTRY \
                and name not in _ALIASES:
            importlib.import_module(f"{__package__}.{builtin}")  # a built-in name is taken even before its module loads
    taken = [name for name in names if name in _REGISTRY or name in _ALIASES]
    if taken or len(set(names)) < len(names):
        raise SolverError(f"a solver named {(taken or [cls.name])[0]!r} is already registered")
    _REGISTRY[cls.name] = cls
    _ALIASES.update(dict.fromkeys(cls.aliases, cls.name))
    return cls


def unregister(name: str) -> None:
    """Remove the solver registered under ``name`` with its aliases, or the alias ``name`` alone
    (tests, notebooks that redefine a backend)."""
    if name not in _REGISTRY and name not in _ALIASES and (name in BUILTIN_SOLVERS or name in BUILTIN_ALIASES):
        _load_builtin(name)
    if _ALIASES.pop(name, None) is not None:
        return
    if _REGISTRY.pop(name, None) is None:
        raise SolverError(f"no solver named {name!r} is registered")
    for alias in [a for a, current in _ALIASES.items() if current == name]:
        del _ALIASES[alias]


def load_builtins() -> None:
    """Import the built-in backend modules so that they register themselves (idempotent)."""
    if _LOADED:
        return
    for module in BUILTIN_MODULES:
        importlib.import_module(f"{__package__}.{module}")
    _LOADED.append(True)


def available() -> list[str]:
    """Current names of the registered solvers (every built-in loaded; old names: :func:`aliases`)."""
    load_builtins()
    return sorted(_REGISTRY)


def aliases() -> dict[str, str]:
    """Old solver names that still work, each with the current name it stands for (every built-in loaded)."""
    load_builtins()
    return dict(sorted(_ALIASES.items()))


def is_registered(name: str) -> bool:
    """Whether ``name`` is a registered solver's name or alias (loading only what that takes)."""
    if name not in _REGISTRY and name not in _ALIASES:
        _load_builtin(name)
    return name in _REGISTRY or name in _ALIASES


def canonical(name: str) -> str:
    """The current name of the solver registered as ``name`` (``name`` itself unless it is an alias)."""
    return _ALIASES.get(name, name) if is_registered(name) else name


def get(solver: str | Solver | Any) -> Solver:
    """A solver instance from a name, a Solver, or any dimod sampler object."""
    if isinstance(solver, Solver):
        return solver
    if isinstance(solver, str):
        if not is_registered(solver):
            raise SolverError(f"unknown solver {solver!r}; available: {', '.join(available())}")
        instance = _REGISTRY[_ALIASES.get(solver, solver)]()
        if solver in _ALIASES:
            instance.name = solver  # the name asked for is the name its results record
        return instance
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
