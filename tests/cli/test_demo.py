"""``qportfolio demo``: its problem, its comparison table, a run."""

import argparse

import pytest

from qportfolio.cli import main
from qportfolio.cli.demo import demo_problem, side_by_side


def test_demo_runs(capsys):
    assert main(["demo", "--num-reads", "50", "--num-sweeps", "500"]) == 0
    out = capsys.readouterr().out
    assert "exact-discrete" in out and "sa" in out and "gap" in out



def demo_args(**given):
    return argparse.Namespace(**{"orlib": None, "k": None, "data_dir": None, **given})


def test_demo_problem_is_the_example_or_an_orlib_set_on_a_005_grid(demo_spec_path):
    from qportfolio.data import load_orlib, load_spec

    assert demo_problem(demo_args()).fingerprint == load_spec(demo_spec_path).fingerprint
    direct = load_orlib("port1", cardinality=4, weight_step=0.05, min_weight=0.05)
    assert demo_problem(demo_args(orlib="port1", k=4)).fingerprint == direct.fingerprint
    assert demo_problem(demo_args(orlib="port1")).cardinality == 10
    from qportfolio.errors import ValidationError

    with pytest.raises(ValidationError, match="--k sets up --orlib NAME"):
        demo_problem(demo_args(k=3))


def test_side_by_side_gaps_and_weights_are_the_results_own():
    import qportfolio as qp
    from qportfolio.result import relative_gap

    problem = qp.synthetic_problem(6, seed=1, cardinality=2, weight_step=0.25)
    exact = qp.solve(problem, "brute")
    other = qp.solve(problem, "sa", seed=1, num_reads=3, num_sweeps=10, encoding="binary", time_budget=0.2)
    text = side_by_side(problem, [other, exact], exact, labels=["mine", "proven"])
    rows = {line.split()[0]: line.split() for line in text.splitlines() if line.startswith(("mine ", "proven "))}
    assert float(rows["proven"][2]) == 0.0
    assert float(rows["mine"][2]) == pytest.approx(relative_gap(other.objective, exact.objective), rel=1e-2, abs=1e-12)
    held = text.split("weights\n")[1].splitlines()[1:]
    for line in held:
        asset, *weights = line.split()
        assert [float(w) for w in weights] == pytest.approx([other.weights_by_asset().get(asset, 0.0),
                                                              exact.weights_by_asset().get(asset, 0.0)], abs=5e-4)
    assert {line.split()[0] for line in held} == set(other.selected) | set(exact.selected)
