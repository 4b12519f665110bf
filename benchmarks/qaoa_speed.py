"""Seconds per QAOA expectation value: the qiskit-aer path vs qaoa-fast, and the XY subspace simulator.

    python benchmarks/qaoa_speed.py [--qubits 12 16 20] [--reps 1 3] [--xy-qubits 16 20 24 26]

(a) qiskit-aer, three ways: the ``qaoa`` solver's own cost per optimiser evaluation (QAOA in
    qiskit-algorithms on Aer's SamplerV2, 1024 shots); a bare SamplerV2.run of the ansatz
    transpiled once, with the energy averaged over the counts (the leanest Aer path); and Aer's
    EstimatorV2 (exact expectation).
(b) qaoa-fast: ``QAOASimulator.expectation`` on the full 2^n space (X mixer; numba kernels when
    installed); the one-off energy precomputation is listed separately. Its value is checked
    against Aer's exact EstimatorV2 value (1e-9) at the measured angles.
(c) XY subspace: ``QAOASimulator`` on the C(n, n/2) Hamming-weight states, ring mixer, p = 2.
(d) ``--ranked N:K ...`` (e.g. 31:10, port1 selection-only with K = 10): the subspace indexed by
    combinatorial ranking at real-instance size, on the OR-Library set with N assets when there
    is one (else synthetic): setup (masks and energies), seconds per layer (an expectation at
    p = 1), per adjoint gradient, and peak RSS; and the largest (n, K) whose simulation fits in
    8 GiB (56 bytes per amplitude: state, adjoint, energies, probabilities, masks).
Selection-only synthetic instances (one qubit per asset). Steady-state medians: each method runs
several times in a row per round (as in an optimiser loop), rounds alternate between methods so
that the shared machine's noise hits all alike.
Targets (issue 3): (b) >= 20x faster than (a) at 16 and 20 qubits; (c) < 0.5 s at n = 20 and n = 26
within 24 GiB.
"""

from __future__ import annotations

import os

# Aer's OpenMP threads otherwise busy-wait after each run and steal the cores from the next
# measurement (it tripled qaoa-fast's times at 16 qubits when interleaved); set before any import.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import math
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json

import qportfolio as qp
from qportfolio.qaoa import Basis, QAOASimulator
from qportfolio.qaoa.energies import basis_energies

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


def aer_evaluators(qubo, reps: int, energies: np.ndarray):
    """(sampler evaluation, estimator evaluation) callables for Qiskit Aer on the transpiled ansatz."""
    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_aer import AerSimulator
    from qiskit_aer.primitives import EstimatorV2, SamplerV2

    from qportfolio.formulations.qiskit import to_ising
    from qportfolio.qaoa.circuits import qaoa_ansatz

    op, offset = to_ising(qubo)
    ansatz = qaoa_ansatz(qubo, reps)
    pm = generate_preset_pass_manager(optimization_level=1, backend=AerSimulator(), seed_transpiler=1)
    measured = pm.run(ansatz.measure_all(inplace=False))
    sampler = SamplerV2(default_shots=1024, seed=1)
    plain = pm.run(ansatz)
    estimator = EstimatorV2(options={"run_options": {"seed": 1}, "backend_options": {"method": "statevector"}})
    layout_op = op.apply_layout(plain.layout)

    def sample_once(params: np.ndarray) -> float:
        counts = sampler.run([(measured, params)]).result()[0].data.meas.get_int_counts()
        keys = np.fromiter(counts.keys(), dtype=np.int64)
        vals = np.fromiter(counts.values(), dtype=float)
        return float(vals @ energies[keys] / vals.sum())

    def estimate_once(params: np.ndarray) -> float:
        return float(estimator.run([(plain, layout_op, params)], precision=0.0).result()[0].data.evs) + offset

    return sample_once, estimate_once


def solver_seconds_per_evaluation(problem, reps: int, params: np.ndarray) -> float:
    """The qaoa solver's own cost per optimiser evaluation (QAOA in qiskit-algorithms on Aer),
    from two runs of different length so that transpilation and the final sampling cancel out."""
    runs = []
    for maxiter in (5, 25):
        t0 = time.perf_counter()
        r = qp.solve(problem, "qaoa", reps=reps, maxiter=maxiter, initial_point=params, seed=1)
        runs.append((time.perf_counter() - t0, r.info["optimizer_evaluations"]))
    (t1, e1), (t2, e2) = runs
    return (t2 - t1) / max(e2 - e1, 1)


