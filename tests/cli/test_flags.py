"""The solve command's solver flags: the chosen solver's alone on a run (the registry imports that
backend alone), every solver's for help and for a flag the chosen solver does not declare."""

import json
import subprocess
import sys

import pytest

from qportfolio import solvers as registry
from qportfolio.cli import main
from qportfolio.cli.flags import chosen_solver, flag_options, long_flags
from qportfolio.solvers.registry import BUILTIN_MODULES, BUILTIN_SOLVERS, DEFAULT_SOLVER

SYN = ["solve", "--synthetic", "6", "--instance-seed", "1", "--k", "3"]


def run(argv, capsys):
    try:
        rc = main(argv)
    except SystemExit as exc:
        rc = int(exc.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("argv, solver", [
    ([], DEFAULT_SOLVER), (["x.json", "--solver", "sa"], "sa"), (["--solver=tabu", "--k", "3"], "tabu"),
    (["--solver", "sa", "--solver", "brute"], "brute"), (["--", "--solver", "sa"], DEFAULT_SOLVER),
    (["--solver", "sa", "-h"], None), (["--help"], None), (["--hel"], None),
])
def test_chosen_solver_reads_the_command_line_as_argparse_does(argv, solver):
    assert chosen_solver(argv) == solver


def test_long_flags_stop_at_the_terminator():
    assert long_flags(["a", "--k", "3", "--solver=sa", "-o", "x=1", "--", "--late"]) == {"--k", "--solver"}


def test_the_lazy_table_names_the_module_of_every_builtin_solver():
    """registry.BUILTIN_SOLVERS (what get(name) imports alone) against the registrations themselves."""
    names = registry.available()
    assert set(BUILTIN_SOLVERS) <= set(names)
    for name in BUILTIN_SOLVERS:
        assert BUILTIN_SOLVERS[name] in BUILTIN_MODULES
        module = type(registry.get(name)).__module__
        assert module == f"qportfolio.solvers.{BUILTIN_SOLVERS[name]}" or module.startswith(
            f"qportfolio.solvers.{BUILTIN_SOLVERS[name]}."), (name, module)


def test_a_default_solve_imports_its_backend_alone():
    """The start-up fix: building solve's flags and solving with the default solver import no other backend."""
    code = ("import sys, json; from qportfolio.cli import main\n"
            "main(['solve', '--synthetic', '6', '--instance-seed', '1', '--k', '3', '--time-budget', '0.3', '--json'])\n"
            "print('LOADED', json.dumps(sorted(m for m in sys.modules if m.startswith('qportfolio.solvers.'))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    loaded = set(json.loads(proc.stdout.split("LOADED ", 1)[1]))
    backends = {f"qportfolio.solvers.{m}" for m in BUILTIN_MODULES}
    own = {f"qportfolio.solvers.{BUILTIN_SOLVERS[DEFAULT_SOLVER]}", "qportfolio.solvers.tabu_structured"}
    assert own <= loaded and not (backends - own) & loaded, sorted((backends - own) & loaded)


def test_another_solvers_flag_is_refused_naming_the_solvers_that_take_it(capsys):
    takers = flag_options()["num_reads"][1]
    rc, _, err = run([*SYN, "--solver", "exact-discrete", "--num-reads", "3"], capsys)
    assert rc == 2 and "solver 'exact-discrete' does not take option(s) num_reads (--num-reads: taken by " in err
    assert all(t in err for t in takers) and "sa" in takers
    assert len(err.strip().splitlines()) == 1


def test_an_unknown_flag_is_unrecognised_and_a_known_one_is_never(capsys):
    """A flag no solver declares is argparse's error; one that some solver declares is parsed (every
    solver's flags are declared then) and refused by the default solver, which does not take it."""
    rc, _, err = run([*SYN, "--bogus", "3"], capsys)
    assert rc == 2 and "unrecognized arguments: --bogus" in err
    assert "num_reads" not in flag_options(DEFAULT_SOLVER)
    rc, _, err = run([*SYN, "--num-reads", "3"], capsys)
    assert rc == 2 and f"solver {DEFAULT_SOLVER!r} does not take option(s) num_reads" in err and "unrecognized" not in err


def test_help_lists_every_flag_with_the_solvers_that_take_it(capsys):
    rc, out, _ = run(["solve", "--help"], capsys)
    text = " ".join(out.split())
    assert rc == 0
    for name, (_, takers) in flag_options().items():
        assert "--" + name.replace("_", "-") in text
        assert f"({', '.join(takers[:6])}" in text, name
