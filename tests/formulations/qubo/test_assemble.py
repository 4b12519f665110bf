"""``encode``: the assembled QUBO's energies equal f on every feasible assignment and the calibrated
penalties put every infeasible one above the feasible optimum (exhaustive, against brute force)."""

import numpy as np
import pytest

from qportfolio import encode, synthetic_problem
from qportfolio.errors import ValidationError
from qportfolio.formulations.qubo import single_violation_cap
from qportfolio.solvers.brute import count_portfolios

from ...conftest import all_assignments, random_small_problem


@pytest.mark.parametrize("seed", range(25))
def test_exhaustive_energy_and_penalty_separation(seed):
    problem = random_small_problem(seed)
    qubo = encode(problem)
    x = all_assignments(qubo.num_variables)
    energy = qubo.bqm.energies((x, list(qubo.layout.labels)))
    d = qubo.decode(x)
    feasible = d.feasible
    assert feasible.any()
    f = d.objective[feasible]
    # energy + offset (bqm.energy includes the offset) equals f(w) on every feasible assignment
    assert np.all(np.abs(energy[feasible] - f) <= 1e-12 * np.maximum(np.abs(f), 1e-300) + 1e-18)
    # calibrated penalties: every infeasible assignment is above the feasible optimum
    if (~feasible).any():
        assert energy[~feasible].min() > f.min()
    assert len({tuple(u) for u in d.units[feasible]}) == count_portfolios(problem)  # none lost to the unit cap


@pytest.mark.parametrize("seed", range(10))
def test_separation_without_lagrangian_shift(seed):
    problem = random_small_problem(100 + seed)
    qubo = encode(problem, lagrangian_shift=False)
    x = all_assignments(qubo.num_variables)
    energy = qubo.bqm.energies((x, list(qubo.layout.labels)))
    d = qubo.decode(x)
    assert energy[~d.feasible].min() > d.objective[d.feasible].min()
    assert qubo.penalties.budget >= qubo.penalties.cardinality


@pytest.mark.parametrize("seed", range(4))
def test_separation_with_single_violation_box(seed):
    """K = 4 makes the single-violation box tighter than the full one: check it exhaustively."""
    problem = synthetic_problem(5, seed=seed, cardinality=4, weight_step=0.125, min_weight=0.125, max_weight=1.0,
                                risk_aversion=[0.1, 0.5, 0.9, 0.0][seed])
    assert single_violation_cap(problem) == 6 < problem.unit_bounds[1].max() == 8  # the cap binds
    qubo = encode(problem)
    x = all_assignments(qubo.num_variables)
    energy = qubo.bqm.energies((x, list(qubo.layout.labels)))
    d = qubo.decode(x)
    assert energy[~d.feasible].min() > d.objective[d.feasible].min()
    assert np.allclose(energy[d.feasible], d.objective[d.feasible], rtol=1e-12, atol=1e-18)


def test_explicit_penalties_and_scale(tiny_problem):
    q = encode(tiny_problem, penalties={"cardinality": 1.0, "budget": 2.0, "linking": 3.0}, lagrangian_shift=False)
    assert q.penalties.as_dict() == {"cardinality": 1.0, "budget": 2.0, "linking": 3.0}
    assert q.calibration is None and q.shift == 0.0
    assert encode(tiny_problem, penalty_scale=2.0).penalties.budget == pytest.approx(2 * encode(tiny_problem).penalties.budget)
    with pytest.raises(ValidationError, match="penalty_scale"):
        encode(tiny_problem, penalty_scale=0)
    with pytest.raises(ValidationError, match="penalties: unknown"):
        encode(tiny_problem, penalties={"budgett": 1.0})


def test_encode_port5_fine_grid():
    from qportfolio.data import load_orlib

    qubo = encode(load_orlib("port5", weight_step=0.01))
    assert qubo.num_variables == 225 * 8  # selection + 7 bits for 0..99 extra units
    assert qubo.num_interactions == qubo.num_variables * (qubo.num_variables - 1) // 2
