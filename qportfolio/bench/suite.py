"""Benchmark suites: a TOML file of instance sets × parameter grids × solver configurations × seeds.

    name = "quick"
    repeats = 2                     # seeds per (instance, parameters, configuration)
    seed = 0                        # base of the job seeds
    time_limit = 20                 # seconds, passed to solvers that take time_limit

    [[instances]]                   # one table per set; kind = "orlib" | "synthetic" | "file"
    set = "synthetic-small"         # the set's name in reports (default: the kind)
    kind = "synthetic"
    n = [6, 8]
    seeds = [1, 2]
    # orlib: names = ["port1", "port2"]; file: paths = ["problems/a.json"] (relative to the suite)

    [parameters]                    # a grid; every list is one axis, scalars are fixed
    cardinality = [3]
    risk_aversion = [0.2, 0.5, 0.8]
    weight_step = 0.25
    min_weight = 0.25               # optional; also max_weight, selection_only

    [references]                    # exact optima computed once per instance and reused by the metrics
    discrete = true                 # exact-discrete (SCIP), with its proven status
    continuous = true               # exact-continuous
    time_limit = 60
    extended_time_limit = 1800      # optional: points left unproven at time_limit run again at this limit
    extended_options = { split = "bound" }   # optional: solver options of that second try only

    [[solvers]]                     # several configurations of one solver, each named
    name = "sa-1000"
    solver = "sa"
    options = { num_reads = 50, num_sweeps = 1000 }
    repeats = 3                     # optional override (deterministic solvers: 1)
    expected_seconds = 2.5          # optional: typical seconds per job, for `bench run --dry-run`
                                    # (also in [references]; a table {port1 = 1, default = 5} works too)

A job is one (instance, parameters, configuration, seed); its key is a hash of the instance
fingerprint (which covers K, lambda, step and bounds), the solver, its options, the time limit and
the seed, so the same job in any suite is recognised as done. A suite expanding to more than
``MAX_PROBLEMS`` problems or ``MAX_JOBS`` jobs is refused before anything is built.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError, ValidationError
from ..problem import PortfolioProblem
from ..utils import validate

if TYPE_CHECKING:  # the data readers (pandas) load with the first problem, not with the suite
    from ..data.reference import ProblemReference

BUILTIN = ("quick", "orlib", "scaling", "scale", "formulations", "chang2000", "devices")
KINDS = ("orlib", "synthetic", "file")
PARAMETER_KEYS = ("cardinality", "risk_aversion", "weight_step", "min_weight", "max_weight", "selection_only")
#: a suite expanding past these is refused before anything is built (see Suite.check_size)
MAX_PROBLEMS = 20_000
MAX_JOBS = 1_000_000
#: reference statuses that a longer time limit cannot change
FINAL_STATUSES = ("optimal", "infeasible")
REFERENCE_CONFIGS = {"discrete": "exact-discrete", "continuous": "exact-continuous"}


@dataclass(frozen=True)
class SolverConfig:
    """One named configuration of a registered solver."""

    name: str
    solver: str
    options: dict[str, Any] = field(default_factory=dict)
    repeats: int | None = None
    role: str = "solver"  # or "reference"
    #: typical seconds per job (a number, or a table instance -> seconds with an optional "default"),
    #: used only by ``bench run --dry-run`` (see :mod:`qportfolio.bench.estimate`); not part of the job key
    expected_seconds: float | dict[str, float] | None = None


@dataclass(frozen=True)
class Job:
    """One unit of work: solve ``problem`` with ``config`` and ``seed`` (picklable, self-contained)."""

    key: str
    suite: str
    instance_set: str
    instance: str
    problem: PortfolioProblem
    config: SolverConfig
    seed: int | None
    time_limit: float | None
    selection_only: bool

    def solve_options(self) -> dict[str, Any]:
        from ..solvers import get
        from ..solvers.options import Role

        options = dict(self.config.options)
        solver = get(self.config.solver)
        seed_option, limit_option = solver.option_for(Role.SEED), solver.option_for(Role.TIME_LIMIT)
        if self.seed is not None and seed_option:
            options.setdefault(seed_option, self.seed)
        if self.time_limit is not None and limit_option:
            options.setdefault(limit_option, self.time_limit)
        return options


def job_key(fingerprint: str, solver: str, options: dict[str, Any], time_limit: float | None, seed: int | None) -> str:
    """The job's identity in a results database: stable across releases, so a database is resumed,
    never silently redone. A whole-number limit hashes as an integer (``60``, as TOML writes it),
    whether it was read as 60 or 60.0."""
    if isinstance(time_limit, float) and time_limit.is_integer():
        time_limit = int(time_limit)  # type: ignore[assignment]
    payload = json.dumps({"fingerprint": fingerprint, "solver": solver, "options": options,
                          "time_limit": time_limit, "seed": seed}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Suite:
    name: str
    instances: list[dict[str, Any]]
    parameters: dict[str, list[Any]]
    solvers: list[SolverConfig]
    references: dict[str, Any]
    repeats: int = 1
    seed: int = 0
    time_limit: float | None = None
    base_dir: Path = Path(".")
    description: str = ""

    # ---------------------------------------------------------------- expansion
    def count_problems(self) -> int:
        """How many problems :meth:`problems` builds, counted without building any."""
        points = math.prod(len(self.parameters[k]) for k in PARAMETER_KEYS if k in self.parameters)
        # the references are plain records: nothing is read or built until one is loaded
        return points * sum(1 for spec in self.instances for _ in self._instance_references(spec, None))

    def count_jobs(self) -> int:
        """An upper bound on len(:meth:`jobs`) (identical jobs are merged there), counted without building."""
        return self.count_problems() * sum(c.repeats or self.repeats for c in self.configs())

    def check_size(self) -> None:
        """Refuse a suite whose expansion would not fit: a mistyped ``repeats = 1e9`` or parameter lists
        whose product runs to millions would otherwise fill the memory before the first job runs."""
        problems, jobs = self.count_problems(), self.count_jobs()
        if problems > MAX_PROBLEMS or jobs > MAX_JOBS:
            raise ValidationError(f"suite {self.name} expands to {problems:,} problems and {jobs:,} jobs, over the limits of "
                                  f"{MAX_PROBLEMS:,} problems and {MAX_JOBS:,} jobs; lower repeats or the parameter "
                                  "lists, or split the suite into several")

    def problems(self, data_dir: str | None = None) -> list[tuple[str, str, PortfolioProblem, bool]]:
        """(set, instance name, problem, selection_only) for every instance × parameter point."""
        from ..data.reference import load_problem

        self.check_size()
        out = []
        grid_keys = [k for k in PARAMETER_KEYS if k in self.parameters]
        for spec in self.instances:
            for base_name, reference in self._instance_references(spec, data_dir):
                for values in itertools.product(*(self.parameters[k] for k in grid_keys)):
                    params = dict(zip(grid_keys, values))
                    selection_only = bool(params.pop("selection_only", False))
                    problem = load_problem(replace(reference, selection_only=selection_only, **params))
                    out.append((spec.get("set", spec["kind"]), base_name, problem, selection_only))
        return out

    def _instance_references(self, spec: dict[str, Any], data_dir: str | None) -> Iterator[tuple[str, ProblemReference]]:
        """(instance name, problem reference) of each instance of one [[instances]] table."""
        from ..data.reference import ProblemReference

        kind = spec["kind"]
        if kind == "orlib":
            for name in spec["names"]:
                yield name, ProblemReference(orlib=name, data_dir=data_dir)
        elif kind == "synthetic":
            for n, s in itertools.product(spec["n"], spec.get("seeds", [0])):
                yield f"synthetic-n{n}-s{s}", ProblemReference(synthetic=n, seed=s)
        else:
            for path in spec["paths"]:
                full = (self.base_dir / path).resolve()
                yield full.stem, ProblemReference(spec=full)

    def configs(self) -> list[SolverConfig]:
        refs = [SolverConfig(name=solver, solver=solver, options={}, repeats=1, role="reference",
                             expected_seconds=self.references.get("expected_seconds"))
                for key, solver in REFERENCE_CONFIGS.items() if self.references.get(key)]
        return refs + list(self.solvers)

    def jobs(self, data_dir: str | None = None) -> list[Job]:
        """Every job of the suite, references first (their optima are what the gaps are taken to)."""
        jobs: list[Job] = []
        seen: set[str] = set()
        problems = self.problems(data_dir)
        for config in self.configs():
            repeats = config.repeats or self.repeats
            limit = self.references.get("time_limit", self.time_limit) if config.role == "reference" else self.time_limit
            for set_name, instance, problem, selection_only in problems:
                for r in range(repeats):
                    seed = None if config.role == "reference" else self.seed + r
                    key = job_key(problem.fingerprint, config.solver, config.options, limit, seed)
                    if key in seen:
                        continue
                    seen.add(key)
                    jobs.append(Job(key, self.name, set_name, instance, problem, config, seed, limit, selection_only))
        return jobs

    def extended_label(self) -> str:
        """How the second try of unproven references runs, for messages: "1800 s (split=bound)"."""
        extra = self.references.get("extended_options") or {}
        options = ", ".join(f"{k}={v}" for k, v in extra.items())
        return f"{self.references['extended_time_limit']:g} s" + (f" ({options})" if options else "")

    def extended_jobs(self, jobs: list[Job], statuses: dict[str, str]) -> list[Job]:
        """The reference jobs left unproven at their limit (``statuses``: job key -> recorded status),
        again at ``[references] extended_time_limit``: only the hard points pay for a long limit.

        Their keys hash the longer limit, so they are resumable like any job, and the proven answer
        supersedes the earlier one in the metrics (:func:`qportfolio.bench.metrics.add_metrics`)."""
        extended = self.references.get("extended_time_limit")
        if not extended:
            return []
        extra = self.references.get("extended_options") or {}
        out = []
        for job in jobs:
            if job.config.role == "reference" and statuses.get(job.key, "optimal") not in FINAL_STATUSES:
                config = replace(job.config, options={**job.config.options, **extra}) if extra else job.config
                key = job_key(job.problem.fingerprint, config.solver, config.options, extended, job.seed)
                out.append(replace(job, key=key, config=config, time_limit=extended))
        return out


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _expected_seconds(value: Any, where: str) -> float | dict[str, float] | None:
    """A validated ``expected_seconds`` hint: a non-negative number or a table of them."""
    if value is None:
        return None
    items = value.items() if isinstance(value, dict) else [("", value)]
    for key, seconds in items:
        if not validate.is_number(seconds) or not seconds >= 0 or not math.isfinite(seconds):
            label = f"expected_seconds.{key}" if key else "expected_seconds"
            raise ValidationError(f"suite {where}.{label} must be a non-negative number of seconds, got {seconds!r}")
    return {k: float(v) for k, v in value.items()} if isinstance(value, dict) else float(value)


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(f"suite {where} must be a table (key = value pairs), got {validate.describe(value)}")
    return value


def _items(value: Any, where: str, check: Any) -> list[Any]:
    """A scalar or a non-empty list, each entry passed through ``check(entry, field)``."""
    values = _as_list(value)
    if not values:
        raise ValidationError(f"suite {where} must not be empty")
    return [check(v, f"suite {where}[{i}]" if isinstance(value, (list, tuple)) else f"suite {where}")
            for i, v in enumerate(values)]


def _instances(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    raw = data.get("instances")
    if not isinstance(raw, list) or not raw:
        raise ValidationError(f"suite {name}: needs at least one [[instances]] table (a list of tables)")
    out = []
    for i, spec in enumerate(raw):
        where = f"{name}: instances[{i}]"
        spec = dict(_table(spec, where))
        kind = spec.get("kind")
        need = {"orlib": "names", "synthetic": "n", "file": "paths"}.get(kind) if isinstance(kind, str) else None
        if need is None:
            raise ValidationError(f"suite {where}.kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if need not in spec:
            raise ValidationError(f"suite {where} of kind {kind!r} needs the key {need!r}")
        validate.known_keys(spec, {"set", "kind", need} | ({"seeds"} if kind == "synthetic" else set()), f"suite {where}")
        if "set" in spec:
            spec["set"] = validate.text(spec["set"], f"suite {where}.set")
        if kind == "synthetic":
            spec["n"] = _items(spec["n"], f"{where}.n", lambda v, f: validate.integer(v, f, low=1))
            spec["seeds"] = _items(spec.get("seeds", [0]), f"{where}.seeds", lambda v, f: validate.integer(v, f, low=0))
        else:
            spec[need] = _items(spec[need], f"{where}.{need}", validate.text)
        out.append(spec)
    return out


def _solver_config(s: Any, i: int, name: str, taken: set[str]) -> SolverConfig:
    from ..solvers import available
    from ..solvers.registry import is_registered

    where = f"{name}: solvers[{i}]"
    s = _table(s, where)
    validate.known_keys(s, {"name", "solver", "options", "repeats", "expected_seconds"}, f"suite {where}")
    if "solver" not in s:
        raise ValidationError(f"suite {where} needs 'solver' (one of {', '.join(available())})")
    solver = s["solver"]
    if not isinstance(solver, str) or not is_registered(solver):
        raise ValidationError(f"suite {where}.solver {solver!r} is not registered; available: {', '.join(available())}")
    config_name = validate.text(s.get("name", solver), f"suite {where}.name")
    if config_name in taken or config_name in REFERENCE_CONFIGS.values():
        raise ValidationError(f"suite {name}: solver configuration name {config_name!r} is used twice; "
                              "give each a unique name")
    taken.add(config_name)
    options = dict(_table(s.get("options", {}), f"{where}.options"))
    _checked_options(options, solver, f"{where}.options")  # kept as written: job keys hash them
    repeats = s.get("repeats")
    if repeats is not None:
        repeats = validate.integer(repeats, f"suite {where}.repeats", low=1)
    return SolverConfig(name=config_name, solver=solver, options=options, repeats=repeats,
                        expected_seconds=_expected_seconds(s.get("expected_seconds"), where))


def _checked_options(options: dict[str, Any], solver: str, where: str) -> dict[str, Any]:
    """``options`` through ``solver``'s own gate (names and values, as ``solve`` checks them), with
    the suite's table named in the message; returns the checked values."""
    from ..solvers import get

    try:
        return get(solver).validate_options(options)
    except ValidationError as exc:
        raise ValidationError(f"suite {where}: {exc}") from None


