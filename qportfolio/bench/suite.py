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

    [[solvers]]                     # several configurations of one solver, each named
    name = "sa-1000"
    solver = "sa"
    options = { num_reads = 50, num_sweeps = 1000 }
    repeats = 3                     # optional override (deterministic solvers: 1)
    expected_seconds = 2.5          # optional: typical seconds per job, for `bench run --dry-run`
                                    # (also in [references]; a table {port1 = 1, default = 5} works too)

A job is one (instance, parameters, configuration, seed); its key is a hash of the instance
fingerprint (which covers K, lambda, step and bounds), the solver, its options, the time limit and
the seed, so the same job in any suite is recognised as done.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import DataError, ValidationError
from ..problem import PortfolioProblem

BUILTIN = ("quick", "orlib", "scaling", "formulations", "chang2000")
KINDS = ("orlib", "synthetic", "file")
PARAMETER_KEYS = ("cardinality", "risk_aversion", "weight_step", "min_weight", "max_weight", "selection_only")
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

        options = dict(self.config.options)
        accepted = get(self.config.solver).options
        if self.seed is not None and "seed" in accepted:
            options.setdefault("seed", self.seed)
        if self.time_limit is not None and "time_limit" in accepted:
            options.setdefault("time_limit", self.time_limit)
        return options


def job_key(fingerprint: str, solver: str, options: dict[str, Any], time_limit: float | None, seed: int | None) -> str:
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
    def problems(self, data_dir: str | None = None) -> list[tuple[str, str, PortfolioProblem, bool]]:
        """(set, instance name, problem, selection_only) for every instance × parameter point."""
        out = []
        grid_keys = [k for k in PARAMETER_KEYS if k in self.parameters]
        for spec in self.instances:
            for base_name, make in self._instance_makers(spec, data_dir):
                for values in itertools.product(*(self.parameters[k] for k in grid_keys)):
                    params = dict(zip(grid_keys, values))
                    selection_only = bool(params.pop("selection_only", False))
                    problem = make(params)
                    if selection_only:
                        problem = problem.selection_only_variant()
                    out.append((spec.get("set", spec["kind"]), base_name, problem, selection_only))
        return out

    def _instance_makers(self, spec: dict[str, Any], data_dir: str | None):
        from ..data import load_orlib, load_spec, synthetic_problem

        kind = spec["kind"]
        if kind == "orlib":
            for name in spec["names"]:
                yield name, lambda p, name=name: load_orlib(name, data_dir=data_dir, **p)
        elif kind == "synthetic":
            for n, s in itertools.product(spec["n"], spec.get("seeds", [0])):
                def make(p: dict[str, Any], n: int = n, s: int = s) -> PortfolioProblem:
                    p = dict(p)
                    return synthetic_problem(n, seed=s, cardinality=p.pop("cardinality", None), **p)
                yield f"synthetic-n{n}-s{s}", make
        else:
            for path in spec["paths"]:
                full = (self.base_dir / path).resolve()
                yield full.stem, lambda p, full=full: load_spec(full, **p)

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


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _expected_seconds(value: Any, where: str) -> float | dict[str, float] | None:
    """A validated ``expected_seconds`` hint: a non-negative number or a table of them."""
    if value is None:
        return None
    items = value.items() if isinstance(value, dict) else [("", value)]
    for key, seconds in items:
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds >= 0:
            label = f"expected_seconds.{key}" if key else "expected_seconds"
            raise ValidationError(f"suite {where}.{label} must be a non-negative number of seconds, got {seconds!r}")
    return {k: float(v) for k, v in value.items()} if isinstance(value, dict) else float(value)


def parse_suite(data: dict[str, Any], *, name: str, base_dir: Path = Path(".")) -> Suite:
    """Validate a suite's TOML tables (errors name the table and key)."""
    known = {"name", "description", "repeats", "seed", "time_limit", "instances", "parameters", "references", "solvers"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValidationError(f"suite {name}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}")
    instances = data.get("instances") or []
    if not instances:
        raise ValidationError(f"suite {name}: needs at least one [[instances]] table")
    for i, spec in enumerate(instances):
        kind = spec.get("kind")
        need = {"orlib": "names", "synthetic": "n", "file": "paths"}.get(kind)
        if need is None:
            raise ValidationError(f"suite {name}: instances[{i}].kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if need not in spec:
            raise ValidationError(f"suite {name}: instances[{i}] of kind {kind!r} needs the key {need!r}")
        spec[need] = _as_list(spec[need])
    parameters = {k: _as_list(v) for k, v in (data.get("parameters") or {}).items()}
    bad = sorted(set(parameters) - set(PARAMETER_KEYS))
    if bad:
        raise ValidationError(f"suite {name}: [parameters] has unknown key(s) {', '.join(bad)}; "
                              f"allowed: {', '.join(PARAMETER_KEYS)}")
    from ..solvers import available

    configs, names = [], set()
    for i, s in enumerate(data.get("solvers") or []):
        if "solver" not in s:
            raise ValidationError(f"suite {name}: solvers[{i}] needs 'solver' (one of {', '.join(available())})")
        if s["solver"] not in available():
            raise ValidationError(f"suite {name}: solvers[{i}].solver {s['solver']!r} is not registered; "
                                  f"available: {', '.join(available())}")
        config_name = s.get("name", s["solver"])
        if config_name in names or config_name in REFERENCE_CONFIGS.values():
            raise ValidationError(f"suite {name}: solver configuration name {config_name!r} is used twice; "
                                  "give each a unique name")
        names.add(config_name)
        configs.append(SolverConfig(name=config_name, solver=s["solver"], options=dict(s.get("options", {})),
                                    repeats=s.get("repeats"),
                                    expected_seconds=_expected_seconds(s.get("expected_seconds"), f"{name}: solvers[{i}]")))
    references = dict(data.get("references") or {"discrete": True, "continuous": False})
    references["expected_seconds"] = _expected_seconds(references.get("expected_seconds"), f"{name}: [references]")
    if not configs and not any(references.get(k) for k in REFERENCE_CONFIGS):
        raise ValidationError(f"suite {name}: needs at least one [[solvers]] table or a reference")
    return Suite(name=data.get("name", name), instances=instances, parameters=parameters, solvers=configs,
                 references=references, repeats=int(data.get("repeats", 1)), seed=int(data.get("seed", 0)),
                 time_limit=data.get("time_limit"), base_dir=base_dir, description=data.get("description", ""))


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
    return parse_suite(data, name=path.stem, base_dir=path.parent)
