"""Benchmark suites: expansion, job keys, errors that name the key."""

from __future__ import annotations

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
])
def test_suite_errors_name_the_key(change, match):
    data = {"instances": [{"kind": "synthetic", "n": [5]}], "solvers": [{"solver": "sa"}]}
    data.update(change)
    with pytest.raises(ValidationError, match=match):
        parse_suite(data, name="bad")


def test_unknown_suite_is_a_data_error():
    with pytest.raises(DataError, match="neither a built-in suite"):
        load_suite("no-such-suite")
