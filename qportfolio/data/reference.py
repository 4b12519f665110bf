"""Problem references: where a problem comes from, read in one place for the CLI, the service and suites.

A :class:`ProblemReference` names exactly one source (a JSON spec file or mapping, an OR-Library
set, a seeded synthetic family, a price history), the source's own settings (the OR-Library
folder, the synthetic instance seed, the price file's columns and covariance estimator) and the
parameters that override the source's (K, lambda, grid step, weight bounds, selection only).
:func:`load_problem` turns it into a :class:`~qportfolio.problem.PortfolioProblem`.

Each front end spells the fields its own way (``--date-column`` on the command line, ``problem.orlib``
in the service, a table key in a suite); errors name the field as the caller spells it, through
``names`` (field -> how the user wrote it; default: the field's own name).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from ..utils.validate import describe

if TYPE_CHECKING:  # the readers load with the first problem (pandas for prices), not with this module
    from ..problem import PortfolioProblem

#: The sources, in the order their checks name them; a reference has exactly one.
SOURCES = ("spec", "orlib", "synthetic", "prices")
#: The problem parameters a reference may override (None: the source's own).
PARAMETERS = ("cardinality", "risk_aversion", "weight_step", "min_weight", "max_weight")
#: Source settings: the source each belongs to (given with another source, it would be ignored: refused).
SETTINGS = {"date_column": "prices", "date_format": "prices", "estimator": "prices", "seed": "synthetic",
            "data_dir": "orlib"}
#: Sources whose covariance is read as given and so may need ``repair_covariance``.
REPAIRABLE = ("spec", "prices")


@dataclass(frozen=True)
class ProblemReference:
    """One problem source, its settings and the parameter overrides (``None``: not given)."""

    spec: str | os.PathLike[str] | Mapping[str, Any] | None = None  #: a JSON spec file, or the spec itself
    orlib: str | None = None  #: OR-Library set port1..port5, or a path to portN.txt
    synthetic: int | None = None  #: number of assets of a seeded synthetic instance
    prices: str | None = None  #: a CSV of prices with a date column, or a bundled dataset (sp500)
    data_dir: str | os.PathLike[str] | None = None  #: orlib: folder of the OR-Library files
    seed: int | None = None  #: synthetic: seed of the instance (default 0)
    date_column: str | None = None  #: prices: name of the date column (default: the first)
    date_format: str | None = None  #: prices: format of the dates (default ISO8601)
    estimator: str | None = None  #: prices: covariance estimator, sample or ledoit-wolf (default)
    repair_covariance: bool = False  #: spec or prices: nearest PSD covariance if it is not PSD
    cardinality: int | None = None
    risk_aversion: float | None = None
    weight_step: float | None = None
    min_weight: float | None = None
    max_weight: float | None = None
    selection_only: bool = False  #: equal weights 1/K, one binary variable per asset

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources given (a valid reference gives one)."""
        return tuple(s for s in SOURCES if getattr(self, s) is not None)

    @property
    def parameters(self) -> dict[str, Any]:
        """The parameter overrides given."""
        return {k: getattr(self, k) for k in PARAMETERS if getattr(self, k) is not None}

    @property
    def size(self) -> int | None:
        """The number of assets when it is known without reading anything (synthetic, a spec mapping)."""
        size = self.synthetic if self.synthetic is not None else (
            self.spec.get("assets") if isinstance(self.spec, Mapping) else None)
        size = len(size) if isinstance(size, list) else size
        return size if isinstance(size, int) and not isinstance(size, bool) else None

    def check(self, names: Mapping[str, str] | None = None) -> str:
        """The one source, after checking that every setting given belongs to it."""
        if len(self.sources) != 1:
            name = _namer(names)
            raise ValidationError(f"give exactly one problem source: {name('spec')}, {name('orlib')} NAME, "
                                  f"{name('synthetic')} N or {name('prices')} CSV|sp500")
        self.check_settings(self.sources[0], names)
        return self.sources[0]

    def check_settings(self, source: str, names: Mapping[str, str] | None = None) -> None:
        """Refuse a setting of another source than ``source`` (it would be ignored)."""
        name = _namer(names)
        for setting, owner in SETTINGS.items():
            if getattr(self, setting) is not None and owner != source:
                raise ValidationError(f"{name(setting)} applies to {name(owner)} only; this problem comes from "
                                      f"{name(source)}")
        if self.repair_covariance and source not in REPAIRABLE:
            raise ValidationError(f"{name('repair_covariance')} applies to {name('spec')} or {name('prices')}; "
                                  f"{name(source)} covariances are PSD as given")

    @classmethod
    def from_mapping(cls, data: Any, *, where: str = "problem") -> ProblemReference:
        """The JSON form (the service's ``problem`` field): ``{"orlib": "port1", ...}``,
        ``{"synthetic": 50, "seed": 1, ...}`` with parameters beside, or a spec object itself.

        Files are never named in this form (no spec path, prices or data_dir): it comes from
        clients, who must not make a server read its own files."""
        if not isinstance(data, Mapping):
            raise ValidationError(f"{where} must be a JSON object; got {describe(data)}")
        for ref in ("orlib", "synthetic"):
            if ref in data:
                allowed = (ref, "seed", *PARAMETERS) if ref == "synthetic" else (ref, *PARAMETERS)
                unknown = sorted(set(data) - set(allowed))
                if unknown:
                    raise ValidationError(f"{where}: unknown field(s) {', '.join(map(str, unknown))} for a {ref} "
                                          f"reference; allowed: {', '.join(allowed)}")
                if ref == "orlib" and not isinstance(data["orlib"], str):
                    raise ValidationError(f"{where}.orlib must be a set name (port1..port5); got {describe(data['orlib'])}")
                return cls(**data)
        return cls(spec=data)


