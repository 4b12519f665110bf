"""QUBO formulations on the OR-Library: encodings × penalty strategies × samplers at equal time budgets.

    python benchmarks/qubo_formulations.py [--configs NAME ...] [--sets ...] [--lambdas 0.1 0.5 0.9]
                                           [--budgets 1 10] [--seeds 2] [--workers 2] [--plots DIR]
    python benchmarks/qubo_formulations.py --list

Points: port1-port5, K = 10, weights on a 0.05 grid with minimum 0.05; gaps are taken to SCIP's
exact-discrete answer cached by ``benchmarks/orlib_references.py`` (computed here when missing;
a point SCIP did not prove is flagged). Every configuration gets the same wall-time budget per
run (``time_budget``: the whole solve since 2026-12-03, pilots of the tuned strategy included;
with ``patience`` a run may end earlier), except the
``baseline`` row: today's default SA (binary, calibrated, 20 reads × 1 000 sweeps).

Raw figures are the sampler's own best decoded feasible sample (repair and polish off). The
runs are made with ``polish=True`` so that the hybrid figure ("+polish" rows, labelled) comes
from the same samples; polishing happens after sampling and does not touch the raw figures.

Per configuration and budget the table gives: median raw gap over the points, worst point's
gap, the mean wall time per run (a backend whose calls cannot be interrupted, e.g. kerberos's
full-problem SA branch, overruns its budget: read this column), P(optimum) (share of runs whose
raw best is within 1e-9 relative of the proven optimum),
the mean feasible fraction of samples, and TTS99 = budget · ln(0.01)/ln(1 - P) (∞ when P = 0).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json
from orlib_references import load_references, orlib_point, reference

import qportfolio as qp

SOLVER_OPTIONS: dict[str, dict[str, Any]] = {
    "sa": {"num_reads": 1, "num_sweeps": 1000},
    "tabu-restarts": {},
    "tabu-structured": {},
    "kerberos": {},
    "pt": {},
    "sqa": {"num_reads": 1},
}
ENCODINGS = ("binary", "unary", "domain-wall", "bounded-coefficient:4")
STRATEGIES = ("calibrated", "tuned")
PATIENCE = (20, 50, 100, 200)
OPT_TOL = 1e-9


def configurations() -> dict[str, tuple[str, dict[str, Any]]]:
    """name -> (solver, options without the time budget); 'baseline' has no budget."""
    configs: dict[str, tuple[str, dict[str, Any]]] = {
        "baseline": ("sa", {"num_reads": 20, "num_sweeps": 1000, "encoding": "binary"}),
    }
    for solver, opts in SOLVER_OPTIONS.items():
        for encoding in ENCODINGS:
            for strategy in STRATEGIES:
                configs[f"{solver}/{encoding}/{strategy}"] = (solver, {**opts, "encoding": encoding,
                                                                        "penalty_strategy": strategy})
    for patience in PATIENCE:  # the stopping rule: calls in a row without a lower energy
        configs[f"tabu-structured/domain-wall/calibrated/patience{patience}"] = (
            "tabu-structured", {"encoding": "domain-wall", "penalty_strategy": "calibrated", "patience": patience})
    configs["qubo"] = ("qubo", {})  # the default as registered (its own stopping rule)
    return configs


def run_one(job: tuple[str, str, float, float | None, int, bool]) -> dict[str, Any]:
    config, name, lam, budget, seed, polish = job
    solver, options = configurations()[config]
    problem = orlib_point(name, lam)
    opts = dict(options, seed=seed, polish=polish)
    if config != "baseline":
        opts["time_budget"] = budget
    start = time.perf_counter()
    r = qp.solve(problem, solver, **opts)
    info = r.info
    return {"config": config, "set": name, "lambda": lam, "budget": budget, "seed": seed, "fingerprint": problem.fingerprint,
            "raw": info.get("raw_best_objective"), "polished": info.get("polished_best_objective"),
            "feasible_fraction": info.get("feasible_fraction"), "num_samples": info.get("num_samples"),
            "num_variables": info.get("num_variables"), "coefficient_ratio": info.get("coefficient_ratio"),
            "chosen_scale": (info.get("penalty_tuning") or {}).get("chosen_scale"),
            "sample_seconds": info.get("sample_seconds"), "seconds": time.perf_counter() - start,
            "batches": info.get("batches"), "stopped_by": info.get("stopped_by"),
            "best_energy_seconds": info.get("best_energy_seconds")}


def gap(value: float | None, optimum: float) -> float:
    return math.inf if value is None else (value - optimum) / abs(optimum)


def summarise(rows: list[dict[str, Any]], refs: dict[str, dict]) -> list[dict[str, Any]]:
    out = []
    keys = sorted({(r["config"], r["budget"] or 0.0) for r in rows}, key=lambda k: (k[1], k[0]))
    for config, budget in keys:
        group = [r for r in rows if r["config"] == config and (r["budget"] or 0.0) == budget]
        for label, field in (("raw", "raw"), ("+polish", "polished")):
            if all(r[field] is None for r in group) and label == "+polish":
                continue
            gaps_by_point: dict[tuple, list[float]] = {}
            for r in group:
                gaps_by_point.setdefault((r["set"], r["lambda"]), []).append(gap(r[field], refs[r["fingerprint"]]["objective"]))
            point_medians = [statistics.median(g) for g in gaps_by_point.values()]
            all_gaps = [g for gs in gaps_by_point.values() for g in gs]
            p_opt = sum(g <= OPT_TOL for g in all_gaps) / len(all_gaps)
            seconds = statistics.mean(r["seconds"] for r in group)
            tts = (seconds * math.log(0.01) / math.log(1 - p_opt) if 0 < p_opt < 1 else seconds if p_opt == 1 else math.inf)
            out.append({"config": config if label == "raw" else f"{config} +polish", "budget": budget or None,
                        "median_gap_pct": 100 * statistics.median(point_medians),
                        "worst_gap_pct": 100 * max(point_medians), "p_opt": p_opt,
                        "feasible": statistics.mean(r["feasible_fraction"] or 0.0 for r in group),
                        "tts99": tts, "runs": len(all_gaps), "seconds": seconds,
                        **{f"{s}_gap_pct": 100 * statistics.median([statistics.median(g) for (ps, _), g in gaps_by_point.items()
                                                                     if ps == s])
                           for s in sorted({p for p, _ in gaps_by_point})}})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", nargs="+", help="configuration names (default: all; see --list)")
    parser.add_argument("--sets", nargs="+", default=["port1", "port2", "port3", "port4", "port5"])
    parser.add_argument("--lambdas", nargs="+", type=float, default=[0.1, 0.5, 0.9])
    parser.add_argument("--budgets", nargs="+", type=float, default=[1.0, 10.0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reference-time-limit", type=float, default=240.0)
    parser.add_argument("--name", default="qubo_formulations", help="output name under benchmarks/out/")
    parser.add_argument("--plots", help="folder for the gap and P(optimum) plots")
    parser.add_argument("--no-polish", action="store_true", help="skip the +polish rows (saves the local search time)")
    parser.add_argument("--list", action="store_true", help="list the configuration names and exit")
    args = parser.parse_args()
    configs = configurations()
    if args.list:
        print("\n".join(configs))
        return
    chosen = args.configs or list(configs)
    unknown = [c for c in chosen if c not in configs]
    if unknown:
        parser.error(f"unknown configuration(s) {unknown}; see --list")
    refs = load_references()
    for name in args.sets:
        for lam in args.lambdas:
            reference(orlib_point(name, lam), args.reference_time_limit, refs)
    jobs = [(c, s, lam, b, seed, not args.no_polish)
            for b in args.budgets for c in chosen for s in args.sets for lam in args.lambdas
            for seed in range(1, args.seeds + 1) if not (c == "baseline" and b != args.budgets[0])]
    print(f"{len(jobs)} runs on {args.workers} workers", flush=True)
    rows = []
    with ProcessPoolExecutor(args.workers) as pool:
        for row in pool.map(run_one, jobs):
            rows.append(row)
            print(f"{row['config']:<44} {row['set']} λ={row['lambda']} budget={row['budget']} seed={row['seed']}: "
                  f"raw gap {100 * gap(row['raw'], refs[row['fingerprint']]['objective']):.2f} %", flush=True)
    unproven = sorted({(refs[r["fingerprint"]]["problem"]) for r in rows if refs[r["fingerprint"]]["status"] != "optimal"})
    table = summarise(rows, refs)
    print()
    sets = sorted({r["set"] for r in rows})
    print_table(table, [("config", "configuration", ""), ("budget", "budget s", "g"), ("median_gap_pct", "median gap %", ".2f"),
                        *[(f"{s}_gap_pct", f"{s} %", ".2f") for s in sets],
                        ("worst_gap_pct", "worst point %", ".2f"), ("p_opt", "P(opt)", ".2f"), ("feasible", "feasible", ".2f"),
                        ("tts99", "TTS99 s", ".3g"), ("seconds", "mean wall s", ".1f"), ("runs", "runs", "d")])
    if unproven:
        print(f"\nreference not proven optimal (gap taken to SCIP's best solution): {', '.join(unproven)}")
    write_json(args.name, rows, {**vars(args), "summary": table})
    if args.plots:
        plot(table, Path(args.plots))


def plot(table: list[dict[str, Any]], folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    raw = [t for t in table if not t["config"].endswith("+polish")]
    for metric, label in (("median_gap_pct", "median raw gap to the proven optimum (%)"), ("p_opt", "P(optimum), raw")):
        for budget in sorted({t["budget"] or 0 for t in raw}):
            rows = sorted((t for t in raw if (t["budget"] or 0) == budget), key=lambda t: t[metric])
            fig, ax = plt.subplots(figsize=(8, 0.25 * len(rows) + 1.5))
            ax.barh([t["config"] for t in rows], [min(t[metric], 100) for t in rows])
            ax.set_xlabel(label)
            ax.set_title(f"OR-Library port1-5, K=10, step 0.05; budget {budget or 'none'} s")
            fig.tight_layout()
            fig.savefig(folder / f"{metric}_{budget:g}s.png", dpi=120)
            plt.close(fig)
    print(f"plots in {folder}")


if __name__ == "__main__":
    main()
