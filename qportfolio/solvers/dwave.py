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
from typing import Any

import dimod
import numpy as np

from .. import validate
from ..errors import SolverError, ValidationError
from ..formulations import cqm as cqm_formulation
from ..formulations.qubo import QuboModel
from ..problem import PortfolioProblem
from ..result import Result
from ..status import Status
from ._dwave_cloud import cloud_config, cloud_errors
from ._embedding import METHODS, chain_statistics, embedding_for
from .base import Solver, SolverOutput
from .options import BOOL_OR_TEXT, BOOLEAN, NUMBER_OR_TEXT, POSITIVE, TEXT, Check, Option, Role, choice, declare, seed_option
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


@register
class DWaveQPUSolver(QuboSolver):
    name = "dwave-qpu"
    description = "D-Wave quantum annealer (DWaveSampler + cached embedding); mock=True runs offline"
    sampler_options = declare(
        Option("num_reads", "anneals", Check("integer in [1, 10000]", lambda v, f: validate.integer(v, f, low=1, high=10000)),
               default=100, role=Role.SAMPLING, flag=True),
        Option("annealing_time", "microseconds per anneal (default: the QPU's)", POSITIVE),
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
                config_file: str | None = None) -> SampleRun:
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
        t0 = time.perf_counter()
        with cloud_errors("sampling on the D-Wave QPU"), warnings.catch_warnings():
            if _is_mock(child):
                warnings.filterwarnings("ignore", message=".*not mocked in MockDWaveSampler")
                warnings.simplefilter("ignore", dimod.exceptions.SamplerUnknownArgWarning)
            sampleset = FixedEmbeddingComposite(child, chosen).sample(qubo.bqm, **params)
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
        recorded = {k: v for k, v in params.items() if k not in ("return_embedding", "chain_strength")}
        parameters = {
            **recorded,
            "chain_strength": chain_strength if chain_strength is not None else "uniform_torque_compensation",
            "postprocess": postprocess,
            "source": "mock" if _is_mock(child) else "qpu",
        }
        return SampleRun(sampleset, info, parameters)

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
