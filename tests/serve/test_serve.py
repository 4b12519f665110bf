"""``qportfolio serve`` over HTTP: the hosted API's client, auth, bad bodies, faults, bursts, jobs."""

from __future__ import annotations

import concurrent.futures
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from qportfolio.cli.args import demo_spec_path

from .conftest import TOKEN, start_server

#: six asset classes in the hosted API's payload shape, weights in percent of the budget: the LP fills
#: the best returns up to their caps (qportfolio/examples/allocation_payload.json)
SIX_ASSETS = json.loads((Path(demo_spec_path()).with_name("allocation_payload.json")).read_text())
EXPECTED = {"equity_us": 35, "equity_intl": 20, "bonds": 0, "real_estate": 15, "commodities": 15, "credit": 15}

#: the hosted API's client, as its users run it: only API_URL and the key differ
CLIENT = '''
import json, os, sys
import requests

API_URL = os.environ["API_URL"]
API_KEY = os.environ["API_KEY"]
model = json.load(open(sys.argv[1]))
response = requests.post(f"{API_URL}/solve", headers={"Authorization": f"Bearer {API_KEY}"}, json=model, timeout=60)
response.raise_for_status()
result = response.json()
print(f"objective: {result['objective_value']:.3f}")
for v in result["variables"]:
    print(f"{v['name']}: {v['value']:.0f} %")
'''


