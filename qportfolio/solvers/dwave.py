"""D-Wave solvers: the QPU (``dwave-qpu``) and Leap's hybrid solvers (``dwave-hybrid-bqm``,
``dwave-hybrid-cqm``), with the user's own credentials.

``dwave-qpu``: the QUBO of :func:`qportfolio.formulations.qubo.encode` on ``DWaveSampler`` through
``FixedEmbeddingComposite`` with an embedding computed once per problem structure and QPU and
cached on disk (:mod:`._embedding`). Chain strength: dwave-system's uniform torque compensation
unless a number (or ``"scaled"``) is given. Optional postprocessing with dwave-samplers' steepest
descent. The result records the QPU's name, its timing fields (microseconds, as reported), the
problem id, chain lengths and the chain-break fraction.

Offline: ``sampler=`` takes any structured dimod sampler (dwave-system's ``MockDWaveSampler`` in
the tests and the notebook), and ``mock=True`` (or ``"pegasus:16"``, ``"zephyr:12"``...) builds a
MockDWaveSampler of that topology with simulated annealing underneath: the same code path, no
account. Credentials: :mod:`._dwave_cloud` (config file / profile / ``DWAVE_API_TOKEN``).

``dwave-hybrid-cqm`` sends :func:`qportfolio.formulations.cqm.build` (constraints kept) to
``LeapHybridCQMSampler``; ``dwave-hybrid-bqm`` sends the QUBO to ``LeapHybridSampler``. Both take
``sampler=`` too (e.g. dimod's ``ExactCQMSolver`` for the CQM).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Any

import dimod
import numpy as np

from ..errors import SolverError, ValidationError
from ..formulations import cqm as cqm_formulation
from ..formulations.qubo import QuboModel
from ..problem import PortfolioProblem
from ..result import Result
from ..status import Status
from ..utils import validate
from ._dwave_cloud import cloud_config, cloud_errors
from ._embedding import METHODS, chain_statistics, embedding_for
from .base import Solver, SolverOutput
from .options import (
    BOOL_OR_TEXT,
    BOOLEAN,
    COUNT,
    NUMBER_OR_TEXT,
    POSITIVE,
    TEXT,
    Check,
    Option,
    Role,
    choice,
    declare,
    seed_option,
)
from .qubo_solver import QuboSolver, SampleRun, sample_metrics, samples_report_lines, with_portfolio_vectors
from .registry import register

INSTALL_HINT = "dwave-system is not installed: pip install 'qportfolio[dwave]'"
CREDENTIAL_OPTIONS = (
    Option("profile", "dwave-cloud-client config profile (default: the config file's default or DWAVE_PROFILE)", TEXT,
           nullable=True, flag=True),
    Option("config_file", "path of a dwave-cloud-client config file (default: the standard locations)", TEXT,
           nullable=True),
)
LABEL = Option("label", "problem label shown in the Leap dashboard (default: qportfolio <fingerprint>)", TEXT, nullable=True)
#: dwave-qpu options that shape a fit check (the others act only when sampling)
FIT_OPTIONS = ("mock", "sampler", "qpu", "profile", "config_file", "num_reads", "annealing_time", "anneal_schedule",
               "reverse_anneal", "reverse_hold_us", "embedding", "embedding_timeout", "embedding_cache", "seed")
MOCK_TOPOLOGIES = {"chimera": [16, 16, 4], "pegasus": [16], "zephyr": [12, 4]}


def _require_dwave_system() -> None:
    try:
        import dwave.system  # noqa: F401
    except ImportError:
        raise SolverError(INSTALL_HINT) from None


def mock_sampler(spec: bool | str, seed: int, num_sweeps: int = 1000) -> Any:
    """dwave-system's MockDWaveSampler of the named topology ("pegasus", "pegasus:6", "zephyr:4,4"),
    with seeded simulated annealing as its classical substitute."""
    from dwave.samplers import SimulatedAnnealingSampler
    from dwave.system.testing import MockDWaveSampler

    text = "pegasus" if spec is True else str(spec)
    kind, _, shape_text = text.partition(":")
    if kind not in MOCK_TOPOLOGIES:
        raise ValidationError(f"mock must be true or one of {', '.join(MOCK_TOPOLOGIES)}[:shape], got {spec!r}")
    try:
        shape = [int(s) for s in shape_text.split(",")] if shape_text else MOCK_TOPOLOGIES[kind]
    except ValueError:
        raise ValidationError(f"mock shape must be integers separated by commas, got {shape_text!r}") from None
    return MockDWaveSampler(topology_type=kind, topology_shape=shape, substitute_sampler=SimulatedAnnealingSampler(),
                            substitute_kwargs={"seed": seed, "num_sweeps": num_sweeps})


def _is_mock(sampler: Any) -> bool:
    from dwave.system.testing import MockDWaveSampler

    return isinstance(sampler, MockDWaveSampler)


def _timing_info(info: dict[str, Any]) -> dict[str, Any]:
    timing = {k: float(v) for k, v in (info.get("timing") or {}).items() if isinstance(v, (int, float))}
    out: dict[str, Any] = {"timing_us": timing}
    if "qpu_access_time" in timing:
        out["qpu_access_time_s"] = timing["qpu_access_time"] / 1e6
    for key in ("problem_id", "problem_label"):
        if info.get(key) is not None:
            out[key] = info[key]
    return out


def _schedule(value: Any, field: str) -> list[list[float]]:
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


def _initial_state(value: Any, field: str) -> Any:
    if value == "heuristic":
        return value
    if isinstance(value, dict) and all(v in (0, 1) for v in value.values()):
        return {str(k): int(v) for k, v in value.items()}
    raise ValidationError(f"{field} must be 'heuristic' or a mapping variable -> 0/1")


def reverse_schedule(s_target: float, hold_us: float, ramp_us: float = 5.0) -> list[list[float]]:
    """Reverse anneal: from s = 1 down to ``s_target``, hold, back to 1."""
    return [[0.0, 1.0], [ramp_us, s_target], [ramp_us + hold_us, s_target], [2 * ramp_us + hold_us, 1.0]]


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
    reverse = schedule is not None and schedule[0][1] == 1.0
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
        if initial_state == "heuristic":
            units = qubo.calibration.heuristic_units if qubo.calibration is not None else None
            if units is None:
                raise ValidationError("initial_state=heuristic needs the calibrated penalties (no calibration was run)")
            state = qubo.encode_units(units)
            recorded["initial_state"] = "heuristic"
            recorded["initial_objective"] = float(qubo.problem.objective(units * qubo.problem.weight_step))
        else:
            unknown = sorted(set(initial_state) - set(qubo.bqm.variables))[:3]
            missing = sorted(set(qubo.bqm.variables) - set(initial_state))[:3]
            if unknown or missing:
                raise ValidationError(f"initial_state must give every QUBO variable: unknown {unknown}, missing {missing}")
            state = initial_state
            recorded["initial_state"] = "given"
        params["initial_state"] = {v: int(state[v]) for v in qubo.bqm.variables}
        params["reinitialize_state"] = bool(reinitialize_state)
        recorded["reinitialize_state"] = bool(reinitialize_state)
    return params, recorded


@dataclass(frozen=True)
class Fit:
    """Whether a QUBO (or a decompose subproblem of ``variables`` variables) fits a QPU, before any QPU time."""

    qpu: str
    mock: bool
    variables: int
    largest_clique: int
    embeds: bool
    physical_qubits: int | None
    chain_length_max: int | None
    chain_length_mean: float | None
    qpu_access_estimate_s: float | None
    estimate_basis: str
    num_reads: int
    reason: str = ""

    def lines(self) -> list[str]:
        mock = " (MockDWaveSampler: a classical stand-in, not a quantum device)" if self.mock else ""
        out = [f"qpu         {self.qpu}{mock}; largest embeddable clique {self.largest_clique} variables"]
        if not self.embeds:
            return [*out, f"fit         no: {self.reason}"]
        access = "unknown" if self.qpu_access_estimate_s is None else f"{1e3 * self.qpu_access_estimate_s:.1f} ms"
        return [*out, f"fit         yes: {self.variables} variables on {self.physical_qubits} qubits, chains max "
                      f"{self.chain_length_max}, mean {self.chain_length_mean:.2f}",
                f"estimate    QPU access time {access} for {self.num_reads} reads ({self.estimate_basis})"]


def fit_check(child: Any, *, qubo: QuboModel | None = None, size: int | None = None, num_reads: int = 100,
              annealing_time: float | None = None, anneal_schedule: Any = None, reverse: bool = False,
              embedding: str = "auto", embedding_cache: Any = False, embedding_timeout: float = 60.0,
              seed: int = 0) -> Fit:
    """Embed ``qubo`` (or a dense subproblem of ``size`` variables: a clique) on ``child`` and estimate
    the QPU access time with D-Wave's timing model (dwave-cloud-client's ``estimate_qpu_access_time``;
    a mock has no timing data of its own, so the Advantage model of dwave-cloud-client's mocks is used)."""
    from minorminer.busclique import busgraph_cache

    graph = busgraph_cache(child.to_networkx_graph())
    largest = len(graph.largest_clique())
    name, mock = DWaveQPUSolver._qpu_name(child), _is_mock(child)
    variables = size if qubo is None else qubo.num_variables
    chains: dict | None
    if qubo is None:
        chains = graph.find_clique_embedding(size) if size <= largest else None
        reason = "" if chains else f"a {size}-variable subproblem is larger than the largest clique, {largest}"
    else:
        try:
            chains, _ = embedding_for(qubo.bqm, child, method=embedding, cache_dir=embedding_cache,
                                      timeout=float(embedding_timeout), seed=seed)
            reason = ""
        except (SolverError, ValidationError) as exc:
            chains, reason = None, str(exc)
    if not chains:
        return Fit(name, mock, variables, largest, False, None, None, None, None, "", num_reads, reason or "no embedding")
    lengths = np.array([len(c) for c in chains.values()])
    qubits = int(lengths.sum())
    estimate, basis = _access_estimate(child, qubits, num_reads, annealing_time, anneal_schedule, reverse)
    return Fit(name, mock, variables, largest, True, qubits, int(lengths.max()), float(lengths.mean()), estimate, basis,
               num_reads)


