"""Benchmark suites: expansion, job keys, errors that name the key."""

from __future__ import annotations

import numpy as np
import pytest

from qportfolio.bench import load_suite, parse_suite
from qportfolio.errors import DataError, ValidationError

from .conftest import write_suite


def test_builtin_suites_expand():
    quick = load_suite("quick")
    jobs = quick.jobs()
    assert len(jobs) == len({j.key for j in jobs}) == 250
    assert jobs[0].config.role == "reference"  # references first
    assert {j.config.name for j in jobs} >= {"exact-discrete", "exact-continuous", "sa", "sa-penalty-0.5", "tabu"}
    for name in ("orlib", "scaling"):
        suite = load_suite(name)
        assert suite.solvers and suite.instances


def test_job_keys_identify_the_same_work_across_suites(tmp_path):
    a = load_suite(str(write_suite(tmp_path)))
    b_path = tmp_path / "other.toml"
    b_path.write_text(write_suite(tmp_path).read_text().replace('name = "tiny"', 'name = "other"'))
    b = load_suite(str(b_path))
    assert [j.key for j in a.jobs()] == [j.key for j in b.jobs()]
    c_path = tmp_path / "seeded.toml"
    c_path.write_text(write_suite(tmp_path).read_text().replace("seed = 5", "seed = 7"))  # seeds 7, 8 vs 5, 6
    solver_keys = {j.key for j in a.jobs() if j.config.role == "solver"}
    assert solver_keys.isdisjoint(j.key for j in load_suite(str(c_path)).jobs() if j.config.role == "solver")
    jobs = a.jobs()
    assert len(jobs) == 4 * (1 + 2 * 2)  # 4 instance points x (reference + 2 configs x 2 seeds)
    sa = [j for j in jobs if j.config.name == "sa-fast"]
    assert sa[0].solve_options() == {"num_reads": 10, "num_sweeps": 200, "seed": 5}


@pytest.mark.parametrize("change, match", [
    ({"colour": "red"}, "unknown key"),
    ({"instances": [{"kind": "csv"}]}, r"instances\[0\].kind"),
    ({"instances": [{"kind": "orlib"}]}, "needs the key 'names'"),
    ({"parameters": {"lambda": [0.5]}}, r"\[parameters\] has unknown key"),
    ({"solvers": [{"solver": "nope"}]}, "not registered"),
    ({"solvers": [{"solver": "sa"}, {"solver": "sa"}]}, "used twice"),
    # found by fuzzing: repeats = 10**30 expanded jobs until the machine ran out of memory
    ({"repeats": 10**30}, "over the limits"),
    ({"solvers": [{"solver": "sa", "repeats": 2_000_000}]}, "over the limits"),
    ({"parameters": {"risk_aversion": [0.1] * 200, "min_weight": [0.01] * 200}}, "40,000 problems"),
    ({"seed": 2**32 - 1, "repeats": 2}, "seed range"),
])
def test_suite_errors_name_the_key(change, match):
    data = {"instances": [{"kind": "synthetic", "n": [5]}], "solvers": [{"solver": "sa"}]}
    data.update(change)
    with pytest.raises(ValidationError, match=match):
        parse_suite(data, name="bad")


def test_job_keys_are_stable_across_releases():
    """Keys written by earlier releases must still match, or a database would be redone from
    scratch: the first value is a chang2000 reference key from a database written before the
    suite reader returned limits as floats (60.0 once hashed differently from TOML's 60)."""
    from qportfolio.bench.suite import job_key

    assert job_key("6d367015c61155fa", "exact-continuous", {}, 60, None) == "990b1aa7c5fedb839c3e2399db3683cf"
    assert job_key("6d367015c61155fa", "exact-continuous", {}, 60.0, None) == "990b1aa7c5fedb839c3e2399db3683cf"
    assert job_key("6d367015c61155fa", "sa", {"num_reads": 10}, 2.5, 3) == "4e7d8608a8ebe0080a928a1bddee54fb"


def test_suite_size_is_counted_without_building():
    suite = load_suite("quick")
    assert suite.count_problems() == len(suite.problems())
    assert suite.count_jobs() >= len(suite.jobs())


def test_unknown_suite_is_a_data_error():
    with pytest.raises(DataError, match="neither a built-in suite"):
        load_suite("no-such-suite")


def test_chang2000_is_chang_et_al_s_setup():
    suite = load_suite("chang2000")
    problems = suite.problems()
    lambdas = sorted({p.risk_aversion for _, _, p, _ in problems})
    assert len(lambdas) == 51 and lambdas[0] == 0.0 and lambdas[-1] == 1.0
    assert np.allclose(np.diff(lambdas), 0.02, rtol=0, atol=1e-12)
    assert {name for _, name, _, _ in problems} == {"port1", "port2", "port3", "port4", "port5"}
    for _, _, p, _ in problems:
        assert p.cardinality == 10 and p.weight_step == 0.01
        assert np.all(p.min_weight == 0.01) and np.all(p.max_weight == 1.0)
    jobs = suite.jobs()
    refs = [j for j in jobs if j.config.role == "reference"]
    assert len(refs) == 2 * 255 and {j.config.solver for j in refs} == {"exact-continuous", "exact-discrete"}
    assert all(j.time_limit == 30 for j in refs)
    qubo = [j for j in jobs if j.config.solver == "qubo"]
    assert len(qubo) == 255 and all(j.solve_options()["time_budget"] == 10.0 for j in qubo)
    assert len(jobs) == 255 * 5


def test_expected_seconds_hints_are_validated():
    data = {"instances": [{"kind": "synthetic", "n": [5]}], "solvers": [{"solver": "sa", "expected_seconds": -1}]}
    with pytest.raises(ValidationError, match=r"solvers\[0\].expected_seconds must be a non-negative number"):
        parse_suite(data, name="bad")
    data = {"instances": [{"kind": "synthetic", "n": [5]}], "references": {"discrete": True, "expected_seconds": {"a": "x"}}}
    with pytest.raises(ValidationError, match=r"\[references\].expected_seconds.a"):
        parse_suite(data, name="bad")
