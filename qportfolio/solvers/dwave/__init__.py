"""D-Wave backends, one job per module: ``qpu`` (the ``dwave-qpu`` solver), ``leap`` (Leap's hybrid
BQM and CQM solvers), ``sampler`` (the QPU as a dimod sampler), ``schedules`` (anneal controls),
``fit`` (will it embed, at what cost), ``embedding`` (cached minor embeddings), ``mock`` (offline
stand-ins: mocks, not quantum devices) and ``cloud`` (credentials, masking, cloud errors).

The registry loads ``qpu`` and ``leap`` (they register the solvers); this package imports neither, so
the helpers below load without the backends, and the solver classes' old names here are looked up
in the registry (``qportfolio.solvers.get("dwave-qpu")``).
"""

from __future__ import annotations

from typing import Any

from .fit import Fit, fit_check
from .mock import mock_sampler
from .schedules import anneal_controls, reverse_schedule

#: the solver classes' old names in this namespace, and the registry names they are found under
_SOLVER_CLASSES = {"DWaveQPUSolver": "dwave-qpu", "LeapHybridBQMSolver": "dwave-hybrid-bqm",
                   "LeapHybridCQMSolver": "dwave-hybrid-cqm"}


def __getattr__(name: str) -> Any:
    if name in _SOLVER_CLASSES:
        from ..registry import get

        return type(get(_SOLVER_CLASSES[name]))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Fit", "anneal_controls", "fit_check", "mock_sampler", "reverse_schedule"]