def _access_estimate(child: Any, qubits: int, num_reads: int, annealing_time: float | None, schedule: Any,
                     reverse: bool) -> tuple[float | None, str]:
    from types import SimpleNamespace

    from dwave.cloud.solver import StructuredSolver

    kwargs: dict[str, Any] = {"num_reads": num_reads}
    if annealing_time is not None:
        kwargs["annealing_time"] = annealing_time
    if schedule is not None:
        kwargs["anneal_schedule"] = [tuple(p) for p in schedule]
        kwargs["reverse_anneal"] = reverse
    solver = getattr(child, "solver", None)
    try:
        if solver is not None and hasattr(solver, "estimate_qpu_access_time"):
            return float(solver.estimate_qpu_access_time(qubits, **kwargs)) / 1e6, "the QPU's own timing model"
        from dwave.cloud.testing.mocks import qpu_problem_timing_data

        props = {**child.properties, "problem_timing_data": qpu_problem_timing_data()}
        us = StructuredSolver.estimate_qpu_access_time(SimpleNamespace(properties=props), qubits, **kwargs)
        return float(us) / 1e6, "D-Wave's Advantage timing model from dwave-cloud-client; the mock has none"
    except (KeyError, ValueError, TypeError) as exc:
        return None, f"no estimate: {exc}"


