"""Offline stand-ins for the QPU: dwave-system's ``MockDWaveSampler`` and a classical reverse anneal.

These are mocks, not quantum devices. :func:`mock_sampler` builds a ``MockDWaveSampler`` of a named
topology (the QPU's graph, properties and timing fields, no account) whose samples come from seeded
simulated annealing. :class:`MockReverseAnneal` stands in for a reverse anneal on such a mock: it
starts simulated annealing from the given state at an intermediate temperature. Results record
``source: mock`` and the fit check says "a classical stand-in", so nobody mistakes either for a QPU.
"""

from __future__ import annotations

from typing import Any

import dimod
import numpy as np

from ...errors import ValidationError

#: default shapes of the mock topologies (an Advantage-sized Pegasus, an Advantage2-like Zephyr, a DW-2000Q Chimera)
MOCK_TOPOLOGIES = {"chimera": [16, 16, 4], "pegasus": [16], "zephyr": [12, 4]}


def mock_sampler(spec: bool | str, seed: int, num_sweeps: int = 1000) -> Any:
    """dwave-system's MockDWaveSampler of the named topology ("pegasus", "pegasus:6", "zephyr:4,4"),
    with seeded simulated annealing as its classical substitute."""
    from dwave.samplers import SimulatedAnnealingSampler
    from dwave.system.testing import MockDWaveSampler

    text = "pegasus" if spec is True else str(spec)
    kind, _, shape_text = text.partition(":")
    if kind not in MOCK_TOPOLOGIES:
        raise ValidationError(f"mock must be true or one of {', '.join(MOCK_TOPOLOGIES)}[:shape], got {spec!r}")
    try:
        shape = [int(s) for s in shape_text.split(",")] if shape_text else MOCK_TOPOLOGIES[kind]
    except ValueError:
        raise ValidationError(f"mock shape must be integers separated by commas, got {shape_text!r}") from None
    return MockDWaveSampler(topology_type=kind, topology_shape=shape, substitute_sampler=SimulatedAnnealingSampler(),
                            substitute_kwargs={"seed": seed, "num_sweeps": num_sweeps})


def is_mock(sampler: Any) -> bool:
    """Whether ``sampler`` is dwave-system's MockDWaveSampler (a classical stand-in)."""
    from dwave.system.testing import MockDWaveSampler

    return isinstance(sampler, MockDWaveSampler)


class MockReverseAnneal(dimod.ComposedSampler, dimod.Structured):
    """The mock QPU's reverse anneal: its classical stand-in (seeded simulated annealing) started
    from the embedded initial state at an intermediate temperature instead of a hot random state.
    A classical analogue, labelled as such; a real QPU runs the schedule itself."""

    def __init__(self, child: Any) -> None:
        self._child = child

    @property
    def children(self) -> list[Any]:
        return [self._child]

    @property
    def parameters(self) -> dict[str, Any]:
        return dict(self._child.parameters)

    @property
    def properties(self) -> dict[str, Any]:
        return dict(self._child.properties)

    @property
    def nodelist(self) -> list[Any]:
        return self._child.nodelist

    @property
    def edgelist(self) -> list[Any]:
        return self._child.edgelist

    def sample(self, bqm: dimod.BinaryQuadraticModel, *, initial_state: dict, num_reads: int = 1,
               reinitialize_state: bool = True, **kwargs: Any) -> dimod.SampleSet:
        from dwave.samplers import SimulatedAnnealingSampler
        from dwave.samplers.sa.sampler import _default_ising_beta_range

        child = self._child
        seed = child.substitute_kwargs.get("seed")
        sweeps = child.substitute_kwargs.get("num_sweeps", 1000)
        spin = bqm.spin if bqm.vartype is dimod.BINARY else bqm
        hot, cold = _default_ising_beta_range(spin.linear, spin.quadratic)
        labels = list(bqm.variables)
        start = np.array([[initial_state[v] for v in labels]] * num_reads, dtype=np.int8)
        sampleset = SimulatedAnnealingSampler().sample(
            bqm, num_reads=num_reads, num_sweeps=sweeps, seed=seed, beta_range=[float(np.sqrt(hot * cold)), cold],
            initial_states=(start, labels))
        sampleset.info.update({"timing": dict(child.sample(bqm, num_reads=1).info.get("timing", {}))})
        return sampleset
