"""Credentials: the setup hint, profiles, and a token that never appears anywhere."""

from __future__ import annotations

import json
import logging

import pytest

import qportfolio as qp
from qportfolio.data import synthetic_problem
from qportfolio.errors import SolverError
from qportfolio.solvers._dwave_cloud import CredentialsError, cloud_config, mask

pytest.importorskip("dwave.system")


TOKEN = "DEV-0123456789abcdef0123456789abcdef-SECRET"


@pytest.fixture(autouse=True)
def isolated_dwave_config(tmp_path, monkeypatch):
    """No user config, token or cache leaks in from (or out to) the machine running the tests."""
    for var in ("DWAVE_API_TOKEN", "DWAVE_CONFIG_FILE", "DWAVE_PROFILE", "DWAVE_API_ENDPOINT", "DWAVE_API_SOLVER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("QPORTFOLIO_CACHE_DIR", str(tmp_path / "cache"))


def selection_problem(n: int = 8, k: int = 3, seed: int = 1):
    return synthetic_problem(n, seed=seed, cardinality=k).selection_only_variant()


def test_missing_credentials_give_the_setup_hint():
    with pytest.raises(CredentialsError, match=r"dwave setup.*DWAVE_API_TOKEN.*--profile"):
        cloud_config()
    problem = selection_problem()
    for solver in ("dwave-qpu", "dwave-hybrid-bqm", "dwave-hybrid-cqm"):
        with pytest.raises(CredentialsError):
            qp.solve(problem, solver)
    with pytest.raises(CredentialsError, match="profile 'lab'"):
        qp.solve(problem, "dwave-qpu", profile="lab")


def test_config_file_profile_is_used_and_its_token_masked(tmp_path, caplog):
    config = tmp_path / "dwave.conf"
    config.write_text(f"[defaults]\nendpoint = http://127.0.0.1:9/sapi/v2/\n\n[lab]\ntoken = {TOKEN}\n")
    with caplog.at_level(logging.DEBUG):
        resolved = cloud_config(profile="lab", config_file=str(config))
        logging.getLogger("dwave.cloud.test").debug("config %r", resolved)
    assert resolved["token"] == TOKEN
    assert TOKEN not in caplog.text and "***" in caplog.text
    assert mask(f"token={TOKEN}") == "token=***"


def test_token_never_appears_in_errors_logs_output_or_results(monkeypatch, caplog, capsys):
    monkeypatch.setenv("DWAVE_API_TOKEN", TOKEN)
    monkeypatch.setenv("DWAVE_API_ENDPOINT", "http://127.0.0.1:9/sapi/v2/")  # nothing listens: a network error
    problem = selection_problem(6, 2)
    with caplog.at_level(logging.DEBUG), pytest.raises(SolverError) as err:
        qp.solve(problem, "dwave-qpu", num_reads=10)
    assert "D-Wave" in str(err.value) and TOKEN not in str(err.value)
    assert TOKEN not in caplog.text
    # a run with credentials in the environment stores nothing of them
    result = qp.solve(problem, "dwave-qpu", mock="pegasus:6", num_reads=10, seed=1)
    payload = json.dumps(result.to_dict()) + str(result) + repr(result.parameters)
    assert TOKEN not in payload
    captured = capsys.readouterr()
    assert TOKEN not in captured.out + captured.err
