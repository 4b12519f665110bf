"""What the two QAOA backends (``qaoa`` and ``qaoa-fast``) share: their common options, declared
once, and the lines of their text report."""

from __future__ import annotations

from typing import Any

from .. import validate
from ..qaoa.mixers import MIXERS
from .options import COUNT, POSITIVE, Check, Option, choice

REPS = Option("reps", "QAOA depth p", COUNT, default=1, flag=True)
MIXER = Option("mixer", "x, or xy-ring / xy-complete (keep K assets selected; need the selection-only mode)",
               choice(*MIXERS), default="x", flag=True)
MAX_MEMORY = Option("max_memory_gb", "refuse simulations needing more memory than this", POSITIVE, default=8.0)
CVAR_ALPHA = Option("cvar_alpha", "optimise CVaR_alpha, the mean of the lowest alpha share of the energy (Barkoutsos et al. "
                    "2020); 1 = the expectation", Check("number in (0, 1]", lambda v, f: validate.number(
                        v, f, low=0.0, high=1.0, low_open=True)), default=1.0, flag=True)


def qaoa_report_lines(result: Any) -> list[str]:
    """The QAOA figures a reader needs beside the answer: the distribution's quality."""
    info = result.info

    def fig(key: str, digits: str = ".4g") -> str:
        value = info.get(key)
        return "—" if value is None else format(value, digits)

    lines = [f"qaoa        depth {result.parameters.get('reps')}, {info.get('qubits')} qubits, mixer "
             f"{result.parameters.get('mixer')}: approximation ratio {fig('approximation_ratio')}, "
             f"P(feasible) {fig('feasible_probability')}, P(optimum) {fig('optimum_probability')}"]
    if info.get("from_samples"):
        lines.append("            (statistics from the measured shots: the state has too many amplitudes to decode)")
    return lines
