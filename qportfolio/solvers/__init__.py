"""Solvers: the registry's public names; built-in backends register when first named (``get``) or
listed (``available``), so that importing this package loads no backend.

``qp.solve(problem, "sa")``; ``qp.available()``; ``@qp.register`` on a :class:`Solver` subclass
adds a backend (see :mod:`.registry`). QUBO backends derive from :class:`QuboSolver` and write one
hook, ``_sample(qubo, **params)``.
"""

from .base import Solver, SolverOutput
from .options import BOOLEAN, COUNT, POSITIVE, SEED, TEXT, Check, Option, Role, choice, declare, seed_option
from .qubo_solver import DimodSamplerSolver, QuboSolver, SampleRun
from .registry import DEFAULT_SOLVER, aliases, available, get, register, solve, unregister
from .registry import load_builtins as load_builtins  # kept: an old public name

__all__ = [
    "BOOLEAN",
    "COUNT",
    "DEFAULT_SOLVER",
    "POSITIVE",
    "SEED",
    "TEXT",
    "Check",
    "DimodSamplerSolver",
    "Option",
    "QuboSolver",
    "Role",
    "SampleRun",
    "Solver",
    "SolverOutput",
    "aliases",
    "available",
    "choice",
    "declare",
    "get",
    "register",
    "seed_option",
    "solve",
    "unregister",
]
