"""The fit check: embed before any QPU time, estimate the access time, say so honestly for a mock."""

from __future__ import annotations

import pytest

import qportfolio as qp
from qportfolio.errors import ValidationError
from qportfolio.solvers.dwave.fit import Fit, access_estimate, fit_check, qpu_name
from qportfolio.solvers.dwave.mock import mock_sampler

from ...conftest import selection_problem

pytest.importorskip("dwave.system")


pytestmark = pytest.mark.usefixtures("isolated_dwave_config")


def test_fit_check_before_any_qpu_time(capsys):
    from qportfolio.cli import main

    args = ["fit", "--orlib", "port1", "--k", "5", "--step", "0.1", "--min-weight", "0.1", "-o", "mock=pegasus"]
    assert main([*args, "--encoding", "binary"]) == 0
    out = capsys.readouterr().out
    assert "fit         yes: 124 variables" in out and "chains max" in out and "QPU access time" in out
    assert "classical stand-in" in out
    assert main(args) == 4  # domain-wall: 186 variables, all coupled, over the 180-variable clique
    assert "largest clique" in capsys.readouterr().out
    assert main(["fit", "--subproblem-size", "20", "-o", "mock=pegasus", "--json"]) == 0
    import json

    fit = json.loads(capsys.readouterr().out)
    assert fit["embeds"] and fit["largest_clique"] == 180 and fit["chain_length_max"] >= 1 and fit["qpu_access_estimate_s"] > 0
    assert main(["fit", "--subproblem-size", "20", "-o", "mock=pegasus", "-o", "chain_strength=2"]) == 2
    assert "fit does not use chain_strength" in capsys.readouterr().err




def test_fit_check_of_a_qubo_and_of_cliques_at_the_edge():
    child = mock_sampler("pegasus:4", seed=0)
    from minorminer.busclique import busgraph_cache

    largest = len(busgraph_cache(child.to_networkx_graph()).largest_clique())
    at = fit_check(child, size=largest, num_reads=10)
    over = fit_check(child, size=largest + 1, num_reads=10)
    assert at.embeds and at.variables == largest and at.physical_qubits >= largest and at.largest_clique == largest
    assert not over.embeds and over.physical_qubits is None and "larger than the largest clique" in over.reason
    assert "fit         no" in over.lines()[-1] and "classical stand-in" in over.lines()[0]
    qubo = qp.encode(selection_problem(6, 2))
    fit = fit_check(child, qubo=qubo, num_reads=10)
    assert fit.embeds and fit.variables == qubo.num_variables == 6 and fit.mock and fit.qpu == qpu_name(child)
    assert fit.chain_length_mean == pytest.approx(fit.physical_qubits / 6)


def test_access_estimate_grows_with_the_reads():
    child = mock_sampler("pegasus:4", seed=0)
    few, basis = access_estimate(child, 40, 10, None, None, False)
    many, _ = access_estimate(child, 40, 1000, None, None, False)
    assert 0 < few < many and "the mock has none" in basis


def test_fit_refuses_options_that_act_only_when_sampling():
    qpu = qp.solvers.get("dwave-qpu")
    with pytest.raises(ValidationError, match="fit does not use postprocess"):
        qpu.fit(size=4, mock="pegasus:4", postprocess="steepest")
    fit = qpu.fit(size=4, mock="pegasus:4", reverse_anneal=0.5, num_reads=5)
    assert isinstance(fit, Fit) and fit.embeds and fit.num_reads == 5
