"""Run the built-in ``orlib`` suite (port1..port5, K = 10, five risk aversions; SA, SA+polish and tabu
against SCIP's exact-discrete and exact-continuous optima) with 2 worker processes, then print the
summary table and write the full report.

    python benchmarks/orlib_suite.py [--db benchmarks/out/orlib.sqlite] [--workers 2] [--out benchmarks/out/orlib_report]

Resumable: rerunning skips the jobs already in the database.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT_DIR

from qportfolio.bench import load_suite, run_suite, write_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=str(OUT_DIR / "orlib.sqlite"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(OUT_DIR / "orlib_report"))
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    suite = load_suite("orlib")
    t0 = time.perf_counter()
    summary = run_suite(suite, args.db, workers=args.workers, data_dir=args.data_dir, progress="lines")
    elapsed = time.perf_counter() - t0
    print(f"\nsuite orlib: {summary.total} jobs, {summary.done} run now, {summary.skipped} already done, "
          f"{summary.failed} failed; this run took {elapsed:.0f} s with {args.workers} workers\n")
    report = write_report(args.db, args.out, data_dir=args.data_dir)
    print(report["table"])
    print("\nby instance:\n")
    print(report["instance_table"])
    print(f"\nreport: {args.out}")


if __name__ == "__main__":
    main()
