"""Seconds per QAOA expectation value: the qiskit-aer path vs qaoa-fast, and the XY subspace simulator.

    python benchmarks/qaoa_speed.py [--qubits 12 16 20] [--reps 1 3] [--xy-qubits 16 20 24 26]

(a) qiskit-aer: the QAOA ansatz transpiled once for AerSimulator, then per evaluation
    SamplerV2.run (1024 shots) and the energy average over the counts — what one cost-function
    evaluation inside qiskit-algorithms' QAOA costs; and Aer's EstimatorV2 (exact expectation).
(b) qaoa-fast: ``QAOASimulator.expectation`` on the full 2^n space (X mixer); the one-off energy
    precomputation is listed separately.
(c) XY subspace: ``QAOASimulator`` on the C(n, n/2) Hamming-weight states, ring mixer, p = 2.
Selection-only synthetic instances (one qubit per asset). Median of several runs.
Targets (issue 3): (b) >= 20x faster than (a) at 16 and 20 qubits; (c) < 0.5 s at n = 20 and n = 26
within 24 GiB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json  # noqa: E402

import qportfolio as qp  # noqa: E402
from qportfolio.qaoa import Basis, QAOASimulator  # noqa: E402
from qportfolio.qaoa.energies import basis_energies  # noqa: E402

GIB = 1 << 30


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def params_for(reps: int, sigma: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.uniform(-1, 1, reps), rng.uniform(-1, 1, reps) / sigma])


def aer_times(qubo, reps: int, params: np.ndarray, energies: np.ndarray, repeat: int) -> tuple[float, float]:
    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_aer import AerSimulator
    from qiskit_aer.primitives import EstimatorV2, SamplerV2

    from qportfolio.export import to_ising
    from qportfolio.qaoa.circuits import qaoa_ansatz

    op, offset = to_ising(qubo)
    ansatz = qaoa_ansatz(qubo, reps)
    pm = generate_preset_pass_manager(optimization_level=1, backend=AerSimulator(), seed_transpiler=1)
    measured = pm.run(ansatz.measure_all(inplace=False))
    sampler = SamplerV2(default_shots=1024, seed=1)

    def sample_once() -> float:
        counts = sampler.run([(measured, params)]).result()[0].data.meas.get_int_counts()
        keys = np.fromiter(counts.keys(), dtype=np.int64)
        vals = np.fromiter(counts.values(), dtype=float)
        return float(vals @ energies[keys] / vals.sum())

    plain = pm.run(ansatz)
    estimator = EstimatorV2(options={"run_options": {"seed": 1}, "backend_options": {"method": "statevector"}})
    layout_op = op.apply_layout(plain.layout)

    def estimate_once() -> float:
        return float(estimator.run([(plain, layout_op, params)], precision=0.0).result()[0].data.evs) + offset

    sample_once()
    estimate_once()
    return median_time(sample_once, repeat), median_time(estimate_once, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--qubits", nargs="+", type=int, default=[12, 16, 20])
    parser.add_argument("--reps", nargs="+", type=int, default=[1, 3])
    parser.add_argument("--xy-qubits", nargs="+", type=int, default=[16, 20, 24, 26])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for n in args.qubits:
        problem = qp.synthetic_problem(n, seed=n, cardinality=n // 2).selection_only_variant()
        qubo = qp.encode(problem)
        basis = Basis.full(n, 8 * GIB)
        t0 = time.perf_counter()
        energies = basis_energies(qubo, basis.masks)
        precompute = time.perf_counter() - t0
        sim = QAOASimulator(energies, basis, "x")
        for reps in args.reps:
            params = params_for(reps, float(np.std(energies)), seed=n + reps)
            fast = median_time(lambda: sim.expectation(params), args.repeat)
            aer_sampler, aer_estimator = aer_times(qubo, reps, params, energies, max(3, args.repeat // 2))
            rows.append({"table": "x", "qubits": n, "reps": reps, "aer_sampler_s": aer_sampler, "aer_estimator_s": aer_estimator,
                         "fast_s": fast, "speedup_vs_sampler": aer_sampler / fast, "speedup_vs_estimator": aer_estimator / fast,
                         "precompute_s": precompute})
            print(f"n={n} p={reps}: aer sampler {aer_sampler:.4f}s estimator {aer_estimator:.4f}s fast {fast:.5f}s", flush=True)
    print()
    x_table = print_table([r for r in rows if r["table"] == "x"], [
        ("qubits", "qubits", "d"), ("reps", "p", "d"), ("aer_sampler_s", "Aer SamplerV2 s/eval", ".4f"),
        ("aer_estimator_s", "Aer EstimatorV2 s/eval", ".4f"), ("fast_s", "qaoa-fast s/eval", ".5f"),
        ("speedup_vs_sampler", "speed-up vs sampler", ".0f"), ("speedup_vs_estimator", "vs estimator", ".0f"),
        ("precompute_s", "energies once s", ".3f")])
    xy_rows = []
    for n in args.xy_qubits:
        problem = qp.synthetic_problem(n, seed=n, cardinality=n // 2).selection_only_variant()
        qubo = qp.encode(problem)
        t0 = time.perf_counter()
        basis = Basis.hamming(n, n // 2, 20 * GIB)
        energies = basis_energies(qubo, basis.masks)
        sim = QAOASimulator(energies, basis, "xy-ring")
        params = params_for(2, float(np.std(energies)), seed=n)
        sim.expectation(params)  # builds the edge index pairs
        setup = time.perf_counter() - t0
        per_eval = median_time(lambda: sim.expectation(params), 3 if n < 26 else 2)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # GiB (ru_maxrss is KiB on Linux)
        xy_rows.append({"table": "xy", "n": n, "k": n // 2, "states": basis.size, "setup_s": setup, "expectation_s": per_eval,
                        "peak_rss_gib": peak})
        print(f"XY n={n}: {per_eval:.3f}s per expectation, peak RSS {peak:.2f} GiB", flush=True)
        del sim, basis, energies
    print()
    xy_table = print_table(xy_rows, [("n", "n", "d"), ("k", "K", "d"), ("states", "C(n,K) states", ",d"),
                                     ("setup_s", "setup s", ".2f"), ("expectation_s", "s per expectation (p=2, ring)", ".3f"),
                                     ("peak_rss_gib", "peak RSS GiB (process)", ".2f")])
    write_json("qaoa_speed", rows + xy_rows, {**vars(args), "x_table": x_table, "xy_table": xy_table})


if __name__ == "__main__":
    main()