def interleaved_medians(fns: dict, params: np.ndarray, rounds: int, block: int = 5) -> dict[str, float]:
    """Steady-state seconds per call of each callable: in each round every callable runs ``block``
    times in a row (as inside an optimiser loop) and its block median is kept; the result is the
    median over rounds, which alternate between callables so that machine noise hits all alike."""
    per_round: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():
        fn(params)  # warm-up (compilation, transpiled-circuit caches)
    for _ in range(rounds):
        for key, fn in fns.items():
            times = []
            for _ in range(block):
                t0 = time.perf_counter()
                fn(params)
                times.append(time.perf_counter() - t0)
            per_round[key].append(statistics.median(times))
    return {k: statistics.median(v) for k, v in per_round.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--qubits", nargs="+", type=int, default=[12, 16, 20])
    parser.add_argument("--reps", nargs="+", type=int, default=[1, 3])
    parser.add_argument("--xy-qubits", nargs="+", type=int, default=[16, 20, 24, 26])
    parser.add_argument("--repeat", type=int, default=5, help="alternating rounds per measurement")
    parser.add_argument("--ranked", nargs="*", default=[], metavar="N:K",
                        help="(d) real-size subspaces, e.g. 31:10; only these when --only-ranked")
    parser.add_argument("--only-ranked", action="store_true", help="skip (a)-(c)")
    args = parser.parse_args()
    if args.only_ranked:
        ranked_rows(args.ranked)
        return
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
            sample_once, estimate_once = aer_evaluators(qubo, reps, energies)
            m = interleaved_medians({"aer_sampler": sample_once, "aer_estimator": estimate_once, "fast": sim.expectation},
                                    params, args.repeat)
            assert abs(estimate_once(params) - sim.expectation(params)) < 1e-9 * max(1.0, abs(sim.expectation(params)))
            in_solver = solver_seconds_per_evaluation(problem, reps, params)
            rows.append({"table": "x", "qubits": n, "reps": reps, "aer_sampler_s": m["aer_sampler"],
                         "solver_eval_s": in_solver, "speedup_vs_solver": in_solver / m["fast"],
                         "aer_estimator_s": m["aer_estimator"], "fast_s": m["fast"],
                         "speedup_vs_sampler": m["aer_sampler"] / m["fast"],
                         "speedup_vs_estimator": m["aer_estimator"] / m["fast"], "precompute_s": precompute})
            print(f"n={n} p={reps}: aer sampler {m['aer_sampler']:.4f}s estimator {m['aer_estimator']:.4f}s "
                  f"fast {m['fast']:.5f}s", flush=True)
    print()
    x_table = print_table([r for r in rows if r["table"] == "x"], [
        ("qubits", "qubits", "d"), ("reps", "p", "d"), ("solver_eval_s", "qaoa solver s/eval", ".4f"),
        ("aer_sampler_s", "Aer SamplerV2 s/eval", ".4f"),
        ("aer_estimator_s", "Aer EstimatorV2 s/eval", ".4f"), ("fast_s", "qaoa-fast s/eval", ".5f"),
        ("speedup_vs_solver", "speed-up vs solver", ".0f"), ("speedup_vs_sampler", "vs bare sampler", ".0f"),
        ("speedup_vs_estimator", "vs estimator", ".0f"),
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
        per_eval = median_time(lambda s=sim, x=params: s.expectation(x), 3 if n < 26 else 2)
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
    if args.ranked:
        ranked_rows(args.ranked)


def ranked_rows(specs: list[str]) -> None:
    """(d): the ranked subspace at real size, and the largest (n, K) that fits in 8 GiB."""
    from qportfolio.data.orlib import ORLIB_SETS

    sizes = {qp.load_orlib(name).n: name for name in ORLIB_SETS}
    rows = []
    for spec in specs:
        n, k = (int(v) for v in spec.split(":"))
        source = sizes.get(n)
        problem = (qp.load_orlib(source, cardinality=k) if source else qp.synthetic_problem(n, seed=n, cardinality=k)
                   ).selection_only_variant()
        qubo = qp.encode(problem)
        t0 = time.perf_counter()
        basis = Basis.hamming(n, k, 8 * GIB)
        energies = basis_energies(qubo, basis.masks)
        sim = QAOASimulator(energies, basis, "xy-ring")
        setup = time.perf_counter() - t0
        params = params_for(1, float(np.std(energies)), seed=n)
        layer = median_time(lambda s=sim, x=params: s.expectation(x), 3)
        gradient = median_time(lambda s=sim, x=params: s.expectation_and_gradient(x), 2)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        rows.append({"instance": source or f"synthetic-{n}", "n": n, "k": k, "states": basis.size,
                     "estimate_gib": Basis.required_bytes(n, k) / GIB, "setup_s": setup, "layer_s": layer,
                     "gradient_s": gradient, "peak_rss_gib": peak})
        print(f"ranked n={n} K={k}: {layer:.2f} s per layer, {gradient:.2f} s per gradient, peak {peak:.2f} GiB", flush=True)
        del sim, basis, energies
    print()
    table = print_table(rows, [("instance", "instance", "s"), ("n", "n", "d"), ("k", "K", "d"), ("states", "C(n,K)", ",d"),
                               ("estimate_gib", "estimate GiB", ".2f"), ("setup_s", "setup s", ".1f"),
                               ("layer_s", "s per layer (p=1, ring)", ".2f"), ("gradient_s", "s per gradient", ".2f"),
                               ("peak_rss_gib", "peak RSS GiB", ".2f")])
    fits = []
    for k in (5, 10, 15, 20):
        n = k
        while Basis.required_bytes(n + 1, k) <= 8 * GIB:
            n += 1
        fits.append({"k": k, "n": n, "states": math.comb(n, k), "gib": Basis.required_bytes(n, k) / GIB})
    print()
    fit_table = print_table(fits, [("k", "K", "d"), ("n", "largest n in 8 GiB", "d"), ("states", "C(n,K)", ",d"),
                                   ("gib", "GiB", ".2f")])
    write_json("qaoa_speed_ranked", rows + fits, {"specs": specs, "table": table, "fit_table": fit_table})


if __name__ == "__main__":
    main()
