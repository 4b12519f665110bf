"""Types of solver options by name, checked for every backend before it runs.

``-o KEY=VALUE`` values arrive as JSON (``-o num_reads=x`` is the string "x", ``-o num_reads=[1]``
a list), and Python callers pass anything; the table below refuses what a backend would otherwise
turn into a traceback deep inside a C extension (``Python int too large to convert to C long``) or
silently coerce (``lagrangian_shift=5`` read as true). Options not named here are checked by their
backend (or, for pass-through sampler parameters, by the sampler, whose refusal is reported as a
:class:`ValidationError`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .. import validate
from ..errors import ValidationError

#: C-level counters in dwave-samplers and SCIP are 32-bit.
MAX_COUNT = 2**31 - 1


def _count(value: Any, field: str) -> int:
    return validate.integer(value, field, low=1, high=MAX_COUNT)


def _non_negative_count(value: Any, field: str) -> int:
    return validate.integer(value, field, low=0, high=MAX_COUNT)


def _positive(value: Any, field: str) -> float:
    return validate.number(value, field, low=0.0, low_open=True)


def _non_negative(value: Any, field: str) -> float:
    return validate.number(value, field, low=0.0)


def _beta_range(value: Any, field: str) -> Any:
    pair = validate.array(value, field, ndim=1, shape=(2,))
    if not (0 < pair[0] <= pair[1]):
        raise ValidationError(f"{field} must be [hot, cold] inverse temperatures with 0 < hot <= cold, got {list(pair)}")
    return [float(pair[0]), float(pair[1])]


def _numbers(value: Any, field: str) -> Any:
    return [float(v) for v in validate.array(value, field, ndim=1)]


def _number_or_text(value: Any, field: str) -> Any:
    if isinstance(value, str):
        return value
    return _positive(value, field)


def _penalties(value: Any, field: str) -> Any:
    if validate.is_number(value):
        return _positive(value, field)
    if isinstance(value, Mapping):
        return {k: _positive(v, f"{field}.{k}") for k, v in value.items()}
    raise ValidationError(f"{field} must be a positive number or {{cardinality, budget, linking}} numbers, "
                          f"got {validate.describe(value)}")


def _bool_or_text(value: Any, field: str) -> Any:
    if isinstance(value, (bool, str)):
        return value
    raise ValidationError(f"{field} must be true/false or a string, got {validate.describe(value)}")


CHECKS: dict[str, Callable[[Any, str], Any]] = {
    **dict.fromkeys(("num_reads", "num_sweeps", "num_sweeps_per_beta", "num_replicas", "num_restarts", "batches",
                     "maxiter", "reps", "restarts", "shots", "sa_sweeps", "subproblem_reads", "subproblem_size",
                     "trotter", "threads", "max_portfolios", "tabu_timeout", "timeout", "max_iter"), _count),
    "tenure": _non_negative_count,
    **dict.fromkeys(("time_budget", "max_time", "time_limit", "penalty_scale", "max_memory_gb", "beta", "gamma",
                     "embedding_timeout", "annealing_time"), _positive),
    "margin": _non_negative,
    **dict.fromkeys(("lagrangian_shift", "repair", "polish", "verbose", "auto_scale", "large_sparse_opt",
                     "randomize_order"), validate.boolean),
    **dict.fromkeys(("encoding", "penalty_strategy", "model", "split", "mixer", "strategy", "embedding", "postprocess",
                     "beta_schedule_type", "initial_states_generator", "proposal_acceptance_criteria", "label",
                     "profile", "config_file", "qpu"), validate.text),
    "beta_range": _beta_range,
    "initial_point": _numbers,
    "penalties": _penalties,
    "chain_strength": _number_or_text,
    "mock": _bool_or_text,
    "embedding_cache": _bool_or_text,
}

#: options whose None means "the backend's default" and is accepted as such
NULLABLE = {"encoding", "time_limit", "time_budget", "max_time", "max_iter", "penalties", "initial_point", "beta_range",
            "label", "profile", "config_file", "qpu"}


def check_option_values(solver: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """The options with known names checked (and numbers normalised: 10.0 -> 10 for counts)."""
    out = dict(options)
    for key, value in options.items():
        check = CHECKS.get(key)
        if check is None or (value is None and key in NULLABLE):
            continue
        out[key] = check(value, f"{solver} option {key}")
    return out