def load_problem(reference: ProblemReference, names: Mapping[str, str] | None = None) -> PortfolioProblem:
    """The problem ``reference`` names; errors spell its fields as ``names`` does."""
    from .orlib import load_orlib
    from .spec import load_spec, problem_from_spec
    from .synthetic import synthetic_problem

    source = reference.check(names)
    params = reference.parameters
    if source == "spec":
        spec, repair = reference.spec, reference.repair_covariance
        problem = (problem_from_spec(spec, repair_covariance=repair, **params) if isinstance(spec, Mapping)
                   else load_spec(spec, repair_covariance=repair, **params))  # type: ignore[arg-type]
    elif source == "orlib":
        problem = load_orlib(reference.orlib, data_dir=reference.data_dir, **params)  # type: ignore[arg-type]
    elif source == "prices":
        problem = _from_prices(reference, params, _namer(names))
    else:
        seed = reference.seed if reference.seed is not None else 0
        problem = synthetic_problem(reference.synthetic, seed=seed, **params)  # type: ignore[arg-type]
    return problem.selection_only_variant() if reference.selection_only else problem


def _from_prices(reference: ProblemReference, params: dict[str, Any], name: Any) -> PortfolioProblem:
    from .prices import problem_from_returns, read_prices, returns_from_prices

    k = params.pop("cardinality", None)
    if k is None:
        raise ValidationError(f"a problem from {name('prices')} needs {name('cardinality')} (the number of assets to hold)")
    source = str(reference.prices)
    returns = returns_from_prices(read_prices(source, reference.date_column, reference.date_format or "ISO8601"))
    label = Path(source).stem if Path(source).suffix else source
    return problem_from_returns(returns, cardinality=k, estimator=reference.estimator or "ledoit-wolf",  # type: ignore[arg-type]
                                name=label, repair_covariance=reference.repair_covariance, **params)


def _namer(names: Mapping[str, str] | None) -> Any:
    """``field -> how the user wrote it`` (the field's own name where ``names`` does not say)."""
    return lambda field: (names or {}).get(field, field)
