"""Encoding time and QUBO size for the OR-Library sets at several weight steps.

    python benchmarks/encode_speed.py [--sets port1 port5] [--steps 0.1 0.05 0.01] [--repeat 3]

Target (issue 2): port5 (225 assets) with weight_step 0.01 encodes in under 1 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json

import qportfolio as qp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=["port1", "port2", "port3", "port4", "port5"])
    parser.add_argument("--steps", nargs="+", type=float, default=[0.1, 0.05, 0.02, 0.01])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many encodings")
    args = parser.parse_args()
    rows = []
    for name in args.sets:
        for step in args.steps:
            problem = qp.load_orlib(name, cardinality=args.k, weight_step=step, min_weight=step)
            times, qubo = [], None
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                qubo = qp.encode(problem)
                times.append(time.perf_counter() - t0)
            rows.append({
                "set": name, "n": problem.n, "step": step, "variables": qubo.num_variables,
                "interactions": qubo.num_interactions, "encode_s": min(times),
                "penalty": qubo.penalties.cardinality,
                "relax_gap": qubo.calibration.upper_bound - qubo.calibration.lower_bound,
            })
    print_table(rows, [("set", "set", ""), ("n", "n", "d"), ("step", "step", "g"), ("variables", "variables", "d"),
                       ("interactions", "interactions", ",d"), ("encode_s", "encode s (best)", ".3f"),
                       ("penalty", "penalty A=B=C", ".3g"), ("relax_gap", "F_up − D", ".3g")])
    write_json("encode_speed", rows, vars(args))


if __name__ == "__main__":
    main()
