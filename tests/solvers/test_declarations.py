"""One fact, one place: each option's default lives on its Option record only. Every registered
solver's hook (``_sample`` of a QUBO solver, ``_solve`` otherwise) is compared with its declarations,
and the base classes are shown to hand the hook every declared option with its default filled in."""

from __future__ import annotations

import inspect
from typing import Any

import dimod
import numpy as np
import pytest

from qportfolio import solve
from qportfolio.solvers import Option, QuboSolver, SampleRun, Solver, SolverOutput, declare, register, registry, unregister
from qportfolio.solvers.options import COUNT, POSITIVE, choice, client_options
from qportfolio.status import Status

from ..conftest import SMALL

#: the problem (``_solve``) or the QUBO (``_sample``): the hook's one positional argument
POSITIONAL = {"problem", "qubo"}


def _hook(solver: Solver) -> tuple[Any, set[str]]:
    """The solver's own hook and the option names it should receive by name (seed included)."""
    if isinstance(solver, QuboSolver):
        return type(solver)._sample, set(solver.sampler_options) | {"seed"}
    return type(solver)._solve, set(solver.options)


def _solvers_with_their_own_hook() -> list[str]:
    """Built-in solvers whose hook gets the declared options (``qubo`` forwards to its backend's); a
    plug-in registered by another test (tests/bench/faulty_solvers.py) is its author's business."""
    return [name for name in sorted(registry.BUILTIN_SOLVERS)
            if isinstance(s := registry.get(name), QuboSolver) or s.fills_defaults]


@pytest.mark.parametrize("name", _solvers_with_their_own_hook())
def test_the_hook_signature_matches_the_declarations(name):
    solver = registry.get(name)
    hook, declared = _hook(solver)
    params = list(inspect.signature(hook).parameters.values())[1:]  # self
    named = [p for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in POSITIONAL]
    assert not [p.name for p in named if p.name not in declared], f"{name}: hook parameters that are not options"
    assert not [p.name for p in params if p.default is not p.empty], f"{name}: a default belongs on the Option record"
    if not any(p.kind == p.VAR_KEYWORD for p in params):  # named parameters only: every option must reach them
        assert declared == {p.name for p in named}, f"{name}: declared options the hook does not take"


def test_every_forwarding_solver_hands_its_options_to_a_checked_hook():
    """Solvers whose ``_solve`` takes the options as given forward them to a QUBO solver's machinery."""
    forwarding = [n for n in registry.available() if not isinstance(registry.get(n), QuboSolver)
                  and not registry.get(n).fills_defaults]
    assert forwarding == ["qubo"]
    assert isinstance(registry.get("qubo").backend, QuboSolver)


class _Recorder(Solver):
    """A ``_solve`` with no defaults in its signature: it records what the base class hands it."""

    name = "test-declared-defaults"
    options = declare(
        Option("pick", "a count", COUNT, default=3),
        Option("order", "an end", choice("high", "low"), default="low"),
        Option("deadline", "seconds", POSITIVE, nullable=True),
        Option("seed", "unused", nullable=True),
    )

    def _solve(self, problem, *, pick, order, deadline, seed):
        w = np.zeros(problem.n)
        w[np.argsort(problem.expected_returns)[: problem.cardinality]] = 1 / problem.cardinality
        return SolverOutput(weights=w, feasible=True, status=Status.FEASIBLE,
                            parameters={"pick": pick, "order": order, "deadline": deadline, "seed": seed})


class _QuboRecorder(QuboSolver):
    """A ``_sample`` with no defaults: it records its parameters, and samples the all-zero state."""

    name = "test-declared-qubo-defaults"
    sampler_options = declare(
        Option("reads", "a count", COUNT, default=2),
        Option("cap", "seconds", POSITIVE, nullable=True),
        Option("mode", "a mode", choice("a", "b"), default="a"),
    )
    calls: list[dict[str, Any]] = []

    def _sample(self, qubo, *, seed, reads, cap, mode):
        type(self).calls.append({"seed": seed, "reads": reads, "cap": cap, "mode": mode})
        zeros = np.zeros((1, qubo.bqm.num_variables), dtype=np.int8)
        return SampleRun(dimod.SampleSet.from_samples_bqm((zeros, list(qubo.bqm.variables)), qubo.bqm))


@pytest.fixture
def recorders():
    register(_Recorder)
    register(_QuboRecorder)
    _QuboRecorder.calls.clear()
    yield
    unregister(_Recorder.name)
    unregister(_QuboRecorder.name)


def test_the_base_class_fills_every_declared_default(recorders):
    assert solve(SMALL[0], _Recorder.name).parameters == {"pick": 3, "order": "low", "deadline": None, "seed": None}
    given = solve(SMALL[0], _Recorder.name, pick=2, deadline=1.5, seed=7).parameters
    assert given == {"pick": 2, "order": "low", "deadline": 1.5, "seed": 7}


def test_the_qubo_base_fills_the_samplers_defaults_and_records_what_it_did_before(recorders):
    result = solve(SMALL[0], _QuboRecorder.name, seed=5)
    assert _QuboRecorder.calls == [{"seed": 5, "reads": 2, "cap": None, "mode": "a"}]
    # recorded as before the defaults moved: declared defaults that are set, and what was given
    assert {k: result.parameters[k] for k in ("reads", "mode")} == {"reads": 2, "mode": "a"}
    assert "cap" not in result.parameters
    result = solve(SMALL[0], _QuboRecorder.name, seed=5, cap=0.5, mode="b")
    assert _QuboRecorder.calls[-1] == {"seed": 5, "reads": 2, "cap": 0.5, "mode": "b"}
    assert result.parameters["cap"] == 0.5 and result.parameters["mode"] == "b"


def test_an_explicit_null_is_not_replaced_by_the_default():
    """decompose's max_time: null means no cap, not the 60 s default."""
    solver = registry.get("decompose")
    assert solver.sample_params({"max_time": None})["max_time"] is None
    assert solver.sample_params({})["max_time"] == solver.sampler_options["max_time"].default


def test_options_choosing_local_credentials_or_files_are_marked_on_the_record():
    """What a service must refuse is read from the records: every declaration of these names is marked,
    and no other option is."""
    local = {"config_file", "profile", "embedding_cache"}
    for name in registry.available():
        options = registry.get(name).options
        marked = {o.name for o in options.values() if o.local_only}
        assert marked == local & set(options), name
        assert set(client_options(options)) == set(options) - local


def test_the_service_refuses_the_local_options_and_never_lists_them():
    from qportfolio.errors import ValidationError
    from qportfolio.serve.tasks import read_portfolio

    body = {"problem": {"synthetic": 6, "cardinality": 3}, "solver": "dwave-qpu"}
    with pytest.raises(ValidationError, match="server's own credentials") as refused:
        read_portfolio({**body, "options": {"profile": "prod", "mock": True}}, max_assets=50)
    assert "profile" in str(refused.value)
    with pytest.raises(ValidationError, match="does not take option") as unknown:
        read_portfolio({**body, "options": {"nope": 1}}, max_assets=50)
    allowed = str(unknown.value).split("allowed: ", 1)[1]
    assert "num_reads" in allowed and not {"profile", "config_file", "embedding_cache"} & set(allowed.split(", "))
    problem, solver, options = read_portfolio({**body, "solver": "qaoa-fast", "options": {"reps": 1}}, max_assets=50)
    assert solver == "qaoa-fast" and options == {"reps": 1} and problem.n == 6
