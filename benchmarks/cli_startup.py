"""Command-line start-up: how long ``qportfolio --help``, ``--version``, ``solvers`` and ``solve`` on the
built-in example take, wall clock.

    python benchmarks/cli_startup.py [--repeats 5]

Each row runs the installed ``qportfolio`` entry point (a fresh interpreter, as a user's shell
does) ``--repeats`` times and reports the median and best wall time and the peak RSS (GNU ``time -v``
when present, else ``resource`` of the children). Targets: <= 0.5 s for ``--help`` and ``--version``
(they import no backend: the package's names load on first use, and the parser builds only the
command that runs); <= 2 s for ``solve qportfolio/examples/demo.json`` (the 50-asset example with the
default solver: about 0.5 s of solving; solve declares only the chosen solver's flags, and the
registry imports that backend alone). ``solvers`` and ``solve --help`` list every backend, so they
pay for all of them; ``python -c "import qportfolio; qportfolio.solve"`` is the library import, for
comparison.
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

#: command label -> wall-time target (median, seconds)
TARGETS = {"qportfolio --help": 0.5, "qportfolio --version": 0.5, "qportfolio solve demo.json": 2.0}


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
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    qp = entry_point()
    demo = str(Path(__file__).resolve().parents[1] / "qportfolio" / "examples" / "demo.json")
    cases = [("qportfolio --help", [*qp, "--help"]), ("qportfolio --version", [*qp, "--version"]),
             ("qportfolio classic --help", [*qp, "classic", "--help"]), ("qportfolio solvers", [*qp, "solvers"]),
             ("qportfolio solve --help", [*qp, "solve", "--help"]), ("qportfolio solve demo.json", [*qp, "solve", demo]),
             ("import qportfolio (all names)", [sys.executable, "-c", "import qportfolio as qp; qp.solve; qp.encode"])]
    rows = []
    for label, argv in cases:
        row = {"command": label, **measure(argv, args.repeats)}
        target = TARGETS.get(label)
        row["target"] = f"<= {target:g} s: " + ("met" if row["median_s"] <= target else "MISSED") if target else ""
        rows.append(row)
    print(f"# CLI start-up, {datetime.date.today()}, {platform.machine()} {platform.processor() or ''}, "
          f"Python {platform.python_version()}, {args.repeats} runs each\n")
    print_table(rows, [("command", "command", "s"), ("median_s", f"wall s (median of {args.repeats})", ".3f"),
                       ("best_s", "best s", ".3f"),
                       ("peak_mb", "peak RSS MB", ".0f"), ("target", "target", "s")])
    write_json("cli_startup", rows, {"repeats": args.repeats})


if __name__ == "__main__":
    main()
