"""QAOA angle strategies: linear ramp, INTERP extrapolation, multi-start local optimisation.

Angles are optimised in scaled units (beta, gamma * sigma), sigma the spread of the cost energies
under the initial state, so that one set of defaults fits QUBOs of any energy scale.

- ramp: gamma_l = t_l * 0.75 / sigma, beta_l = (1 - t_l) * 0.75 with t_l = (l + 1/2) / p (a
  discretised linear anneal), then L-BFGS-B with adjoint gradients;
- interp (Zhou et al., PRX 2020): optimise p = 1 from the ramp and ``restarts`` random points,
  keep the best, then start depth p + 1 from the linear interpolation of the depth-p optimum, up
  to the requested depth (XY-mixer landscapes are rugged: from the ramp alone INTERP was stuck
  at P(optimum) < 0.01 on some 8-asset instances);
- multistart: the ramp plus ``restarts`` uniformly random starts at the full depth; the best
  local optimum wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

from ..errors import ValidationError
from .simulator import QAOASimulator

STRATEGIES = ("ramp", "interp", "multistart")


@dataclass
class Outcome:
    params: np.ndarray
    value: float
    trace: list[float] = field(default_factory=list)  # expectation at every evaluation, in order
    evaluations: int = 0
    by_depth: dict[int, float] = field(default_factory=dict)  # best expectation reached at each depth


def energy_spread(sim: QAOASimulator) -> float:
    """The energy's standard deviation in the initial state (sets the scale of the angles)."""
    if sim.from_plus:  # uniform: no state-sized temporaries beyond one
        spread = float(np.std(sim.energies))
    else:
        prob = np.abs(sim.initial) ** 2
        mean = prob @ sim.energies
        spread = float(np.sqrt(prob @ (sim.energies - mean) ** 2))
    return spread if spread > 0 else 1.0


def linear_ramp(p: int, sigma: float, delta: float = 0.75) -> np.ndarray:
    t = (np.arange(p) + 0.5) / p
    return np.concatenate([(1.0 - t) * delta, t * delta / sigma])


def interp(params: np.ndarray) -> np.ndarray:
    """INTERP: depth-p angles -> depth-(p+1) starting angles."""
    betas, gammas = QAOASimulator.split(params)
    p = betas.size

    def extend(a: np.ndarray) -> np.ndarray:
        padded = np.concatenate([[0.0], a, [0.0]])
        i = np.arange(1, p + 2)
        return (i - 1) / p * padded[i - 1] + (p - i + 1) / p * padded[i]

    return np.concatenate([extend(betas), extend(gammas)])


def _local(sim: QAOASimulator, start: np.ndarray, sigma: float, maxiter: int, outcome: Outcome) -> tuple[np.ndarray, float]:
    p = start.size // 2
    scale = np.concatenate([np.ones(p), np.full(p, sigma)])

    def fun(z: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = sim.expectation_and_gradient(z / scale)
        outcome.trace.append(value)
        outcome.evaluations += 1
        return value / sigma, grad / scale / sigma

    res = minimize(fun, start * scale, jac=True, method="L-BFGS-B", options={"maxiter": maxiter})
    params = res.x / scale
    return params, sim.objective(params)


def optimize_angles(
    sim: QAOASimulator,
    reps: int,
    *,
    strategy: str = "interp",
    restarts: int = 2,
    maxiter: int = 200,
    initial_point: np.ndarray | None = None,
    rng: np.random.Generator | None = None,
) -> Outcome:
    """Optimised angles for depth ``reps`` by the chosen strategy (see module docstring)."""
    if strategy not in STRATEGIES:
        raise ValidationError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
    rng = rng or np.random.default_rng()
    sigma = energy_spread(sim)
    outcome = Outcome(np.zeros(2 * reps), np.inf)

    def keep(params: np.ndarray, value: float, depth: int) -> None:
        if value < outcome.by_depth.get(depth, np.inf):
            outcome.by_depth[depth] = value
        if depth == reps and value < outcome.value:
            outcome.params, outcome.value = params, value

    if initial_point is not None:
        start = np.asarray(initial_point, dtype=float)
        if start.shape != (2 * reps,):
            raise ValidationError(f"initial_point must have 2 * reps = {2 * reps} entries [betas, gammas]")
        keep(*_local(sim, start, sigma, maxiter, outcome), reps)
        return outcome
    def random_start(depth: int) -> np.ndarray:
        return np.concatenate([rng.uniform(-np.pi / 2, np.pi / 2, depth), rng.uniform(-np.pi, np.pi, depth) / sigma])

    if strategy == "interp":
        # depth 1 from the ramp and `restarts` random points (cheap, and XY landscapes are rugged)
        starts = [linear_ramp(1, sigma)] + [random_start(1) for _ in range(restarts)]
        firsts = [_local(sim, s, sigma, maxiter, outcome) for s in starts]
        params, value = min(firsts, key=lambda pv: pv[1])
        keep(params, value, 1)
        for depth in range(2, reps + 1):
            params, value = _local(sim, interp(params), sigma, maxiter, outcome)
            keep(params, value, depth)
        return outcome
    starts = [linear_ramp(reps, sigma)] + ([random_start(reps) for _ in range(restarts)] if strategy == "multistart" else [])
    for start in starts:
        keep(*_local(sim, start, sigma, maxiter, outcome), reps)
    return outcome
