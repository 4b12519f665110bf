"""Property-based fuzzing of every reader: a mutated valid input gives a valid object or the
library's own error (QPortfolioError), never another exception.

Mutations replace a value anywhere in the input by a wrong type (None, booleans, strings,
numbers as strings, NaN/inf, huge integers, nested lists, objects), truncate lists, wrap values
in lists and delete keys; text formats (CSV, OR-Library) get garbage cells, truncated or
duplicated rows and dropped columns. Each reader gets a bounded number of examples so that the
whole file runs in well under a minute.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qportfolio.bench.suite import parse_suite
from qportfolio.cli.args import parse_key_values
from qportfolio.data import problem_from_returns, synthetic_problem
from qportfolio.data.orlib import load_orlib
from qportfolio.data.prices import read_prices, returns_from_prices
from qportfolio.data.spec import problem_from_spec
from qportfolio.errors import QPortfolioError
from qportfolio.lp.model import parse_model
from qportfolio.problem import PortfolioProblem
from qportfolio.solvers import solve

EXAMPLES = resources.files("qportfolio.examples")
DEMO = json.loads(EXAMPLES.joinpath("demo.json").read_text())
ALLOCATION = json.loads(EXAMPLES.joinpath("allocation.json").read_text())
PAYLOAD = {
    "variables": [{"name": "stocks", "type": "continuous", "lb": 0, "ub": 0.8}, {"name": "bonds", "type": "integer", "lb": 0},
                  {"name": "cash", "type": "binary"}],
    "objective": {"sense": "maximize", "coefficients": {"stocks": 0.07, "bonds": 0.03, "cash": 0.01}},
    "constraints": [{"name": "budget", "coefficients": {"stocks": 1, "bonds": 1, "cash": 1}, "sense": "<=", "rhs": 1}],
}
QUICK_SUITE = tomllib.loads(resources.files("qportfolio.bench").joinpath("suites", "quick.toml").read_text())
PRICES = EXAMPLES.joinpath("prices.csv").read_text()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BAD_VALUES = st.one_of(
    st.none(), st.booleans(), st.sampled_from(["", "x", "1.5", "nan", "[1]"]),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-3, 40), st.just(10**30),
    st.lists(st.one_of(st.none(), st.integers(-2, 3), st.text(max_size=2)), max_size=3),
    st.just([[1, 2], [3]]), st.dictionaries(st.text(max_size=3), st.integers(0, 2), max_size=2),
)


@pytest.fixture(scope="module", autouse=True)
def _small_memory_limit():
    """Memory guards at 2 GiB here: a mutated size that slips past a guard set at half the machine's
    memory would otherwise take the test process down with it (repeats = 10**30 once did)."""
    old = os.environ.get("QPORTFOLIO_MAX_MEMORY_GB")
    os.environ["QPORTFOLIO_MAX_MEMORY_GB"] = "2"
    yield
    if old is None:
        del os.environ["QPORTFOLIO_MAX_MEMORY_GB"]
    else:
        os.environ["QPORTFOLIO_MAX_MEMORY_GB"] = old


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for i, value in enumerate(obj[:4]):
            yield from _paths(value, (*prefix, i))


@st.composite
def mutated(draw, base):
    """``base`` with one to three mutations at random places."""
    obj = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(obj) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = obj
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "truncate", "wrap", "delete"]))
        if action == "replace":
            parent[key] = copy.deepcopy(draw(BAD_VALUES))  # st.just() hands out one shared object
        elif action == "truncate" and isinstance(parent[key], list):
            parent[key] = parent[key][: draw(st.integers(0, len(parent[key])))]
        elif action == "wrap":
            parent[key] = [parent[key]]
        elif action == "delete" and isinstance(parent, dict):
            del parent[key]
    return obj


def valid_or_own_error(fn, *args):
    try:
        return fn(*args)
    except QPortfolioError as exc:
        assert str(exc) and "\n" not in str(exc).strip(), "errors are one line"
        return None


@FUZZ
@given(mutated(DEMO))
def test_problem_spec_reader(spec):
    out = valid_or_own_error(problem_from_spec, spec)
    assert out is None or isinstance(out, PortfolioProblem)


@FUZZ
@given(st.one_of(mutated(ALLOCATION), mutated(PAYLOAD)))
def test_lp_model_reader_both_shapes(model):
    valid_or_own_error(parse_model, model)


@FUZZ
@given(mutated(QUICK_SUITE))
def test_bench_suite_reader(data):
    def expand(d):
        suite = parse_suite(d, name="fuzz")
        if sum(len(s["n"]) * len(s["seeds"]) for s in suite.instances) <= 12:
            suite.jobs()  # builds every problem: parameter values are checked here
        return suite

    valid_or_own_error(expand, data)


def _mutate_csv(draw, text: str) -> str:
    lines = text.splitlines()
    garbage = st.sampled_from(["x", "", "nan", "inf", "-1", "0", "1e400", "2020-13-45", '"', "1e-320", "True"])
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["cell", "cell", "truncate", "short_row", "duplicate", "drop_column"]))
        if action == "cell" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            cells = lines[i].split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(garbage)
            lines[i] = ",".join(cells)
        elif action == "truncate":
            lines = lines[: draw(st.integers(0, len(lines)))]
        elif action == "short_row" and len(lines) > 1:
            i = draw(st.integers(1, len(lines) - 1))
            lines[i] = ",".join(lines[i].split(",")[: draw(st.integers(1, 3))])
        elif action == "duplicate" and lines:
            lines.insert(draw(st.integers(0, len(lines))), lines[draw(st.integers(0, len(lines) - 1))])
        elif action == "drop_column" and lines:
            j = draw(st.integers(0, len(lines[0].split(",")) - 1))
            lines = [",".join(c for k, c in enumerate(line.split(",")) if k != j) for line in lines]
    return "\n".join(lines) + "\n"


@FUZZ
@given(st.data())
def test_prices_csv_reader(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("csv") / "prices.csv"
    path.write_text(_mutate_csv(data.draw, PRICES))

    def build():
        returns = returns_from_prices(read_prices(path))
        return problem_from_returns(returns, cardinality=2, weight_step=0.25, min_weight=0.25)

    valid_or_own_error(build)


def _orlib_text(problem: PortfolioProblem) -> str:
    n, sd = problem.n, np.sqrt(np.diag(problem.covariance))
    corr = problem.covariance / np.outer(sd, sd)
    lines = [str(n)] + [f"{m:.6f} {s:.6f}" for m, s in zip(problem.expected_returns, sd)]
    lines += [f"{i + 1} {j + 1} {corr[i, j]:.6f}" for i in range(n) for j in range(i, n)]
    return "\n".join(lines) + "\n"


ORLIB_TEXT = _orlib_text(synthetic_problem(5, seed=3))


@FUZZ
@given(st.data())
def test_orlib_file_reader(tmp_path_factory, data):
    tokens = ORLIB_TEXT.split()
    for _ in range(data.draw(st.integers(1, 3))):
        action = data.draw(st.sampled_from(["replace", "truncate", "delete", "insert"]))
        if action == "replace" and tokens:
            tokens[data.draw(st.integers(0, len(tokens) - 1))] = data.draw(
                st.sampled_from(["x", "nan", "inf", "-3", "1.5", "0", "99999999999999999999", "7", "-0.5"]))
        elif action == "truncate":
            tokens = tokens[: data.draw(st.integers(0, len(tokens)))]
        elif action == "delete" and tokens:
            del tokens[data.draw(st.integers(0, len(tokens) - 1))]
        else:
            tokens.insert(data.draw(st.integers(0, len(tokens))), data.draw(st.sampled_from(["0.5", "1", "x"])))
    path = tmp_path_factory.mktemp("orlib") / "port1.txt"
    path.write_text(" ".join(tokens))
    valid_or_own_error(lambda: load_orlib(path, cardinality=2, weight_step=0.25, min_weight=0.25))


def test_the_orlib_reader_still_reads_its_own_format(tmp_path):
    path = tmp_path / "port9.txt"
    path.write_text(ORLIB_TEXT)
    p = load_orlib(path, cardinality=2, weight_step=0.25, min_weight=0.25)
    assert np.allclose(p.covariance, synthetic_problem(5, seed=3).covariance, rtol=1e-4, atol=1e-9)


TINY = synthetic_problem(4, seed=1, cardinality=2, weight_step=0.5, min_weight=0.5)
FAST_SOLVERS = {"sa": {"num_reads": 4, "num_sweeps": 50}, "tabu": {"num_reads": 2, "timeout": 20}, "steepest": {},
                "brute": {}, "exact-discrete": {}, "qaoa-fast": {"reps": 1, "maxiter": 5}}
OPTION_TEXT = st.sampled_from(["x", "-1", "0", "1.5", "[1]", "[]", "{}", "null", "true", "1e400", "NaN", '"3"',
                               "10000000000000000000000", "[0.1, 1]", "2"])


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(sorted(FAST_SOLVERS)), st.data())
def test_option_values_from_the_command_line(solver, data):
    from qportfolio.solvers import get

    names = sorted(k for k in get(solver).options if k not in ("sampler", "pass_manager", "interrupt_function", "verbose"))
    key = data.draw(st.sampled_from(names))
    options = {**FAST_SOLVERS[solver], **valid_or_own_error(parse_key_values, [f"{key}={data.draw(OPTION_TEXT)}"])}
    if key in ("timeout", "time_limit", "time_budget", "tabu_timeout", "num_sweeps", "maxiter", "num_reads", "shots",
               "reps", "restarts", "batches", "max_time", "max_iter", "num_restarts", "embedding_timeout"):
        value = options[key]  # a valid but enormous budget is the user's choice, not a fault: keep runs short
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 2:
            options[key] = 2
    out = valid_or_own_error(lambda: solve(TINY, solver, **options))
    assert out is None or out.solver == solver


SPEC_CASES = [
    {**DEMO, "covariance": [[0.04, 0.01], "x"]},
    {**DEMO, "cardinality": "3"},
    {**DEMO, "min_weight": [[0.1]]},
    {**DEMO, "expected_returns": 0.1},
]


@pytest.mark.parametrize("spec", SPEC_CASES, ids=["row-string", "k-string", "nested-bound", "scalar-mu"])
def test_cli_answers_malformed_specs_with_one_line_and_exit_2(tmp_path, spec):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    run = subprocess.run([sys.executable, "-m", "qportfolio.cli", "solve", str(path), "--solver", "brute"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_cli_answers_bad_option_values_and_suites_with_exit_2(tmp_path):
    suite = tmp_path / "bad.toml"
    suite.write_text('name = "bad"\n[[instances]]\nkind = "synthetic"\nn = ["six"]\n[[solvers]]\nsolver = "sa"\n')
    for argv in (["solve", "--synthetic", "5", "--k", "2", "--solver", "sa", "-o", "num_reads=x"],
                 ["bench", "run", str(suite), "--db", str(tmp_path / "r.sqlite")]):
        run = subprocess.run([sys.executable, "-m", "qportfolio.cli", *argv], capture_output=True, text=True, timeout=120)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    assert "n[0]" in run.stderr and "integer" in run.stderr


def test_messages_name_the_field_and_what_was_expected():
    cases = [
        ({**DEMO, "covariance": [[0.04, "x"], *DEMO["covariance"][1:]]}, "covariance[0][1] must be a number"),
        ({**DEMO, "cardinality": "3"}, "cardinality must be an integer"),
        ({**DEMO, "risk_aversion": [0.5]}, "risk_aversion must be a number"),
        ({**DEMO, "assets": "ABC"}, "assets must be a list of names"),
        ({**DEMO, "weight_step": True}, "weight_step must be a number"),
    ]
    for spec, message in cases:
        with pytest.raises(QPortfolioError, match=message.replace("[", r"\[").replace("]", r"\]")):
            problem_from_spec(spec)
    with pytest.raises(QPortfolioError, match="sa option num_reads must be an integer"):
        solve(TINY, "sa", num_reads="10")
    with pytest.raises(QPortfolioError, match="lagrangian_shift must be true or false"):
        solve(TINY, "sa", lagrangian_shift=5)
    # found by the fuzz test in a fresh clone: an empty mapping was a KeyError
    with pytest.raises(QPortfolioError, match=r"penalties needs all of cardinality, budget, linking.*missing: budget"):
        solve(TINY, "sa", penalties={"cardinality": 1.0})


def test_readers_do_not_coerce_strings_to_numbers():
    with pytest.raises(QPortfolioError, match="expected_returns\\[0\\] must be a number"):
        problem_from_spec({**DEMO, "expected_returns": ["0.1", *DEMO["expected_returns"][1:]]})


def test_memory_guards_refuse_before_allocating(monkeypatch):
    from qportfolio import encode

    monkeypatch.setenv("QPORTFOLIO_MAX_MEMORY_GB", "0.05")
    qubo = encode(synthetic_problem(60, seed=1, cardinality=5, weight_step=0.01, min_weight=0.01), encoding="unary")
    with pytest.raises(QPortfolioError, match=r"dimod BQM of [\d,]+ variables .* GiB.*tabu-structured.*coarser weight_step"):
        _ = qubo.bqm  # the structured QUBO is small; the BQM a sampler like sa needs is refused before it is built
    with pytest.raises(QPortfolioError, match=r"synthetic instance with n=5000 assets.*smaller n"):
        synthetic_problem(5000)
    with pytest.raises(QPortfolioError, match=r"reads of .* variables.*fewer num_reads"):
        solve(TINY, "sa", num_reads=10_000_000, num_sweeps=1)
    with pytest.raises(QPortfolioError, match=r"grid feasibility tables.*coarser weight_step"):
        synthetic_problem(30, seed=1, cardinality=5, weight_step=1e-6, min_weight=1e-6)
    monkeypatch.setenv("QPORTFOLIO_MAX_MEMORY_GB", "lots")
    with pytest.raises(QPortfolioError, match="QPORTFOLIO_MAX_MEMORY_GB must be a positive number"):
        synthetic_problem(5)


def test_examples_still_load():
    assert isinstance(problem_from_spec(DEMO), PortfolioProblem)
    parse_model(ALLOCATION)
    parse_model(PAYLOAD)
    assert parse_suite(copy.deepcopy(QUICK_SUITE), name="quick").jobs()
    assert Path(str(EXAMPLES.joinpath("prices.csv"))).is_file()
