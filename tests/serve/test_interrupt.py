"""An interrupted test run leaves no process behind: a pytest run that holds a server (with a solver
process busy on a hung solve) is stopped by a signal, and every process it started must end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")

REPO = Path(__file__).resolve().parents[2]

#: the run that gets interrupted: the serve tests' own fixture, a hung job on one solver process, then a wait
INNER = '''
import os
import time
from pathlib import Path

from tests.serve.conftest import server  # noqa: F401 (the fixture the serve tests use)


def test_holds_a_server_with_a_busy_solver(server):
    with server.client() as c:
        job = c.post("/api/v2/jobs", json={"problem": {"synthetic": 6}, "solver": "test-hang"}).json()["id"]
        while c.get(f"/api/v2/jobs/{job}").json()["status"] != "running":
            time.sleep(0.1)
    Path(os.environ["READY_FILE"]).write_text(str(server.process.pid))
    time.sleep(600)
'''


def process_table() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, start time) of every process now."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
            table[int(entry.name)] = (int(fields[1]), fields[0], fields[19])
    return table


def descendants(pid: int) -> dict[int, str]:
    """pid -> start time of every live descendant of ``pid``."""
    table = process_table()
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, state, start) in table.items():
            if ppid == parent and child not in found and state != "Z":
                found[child] = start
                frontier.append(child)
    return found


def survivors(processes: dict[int, str]) -> list[int]:
    """Those of ``processes`` still running (the same pid with the same start time, not a zombie)."""
    table = process_table()
    return [pid for pid, start in processes.items() if pid in table and table[pid][2] == start and table[pid][1] != "Z"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, pytest.param(signal.SIGINT, marks=pytest.mark.slow),
                                 pytest.param(signal.SIGKILL, marks=pytest.mark.slow)], ids=lambda s: s.name)
def test_an_interrupted_run_leaves_no_process_behind(tmp_path, sig):
    (tmp_path / "test_inner.py").write_text(INNER)
    ready = tmp_path / "ready"
    env = {**os.environ, "PYTHONPATH": str(REPO), "READY_FILE": str(ready)}
    with (tmp_path / "inner.log").open("w") as log:
        # a session of its own: the signal reaches the pytest process only, as `kill PID` sends it
        run = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                                "test_inner.py"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    started: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ready.exists(), (tmp_path / "inner.log").read_text()
        started = descendants(run.pid)
        server = int(ready.read_text())
        assert server in started and len(started) >= 3, started  # the server and its two solver processes
        os.kill(run.pid, sig)
        run.wait(timeout=60)
        deadline = time.monotonic() + 30
        while survivors(started) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = survivors(started)
        assert not left, [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in left]
    finally:
        for pid in [run.pid] * (run.poll() is None) + survivors(started):
            os.kill(pid, signal.SIGKILL)
        run.wait(timeout=10)
