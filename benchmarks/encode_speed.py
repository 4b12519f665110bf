"""Encoding time, QUBO size and peak memory: the OR-Library sets at several weight steps and
synthetic universes of 500-2 000 assets, in the structured form samplers like ``qubo`` take and,
where asked, as a dimod BQM.

    python benchmarks/encode_speed.py [--sets port1 port5] [--steps 0.05 0.01] [--synthetic 500 1000 2000]
                                      [--encodings domain-wall binary] [--bqm-max 8000] [--repeat 3]

Each row runs in a fresh process, so the peak resident memory (``ru_maxrss``) is that row's; the
"import" column is the same process's peak before encoding (Python, numpy, dimod, qportfolio).
``structure MB`` is what the QUBO holds (O(N + n^2)); ``BQM s`` / ``BQM peak MB`` build the dimod
BQM as well (only up to ``--bqm-max`` variables, the guard's estimate is printed beyond), the
form SA, QAOA, D-Wave and file export need. Before the structured form, encoding built an N x N
dense matrix and its upper triangle first: the "dense (before) GiB" column is that path's
48 bytes per entry. Target (issue 2): port5 at the 0.01 grid encodes in under 1 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json

GIB = 2**30


def measure(source: str, size: float, step: float, encoding: str, k: int, repeat: int, bqm_max: int) -> dict:
    """One row, in this process (called in a child)."""
    import resource

    import qportfolio as qp
    from qportfolio.formulations.qubo import bqm_bytes

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if source == "synthetic":
        problem = qp.synthetic_problem(int(size), seed=1, cardinality=k, weight_step=step, min_weight=step)
    else:
        problem = qp.load_orlib(source, cardinality=k, weight_step=step, min_weight=step)
    times, qubo = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        qubo = qp.encode(problem, encoding=encoding)
        times.append(time.perf_counter() - t0)
    nv = qubo.num_variables
    row = {"problem": source if source != "synthetic" else f"synthetic {int(size)}", "n": problem.n, "step": step,
           "encoding": encoding, "variables": nv, "encode_s": min(times), "structure_mb": qubo.structure.nbytes / 2**20,
           "dense_before_gib": 48.0 * nv * nv / GIB, "import_mb": base}
    row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if nv <= bqm_max:
        t0 = time.perf_counter()
        bqm = qubo.bqm
        row["bqm_s"] = time.perf_counter() - t0
        row["interactions"] = bqm.num_interactions
        row["bqm_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    else:
        row["bqm_estimate_gib"] = bqm_bytes(nv) / GIB
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=["port1", "port2", "port3", "port4", "port5"])
    parser.add_argument("--steps", nargs="+", type=float, default=[0.05, 0.01])
    parser.add_argument("--synthetic", nargs="+", type=int, default=[500, 1000, 2000],
                        help="synthetic universes (0.05 grid)")
    parser.add_argument("--encodings", nargs="+", default=["domain-wall", "binary"])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many encodings")
    parser.add_argument("--bqm-max", type=int, default=8000, help="build the dimod BQM up to this many variables")
    parser.add_argument("--row", help=argparse.SUPPRESS)  # internal: one row in a child process
    args = parser.parse_args()
    if args.row:
        print(json.dumps(measure(*json.loads(args.row))))
        return
    jobs = [(name, 0, step) for name in args.sets for step in args.steps] + [("synthetic", n, 0.05) for n in args.synthetic]
    rows = []
    for source, size, step in jobs:
        for encoding in args.encodings:
            spec = json.dumps([source, size, step, encoding, args.k, args.repeat, args.bqm_max])
            out = subprocess.run([sys.executable, __file__, "--row", spec], capture_output=True, text=True, check=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(rows[-1], file=sys.stderr)
    for r in rows:
        r["bqm"] = (f"{r['bqm_s']:.2f} s, {r['bqm_peak_mb']:,.0f} MB" if "bqm_s" in r
                    else f"not built (~{r['bqm_estimate_gib']:.1f} GiB)")
    print_table(rows, [("problem", "problem", ""), ("n", "n", "d"), ("step", "step", "g"), ("encoding", "encoding", ""),
                       ("variables", "variables", ",d"), ("encode_s", "encode s (best)", ".3f"),
                       ("structure_mb", "structure MB", ".2f"), ("peak_mb", "peak MB", ",.0f"),
                       ("import_mb", "of which imports MB", ",.0f"), ("dense_before_gib", "dense (before) GiB", ".2f"),
                       ("bqm", "dimod BQM (when needed)", "")])
    write_json("encode_speed", rows, vars(args))


if __name__ == "__main__":
    main()
