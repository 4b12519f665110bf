"""Helpers shared by the benchmark scripts: table printing and JSON output."""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qportfolio.utils.versions import package_versions

OUT_DIR = Path(__file__).resolve().parent / "out"


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str, str]]) -> str:
    """columns: (key, header, format spec). Returns the table as a Markdown string and prints it."""
    head = "| " + " | ".join(h for _, h, _ in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    lines = [head, rule]
    for row in rows:
        cells = []
        for key, _, fmt in columns:
            value = row.get(key)
            cells.append("—" if value is None else format(value, fmt))
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    print(text)
    return text


def write_json(name: str, rows: Sequence[dict[str, Any]], settings: dict[str, Any]) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    payload = {"settings": settings, "machine": platform.platform(), "versions": package_versions(), "rows": list(rows)}
    path.write_text(json.dumps(payload, indent=1, default=float))
    print(f"\nwrote {path}")
    return path
