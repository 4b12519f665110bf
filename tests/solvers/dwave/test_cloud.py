"""Credentials: the setup hint, profiles, and a token that never appears anywhere."""

from __future__ import annotations

import json
import logging

import pytest

import qportfolio as qp
from qportfolio.errors import SolverError
from qportfolio.solvers.dwave.cloud import CREDENTIAL_OPTIONS, CredentialsError, cloud_config, mask, timing_info

from ...conftest import selection_problem

pytest.importorskip("dwave.system")


TOKEN = "DEV-0123456789abcdef0123456789abcdef-SECRET"


pytestmark = pytest.mark.usefixtures("isolated_dwave_config")


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


def test_timing_info_reads_the_sapi_figures():
    info = {"timing": {"qpu_access_time": 8550.5, "qpu_programming_time": 8000, "note": "text"},
            "problem_id": "abc", "problem_label": None}
    out = timing_info(info)
    assert out == {"timing_us": {"qpu_access_time": 8550.5, "qpu_programming_time": 8000.0},
                   "qpu_access_time_s": pytest.approx(8550.5e-6), "problem_id": "abc"}
    assert timing_info({}) == {"timing_us": {}}


def test_credential_options_take_no_token():
    names = {o.name for o in CREDENTIAL_OPTIONS}
    assert names == {"profile", "config_file"}
    for solver in ("dwave-qpu", "dwave-hybrid-bqm", "dwave-hybrid-cqm"):
        assert names <= set(qp.solvers.get(solver).options) and "token" not in qp.solvers.get(solver).options
