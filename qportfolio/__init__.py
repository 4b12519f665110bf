"""qportfolio: cardinality-constrained portfolio selection on quantum and classical solvers.

    >>> import qportfolio as qp
    >>> problem = qp.synthetic_problem(8, seed=1, cardinality=3)
    >>> result = qp.solve(problem, "exact-discrete")

The public names load on first use (PEP 562), so that ``import qportfolio`` and the command line's
``--help``/``--version`` do not pay for dimod, cvxpy, qiskit and the solver registry up front.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> (module, attribute in it)
_EXPORTS: dict[str, tuple[str, str]] = {
    **{name: (".data", name) for name in ("load_orlib", "load_spec", "problem_from_returns", "problem_from_spec",
                                          "synthetic_problem")},
    **{name: (".errors", name) for name in ("DataError", "InfeasibleProblemError", "QPortfolioError", "SolverError",
                                            "ValidationError")},
    **{name: (".formulations.qubo", name) for name in ("Penalties", "QuboModel", "decode_file", "encode")},
    "load_qubo": (".formulations.qubo", "load"),
    "save_qubo": (".formulations.qubo", "save"),
    "PortfolioProblem": (".problem", "PortfolioProblem"),
    "show_progress": (".utils.progress", "show_progress"),
    "Result": (".result", "Result"),
    **{name: (".solvers", name) for name in ("QuboSolver", "SampleRun", "Solver", "SolverOutput", "available", "register",
                                             "solve")},
    **{name: (".status", name) for name in ("PortfolioAnswer", "Status")},
}

#: the same names as _EXPORTS, spelled out for linters and ``from qportfolio import *``
__all__ = [
    "DataError",
    "InfeasibleProblemError",
    "Penalties",
    "PortfolioAnswer",
    "PortfolioProblem",
    "QPortfolioError",
    "QuboModel",
    "QuboSolver",
    "Result",
    "SampleRun",
    "Solver",
    "SolverError",
    "SolverOutput",
    "Status",
    "ValidationError",
    "available",
    "decode_file",
    "encode",
    "load_orlib",
    "load_qubo",
    "load_spec",
    "problem_from_returns",
    "problem_from_spec",
    "register",
    "save_qubo",
    "show_progress",
    "solve",
    "synthetic_problem",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'qportfolio' has no attribute {name!r}") from None
    value = getattr(import_module(module, __name__), attribute)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from .data import load_orlib, load_spec, problem_from_returns, problem_from_spec, synthetic_problem
    from .errors import DataError, InfeasibleProblemError, QPortfolioError, SolverError, ValidationError
    from .formulations.qubo import Penalties, QuboModel, decode_file, encode
    from .formulations.qubo import load as load_qubo
    from .formulations.qubo import save as save_qubo
    from .problem import PortfolioProblem
    from .result import Result
    from .solvers import QuboSolver, SampleRun, Solver, SolverOutput, available, register, solve
    from .status import PortfolioAnswer, Status
    from .utils.progress import show_progress
