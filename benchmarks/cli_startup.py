"""Command-line start-up: how long ``qportfolio --help``, ``--version`` and a command's own help take.

    python benchmarks/cli_startup.py [--repeats 7]

Each row runs the installed ``qportfolio`` entry point (a fresh interpreter, as a user's shell
does) ``--repeats`` times and reports the median and best wall time and the peak RSS (GNU ``time -v``
when present, else ``resource`` of the children). The target is <= 0.5 s for ``--help`` and
``--version``: they import no backend (the package's names load on first use, and the parser builds
only the command that runs). ``solve --help`` builds the solver flags from every registered backend's
declared options, so it pays for the solver registry; ``python -c "import qportfolio; qportfolio.solve"``
is the full library import, for comparison.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json

TARGET_S = 0.5


def entry_point() -> list[str]:
    exe = Path(sys.executable).with_name("qportfolio")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "qportfolio.cli"]


def measure(argv: list[str], repeats: int) -> dict[str, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    peak_mb = None
    if Path("/usr/bin/time").exists():
        proc = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True)
        for line in proc.stderr.splitlines():
            if "Maximum resident set size" in line:
                peak_mb = int(line.split(":")[1]) / 1024
    if peak_mb is None:
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"median_s": statistics.median(times), "best_s": min(times), "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    qp = entry_point()
    cases = [("qportfolio --help", [*qp, "--help"]), ("qportfolio --version", [*qp, "--version"]),
             ("qportfolio classic --help", [*qp, "classic", "--help"]), ("qportfolio solve --help", [*qp, "solve", "--help"]),
             ("import qportfolio (all names)", [sys.executable, "-c", "import qportfolio as qp; qp.solve; qp.encode"])]
    rows = []
    for label, argv in cases:
        row = {"command": label, **measure(argv, args.repeats)}
        row["target"] = ("<= 0.5 s: " + ("met" if row["median_s"] <= TARGET_S else "MISSED")) if label.endswith(
            ("--help", "--version")) and label.count(" ") == 1 else ""
        rows.append(row)
    print(f"# CLI start-up, {datetime.date.today()}, {platform.machine()} {platform.processor() or ''}, "
          f"Python {platform.python_version()}, {args.repeats} runs each\n")
    print_table(rows, [("command", "command", "s"), ("median_s", "median s", ".3f"), ("best_s", "best s", ".3f"),
                       ("peak_mb", "peak RSS MB", ".0f"), ("target", "target", "s")])
    write_json("cli_startup", rows, {"repeats": args.repeats})


if __name__ == "__main__":
    main()
