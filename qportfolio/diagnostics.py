"""Typed diagnostics on a :class:`~qportfolio.result.Result`: what a run shows beside its answer.

``Result.info`` is the recorded raw data; a diagnostics record is a typed view of it (the sample
statistics, the QPU, the decomposition loop, the exact search, the QAOA state) that the solver
attaches to its result. Each record renders itself generically from its fields: every field says,
in its ``metadata`` (see :func:`figure`), how it reads in the text report (its row, label and
unit as a format template) and which benchmark column it fills. The CLI prints
:func:`report_lines`, the benchmark runner stores :func:`benchmark_columns`; neither knows a
solver. A mock QPU is labelled as a mock and its simulated timing never fills a QPU-time field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from .status import Status

#: Columns every benchmark row has; a result's diagnostics fill those that apply to it.
BENCHMARK_METRICS = ("sample_seconds", "qpu_access_time", "num_variables", "num_interactions", "penalty_scale",
                     "penalties", "feasible_fraction", "num_samples")

#: Width of a row's heading in the text report ("samples     50 reads, ...").
HEADING_WIDTH = 12

MOCK_QPU = "(a mock QPU: a classical stand-in, not a quantum device)"


class Solved(Protocol):
    """What a record reads from a result (a :class:`~qportfolio.result.Result`)."""

    info: dict[str, Any]
    parameters: dict[str, Any]
    status: Status
    bound: float | None

    @property
    def has_portfolio(self) -> bool: ...

    @property
    def gap(self) -> float | None: ...


def figure(text: str = "{}", *, row: str | None = None, line: int = 0, sep: str = ", ", scale: float = 1.0,
           none: str | None = None, item: str | None = None, column: str | None = None) -> Any:
    """A diagnostics field (default None) and how it is shown.

    ``text``: its label and unit around the value, a format template (``"{:.1f} % feasible"``); a
    boolean field shows ``text`` alone when true. ``row``: the report row (its heading) it is printed
    on, ``line`` the row's line (a later line has a blank heading); None: not printed. ``sep`` joins
    it to the field before it on its line; ``scale`` multiplies the value in the text only (1e3:
    seconds read as ms); ``none`` is shown when the value is None (default: the field is left out);
    ``item`` formats each ``{key}``/``{value}`` of a mapping (joined by ", "). ``column``: the
    benchmark column it fills, with the value unscaled."""
    meta = {"text": text, "row": row, "line": line, "sep": sep, "scale": scale, "none": none, "item": item,
            "column": column}
    return dataclasses.field(default=None, metadata=meta)


def _shown(f: dataclasses.Field, value: Any) -> str | None:
    """The text of one field's value (None: leave it out)."""
    meta = f.metadata
    if value is None:
        return meta["none"]
    if isinstance(value, bool):
        return meta["text"] if value else None
    if meta["item"] is not None:
        return meta["text"].format(", ".join(meta["item"].format(key=k, value=v) for k, v in dict(value).items()))
    if meta["scale"] != 1.0:
        value = value * meta["scale"]
    return meta["text"].format(value)


@dataclass(frozen=True)
class Diagnostics:
    """Base of every record: generic rendering (``lines``, ``metrics``) and a JSON-safe round trip."""

    kind: ClassVar[str] = ""

    @classmethod
    def of(cls, result: Solved) -> Diagnostics | None:
        """The record of ``result``'s figures (None when it has none of this kind)."""
        raise NotImplementedError

    def lines(self) -> list[str]:
        """The record's rows of the text report: a line is printed when its first field shows (not None, not false)."""
        lines: dict[tuple[int, str, int], list[tuple[dataclasses.Field, str]]] = {}
        order: dict[str, int] = {}
        for f in dataclasses.fields(self):
            row = f.metadata.get("row")
            if row is None:
                continue
            key = (order.setdefault(row, len(order)), row, f.metadata["line"])
            lines.setdefault(key, []).append((f, _shown(f, getattr(self, f.name))))
        out = []
        for (_, row, line), parts in sorted(lines.items()):
            if parts[0][1] is None:
                continue
            body = "".join((f.metadata["sep"] if i else "") + text for i, (f, text) in
                           enumerate((f, t) for f, t in parts if t is not None))
            out.append(f"{'' if line else row:<{HEADING_WIDTH}}{body}")
        return out

    def metrics(self) -> dict[str, Any]:
        """{benchmark column: value} of the fields that name a column (values unscaled, None kept)."""
        return {f.metadata["column"]: getattr(self, f.name) for f in dataclasses.fields(self) if f.metadata.get("column")}

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **{f.name: getattr(self, f.name) for f in dataclasses.fields(self)}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Diagnostics:
        """The record ``to_dict`` wrote (its ``kind`` picks the class; unknown keys are refused)."""
        kind = KINDS[data["kind"]]
        return kind(**{k: v for k, v in data.items() if k != "kind"})


