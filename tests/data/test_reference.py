"""One reader of problem references: every kind gives the problem its direct loader gives, and a bad
reference is refused naming the field (as the caller spells it)."""

import json
from pathlib import Path

import numpy as np
import pytest

from qportfolio.data import load_orlib, load_spec, problem_from_returns, problem_from_spec, synthetic_problem
from qportfolio.data.prices import read_prices, returns_from_prices
from qportfolio.data.reference import ProblemReference, load_problem
from qportfolio.errors import DataError, ValidationError

EXAMPLES = Path(__file__).resolve().parents[2] / "qportfolio" / "examples"
PARAMS = {"cardinality": 3, "risk_aversion": 0.3, "weight_step": 0.1, "min_weight": 0.1, "max_weight": 0.6}


def same(a, b):
    assert a.fingerprint == b.fingerprint and a.name == b.name and a.source == b.source
    np.testing.assert_array_equal(a.expected_returns, b.expected_returns)
    np.testing.assert_array_equal(a.covariance, b.covariance)


def test_a_spec_file_is_load_spec():
    path = EXAMPLES / "demo.json"
    same(load_problem(ProblemReference(spec=path)), load_spec(path))
    same(load_problem(ProblemReference(spec=str(path), **PARAMS)), load_spec(path, **PARAMS))


def test_a_spec_mapping_is_problem_from_spec():
    spec = json.loads((EXAMPLES / "demo.json").read_text())
    same(load_problem(ProblemReference(spec=spec, cardinality=4)), problem_from_spec(spec, cardinality=4))


def test_an_orlib_set_is_load_orlib(tmp_path):
    same(load_problem(ProblemReference(orlib="port1", **PARAMS)), load_orlib("port1", **PARAMS))
    with pytest.raises(DataError, match=f"{tmp_path} .*has no port1.txt"):  # data_dir reaches the loader
        load_problem(ProblemReference(orlib="port1", data_dir=tmp_path))


def test_a_synthetic_reference_is_synthetic_problem():
    same(load_problem(ProblemReference(synthetic=9, seed=4, **PARAMS)), synthetic_problem(9, seed=4, **PARAMS))
    same(load_problem(ProblemReference(synthetic=9)), synthetic_problem(9, seed=0))


def test_prices_are_estimated_as_problem_from_returns():
    path = str(EXAMPLES / "prices.csv")
    returns = returns_from_prices(read_prices(path, None, "ISO8601"))
    got = load_problem(ProblemReference(prices=path, estimator="sample", cardinality=3, weight_step=0.1))
    same(got, problem_from_returns(returns, cardinality=3, estimator="sample", name="prices", weight_step=0.1))
    default = load_problem(ProblemReference(prices=path, cardinality=3))
    same(default, problem_from_returns(returns, cardinality=3, estimator="ledoit-wolf", name="prices"))


def test_selection_only_is_the_problems_variant():
    got = load_problem(ProblemReference(synthetic=6, seed=1, cardinality=2, selection_only=True))
    same(got, synthetic_problem(6, seed=1, cardinality=2).selection_only_variant())


@pytest.mark.parametrize("reference, message", [
    (ProblemReference(), "give exactly one problem source: spec, orlib NAME, synthetic N or prices CSV|sp500"),
    (ProblemReference(orlib="port1", synthetic=5), "give exactly one problem source"),
    (ProblemReference(orlib="port1", seed=3), "seed applies to synthetic only; this problem comes from orlib"),
    (ProblemReference(synthetic=5, estimator="sample"), "estimator applies to prices only; this problem comes from synthetic"),
    (ProblemReference(spec="x.json", data_dir="d"), "data_dir applies to orlib only; this problem comes from spec"),
    (ProblemReference(orlib="port1", repair_covariance=True), "repair_covariance applies to spec or prices; orlib "
                                                             "covariances are PSD as given"),
    (ProblemReference(prices="p.csv"), "a problem from prices needs cardinality (the number of assets to hold)"),
])
def test_bad_references_name_the_field(reference, message):
    with pytest.raises(ValidationError) as err:
        load_problem(reference)
    assert message in str(err.value)


def test_errors_spell_fields_as_the_caller_does():
    with pytest.raises(ValidationError, match="--seeds applies to synthetic only; this problem comes from ORLIB"):
        load_problem(ProblemReference(orlib="port1", seed=1), {"seed": "--seeds", "orlib": "ORLIB"})


def test_the_json_form_reads_references_and_specs():
    assert ProblemReference.from_mapping({"synthetic": 5, "seed": 2, "cardinality": 2}) == ProblemReference(
        synthetic=5, seed=2, cardinality=2)
    assert ProblemReference.from_mapping({"orlib": "port2", "weight_step": 0.1}) == ProblemReference(
        orlib="port2", weight_step=0.1)
    spec = {"assets": ["a", "b", "c"], "expected_returns": [0.1, 0.2, 0.3], "covariance": np.eye(3).tolist(),
            "cardinality": 2}
    assert ProblemReference.from_mapping(spec) == ProblemReference(spec=spec)
    assert ProblemReference.from_mapping(spec).size == 3 and ProblemReference(synthetic=40).size == 40
    assert ProblemReference(orlib="port1").size is None


@pytest.mark.parametrize("data, message", [
    ([1, 2], "problem must be a JSON object; got"),
    ({"orlib": "port1", "colour": 1}, "problem: unknown field(s) colour for a orlib reference; allowed: orlib, cardinality"),
    ({"orlib": "port1", "seed": 1}, "unknown field(s) seed for a orlib reference"),
    ({"synthetic": 5, "prices": "/etc/passwd"}, "unknown field(s) prices for a synthetic reference; allowed: synthetic, seed"),
    ({"orlib": 3}, "problem.orlib must be a set name (port1..port5); got"),
])
def test_the_json_form_refuses_naming_the_field(data, message):
    with pytest.raises(ValidationError) as err:
        ProblemReference.from_mapping(data, where="problem")
    assert message in str(err.value)
