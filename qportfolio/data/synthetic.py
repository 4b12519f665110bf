"""Seeded synthetic instances with the look of weekly equity data.

Returns follow a factor model: a few market/sector factors give a realistic correlation
structure (PSD by construction), volatilities are drawn in [2 %, 6 %] per week and expected
returns partly track volatility (risk premium) plus noise, so the frontier is non-trivial.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..problem import PortfolioProblem
from ..utils import validate
from ..utils.memory import check_allocation


def synthetic_problem(
    n: int,
    *,
    seed: int = 0,
    cardinality: int | None = None,
    factors: int = 3,
    **kwargs: Any,
) -> PortfolioProblem:
    """A reproducible random problem with ``n`` assets (same seed, same problem)."""
    n = validate.integer(n, "n (number of synthetic assets)", low=1)
    seed = validate.integer(seed, "seed", low=0)
    factors = validate.integer(factors, "factors", low=1)
    check_allocation(f"a synthetic instance with n={n} assets", 8.0 * 4 * float(n) ** 2,
                     "choose a smaller n")  # covariance, correlation and two temporaries
    rng = np.random.default_rng(seed)
    loadings = rng.normal(0.0, 1.0, size=(n, factors)) * np.array([0.8] + [0.4] * (factors - 1))
    loadings[:, 0] = np.abs(loadings[:, 0]) + 0.3  # a positive market factor
    idio = rng.uniform(0.3, 1.0, size=n)
    raw = loadings @ loadings.T + np.diag(idio)
    d = np.sqrt(np.diag(raw))
    corr = raw / np.outer(d, d)
    vol = rng.uniform(0.02, 0.06, size=n)
    mu = 0.1 * vol + rng.normal(0.0, 0.002, size=n)
    k = cardinality if cardinality is not None else max(1, min(n, n // 3 or 1))
    return PortfolioProblem(
        assets=tuple(f"S{i + 1:0{len(str(n))}d}" for i in range(n)),
        expected_returns=mu,
        covariance=corr * np.outer(vol, vol),
        cardinality=k,
        name=f"synthetic-n{n}-s{seed}",
        source=f"synthetic(n={n}, seed={seed}, factors={factors})",
        provenance={"generator": "synthetic factor model", "instance_seed": seed, "factors": factors},
        **kwargs,
    )
