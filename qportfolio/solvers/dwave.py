"""D-Wave solvers: the QPU (``dwave-qpu``) and Leap's hybrid solvers (``dwave-hybrid-bqm``,
``dwave-hybrid-cqm``), with the user's own credentials.

``dwave-qpu``: the QUBO of :func:`qportfolio.qubo.encode` on ``DWaveSampler`` through
``FixedEmbeddingComposite`` with an embedding computed once per problem structure and QPU and
cached on disk (:mod:`._embedding`). Chain strength: dwave-system's uniform torque compensation
unless a number (or ``"scaled"``) is given. Optional postprocessing with dwave-samplers' steepest
descent. The result records the QPU's name, its timing fields (microseconds, as reported), the
problem id, chain lengths and the chain-break fraction.

Offline: ``sampler=`` takes any structured dimod sampler (dwave-system's ``MockDWaveSampler`` in
the tests and the notebook), and ``mock=True`` (or ``"pegasus:16"``, ``"zephyr:12"``...) builds a
MockDWaveSampler of that topology with simulated annealing underneath: the same code path, no
account. Credentials: :mod:`._dwave_cloud` (config file / profile / ``DWAVE_API_TOKEN``).

``dwave-hybrid-cqm`` sends :func:`qportfolio.cqm.to_cqm` (constraints kept) to
``LeapHybridCQMSampler``; ``dwave-hybrid-bqm`` sends the QUBO to ``LeapHybridSampler``. Both take
``sampler=`` too (e.g. dimod's ``ExactCQMSolver`` for the CQM).
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import dimod
import numpy as np

from ..cqm import to_cqm, weights_from_samples
from ..errors import SolverError, ValidationError
from ..problem import PortfolioProblem
from ..qubo import encode
from . import register
from ._dwave_cloud import cloud_config, cloud_errors
from ._embedding import METHODS, chain_statistics, embedding_for
from .annealing import ENCODE_OPTIONS, RESULT_OPTIONS, result_fields_from_sampleset, with_portfolio_vectors
from .base import Solver, resolve_seed

INSTALL_HINT = "dwave-system is not installed: pip install 'qportfolio[dwave]'"
CREDENTIAL_OPTIONS = {
    "profile": "dwave-cloud-client config profile (default: the config file's default or DWAVE_PROFILE)",
    "config_file": "path of a dwave-cloud-client config file (default: the standard locations)",
}
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
class DWaveQPUSolver(Solver):
    name = "dwave-qpu"
    description = "D-Wave quantum annealer (DWaveSampler + cached embedding); mock=True runs offline"
    options = {
        "num_reads": "anneals (default 100)",
        "annealing_time": "microseconds per anneal (default: the QPU's)",
        "chain_strength": "a number, 'uniform_torque_compensation' (default) or 'scaled'",
        "auto_scale": "let the QPU rescale biases to its range (default True)",
        "postprocess": "'none' (default) or 'steepest' (dwave-samplers' steepest descent on each read)",
        "embedding": f"{', '.join(METHODS)} (default auto: clique embedding for dense QUBOs)",
        "embedding_cache": "folder of cached embeddings (default ~/.cache/qportfolio/embeddings), or false",
        "embedding_timeout": "seconds for minorminer (default 60)",
        "qpu": "solver name or dwave-cloud-client feature filter (default: the client's choice)",
        "sampler": "a structured dimod sampler to use instead of DWaveSampler (e.g. MockDWaveSampler)",
        "mock": "true or 'pegasus[:16]' / 'zephyr[:12,4]' / 'chimera[:16,16,4]': MockDWaveSampler, no account",
        "label": "problem label shown in the Leap dashboard (default: qportfolio <fingerprint>)",
        "seed": "seed of the embedding heuristic and of a mock's annealer",
        **CREDENTIAL_OPTIONS,
        **ENCODE_OPTIONS,
        **RESULT_OPTIONS,
    }

    def _child(self, sampler: Any, mock: Any, qpu: Any, profile: str | None, config_file: str | None, seed: int) -> Any:
        if sampler is not None and mock:
            raise ValidationError("give sampler= or mock=, not both")
        if sampler is not None:
            if not all(hasattr(sampler, a) for a in ("sample", "nodelist", "edgelist", "properties")):
                raise ValidationError(f"sampler must be a structured dimod sampler (nodelist, edgelist), got {type(sampler).__name__}")
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

    def _solve(self, problem: PortfolioProblem, **options: Any) -> dict[str, Any]:
        _require_dwave_system()
        from dwave.system import FixedEmbeddingComposite

        encode_opts = {k: options.pop(k) for k in list(options) if k in ENCODE_OPTIONS}
        repair = bool(options.pop("repair", False))
        polish = bool(options.pop("polish", False))
        seed = resolve_seed(options.pop("seed", None))
        num_reads = options.pop("num_reads", 100)
        if isinstance(num_reads, bool) or not isinstance(num_reads, (int, np.integer)) or not 1 <= num_reads <= 10000:
            raise ValidationError(f"num_reads must be an integer in [1, 10000], got {num_reads!r}")
        postprocess = options.pop("postprocess", "none")
        if postprocess not in ("none", "steepest"):
            raise ValidationError(f"postprocess must be 'none' or 'steepest', got {postprocess!r}")
        chain_strength = options.pop("chain_strength", None)
        qubo = encode(problem, **encode_opts)
        child = self._child(options.pop("sampler", None), options.pop("mock", None), options.pop("qpu", None),
                            options.pop("profile", None), options.pop("config_file", None), seed)
        embedding, emb_info = embedding_for(
            qubo.bqm, child, method=options.pop("embedding", "auto"), cache_dir=options.pop("embedding_cache", None),
            timeout=float(options.pop("embedding_timeout", 60.0)), seed=seed)
        strength = self._chain_strength(chain_strength, qubo.bqm, embedding)
        params: dict[str, Any] = {"num_reads": int(num_reads), "chain_strength": strength, "return_embedding": True,
                                  "label": options.pop("label", f"qportfolio {problem.fingerprint}")}
        annealing_time = options.pop("annealing_time", None)
        if annealing_time is not None:
            params["annealing_time"] = float(annealing_time)
        auto_scale = options.pop("auto_scale", True)
        if "auto_scale" in child.parameters:
            params["auto_scale"] = bool(auto_scale)
        t0 = time.perf_counter()
        with cloud_errors("sampling on the D-Wave QPU"), warnings.catch_warnings():
            if _is_mock(child):
                warnings.filterwarnings("ignore", message=".*not mocked in MockDWaveSampler")
                warnings.simplefilter("ignore", dimod.exceptions.SamplerUnknownArgWarning)
            sampleset = FixedEmbeddingComposite(child, embedding).sample(qubo.bqm, **params)
            sampleset.resolve()
        sample_seconds = time.perf_counter() - t0
        context = sampleset.info.get("embedding_context", {})
        extra = {
            "qpu": self._qpu_name(child),
            "topology": dict(child.properties.get("topology", {})),
            "sample_seconds": sample_seconds,
            "chain_strength": float(context.get("chain_strength", strength)),
            **_timing_info(sampleset.info),
            **chain_statistics(embedding, sampleset),
            **emb_info,
        }
        if postprocess == "steepest":
            from dwave.samplers import SteepestDescentSolver

            raw_best = float(sampleset.first.energy)
            sampleset = SteepestDescentSolver().sample(qubo.bqm, initial_states=sampleset)
            extra["raw_best_energy"] = raw_best
        recorded = {k: v for k, v in params.items() if k not in ("return_embedding", "chain_strength")}
        parameters = {**recorded, "chain_strength": chain_strength if chain_strength is not None else "uniform_torque_compensation",
                      "postprocess": postprocess, **encode_opts, "repair": repair, "polish": polish,
                      "source": "mock" if _is_mock(child) else "qpu"}
        return result_fields_from_sampleset(qubo, sampleset, solver=self.name, parameters=parameters, seed=seed,
                                            repair=repair, polish=polish, extra_info=extra)

    @staticmethod
    def _chain_strength(value: Any, bqm: dimod.BinaryQuadraticModel, embedding: dict) -> float:
        from dwave.embedding.chain_strength import scaled, uniform_torque_compensation

        if value is None or value == "uniform_torque_compensation":
            return float(uniform_torque_compensation(bqm, embedding))
        if value == "scaled":
            return float(scaled(bqm, embedding))
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not value > 0:
            raise ValidationError(f"chain_strength must be a positive number, 'uniform_torque_compensation' or 'scaled', got {value!r}")
        return float(value)

    @staticmethod
    def _qpu_name(child: Any) -> str:
        solver = getattr(child, "solver", None)
        return str(getattr(solver, "name", None) or child.properties.get("chip_id") or type(child).__name__)


class _LeapHybrid(Solver):
    """Shared plumbing of the Leap hybrid solvers: credentials, an optional stand-in sampler, timing."""

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
    def _params(sampler: Any, problem: PortfolioProblem, options: dict[str, Any]) -> dict[str, Any]:
        """label (when the sampler takes one) and time_limit, from the remaining options."""
        params: dict[str, Any] = {}
        label = options.pop("label", f"qportfolio {problem.fingerprint}")
        if "label" in getattr(sampler, "parameters", {}):
            params["label"] = label
        if options.get("time_limit") is not None:
            params["time_limit"] = float(options.pop("time_limit"))
        return params


@register
class LeapHybridBQMSolver(_LeapHybrid):
    name = "dwave-hybrid-bqm"
    description = "Leap's hybrid BQM solver on the QUBO"
    leap_class = "LeapHybridSampler"
    options = {
        "time_limit": "seconds (default: the solver's minimum for the problem)",
        "label": "problem label (default: qportfolio <fingerprint>)",
        "sampler": "a dimod sampler to use instead of LeapHybridSampler",
        **CREDENTIAL_OPTIONS,
        **ENCODE_OPTIONS,
        **RESULT_OPTIONS,
    }

    def _solve(self, problem: PortfolioProblem, **options: Any) -> dict[str, Any]:
        encode_opts = {k: options.pop(k) for k in list(options) if k in ENCODE_OPTIONS}
        repair = bool(options.pop("repair", False))
        polish = bool(options.pop("polish", False))
        qubo = encode(problem, **encode_opts)
        sampler = self._sampler(options.pop("sampler", None), options.pop("profile", None), options.pop("config_file", None))
        params = self._params(sampler, problem, options)
        with cloud_errors(f"sampling on {self.leap_class}"):
            sampleset = sampler.sample(qubo.bqm, **params)
            sampleset.resolve()
        return result_fields_from_sampleset(qubo, sampleset, solver=self.name,
                                            parameters={**params, **encode_opts, "repair": repair, "polish": polish},
                                            seed=None, repair=repair, polish=polish,
                                            extra_info={"hybrid_solver": type(sampler).__name__, **_timing_info(sampleset.info)})


@register
class LeapHybridCQMSolver(_LeapHybrid):
    name = "dwave-hybrid-cqm"
    description = "Leap's hybrid CQM solver on the constrained model (no penalties)"
    leap_class = "LeapHybridCQMSampler"
    options = {
        "time_limit": "seconds (default: the solver's minimum for the problem)",
        "label": "problem label (default: qportfolio <fingerprint>)",
        "sampler": "an object with sample_cqm (e.g. dimod.ExactCQMSolver) instead of LeapHybridCQMSampler",
        **CREDENTIAL_OPTIONS,
    }

    def _solve(self, problem: PortfolioProblem, **options: Any) -> dict[str, Any]:
        cqm = to_cqm(problem)
        sampler = self._sampler(options.pop("sampler", None), options.pop("profile", None), options.pop("config_file", None))
        if not hasattr(sampler, "sample_cqm"):
            raise ValidationError(f"sampler must have sample_cqm (a CQM sampler), got {type(sampler).__name__}")
        params = self._params(sampler, problem, options)
        t0 = time.perf_counter()
        with cloud_errors(f"sampling on {self.leap_class}"):
            sampleset = sampler.sample_cqm(cqm, **params)
            sampleset.resolve()
        sample_seconds = time.perf_counter() - t0
        weights = weights_from_samples(problem, sampleset)
        occurrences = np.asarray(sampleset.record.num_occurrences, dtype=float)
        solver_feasible = np.asarray(sampleset.record.is_feasible, dtype=bool)
        ours = np.array([problem.is_feasible(w) for w in weights], dtype=bool)
        objective = np.atleast_1d(problem.objective(weights)) if len(weights) else np.zeros(0)
        info = {"hybrid_solver": type(sampler).__name__, "sample_seconds": sample_seconds,
                "num_variables": len(cqm.variables), "num_constraints": len(cqm.constraints),
                "num_samples": int(occurrences.sum()), "num_distinct_samples": int(len(sampleset)),
                "feasible_fraction": float(occurrences[ours].sum() / occurrences.sum()) if occurrences.sum() else 0.0,
                "solver_feasible_fraction": float(occurrences[solver_feasible].sum() / occurrences.sum()) if occurrences.sum() else 0.0,
                **_timing_info(sampleset.info)}
        if ours.any():
            best = int(np.flatnonzero(ours)[np.argmin(objective[ours])])
            chosen, status, message = weights[best], "feasible", ""
        else:
            chosen = weights[0] if len(weights) else np.zeros(problem.n)
            status, message = "infeasible", "no feasible sample; raise time_limit"
        return dict(weights=chosen, feasible=bool(ours.any()), status=status, solver=self.name, parameters=params, seed=None,
                    message=message, sampleset=with_portfolio_vectors(sampleset, objective, ours), info=info)
