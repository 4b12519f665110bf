"""Beasley's OR-Library portfolio sets (Chang, Meade, Beasley & Sharaiha 2000).

``portN.txt``: n; n lines ``mean std``; lines ``i j correlation`` (1-based, i <= j).
Covariance = correlation * sigma_i * sigma_j. ``portefN.txt``: the unconstrained efficient
frontier as ``mean variance`` lines.

The ten files ship with the package (``qportfolio/data/orlib_files``, with their source, citation
and SHA-256 checksums in ``SOURCE.md``), so they are there wherever qportfolio is installed. An
explicit path, ``data_dir`` (``--data-dir``) or the ``QPORTFOLIO_ORLIB_DIR`` environment variable
selects another copy.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError
from ..numerics.linalg import covariance_from_correlation
from ..problem import PortfolioProblem

ENV_VAR = "QPORTFOLIO_ORLIB_DIR"
ORLIB_SETS = ("port1", "port2", "port3", "port4", "port5")
ORLIB_INDEX = {"port1": "Hang Seng", "port2": "DAX 100", "port3": "FTSE 100", "port4": "S&P 100", "port5": "Nikkei 225"}


#: The copy shipped with the package (package data; see SOURCE.md there).
BUNDLED_DIR = Path(__file__).resolve().parent / "orlib_files"
#: SHA-256 of each shipped file, as listed in SOURCE.md.
CHECKSUMS = {
    "port1.txt": "2872bf957cb8700a1ba1fcd5fbc8db13e7e01cae5a340a22c4abda04d04156d3",
    "port2.txt": "00c7149e139cd0c6cf622515b7aa8691d67a0b98b1262984728c1104218cb720",
    "port3.txt": "682c6cd71b5ce572c1f91c3594d8bc8d1810b0847b2d71ba0a3cc0eb5d27da2e",
    "port4.txt": "54c226c13165582a50a5d324bf7e111f97c82ecfd3ab94151bac27383556732a",
    "port5.txt": "4dd3a61ed270953247a1ec3490320cfc47b0fbbe355aa3660159d8a0e82005fc",
    "portef1.txt": "7ec234a700e8999d6b8becb7c89e6a37d9e3b8aad6eaf4a4aff713600b4a4368",
    "portef2.txt": "857dfcd7dba2cc06eae3c4f0948b484f8bb51de6642625e7deac02bb9e3a6a32",
    "portef3.txt": "5ba865aaecebc1f53330b598cbfa1ca9d4a543f5755f4f3721781419634e19cf",
    "portef4.txt": "0f5e42567d7804a905b74c7d50835f77598e43a0fbe0ea8b1979f802880115ed",
    "portef5.txt": "37bf44dfbd9afd9cb1d540d0bfd50e0d84fcc9d039c564014c9434381c3e465c",
}


def orlib_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding ``port1.txt`` ... ``port5.txt``: ``data_dir``, else ``$QPORTFOLIO_ORLIB_DIR``,
    else the copy shipped with the package; a clear error when the chosen folder lacks the files."""
    if data_dir is not None:
        chosen, how = Path(data_dir), "data_dir / --data-dir"
    elif os.environ.get(ENV_VAR):
        chosen, how = Path(os.environ[ENV_VAR]), ENV_VAR
    else:
        chosen, how = BUNDLED_DIR, "the copy shipped with qportfolio"
    if not (chosen / "port1.txt").is_file():
        raise DataError(f"OR-Library data not found: {chosen} ({how}) has no port1.txt; point data_dir / --data-dir "
                        f"or {ENV_VAR} at the folder holding port1.txt ... port5.txt, or unset it to use the shipped copy")
    return chosen.resolve()


def verify(data_dir: str | os.PathLike[str] | None = None) -> dict[str, bool]:
    """Each OR-Library file of the chosen folder (see :func:`orlib_data_dir`) checked against the
    published SHA-256 checksums: file name -> True when it matches."""
    import hashlib

    folder = orlib_data_dir(data_dir)
    return {name: (folder / name).is_file() and hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
            for name, digest in CHECKSUMS.items()}


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
        provenance={"dataset": f"OR-Library {name} ({ORLIB_INDEX.get(name, 'file')})", "file": str(path)},
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
