"""Versions of the packages a result depends on, recorded with every result."""

from __future__ import annotations

import platform
from functools import lru_cache
from importlib import metadata

PACKAGES = ("qportfolio", "numpy", "scipy", "dimod", "dwave-samplers", "pyscipopt", "cvxpy",
            "qiskit", "qiskit-aer", "qiskit-optimization", "dwave-system", "numba", "gurobipy")


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    """Installed versions of the relevant packages (absent ones are left out)."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out
