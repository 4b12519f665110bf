"""An allocation model's answer as aligned text, each number shown to the accuracy the solver reached."""

from __future__ import annotations

import math

from .solve import LPResult


def rounded(value: float, accuracy: float | None) -> str:
    """``value`` as text, to its accuracy: solver noise below it (``-1.02e-10``, ``0.06000000482``) is not printed."""
    if accuracy is None:
        return f"{value:.10g}"
    quantum = 10 * accuracy  # the last digit within the accuracy is itself uncertain
    digits = max(0, -math.floor(math.log10(quantum)))
    text = f"{round(value / quantum) * quantum:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_result(result: LPResult) -> str:
    """The answer as aligned text: status, objective, values, shadow prices (or why there are none)."""
    lines = [f"status      {result.status}   ({result.kind}, {result.solver})"]
    if result.objective is not None:
        lines.append(f"objective   {rounded(result.objective, result.accuracy)}")
        width = max([8] + [len(k) for k in (*result.values, *result.duals)]) + 2

        def number(v: float) -> str:
            return f"{rounded(v, result.accuracy):>16}"

        lines.append("values")
        lines += [f"  {k:<{width}}{number(v)}" for k, v in result.values.items()]
        if result.duals:
            lines.append("shadow prices (d objective / d rhs)")
            lines += [f"  {k:<{width}}{number(v)}" for k, v in result.duals.items()]
    if result.conflicts:
        width = max(len(k) for k in result.conflicts) + 2
        lines.append("conflicting constraints (least total violation to make them hold)")
        lines += [f"  {k:<{width}}{v:>16.6g}" for k, v in result.conflicts.items()]
    if result.message:
        lines.append(result.message)
    if result.note:
        shown = ": shown to 7 decimals (--json has every digit)" if result.accuracy is not None else ""
        lines.append(f"note: {result.note}{shown}")
    return "\n".join(lines)