def _parameters(data: dict[str, Any], name: str) -> dict[str, list[Any]]:
    raw = _table(data.get("parameters") or {}, f"{name}: [parameters]")
    bad = sorted(set(raw) - set(PARAMETER_KEYS))
    if bad:
        raise ValidationError(f"suite {name}: [parameters] has unknown key(s) {', '.join(map(str, bad))}; "
                              f"allowed: {', '.join(PARAMETER_KEYS)}")
    checks = {"cardinality": lambda v, f: validate.integer(v, f, low=1),
              "selection_only": validate.boolean,
              "risk_aversion": lambda v, f: validate.number(v, f, low=0.0, high=1.0),
              "weight_step": lambda v, f: validate.number(v, f, low=0.0, high=1.0, low_open=True)}
    out = {}
    for key, value in raw.items():
        where = f"{name}: parameters.{key}"
        if key in ("min_weight", "max_weight"):
            out[key] = _items(value, where, lambda v, f: validate.number(v, f, low=0.0, high=1.0))
        else:
            out[key] = _items(value, where, checks[key])
    return out


def _references(data: dict[str, Any], name: str) -> dict[str, Any]:
    where = f"{name}: [references]"
    references = dict(_table(data.get("references") or {"discrete": True, "continuous": False}, where))
    validate.known_keys(references, {"discrete", "continuous", "time_limit", "extended_time_limit", "extended_options",
                                     "expected_seconds"}, f"suite {where}")
    for key in REFERENCE_CONFIGS:
        if key in references:
            validate.boolean(references[key], f"suite {where}.{key}")
    if references.get("time_limit") is not None:
        references["time_limit"] = validate.number(references["time_limit"], f"suite {where}.time_limit", low=0.0,
                                                   low_open=True)
    if references.get("extended_time_limit") is not None:
        extended = validate.number(references["extended_time_limit"], f"suite {where}.extended_time_limit", low=0.0,
                                   low_open=True)
        first = references.get("time_limit", data.get("time_limit"))
        if first is None or not validate.is_number(first) or not extended > first:
            raise ValidationError(f"suite {where}.extended_time_limit ({extended:g} s) must be longer than the references' "
                                  f"time_limit ({first!r}): it reruns the points left unproven at that limit")
        references["extended_time_limit"] = extended
    if references.get("extended_options") is not None:
        references["extended_options"] = _extended_options(references, where)
    references["expected_seconds"] = _expected_seconds(references.get("expected_seconds"), where)
    return references


