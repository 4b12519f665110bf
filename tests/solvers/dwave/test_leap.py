"""Leap's hybrid solvers through dimod's stand-ins (``sampler=``): no account needed."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.errors import ValidationError
from qportfolio.formulations import cqm as cqm_formulation

from ...conftest import random_small_problem

pytest.importorskip("dwave.system")


pytestmark = pytest.mark.usefixtures("isolated_dwave_config")


def test_hybrid_cqm_solver_through_a_cqm_sampler(tiny_problem):
    result = qp.solve(tiny_problem, "dwave-hybrid-cqm", sampler=dimod.ExactCQMSolver())
    exact = qp.solve(tiny_problem, "exact-discrete")
    assert result.feasible and result.objective == pytest.approx(exact.objective, rel=1e-12)
    # every assignment the CQM calls feasible is a feasible portfolio; the converse need not hold
    # (units can form a valid portfolio while the selection bits disagree with them)
    assert 0 < result.info["solver_feasible_fraction"] <= result.info["feasible_fraction"] < 1
    with pytest.raises(ValidationError, match="sample_cqm"):
        qp.solve(tiny_problem, "dwave-hybrid-cqm", sampler=object())


def test_hybrid_bqm_solver_through_a_dimod_sampler():
    problem = random_small_problem(3, max_vars=14)
    result = qp.solve(problem, "dwave-hybrid-bqm", sampler=dimod.ExactSolver())
    exact = qp.solve(problem, "exact-discrete")
    assert result.feasible and result.objective == pytest.approx(exact.objective, rel=1e-9, abs=1e-14)




def test_cqm_sample_statistics_count_every_assignment(tiny_problem):
    """The figures agree with a count over the CQM's whole assignment space, done here by hand."""
    result = qp.solve(tiny_problem, "dwave-hybrid-cqm", sampler=dimod.ExactCQMSolver())
    model = cqm_formulation.build(tiny_problem)
    everything = dimod.ExactCQMSolver().sample_cqm(model.cqm)
    weights = model.weights(everything)
    ours = [tiny_problem.is_feasible(w) for w in weights]
    assert result.info["num_samples"] == result.info["num_distinct_samples"] == len(everything)
    assert result.info["feasible_fraction"] == pytest.approx(np.mean(ours))
    assert result.info["solver_feasible_fraction"] == pytest.approx(np.mean(everything.record.is_feasible))
    # the answer is the best feasible portfolio among all assignments, and the sample set carries the vectors
    best = min(tiny_problem.objective(w) for w, ok in zip(weights, ours) if ok)
    assert result.objective == pytest.approx(best, rel=1e-12)
    assert {"objective", "feasible"} <= set(result.sampleset.record.dtype.names)
    metrics = qp.solvers.get("dwave-hybrid-cqm").benchmark_metrics(result)
    assert metrics["feasible_fraction"] == result.info["feasible_fraction"]
    assert metrics["num_variables"] == len(model.cqm.variables)


def test_hybrid_solvers_send_a_label_and_time_limit_when_the_sampler_takes_them():
    class Recording(dimod.ExactSolver):
        def __init__(self):
            super().__init__()
            self.parameters = {"label": [], "time_limit": []}

        def sample(self, bqm, **params):
            self.sent = params
            return super().sample(bqm)

    problem = random_small_problem(3, max_vars=14)
    sampler = Recording()
    result = qp.solve(problem, "dwave-hybrid-bqm", sampler=sampler, time_limit=5)
    assert sampler.sent == {"label": f"qportfolio {problem.fingerprint}", "time_limit": 5.0}
    assert result.parameters["time_limit"] == 5.0 and result.info["hybrid_solver"] == "Recording"
    qp.solve(problem, "dwave-hybrid-bqm", sampler=sampler, label="mine")
    assert sampler.sent == {"label": "mine"}
