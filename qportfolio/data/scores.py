"""Per-asset scores (ESG ratings, signals) read from a file, for score-tradeoff frontiers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, one_line


def read_scores(path: str | Path, assets: tuple[str, ...]) -> np.ndarray:
    """One score per asset (ESG, a signal) from a JSON object ``{asset: score}`` or a CSV with columns
    ``asset,score``; every asset must have exactly one finite score, and no unknown asset may appear."""
    import json

    file = Path(path)
    if not file.is_file():
        raise DataError(f"scores file {file} does not exist")
    if file.suffix.lower() == ".json":
        try:
            raw = json.loads(file.read_text())
        except json.JSONDecodeError as exc:
            raise DataError(f"{file}: not valid JSON ({exc})") from None
        if not isinstance(raw, dict):
            raise DataError(f"{file}: expected a JSON object {{asset: score}}, got {type(raw).__name__}")
        pairs = list(raw.items())
    else:
        try:
            frame = pd.read_csv(file)
        except Exception as exc:
            raise DataError(f"{file}: not a readable CSV ({one_line(exc)})") from None
        if list(frame.columns[:2]) != ["asset", "score"] or frame.shape[1] != 2:
            raise DataError(f"{file}: expected the two columns asset,score; got {', '.join(map(str, frame.columns))}")
        pairs = list(zip(frame["asset"].astype(str), frame["score"]))
    scores: dict[str, float] = {}
    for asset, value in pairs:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not np.isfinite(value):
            raise DataError(f"{file}: score of {asset!r} must be a finite number, got {value!r}")
        if asset in scores:
            raise DataError(f"{file}: asset {asset!r} is scored twice")
        scores[str(asset)] = float(value)
    unknown = sorted(set(scores) - set(assets))
    if unknown:
        raise DataError(f"{file}: scores for unknown asset(s) {', '.join(unknown[:5])}; the assets are {', '.join(assets[:8])}"
                        + (" ..." if len(assets) > 8 else ""))
    missing = [a for a in assets if a not in scores]
    if missing:
        raise DataError(f"{file}: no score for asset(s) {', '.join(missing[:5])}" + (" ..." if len(missing) > 5 else "")
                        + "; give every asset a score")
    return np.array([scores[a] for a in assets])