def _extended_options(references: dict[str, Any], where: str) -> dict[str, Any]:
    """``[references] extended_options``: options of the exact solvers for the extended second try,
    checked like any solver's options (names and value types) when the suite is read."""
    options = dict(_table(references["extended_options"], f"{where}.extended_options"))
    if references.get("extended_time_limit") is None:
        raise ValidationError(f"suite {where}.extended_options needs extended_time_limit: the options apply to the "
                              "second try of the references left unproven at time_limit")
    if "time_limit" in options:
        raise ValidationError(f"suite {where}.extended_options cannot set time_limit; use extended_time_limit")
    for key, solver in REFERENCE_CONFIGS.items():
        if references.get(key):
            options = _checked_options(options, solver, f"{where}.extended_options")
    return options


def parse_suite(data: dict[str, Any], *, name: str, base_dir: Path = Path(".")) -> Suite:
    """Validate a suite's TOML tables (errors name the table, the key and what was expected)."""
    data = _table(data, name)
    known = {"name", "description", "repeats", "seed", "time_limit", "instances", "parameters", "references", "solvers"}
    validate.known_keys(data, known, f"suite {name}")
    instances = _instances(data, name)
    parameters = _parameters(data, name)
    raw_solvers = data.get("solvers") or []
    if not isinstance(raw_solvers, list):
        raise ValidationError(f"suite {name}: solvers must be [[solvers]] tables, got {validate.describe(raw_solvers)}")
    taken: set[str] = set()
    configs = [_solver_config(s, i, name, taken) for i, s in enumerate(raw_solvers)]
    references = _references(data, name)
    if not configs and not any(references.get(k) for k in REFERENCE_CONFIGS):
        raise ValidationError(f"suite {name}: needs at least one [[solvers]] table or a reference")
    time_limit = data.get("time_limit")
    if time_limit is not None:
        time_limit = validate.number(time_limit, f"suite {name}: time_limit", low=0.0, low_open=True)
    suite = Suite(name=validate.text(data.get("name", name), f"suite {name}: name"), instances=instances,
                  parameters=parameters, solvers=configs, references=references,
                  repeats=validate.integer(data.get("repeats", 1), f"suite {name}: repeats", low=1),
                  seed=validate.integer(data.get("seed", 0), f"suite {name}: seed", low=0),
                  time_limit=time_limit, base_dir=base_dir,
                  description=validate.text(data.get("description", ""), f"suite {name}: description"))
    suite.check_size()
    last_seed = suite.seed + max((c.repeats or suite.repeats for c in configs), default=1) - 1
    if last_seed >= 2**32:
        raise ValidationError(f"suite {name}: seed + repeats - 1 = {last_seed} is past the samplers' seed range [0, 2**32); "
                              "use a smaller seed")
    return suite


def load_suite(name_or_path: str) -> Suite:
    """A built-in suite by name (see ``BUILTIN``) or a TOML file."""
    path = Path(name_or_path)
    if name_or_path in BUILTIN and not path.exists():
        text = resources.files("qportfolio.bench").joinpath("suites", f"{name_or_path}.toml").read_text()
        return parse_suite(tomllib.loads(text), name=name_or_path)
    if not path.is_file():
        raise DataError(f"suite {name_or_path!r} is neither a built-in suite ({', '.join(BUILTIN)}) nor a TOML file")
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text (UTF-8) TOML file") from None
    return parse_suite(data, name=path.stem, base_dir=path.parent)
