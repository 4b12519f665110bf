"""QAOA quality against depth: standard (X) vs XY-mixer ansatz on selection-only instances.

    python benchmarks/qaoa_quality.py [--sizes 8 10 12 14 16] [--instances 5] [--max-reps 5]

For each size n (K = n // 2 unless --k) and instance seed, ``qaoa-fast`` with the INTERP strategy
is run at depths 1..max-reps for the X mixer (full 2^n space, |+> start) and the XY mixers
(Dicke start, Hamming-weight-K subspace). Reported from the exact final distribution: probability
of sampling the optimum (feasible, lowest objective), feasible probability, and the approximation
ratio over feasible outcomes. Prints the mean per (n, mixer, p), writes JSON and a PNG plot to
benchmarks/out/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT_DIR, print_table, write_json

import qportfolio as qp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=int, default=[8, 10, 12, 14, 16])
    parser.add_argument("--k", type=int, default=None, help="cardinality (default n // 2)")
    parser.add_argument("--instances", type=int, default=5)
    parser.add_argument("--max-reps", type=int, default=5)
    parser.add_argument("--mixers", nargs="+", default=["x", "xy-ring", "xy-complete"])
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        k = args.k or n // 2
        for seed in range(args.instances):
            problem = qp.synthetic_problem(n, seed=seed, cardinality=k).selection_only_variant()
            for mixer in args.mixers:
                for reps in range(1, args.max_reps + 1):
                    r = qp.solve(problem, "qaoa-fast", reps=reps, mixer=mixer, strategy="interp", seed=seed, shots=256)
                    rows.append({"n": n, "k": k, "seed": seed, "mixer": mixer, "reps": reps,
                                 "p_opt": r.info["optimum_probability"], "p_feasible": r.info["feasible_probability"],
                                 "ratio": r.info["approximation_ratio"], "fingerprint": problem.fingerprint})
            print(f"n={n} seed={seed} done", flush=True)
    summary = []
    for n in args.sizes:
        for mixer in args.mixers:
            for reps in range(1, args.max_reps + 1):
                sel = [r for r in rows if r["n"] == n and r["mixer"] == mixer and r["reps"] == reps]
                summary.append({"n": n, "mixer": mixer, "reps": reps,
                                "p_opt": float(np.mean([r["p_opt"] for r in sel])),
                                "p_feasible": float(np.mean([r["p_feasible"] for r in sel])),
                                "ratio": float(np.mean([r["ratio"] for r in sel]))})
    print()
    table = print_table(summary, [("n", "n", "d"), ("mixer", "mixer", ""), ("reps", "p", "d"),
                                  ("p_opt", "P(optimum)", ".4f"), ("p_feasible", "P(feasible)", ".3f"),
                                  ("ratio", "approx. ratio (feasible)", ".3f")])
    plot(summary, args)
    write_json("qaoa_quality", rows, {**vars(args), "summary": summary, "table": table})


def plot(summary: list[dict], args: argparse.Namespace) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    styles = {"x": "-", "xy-ring": "--", "xy-complete": ":"}
    colors = plt.cm.viridis(np.linspace(0, 0.9, len(args.sizes)))
    for color, n in zip(colors, args.sizes, strict=True):
        for mixer in args.mixers:
            sel = [s for s in summary if s["n"] == n and s["mixer"] == mixer]
            reps = [s["reps"] for s in sel]
            axes[0].plot(reps, [s["p_opt"] for s in sel], styles[mixer], color=color, marker="o", ms=3, label=f"n={n}, {mixer}")
            axes[1].plot(reps, [s["ratio"] for s in sel], styles[mixer], color=color, marker="o", ms=3)
    axes[0].set_yscale("log")
    axes[0].set_xlabel("QAOA depth p")
    axes[0].set_ylabel("probability of sampling the optimum")
    axes[1].set_xlabel("QAOA depth p")
    axes[1].set_ylabel("approximation ratio over feasible outcomes")
    axes[0].set_title("Selection-only QAOA: optimum probability")
    axes[1].set_title("Approximation ratio (1 = optimum)")
    axes[0].legend(fontsize=7, ncol=2)
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.set_xticks(range(1, args.max_reps + 1))
    fig.tight_layout()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / "qaoa_quality.png"
    fig.savefig(path, dpi=130)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
