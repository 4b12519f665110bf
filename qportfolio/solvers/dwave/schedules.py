"""Anneal controls of the QPU: schedules, the reverse-anneal shorthand and its initial state.

A schedule is a list of points ``[t, s]`` (t in microseconds from 0, strictly increasing; s the
normalised anneal fraction in [0, 1]) ending at s = 1. A forward anneal starts at s = 0; a reverse
anneal starts at s = 1 from a given classical state, goes back to an intermediate s, holds, and
returns to s = 1, so it searches near that state. :func:`anneal_controls` turns the solver's
options into the QPU's parameters and refuses contradictory combinations before any QPU time.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...errors import ValidationError
from ...formulations.qubo import QuboModel
from ...utils import validate

#: microseconds of each ramp of :func:`reverse_schedule` (down to s, and back up to 1)
REVERSE_RAMP_US = 5.0


def check_schedule(value: Any, field: str) -> list[list[float]]:
    """An anneal schedule: points [t (us), s], t from 0 strictly increasing, s in [0, 1], starting at
    s = 0 (forward) or s = 1 (reverse) and ending at s = 1."""
    pts = validate.array(value, field, ndim=2)
    if pts.shape[1] != 2 or pts.shape[0] < 2:
        raise ValidationError(f"{field} must be at least two [t_us, s] points, got shape {list(pts.shape)}")
    t, s = pts[:, 0], pts[:, 1]
    if t[0] != 0 or np.any(np.diff(t) <= 0):
        raise ValidationError(f"{field}: times must start at 0 and strictly increase, got {t.tolist()}")
    if np.any((s < 0) | (s > 1)) or s[-1] != 1 or s[0] not in (0.0, 1.0):
        raise ValidationError(f"{field}: s must lie in [0, 1], start at 0 (forward) or 1 (reverse) and end at 1, "
                              f"got {s.tolist()}")
    return pts.tolist()


def check_initial_state(value: Any, field: str) -> Any:
    """``"heuristic"`` or a mapping variable -> 0/1 (keys as strings, values as ints)."""
    if value == "heuristic":
        return value
    if isinstance(value, dict) and all(v in (0, 1) for v in value.values()):
        return {str(k): int(v) for k, v in value.items()}
    raise ValidationError(f"{field} must be 'heuristic' or a mapping variable -> 0/1")


def reverse_schedule(s_target: float, hold_us: float, ramp_us: float = REVERSE_RAMP_US) -> list[list[float]]:
    """Reverse anneal: from s = 1 down to ``s_target`` (0 < s < 1) in ``ramp_us``, hold ``hold_us``, back to 1."""
    if not (isinstance(s_target, (int, float)) and 0.0 < s_target < 1.0):
        raise ValidationError(f"reverse_anneal must be a number in (0, 1), got {s_target!r}")
    for name, value in (("reverse_hold_us", hold_us), ("ramp_us", ramp_us)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise ValidationError(f"{name} must be a positive number of microseconds, got {value!r}")
    points = [[0.0, 1.0], [ramp_us, s_target], [ramp_us + hold_us, s_target], [2 * ramp_us + hold_us, 1.0]]
    return check_schedule([[float(t), float(s)] for t, s in points], "reverse schedule")


def is_reverse(schedule: list[list[float]] | None) -> bool:
    """Whether a schedule starts at s = 1 (a reverse anneal)."""
    return bool(schedule) and schedule[0][1] == 1.0


def anneal_controls(qubo: QuboModel, child: Any, *, annealing_time: float | None, anneal_schedule: Any,
                    reverse_anneal: float | None, reverse_hold_us: float, initial_state: Any,
                    reinitialize_state: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The anneal parameters for the QPU (schedule, initial state in the QUBO's variables; the
    embedding composite maps it onto the chains) and what to record. Refuses contradictions."""
    if reverse_anneal is not None and anneal_schedule is not None:
        raise ValidationError("give reverse_anneal (a shorthand) or anneal_schedule, not both")
    schedule = reverse_schedule(reverse_anneal, reverse_hold_us) if reverse_anneal is not None else anneal_schedule
    if schedule is not None and annealing_time is not None:
        raise ValidationError("annealing_time and an anneal schedule both set the anneal; give one")
    reverse = is_reverse(schedule)
    if reverse and initial_state is None:
        raise ValidationError("reverse annealing starts from a state: give initial_state (heuristic, or {variable: 0/1})")
    if initial_state is not None and not reverse:
        raise ValidationError("initial_state is the start of a reverse anneal: give reverse_anneal=S or an anneal_schedule "
                              "starting at s = 1")
    params: dict[str, Any] = {}
    recorded: dict[str, Any] = {}
    if schedule is not None:
        most = int(child.properties.get("max_anneal_schedule_points", 12) or 12)
        if len(schedule) > most:
            raise ValidationError(f"anneal_schedule has {len(schedule)} points; this QPU takes at most {most}")
        params["anneal_schedule"] = schedule
        recorded["anneal_schedule"] = schedule
    if reverse:
        state, recorded["initial_state"] = _start(qubo, initial_state)
        if initial_state == "heuristic":
            units = qubo.calibration.heuristic_units
            recorded["initial_objective"] = float(qubo.problem.objective(units * qubo.problem.weight_step))
        params["initial_state"] = {v: int(state[v]) for v in qubo.bqm.variables}
        params["reinitialize_state"] = bool(reinitialize_state)
        recorded["reinitialize_state"] = bool(reinitialize_state)
    return params, recorded


def _start(qubo: QuboModel, initial_state: Any) -> tuple[Any, str]:
    """The reverse anneal's start in the QUBO's variables, and how it was chosen."""
    if initial_state == "heuristic":
        units = qubo.calibration.heuristic_units if qubo.calibration is not None else None
        if units is None:
            raise ValidationError("initial_state=heuristic needs the calibrated penalties (no calibration was run)")
        return qubo.encode_units(units), "heuristic"
    unknown = sorted(set(initial_state) - set(qubo.bqm.variables))[:3]
    missing = sorted(set(qubo.bqm.variables) - set(initial_state))[:3]
    if unknown or missing:
        raise ValidationError(f"initial_state must give every QUBO variable: unknown {unknown}, missing {missing}")
    return initial_state, "given"
