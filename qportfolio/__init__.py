"""qportfolio: cardinality-constrained portfolio selection on quantum and classical solvers.

    >>> import qportfolio as qp
    >>> problem = qp.synthetic_problem(8, seed=1, cardinality=3)
    >>> result = qp.solve(problem, "exact-discrete")
"""

from .data import load_orlib, load_spec, problem_from_returns, problem_from_spec, synthetic_problem
from .errors import DataError, InfeasibleProblemError, QPortfolioError, SolverError, ValidationError
from .formulations.qubo import Penalties, QuboModel, decode_file, encode
from .formulations.qubo import load as load_qubo
from .formulations.qubo import save as save_qubo
from .problem import PortfolioProblem
from .progress import show_progress
from .result import Result
from .solvers import QuboSolver, SampleRun, Solver, SolverOutput, available, register, solve
from .status import PortfolioAnswer, Status

__version__ = "0.1.0"

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
