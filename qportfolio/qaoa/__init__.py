"""Our own QAOA statevector simulator for diagonal cost Hamiltonians (numpy only).

- ``basis``: the computational basis a simulation runs in (all 2^n bitmasks, or only those of
  Hamming weight K), with a lookup table from bitmask to position;
- ``energies``: the QUBO energy of every basis state, vectorised;
- ``mixers``: the transverse-field X mixer and Trotterised XY mixers (ring, complete graph);
- ``simulator``: states, expectations, adjoint gradients, sampling;
- ``parameters``: linear ramp, INTERP extrapolation, multi-start optimisation.
"""

from .basis import Basis
from .simulator import QAOASimulator

__all__ = ["Basis", "QAOASimulator"]
