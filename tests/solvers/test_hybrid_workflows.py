"""kerberos and pt with a subsolver: any registered QUBO solver or dimod sampler samples their
subproblems (kerberos) or the hottest replica (pt); refusals name the option."""

from __future__ import annotations

import dimod
import pytest

import qportfolio as qp

KERBEROS = {"max_iter": 3, "max_time": None, "tabu_timeout": 20, "sa_sweeps": 200, "subproblem_size": 12}


def small():
    return qp.synthetic_problem(8, seed=3, cardinality=3, weight_step=0.1, min_weight=0.1)


class Counting(dimod.Sampler):
    """dimod's ExactSolver, counting its calls and the sizes it was given."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    parameters: dict = {}
    properties: dict = {}

    def sample(self, bqm, **params):
        self.sizes.append(len(bqm.variables))
        return dimod.ExactSolver().sample(bqm)


def test_kerberos_samples_its_subproblems_with_a_registered_solver():
    r = qp.solve(small(), "kerberos", subsolver="sa", subsolver_options={"num_reads": 5, "num_sweeps": 100}, seed=1,
                 **KERBEROS)
    assert r.feasible and r.info["subsolver"] == "sa" and r.parameters["subsolver_options"] == {"num_reads": 5,
                                                                                                "num_sweeps": 100}


def test_kerberos_hands_each_subproblem_to_the_subsolver():
    counting = Counting()
    r = qp.solve(small(), "kerberos", subsolver=counting, seed=1, **KERBEROS)
    assert r.feasible and len(counting.sizes) == KERBEROS["max_iter"] and set(counting.sizes) == {12}


def test_pt_with_a_subsolver_on_the_hottest_replica_repeats_with_its_seed():
    counting = Counting()
    problem = qp.synthetic_problem(5, seed=1, cardinality=2, weight_step=0.25, min_weight=0.25)
    n = qp.encode(problem).num_variables
    opts = {"max_iter": 3, "max_time": None, "num_sweeps": 50, "num_replicas": 3, "seed": 4}
    r = qp.solve(problem, "pt", subsolver=counting, **opts)
    assert counting.sizes == [n] * 3 and r.feasible
    again = qp.solve(problem, "pt", subsolver="sa", subsolver_options={"num_reads": 4}, **opts)
    assert qp.solve(problem, "pt", subsolver="sa", subsolver_options={"num_reads": 4}, **opts).objective == again.objective
    assert again.info["subsolver"] == "sa"


def test_refusals_name_what_to_change():
    with pytest.raises(qp.ValidationError, match="subproblem_size 30 is larger than exhaustive allows: 24"):
        qp.solve(small(), "kerberos", subsolver="exhaustive", **{**KERBEROS, "subproblem_size": 30})
    with pytest.raises(qp.ValidationError, match="keeps a Hamming weight"):
        qp.solve(small(), "kerberos", subsolver="qaoa-fast", subsolver_options={"mixer": "xy-ring"}, **KERBEROS)
    with pytest.raises(qp.ValidationError, match="pt hands it the whole QUBO"):
        qp.solve(small(), "pt", subsolver="exhaustive", max_iter=1)
    with pytest.raises(qp.ValidationError, match="cannot be its own subsolver"):
        qp.solve(small(), "kerberos", subsolver="kerberos", max_iter=1)
