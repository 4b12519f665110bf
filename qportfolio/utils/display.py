"""How answers look in a notebook: compact HTML tables for ``_repr_html_`` (Jupyter shows them when
a cell ends with a result), built from plain rows so that every result type looks alike.

A table has a caption, a few labelled figures (status, objective, gap, ...) and, where there are
any, the held weights, largest first; long weight lists are cut to the first ``MAX_ROWS`` with a
note of how many were left out (``to_pandas()`` on the object gives them all).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: Rows of weights shown before the rest is summarised.
MAX_ROWS = 20


def number(value: Any, digits: int = 6) -> str:
    """A figure as a table shows it: ``—`` for None/NaN, ``digits`` significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:.{digits}g}"


def _cells(row: Iterable[Any], tag: str) -> str:
    return "".join(f"<{tag}>{html.escape(str(c))}</{tag}>" for c in row)


def table(caption: str, figures: Mapping[str, Any], columns: Sequence[str] = (), rows: Sequence[Sequence[Any]] = (),
          note: str = "") -> str:
    """An HTML block: ``caption``, a two-column table of ``figures``, then ``rows`` under ``columns``
    (cut to :data:`MAX_ROWS`)."""
    parts = [f"<div class='qportfolio'><strong>{html.escape(caption)}</strong>",
             "<table><tbody>" + "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                                        f"<td style='text-align:right'>{html.escape(number(v) if not isinstance(v, str) else v)}"
                                        "</td></tr>" for k, v in figures.items()) + "</tbody></table>"]
    if columns and rows:
        shown = list(rows[:MAX_ROWS])
        body = "".join(f"<tr>{_cells([r[0], *(number(c, 4) for c in r[1:])], 'td')}</tr>" for r in shown)
        parts.append(f"<table><thead><tr>{_cells(columns, 'th')}</tr></thead><tbody>{body}</tbody></table>")
        if len(rows) > MAX_ROWS:
            parts.append(f"<em>… {len(rows) - MAX_ROWS} more rows (to_pandas() has them all)</em>")
    if note:
        parts.append(f"<p><em>{html.escape(note)}</em></p>")
    return "".join(parts) + "</div>"


def held_rows(weights: Mapping[str, float]) -> list[tuple[str, float]]:
    """(asset, weight) of the positions, largest absolute weight first."""
    return sorted(weights.items(), key=lambda kv: -abs(kv[1]))