class _MockReverse(dimod.ComposedSampler, dimod.Structured):
    """The mock QPU's reverse anneal: its classical stand-in (seeded simulated annealing) started
    from the embedded initial state at an intermediate temperature instead of a hot random state.
    A classical analogue, labelled as such; a real QPU runs the schedule itself."""

    def __init__(self, child: Any) -> None:
        self._child = child

    @property
    def children(self) -> list[Any]:
        return [self._child]

    @property
    def parameters(self) -> dict[str, Any]:
        return dict(self._child.parameters)

    @property
    def properties(self) -> dict[str, Any]:
        return dict(self._child.properties)

    @property
    def nodelist(self) -> list[Any]:
        return self._child.nodelist

    @property
    def edgelist(self) -> list[Any]:
        return self._child.edgelist

    def sample(self, bqm: dimod.BinaryQuadraticModel, *, initial_state: dict, num_reads: int = 1,
               reinitialize_state: bool = True, **kwargs: Any) -> dimod.SampleSet:
        from dwave.samplers import SimulatedAnnealingSampler
        from dwave.samplers.sa.sampler import _default_ising_beta_range

        child = self._child
        seed = child.substitute_kwargs.get("seed")
        sweeps = child.substitute_kwargs.get("num_sweeps", 1000)
        spin = bqm.spin if bqm.vartype is dimod.BINARY else bqm
        hot, cold = _default_ising_beta_range(spin.linear, spin.quadratic)
        labels = list(bqm.variables)
        start = np.array([[initial_state[v] for v in labels]] * num_reads, dtype=np.int8)
        sampleset = SimulatedAnnealingSampler().sample(
            bqm, num_reads=num_reads, num_sweeps=sweeps, seed=seed, beta_range=[float(np.sqrt(hot * cold)), cold],
            initial_states=(start, labels))
        sampleset.info.update({"timing": dict(child.sample(bqm, num_reads=1).info.get("timing", {}))})
        return sampleset


