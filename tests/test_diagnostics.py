"""Typed diagnostics on a Result: each record's text and columns, a JSON round trip, a mock labelled as a mock."""

from __future__ import annotations

import json

import pytest

import qportfolio as qp
from qportfolio.diagnostics import (
    BENCHMARK_METRICS,
    KINDS,
    DecompositionDiagnostics,
    ExactDiagnostics,
    QAOADiagnostics,
    QPUDiagnostics,
    QuboDiagnostics,
    SampleStatistics,
    benchmark_columns,
    from_dicts,
)
from qportfolio.solvers.base import Solver, SolverOutput
from qportfolio.status import Status

from .conftest import SMALL

QPU = QPUDiagnostics(device="Advantage_system4.1", problem_id="abc", mock=False, access_seconds=0.012345,
                     chain_length_max=3, chain_length_mean=1.5, physical_qubits=40, chain_break_fraction=0.0125,
                     chain_strength=2.5)
MOCK = QPUDiagnostics(device="MockDWaveSampler", problem_id=None, mock=True, mock_access_seconds=0.00855,
                      chain_length_max=2, chain_length_mean=1.25, physical_qubits=30, chain_break_fraction=0.0,
                      chain_strength=1.0)
DECOMPOSE = DecompositionDiagnostics(subsolver="sa", mock=False, control=True, calls=4, subproblem_size=8,
                                     selection="energy", subsolver_seconds=0.5, loop_seconds=1.25, start="heuristic",
                                     start_objective=-0.25, objective=-0.5, improvements=2, classical_steps=0)
EXACT = ExactDiagnostics(nodes=12, lp_iterations=345, root_bound=-0.75, proven=True, gap=0.0,
                         phases={"presolve": 0.125, "solve": 1.5})
QAOA = QAOADiagnostics(depth=2, qubits=5, mixer="xy-ring", approximation_ratio=0.91234, feasible_probability=1.0,
                       optimum_probability=None, from_samples=True)
SAMPLES = SampleStatistics(reads=50, distinct=20, feasible_share=0.96, best_energy=-1.5, calls=3,
                           stop_reason="all calls made", phases={"sample": 0.25, "decode": 0.125},
                           answer_from="a repaired sample", raw_best_objective=None, sample_seconds=0.25, variables=18)
EVERY = (SAMPLES, QuboDiagnostics(interactions=153, penalty_scale=1.5, penalties={"budget": 2.0}), QPU, MOCK, DECOMPOSE,
         EXACT, QAOA)


def test_each_record_renders_its_fields_generically():
    assert SAMPLES.lines() == [
        "samples     50 reads, 20 distinct, 96.0 % feasible, lowest energy -1.5",
        "run         3 sampler calls (all calls made); sample 0.25 s, decode 0.12 s",
        "answer      from a repaired sample; best raw feasible sample: none",
    ]
    assert QPU.lines() == [
        "qpu         Advantage_system4.1 (abc), QPU access 12.35 ms",
        "chains      max length 3, mean 1.50, 40 qubits, chain-break fraction 0.013, strength 2.5",
    ]
    assert DECOMPOSE.lines() == [
        "decompose   subsolver sa (a control, not a device): 4 calls on 8-variable subproblems (energy), 0.50 s of 1.25 s",
        "            start (heuristic) -0.25 -> -0.5: 2 improvements from the subsolver's samples, 0 classical steps",
    ]
    assert EXACT.lines() == ["search      12 nodes, 345 LP iterations, root bound -0.75, optimality proven; "
                             "presolve 0.12 s, solve 1.50 s"]
    assert QAOA.lines() == [
        "qaoa        depth 2, 5 qubits, mixer xy-ring: approximation ratio 0.9123, P(feasible) 1, P(optimum) —",
        "            (statistics from the measured shots: the state has too many amplitudes to decode)",
    ]
    assert QuboDiagnostics(interactions=1).lines() == []  # columns only
    # a line whose first field is empty is left out; a false flag prints nothing
    assert SampleStatistics(reads=5).lines() == ["samples     5 reads"]
    assert QAOADiagnostics(depth=1, from_samples=False).lines()[1:] == []


