"""The portfolio QUBO in its structured form: O(n^2 + N) numbers instead of N^2 couplings.

Every coupling of the encoded QUBO (:mod:`qportfolio.formulations.qubo`) is one of four kinds,

    q_uv = a c_u c_v Sigma[asset_u, asset_v] + A sel_u sel_v + B c_u c_v       (u, v any variables)
    J_uv = 2 q_uv - C [u is v's parent or v is u's]                             (u < v, the BQM's bias)

so the QUBO is held as the covariance, the per-variable coefficients c (units), selection flags,
parents and linear biases, plus four scalars. With N variables over n assets this is about
40 N + 8 n^2 bytes where the dense form needs 8 N^2 (port5 at the 0.01 grid: 20 475 variables,
0.8 MB + 0.4 MB instead of 3.4 GB; dimod's BQM of the same QUBO needs about 10 GB).

Consumers that take matrices or BQMs get them from here, built in row blocks whose size is
bounded (:meth:`QuboStructure.coupling_rows`, :meth:`QuboStructure.to_bqm`), with the same
floating-point operations as the dense build, so the biases are bitwise those of the BQM built
before this module existed. Samplers that understand the structure (:mod:`qportfolio.solvers.tabu_structured`)
never build either. :meth:`QuboStructure.energies` evaluates E(x) = offset + l'x + a m'Sigma m
+ A s^2 + B t^2 - C sum_b x_b x_parent(b) (m = units per asset, s = selected count, t = total units)
in O(N + n^2) per sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dimod
import numpy as np

#: bytes per coupling in a dimod BinaryQuadraticModel (float64 biases, int32 indices, both
#: directions, the adjacency vectors' doubling slack); measured: 5 500 variables, 15.1 M couplings, +734 MB
BQM_BYTES_PER_INTERACTION = 52.0
#: bytes of row blocks built at a time (the bound on the build's temporaries)
BLOCK_BYTES = 64 * 2**20


@dataclass(frozen=True, eq=False)
class QuboStructure:
    """The encoded QUBO as arrays (see the module docstring for the formula)."""

    covariance: np.ndarray  # (n, n) Sigma
    asset: np.ndarray  # (N,) owning asset of each variable
    coefficient: np.ndarray  # (N,) float units c_v
    selection: np.ndarray  # (N,) float 1.0 on selection bits
    parent: np.ndarray  # (N,) parent variable, -1 for none
    linear: np.ndarray  # (N,) l_v: the linear part without the diagonal of q
    risk: float  # a
    cardinality: float  # A
    budget: float  # B
    linking: float  # C
    offset: float
    labels: tuple[str, ...] = field(repr=False)

    @property
    def num_variables(self) -> int:
        return len(self.coefficient)

    @property
    def num_assets(self) -> int:
        return self.covariance.shape[0]

    @property
    def nbytes(self) -> int:
        arrays = (self.covariance, self.asset, self.coefficient, self.selection, self.parent, self.linear)
        return int(sum(a.nbytes for a in arrays))

    def diagonal(self) -> np.ndarray:
        """q_vv (x_v^2 = x_v folds it into the BQM's linear bias), with the dense build's operations."""
        c, s = self.coefficient, self.selection
        cov_diag = self.covariance[self.asset, self.asset]
        return self.risk * (c * c) * cov_diag + (self.cardinality * (s * s) + self.budget * (c * c))

    def bqm_linear(self) -> np.ndarray:
        """The BQM's linear biases: l + diag(q)."""
        return self.linear + self.diagonal()

    def coupling_rows(self, start: int, stop: int) -> np.ndarray:
        """Rows start:stop of the symmetric coupling matrix J (zero diagonal): J_uv is the BQM's
        bias of (u, v) in either order."""
        rows = slice(start, stop)
        c, s = self.coefficient, self.selection
        block = self.risk * np.outer(c[rows], c) * self.covariance[np.ix_(self.asset[rows], self.asset)]
        block += self.cardinality * np.outer(s[rows], s) + self.budget * np.outer(c[rows], c)
        local = np.arange(start, stop)
        bits = np.flatnonzero(self.parent[rows] >= 0)
        block[bits, self.parent[local[bits]]] -= 0.5 * self.linking  # a bit row meets its parent
        children = np.flatnonzero((self.parent >= start) & (self.parent < stop))
        block[self.parent[children] - start, children] -= 0.5 * self.linking  # a parent row meets its bits
        block *= 2.0
        block[np.arange(stop - start), local] = 0.0
        return block

    def row_blocks(self, bytes_per_block: int = BLOCK_BYTES):
        """(start, stop) row ranges whose coupling blocks (and temporaries) stay near ``bytes_per_block``."""
        nv = self.num_variables
        step = max(1, int(bytes_per_block // (4 * 8 * max(nv, 1))))
        for start in range(0, nv, step):
            yield start, min(nv, start + step)

    def dense(self, dtype: type = np.float64) -> np.ndarray:
        """The (N, N) matrix Q with x'Qx + offset = E(x): the BQM's linear biases on the diagonal and
        its couplings in the upper triangle (a consumer that takes a dense matrix)."""
        nv = self.num_variables
        out = np.zeros((nv, nv), dtype=dtype)
        for start, stop in self.row_blocks():
            block = self.coupling_rows(start, stop)
            out[start:stop] = np.where(_upper(block, start), block, 0.0)
        out[np.diag_indices(nv)] = self.bqm_linear()
        return out

    def to_bqm(self) -> dimod.BinaryQuadraticModel:
        """The dimod BQM, its couplings added one row block at a time (no N^2 temporaries); zero
        couplings are left out, as in the dense build."""
        bqm = dimod.BinaryQuadraticModel.from_numpy_vectors(
            self.bqm_linear(), (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)), self.offset, dimod.BINARY)
        for start, stop in self.row_blocks():
            block = self.coupling_rows(start, stop)
            r, c = np.nonzero(_upper(block, start) & (block != 0.0))
            # add_quadratic_from_arrays needs index labels, hence the relabel below
            bqm.data.add_quadratic_from_arrays(np.ascontiguousarray(r + start), np.ascontiguousarray(c), block[r, c])
        bqm.relabel_variables(dict(enumerate(self.labels)), inplace=True)
        return bqm

    def units(self, samples: np.ndarray) -> np.ndarray:
        """(S, n) units per asset of 0/1 samples (S, N)."""
        x = np.atleast_2d(samples)
        out = np.zeros((x.shape[0], self.num_assets))
        np.add.at(out.T, self.asset, (x * self.coefficient).T)
        return out

    def energies(self, samples: np.ndarray) -> np.ndarray:
        """E(x) of each row of ``samples`` (S, N), offset included (equal to ``to_bqm().energies``
        up to floating-point rounding)."""
        x = np.atleast_2d(np.asarray(samples, dtype=np.float64))
        m = self.units(x)
        s = x @ self.selection
        t = m.sum(axis=1)
        bits = np.flatnonzero(self.parent >= 0)
        links = (x[:, bits] * x[:, self.parent[bits]]).sum(axis=1)
        return (self.offset + x @ self.linear + self.risk * np.einsum("si,ij,sj->s", m, self.covariance, m)
                + self.cardinality * s * s + self.budget * t * t - self.linking * links)

    def coupling_stats(self, max_variables: int | None = None) -> tuple[int, float, float] | None:
        """(non-zero couplings, largest |J|, smallest non-zero |J|) by a blockwise scan, or None when
        N exceeds ``max_variables`` (the scan is O(N^2) time, O(block) memory)."""
        if max_variables is not None and self.num_variables > max_variables:
            return None
        count, largest, smallest = 0, 0.0, np.inf
        for start, stop in self.row_blocks():
            block = self.coupling_rows(start, stop)
            vals = np.abs(block[_upper(block, start)])
            vals = vals[vals > 0]
            if vals.size:
                count += int(vals.size)
                largest = max(largest, float(vals.max()))
                smallest = min(smallest, float(vals.min()))
        return count, largest, smallest


def _upper(block: np.ndarray, start: int) -> np.ndarray:
    """Mask of a row block's strict upper-triangle entries (column > global row)."""
    rows = np.arange(block.shape[0])[:, None] + start
    return np.arange(block.shape[1])[None, :] > rows
