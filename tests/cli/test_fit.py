"""``qportfolio fit``: whether a QUBO or a decompose subproblem embeds on a (mock) QPU, and its exit codes."""

import json

import pytest

from qportfolio.cli import main
from qportfolio.cli.fit import NO_EMBEDDING_EXIT

MOCK = ["-o", "mock=pegasus:4", "--json"]


def fit(capsys, *argv):
    rc = main(["fit", *argv, *MOCK])
    return rc, json.loads(capsys.readouterr().out)


def test_a_subproblem_fits_up_to_the_largest_clique_and_no_further(capsys):
    """The boundary is the mock graph's largest clique: N embeds (exit 0), N + 1 does not (exit 4)."""
    pytest.importorskip("minorminer")
    rc, first = fit(capsys, "--subproblem-size", "8")
    largest = first["largest_clique"]
    assert rc == 0 and first["embeds"] and first["variables"] == 8 and first["fingerprint"] is None
    rc, at = fit(capsys, "--subproblem-size", str(largest))
    assert rc == 0 and at["embeds"] and at["chain_length_max"] >= 1
    rc, over = fit(capsys, "--subproblem-size", str(largest + 1))
    assert rc == NO_EMBEDDING_EXIT == 4 and not over["embeds"] and "largest clique" in over["reason"]


def test_a_problem_is_checked_as_its_qubo(capsys):
    pytest.importorskip("minorminer")
    import qportfolio as qp

    rc, out = fit(capsys, "--synthetic", "6", "--instance-seed", "1", "--k", "3", "--encoding", "binary")
    problem = qp.synthetic_problem(6, seed=1, cardinality=3)
    assert rc == 0 and out["fingerprint"] == problem.fingerprint
    assert out["variables"] == qp.encode(problem, encoding="binary").num_variables


def test_a_subproblem_size_with_a_problem_is_refused(capsys):
    assert main(["fit", "--synthetic", "6", "--k", "3", "--subproblem-size", "8", *MOCK]) == 2
    assert "--subproblem-size checks a dense subproblem" in capsys.readouterr().err