def test_metrics_are_the_declared_columns_with_values_unscaled():
    assert SAMPLES.metrics() == {"num_samples": 50, "feasible_fraction": 0.96, "sample_seconds": 0.25,
                                 "num_variables": 18}
    assert QPU.metrics() == {"qpu_access_time": 0.012345}
    row = benchmark_columns((SAMPLES, DECOMPOSE, QPU))
    assert set(row) == set(BENCHMARK_METRICS) and row["qpu_access_time"] == 0.012345 and row["penalty_scale"] is None
    # None never overwrites a value an earlier record gave
    assert benchmark_columns((QPU, DECOMPOSE))["qpu_access_time"] == 0.012345
    assert benchmark_columns(()) == dict.fromkeys(BENCHMARK_METRICS)


def test_a_mock_qpu_is_labelled_as_a_mock_never_as_qpu_time():
    text = "\n".join(MOCK.lines())
    assert "a mock QPU" in text and "QPU access" not in text and "not QPU time" in text and "8.55 ms" in text
    assert MOCK.metrics() == {"qpu_access_time": None} and benchmark_columns((MOCK,))["qpu_access_time"] is None
    mock_loop = DecompositionDiagnostics(subsolver="dwave-qpu", mock=True, calls=1, qpu_access_seconds=None)
    assert "(a mock QPU: a classical stand-in, not a quantum device)" in mock_loop.lines()[0]


def test_mock_qpu_solve_carries_the_mock_label():
    pytest.importorskip("dwave.system")
    r = qp.solve(SMALL[2], "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1)
    qpu = r.diagnostic(QPUDiagnostics)
    assert qpu is not None and qpu.mock is True and qpu.access_seconds is None
    assert any("a mock QPU" in line for line in r.report_lines())
    assert not any("QPU access" in line for line in r.report_lines())
    assert qp.solvers.get("dwave-qpu").benchmark_metrics(r)["qpu_access_time"] is None


def test_round_trip_through_json():
    records = json.loads(json.dumps([d.to_dict() for d in EVERY]))
    assert from_dicts(records) == EVERY and {r["kind"] for r in records} == set(KINDS)
    r = qp.solve(SMALL[3], "sa", num_reads=20, num_sweeps=100, batches=2, seed=5)
    saved = json.loads(json.dumps(r.to_dict()))
    assert qp.Result.diagnostics_from_dict(saved) == r.diagnostics
    assert qp.Result.diagnostics_from_dict({}) == ()


def test_a_sampler_result_carries_views_of_its_info():
    r = qp.solve(SMALL[3], "sa", num_reads=20, num_sweeps=100, batches=2, seed=5)
    stats = r.diagnostic(SampleStatistics)
    assert stats is not None and stats.reads == r.info["num_samples"] == 40 and stats.calls == 2
    assert stats.feasible_share == r.info["feasible_fraction"] and stats.stop_reason == "all calls made"
    row = qp.solvers.get("sa").benchmark_metrics(r)
    assert row["num_samples"] == 40 and row["num_interactions"] == r.info["num_interactions"]
    assert row["penalty_scale"] == 1.0 and row["feasible_fraction"] == r.info["feasible_fraction"]
    assert r.report_lines()[0] == f"samples     40 reads, {r.info['num_distinct_samples']} distinct, " \
                                  f"{100 * r.info['feasible_fraction']:.1f} % feasible, lowest energy " \
                                  f"{r.info['best_energy']:.6g}"


def test_exact_result_says_whether_optimality_is_proven():
    r = qp.solve(SMALL[4], "exact-discrete")
    exact = r.diagnostic(ExactDiagnostics)
    assert exact is not None and exact.proven is (r.status == Status.OPTIMAL) and exact.nodes == r.info["nodes"]
    assert exact.lp_iterations == r.info["lp_iterations"] and exact.gap == r.gap
    assert r.report_lines()[0].startswith(f"search      {r.info['nodes']} nodes")


def test_a_third_party_solver_without_diagnostics_still_reports():
    class Plain(Solver):
        name = "test-plain"

        def _solve(self, problem, **options):
            return SolverOutput(weights=[1.0] + [0.0] * (problem.n - 1), feasible=True, status=Status.FEASIBLE,
                                parameters={})

    solver = Plain()
    r = solver.solve(SMALL[0])
    assert r.diagnostics == () and solver.report_lines(r) == [] and r.to_dict()["diagnostics"] == []
    assert solver.benchmark_metrics(r) == dict.fromkeys(BENCHMARK_METRICS)
