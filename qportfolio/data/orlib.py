"""Beasley's OR-Library portfolio sets (Chang, Meade, Beasley & Sharaiha 2000).

``portN.txt``: n; n lines ``mean std``; lines ``i j correlation`` (1-based, i <= j).
Covariance = correlation * sigma_i * sigma_j. ``portefN.txt``: the unconstrained efficient
frontier as ``mean variance`` lines. The files are read where they lie, never copied: from an
explicit path, ``data_dir``, the ``QPORTFOLIO_ORLIB_DIR`` environment variable, or the shared data
folder beside the project checkout.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError
from ..linalg import covariance_from_correlation
from ..problem import PortfolioProblem

ENV_VAR = "QPORTFOLIO_ORLIB_DIR"
ORLIB_SETS = ("port1", "port2", "port3", "port4", "port5")
ORLIB_INDEX = {"port1": "Hang Seng", "port2": "DAX 100", "port3": "FTSE 100", "port4": "S&P 100", "port5": "Nikkei 225"}


def _candidate_dirs(data_dir: str | os.PathLike[str] | None) -> list[Path]:
    if data_dir is not None:
        return [Path(data_dir)]
    dirs = []
    if os.environ.get(ENV_VAR):
        dirs.append(Path(os.environ[ENV_VAR]))
    here = Path(__file__).resolve()
    for parent in list(here.parents)[:4]:  # <checkout>/qportfolio/data/orlib.py -> ../shared
        dirs.append(parent / ".." / "shared" / "data" / "orlib")
        dirs.append(parent / "shared" / "data" / "orlib")
    dirs.append(Path.cwd() / ".." / "shared" / "data" / "orlib")
    return dirs


def orlib_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding ``port1.txt`` ... ``port5.txt``; a clear error when none is found."""
    for d in _candidate_dirs(data_dir):
        if (d / "port1.txt").is_file():
            return d.resolve()
    raise DataError(
        "OR-Library data not found (looked for port1.txt in "
        + ", ".join(str(d) for d in _candidate_dirs(data_dir)[:3])
        + f"); set {ENV_VAR} or pass data_dir / --data-dir to the folder holding port1.txt ... port5.txt"
    )


def _resolve(name_or_path: str | os.PathLike[str], data_dir: Any, prefix: str) -> tuple[str, Path]:
    path = Path(name_or_path)
    if path.suffix == ".txt" or path.is_file():
        if not path.is_file():
            raise DataError(f"OR-Library file {path} does not exist")
        return path.stem, path
    name = str(name_or_path)
    if name not in ORLIB_SETS:
        raise DataError(f"unknown OR-Library set {name!r}; choose one of {', '.join(ORLIB_SETS)} or give a file path")
    file = orlib_data_dir(data_dir) / f"{prefix}{name[4:]}.txt"
    if not file.is_file():
        raise DataError(f"OR-Library file {file} does not exist")
    return name, file


def read_orlib_file(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse a ``portN.txt`` file into (mean, std, correlation matrix)."""
    try:
        tokens = np.array(path.read_text().split(), dtype=float)
        n = int(tokens[0])
        stats = tokens[1 : 1 + 2 * n].reshape(n, 2)
        rows = tokens[1 + 2 * n :].reshape(-1, 3)
    except (ValueError, IndexError) as exc:
        raise DataError(f"{path}: not an OR-Library portfolio file ({exc})") from exc
    i = rows[:, 0].astype(np.int64) - 1
    j = rows[:, 1].astype(np.int64) - 1
    if i.min(initial=0) < 0 or max(i.max(initial=0), j.max(initial=0)) >= n:
        raise DataError(f"{path}: correlation indices outside 1..{n}")
    corr = np.full((n, n), np.nan)
    corr[i, j] = rows[:, 2]
    corr[j, i] = rows[:, 2]
    if np.isnan(corr).any():
        raise DataError(f"{path}: the correlation list does not cover every pair of the {n} assets")
    return stats[:, 0], stats[:, 1], corr


def load_orlib(
    name_or_path: str | os.PathLike[str] = "port1",
    *,
    cardinality: int = 10,
    risk_aversion: float = 0.5,
    min_weight: float | np.ndarray = 0.01,
    max_weight: float | np.ndarray = 1.0,
    weight_step: float = 0.01,
    data_dir: str | os.PathLike[str] | None = None,
) -> PortfolioProblem:
    """An OR-Library set as a problem (defaults: Chang et al.'s K=10, [0.01, 1], step 0.01)."""
    name, path = _resolve(name_or_path, data_dir, "port")
    mean, std, corr = read_orlib_file(path)
    cov = covariance_from_correlation(std, corr)
    return PortfolioProblem(
        assets=tuple(f"{name}-{i + 1}" for i in range(mean.shape[0])),
        expected_returns=mean,
        covariance=cov,
        cardinality=cardinality,
        risk_aversion=risk_aversion,
        min_weight=min_weight,
        max_weight=max_weight,
        weight_step=weight_step,
        name=f"orlib:{name}",
        source=str(path),
    )


def load_orlib_frontier(name_or_path: str | os.PathLike[str] = "port1", *, data_dir: Any = None) -> np.ndarray:
    """The unconstrained efficient frontier ``portefN.txt`` as an array of (mean, variance) rows."""
    name = str(name_or_path)
    if name in ORLIB_SETS:
        _, path = _resolve(name, data_dir, "portef")
    else:
        path = Path(name_or_path)
        if not path.is_file():
            raise DataError(f"frontier file {path} does not exist")
    try:
        return np.loadtxt(path, dtype=float).reshape(-1, 2)
    except ValueError as exc:
        raise DataError(f"{path}: not a frontier file of 'mean variance' lines ({exc})") from exc
