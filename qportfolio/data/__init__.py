"""Where problems come from: OR-Library files, JSON specs, return histories, synthetic families."""

from .orlib import load_orlib, load_orlib_frontier, orlib_data_dir
from .returns import ledoit_wolf, problem_from_returns, sample_covariance
from .spec import load_spec, problem_from_spec
from .synthetic import synthetic_problem

__all__ = [
    "ledoit_wolf",
    "load_orlib",
    "load_orlib_frontier",
    "load_spec",
    "orlib_data_dir",
    "problem_from_returns",
    "problem_from_spec",
    "sample_covariance",
    "synthetic_problem",
]
