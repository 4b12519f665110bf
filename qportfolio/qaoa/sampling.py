"""Pieces shared by the QAOA backends (``qaoa-qiskit``, ``qaoa-numpy``): the mixer check, statistics of a
measured distribution, and sample sets from counts."""

from __future__ import annotations

from typing import Any

import dimod
import numpy as np

from ..errors import ValidationError
from ..formulations.qubo import QuboModel


def check_mixer(mixer: str, qubo: QuboModel) -> None:
    if mixer != "x" and not qubo.problem.selection_only:
        raise ValidationError(
            f"mixer {mixer!r} keeps the number of selected assets fixed and needs the selection-only mode "
            "(equal weights 1/K, one qubit per asset: problem.selection_only_variant(), CLI --selection-only); "
            "use mixer 'x' for weight bits"
        )


def bits_of(masks: np.ndarray, num_qubits: int) -> np.ndarray:
    return ((np.asarray(masks, dtype=np.int64)[:, None] >> np.arange(num_qubits)) & 1).astype(np.int8)


def sampleset_from_counts(qubo: QuboModel, masks: np.ndarray, counts: np.ndarray, info: dict[str, Any]) -> dimod.SampleSet:
    """A dimod SampleSet of measured bitmasks (bit q = layout variable q), energies from our BQM."""
    bits = bits_of(masks, qubo.num_variables)
    labels = list(qubo.layout.labels)
    energies = qubo.bqm.energies((bits, labels))
    return dimod.SampleSet.from_samples((bits, labels), dimod.BINARY, energy=energies,
                                        num_occurrences=np.asarray(counts, dtype=np.int64), info=info)


def distribution_stats(qubo: QuboModel, masks: np.ndarray, prob: np.ndarray, energies: np.ndarray,
                       spectrum: tuple[float, float, float, float] | None = None) -> dict[str, float]:
    """Feasibility, probability of the optimum and approximation ratios of a distribution over ``masks``.

    ``spectrum`` = (lowest, highest energy of the space searched, lowest, highest feasible energy);
    by default taken from ``masks`` themselves (right when they are the whole space). The lowest
    feasible energy is the optimum f*. ``approximation_ratio`` = (f_max - E[f | feasible]) /
    (f_max - f*) over feasible outcomes (comparable across mixers; 1 = always the optimum);
    ``energy_approximation_ratio`` is the same over the whole energy range of the space searched.
    """
    prob = np.asarray(prob, dtype=float)
    prob = prob / prob.sum()
    feasible = qubo.decode(bits_of(masks, qubo.num_variables)).feasible
    if spectrum is None:
        spectrum = (float(energies.min()), float(energies.max()),
                    float(energies[feasible].min()), float(energies[feasible].max()))
    low, high, f_star, f_max = spectrum
    tol = 1e-9 * max(abs(low), abs(high), 1e-300)
    mean = float(prob @ energies)
    p_feasible = float(prob[feasible].sum())
    mean_feasible = float(prob[feasible] @ energies[feasible] / p_feasible) if p_feasible > 0 else float("nan")

    def ratio(top: float, bottom: float, value: float) -> float:
        return float((top - value) / (top - bottom)) if top > bottom else 1.0

    return {
        "expectation": mean,
        "feasible_probability": p_feasible,
        "optimum_probability": float(prob[feasible & (np.abs(energies - f_star) <= tol)].sum()),
        "approximation_ratio": ratio(f_max, f_star, mean_feasible),
        "energy_approximation_ratio": ratio(high, low, mean),
        "optimum_energy": f_star,
    }
