"""JSON problem specs.

Keys: ``assets``, ``expected_returns``, either ``covariance`` or ``volatilities`` +
``correlations``, ``cardinality``, and optionally ``risk_aversion``, ``min_weight``,
``max_weight`` (number or one per asset), ``weight_step``, ``name``. Unknown keys are refused so
that a typo never silently falls back to a default.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError, ValidationError
from ..numerics.linalg import covariance_from_correlation, nearest_psd
from ..problem import PortfolioProblem
from ..utils import validate

REQUIRED = ("assets", "expected_returns", "cardinality")
OPTIONAL = ("covariance", "volatilities", "correlations", "risk_aversion", "min_weight", "max_weight", "weight_step", "name",
            "description")


def problem_from_spec(spec: Mapping[str, Any], *, repair_covariance: bool = False, **overrides: Any) -> PortfolioProblem:
    """Build a problem from a spec mapping; ``overrides`` (e.g. cardinality=5) win over the spec."""
    if not isinstance(spec, Mapping):
        raise ValidationError("a problem spec must be a JSON object with keys " + ", ".join(REQUIRED))
    unknown = sorted(set(spec) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise ValidationError(f"unknown key(s) in spec: {', '.join(unknown)}; allowed: {', '.join(REQUIRED + OPTIONAL)}")
    merged = {**spec, **{k: v for k, v in overrides.items() if v is not None}}
    missing = [k for k in REQUIRED if k not in merged]
    if missing:
        raise ValidationError(f"spec is missing required key(s): {', '.join(missing)}")
    has_cov = "covariance" in merged
    has_corr = "volatilities" in merged or "correlations" in merged
    if has_cov == has_corr:
        raise ValidationError("spec must give either 'covariance' or both 'volatilities' and 'correlations' (exactly one form)")
    if has_cov:
        cov = validate.array(merged["covariance"], "covariance", ndim=2, finite=False)
    else:
        if "volatilities" not in merged or "correlations" not in merged:
            raise ValidationError("spec gives only one of 'volatilities' and 'correlations'; give both")
        vols = validate.array(merged["volatilities"], "volatilities", ndim=1)
        corr = validate.array(merged["correlations"], "correlations", ndim=2, shape=(vols.size, vols.size))
        cov = covariance_from_correlation(vols, corr)
    mu = validate.array(merged["expected_returns"], "expected_returns", ndim=1, finite=False)
    provenance: dict[str, Any] = {}
    if repair_covariance:
        repaired = nearest_psd(cov)
        provenance["covariance_repair"] = {"method": "nearest-psd", "frobenius_change": float(np.linalg.norm(repaired - cov))}
        cov = repaired
    kwargs = {k: merged[k] for k in ("risk_aversion", "min_weight", "max_weight", "weight_step") if k in merged}
    card = validate.integer(merged["cardinality"], "cardinality")
    name = validate.text(merged.get("name", "spec"), "name")
    if "description" in merged:
        validate.text(merged["description"], "description")
    return PortfolioProblem(
        assets=validate.names(merged["assets"], "assets"),
        expected_returns=mu,
        covariance=cov,
        cardinality=card,
        name=name,
        source="spec" + (" +nearest-psd" if repair_covariance else ""),
        provenance=provenance,
        **kwargs,
    )


def load_spec(path: str | os.PathLike[str], *, repair_covariance: bool = False, **overrides: Any) -> PortfolioProblem:
    """Read a JSON spec file (see module docstring for the keys)."""
    file = Path(path)
    if not file.is_file():
        raise DataError(f"spec file {file} does not exist")
    try:
        spec = json.loads(file.read_text())
    except json.JSONDecodeError as exc:
        raise DataError(f"{file}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if isinstance(spec, dict):
        spec.setdefault("name", file.stem)
    problem = problem_from_spec(spec, repair_covariance=repair_covariance, **overrides)
    return problem.replace(source=str(file) + (" +nearest-psd" if repair_covariance else ""))
