"""The pieces every command shares: problem flags read through the data layer's reference reader (errors
name the flag), KEY=VALUE options, options and positionals in any order."""

import pytest

from qportfolio.cli.args import (
    CLI_NAMES,
    IntermixedParser,
    add_problem_args,
    check_source_flags,
    parse_key_values,
    problem_from_args,
    reference_from_args,
)
from qportfolio.data.reference import SETTINGS, SOURCES, ProblemReference
from qportfolio.errors import ValidationError


def parse(*argv):
    parser = IntermixedParser(prog="t")
    add_problem_args(parser)
    return parser.parse_args(list(argv))


def test_flags_become_the_reference_fields():
    args = parse("--orlib", "port2", "--data-dir", "d", "--k", "4", "--lambda", "0.3", "--step", "0.1",
                 "--min-weight", "0.1", "--max-weight", "0.5", "--selection-only")
    assert reference_from_args(args) == ProblemReference(orlib="port2", data_dir="d", cardinality=4, risk_aversion=0.3,
                                                         weight_step=0.1, min_weight=0.1, max_weight=0.5,
                                                         selection_only=True)
    args = parse("--prices", "p.csv", "--date-column", "day", "--date-format", "%d", "--estimator", "sample",
                 "--repair-covariance")
    assert reference_from_args(args) == ProblemReference(prices="p.csv", date_column="day", date_format="%d",
                                                         estimator="sample", repair_covariance=True)
    assert reference_from_args(parse("--synthetic", "7", "--instance-seed", "3")) == ProblemReference(synthetic=7, seed=3)


def test_every_reference_field_a_user_can_misplace_is_spelled_as_a_flag():
    assert set(SETTINGS) | set(SOURCES) | {"repair_covariance", "cardinality"} <= set(CLI_NAMES)


@pytest.mark.parametrize("argv, message", [
    ((), "give exactly one problem source: a SPEC file, --orlib NAME, --synthetic N or --prices CSV|sp500"),
    (("--orlib", "port1", "--synthetic", "5"), "give exactly one problem source"),
    (("x.json", "--date-column", "d"), "--date-column applies to --prices only; this problem comes from a SPEC file"),
    (("--orlib", "port1", "--instance-seed", "2"), "--instance-seed applies to --synthetic only; this problem comes from "
                                                   "--orlib"),
    (("--synthetic", "5", "--data-dir", "d"), "--data-dir applies to --orlib only; this problem comes from --synthetic"),
    (("--synthetic", "5", "--repair-covariance"), "--repair-covariance applies to a SPEC file or --prices; --synthetic "
                                                  "covariances are PSD as given"),
    (("--prices", "p.csv",), "a problem from --prices needs --k (the number of assets to hold)"),
])
def test_problem_errors_name_the_flag(argv, message):
    with pytest.raises(ValidationError) as err:
        problem_from_args(parse(*argv))
    assert message in str(err.value)


def test_check_source_flags_refuses_a_setting_of_another_source():
    check_source_flags(parse("--prices", "p.csv", "--estimator", "sample"), "prices")
    with pytest.raises(ValidationError, match="--estimator applies to --prices only"):
        check_source_flags(parse("--orlib", "port1", "--estimator", "sample"), "orlib")


def test_the_problem_is_the_data_layers(demo_spec_path):
    from qportfolio.data import load_spec, synthetic_problem

    assert problem_from_args(parse(str(demo_spec_path), "--k", "3")).fingerprint == load_spec(
        demo_spec_path, cardinality=3).fingerprint
    got = problem_from_args(parse("--synthetic", "6", "--instance-seed", "2", "--k", "2", "--selection-only"))
    assert got.fingerprint == synthetic_problem(6, seed=2, cardinality=2).selection_only_variant().fingerprint


def test_options_and_positionals_in_any_order():
    assert parse("--k", "3", "spec.json").spec == "spec.json" == parse("spec.json", "--k", "3").spec


def test_key_values():
    assert parse_key_values(["num-reads=3", "mock=pegasus:4", "x=[1, 2]", "t=true"]) == {
        "num_reads": 3, "mock": "pegasus:4", "x": [1, 2], "t": True}
    with pytest.raises(ValidationError, match="--option expects KEY=VALUE, got 'oops'"):
        parse_key_values(["oops"])
