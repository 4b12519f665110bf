"""``qportfolio bench run`` (a suite's jobs not yet in the database; ``--dry-run`` counts and estimates)
and ``qportfolio bench report`` (tables and plots from a database)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import ValidationError


def cmd_bench_run(args: argparse.Namespace) -> int:
    from ..bench import load_suite, run_suite

    suite = load_suite(args.suite)
    jobs = suite.jobs(args.data_dir)
    if args.dry_run:
        for flag, given in (("--job-timeout", args.job_timeout is not None), ("--verbose", args.verbose)):
            if given:
                raise ValidationError(f"{flag} shapes a run; --dry-run only counts and estimates (drop one of them)")
        if args.scheduler is not None and args.workers is not None:
            raise ValidationError("give one of --workers and --scheduler")
        print(dry_run_text(suite, jobs, args.db, None if args.scheduler is not None else args.workers or 1, args.limit))
        return 0
    if not args.db:
        raise ValidationError("bench run needs --db FILE (the SQLite results database)")
    progress = "lines" if args.verbose else "auto"
    summary = run_suite(suite, args.db, workers=args.workers or 1, scheduler=args.scheduler, data_dir=args.data_dir,
                        progress=progress, limit=args.limit, job_timeout=args.job_timeout)
    extended = f" ({summary.extended} unproven references rerun at the extended time limit)" if summary.extended else ""
    print(f"suite {suite.name}: {summary.done} jobs run{extended}, {summary.skipped} already in {args.db}, "
          f"{summary.failed} failed, {summary.seconds:.1f} s")
    for label, error in summary.failures[:10]:
        print(f"  failed: {label}: {error}")
    return 1 if summary.failed else 0


def dry_run_text(suite: Any, jobs: list[Any], db: str | None, workers: int | None, limit: int | None = None) -> str:
    """Job counts per configuration, what is already done in ``db``, and a time estimate."""
    from collections import Counter

    from ..bench import ResultStore
    from ..bench.estimate import estimate_jobs

    history: list[dict[str, Any]] = []
    done: set[str] = set()
    if db and Path(db).exists():
        with ResultStore(db) as store:
            history, done = store.rows(), store.done_keys()
    pending = [j for j in jobs if j.key not in done]
    if limit is not None:
        pending = pending[:limit]
    instances = len({j.problem.fingerprint for j in jobs})
    est = estimate_jobs(pending, history)
    lines = [f"suite {suite.name}: {len(jobs)} jobs ({instances} instance x parameter points), "
             f"{len(pending)} pending" + (f" in this run (--limit {limit})" if limit is not None else "")
             + (f", {len(done & {j.key for j in jobs})} already in {db}" if done else "")]
    total, todo = Counter(j.config.name for j in jobs), Counter(j.config.name for j in pending)
    for name, count in total.items():
        lines.append(f"  {name:<28}{todo[name]:>6} pending of {count:<6} ~{est.per_config.get(name, 0.0) / 60:8.1f} min")
    extended_limit = suite.references.get("extended_time_limit")
    if extended_limit:
        statuses = {row["key"]: row["status"] for row in history}
        rerun = [j for j in suite.extended_jobs(jobs, statuses) if j.key not in done]
        lines.append(f"  references left unproven at their limit are run again at {suite.extended_label()}: "
                     f"{len(rerun)} so far, up to {extended_limit / 60:.0f} min each (not in the estimate)")
    lines.append(est.describe(workers or 1) if workers is not None else
                 est.describe(1) + "\n(on a Dask cluster, divide by the number of worker threads)")
    return "\n".join(lines)


def cmd_bench_report(args: argparse.Namespace) -> int:
    from ..bench import write_report

    report = write_report(args.db, args.out, data_dir=args.data_dir)
    print(report["terminal"])
    print(f"\nwrote {len(report['files'])} files to {args.out} (every column in summary.md, summary.csv): "
          f"{', '.join(report['files'])}")
    return 0


def build_bench(p: argparse.ArgumentParser) -> None:
    bench_sub = p.add_subparsers(dest="bench_command", required=True)
    p_run = bench_sub.add_parser("run", help="run a suite's jobs not yet in the database")
    from ..bench.suite import BUILTIN

    p_run.add_argument("suite", help=f"built-in suite ({', '.join(BUILTIN)}) or a TOML file")
    p_run.add_argument("--db", help="SQLite results database (created if missing)")
    p_run.add_argument("--workers", type=int, help="local worker processes (default 1)")
    p_run.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler address (tcp://host:8786): run jobs on that cluster")
    p_run.add_argument("--dry-run", action="store_true",
                       help="print the job counts (pending and done in --db) and a time estimate, and exit")
    p_run.add_argument("--limit", type=int, help="run at most this many pending jobs")
    p_run.add_argument("--job-timeout", type=float, metavar="SECONDS",
                       help="stop a job after this many seconds and record it as failed (default: twice the job's own "
                            "time limit + 60 s; no watchdog for jobs without a limit)")
    p_run.add_argument("--data-dir", help="folder of the OR-Library files")
    p_run.add_argument("--verbose", "-v", action="store_true", help="one line per finished job instead of a progress bar")
    p_run.set_defaults(func=cmd_bench_run)
    p_rep = bench_sub.add_parser("report", help="tables (Markdown, HTML, CSV, Parquet) and plots from a database")
    p_rep.add_argument("db", help="SQLite results database")
    p_rep.add_argument("--out", required=True, help="output folder")
    p_rep.add_argument("--data-dir", help="folder of the OR-Library files (for the unconstrained frontiers)")
    p_rep.set_defaults(func=cmd_bench_report)
