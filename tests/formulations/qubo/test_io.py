"""QUBO files: save then load gives the same variables, energies and decode, in both formats; a file
that is not qportfolio's, or whose problem was altered, is refused."""

import json

import dimod
import numpy as np
import pytest

from qportfolio import encode, synthetic_problem
from qportfolio.errors import DataError
from qportfolio.formulations.qubo import decode_file, load, save

from ...conftest import all_assignments


@pytest.fixture(scope="module")
def qubo():
    problem = synthetic_problem(4, seed=7, cardinality=2, weight_step=0.25, min_weight=0.25, max_weight=0.75,
                                risk_aversion=0.3)
    return encode(problem, encoding="unary")


@pytest.mark.parametrize("suffix", [".bqm", ".json"])
def test_save_load_round_trip_keeps_energies_and_decode(qubo, tmp_path, suffix):
    path = str(tmp_path / f"q{suffix}")
    save(qubo, path, encoding="unary", note="test")
    back = load(path)
    assert back.layout.labels == qubo.layout.labels and back.layout.encoding == qubo.layout.encoding
    assert back.problem.fingerprint == qubo.problem.fingerprint
    assert back.penalties == qubo.penalties and back.shift == qubo.shift
    x = all_assignments(qubo.num_variables)
    assert np.array_equal(back.energies(x), qubo.bqm.energies((x, list(qubo.layout.labels))))
    ours, theirs = qubo.decode(x), decode_file(path, x)
    assert np.array_equal(ours.units, theirs.units) and np.array_equal(ours.feasible, theirs.feasible)
    assert np.array_equal(ours.objective, theirs.objective)


def test_a_binary_file_is_still_dimods(qubo, tmp_path):
    path = tmp_path / "q.bqm"
    save(qubo, str(path))
    with open(path, "rb") as fh:
        plain = dimod.BinaryQuadraticModel.from_file(fh)
    assert plain == qubo.bqm


def test_files_without_our_information_or_altered_are_refused(qubo, tmp_path):
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(qubo.bqm.to_serializable()))
    with pytest.raises(DataError, match="not a QUBO written by qportfolio"):
        load(str(plain))
    path = tmp_path / "q.json"
    save(qubo, str(path))
    data = json.loads(path.read_text())
    data["info"]["problem"]["cardinality"] = 3
    path.write_text(json.dumps(data))
    with pytest.raises(DataError, match="the file was altered"):
        load(str(path))
