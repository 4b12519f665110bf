"""The LP/QP allocation-model language: declarative linear, quadratic and mixed-integer models in
JSON (two shapes, :mod:`.model`), solved by HiGHS or cvxpy with shadow prices and conflicts
(:mod:`.solve`), printed to the solver's accuracy (:mod:`.format`)."""

from .format import format_result, rounded
from .model import Constraint, Model, Variable, load_model, parse_model
from .solve import LPResult, solve_model

__all__ = ["Constraint", "LPResult", "Model", "Variable", "format_result", "load_model", "parse_model", "rounded", "solve_model"]
