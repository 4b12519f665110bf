"""Options shared by the two QAOA backends (``qaoa`` and ``qaoa-fast``), declared once."""

from __future__ import annotations

from ..qaoa.mixers import MIXERS
from .options import COUNT, POSITIVE, Option, choice

REPS = Option("reps", "QAOA depth p", COUNT, default=1, flag=True)
MIXER = Option("mixer", "x, or xy-ring / xy-complete (keep K assets selected; need the selection-only mode)",
               choice(*MIXERS), default="x", flag=True)
MAX_MEMORY = Option("max_memory_gb", "refuse simulations needing more memory than this", POSITIVE, default=8.0)
