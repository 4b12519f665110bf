"""``qportfolio solvers``: one line per registered solver, with ``-v`` each option."""

from qportfolio import solvers as registry
from qportfolio.cli import main


def test_every_registered_solver_is_listed_once(capsys):
    assert main(["solvers"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names == registry.available() and registry.DEFAULT_SOLVER in names


def test_verbose_lists_each_solvers_declared_options(capsys):
    assert main(["solvers", "-v"]) == 0
    listed: dict[str, list[str]] = {}
    current = ""
    for line in capsys.readouterr().out.splitlines():
        if line.startswith("    "):
            listed[current].append(line.split()[0])
        else:
            current = line.split()[0]
            listed[current] = []
    assert listed == {name: sorted(registry.get(name).options) for name in registry.available()}


def test_old_names_are_shown_beside_the_current_ones(capsys):
    assert main(["solvers"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    for old, current in registry.aliases().items():
        assert old not in lines and f"(also: {old}" in lines[current]
