"""Every option a command's ``--help`` shows either changes what the command does or is refused.

The test walks the real parser (every command and classic strategy), lists the options its help
shows, and requires a case for each one below; each case runs the command with and without the
option and checks that the output changed, or that the command exits 2 naming what to do instead.
A new flag without a case fails ``test_every_listed_option_has_a_case``.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from qportfolio.cli import build_parser, main
from qportfolio.cli.args import demo_spec_path
from qportfolio.cli.classic import STRATEGY_HELP
from qportfolio.cli.flags import flag_options, solver_options

EXAMPLE = str(Path(demo_spec_path()).with_name("prices.csv"))
VOLATILE = re.compile(r"wall|seconds|time_s|created|versions|elapsed|_s$")


def listed_options() -> set[tuple[str, str]]:
    """(command path, option) for every option the help of every (sub)command shows."""
    found: set[tuple[str, str]] = set()

    def walk(p: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, (*path, name))
            elif action.help != argparse.SUPPRESS and not isinstance(action, (argparse._HelpAction,
                                                                              argparse._VersionAction)):
                found.add((" ".join(path), action.option_strings[-1] if action.option_strings else action.dest))

    walk(build_parser(), ())
    return found


def stable(out: str):
    """The output without what changes from run to run (timings, versions)."""
    try:
        data = json.loads(out)
    except json.JSONDecodeError:
        return "\n".join(line for line in out.splitlines() if not re.search(r"\d s\b|wall|[0-9.]+ s$", line))

    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if not VOLATILE.search(str(k))}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    return strip(data)


@dataclass(frozen=True)
class Case:
    """``base`` and ``given`` (the same call with the option): either the outputs differ (both exit
    0, or ``codes`` names the pair expected), or ``given`` exits 2 with ``refused`` in its message."""

    base: tuple[str, ...]
    given: tuple[str, ...]
    refused: str | None = None
    check: Callable[[str, str], bool] | None = None  # (base output, given output) -> the option acted


CASES: dict[tuple[str, str], Case] = {}


def case(command: str, option: str, base, given, refused: str | None = None, check=None) -> None:
    CASES[(command, option)] = Case(tuple(base), tuple(given), refused, check)


def run(argv: tuple[str, ...], capsys) -> tuple[int, str, str]:
    try:
        rc = main(list(argv))
    except SystemExit as exc:  # argparse's own refusals and Refuse actions
        rc = int(exc.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


# ---------------------------------------------------------------------------------------------- files
@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    """Inputs the cases share: a non-PSD spec, a spec and scores on the example's assets, a short price file."""
    import pandas as pd

    root = tmp_path_factory.mktemp("cli-options")
    spec = json.loads(Path(demo_spec_path()).read_text())
    cov = np.array(spec["covariance"])
    cov[0, 1] = cov[1, 0] = 2 * np.sqrt(cov[0, 0] * cov[1, 1])  # |corr| > 1: not PSD
    (root / "nonpsd.json").write_text(json.dumps({**spec, "covariance": cov.tolist()}))
    prices = pd.read_csv(EXAMPLE)
    assets = list(prices.columns[1:])
    rets = prices[assets].pct_change().dropna()
    mu, sigma = rets.mean().to_numpy() * 252, rets.cov().to_numpy() * 252
    (root / "example-spec.json").write_text(json.dumps({
        "name": "example", "assets": assets, "expected_returns": (1.5 * mu).tolist(), "covariance": sigma.tolist(),
        "cardinality": 3}))
    (root / "scores.json").write_text(json.dumps({a: float(i % 3) for i, a in enumerate(assets)}))
    prices.iloc[: len(prices) // 2].to_csv(root / "half.csv", index=False)
    dated = prices.copy()
    dated["date"] = pd.to_datetime(dated["date"]).dt.strftime("%d/%m/%Y")
    dated.to_csv(root / "dmy.csv", index=False)
    prices.rename(columns={"date": "day"})[[*assets, "day"]].to_csv(root / "day.csv", index=False)  # dates last
    for limit in (1, 3):
        assert main(["bench", "run", "quick", "--limit", str(limit), "--db", str(root / f"q{limit}.db")]) == 0
    from qportfolio import solve
    from qportfolio.cli.args import problem_from_args

    problem = problem_from_args(build_parser("solve").parse_args(["solve", *SYN]))
    done = solve(problem, "sa", seed=4, num_reads=3, num_sweeps=20, time_budget=0.2, encoding="binary")
    (root / "replay.json").write_text(json.dumps(done.to_dict()))
    return {"db1": str(root / "q1.db"), "db3": str(root / "q3.db"), "nonpsd": str(root / "nonpsd.json"),
            "spec": str(root / "example-spec.json"),
            "scores": str(root / "scores.json"), "half": str(root / "half.csv"), "dmy": str(root / "dmy.csv"),
            "day": str(root / "day.csv"), "root": str(root), "replay": str(root / "replay.json")}


# ------------------------------------------------------------------------------------------ the cases
SYN = ("--synthetic", "6", "--instance-seed", "1", "--k", "3")
SOLVE = ("solve", *SYN, "--solver", "exact-discrete", "--json")
ENCODE = ("encode", *SYN, "--json")

FIT = ("fit", *SYN, "-o", "mock=pegasus:4", "--json")
for cmd, base in (("solve", SOLVE), ("encode", ENCODE), ("fit", FIT)):
    tail = base[len(SYN) + 1:]
    case(cmd, "spec", base, (cmd, "{demo}", *tail))
    case(cmd, "--orlib", base, (cmd, "--orlib", "port1", "--k", "2", "--step", "0.25", *tail))
    case(cmd, "--synthetic", base, (cmd, "--synthetic", "7", "--instance-seed", "1", "--k", "3", *tail))
    case(cmd, "--instance-seed", base, (cmd, "--synthetic", "6", "--instance-seed", "2", "--k", "3", *tail))
    case(cmd, "--prices", base, (cmd, "--prices", EXAMPLE, "--k", "3", "--step", "0.1", *tail))
    case(cmd, "--estimator", (cmd, "--prices", EXAMPLE, "--k", "3", "--step", "0.1", *tail),
         (cmd, "--prices", EXAMPLE, "--k", "3", "--step", "0.1", "--estimator", "sample", *tail))
    case(cmd, "--date-column", (cmd, "--prices", "{day}", "--k", "3", "--step", "0.1", *tail),
         (cmd, "--prices", "{day}", "--date-column", "day", "--k", "3", "--step", "0.1", *tail),
         refused=None, check=None)
    case(cmd, "--date-format", (cmd, "--prices", "{dmy}", "--k", "3", "--step", "0.1", *tail),
         (cmd, "--prices", "{dmy}", "--date-format", "%d/%m/%Y", "--k", "3", "--step", "0.1", *tail))
    case(cmd, "--data-dir", (cmd, "--orlib", "port1", "--k", "2", "--step", "0.25", *tail),
         (cmd, "--orlib", "port1", "--data-dir", "{root}", "--k", "2", "--step", "0.25", *tail), refused="port1")
    case(cmd, "--repair-covariance", (cmd, "{nonpsd}", *tail), (cmd, "{nonpsd}", "--repair-covariance", *tail))
    case(cmd, "--cardinality", base, (*base, "--k", "2"))
    case(cmd, "--risk-aversion", base, (*base, "--lambda", "0.9"))
    case(cmd, "--weight-step", base, (*base, "--step", "0.1"))
    case(cmd, "--min-weight", base, (*base, "--min-weight", "0.2"))
    case(cmd, "--max-weight", base, (*base, "--max-weight", "0.4"))
    case(cmd, "--selection-only", base, (*base, "--selection-only"))
    case(cmd, "--json", base[:-1], base)

case("fit", "--encoding", FIT, (*FIT, "--encoding", "binary"))
case("fit", "--subproblem-size", ("fit", "--subproblem-size", "8", "-o", "mock=pegasus:4", "--json"),
     ("fit", "--subproblem-size", "12", "-o", "mock=pegasus:4", "--json"))
case("fit", "-o", FIT, (*FIT, "-o", "num_reads=500"))
case("solve", "--solver", SOLVE, (*SOLVE, "--solver", "brute"))
case("solve", "--replay", ("solve", *SYN, "--json"), ("solve", *SYN, "--replay", "{replay}", "--json"))
case("solve", "--seed", (*SOLVE[:-3], "--solver", "sa", "--json"), (*SOLVE[:-3], "--solver", "sa", "--seed", "5", "--json"),
     check=lambda a, b: json.loads(b)["seed"] == 5)
case("solve", "-o", (*SOLVE[:-3], "--solver", "sa", "--seed", "1", "--json"),
     (*SOLVE[:-3], "--solver", "sa", "--seed", "1", "-o", "num_reads=3", "--json"),
     check=lambda a, b: json.loads(b)["info"]["num_samples"] == 3)
case("solve", "-q", SOLVE, (*SOLVE, "-q"), check=lambda a, b: QUIET_SEEN[-1] is True)
case("encode", "--penalty-scale", ENCODE, (*ENCODE, "--penalty-scale", "2"))
case("encode", "--encoding", ENCODE, (*ENCODE, "--encoding", "binary"))
case("encode", "--out", ENCODE, (*ENCODE, "--out", "{root}/q.bqm"), check=lambda a, b: Path(json.loads(b)["written"]).is_file())

DEMO = ("demo", "--time-budget", "0.2", "--num-reads", "5", "--num-sweeps", "20", "--time-limit", "20")
case("demo", "--orlib", DEMO, (*DEMO, "--orlib", "port1", "--k", "2"), check=lambda a, b: "port1" in b)
case("demo", "--k", DEMO, (*DEMO, "--k", "3"), refused="--k sets up --orlib")
case("demo", "--data-dir", DEMO, (*DEMO, "--data-dir", "{root}"), refused="--data-dir sets up --orlib")
case("demo", "--seed", DEMO, (*DEMO, "--seed", "3"), check=lambda a, b: "seed 3" in b and "seed 3" not in a)
case("demo", "--time-budget", DEMO, ("demo", "--time-budget", "0.4", *DEMO[3:]),
     check=lambda a, b: "at most 0.4 s" in b and "at most 0.2 s" in a)
case("demo", "--num-reads", DEMO, ("demo", *DEMO[1:3], "--num-reads", "6", *DEMO[5:]), check=lambda a, b: "sa: 6 reads" in b)
case("demo", "--num-sweeps", DEMO, ("demo", *DEMO[1:5], "--num-sweeps", "30", *DEMO[7:]),
     check=lambda a, b: "30 sweeps a read" in b)
case("demo", "--time-limit", DEMO, (*DEMO[:-1], "30"), check=lambda a, b: "time limit 30 s" in b)

BENCH = ("bench", "run", "quick", "--dry-run")
case("bench run", "suite", BENCH, ("bench", "run", "scaling", "--dry-run"))
case("bench run", "--dry-run", ("bench", "run", "quick"), BENCH, refused=None,
     check=lambda a, b: "pending" in b)  # without it (and without --db) the run is refused: "needs --db"
case("bench run", "--db", ("bench", "run", "quick", "--limit", "1"), ("bench", "run", "quick", "--limit", "1", "--db",
                                                                     "{root}/b.db"), check=lambda a, b: "1 jobs run" in b)
case("bench run", "--workers", BENCH, (*BENCH, "--workers", "2"), check=lambda a, b: "with 2 workers" in b)
case("bench run", "--scheduler", (*BENCH, "--workers", "2"), (*BENCH, "--workers", "2", "--scheduler", "tcp://127.0.0.1:9"),
     refused="give one of --workers and --scheduler")
case("bench run", "--limit", BENCH, (*BENCH, "--limit", "3"))
case("bench run", "--job-timeout", BENCH, (*BENCH, "--job-timeout", "5"), refused="--job-timeout shapes a run")
case("bench run", "--data-dir", ("bench", "run", "orlib", "--dry-run"),
     ("bench", "run", "orlib", "--dry-run", "--data-dir", "{root}"), refused="port1")
case("bench run", "-v", BENCH, (*BENCH, "-v"), refused="--verbose shapes a run")
case("bench report", "db", ("bench", "report", "{db3}", "--out", "{root}/r3"), ("bench", "report", "{db1}", "--out", "{root}/r1"))
case("bench report", "--out", ("bench", "report", "{db3}", "--out", "{root}/r3"),
     ("bench", "report", "{db3}", "--out", "{root}/elsewhere"), check=lambda a, b: "elsewhere (every column" in b)
case("bench report", "--data-dir", ("bench", "report", "{db3}", "--out", "{root}/r3"),
     ("bench", "report", "{db3}", "--out", "{root}/r3", "--data-dir", "{root}"), refused="this database has no OR-Library runs")

LP = ("lp", str(Path(demo_spec_path()).with_name("allocation.json")))
case("lp", "model", LP, ("lp", "{lp2}"))
case("lp", "--json", LP, (*LP, "--json"))
case("solvers", "-v", ("solvers",), ("solvers", "-v"))

# the classical commands: every strategy, on the bundled example prices
STRATEGY_ARGS = {"min-variance-for-return": ("--target-return", "0.04"),
                 "max-return-for-volatility": ("--target-volatility", "0.1"),
                 "score-tradeoff": ("--scores", "{scores}", "--tradeoff", "0.01")}
NEEDS_PRICES = {"min-cvar": "min-cvar needs return scenarios: pass --prices"}
#: strategies whose target (a year, on the example) is out of reach in per-period units: the option acted
PER_PERIOD_REFUSAL = {"min-variance-for-return": "target_return"}
for strategy, (_, constrained) in STRATEGY_HELP.items():
    cmd = f"classic {strategy}"
    own = STRATEGY_ARGS.get(strategy, ())
    base = ("classic", strategy, "--prices", EXAMPLE, *own, "--json")
    spec_refusal = NEEDS_PRICES.get(strategy)
    case(cmd, "--prices", base, ("classic", strategy, "--prices", "{half}", *own, "--json"))
    case(cmd, "spec", base, ("classic", strategy, "{spec}", *own, "--json"), refused=spec_refusal)
    case(cmd, "--orlib", base, ("classic", strategy, "--orlib", "port1", "--json"),
         refused=spec_refusal or ("--target-return" if "--target-return" in own else "--target-volatility"
                                  if "--target-volatility" in own else "scores" if strategy == "score-tradeoff" else None))
    synthetic = ("classic", strategy, "--synthetic", "8", *own, "--json")
    per_period = spec_refusal or PER_PERIOD_REFUSAL.get(strategy)
    case(cmd, "--synthetic", base, synthetic, refused=per_period or ("scores" if strategy == "score-tradeoff" else None))
    case(cmd, "--instance-seed", synthetic, (*synthetic, "--instance-seed", "3"),
         refused=per_period or ("scores" if strategy == "score-tradeoff" else None))
    case(cmd, "--data-dir", ("classic", strategy, "--orlib", "port1", *own, "--json"),
         ("classic", strategy, "--orlib", "port1", "--data-dir", "{root}", *own, "--json"), refused="port1")
    case(cmd, "--estimator", base, (*base, "--estimator", "sample"))
    case(cmd, "--date-column", ("classic", strategy, "--prices", "{day}", *own, "--json"),
         ("classic", strategy, "--prices", "{day}", "--date-column", "day", *own, "--json"))
    case(cmd, "--date-format", ("classic", strategy, "--prices", "{dmy}", *own, "--json"),
         ("classic", strategy, "--prices", "{dmy}", "--date-format", "%d/%m/%Y", *own, "--json"))
    case(cmd, "--repair-covariance", ("classic", strategy, "{nonpsd}", *own, "--json"),
         ("classic", strategy, "{nonpsd}", "--repair-covariance", *own, "--json"),
         refused=per_period or ("scores" if strategy == "score-tradeoff" else None))
    case(cmd, "--risk-free", base, (*base, "--risk-free", "0.02"))
    case(cmd, "--json", base[:-1], base)
    case(cmd, "--no-annualize", base, (*base, "--no-annualize"), refused=PER_PERIOD_REFUSAL.get(strategy))
    case(cmd, "--periods-per-year", base, (*base, "--periods-per-year", "52"))
    if constrained:
        case(cmd, "--long-short", base, (*base, "--long-short"))
        case(cmd, "--lower", base, (*base, "--lower", "0.05"))
        case(cmd, "--upper", base, (*base, "--upper", "0.2"))
        case(cmd, "--leverage", (*base, "--long-short"), (*base, "--long-short", "--leverage", "1.2"))
        case(cmd, "--max-assets", base, (*base, "--max-assets", "2"))
for strategy, (flag, value) in {"min-variance-for-return": ("--target-return", "0.06"),
                                "max-return-for-volatility": ("--target-volatility", "0.15"),
                                "min-cvar": ("--alpha", "0.8"),
                                "score-tradeoff": ("--tradeoff", "0.05")}.items():
    own = STRATEGY_ARGS.get(strategy, ())
    base = ("classic", strategy, "--prices", EXAMPLE, *own, "--json")
    given = [*base]
    if flag in given:
        given[given.index(flag) + 1] = value
    else:
        given[-1:-1] = [flag, value]
    case(f"classic {strategy}", flag, base, tuple(given))
SWEEP = ("classic", "score-tradeoff", "--prices", EXAMPLE, "--scores", "{scores}", "--sweep", "0:0.05:3")
case("classic score-tradeoff", "--scores", ("classic", "score-tradeoff", "--prices", EXAMPLE, "--scores", "{scores}",
                                            "--tradeoff", "0.05", "--json"),
     ("classic", "score-tradeoff", "--prices", EXAMPLE, "--scores", "{scores2}", "--tradeoff", "0.05", "--json"))
case("classic score-tradeoff", "--sweep", SWEEP, ("classic", "score-tradeoff", "--prices", EXAMPLE, "--scores", "{scores}",
                                                  "--sweep", "0:0.05:4"))
case("classic score-tradeoff", "--plot", SWEEP, (*SWEEP, "--plot", "{root}/s.png"),
     check=lambda a, b: Path(b.split("plot written to ")[1].strip()).is_file())

FRONTIER = ("frontier", "--prices", EXAMPLE, "--points", "5", "--json")
case("frontier", "--prices", FRONTIER, ("frontier", "--prices", "{half}", "--points", "5", "--json"))
case("frontier", "spec", FRONTIER, ("frontier", "{spec}", "--points", "5", "--json"))
case("frontier", "--orlib", FRONTIER, ("frontier", "--orlib", "port1", "--points", "5", "--json"))
case("frontier", "--synthetic", FRONTIER, ("frontier", "--synthetic", "8", "--points", "5", "--json"))
case("frontier", "--instance-seed", ("frontier", "--synthetic", "8", "--points", "5", "--json"),
     ("frontier", "--synthetic", "8", "--instance-seed", "3", "--points", "5", "--json"))
case("frontier", "--data-dir", ("frontier", "--orlib", "port1", "--points", "5", "--json"),
     ("frontier", "--orlib", "port1", "--data-dir", "{root}", "--points", "5", "--json"), refused="port1")
case("frontier", "--estimator", FRONTIER, (*FRONTIER, "--estimator", "sample"))
case("frontier", "--date-column", ("frontier", "--prices", "{day}", "--points", "5", "--json"),
     ("frontier", "--prices", "{day}", "--date-column", "day", "--points", "5", "--json"))
case("frontier", "--date-format", ("frontier", "--prices", "{dmy}", "--points", "5", "--json"),
     ("frontier", "--prices", "{dmy}", "--date-format", "%d/%m/%Y", "--points", "5", "--json"))
case("frontier", "--repair-covariance", ("frontier", "{nonpsd}", "--points", "5", "--json"),
     ("frontier", "{nonpsd}", "--repair-covariance", "--points", "5", "--json"))
for flag, extra in (("--risk-free", ("0.02",)), ("--long-short", ()), ("--lower", ("0.05",)), ("--upper", ("0.3",)),
                    ("--max-assets", ("3",)), ("--no-annualize", ()), ("--periods-per-year", ("52",)),
                    ("--points", ("4",)), ("--returns", ("0.05:0.08:3",))):
    case("frontier", flag, FRONTIER, (*FRONTIER, flag, *extra))
case("frontier", "--leverage", (*FRONTIER, "--long-short"), (*FRONTIER, "--long-short", "--leverage", "1.2"))
case("frontier", "--json", FRONTIER[:-1], FRONTIER)
case("frontier", "--plot", FRONTIER[:-1], (*FRONTIER[:-1], "--plot", "{root}/f.png"),
     check=lambda a, b: "plot written to" in b)

BACKTEST = ("backtest", EXAMPLE, "--strategy", "min-variance", "--window", "60", "--rebalance", "monthly", "--json")
for flag, extra in (("--strategy", ("equal-weight",)), ("--rebalance", ("quarterly",)), ("--window", ("120",)),
                    ("--periods-per-year", ("52",)), ("--risk-free", ("0.02",)), ("--long-short", ()),
                    ("--lower", ("0.05",)), ("--upper", ("0.2",)), ("--max-assets", ("2",))):
    given = [*BACKTEST]
    if flag in ("--rebalance", "--window"):
        given[given.index(flag) + 1] = extra[0]
    else:
        given[-1:-1] = [flag, *extra]
    case("backtest", flag, BACKTEST, tuple(given))
case("backtest", "--leverage", (*BACKTEST, "--long-short"), (*BACKTEST, "--long-short", "--leverage", "1.2"))
case("backtest", "prices", BACKTEST, ("backtest", "{half}", *BACKTEST[2:]))
case("backtest", "--date-column", ("backtest", "{day}", *BACKTEST[2:]), ("backtest", "{day}", "--date-column", "day",
                                                                         *BACKTEST[2:]))
case("backtest", "--date-format", ("backtest", "{dmy}", *BACKTEST[2:]), ("backtest", "{dmy}", "--date-format", "%d/%m/%Y",
                                                                         *BACKTEST[2:]))
case("backtest", "--k", BACKTEST, (*BACKTEST, "--k", "3"), refused="qubo:<solver>")
case("backtest", "--step", BACKTEST, (*BACKTEST, "--step", "0.1"), refused="qubo:<solver>")
case("backtest", "-o", BACKTEST, (*BACKTEST, "-o", "num_reads=5"), refused="qubo:<solver>")
case("backtest", "--json", BACKTEST[:-1], BACKTEST)
case("backtest", "--plot", BACKTEST[:-1], (*BACKTEST[:-1], "--plot", "{root}/e.png"), check=lambda a, b: "e.png" in b)

QUIET_SEEN: list[bool] = []
#: exit codes that are answers, not refusals (fit: 4 = it does not embed)
DONE_CODES = {"fit": (0, 4)}


# ------------------------------------------------------------------------------------------- the tests
SOLVER_FLAGS = {"--" + name.replace("_", "-") for name in flag_options()}


def test_every_listed_option_has_a_case():
    listed = {(cmd, opt) for cmd, opt in listed_options() if not (cmd == "solve" and opt in SOLVER_FLAGS)
              and cmd != "serve"}
    missing = sorted(listed - set(CASES))
    assert not missing, f"options shown in --help without a case here: {missing}"
    assert not sorted(set(CASES) - listed), "cases for options no help shows"


def test_every_serve_option_is_exercised_by_the_server_tests():
    """``serve`` runs until stopped, so its options are tested against a real server (tests/serve)."""
    text = (Path(__file__).parents[1] / "serve" / "test_serve.py").read_text() + (
        Path(__file__).parents[1] / "serve" / "conftest.py").read_text()
    flags = sorted(opt for cmd, opt in listed_options() if cmd == "serve")
    assert flags and not [f for f in flags if f'"{f}"' not in text]


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: f"{k[0]} {k[1]}")
def test_option_acts_or_is_refused(key, files, capsys, monkeypatch):
    from qportfolio.utils import progress

    real = progress.terminal_reporter

    def spy(quiet=False, **kw):
        QUIET_SEEN.append(quiet)
        return real(quiet=quiet, **kw)

    monkeypatch.setattr(progress, "terminal_reporter", spy)
    lp2 = Path(files["root"]) / "lp2.json"
    model = json.loads(Path(LP[1]).read_text())
    model["variables"]["stocks"]["upper"] = 0.03  # binding: the answer moves
    lp2.write_text(json.dumps(model))
    scores2 = Path(files["root"]) / "scores2.json"
    scores2.write_text(json.dumps({a: -v for a, v in json.loads(Path(files["scores"]).read_text()).items()}))
    fill = {**files, "demo": demo_spec_path(), "lp2": str(lp2), "scores2": str(scores2)}
    c = CASES[key]
    base = tuple(a.format(**fill) for a in c.base)
    given = tuple(a.format(**fill) for a in c.given)
    rc, out, err = run(given, capsys)
    if c.refused is not None:
        assert rc == 2 and c.refused in err, (rc, out, err)
        return
    done = DONE_CODES.get(key[0], (0,))
    assert rc in done, err
    if c.check is not None:
        rc0, out0, _ = run(base, capsys)
        assert c.check(out0, out), (out0, out)
        return
    rc0, out0, err0 = run(base, capsys)
    if rc0 == 2:  # the call needs the option (a date column, a repair): refused without it, done with it
        return
    assert rc0 in done, err0
    assert stable(out0) != stable(out), f"{key[1]} changed nothing"


@pytest.mark.parametrize("flag", sorted(SOLVER_FLAGS))
def test_solver_flags_reach_the_solver_or_are_refused(flag, capsys):
    """Generated from the solvers' declared options: the chosen solver gets the value (the solvers'
    own tests check what each option does), and a solver that does not take it refuses it by name,
    naming the solvers that take it."""
    from qportfolio import solvers as registry

    name = flag[2:].replace("-", "_")
    option, takers = flag_options()[name]
    value = {"encoding": "unary", "mixer": "xy-ring", "penalty_strategy": "tuned", "profile": "fast"}.get(name, "3")
    args = build_parser("solve").parse_args(["solve", *SYN, "--solver", takers[0], flag]
                                            + ([] if option.check is registry.BOOLEAN else [value]))
    assert name in solver_options(args)
    refuser = next(s for s in registry.available() if name not in registry.get(s).options)
    rc, _, err = run(("solve", *SYN, "--solver", refuser, flag, *([] if option.check is registry.BOOLEAN else [value])),
                     capsys)
    assert rc == 2 and "does not take option" in err and name in err and f"taken by {takers[0]}" in err, err
