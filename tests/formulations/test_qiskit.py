"""Qiskit exports against our QUBO: the Hamiltonian's diagonal and Qiskit's own exact solver."""

import numpy as np
import pytest

pytest.importorskip("qiskit_optimization")

from qiskit_algorithms import NumPyMinimumEigensolver
from qiskit_optimization.algorithms import MinimumEigenOptimizer
from qiskit_optimization.converters import QuadraticProgramToQubo

import qportfolio as qp
from qportfolio.formulations.qiskit import build as build_program
from qportfolio.formulations.qiskit import qubo_to_quadratic_program, to_ising

from ..conftest import all_assignments, random_small_problem


@pytest.mark.parametrize("seed", range(6))
def test_ising_diagonal_equals_qubo_energies(seed):
    qubo = qp.encode(random_small_problem(seed, max_vars=11))
    op, offset = to_ising(qubo)
    n = qubo.num_variables
    diagonal = np.real(op.to_matrix(sparse=True).diagonal()) + offset
    masks = np.arange(1 << n)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(np.int8)  # Qiskit index bit q = qubit q
    energies = qubo.bqm.energies((bits, list(qubo.layout.labels)))
    assert np.allclose(diagonal, energies, rtol=0, atol=1e-12 * np.abs(energies).max())


def test_unconstrained_program_evaluates_like_the_bqm():
    qubo = qp.encode(random_small_problem(3))
    program = qubo_to_quadratic_program(qubo)
    for x in all_assignments(qubo.num_variables)[::7]:
        assert program.objective.evaluate(x) == pytest.approx(qubo.bqm.energy(dict(zip(qubo.layout.labels, x))), abs=1e-12)


def test_constrained_program_keeps_constraints_and_qiskit_finds_our_optimum():
    problem = qp.synthetic_problem(4, seed=2, cardinality=2, weight_step=0.5, min_weight=0.5, max_weight=0.5)
    model = build_program(problem)
    program = model.program
    names = {c.name for c in program.linear_constraints}
    assert {"cardinality", "budget", "held_max_0", "held_min_0"} <= names
    assert program.get_num_integer_vars() == 4 and program.get_num_binary_vars() == 4
    converted = QuadraticProgramToQubo().convert(program)  # Qiskit's own penalties, slacks and expansion
    assert converted.get_num_linear_constraints() == 0 and converted.get_num_vars() <= 16
    result = MinimumEigenOptimizer(NumPyMinimumEigensolver()).solve(program)
    exact = qp.solve(problem, "exact-discrete")
    assert result.fval == pytest.approx(exact.objective, rel=1e-9)
    np.testing.assert_allclose(model.weights(result), exact.weights)  # interpreted back to the same portfolio


def test_constrained_program_agrees_on_a_weighted_instance():
    problem = qp.synthetic_problem(5, seed=3, cardinality=2, weight_step=0.25, min_weight=0.25, max_weight=0.75)
    program = build_program(problem).program
    exact = qp.solve(problem, "exact-discrete")
    units = np.round(exact.weights / problem.weight_step).astype(int)
    x = np.concatenate([(units > 0).astype(int), units])  # variables: z_0..z_4, m_0..m_4
    assert program.is_feasible(x)
    assert program.objective.evaluate(x) == pytest.approx(exact.objective, rel=1e-12)
    broken = x.copy()
    broken[0] = 1 - broken[0]  # flip one selection: the constraints must notice
    assert not program.is_feasible(broken)