def _share(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class SampleStatistics(Diagnostics):
    """A sampler's reads, their feasibility, why its run of calls ended, and where the answer came from."""

    kind: ClassVar[str] = "samples"

    reads: int | None = figure("{} reads", row="samples", column="num_samples")
    distinct: int | None = figure("{} distinct", row="samples")
    feasible_share: float | None = figure("{:.1f} % feasible", row="samples", scale=100.0, column="feasible_fraction")
    best_energy: float | None = figure("lowest energy {:.6g}", row="samples")
    calls: int | None = figure("{} sampler calls", row="run")
    stop_reason: str | None = figure("({})", row="run", sep=" ")
    phases: Mapping[str, float] | None = figure("{}", row="run", sep="; ", item="{key} {value:.2f} s")
    answer_from: str | None = figure("from {}", row="answer")
    raw_best_objective: float | None = figure("best raw feasible sample: {:.10g}", row="answer", sep="; ",
                                              none="best raw feasible sample: none")
    sample_seconds: float | None = figure(column="sample_seconds")
    variables: int | None = figure(column="num_variables")

    @classmethod
    def of(cls, result: Solved) -> SampleStatistics | None:
        info = result.info
        if info.get("num_samples") is None and info.get("feasible_fraction") is None:
            return None
        phases, batches = info.get("phases"), info.get("batches")
        ran = bool(phases and batches)
        origin = info.get("answer_from")
        told = result.has_portfolio and origin not in (None, "a raw sample")
        return cls(reads=info.get("num_samples"), distinct=info.get("num_distinct_samples"),
                   feasible_share=_share(info.get("feasible_fraction")), best_energy=info.get("best_energy"),
                   calls=batches if ran else None, stop_reason=(stop_reason(result) or None) if ran else None,
                   phases=dict(phases) if ran else None, answer_from=origin if told else None,
                   raw_best_objective=info.get("raw_best_objective") if told else None,
                   sample_seconds=info.get("sample_seconds"), variables=info.get("num_variables"))


def stop_reason(result: Solved) -> str:
    """Why a run of sampler calls ended, in words (empty when the result does not say)."""
    return {"patience": f"stopped after {result.parameters.get('patience')} calls without a lower energy",
            "time_budget": "time budget spent", "target_objective": "target objective reached",
            "batches": "all calls made"}.get(result.info.get("stopped_by"), "")


@dataclass(frozen=True)
class QuboDiagnostics(Diagnostics):
    """The QUBO a sampler was given: its size and penalties (benchmark columns only)."""

    kind: ClassVar[str] = "qubo"

    interactions: int | None = figure(column="num_interactions")
    penalty_scale: float | None = figure(column="penalty_scale")
    penalties: Mapping[str, float] | None = figure(column="penalties")

    @classmethod
    def of(cls, result: Solved) -> QuboDiagnostics:
        info = result.info
        return cls(interactions=info.get("num_interactions"),
                   penalty_scale=result.parameters.get("penalty_scale", 1.0), penalties=info.get("penalties"))


@dataclass(frozen=True)
class QPUDiagnostics(Diagnostics):
    """The annealer that sampled: its name, problem id, access time, chains. A mock is labelled as one and its
    simulated access time is kept apart from QPU time."""

    kind: ClassVar[str] = "qpu"

    device: str | None = figure("{}", row="qpu")
    problem_id: str | None = figure("({})", row="qpu", sep=" ", none="(no problem id)")
    mock: bool | None = figure(MOCK_QPU, row="qpu", sep=" ")
    access_seconds: float | None = figure("QPU access {:.2f} ms", row="qpu", scale=1e3, column="qpu_access_time")
    mock_access_seconds: float | None = figure("simulated access {:.2f} ms (the mock's timing, not QPU time)", row="qpu",
                                               scale=1e3)
    chain_length_max: int | None = figure("max length {}", row="chains")
    chain_length_mean: float | None = figure("mean {:.2f}", row="chains")
    physical_qubits: int | None = figure("{} qubits", row="chains")
    chain_break_fraction: float | None = figure("chain-break fraction {:.3f}", row="chains")
    chain_strength: float | None = figure("strength {:.3g}", row="chains")

    @classmethod
    def of(cls, result: Solved) -> QPUDiagnostics | None:
        info = result.info
        if "qpu" not in info:
            return None
        mock = result.parameters.get("source") == "mock"
        access = info.get("qpu_access_time_s")
        return cls(device=str(info["qpu"]), problem_id=info.get("problem_id"), mock=mock,
                   access_seconds=None if mock else access, mock_access_seconds=access if mock else None,
                   chain_length_max=info.get("chain_length_max"), chain_length_mean=info.get("chain_length_mean"),
                   physical_qubits=info.get("physical_qubits"),
                   chain_break_fraction=info.get("chain_break_fraction", 0.0), chain_strength=info.get("chain_strength"))


@dataclass(frozen=True)
class DecompositionDiagnostics(Diagnostics):
    """A decomposition loop: its subsolver (a mock or a control said so), its calls and what they contributed."""

    kind: ClassVar[str] = "decomposition"

    subsolver: str | None = figure("subsolver {}", row="decompose")
    mock: bool | None = figure(MOCK_QPU, row="decompose", sep=" ")
    control: bool | None = figure("(a control, not a device)", row="decompose", sep=" ")
    calls: int | None = figure("{} calls", row="decompose", sep=": ")
    subproblem_size: int | None = figure("on {}-variable subproblems", row="decompose", sep=" ")
    selection: str | None = figure("({})", row="decompose", sep=" ")
    subsolver_seconds: float | None = figure("{:.2f} s", row="decompose")
    loop_seconds: float | None = figure("of {:.2f} s", row="decompose", sep=" ")
    qpu_access_seconds: float | None = figure("QPU access {:.2f} ms", row="decompose", scale=1e3,
                                              column="qpu_access_time")
    start: str | None = figure("start ({})", row="decompose", line=1)
    start_objective: float | None = figure("{:.10g}", row="decompose", line=1, sep=" ")
    objective: float | None = figure("-> {:.10g}", row="decompose", line=1, sep=" ")
    improvements: int | None = figure("{} improvements from the subsolver's samples", row="decompose", line=1, sep=": ")
    classical_steps: int | None = figure("{} classical steps", row="decompose", line=1)
    mean_approximation_ratio: float | None = figure("subsolver mean approximation ratio {:.4g}", row="decompose", line=1)
    mean_chain_break_fraction: float | None = figure("mean chain-break fraction {:.3f}", row="decompose", line=1)

    @classmethod
    def of(cls, result: Solved) -> DecompositionDiagnostics | None:
        info = result.info
        if "subsolver" not in info:
            return None
        mock = bool(info.get("mock_device"))
        return cls(subsolver=info["subsolver"], mock=mock, control=bool(info.get("subsolver_control")),
                   calls=info.get("subsolver_calls"), subproblem_size=info.get("subproblem_size"),
                   selection=info.get("selection"), subsolver_seconds=info.get("subsolver_seconds"),
                   loop_seconds=info.get("loop_seconds"),
                   qpu_access_seconds=None if mock else info.get("subsolver_qpu_access_seconds") or None,
                   start=info.get("start"), start_objective=info.get("start_objective"),
                   objective=info.get("decompose_objective"), improvements=info.get("subsolver_improvements"),
                   classical_steps=info.get("classical_steps"),
                   mean_approximation_ratio=info.get("subsolver_mean_approximation_ratio"),
                   mean_chain_break_fraction=info.get("subsolver_mean_chain_break_fraction"))


@dataclass(frozen=True)
class ExactDiagnostics(Diagnostics):
    """A branch-and-bound search: its nodes, LP iterations, root bound, gap, whether optimality is proven, and
    where the time went."""

    kind: ClassVar[str] = "exact"

    nodes: int | None = figure("{} nodes", row="search")
    lp_iterations: int | None = figure("{} LP iterations", row="search")
    root_bound: float | None = figure("root bound {:.10g}", row="search")
    proven: bool | None = figure("optimality proven", row="search")
    gap: float | None = figure("gap {:.3g}")
    phases: Mapping[str, float] | None = figure("{}", row="search", sep="; ", item="{key} {value:.2f} s")

    @classmethod
    def of(cls, result: Solved) -> ExactDiagnostics | None:
        info = result.info
        if "nodes" not in info:
            return None
        phases = {name: info[key] for name, key in (("heuristic", "heuristic_seconds"), ("build", "build_seconds"),
                                                     ("presolve", "presolve_seconds"), ("solve", "solving_seconds"))
                  if info.get(key) is not None}
        return cls(nodes=info["nodes"], lp_iterations=info.get("lp_iterations"), root_bound=info.get("root_bound"),
                   proven=result.status == Status.OPTIMAL, gap=result.gap, phases=phases or None)


@dataclass(frozen=True)
class QAOADiagnostics(Diagnostics):
    """The QAOA state's quality: depth, qubits, mixer, approximation ratio, P(feasible), P(optimum)."""

    kind: ClassVar[str] = "qaoa"

    depth: int | None = figure("depth {}", row="qaoa")
    qubits: int | None = figure("{} qubits", row="qaoa")
    mixer: str | None = figure("mixer {}", row="qaoa")
    approximation_ratio: float | None = figure("approximation ratio {:.4g}", row="qaoa", sep=": ",
                                               none="approximation ratio —")
    feasible_probability: float | None = figure("P(feasible) {:.4g}", row="qaoa", none="P(feasible) —")
    optimum_probability: float | None = figure("P(optimum) {:.4g}", row="qaoa", none="P(optimum) —")
    from_samples: bool | None = figure("(statistics from the measured shots: the state has too many amplitudes to decode)",
                                       row="qaoa", line=1)

    @classmethod
    def of(cls, result: Solved) -> QAOADiagnostics:
        info, params = result.info, result.parameters
        return cls(depth=params.get("reps"), qubits=info.get("qubits"), mixer=params.get("mixer"),
                   approximation_ratio=info.get("approximation_ratio"),
                   feasible_probability=info.get("feasible_probability"),
                   optimum_probability=info.get("optimum_probability"), from_samples=bool(info.get("from_samples")))


#: Every record class by its ``kind`` (what ``to_dict`` writes and ``from_dict`` reads).
KINDS: dict[str, type[Diagnostics]] = {c.kind: c for c in (SampleStatistics, QuboDiagnostics, QPUDiagnostics,
                                                          DecompositionDiagnostics, ExactDiagnostics, QAOADiagnostics)}


def of(result: Solved, *kinds: type[Diagnostics]) -> tuple[Diagnostics, ...]:
    """The records of ``kinds`` that ``result`` has figures for (each kind's ``of``; None ones left out)."""
    return tuple(d for kind in kinds if (d := kind.of(result)) is not None)


def report_lines(diagnostics: Iterable[Diagnostics]) -> list[str]:
    """The text report's lines of every record, in order."""
    return [line for d in diagnostics for line in d.lines()]


def benchmark_columns(diagnostics: Iterable[Diagnostics]) -> dict[str, Any]:
    """Every :data:`BENCHMARK_METRICS` column (None where no record fills it) plus any other column a record names;
    a later record's value wins over an earlier one's, None never overwrites a value."""
    row: dict[str, Any] = dict.fromkeys(BENCHMARK_METRICS)
    for d in diagnostics:
        row.update({k: v for k, v in d.metrics().items() if v is not None or k not in row})
    return row


def from_dicts(records: Iterable[Mapping[str, Any]]) -> tuple[Diagnostics, ...]:
    """The records of ``Result.to_dict()["diagnostics"]`` (a JSON round trip gives equal records)."""
    return tuple(Diagnostics.from_dict(r) for r in records)
