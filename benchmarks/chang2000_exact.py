"""Wall time of the exact part of the ``chang2000`` suite from an empty database.

    python benchmarks/chang2000_exact.py [--workers 2] [--no-extended]

Runs the built-in suite's references only (its [[solvers]] tables dropped: exact-discrete on the
0.01 grid and exact-continuous with weights in [0.01, 1], 255 points each, 60 s first try, then the
suite's extended second try of the points left unproven) through ``qportfolio bench run`` into a
fresh database, and prints the wall time of each pass, how many references each proved and the
slowest, with the date and the machine. ``--no-extended`` stops after the first pass.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sqlite3
import subprocess
import sys
import time
import tomllib
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT_DIR, print_table, write_json


def exact_only_suite(extended: bool) -> Path:
    data = tomllib.loads(resources.files("qportfolio.bench").joinpath("suites", "chang2000.toml").read_text())
    text = resources.files("qportfolio.bench").joinpath("suites", "chang2000.toml").read_text()
    head = text.split("[[solvers]]")[0]
    if not extended:
        head = "\n".join(ln for ln in head.splitlines() if not ln.startswith(("extended_time_limit", "extended_options")))
    head = head.replace('name = "chang2000"', 'name = "chang2000-exact"')
    assert data["references"]["discrete"] and data["references"]["continuous"]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / "chang2000_exact.toml"
    path.write_text(head)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-extended", action="store_true")
    args = parser.parse_args()
    suite = exact_only_suite(not args.no_extended)
    db = OUT_DIR / "chang2000_exact.sqlite"
    db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "qportfolio.cli", "bench", "run", str(suite), "--db", str(db),
                           "--workers", str(args.workers)], stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT config, status, wall_time, time_limit FROM runs").fetchall()
    table = []
    for config in sorted({r[0] for r in rows}):
        for limit in sorted({r[3] for r in rows if r[0] == config}):
            mine = [r for r in rows if r[0] == config and r[3] == limit]
            table.append({"config": config, "time_limit": limit, "points": len(mine),
                          "proven": sum(r[1] == "optimal" for r in mine), "job_seconds": sum(r[2] for r in mine),
                          "slowest": max(r[2] for r in mine)})
    print(f"\n{datetime.date.today()}, {platform.platform()}, {os.cpu_count()} CPUs, {args.workers} workers: "
          f"exact part of chang2000 from an empty database in {wall / 60:.1f} min wall (exit {proc.returncode})\n")
    print_table(table, [("config", "reference", ""), ("time_limit", "limit s", "g"), ("points", "points", "d"),
                        ("proven", "proven", "d"), ("job_seconds", "job seconds", ".0f"), ("slowest", "slowest s", ".1f")])
    write_json("chang2000_exact", table, {**vars(args), "wall_seconds": wall})


if __name__ == "__main__":
    main()
