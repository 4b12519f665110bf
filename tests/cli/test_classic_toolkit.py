"""Issue 13 from the shell: options anywhere, explicit frontier targets, the allocation-payload LP,
the bundled S&P 500 prices, cardinality max Sharpe, score trade-offs, Sharpe in reports, closed pipes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qportfolio.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "qportfolio" / "examples"
DEMO = str(EXAMPLES / "demo.json")
PRICES = str(EXAMPLES / "prices.csv")
ALLOCATION = str(EXAMPLES / "allocation.json")

PAYLOAD = {
    "variables": [{"name": "stocks", "type": "continuous", "lb": 0, "ub": 0.8},
                  {"name": "bonds", "type": "continuous", "lb": 0}, {"name": "cash", "type": "continuous", "lb": 0}],
    "objective": {"sense": "maximize", "coefficients": {"stocks": 0.07, "bonds": 0.03, "cash": 0.01}},
    "constraints": [{"name": "budget", "coefficients": {"stocks": 1, "bonds": 1, "cash": 1}, "sense": "==", "rhs": 1},
                    {"name": "safe_floor", "coefficients": {"bonds": 1, "cash": 1}, "sense": ">=", "rhs": 0.3}],
}


def run(argv, capsys) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("argv", [
    ["classic", "--risk-free", "0.001", "max-sharpe", DEMO],
    ["classic", "max-sharpe", "--risk-free", "0.001", DEMO],
    ["classic", "max-sharpe", DEMO, "--risk-free", "0.001"],
    ["frontier", "--points", "5", DEMO, "--json"],
    ["backtest", "--strategy", "equal-weight", PRICES, "--window", "126"],
    ["lp", "--json", ALLOCATION],
    ["solve", "--solver", "exact-discrete", DEMO, "--time-limit", "10"],
    ["encode", "--encoding", "unary", DEMO],
    ["bench", "run", "--dry-run", "quick"],
])
def test_options_and_positionals_in_any_order(argv, capsys):
    code, out, err = run(argv, capsys)
    assert code == 0 and out.strip() and not err


def test_bench_report_takes_the_database_after_its_options(tmp_path, capsys):
    code, _, err = run(["bench", "report", "--out", str(tmp_path / "r"), str(tmp_path / "missing.sqlite")], capsys)
    assert code == 2 and "missing.sqlite" in err  # parsed: the positional reached the command


def test_closed_pipe_exits_quietly():
    """``qportfolio ... | head``: the reader goes away after one line; no traceback, exit 141."""
    code = "import sys; from qportfolio.cli import main; sys.exit(main(['frontier', '--points', '400', '--json']))"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err


def _textbook_frontier(mu, cov, r):
    """Closed form of the minimum-variance portfolio with 1'w = 1, mu'w = r (shorts allowed)."""
    inv = np.linalg.inv(cov)
    a = np.array([np.ones(len(mu)), mu])
    m = a @ inv @ a.T
    return inv @ a.T @ np.linalg.solve(m, np.array([1.0, r]))


def test_frontier_at_explicit_targets_with_shorts_matches_the_closed_form(capsys):
    from qportfolio.data import load_spec

    p = load_spec(DEMO)
    code, out, _ = run(["frontier", "--long-short", "--returns", "0.002:0.02:7", "--risk-free", "0.001", DEMO, "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"returns", "volatilities", "sharpe_per_period", "weights", "units"}  # a spec: per period
    assert data["units"] == {"annualized": False, "periods_per_year": None}
    for r, vol, weights in zip(np.linspace(0.002, 0.02, 7), data["volatilities"], data["weights"]):
        w = _textbook_frontier(p.expected_returns, p.covariance, r)
        assert np.allclose([weights.get(a, 0.0) for a in p.assets], w, atol=1e-7)
        assert vol == pytest.approx(float(np.sqrt(w @ p.covariance @ w)), rel=1e-8)
    assert data["returns"] == pytest.approx(list(np.linspace(0.002, 0.02, 7)), abs=1e-10)
    assert data["sharpe_per_period"][3] == pytest.approx((data["returns"][3] - 0.001) / data["volatilities"][3])
    code, out, _ = run(["frontier", "--long-short", "--returns", "0.002,0.01", DEMO], capsys)
    assert code == 0 and "target" in out and "inefficient" in out and "sharpe" not in out.split("\n")[0]


def test_frontier_long_short_default_range_and_refused_targets(capsys):
    code, out, _ = run(["frontier", "--long-short", "--points", "4", DEMO], capsys)
    assert code == 0 and "unbounded" in out  # the note, not an error
    code, _, err = run(["frontier", "--returns", "0.5", DEMO], capsys)
    assert code == 2 and "outside what the constraints allow" in err and err.count("\n") == 1
    code, _, err = run(["frontier", "--returns", "1:2", DEMO], capsys)
    assert code == 2 and "START:STOP:N" in err
    code, out, _ = run(["frontier", "--long-short", "--leverage", "1.6", "--returns", "0.004:0.012:3", DEMO], capsys)
    assert code == 0 and out.count("\n") > 4


def test_lp_payload_shape_is_solved_at_a_vertex_with_prices(tmp_path, capsys):
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(PAYLOAD))
    code, out, _ = run(["lp", str(path), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["kind"] == "LP" and data["solver"] == "HiGHS"
    assert data["values"] == {"stocks": 0.7, "bonds": 0.3, "cash": 0.0}  # exact vertex: no -5e-11
    assert data["objective"] == pytest.approx(0.058, abs=1e-12)
    assert data["duals"]["budget"] == pytest.approx(0.07) and data["duals"]["safe_floor"] == pytest.approx(-0.04)
    code, out, _ = run(["lp", str(path)], capsys)
    lines = [ln for ln in out.splitlines() if ln.startswith("  ")]
    assert len({len(ln) for ln in lines}) == 1  # aligned columns


@pytest.mark.parametrize("mutate, message", [
    (lambda m: m["variables"][0].update(type="real"), "type must be one of continuous, integer, binary"),
    (lambda m: m["variables"][0].update(lb="x"), "lower bound must be a number"),
    (lambda m: m["constraints"][0].update(sense="<>"), "sense must be one of"),
    (lambda m: m["objective"].update(sense="most"), "objective.sense"),
    (lambda m: m.update(variables=5), "'variables'"),
    (lambda m: m["constraints"][0].pop("rhs"), "needs 'rhs'"),
])
def test_malformed_payloads_exit_2_with_one_line(mutate, message, tmp_path, capsys):
    model = json.loads(json.dumps(PAYLOAD))
    mutate(model)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(model))
    code, out, err = run(["lp", str(path)], capsys)
    assert code == 2 and message in err and err.count("\n") == 1 and not out


def test_sp500_dataset_everywhere(capsys):
    pytest.importorskip("skfolio")
    from qportfolio.data.datasets import load_dataset

    prices = load_dataset("sp500")
    assert prices.shape == (8313, 20) and prices.index.is_monotonic_increasing and not prices.isna().any().any()
    assert str(prices.index[0].date()) == "1990-01-02"
    code, out, _ = run(["classic", "min-variance", "--prices", "sp500"], capsys)
    assert code == 0 and ("AAPL" in out or "KO" in out)
    code, out, _ = run(["frontier", "--prices", "sp500", "--points", "5", "--json"], capsys)
    assert code == 0 and len(json.loads(out)["weights"]) == 5
    code, out, _ = run(["solve", "--prices", "sp500", "--k", "4", "--step", "0.25", "--solver", "exact-discrete"], capsys)
    assert code == 0 and "optimal" in out
    code, out, _ = run(["backtest", "sp500", "--strategy", "equal-weight", "--strategy", "min-variance"], capsys)
    assert code == 0 and "turnover" in out.lower() and "drawdown" in out.lower()


def test_missing_dataset_extra_is_one_line_naming_it(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "skfolio" else real(name, *a))
    code, _, err = run(["classic", "min-variance", "--prices", "sp500"], capsys)
    assert code == 2 and "qportfolio[data]" in err and err.count("\n") == 1


def test_cardinality_max_sharpe_matches_enumeration(capsys):
    import itertools

    from qportfolio.classic import Constraints, max_sharpe
    from qportfolio.data import synthetic_problem

    p = synthetic_problem(7, seed=4)
    mu, cov = p.expected_returns, p.covariance
    for k in (1, 2, 3):
        best = -np.inf
        for size in range(1, k + 1):
            for subset in itertools.combinations(range(7), size):
                upper = np.zeros(7)
                upper[list(subset)] = 1.0
                try:
                    best = max(best, max_sharpe(mu, cov, risk_free=0.001, constraints=Constraints(upper=upper)).sharpe(0.001))
                except Exception:  # subsets whose assets all have mu <= rf have no positive Sharpe
                    continue
        r = max_sharpe(mu, cov, risk_free=0.001, constraints=Constraints(cardinality=k))
        assert np.count_nonzero(r.weights) <= k and r.sharpe(0.001) == pytest.approx(best, rel=1e-6)
    code, out, _ = run(["classic", "max-sharpe", "--max-assets", "2", DEMO], capsys)
    assert code == 0 and "SCIP" in out


def test_score_tradeoff_sweep_and_single(tmp_path, capsys):
    from qportfolio.data import load_spec

    assets = load_spec(DEMO).assets
    scores = tmp_path / "scores.json"
    scores.write_text(json.dumps({a: i / 10 for i, a in enumerate(assets)}))
    plot = tmp_path / "score.png"
    code, out, _ = run(["classic", "score-tradeoff", "--scores", str(scores), "--sweep", "0:0.02:5", "--plot", str(plot),
                        "--risk-free", "0.001", "--json"], capsys)
    data = json.loads(out.split("\nplot written")[0])
    assert code == 0 and plot.stat().st_size > 5_000
    assert np.all(np.diff(data["scores"]) >= -1e-9) and np.all(np.diff(data["volatilities"]) >= -1e-9)
    assert data["sharpe_per_period"] is not None and len(data["weights"]) == 5
    code, out, _ = run(["classic", "score-tradeoff", "--scores", str(scores), "--tradeoff", "0.01"], capsys)
    assert code == 0 and "score" in out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({assets[0]: 1.0}))
    code, _, err = run(["classic", "score-tradeoff", "--scores", str(bad), "--tradeoff", "0.01"], capsys)
    assert code == 2 and "no score for asset" in err


def test_sharpe_in_classical_reports_when_a_risk_free_rate_is_given(capsys):
    for strategy in ("risk-parity", "equal-weight", "min-variance"):
        code, out, _ = run(["classic", strategy, "--risk-free", "0.001"], capsys)
        assert code == 0 and "sharpe" in out
        code, out, _ = run(["classic", strategy], capsys)
        assert "sharpe" not in out


def test_seed_frontier_with_shorts_matches_the_textbook_frontier(tmp_path, capsys):
    """The seed's 4-asset example, shorts allowed and only the budget binding: 20 targets from 5 % to
    18 % print, with the closed-form long-short minimum-variance frontier's volatilities (Clarabel had
    reported the unbounded lowest return as 'optimal' 0.125 and the command refused every target)."""
    spec = tmp_path / "seed.json"
    vols = np.array([0.20, 0.30, 0.40, 0.10])
    corr = np.array([[1, 0.3, 0.7, 0.1], [0.3, 1, 0.5, 0.15], [0.7, 0.5, 1, 0.05], [0.1, 0.15, 0.05, 1]])
    mu = np.array([0.12, 0.15, 0.18, 0.05])
    spec.write_text(json.dumps({"assets": list("ABCD"), "expected_returns": mu.tolist(), "volatilities": vols.tolist(),
                                "correlations": corr.tolist(), "cardinality": 2}))
    code, out, err = run(["frontier", str(spec), "--long-short", "--returns", "0.05:0.18:20", "--json"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert len(payload["returns"]) == 20
    # closed form: sigma^2(r) = (a r^2 - 2 b r + c) / (a c - b^2), a = 1'S^-1 1, b = 1'S^-1 mu, c = mu'S^-1 mu
    inv = np.linalg.inv(np.outer(vols, vols) * corr)
    a, b, c = inv.sum(), inv.sum(axis=0) @ mu, mu @ inv @ mu
    targets = np.linspace(0.05, 0.18, 20)
    textbook = np.sqrt((a * targets**2 - 2 * b * targets + c) / (a * c - b**2))
    assert np.allclose(payload["volatilities"], textbook, rtol=1e-7)
    assert round(textbook[0], 3) == 0.097 and round(textbook[-1], 3) == 0.303
