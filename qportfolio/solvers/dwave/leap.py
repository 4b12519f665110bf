"""Leap's hybrid solvers, with the user's own credentials: ``dwave-hybrid-bqm`` and ``dwave-hybrid-cqm``.

``dwave-hybrid-bqm`` sends the QUBO of :func:`qportfolio.formulations.qubo.encode` to
``LeapHybridSampler``; ``dwave-hybrid-cqm`` sends :func:`qportfolio.formulations.cqm.build`
(constraints kept, no penalties) to ``LeapHybridCQMSampler``. Both take ``sampler=`` instead, for
offline runs (e.g. dimod's ``ExactSolver`` / ``ExactCQMSolver``). Credentials: :mod:`.cloud`.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ... import diagnostics
from ...diagnostics import Diagnostics, SampleStatistics
from ...errors import ValidationError
from ...formulations import cqm as cqm_formulation
from ...formulations.qubo import QuboModel
from ...problem import PortfolioProblem
from ...result import Result
from ...status import Status
from ..base import Solver, SolverOutput
from ..options import POSITIVE, Option, Role, declare, seed_option
from ..qubo_solver import QuboSolver, SampleRun, sample_counts, with_portfolio_vectors
from ..registry import register
from .cloud import CREDENTIAL_OPTIONS, LABEL, cloud_config, cloud_errors, require_dwave_system, timing_info

HYBRID_OPTIONS = (
    Option("time_limit", "seconds (default: the solver's minimum for the problem)", POSITIVE, nullable=True,
           role=Role.TIME_LIMIT, flag=True),
    LABEL,
    *CREDENTIAL_OPTIONS,
)


class _LeapHybrid:
    """Shared plumbing of the Leap hybrid solvers: credentials, an optional stand-in sampler, parameters."""

    leap_class: str

    def _sampler(self, sampler: Any, profile: str | None, config_file: str | None) -> Any:
        if sampler is not None:
            return sampler
        require_dwave_system()
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

    def _sample(self, qubo: QuboModel, *, seed: int | None, **params: Any) -> SampleRun:
        hybrid = self._sampler(params.get("sampler"), params.get("profile"), params.get("config_file"))
        sent = self._params(hybrid, qubo.problem, params.get("label"), params.get("time_limit"))
        with cloud_errors(f"sampling on {self.leap_class}"):
            sampleset = hybrid.sample(qubo.bqm, **sent)
            sampleset.resolve()
        return SampleRun(sampleset, {"hybrid_solver": type(hybrid).__name__, **timing_info(sampleset.info)}, sent)


@register
class LeapHybridCQMSolver(_LeapHybrid, Solver):
    name = "dwave-hybrid-cqm"
    description = "Leap's hybrid CQM solver on the constrained model (no penalties)"
    leap_class = "LeapHybridCQMSampler"
    options = declare(
        Option("sampler", "an object with sample_cqm (e.g. dimod.ExactCQMSolver) instead of LeapHybridCQMSampler"),
        *HYBRID_OPTIONS,
    )

    def _solve(self, problem: PortfolioProblem, **options: Any) -> SolverOutput:
        model = cqm_formulation.build(problem)
        hybrid = self._sampler(options.get("sampler"), options.get("profile"), options.get("config_file"))
        if not hasattr(hybrid, "sample_cqm"):
            raise ValidationError(f"sampler must have sample_cqm (a CQM sampler), got {type(hybrid).__name__}")
        params = self._params(hybrid, problem, options.get("label"), options.get("time_limit"))
        t0 = time.perf_counter()
        with cloud_errors(f"sampling on {self.leap_class}"):
            sampleset = hybrid.sample_cqm(model.cqm, **params)
            sampleset.resolve()
        sample_seconds = time.perf_counter() - t0
        weights = model.weights(sampleset)
        ours = np.array([problem.is_feasible(w) for w in weights], dtype=bool)
        objective = np.atleast_1d(problem.objective(weights)) if len(weights) else np.zeros(0)
        info = {
            "hybrid_solver": type(hybrid).__name__,
            "sample_seconds": sample_seconds,
            "num_variables": len(model.cqm.variables),
            "num_constraints": len(model.cqm.constraints),
            **sample_counts(sampleset, ours),
            # the CQM's own verdict; every sample it calls feasible is a portfolio, not conversely
            "solver_feasible_fraction": sample_counts(sampleset, sampleset.record.is_feasible)["feasible_fraction"],
            **timing_info(sampleset.info),
        }
        if ours.any():
            best = int(np.flatnonzero(ours)[np.argmin(objective[ours])])
            chosen, status, message = weights[best], Status.FEASIBLE, ""
        else:
            chosen = weights[0] if len(weights) else np.zeros(problem.n)
            status, message = Status.INFEASIBLE, "no feasible sample; raise time_limit"
        return SolverOutput(weights=chosen, feasible=bool(ours.any()), status=status, parameters=params, message=message,
                            sampleset=with_portfolio_vectors(sampleset, objective, ours), info=info)

    def diagnose(self, result: Result) -> tuple[Diagnostics, ...]:
        """The sample statistics (a CQM has no QUBO penalties to report)."""
        return diagnostics.of(result, SampleStatistics)
