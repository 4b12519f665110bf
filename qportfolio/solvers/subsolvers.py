"""A hybrid's subsolver as a dimod sampler: what ``decompose``, kerberos and pt accept as ``subsolver``.

A registered QUBO solver's name is a shortcut for ``get(name).as_sampler(**subsolver_options)``; a
QuboSolver instance gives its own ``as_sampler``; ``random`` and ``exhaustive`` are the controls of
:mod:`.controls`; any other dimod sampler object is used as it is, ``subsolver_options`` then being
the keyword arguments of each of its ``sample`` calls. The hybrid reads what it must know of the
sampler from its ``properties`` (:class:`~.solver_sampler.SamplerFacts`), never from the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dimod

from ..errors import ValidationError
from .base import Solver
from .controls import CONTROLS
from .options import Check, Option
from .qubo_solver import QuboSolver


def _subsolver(value: Any, field: str) -> Any:
    if isinstance(value, (str, Solver)) or (hasattr(value, "sample") and hasattr(value, "parameters")):
        return value
    raise ValidationError(f"{field} must be a registered QUBO solver's name, random, exhaustive, a QuboSolver or a dimod "
                          f"sampler; got {type(value).__name__}")


def _mapping(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(f"{field} must be a mapping of option -> value (CLI: -o {field.split()[-1]}="
                              "'{\"reps\": 2}'); got " + type(value).__name__)
    return dict(value)


SUBSOLVER_CHECK = Check("solver name, QuboSolver or dimod sampler", _subsolver, textual=True)
SUBSOLVER_OPTIONS = Option("subsolver_options", "the subsolver's own options (CLI: -o subsolver_options='{\"reps\": 2}'); "
                           "for a dimod sampler object, the keyword arguments of each sample call",
                           Check("{option: value}", _mapping), nullable=True)


def subsolver_names() -> list[str]:
    """Registered solvers that can sample a subproblem (QUBO solvers that run as a sampler on any BQM)."""
    from . import registry

    return [name for name in registry.available()
            if isinstance(solver := registry.get(name), QuboSolver) and solver.subproblem_solver]


def subsolver_sampler(spec: Any, options: Mapping[str, Any] | None = None, *, owner: type | None = None
                      ) -> tuple[dimod.Sampler, dict[str, Any]]:
    """The subsolver as a dimod sampler, and the keyword arguments of each of its calls (see the module
    docstring); ``owner`` is the hybrid's own class, which cannot be its own subsolver."""
    options = dict(options or {})
    if isinstance(spec, str) and spec in CONTROLS:
        return CONTROLS[spec](**options), {}
    if isinstance(spec, str):
        from . import registry

        spec = registry.get(spec)
    if owner is not None and isinstance(spec, owner):
        raise ValidationError(f"subsolver {spec.name}: a {spec.name} cannot be its own subsolver")
    if isinstance(spec, Solver):
        if not isinstance(spec, QuboSolver) or not spec.subproblem_solver:
            raise ValidationError(f"subsolver {spec.name} is not a QUBO sampler; choose one of "
                                  f"{', '.join(subsolver_names())}, random or exhaustive")
        return spec.as_sampler(**options), {}
    return spec, options
