"""The module-level dwave-hybrid runnables: a dimod sampler as a subproblem sampler in a workflow."""

from __future__ import annotations

import dimod
import pytest

hybrid = pytest.importorskip("hybrid")

from qportfolio.solvers.controls import ExhaustiveControl  # noqa: E402
from qportfolio.solvers.hybrid_runnables import KeepLowest, SubproblemSampler  # noqa: E402


def test_a_workflow_of_identity_decomposition_and_an_exact_subsampler_finds_the_ground_state():
    bqm = dimod.generators.gnp_random_bqm(10, 0.5, "BINARY", random_state=7)
    record: list[int] = []

    class Accounting:
        def record(self, seconds, info, size):
            record.append(size)

    workflow = (hybrid.IdentityDecomposer() | SubproblemSampler(ExhaustiveControl(), accounting=Accounting())
                | hybrid.IdentityComposer() | KeepLowest())
    state = workflow.run(hybrid.State.from_sample(dict.fromkeys(bqm.variables, 0), bqm)).result()
    assert len(state.samples) == 1 and record == [10]
    assert state.samples.first.energy == pytest.approx(dimod.ExactSolver().sample(bqm).first.energy, abs=1e-12)
