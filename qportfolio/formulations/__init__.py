"""Formulations: the problem translated into a solver's form and back, in convert/interpret pairs
(qiskit-optimization's converters, cvxpy's reductions).

Every module has ``build(problem, ...) -> Model``, and every model keeps the one protocol
:class:`Formulation` (:mod:`.protocol`): ``problem`` and ``weights(solution)``, the way back to
portfolio weights. Each builds its objective from the one definition
on the problem (:meth:`~qportfolio.problem.PortfolioProblem.objective_coefficients`: f in grid
units), so every form's value agrees with ``problem.objective`` on every feasible point.

========================  ================================  =========================================
module                    model                             solved by
========================  ================================  =========================================
:mod:`.qubo`              ``QuboModel`` (a dimod BQM,       every QUBO solver (annealers, tabu, QAOA,
                          penalties certified)              the QPU); ``qp.encode`` is its ``build``
:mod:`.cqm`               ``CqmModel`` (a dimod CQM,        Leap's hybrid CQM solver, dimod's
                          constraints kept)                 ``ExactCQMSolver``
:mod:`.qiskit`            ``QuadraticProgramModel`` (a      qiskit-optimization's algorithms and
                          ``QuadraticProgram``)             converters; the QUBO as a program/Ising
:mod:`.miqp`              ``ScipModel`` (pyscipopt)         SCIP, for the exact baselines
:mod:`.gurobi_miqp`       ``GurobiModel`` (gurobipy)        Gurobi (``engine=gurobi``), the same baselines
========================  ================================  =========================================

Backends call these; they do not rebuild them.
"""

from .protocol import Formulation

__all__ = ["Formulation"]