def test_the_hosted_apis_client_prints_the_allocation(server, tmp_path):
    (tmp_path / "model.json").write_text(json.dumps(SIX_ASSETS))
    (tmp_path / "client.py").write_text(CLIENT)
    env = {"API_URL": server.url, "API_KEY": TOKEN, "PATH": ""}
    out = subprocess.run([sys.executable, str(tmp_path / "client.py"), str(tmp_path / "model.json")], env=env,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.splitlines() == ["objective: 7.850"] + [f"{k}: {v} %" for k, v in EXPECTED.items()]


def test_solve_answers_status_prices_and_slacks(server):
    with server.client() as c:
        r = c.post("/api/v2/solve", json=SIX_ASSETS)
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "optimal" and data["kind"] == "LP" and data["solver"] == "HiGHS"
    assert data["objective_value"] == pytest.approx(7.85, abs=1e-9)
    assert {v["name"]: v["value"] for v in data["variables"]} == EXPECTED  # a vertex: exact values
    budget = data["constraints"][0]
    assert budget["name"] == "budget" and budget["slack"] == 0 and budget["shadow_price"] == pytest.approx(0.03)
    assert data["solve_seconds"] >= 0


def test_an_infeasible_model_is_200_with_its_conflicts(server):
    model = json.loads(json.dumps(SIX_ASSETS))
    model["constraints"].append({"name": "too_much_equity", "coefficients": {"equity_us": 1}, "sense": ">=", "rhs": 50})
    with server.client() as c:
        r = c.post("/api/v2/solve", json=model)
    assert r.status_code == 200
    assert r.json()["status"] == "infeasible" and r.json()["conflicts"]


def test_no_or_wrong_token_is_401_and_health_stays_open(server):
    for token in (None, "wrong-token-0123456789"):
        with server.client(token=token) as c:
            r = c.post("/api/v2/solve", json=SIX_ASSETS)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
            assert c.get("/api/v2/solvers").status_code == 401
    assert httpx.get(server.url + "/health").status_code == 200


@pytest.mark.parametrize(("body", "status", "message"), [
    (b'{"variables": [{"name": "x"', 400, "the body is not valid JSON"),
    (b"\xff\xfe", 400, "not UTF-8 JSON"),
    (json.dumps({"variables": [{"name": "x", "lb": "zero"}]}).encode(), 422, "variable 'x' lower bound"),
    (json.dumps({**SIX_ASSETS, "colour": "red"}).encode(), 422, "colour"),
])
def test_bad_bodies_get_one_message_naming_the_field(server, body, status, message):
    with server.client() as c:
        r = c.post("/api/v2/solve", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == status
        assert list(r.json()) == ["error"] and message in r.json()["error"] and "Traceback" not in r.text
        assert c.get("/health").status_code == 200


def test_portfolio_bodies_are_checked_before_any_solve(server):
    with server.client() as c:
        for body, message in (({"problem": {"orlib": "port1"}, "solver": "nope"}, "not a registered solver"),
                              ({"problem": {"orlib": "port1"}, "colour": 1}, "unknown field(s) colour"),
                              ({"problem": {"orlib": "port1", "cardinality": 0}}, "cardinality"),
                              ({"problem": {"synthetic": 5000}}, "over this server's limit of 2000"),
                              ({"problem": {"orlib": "port1"}, "solver": "brute", "options": {"speed": 1}}, "speed"),
                              ({"problem": {"orlib": "port1"}, "solver": "dwave-qpu", "options": {"token": "x" * 20}},
                               "does not take option(s) token"),
                              ({"problem": {"orlib": "port1"}, "solver": "dwave-qpu",
                                "options": {"config_file": "/etc/passwd"}}, "server's own credentials")):
            r = c.post("/api/v2/portfolio", json=body)
            assert r.status_code == 422 and message in r.json()["error"], r.text


def test_a_large_body_is_413(server):
    with server.client() as c:
        r = c.post("/api/v2/solve", content=b" " * (2 << 20), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "limit" in r.json()["error"]


def test_portfolio_solves_a_core_problem_to_the_result(server):
    body = {"problem": {"orlib": "port1", "cardinality": 3, "risk_aversion": 0.5, "weight_step": 0.1},
            "solver": "exact-discrete", "options": {"time_limit": 4}}
    with server.client() as c:
        r = c.post("/api/v2/portfolio", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["status"] == "optimal" and data["solver"] == "exact-discrete" and len(data["selected"]) == 3
    import qportfolio as qp

    direct = qp.solve(qp.load_orlib("port1", cardinality=3, risk_aversion=0.5, weight_step=0.1), "exact-discrete")
    assert data["objective"] == pytest.approx(direct.objective, rel=1e-12)


def test_a_hung_solve_is_504_a_crash_500_and_the_server_goes_on(server):
    with server.client() as c:
        t0 = time.monotonic()
        r = c.post("/api/v2/portfolio", json={"problem": {"synthetic": 6}, "solver": "test-hang"})
        assert r.status_code == 504 and "5 s" in r.json()["error"] and time.monotonic() - t0 < 30
        r = c.post("/api/v2/portfolio", json={"problem": {"synthetic": 6}, "solver": "test-crash"})
        assert r.status_code == 500 and "solver process ended" in r.json()["error"]
        r = c.post("/api/v2/solve", json=SIX_ASSETS)
        assert r.status_code == 200 and r.json()["objective_value"] == pytest.approx(7.85)


@pytest.mark.slow  # ~15-40 s; the queue and the workers are exercised by the 429 and the jobs tests
def test_a_burst_of_200_requests_is_answered_in_full(tmp_path):
    server = start_server(tmp_path, "--workers", "2", "--queue-limit", "500", name="burst")
    try:
        def one(i: int) -> tuple[int, float]:
            with server.client() as c:
                r = c.post("/api/v2/solve", json=SIX_ASSETS)
                return r.status_code, r.json().get("objective_value")

        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(one, range(200)))
        assert all(code == 200 and value == pytest.approx(7.85) for code, value in answers)
    finally:
        server.stop()


def test_beyond_the_queue_limit_is_429_with_retry_after(tmp_path):
    server = start_server(tmp_path, "--workers", "1", "--queue-limit", "0", "--time-limit", "20", name="busy")
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool, server.client() as c:
            hang = pool.submit(c.post, "/api/v2/portfolio", json={"problem": {"synthetic": 6}, "solver": "test-hang",
                                                                  "options": {"seconds": 3}})
            time.sleep(1.0)
            r = c.post("/api/v2/solve", json=SIX_ASSETS)
            assert r.status_code == 429 and r.headers["retry-after"] == "2"
            assert hang.result().status_code == 200, hang.result().text
    finally:
        server.stop()


def test_jobs_run_report_and_cancel(server):
    with server.client() as c:
        quick = c.post("/api/v2/jobs", json={"problem": {"orlib": "port1", "cardinality": 3, "weight_step": 0.1},
                                             "solver": "exact-discrete"})
        assert quick.status_code == 202
        job = quick.json()["id"]
        for _ in range(300):
            state = c.get(f"/api/v2/jobs/{job}").json()
            if state["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert state["status"] == "done" and state["result"]["status"] == "optimal"
        lp = c.post("/api/v2/jobs", json={"model": SIX_ASSETS}).json()["id"]
        hang = c.post("/api/v2/jobs", json={"problem": {"synthetic": 6}, "solver": "test-hang"}).json()["id"]
        for _ in range(100):
            if c.get(f"/api/v2/jobs/{hang}").json()["status"] == "running":
                break
            time.sleep(0.1)
        assert c.get(f"/api/v2/jobs/{hang}").json()["progress"]["seconds"] >= 0
        assert c.delete(f"/api/v2/jobs/{hang}").status_code == 200
        for _ in range(100):
            if c.get(f"/api/v2/jobs/{hang}").json()["status"] == "cancelled":
                break
            time.sleep(0.1)
        assert c.get(f"/api/v2/jobs/{hang}").json()["status"] == "cancelled"
        for _ in range(100):
            if c.get(f"/api/v2/jobs/{lp}").json()["status"] == "done":
                break
            time.sleep(0.1)
        assert c.get(f"/api/v2/jobs/{lp}").json()["result"]["objective_value"] == pytest.approx(7.85)
        assert c.get("/api/v2/jobs/nope").status_code == 404


def test_a_restart_loses_no_queued_job(tmp_path):
    server = start_server(tmp_path, "--workers", "1", name="first")
    with server.client() as c:
        hang = c.post("/api/v2/jobs", json={"problem": {"synthetic": 6}, "solver": "test-hang"}).json()["id"]
        queued = c.post("/api/v2/jobs", json={"model": SIX_ASSETS}).json()["id"]
        time.sleep(0.5)
        assert c.get(f"/api/v2/jobs/{queued}").json()["status"] == "queued"  # the one slot runs the hang
    server.stop(kill=True)  # no shutdown at all: kill -9
    again = start_server(tmp_path, "--workers", "3", jobs_db=server.jobs_db, name="second")  # 2 job slots
    try:
        with again.client() as c:
            for _ in range(300):
                if c.get(f"/api/v2/jobs/{queued}").json()["status"] == "done":
                    break
                time.sleep(0.1)
            assert c.get(f"/api/v2/jobs/{queued}").json()["result"]["objective_value"] == pytest.approx(7.85)
            assert c.get(f"/api/v2/jobs/{hang}").json()["status"] in ("queued", "running")  # requeued, not lost
            assert c.get(f"/api/v2/jobs/{hang}").json()["attempts"] >= 1
            c.delete(f"/api/v2/jobs/{hang}")
    finally:
        again.stop()


def test_solvers_lists_typed_options(server):
    with server.client() as c:
        data = c.get("/api/v2/solvers").json()
    assert "qubo" in data and "exact-discrete" in data
    assert data["exact-discrete"]["options"]["engine"]["default"] == "scip"
    assert "openapi" in httpx.get(server.url + "/openapi.json").json()


def test_the_token_never_appears_in_the_servers_output(server):
    with server.client() as c:
        c.post("/api/v2/solve", json=SIX_ASSETS)
        c.get("/api/v2/jobs/nope")
    with server.client(token="another-wrong-token-xyz") as c:
        c.post("/api/v2/solve", json=SIX_ASSETS)
    output = server.output()
    assert "POST /api/v2/solve 200" in output and "auth=Bearer ***" in output
    assert TOKEN not in output and "another-wrong-token-xyz" not in output


def test_no_token_refuses_a_network_address(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "qportfolio.cli", "serve", "--host", "0.0.0.0", "--port", "1"],
                          capture_output=True, text=True, timeout=60, env={"PATH": ""})
    assert proc.returncode == 2 and "no API token configured" in proc.stderr and "--no-auth" in proc.stderr


def test_token_file_job_time_limit_and_body_limit(tmp_path):
    secret = "file-token-abcdefghijklmnop"
    (tmp_path / "tokens").write_text(f"# the desk's tokens\n{secret}\n")
    server = start_server(tmp_path, "--token-file", str(tmp_path / "tokens"), "--job-time-limit", "2",
                          "--max-body-bytes", "3000", tokens=None, name="file")
    try:
        with server.client(token=secret) as c:
            assert c.post("/api/v2/solve", json=SIX_ASSETS).status_code == 200
            r = c.post("/api/v2/solve", content=b" " * 4000, headers={"Content-Type": "application/json"})
            assert r.status_code == 413 and "3000" in r.json()["error"]
            job = c.post("/api/v2/jobs", json={"problem": {"synthetic": 6}, "solver": "test-hang"}).json()["id"]
            for _ in range(200):
                state = c.get(f"/api/v2/jobs/{job}").json()
                if state["status"] == "failed":
                    break
                time.sleep(0.1)
            assert state["status"] == "failed" and state["error"].startswith("Timeout: no answer within 2 s")
        with server.client(token=TOKEN) as c:  # the environment's token is not configured here
            assert c.post("/api/v2/solve", json=SIX_ASSETS).status_code == 401
        assert secret not in server.output()
    finally:
        server.stop()


def test_no_auth_serves_without_tokens_and_is_refused_beside_them(tmp_path):
    server = start_server(tmp_path, "--no-auth", tokens=None, name="open")
    try:
        with server.client(token=None) as c:
            assert c.post("/api/v2/solve", json=SIX_ASSETS).status_code == 200
    finally:
        server.stop()
    env = {"PATH": "", "QPORTFOLIO_API_TOKENS": TOKEN}
    for args, message in ((["--no-auth"], "--no-auth was given but tokens are configured"),
                          (["--time-limit", "0"], "--time-limit must be a positive number"),
                          (["--workers", "0"], "--workers must be at least 1")):
        proc = subprocess.run([sys.executable, "-m", "qportfolio.cli", "serve", *args], capture_output=True, text=True,
                              timeout=60, env=env)
        assert proc.returncode == 2 and message in proc.stderr and TOKEN not in proc.stderr
