"""Where problems come from: OR-Library files, JSON specs, prices and return histories (with their
estimators), synthetic families."""

from .orlib import load_orlib, load_orlib_frontier, orlib_data_dir
from .prices import estimate, ledoit_wolf, problem_from_returns, read_prices, returns_from_prices, sample_covariance
from .spec import load_spec, problem_from_spec
from .synthetic import synthetic_problem

__all__ = [
    "estimate",
    "ledoit_wolf",
    "load_orlib",
    "load_orlib_frontier",
    "load_spec",
    "orlib_data_dir",
    "problem_from_returns",
    "problem_from_spec",
    "read_prices",
    "returns_from_prices",
    "sample_covariance",
    "synthetic_problem",
]
