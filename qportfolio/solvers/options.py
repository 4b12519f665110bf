"""Typed solver options, declared once on each backend (as dimod samplers declare ``parameters``).

A backend lists its options as :class:`Option` records: name, type check, default, whether None
is accepted, help text, and a :class:`Role` that tells the rest of the library what the option
*means* (a time limit, a time budget, a seed, a sampling budget) without guessing from its name.
Everything that needs option knowledge reads these records and nothing else:

- :meth:`qportfolio.solvers.base.Solver.validate_options`, the one gate every ``solve`` passes;
- the CLI (``qportfolio solve --num-reads ...`` flags come from options marked ``flag=True``, and
  ``qportfolio solvers -v`` prints the records);
- benchmark suites (option names and values are checked when the suite is read; the suite's
  ``time_limit`` fills the option whose role is :attr:`Role.TIME_LIMIT`);
- the benchmark runner's watchdog and the dry-run estimate (:func:`limit_seconds`,
  :func:`budget_seconds`).

Values arrive from ``-o KEY=VALUE`` as JSON (``-o num_reads=x`` is the string "x") and from Python
as anything; a check refuses what a backend would otherwise turn into a traceback deep inside a C
extension (``Python int too large to convert to C long``) or silently coerce (``repair=5`` read
as true). An option without a check (``check=None``) is passed through to something that checks
it itself: a dimod sampler's own parameters, objects such as ``sampler=``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from ..errors import SolverError, ValidationError
from ..formulations.penalties import as_penalties
from ..utils import validate

#: C-level counters in dwave-samplers and SCIP are 32-bit.
MAX_COUNT = 2**31 - 1


class Role(StrEnum):
    """What an option means to code outside its backend."""

    TIME_LIMIT = "time limit"  #: seconds after which the whole solve stops (suites' time_limit fills it)
    TIME_BUDGET = "time budget"  #: seconds a whole solve may take, sampler calls repeated within it (the estimate uses it)
    CALL_TIME_LIMIT = "call time limit"  #: seconds per sampler call (watched when given explicitly)
    SEED = "seed"  #: the random seed (suites' seeds fill it)
    SAMPLING = "sampling budget"  #: reads, shots, sweeps: how much a sampler draws


@dataclass(frozen=True)
class Check:
    """A named value check: ``check(value, field)`` returns the clean value or raises
    :class:`ValidationError` naming ``field``; ``label`` describes the type in help text."""

    label: str
    function: Callable[[Any, str], Any]
    textual: bool = False  #: values are strings: a command-line value is taken as written, not parsed as JSON

    def __call__(self, value: Any, field: str) -> Any:
        return self.function(value, field)


def _count(value: Any, field: str) -> int:
    return validate.integer(value, field, low=1, high=MAX_COUNT)


def _seed(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < 2**32:
        raise ValidationError(f"{field} must be an integer in [0, 2**32), got {validate.describe(value)}")
    return int(value)


def _beta_range(value: Any, field: str) -> list[float]:
    pair = validate.array(value, field, ndim=1, shape=(2,))
    if not (0 < pair[0] <= pair[1]):
        raise ValidationError(f"{field} must be [hot, cold] inverse temperatures with 0 < hot <= cold, got {list(pair)}")
    return [float(pair[0]), float(pair[1])]


def _penalties(value: Any, field: str) -> Any:
    """The formulation's one check (every strength > 0), the value kept in the form it was given."""
    pen = as_penalties(value, field)
    if isinstance(value, Mapping):
        return pen.as_dict()
    return pen.cardinality if validate.is_number(value) else pen


def _number_or_text(value: Any, field: str) -> Any:
    return value if isinstance(value, str) else POSITIVE(value, field)


def _bool_or_text(value: Any, field: str) -> Any:
    if isinstance(value, (bool, str)):
        return value
    raise ValidationError(f"{field} must be true/false or a string, got {validate.describe(value)}")


COUNT = Check("integer >= 1", _count)
NON_NEGATIVE_COUNT = Check("integer >= 0", lambda v, f: validate.integer(v, f, low=0, high=MAX_COUNT))
POSITIVE = Check("number > 0", lambda v, f: validate.number(v, f, low=0.0, low_open=True))
NON_NEGATIVE = Check("number >= 0", lambda v, f: validate.number(v, f, low=0.0))
NUMBER = Check("number", lambda v, f: validate.number(v, f))
BOOLEAN = Check("true/false", validate.boolean)
TEXT = Check("string", validate.text, textual=True)
SEED = Check("integer in [0, 2**32)", _seed)
BETA_RANGE = Check("[hot, cold]", _beta_range)
NUMBERS = Check("list of numbers", lambda v, f: [float(x) for x in validate.array(v, f, ndim=1)])
PENALTIES = Check("number or {cardinality, budget, linking}", _penalties)
NUMBER_OR_TEXT = Check("number > 0 or string", _number_or_text)
BOOL_OR_TEXT = Check("true/false or string", _bool_or_text)


