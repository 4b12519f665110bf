"""Where problems come from: OR-Library files, JSON specs, prices and return histories (with their
estimators), synthetic families.

The names load on first use (PEP 562), so that reading a JSON spec or an OR-Library set does not pay
for pandas, which only the price readers need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: public name -> module (relative to this package) that defines it
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("load_orlib", "load_orlib_frontier", "orlib_data_dir"), ".orlib"),
    **dict.fromkeys(("estimate", "ledoit_wolf", "problem_from_returns", "read_prices", "returns_from_prices",
                     "sample_covariance"), ".prices"),
    **dict.fromkeys(("load_spec", "problem_from_spec"), ".spec"),
    "synthetic_problem": ".synthetic",
}

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


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'qportfolio.data' has no attribute {name!r}") from None
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # for type checkers, IDEs and the API docs: the same names, imported eagerly
    from .orlib import load_orlib, load_orlib_frontier, orlib_data_dir
    from .prices import estimate, ledoit_wolf, problem_from_returns, read_prices, returns_from_prices, sample_covariance
    from .spec import load_spec, problem_from_spec
    from .synthetic import synthetic_problem
