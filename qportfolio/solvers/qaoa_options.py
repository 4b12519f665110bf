"""What the two QAOA backends (``qaoa-qiskit`` and ``qaoa-numpy``) share: their common options, declared
once, and the lines of their text report."""

from __future__ import annotations

from typing import Any

from ..errors import ValidationError
from ..qaoa.mixers import MIXERS
from ..utils import validate
from .options import COUNT, POSITIVE, Check, Option, choice

REPS = Option("reps", "QAOA depth p", COUNT, default=1, flag=True)
MIXER = Option("mixer", "x, or xy-ring / xy-complete (keep K assets selected; need the selection-only mode)",
               choice(*MIXERS), default="x", flag=True)
MAX_MEMORY = Option("max_memory_gb", "refuse simulations needing more memory than this", POSITIVE, default=8.0)
CVAR_ALPHA = Option("cvar_alpha", "optimise CVaR_alpha, the mean of the lowest alpha share of the energy (Barkoutsos et al. "
                    "2020); 1 = the expectation", Check("number in (0, 1]", lambda v, f: validate.number(
                        v, f, low=0.0, high=1.0, low_open=True)), default=1.0, flag=True)


def qaoa_report_lines(result: Any) -> list[str]:
    """The QAOA lines of the text report (the generic rendering of :class:`~qportfolio.diagnostics.QAOADiagnostics`)."""
    from ..diagnostics import QAOADiagnostics

    return QAOADiagnostics.of(result).lines()


def _warm_start(value: Any, field: str) -> Any:
    from ..qaoa.warm_start import SOURCES

    if isinstance(value, str):
        if value not in SOURCES:
            raise ValidationError(f"{field} must be one of {', '.join(SOURCES)} or a list of values in [0, 1]; got {value!r}")
        return value
    return [float(v) for v in validate.array(value, field, ndim=1)]


WARM_START = Option("warm_start", "warm-start QAOA (Egger et al. 2021) from incumbent (a classical portfolio's bits) or "
                    "relaxation (the continuous relaxation), or per-variable values in [0, 1]; x mixer only",
                    Check("incumbent | relaxation | [values]", _warm_start, textual=True), nullable=True, flag=True)
WARM_EPSILON = Option("warm_epsilon", "warm start: values clipped to [eps, 1 - eps] (0.5: plain QAOA)",
                      Check("number in [0, 0.5]", lambda v, f: validate.number(v, f, low=0.0, high=0.5)), default=0.25)


def warm_parts(qubo: Any, mixer: str, warm_start: Any, epsilon: float) -> Any:
    """The warm start's angles theta_q (refused with an XY mixer, which has its own start)."""
    from ..qaoa.warm_start import regularized, thetas_of, warm_values

    if mixer != "x":
        raise ValidationError(f"warm_start replaces the x mixer and |+>; mixer {mixer} keeps the Dicke start (drop one)")
    return thetas_of(regularized(warm_values(qubo, warm_start), epsilon))


def keeps_weight(options: Any) -> bool:
    """A QAOA sampler keeps its start's Hamming weight exactly when its mixer is an XY mixer."""
    return options.get("mixer", MIXER.default) != "x"


def statevector_limit(solver: str, options: Any) -> tuple[int, str]:
    """The most qubits a full-space statevector fits in ``max_memory_gb``, and why (a sampler fact)."""
    import math

    from ..qaoa.basis import BYTES_PER_STATE

    gib = float(options.get("max_memory_gb", MAX_MEMORY.default))
    qubits = max(1, math.floor(math.log2(max(int(gib * 2**30), 1) / BYTES_PER_STATE)))
    return qubits, f"{solver}'s statevector in max_memory_gb={gib:g}"
