"""The QPU as a dimod sampler, on dwave-system's MockDWaveSampler (a classical stand-in)."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

import qportfolio as qp
from qportfolio.errors import ValidationError
from qportfolio.solvers.dwave.mock import mock_sampler
from qportfolio.solvers.dwave.sampler import QPUSampler, chain_strength_for

pytest.importorskip("dwave.system")


pytestmark = pytest.mark.usefixtures("isolated_dwave_config")


def _bqm(n: int = 6, seed: int = 0) -> dimod.BinaryQuadraticModel:
    rng = np.random.default_rng(seed)
    q = np.triu(rng.normal(size=(n, n)))
    return dimod.BQM.from_qubo({(f"v{i}", f"v{j}"): q[i, j] for i in range(n) for j in range(i, n)}, offset=1.5)


def test_as_sampler_samples_any_bqm_with_its_energies():
    bqm = _bqm()
    sampler = qp.solvers.get("dwave-qpu").as_sampler(mock="pegasus:4", num_reads=20, embedding_cache=False, seed=3)
    sampleset = sampler.sample(bqm)
    assert set(sampleset.variables) == set(bqm.variables) and sum(sampleset.record.num_occurrences) == 20
    np.testing.assert_allclose(sampleset.record.energy, bqm.energies(sampleset), rtol=1e-12, atol=1e-12)
    # a 6-variable problem: brute force says what the optimum is; twenty reads of SA find it
    best = dimod.ExactSolver().sample(bqm).first.energy
    assert sampleset.first.energy == pytest.approx(best, abs=1e-9)
    info = sampleset.info["qportfolio"]
    assert info["qpu"] == "MockDWaveSampler" and info["physical_qubits"] >= 6 and info["chain_strength"] > 0
    assert info["sent"]["num_reads"] == 20 and "qpu_access_time_s" in info


def test_a_call_overrides_the_defaults_and_its_seed_repeats_the_samples():
    bqm = _bqm(8, seed=2)
    sampler = qp.solvers.get("dwave-qpu").as_sampler(mock="pegasus:4", num_reads=5, embedding_cache=False)
    assert sum(sampler.sample(bqm, num_reads=9).record.num_occurrences) == 9
    one, two = sampler.sample(bqm, seed=11), sampler.sample(bqm, seed=11)
    assert np.array_equal(one.record.sample, two.record.sample) and np.array_equal(one.record.energy, two.record.energy)
    assert sampler.sample(bqm, incumbent={v: 0 for v in bqm.variables}).record.energy.size  # accepted, not used
    with pytest.raises(ValidationError, match="does not take hamming_weight"):
        sampler.sample(bqm, hamming_weight=2)
    with pytest.raises(ValidationError, match="postprocess"):
        sampler.sample(bqm, postprocess="anneal")


def test_steepest_postprocessing_never_raises_the_best_energy():
    bqm = _bqm(10, seed=5)
    child = mock_sampler("pegasus:4", seed=1, num_sweeps=2)  # a poor stand-in: room to improve
    sampler = QPUSampler(child, embedding_cache=False, defaults={"num_reads": 10})
    raw = sampler.sample(bqm)
    polished = sampler.sample(bqm, postprocess="steepest")
    assert polished.first.energy <= polished.info.get("raw_best_energy", raw.first.energy) + 1e-12
    np.testing.assert_allclose(polished.record.energy, bqm.energies(polished), atol=1e-12)


def test_chain_strength_choices():
    from dwave.embedding.chain_strength import uniform_torque_compensation

    bqm = _bqm(4)
    embedding = {v: [i] for i, v in enumerate(bqm.variables)}
    assert chain_strength_for(None, bqm, embedding) == pytest.approx(uniform_torque_compensation(bqm, embedding))
    assert chain_strength_for(2, bqm, embedding) == 2.0
    for bad in (0, -1, True, "strong"):
        with pytest.raises(ValidationError, match="chain_strength"):
            chain_strength_for(bad, bqm, embedding)
    with pytest.raises(ValidationError, match="does not take"):
        QPUSampler(mock_sampler("pegasus:2", seed=0), defaults={"num_read": 3})