@register
class DWaveQPUSolver(QuboSolver):
    name = "dwave-qpu"
    description = "D-Wave quantum annealer (DWaveSampler + cached embedding); mock=True runs offline"
    sampler_options = declare(
        Option("num_reads", "anneals", Check("integer in [1, 10000]", lambda v, f: validate.integer(v, f, low=1, high=10000)),
               default=100, role=Role.SAMPLING, flag=True),
        Option("annealing_time", "microseconds per anneal (default: the QPU's)", POSITIVE),
        Option("anneal_schedule", "[[t_us, s], ...]: a forward (s from 0) or reverse (s from 1) schedule ending at s = 1",
               Check("[[t, s], ...]", _schedule), nullable=True),
        Option("reverse_anneal", "reverse annealing to this s (0 < s < 1) and back, from initial_state: 5 us ramps, "
               "reverse_hold_us at s", Check("number in (0, 1)", lambda v, f: validate.number(
                   v, f, low=0.0, high=1.0, low_open=True, high_open=True)), nullable=True),
        Option("reverse_hold_us", "microseconds held at the reverse_anneal point", POSITIVE, default=10.0),
        Option("initial_state", "the state a reverse anneal starts from: heuristic (qportfolio's rounded and polished "
               "relaxation) or {variable: 0/1}", Check("heuristic or {variable: 0/1}", _initial_state), nullable=True),
        Option("reinitialize_state", "reverse annealing: start every read from initial_state (false: from the last read)",
               BOOLEAN, default=True),
        Option("num_spin_reversal_transforms", "spin-reversal transforms (dwave-preprocessing's composite): reads are "
               "split over this many gauges", COUNT, nullable=True),
        Option("chain_strength", "a number, 'uniform_torque_compensation' (default) or 'scaled'", NUMBER_OR_TEXT),
        Option("auto_scale", "let the QPU rescale biases to its range", BOOLEAN, default=True),
        Option("postprocess", "steepest: dwave-samplers' steepest descent on each read", choice("none", "steepest"),
               default="none"),
        Option("embedding", "how to embed (auto: clique embedding for dense QUBOs)", choice(*METHODS), default="auto"),
        Option("embedding_cache", "folder of cached embeddings (default ~/.cache/qportfolio/embeddings), or false",
               BOOL_OR_TEXT),
        Option("embedding_timeout", "seconds for minorminer", POSITIVE, default=60.0),
        Option("qpu", "solver name or dwave-cloud-client feature filter (default: the client's choice)", TEXT,
               nullable=True),
        Option("sampler", "a structured dimod sampler to use instead of DWaveSampler (e.g. MockDWaveSampler)"),
        Option("mock", "true or 'pegasus[:16]' / 'zephyr[:12,4]' / 'chimera[:16,16,4]': MockDWaveSampler, no account",
               BOOL_OR_TEXT),
        LABEL,
        seed_option("seed of the embedding heuristic and of a mock's annealer"),
        *CREDENTIAL_OPTIONS,
    )

    def _child(self, sampler: Any, mock: Any, qpu: Any, profile: str | None, config_file: str | None, seed: int) -> Any:
        if sampler is not None and mock:
            raise ValidationError("give sampler= or mock=, not both")
        if sampler is not None:
            if not all(hasattr(sampler, a) for a in ("sample", "nodelist", "edgelist", "properties")):
                raise ValidationError("sampler must be a structured dimod sampler (nodelist, edgelist), "
                                      f"got {type(sampler).__name__}")
            return sampler
        if mock:
            return mock_sampler(mock, seed)
        cloud_config(profile, config_file)  # fails fast, with the setup hint, when there is no token
        from dwave.system import DWaveSampler

        kwargs: dict[str, Any] = {"profile": profile, "config_file": config_file}
        if qpu is not None:
            kwargs["solver"] = qpu
        with cloud_errors("connecting to the D-Wave QPU"):
            return DWaveSampler(**{k: v for k, v in kwargs.items() if v is not None})

    def _sample(self, qubo: QuboModel, *, seed: int, num_reads: int = 100, annealing_time: float | None = None,
                chain_strength: Any = None, auto_scale: bool = True, postprocess: str = "none", embedding: str = "auto",
                embedding_cache: Any = None, embedding_timeout: float = 60.0, qpu: Any = None, sampler: Any = None,
                mock: Any = None, label: str | None = None, profile: str | None = None,
                config_file: str | None = None, anneal_schedule: Any = None, reverse_anneal: float | None = None,
                reverse_hold_us: float = 10.0, initial_state: Any = None, reinitialize_state: bool = True,
                num_spin_reversal_transforms: int | None = None) -> SampleRun:
        _require_dwave_system()
        from dwave.system import FixedEmbeddingComposite

        child = self._child(sampler, mock, qpu, profile, config_file, seed)
        chosen, emb_info = embedding_for(qubo.bqm, child, method=embedding, cache_dir=embedding_cache,
                                         timeout=float(embedding_timeout), seed=seed)
        strength = self._chain_strength(chain_strength, qubo.bqm, chosen)
        params: dict[str, Any] = {
            "num_reads": int(num_reads),
            "chain_strength": strength,
            "return_embedding": True,
            "label": label or f"qportfolio {qubo.problem.fingerprint}",
        }
        if annealing_time is not None:
            params["annealing_time"] = float(annealing_time)
        if "auto_scale" in child.parameters:
            params["auto_scale"] = bool(auto_scale)
        anneal, anneal_recorded = anneal_controls(
            qubo, child, annealing_time=annealing_time, anneal_schedule=anneal_schedule, reverse_anneal=reverse_anneal,
            reverse_hold_us=reverse_hold_us, initial_state=initial_state, reinitialize_state=reinitialize_state)
        params.update(anneal)
        target = child
        if num_spin_reversal_transforms:
            from dwave.preprocessing import SpinReversalTransformComposite

            target = SpinReversalTransformComposite(child, seed=seed)
            params["num_spin_reversal_transforms"] = int(num_spin_reversal_transforms)
            params["num_reads"] = max(1, int(num_reads) // int(num_spin_reversal_transforms))
        if _is_mock(child) and "initial_state" in params:
            # the mock's classical stand-in (SA) starts every read from the embedded state, annealing from cold:
            # a classical analogue of a reverse anneal, not a simulation of one
            params["substitute_reverse"] = True
        t0 = time.perf_counter()
        with cloud_errors("sampling on the D-Wave QPU"), warnings.catch_warnings():
            if _is_mock(child):
                warnings.filterwarnings("ignore", message=".*not mocked in MockDWaveSampler")
                warnings.simplefilter("ignore", dimod.exceptions.SamplerUnknownArgWarning)
            sampleset = FixedEmbeddingComposite(_MockReverse(target) if params.pop("substitute_reverse", False) else target,
                                                chosen).sample(qubo.bqm, **params)
            sampleset.resolve()
        sample_seconds = time.perf_counter() - t0
        context = sampleset.info.get("embedding_context", {})
        info = {
            "qpu": self._qpu_name(child),
            "topology": dict(child.properties.get("topology", {})),
            "sample_seconds": sample_seconds,
            "chain_strength": float(context.get("chain_strength", strength)),
            **_timing_info(sampleset.info),
            **chain_statistics(chosen, sampleset),
            **emb_info,
        }
        if postprocess == "steepest":
            from dwave.samplers import SteepestDescentSolver

            raw_best = float(sampleset.first.energy)
            sampleset = SteepestDescentSolver().sample(qubo.bqm, initial_states=sampleset)
            info["raw_best_energy"] = raw_best
        recorded = {k: v for k, v in params.items()
                    if k not in ("return_embedding", "chain_strength", "initial_state", "anneal_schedule")}
        recorded.update(anneal_recorded)
        recorded["num_reads"] = int(num_reads)
        parameters = {
            **recorded,
            "chain_strength": chain_strength if chain_strength is not None else "uniform_torque_compensation",
            "postprocess": postprocess,
            "source": "mock" if _is_mock(child) else "qpu",
        }
        return SampleRun(sampleset, info, parameters)

    def fit(self, *, qubo: QuboModel | None = None, size: int | None = None, **options: Any) -> Fit:
        """:func:`fit_check` with this solver's options (validated; those that only act when sampling are
        refused): will ``qubo``, or a dense ``size``-variable decompose subproblem, embed, and at what cost."""
        other = sorted(set(options) - set(FIT_OPTIONS))
        if other:
            raise ValidationError(f"fit does not use {', '.join(other)} (they act when sampling); it takes "
                                  f"{', '.join(FIT_OPTIONS)}")
        opts = self.validate_options(options)
        seed = int(opts.get("seed") or 0)
        child = self._child(opts.get("sampler"), opts.get("mock"), opts.get("qpu"), opts.get("profile"),
                            opts.get("config_file"), seed)
        schedule = opts.get("anneal_schedule")
        if opts.get("reverse_anneal") is not None:
            schedule = reverse_schedule(float(opts["reverse_anneal"]), float(opts.get("reverse_hold_us") or 10.0))
        return fit_check(child, qubo=qubo, size=size, num_reads=int(opts.get("num_reads") or 100),
                         annealing_time=opts.get("annealing_time"), anneal_schedule=schedule,
                         reverse=bool(schedule and schedule[0][1] == 1.0), embedding=opts.get("embedding") or "auto",
                         embedding_cache=opts.get("embedding_cache", False), seed=seed,
                         embedding_timeout=float(opts.get("embedding_timeout") or 60.0))

    def report_lines(self, result: Result) -> list[str]:
        info = result.info
        access = f", QPU access {1e3 * info['qpu_access_time_s']:.2f} ms" if "qpu_access_time_s" in info else ""
        return [
            *samples_report_lines(result),
            f"qpu         {info['qpu']} ({info.get('problem_id', 'no problem id')}){access}",
            f"chains      max length {info['chain_length_max']}, mean {info['chain_length_mean']:.2f}, "
            f"{info['physical_qubits']} qubits, chain-break fraction {info.get('chain_break_fraction', 0.0):.3f}, "
            f"strength {info['chain_strength']:.3g}",
        ]

    def benchmark_metrics(self, result: Result) -> dict[str, Any]:
        return {**super().benchmark_metrics(result), "qpu_access_time": result.info.get("qpu_access_time_s")}

    @staticmethod
    def _chain_strength(value: Any, bqm: dimod.BinaryQuadraticModel, embedding: dict) -> float:
        from dwave.embedding.chain_strength import scaled, uniform_torque_compensation

        if value is None or value == "uniform_torque_compensation":
            return float(uniform_torque_compensation(bqm, embedding))
        if value == "scaled":
            return float(scaled(bqm, embedding))
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not value > 0:
            raise ValidationError("chain_strength must be a positive number, 'uniform_torque_compensation' or 'scaled', "
                                  f"got {value!r}")
        return float(value)

    @staticmethod
    def _qpu_name(child: Any) -> str:
        solver = getattr(child, "solver", None)
        return str(getattr(solver, "name", None) or child.properties.get("chip_id") or type(child).__name__)


class _LeapHybrid:
    """Shared plumbing of the Leap hybrid solvers: credentials, an optional stand-in sampler, parameters."""

    leap_class: str

    def _sampler(self, sampler: Any, profile: str | None, config_file: str | None) -> Any:
        if sampler is not None:
            return sampler
        _require_dwave_system()
        cloud_config(profile, config_file)
        import dwave.system

        kwargs = {k: v for k, v in {"profile": profile, "config_file": config_file}.items() if v is not None}
        with cloud_errors(f"connecting to {self.leap_class}"):
            return getattr(dwave.system, self.leap_class)(**kwargs)

    @staticmethod
    def _params(sampler: Any, problem: PortfolioProblem, label: str | None, time_limit: float | None) -> dict[str, Any]:
        """label (when the sampler takes one; default ``qportfolio <fingerprint>``) and time_limit."""
        params: dict[str, Any] = {}
        if "label" in getattr(sampler, "parameters", {}):
            params["label"] = label or f"qportfolio {problem.fingerprint}"
        if time_limit is not None:
            params["time_limit"] = float(time_limit)
        return params


HYBRID_OPTIONS = (
    Option("time_limit", "seconds (default: the solver's minimum for the problem)", POSITIVE, nullable=True,
           role=Role.TIME_LIMIT, flag=True),
    LABEL,
    *CREDENTIAL_OPTIONS,
)


@register
class LeapHybridBQMSolver(_LeapHybrid, QuboSolver):
    name = "dwave-hybrid-bqm"
    description = "Leap's hybrid BQM solver on the QUBO"
    leap_class = "LeapHybridSampler"
    seeded = False
    sampler_options = declare(
        Option("sampler", "a dimod sampler to use instead of LeapHybridSampler"),
        seed_option("accepted for a uniform interface; Leap's solver is not seeded"),
        *HYBRID_OPTIONS,
    )

    def _sample(self, qubo: QuboModel, *, seed: int | None, time_limit: float | None = None, label: str | None = None,
                sampler: Any = None, profile: str | None = None, config_file: str | None = None) -> SampleRun:
        hybrid = self._sampler(sampler, profile, config_file)
        params = self._params(hybrid, qubo.problem, label, time_limit)
        with cloud_errors(f"sampling on {self.leap_class}"):
            sampleset = hybrid.sample(qubo.bqm, **params)
            sampleset.resolve()
        return SampleRun(sampleset, {"hybrid_solver": type(hybrid).__name__, **_timing_info(sampleset.info)}, params)


@register
class LeapHybridCQMSolver(_LeapHybrid, Solver):
    name = "dwave-hybrid-cqm"
    description = "Leap's hybrid CQM solver on the constrained model (no penalties)"
    leap_class = "LeapHybridCQMSampler"
    options = declare(
        Option("sampler", "an object with sample_cqm (e.g. dimod.ExactCQMSolver) instead of LeapHybridCQMSampler"),
        *HYBRID_OPTIONS,
    )

    def _solve(self, problem: PortfolioProblem, time_limit: float | None = None, label: str | None = None,
               sampler: Any = None, profile: str | None = None, config_file: str | None = None) -> SolverOutput:
        model = cqm_formulation.build(problem)
        hybrid = self._sampler(sampler, profile, config_file)
        if not hasattr(hybrid, "sample_cqm"):
            raise ValidationError(f"sampler must have sample_cqm (a CQM sampler), got {type(hybrid).__name__}")
        params = self._params(hybrid, problem, label, time_limit)
        t0 = time.perf_counter()
        with cloud_errors(f"sampling on {self.leap_class}"):
            sampleset = hybrid.sample_cqm(model.cqm, **params)
            sampleset.resolve()
        sample_seconds = time.perf_counter() - t0
        weights = model.weights(sampleset)
        occurrences = np.asarray(sampleset.record.num_occurrences, dtype=float)
        solver_feasible = np.asarray(sampleset.record.is_feasible, dtype=bool)
        ours = np.array([problem.is_feasible(w) for w in weights], dtype=bool)
        objective = np.atleast_1d(problem.objective(weights)) if len(weights) else np.zeros(0)
        info = {
            "hybrid_solver": type(hybrid).__name__,
            "sample_seconds": sample_seconds,
            "num_variables": len(model.cqm.variables),
            "num_constraints": len(model.cqm.constraints),
            "num_samples": int(occurrences.sum()),
            "num_distinct_samples": len(sampleset),
            "feasible_fraction": float(occurrences[ours].sum() / occurrences.sum()) if occurrences.sum() else 0.0,
            "solver_feasible_fraction": float(occurrences[solver_feasible].sum() / occurrences.sum())
            if occurrences.sum()
            else 0.0,
            **_timing_info(sampleset.info),
        }
        if ours.any():
            best = int(np.flatnonzero(ours)[np.argmin(objective[ours])])
            chosen, status, message = weights[best], Status.FEASIBLE, ""
        else:
            chosen = weights[0] if len(weights) else np.zeros(problem.n)
            status, message = Status.INFEASIBLE, "no feasible sample; raise time_limit"
        return SolverOutput(weights=chosen, feasible=bool(ours.any()), status=status, parameters=params, message=message,
                            sampleset=with_portfolio_vectors(sampleset, objective, ours), info=info)

    def report_lines(self, result: Result) -> list[str]:
        return samples_report_lines(result)

    def benchmark_metrics(self, result: Result) -> dict[str, Any]:
        return sample_metrics(result)
