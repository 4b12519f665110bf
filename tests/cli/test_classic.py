"""The classical commands from the shell."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "qportfolio" / "examples"


@pytest.mark.parametrize("argv", [
    ["classic", "min-variance"],
    ["classic", "max-sharpe", "--synthetic", "12", "--instance-seed", "1", "--upper", "0.3"],
    ["classic", "risk-parity", "--prices", str(EXAMPLES / "prices.csv")],
    ["classic", "min-cvar", "--prices", str(EXAMPLES / "prices.csv"), "--json"],
    ["frontier", "--synthetic", "10", "--instance-seed", "2", "--points", "20"],
    ["backtest", str(EXAMPLES / "prices.csv"), "--strategy", "equal-weight", "--strategy", "risk-parity", "--window", "126"],
    ["lp", str(EXAMPLES / "allocation.json")],
])
def test_classical_commands(argv, capsys):
    from qportfolio.cli import main

    assert main(argv) == 0
    assert capsys.readouterr().out.strip()


def test_frontier_command_on_orlib_writes_a_plot(tmp_path, capsys):
    from qportfolio.cli import main

    plot = tmp_path / "f.png"
    assert main(["frontier", "--orlib", "port1", "--points", "30", "--risk-free", "0", "--plot", str(plot)]) == 0
    assert plot.stat().st_size > 10_000 and "tangency" in capsys.readouterr().out
