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
    """Parse a ``portN.txt`` file into (mean, std, correlation matrix).

    Layout: n; n lines "mean std"; then lines "i j correlation" (1-based, i <= j) covering every
    pair once. Every malformed part is refused with the token or pair that is wrong.
    """
    try:
        words = path.read_text().split()
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text OR-Library file") from None
    if not words:
        raise DataError(f"{path}: empty file; an OR-Library portfolio file starts with the number of assets")
    try:
        n = int(words[0])
    except ValueError:
        raise DataError(f"{path}: the first token must be the number of assets (an integer), got {words[0][:20]!r}") from None
    if n < 1:
        raise DataError(f"{path}: the number of assets must be positive, got {n}")
    try:
        tokens = np.array(words[1:], dtype=float)
    except ValueError as exc:
        raise DataError(f"{path}: not an OR-Library portfolio file ({exc})") from None
    if not np.all(np.isfinite(tokens)):
        raise DataError(f"{path}: token {int(np.flatnonzero(~np.isfinite(tokens))[0]) + 2} is not a finite number")
    pairs = n * (n + 1) // 2
    if tokens.size != 2 * n + 3 * pairs:
        raise DataError(f"{path}: {n} assets need {2 * n} mean/std numbers and {pairs} 'i j correlation' lines "
                        f"({2 * n + 3 * pairs} numbers after n), got {tokens.size} numbers")
    stats = tokens[: 2 * n].reshape(n, 2)
    if np.any(stats[:, 1] < 0):
        raise DataError(f"{path}: asset {int(np.flatnonzero(stats[:, 1] < 0)[0]) + 1} has a negative standard deviation")
    rows = tokens[2 * n:].reshape(-1, 3)
    index = rows[:, :2]
    if np.any(index != np.round(index)) or index.min() < 1 or index.max() > n:
        raise DataError(f"{path}: correlation indices must be integers in 1..{n}")
    i, j = (index.astype(np.int64) - 1).T
    corr = np.full((n, n), np.nan)
    corr[i, j] = rows[:, 2]
    corr[j, i] = rows[:, 2]
    if np.isnan(corr).any():
        a, b = np.argwhere(np.isnan(corr))[0]
        raise DataError(f"{path}: the correlation list does not cover every pair of the {n} assets (missing {a + 1} {b + 1})")
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
