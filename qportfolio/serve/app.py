"""The routes of ``qportfolio serve`` (FastAPI). Bodies are read as raw JSON and checked by
qportfolio's own readers, so an error names the field the way ``qportfolio lp``/``solve`` do."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from .. import __version__
from ..errors import DataError, QPortfolioError, StoreError, ValidationError
from ..status import jsonable
from .config import ServeConfig
from .jobs import JobRunner, JobStore
from .pool import Busy, ServicePool, Timeout
from .tasks import execute, read_model, read_portfolio

log = logging.getLogger("qportfolio.serve")
#: example bodies shown in the OpenAPI docs (/docs)
LP_EXAMPLE = {
    "variables": [{"name": "stocks", "type": "continuous", "lb": 0, "ub": 0.8},
                  {"name": "bonds", "type": "continuous", "lb": 0}, {"name": "cash", "type": "continuous", "lb": 0}],
    "objective": {"sense": "maximize", "coefficients": {"stocks": 0.07, "bonds": 0.03, "cash": 0.01}},
    "constraints": [{"name": "budget", "coefficients": {"stocks": 1, "bonds": 1, "cash": 1}, "sense": "==", "rhs": 1}],
}
PORTFOLIO_EXAMPLE = {"problem": {"orlib": "port1", "cardinality": 5, "risk_aversion": 0.5, "weight_step": 0.05},
                     "solver": "qubo", "options": {"time_budget": 5, "seed": 1}}


def _body_doc(example: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"type": "object"}, "example": example}}}}


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """One message naming the field, never a traceback."""
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def create_app(config: ServeConfig) -> FastAPI:
    """The app; its pool, job store and runner start with the app and stop with it."""
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool = ServicePool(config.workers, execute, config.queue_limit)
        store = JobStore(config.jobs_db)
        recovered = store.recover()
        if recovered:
            log.info("requeued %d job(s) left running by the previous server", recovered)
        runner = JobRunner(store, pool, make_task, slots=max(1, config.workers - 1))
        state.update(pool=pool, store=store, runner=runner)
        try:
            yield
        finally:
            runner.stop()
            pool.shutdown()
            store.close()

    app = FastAPI(title="qportfolio", version=__version__, lifespan=lifespan,
                  description="Allocation models (LP, MILP, QP, MIQP) and cardinality-constrained portfolios, "
                              "solved on this machine. Every route but /health needs `Authorization: Bearer <token>` "
                              "when the server has tokens.")

    def make_task(task_id: str, kind: str, body: Any, time_limit: float) -> dict[str, Any]:
        return {"id": task_id, "kind": kind, "body": body, "time_limit": time_limit,
                "max_variables": config.max_variables, "max_constraints": config.max_constraints,
                "max_assets": config.max_assets}

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Any:
        """Request log (the Authorization header masked), bearer check, body size limit."""
        t0 = time.perf_counter()
        response = await _guarded(request, call_next)
        auth = "Bearer ***" if request.headers.get("authorization") else "none"
        log.info("%s %s %d %.1f ms auth=%s", request.method, request.url.path, response.status_code,
                 1e3 * (time.perf_counter() - t0), auth)
        return response

    async def _guarded(request: Request, call_next: Any) -> Any:
        public = request.url.path in ("/health", "/docs", "/openapi.json", "/docs/oauth2-redirect", "/redoc")
        if not public and not config.accepts(request.headers.get("authorization")):
            return error(401, "missing or invalid bearer token (Authorization: Bearer <token>)",
                         {"WWW-Authenticate": "Bearer"})
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > config.max_body_bytes:
            return error(413, too_large(int(length)))
        return await call_next(request)

    def too_large(size: int) -> str:
        return f"body of {size} bytes is over this server's limit of {config.max_body_bytes}"

    async def read_json(request: Request) -> Any:
        raw = await request.body()
        if len(raw) > config.max_body_bytes:
            raise _Refusal(413, too_large(len(raw)))
        try:
            return json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise _Refusal(400, "the body is not UTF-8 JSON") from None
        except json.JSONDecodeError as exc:
            raise _Refusal(400, f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None

    async def run_now(task: dict[str, Any]) -> JSONResponse:
        try:
            future = state["pool"].submit(task)
        except Busy:
            return error(429, f"all {config.workers} solver processes are busy and {config.queue_limit} requests are "
                              "waiting: retry later, or POST /api/v2/jobs", {"Retry-After": "2"})
        try:
            _, answer, failure = await asyncio.wrap_future(future)
        except asyncio.CancelledError:  # the client went away: stop its solve
            state["pool"].cancel(task["id"])
            raise
        if failure is None:
            return JSONResponse(answer)
        if failure.is_a(ValidationError, DataError) and not failure.is_a(StoreError):  # the client's fault
            return error(422, failure.message)
        if failure.is_a(Timeout):
            return error(504, f"{failure.message}; POST /api/v2/jobs for longer solves")
        return error(500, failure.message)

    @app.exception_handler(_Refusal)
    async def refusal(_: Request, exc: _Refusal) -> JSONResponse:
        return error(exc.status, exc.message)

    @app.exception_handler(QPortfolioError)
    async def invalid(_: Request, exc: QPortfolioError) -> JSONResponse:
        return error(422, str(exc))

    @app.get("/health")
    async def health() -> dict[str, Any]:
        """Liveness: always 200 while the server answers, with the pool's and the jobs' state."""
        pool = state.get("pool")
        return {"status": "ok", "version": __version__, "workers": config.workers,
                "busy": pool.busy() if pool else 0, "waiting": pool.waiting() if pool else 0,
                "jobs": state["store"].counts() if "store" in state else {}}

    @app.post("/api/v2/solve", openapi_extra=_body_doc(LP_EXAMPLE))
    async def solve_model(request: Request) -> JSONResponse:
        """An allocation model (LP, MILP, QP, MIQP; either shape `qportfolio lp` reads). Answers
        `objective_value`, `variables` ([{name, value}]), `status`, per-constraint activity, slack and
        shadow price, and for an infeasible model its conflicting constraints (still 200)."""
        body = await read_json(request)
        read_model(body, max_variables=config.max_variables, max_constraints=config.max_constraints)
        return await run_now(make_task(uuid.uuid4().hex, "lp", body, config.time_limit))

    @app.post("/solve", include_in_schema=False)
    async def solve_model_v1(request: Request) -> JSONResponse:
        """The hosted API's path (`POST {API_URL}/solve`), so that its clients work unchanged."""
        return await solve_model(request)

    @app.post("/api/v2/portfolio", openapi_extra=_body_doc(PORTFOLIO_EXAMPLE))
    async def solve_portfolio(request: Request) -> JSONResponse:
        """A core problem (`problem`: a spec, `{"orlib": ...}` or `{"synthetic": n, ...}`), a registered
        `solver` and its `options` → the Result as JSON, within the server's time limit per request."""
        body = await read_json(request)
        read_portfolio(body, max_assets=config.max_assets)
        return await run_now(make_task(uuid.uuid4().hex, "portfolio", body, config.time_limit))

    @app.post("/api/v2/jobs", status_code=202, openapi_extra=_body_doc(PORTFOLIO_EXAMPLE))
    async def submit_job(request: Request) -> JSONResponse:
        """A long solve: the /portfolio body (or `{"model": <allocation model>}`) queued → its id."""
        body = await read_json(request)
        if isinstance(body, dict) and set(body) == {"model"}:
            kind, body = "lp", body["model"]
            read_model(body, max_variables=config.max_variables, max_constraints=config.max_constraints)
        else:
            kind = "portfolio"
            read_portfolio(body, max_assets=config.max_assets)
        job_id = state["store"].add(kind, body, config.job_time_limit)
        state["runner"].poke()
        return JSONResponse({"id": job_id, "status": "queued", "url": f"/api/v2/jobs/{job_id}"}, status_code=202)

    @app.get("/api/v2/jobs/{job_id}")
    async def job_status(job_id: str) -> JSONResponse:
        """status, progress (seconds running against the job's limit), and the result when done."""
        job = state["store"].get(job_id)
        if job is None:
            return error(404, f"no job {job_id!r}")
        if job["status"] == "running" and job["started"]:
            job["progress"] = {"seconds": time.time() - job["started"], "time_limit": job["time_limit"]}
        return JSONResponse(job)

    @app.delete("/api/v2/jobs/{job_id}")
    async def cancel_job(job_id: str) -> JSONResponse:
        """Cancel a queued or running job (a finished one stays as it is)."""
        before = state["store"].cancel(job_id)
        if before is None:
            return error(404, f"no job {job_id!r}")
        if before == "running":
            state["runner"].cancel(job_id)
        return JSONResponse(state["store"].get(job_id) if before != "running" else {"id": job_id, "status": "cancelling"})

    @app.get("/api/v2/solvers")
    async def solvers() -> dict[str, Any]:
        """The registered solvers, their descriptions and typed options."""
        from ..solvers import available, get
        from ..solvers.options import client_options

        out = {}
        for name in available():
            solver = get(name)
            out[name] = {"description": solver.description, "aliases": list(solver.aliases),
                         "options": {o.name: {"help": o.help, "type": o.type_label, "default": jsonable(o.default)}
                                     for o in client_options(solver.options).values()}}
        return out

    return app


class _Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message
