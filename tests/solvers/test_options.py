"""Typed options declared once, on the backend: the same declaration is what ``solve`` checks, what
``qportfolio solvers -v`` shows, what a suite refuses, and what the watchdog and estimate read."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio import solve
from qportfolio.bench import parse_suite
from qportfolio.bench.runner import WATCHDOG_GRACE_SECONDS, job_allowance
from qportfolio.cli import main
from qportfolio.errors import SolverError, ValidationError
from qportfolio.solvers import Option, Role, Solver, SolverOutput, declare, get, register, unregister
from qportfolio.solvers.options import COUNT, POSITIVE, SEED, choice
from qportfolio.status import Status

from ..conftest import SMALL


class TopReturns(Solver):
    """Equal weights on the ``pick`` highest returns; its options exercise every part of a declaration."""

    name = "test-typed-options"
    description = "a backend registered from a test module"
    options = declare(
        Option("pick", "how many of the highest returns to look at", COUNT, default=1),
        Option("order", "which end to take", choice("high", "low"), default="high"),
        Option("deadline", "seconds before the backend gives up", POSITIVE, nullable=True, role=Role.TIME_LIMIT),
        Option("seed", "unused", SEED, nullable=True, role=Role.SEED),
    )

    def _solve(self, problem, *, pick, order, deadline, seed):  # every declared option arrives, defaults filled
        ranked = np.argsort(-problem.expected_returns if order == "high" else problem.expected_returns)
        w = np.zeros(problem.n)
        w[ranked[: problem.cardinality]] = 1 / problem.cardinality
        return SolverOutput(weights=w, feasible=problem.is_feasible(w, discrete=False), status=Status.FEASIBLE,
                            parameters={"pick": pick, "order": order, "deadline": deadline})


@pytest.fixture
def typed_backend():
    register(TopReturns)
    yield TopReturns
    unregister(TopReturns.name)


def test_solve_checks_the_declared_types(typed_backend):
    r = solve(SMALL[0], typed_backend.name, pick=2.0, order="low")
    assert r.parameters["pick"] == 2 and isinstance(r.parameters["pick"], int)  # 2.0 normalised to a count
    for bad, field in [({"pick": 0}, "pick"), ({"pick": "3"}, "pick"), ({"order": "middle"}, "order"),
                       ({"deadline": -1}, "deadline"), ({"seed": True}, "seed"), ({"colour": 1}, "colour")]:
        with pytest.raises(ValidationError, match=field):
            solve(SMALL[0], typed_backend.name, **bad)
    assert solve(SMALL[0], typed_backend.name, deadline=None).parameters["deadline"] is None  # nullable


def test_solvers_listing_shows_the_declarations(typed_backend, capsys):
    assert main(["solvers", "-v"]) == 0
    out = capsys.readouterr().out
    assert "test-typed-options" in out
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("order"))
    assert "high | low" in line and "default 'high'" in line
    assert "time limit" in next(ln for ln in out.splitlines() if ln.strip().startswith("deadline"))


def test_a_suite_refuses_bad_options_naming_the_field(typed_backend):
    def suite(options):
        return {"name": "t", "instances": [{"kind": "synthetic", "n": [5], "seeds": [1]}],
                "parameters": {"cardinality": [2]}, "references": {"discrete": False},
                "solvers": [{"name": "typed", "solver": typed_backend.name, "options": options}]}

    with pytest.raises(ValidationError, match=r"solvers\[0\]\.options: .*order must be one of high, low"):
        parse_suite(suite({"order": "middle"}), name="t")
    with pytest.raises(ValidationError, match=r"solvers\[0\]\.options: .*does not take option\(s\) colour"):
        parse_suite(suite({"colour": "red"}), name="t")
    jobs = parse_suite({**suite({"pick": 2}), "time_limit": 7}, name="t").jobs()
    # the suite's time limit fills the option whose role is the time limit, whatever its name
    assert jobs[0].solve_options() == {"pick": 2, "deadline": 7, "seed": 0}
    assert job_allowance(jobs[0]) == 2 * 7 + WATCHDOG_GRACE_SECONDS


def test_roles_are_read_not_guessed():
    qubo = get("qubo")  # the default solver's 10 s budget is a declared default: the estimate reads it
    assert qubo.budget_seconds({}) == 10.0
    assert qubo.limit_seconds({}) is None and qubo.limit_seconds({"time_budget": 3}) == 3.0  # the watchdog: given limits
    assert qubo.options["encoding"].default == "domain-wall"  # `solvers -v` shows what `qubo` runs
    pt = get("pt")
    assert pt.limit_seconds({}) is None  # no limit given: no watchdog
    assert pt.limit_seconds({"max_time": 3}) == 3.0
    assert get("exact-discrete").option_for(Role.TIME_LIMIT) == "time_limit"
    assert get("sa").option_for(Role.TIME_LIMIT) is None


def test_a_backend_must_declare_option_records():
    class Untyped(TopReturns):
        name = "test-untyped"
        options = {"pick": "help text only"}

    with pytest.raises(SolverError, match="declare options"):
        solve(SMALL[0], Untyped())
    with pytest.raises(SolverError, match="declared twice"):
        declare(Option("a", ""), Option("a", ""))


def test_cli_flags_come_from_the_declarations(capsys):
    assert main(["solve", "--synthetic", "6", "--k", "2", "--solver", "sa", "--num-reads", "20", "--num-sweeps", "500",
                 "--seed", "1", "--json"]) == 0
    capsys.readouterr()
    assert main(["solve", "--synthetic", "6", "--k", "2", "--solver", "sa", "--num-reads", "x"]) == 2
    assert "sa option num_reads must be" in capsys.readouterr().err
    assert main(["solve", "--synthetic", "6", "--k", "2", "--solver", "qaoa-fast", "--mixer", "xz"]) == 2
    assert "mixer must be one of x, xy-ring, xy-complete" in capsys.readouterr().err
