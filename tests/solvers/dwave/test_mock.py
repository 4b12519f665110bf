"""The offline stand-ins: MockDWaveSampler topologies and the classical reverse-anneal analogue."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

from qportfolio.errors import ValidationError
from qportfolio.solvers.dwave.mock import MOCK_TOPOLOGIES, MockReverseAnneal, is_mock, mock_sampler

pytest.importorskip("dwave.system")


@pytest.mark.parametrize("spec, kind, shape", [(True, "pegasus", MOCK_TOPOLOGIES["pegasus"]), ("pegasus:3", "pegasus", [3]),
                                               ("zephyr:2,4", "zephyr", [2, 4]), ("chimera:2,2,4", "chimera", [2, 2, 4])])
def test_mock_sampler_builds_the_named_topology(spec, kind, shape):
    mock = mock_sampler(spec, seed=1)
    assert is_mock(mock) and mock.properties["topology"] == {"type": kind, "shape": shape}
    assert mock.substitute_kwargs["seed"] == 1


def test_mock_sampler_refuses_unknown_topologies_and_shapes():
    with pytest.raises(ValidationError, match="mock must be true or one of"):
        mock_sampler("hypercube", seed=0)
    with pytest.raises(ValidationError, match="integers separated by commas"):
        mock_sampler("pegasus:big", seed=0)
    assert not is_mock(dimod.ExactSolver())


def test_mock_reverse_anneal_starts_from_the_state_and_is_seeded():
    mock = mock_sampler("chimera:1,1,4", seed=5, num_sweeps=50)
    reverse = MockReverseAnneal(mock)
    assert reverse.nodelist == mock.nodelist and reverse.edgelist == mock.edgelist and reverse.children == [mock]
    u, v = mock.edgelist[0]
    # a ferromagnetic pair pulled to 1: the ground state is (1, 1), energy -6
    bqm = dimod.BQM({u: -1.0, v: -1.0}, {(u, v): -4.0}, 0.0, dimod.BINARY)
    first = reverse.sample(bqm, initial_state={u: 1, v: 1}, num_reads=8)
    again = reverse.sample(bqm, initial_state={u: 1, v: 1}, num_reads=8)
    assert np.array_equal(first.record.sample, again.record.sample)  # the mock's seed
    assert first.first.energy == pytest.approx(-6.0) and sum(first.record.num_occurrences) == 8
    np.testing.assert_allclose(first.record.energy, bqm.energies(first))
    assert "qpu_access_time" in first.info["timing"]  # the mock's timing fields, labelled as its own