def choice(*values: str) -> Check:
    """A string that must be one of ``values``."""

    def check(value: Any, field: str) -> str:
        if not isinstance(value, str) or value not in values:
            raise ValidationError(f"{field} must be one of {', '.join(values)}; got {validate.describe(value)}")
        return value

    return Check(" | ".join(values), check, textual=True)


@dataclass(frozen=True)
class Option:
    """One option of one backend: everything the library knows about it, in one place."""

    name: str
    help: str
    check: Check | None = None  #: None: passed through to something that checks it (a sampler, an object)
    default: Any = None  #: the backend's value when the option is not given (None: none, or decided at run time)
    nullable: bool = False  #: None is accepted and means "the default"
    role: Role | None = None
    flag: bool = False  #: also a ``qportfolio solve`` flag (``--num-reads``)
    #: it chooses this machine's credentials or files (a config file, a profile, a cache folder): a
    #: service refuses it from a client, whose requests run on the server's machine (:func:`client_options`)
    local_only: bool = False

    def validate(self, value: Any, owner: str) -> Any:
        """The checked value (``owner``: the solver's name, for the message)."""
        if self.check is None or (value is None and self.nullable):
            return value
        return self.check(value, f"{owner} option {self.name}")

    @property
    def type_label(self) -> str:
        label = "any (checked by the backend)" if self.check is None else self.check.label
        return f"{label} or null" if self.nullable and self.check is not None else label

    def describe(self) -> str:
        """One line for ``qportfolio solvers -v``."""
        default = "" if self.default is None else f"; default {self.default!r}"
        role = "" if self.role is None else f"; {self.role}"
        local = "; local only" if self.local_only else ""
        return f"{self.help} [{self.type_label}{default}{role}{local}]"


def seed_option(help: str = "random seed (a fresh one is drawn and recorded when not given)") -> Option:
    """The ``seed`` option every backend takes (``help`` says what it seeds, or that it is ignored)."""
    return Option("seed", help, SEED, nullable=True, role=Role.SEED)


def declare(*options: Option) -> dict[str, Option]:
    """Options as a name -> Option mapping (a name declared twice is a programming error)."""
    out: dict[str, Option] = {}
    for option in options:
        if not isinstance(option, Option):
            raise SolverError(f"solver options are declared as Option records, got {option!r}")
        if option.name in out:
            raise SolverError(f"option {option.name!r} is declared twice")
        out[option.name] = option
    return out


def validate_options(owner: str, declared: Mapping[str, Option], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` checked against ``declared``: unknown names refused (listing the allowed ones),
    each value checked by its Option (numbers normalised: 10.0 -> 10 for counts)."""
    for name, option in declared.items():
        if not isinstance(option, Option):
            raise SolverError(f"solver {owner!r} declares option {name!r} as {type(option).__name__}; declare options "
                              "as Option records (qportfolio.solvers.Option, declared with qportfolio.solvers.declare)")
    unknown = sorted(set(values) - set(declared))
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        raise ValidationError(f"solver {owner!r} does not take option(s) {', '.join(map(str, unknown))}; allowed: {allowed}")
    return {name: declared[name].validate(value, owner) for name, value in values.items()}


def client_options(declared: Mapping[str, Option]) -> dict[str, Option]:
    """The declared options a service's client may set: all but those marked ``local_only``."""
    return {name: o for name, o in declared.items() if not o.local_only}


def with_role(declared: Mapping[str, Option], role: Role) -> list[Option]:
    """The declared options that play ``role``."""
    return [o for o in declared.values() if o.role == role]


def _seconds(value: Any) -> float | None:
    if validate.is_number(value) and math.isfinite(float(value)) and value > 0:
        return float(value)
    return None


def budget_seconds(declared: Mapping[str, Option], values: Mapping[str, Any]) -> float | None:
    """The time budget a solve with ``values`` spends (given, else the declared default), or None."""
    for option in with_role(declared, Role.TIME_BUDGET):
        seconds = _seconds(values.get(option.name, option.default))
        if seconds is not None:
            return seconds
    return None


def limit_seconds(declared: Mapping[str, Option], values: Mapping[str, Any]) -> float | None:
    """The longest time a solve with ``values`` is meant to take, read from the roles of the options
    given (a time limit, a time budget or a per-call limit); None if none is given. Defaults do not
    count: a default budget can be overrun by a call that cannot be interrupted, and a watchdog
    built on it would stop work the user never bounded."""
    roles = (Role.TIME_LIMIT, Role.TIME_BUDGET, Role.CALL_TIME_LIMIT)
    found = [s for o in declared.values() if o.role in roles and (s := _seconds(values.get(o.name))) is not None]
    return max(found) if found else None


def flag_options(solvers: Mapping[str, Mapping[str, Option]]) -> dict[str, tuple[Option, list[str]]]:
    """The options that are command-line flags: for each name, its first declaration and the
    solvers (of ``solvers``: solver name -> declared options) that take it."""
    out: dict[str, tuple[Option, list[str]]] = {}
    for solver, declared in solvers.items():
        for option in declared.values():
            if option.flag:
                out.setdefault(option.name, (option, []))[1].append(solver)
    return out
