"""Seconds to compute a 50-point efficient frontier (long-only; and with box + group constraints)
for 4 to 20 assets. Target (issue 6): under 2 s.

    python benchmarks/frontier_speed.py [--points 50]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json

from qportfolio.classic import Constraints, Group, efficient_frontier
from qportfolio.data import synthetic_problem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=50)
    args = parser.parse_args()
    mu, cov, assets = _market(4)
    efficient_frontier(mu, cov, points=5, assets=assets)  # warm-up: imports and cvxpy's first compile
    rows = []
    for n in (4, 8, 12, 16, 20):
        mu, cov, assets = _market(n)
        sets = {"long-only": Constraints(),
                "box + groups": Constraints(upper=0.4, groups=(Group("first-half", assets[: n // 2], cap=0.6),))}
        for label, c in sets.items():
            t0 = time.perf_counter()
            f = efficient_frontier(mu, cov, constraints=c, points=args.points, risk_free=0.0, assets=assets)
            rows.append({"n": n, "constraints": label, "points": len(f.returns), "seconds": time.perf_counter() - t0})
    print_table(rows, [("n", "assets", "d"), ("constraints", "constraints", "s"), ("points", "points", "d"),
                       ("seconds", "seconds", ".3f")])
    write_json("frontier_speed", rows, {"points": args.points})


def _market(n: int):
    p = synthetic_problem(n, seed=1)
    return p.expected_returns, p.covariance, p.assets


if __name__ == "__main__":
    main()
