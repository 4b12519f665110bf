"""The README stays a true, short front door: it starts with the two commands, stays within 90
lines, and its Python and shell examples run as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.S)


def test_front_door_starts_with_the_two_commands_and_is_short():
    lines = README.read_text().splitlines()
    assert lines[2:6] == ["```bash", lines[3], lines[4], "```"] and lines[3].startswith("make demo")
    assert lines[4].startswith("make test")
    assert 60 <= len(lines) <= 90


def test_the_two_commands_are_make_targets():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)


def test_the_python_example_runs():
    (example,) = blocks("python")
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)
    result, exact = namespace["result"], namespace["exact"]
    assert result.feasible and exact.status == "optimal"
    assert result.objective >= exact.objective - 1e-9 * max(1.0, abs(exact.objective))


def test_the_shell_example_runs(capsys, monkeypatch):
    """Each command of the shell block, through the `qportfolio` command's entry point (in process)."""
    from qportfolio.cli import main

    shell = [b for b in blocks("bash") if "qportfolio " in b]
    assert len(shell) == 1
    commands = [line.split("#")[0].strip() for line in shell[0].splitlines() if line.strip()]
    assert commands and all(c.startswith("qportfolio ") for c in commands)
    monkeypatch.chdir(ROOT)
    for command in commands:
        capsys.readouterr()
        assert main(shlex.split(command)[1:]) == 0, (command, capsys.readouterr().err[-2000:])
        assert capsys.readouterr().out.strip(), command
