"""``qportfolio bench run --dry-run`` (counts and estimates) and the bench flags' refusals."""

import pytest

from qportfolio.bench import load_suite
from qportfolio.cli import main


def dry_run(capsys, *more):
    assert main(["bench", "run", "quick", "--dry-run", *more]) == 0
    return capsys.readouterr().out


def test_dry_run_counts_the_suites_jobs_per_configuration(capsys):
    suite = load_suite("quick")
    jobs = suite.jobs()
    out = dry_run(capsys)
    assert out.startswith(f"suite quick: {len(jobs)} jobs ({len({j.problem.fingerprint for j in jobs})} instance x ")
    assert f"{len(jobs)} pending" in out.splitlines()[0]
    for config in suite.configs():
        count = sum(j.config.name == config.name for j in jobs)
        line = next(ln for ln in out.splitlines() if ln.split()[0] == config.name)
        assert line.split()[1:5] == [str(count), "pending", "of", str(count)]


def test_dry_run_limit_and_done_jobs(tmp_path, capsys):
    db = tmp_path / "q.db"
    jobs = load_suite("quick").jobs()
    assert "3 pending in this run (--limit 3)" in dry_run(capsys, "--limit", "3").splitlines()[0]
    assert main(["bench", "run", "quick", "--limit", "2", "--db", str(db)]) == 0
    capsys.readouterr()
    first = dry_run(capsys, "--db", str(db)).splitlines()[0]
    assert f"{len(jobs) - 2} pending, 2 already in {db}" in first


@pytest.mark.parametrize("argv, message", [
    (["bench", "run", "quick"], "bench run needs --db FILE"),
    (["bench", "run", "quick", "--dry-run", "--job-timeout", "5"], "--job-timeout shapes a run"),
    (["bench", "run", "quick", "--dry-run", "--workers", "2", "--scheduler", "tcp://127.0.0.1:9"], "give one of"),
])
def test_bench_run_refusals_are_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
