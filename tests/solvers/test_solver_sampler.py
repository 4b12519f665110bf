"""The model a solver's hook sees when it runs as a sampler, and the facts read off any sampler."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.solvers.solver_sampler import BqmModel, SamplerFacts


def test_a_bqm_model_decodes_a_kept_weight_as_its_only_constraint():
    bqm = dimod.BinaryQuadraticModel({"a": 1.0, "b": -1.0, "c": 0.5}, {("a", "b"): 2.0}, 0.0, "BINARY")
    free = BqmModel(bqm, ("a", "b", "c"))
    kept = BqmModel(bqm, ("a", "b", "c"), weight=2)
    rows = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1]])
    assert free.decode(rows).feasible.all() and kept.decode(rows).feasible.tolist() == [True, False, True]
    assert kept.problem.selection_only and kept.problem.cardinality == 2 and not free.problem.selection_only
    assert kept.num_variables == 3 and kept.layout.labels == ("a", "b", "c") and kept.offset == 0.0


def test_a_structured_samplers_facts_carry_its_largest_clique():
    pytest.importorskip("minorminer")
    pytest.importorskip("dwave.system")
    from dwave.system.testing import MockDWaveSampler

    mock = MockDWaveSampler(topology_type="pegasus", topology_shape=[2])
    facts = SamplerFacts.of(mock)
    assert facts.solver == "dimod:MockDWaveSampler" and facts.largest_subproblem >= 4 and "clique" in \
        facts.largest_subproblem_reason


def test_the_incumbent_reaches_a_warm_start():
    bqm = dimod.generators.gnp_random_bqm(6, 0.6, "BINARY", random_state=3)
    sampler = qp.solvers.get("qaoa-fast").as_sampler(warm_start="incumbent", reps=1, restarts=0, maxiter=5, shots=64)
    with pytest.raises(qp.ValidationError, match="incumbent"):
        sampler.sample(bqm, seed=1)  # a BQM has no heuristic of its own: the incumbent must be given
    got = sampler.sample(bqm, seed=1, incumbent=dict.fromkeys(bqm.variables, 1))
    assert len(got) >= 1
    with pytest.raises(qp.ValidationError, match="one value per variable"):
        sampler.sample(bqm, seed=1, incumbent=[1, 0])
