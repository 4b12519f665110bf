"""Throughput and latency of ``qportfolio serve`` against calling the library directly.

    python benchmarks/serve_load.py [--requests 200] [--concurrency 1 8] [--workers 2]

Starts a real server (uvicorn, ``--workers`` solver processes, a throwaway token) on a free loopback
port and, for each workload, sends ``--requests`` requests from ``--concurrency`` client threads
(httpx, one connection each):

* ``seed LP``: the six-asset allocation LP in the hosted API's payload shape
  (qportfolio/examples/allocation_payload.json; HiGHS, a vertex answer);
* ``core``: a small core problem, port1 with K = 3 on the 0.1 grid by ``exact-discrete`` (SCIP).

Each row gives requests per second, p50 and p99 latency (client-side, whole request), and the same
work called in this process one request at a time (``qportfolio.lp.solve_model`` /
``qportfolio.solve``): the overhead ratio is the service's p50 at concurrency 1 over the direct
call's p50, the throughput ratio the service's requests per second over the direct calls'.
Prints a Markdown table with the date and the machine; JSON to benchmarks/out/serve_load.json.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, write_json

from qportfolio.cli.args import demo_spec_path

SIX_ASSETS = json.loads(Path(demo_spec_path()).with_name("allocation_payload.json").read_text())

TOKEN = "serve-load-benchmark-token-0123"
CORE = {"problem": {"orlib": "port1", "cardinality": 3, "risk_aversion": 0.5, "weight_step": 0.1},
        "solver": "exact-discrete"}
WORKLOADS = {"seed LP": ("/api/v2/solve", SIX_ASSETS), "core (port1, K 3, exact-discrete)": ("/api/v2/portfolio", CORE)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def direct_call(name: str) -> None:
    if name == "seed LP":
        from qportfolio.lp import solve_model

        solve_model(SIX_ASSETS)
    else:
        import qportfolio as qp

        qp.solve(qp.load_orlib("port1", cardinality=3, risk_aversion=0.5, weight_step=0.1), "exact-discrete")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load(url: str, path: str, body: dict, requests: int, concurrency: int) -> dict:
    latencies: list[float] = []
    failures: list[int] = []
    local = __import__("threading").local()

    def one(_: int) -> None:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
        t0 = time.perf_counter()
        r = local.client.post(path, json=body)
        latencies.append(time.perf_counter() - t0)
        if r.status_code != 200:
            failures.append(r.status_code)

    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(requests)))
    wall = time.perf_counter() - t0
    return {"rps": requests / wall, "p50_ms": 1e3 * percentile(latencies, 0.5), "p99_ms": 1e3 * percentile(latencies, 0.99),
            "failures": len(failures)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "QPORTFOLIO_API_TOKENS": TOKEN}
    jobs_db = Path(__file__).resolve().parent / "out" / "serve_load_jobs.sqlite"
    jobs_db.parent.mkdir(exist_ok=True)
    server = subprocess.Popen([sys.executable, "-m", "qportfolio.cli", "serve", "--port", str(port), "--workers",
                               str(args.workers), "--queue-limit", "1000", "--jobs-db", str(jobs_db)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        rows = []
        for name, (path, body) in WORKLOADS.items():
            load(url, path, body, 2 * args.workers, args.workers)  # warm the workers (imports, first solve)
            direct_call(name)
            times = []
            for _ in range(min(args.requests, 50)):
                t0 = time.perf_counter()
                direct_call(name)
                times.append(time.perf_counter() - t0)
            direct_p50 = statistics.median(times)
            for concurrency in args.concurrency:
                figures = load(url, path, body, args.requests, concurrency)
                rows.append({"workload": name, "concurrency": concurrency, **figures,
                             "direct_p50_ms": 1e3 * direct_p50, "direct_rps": 1.0 / statistics.mean(times),
                             "latency_ratio": figures["p50_ms"] / (1e3 * direct_p50),
                             "throughput_ratio": figures["rps"] * statistics.mean(times)})
                print(f"{name} x{concurrency}: {figures['rps']:.1f} req/s, p50 {figures['p50_ms']:.1f} ms", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n{datetime.date.today()}, {platform.platform()}, {os.cpu_count()} CPUs, server with {args.workers} solver "
          f"processes, {args.requests} requests per row\n")
    print_table(rows, [("workload", "workload", ""), ("concurrency", "clients", "d"), ("rps", "req/s", ".1f"),
                       ("p50_ms", "p50 ms", ".1f"), ("p99_ms", "p99 ms", ".1f"), ("failures", "failed", "d"),
                       ("direct_p50_ms", "direct p50 ms", ".2f"), ("direct_rps", "direct req/s", ".1f"),
                       ("latency_ratio", "p50 / direct", ".1f"), ("throughput_ratio", "req/s / direct", ".2f")])
    write_json("serve_load", rows, vars(args))


if __name__ == "__main__":
    main()
