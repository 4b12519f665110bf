"""A real ``qportfolio serve`` on a free loopback port, talked to over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

TOKEN = "test-token-0123456789abcdef"  # never a real credential
LAUNCHER = Path(__file__).with_name("launcher.py")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    jobs_db: Path

    def client(self, token: str | None = TOKEN, **kw) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=kw.pop("timeout", 60), **kw)

    def output(self) -> str:
        return self.log.read_text()

    def stop(self, kill: bool = False) -> None:
        if self.process.poll() is None:
            (self.process.kill if kill else self.process.terminate)()
            self.process.wait(timeout=30)


def start_server(tmp_path: Path, *args: str, tokens: str | None = TOKEN, jobs_db: Path | None = None,
                 name: str = "server") -> Server:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "QPORTFOLIO_API_TOKENS"}
    if tokens is not None:
        env["QPORTFOLIO_API_TOKENS"] = tokens
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    env["QPORTFOLIO_TEST_PARENT_PID"] = str(os.getpid())  # the launcher ends itself when this process is gone
    log = tmp_path / f"{name}.log"
    jobs_db = jobs_db or tmp_path / "jobs.sqlite"
    process = subprocess.Popen([sys.executable, str(LAUNCHER), "--port", str(port), "--jobs-db", str(jobs_db), *args],
                               stdout=log.open("w"), stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL)
    server = Server(f"http://127.0.0.1:{port}", process, log, jobs_db)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{server.output()}")
        try:
            if httpx.get(server.url + "/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.stop(kill=True)
    raise RuntimeError(f"the server did not answer within 60 s:\n{server.output()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("serve"), "--workers", "2", "--time-limit", "5")
    yield s
    s.stop()
