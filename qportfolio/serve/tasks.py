"""What a worker process runs for a request: an allocation model or a core problem, answered as JSON.

The request is read and checked in the server first (:func:`read_model`, :func:`read_portfolio`),
so that a bad body is a 4xx before anything is queued; the worker reads it again (cheap) and
solves. An outcome is ``(task id, answer, None)`` or ``(task id, None, Failure(kind, message))``.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Mapping
from typing import Any

from ..errors import QPortfolioError, ValidationError
from ..utils.validate import describe
from ..utils.workers import Failure, InternalError, Outcome

#: the keys of a /api/v2/portfolio (and /api/v2/jobs) body
PORTFOLIO_KEYS = ("problem", "solver", "options")


def read_model(body: Any, *, max_variables: int, max_constraints: int) -> Any:
    """The validated allocation model of a /solve body (either shape), within the size limits."""
    from ..lp.model import parse_model

    model = parse_model(body)
    if len(model.variables) > max_variables:
        raise ValidationError(f"variables: {len(model.variables)} is over this server's limit of {max_variables}")
    if len(model.constraints) > max_constraints:
        raise ValidationError(f"constraints: {len(model.constraints)} is over this server's limit of {max_constraints}")
    return model


def read_portfolio(body: Any, *, max_assets: int) -> tuple[Any, str, dict[str, Any]]:
    """(problem, solver name, options) of a /portfolio body; the solver and its option names are checked here."""
    from ..solvers.registry import is_registered

    if not isinstance(body, Mapping):
        raise ValidationError(f"the body must be a JSON object with keys {', '.join(PORTFOLIO_KEYS)}; got {describe(body)}")
    unknown = sorted(set(body) - set(PORTFOLIO_KEYS))
    if unknown:
        raise ValidationError(f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(PORTFOLIO_KEYS)}")
    if "problem" not in body:
        raise ValidationError("problem: missing (a spec as `qportfolio solve` reads it, {\"orlib\": \"port1\", ...} "
                              "or {\"synthetic\": 50, ...})")
    solver = body.get("solver", "qubo")
    if not isinstance(solver, str) or not is_registered(solver):
        raise ValidationError(f"solver: {solver!r} is not a registered solver; GET /api/v2/solvers lists them")
    options = body.get("options", {})
    if not isinstance(options, Mapping):
        raise ValidationError(f"options must be a JSON object of solver options; got {describe(options)}")
    from ..solvers import get
    from ..solvers.options import client_options, validate_options

    chosen = get(solver)
    # options marked local_only choose the server's credentials or touch its files (config_file, profile,
    # embedding_cache): its administrator sets those (environment, dwave-cloud-client configuration), never a client
    refused = sorted(name for name in options if name in chosen.options and chosen.options[name].local_only)
    if refused:
        raise ValidationError(f"options: {', '.join(refused)} choose(s) the server's own credentials or files, which "
                              "its administrator configures; drop it from the request")
    # unknown names and wrong types refused before a worker is used; the allowed ones listed are a client's
    validate_options(chosen.name, client_options(chosen.options), options)
    return read_problem(body["problem"], max_assets=max_assets), solver, dict(options)


def read_problem(spec: Any, *, max_assets: int) -> Any:
    """A core problem from a spec mapping, an OR-Library reference or a synthetic one (the JSON form
    of :class:`~qportfolio.data.reference.ProblemReference`); its size is checked before anything
    of that size is built."""
    from ..data.reference import ProblemReference, load_problem

    reference = ProblemReference.from_mapping(spec, where="problem")
    if reference.size is not None and reference.size > max_assets:
        raise ValidationError(f"problem: {reference.size} assets is over this server's limit of {max_assets}")
    return load_problem(reference)


def lp_answer(model: Any, result: Any, seconds: float) -> dict[str, Any]:
    """The hosted API's fields (objective_value, variables as [{name, value}]) plus status, per-constraint
    activity, slack and shadow price, the conflicts of an infeasible model, the solver and the time."""
    from ..status import jsonable

    values = result.values
    constraints = []
    for con in model.constraints:
        row: dict[str, Any] = {"name": con.name, "sense": con.sense, "rhs": con.rhs}
        if values:
            activity = sum(coef * values.get(name, 0.0) for name, coef in con.terms.items())
            slack = con.rhs - activity if con.sense == "<=" else activity - con.rhs if con.sense == ">=" else 0.0
            row.update(activity=activity, slack=slack)
        if result.duals and con.name in result.duals:
            row["shadow_price"] = result.duals[con.name]
        constraints.append(row)
    return jsonable({
        "status": result.status, "objective_value": result.objective,
        "variables": [{"name": name, "value": values.get(name)} for name in model.names] if values else [],
        "constraints": constraints, "conflicts": result.conflicts, "kind": result.kind, "solver": result.solver,
        "solve_seconds": seconds, "accuracy": result.accuracy, "message": result.message, "note": result.note,
    })


def execute(task: dict[str, Any]) -> Outcome:
    """Run one task in a worker process (never raises: errors come back as a Failure, without a traceback)."""
    try:
        t0 = time.perf_counter()
        if task["kind"] == "lp":
            from ..lp import solve_model

            model = read_model(task["body"], max_variables=task["max_variables"], max_constraints=task["max_constraints"])
            return Outcome(task["id"], lp_answer(model, solve_model(model), time.perf_counter() - t0), None)
        from ..solvers import solve

        problem, solver, options = read_portfolio(task["body"], max_assets=task["max_assets"])
        return Outcome(task["id"], solve(problem, solver, **options).to_dict(), None)
    except QPortfolioError as exc:
        from ..utils.redaction import mask

        return Outcome(task["id"], None, Failure.of(exc, mask(str(exc))))
    except Exception as exc:  # a bug in a backend: reported as a server error, its traceback kept out of the answer
        from ..utils.redaction import mask

        last = traceback.extract_tb(exc.__traceback__)[-1]
        return Outcome(task["id"], None, Failure.of(InternalError(f"{type(exc).__name__} in {last.name} "
                                                                  f"({mask(str(exc))[:200]})")))
