"""The ``qportfolio`` entry point: start-up imports only what the run uses, the version, the parser of a run."""

import subprocess
import sys

import pytest

from qportfolio.cli import build_parser, main
from qportfolio.cli.main import COMMANDS, parser_for


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["classic", "--help"]])
def test_help_and_version_import_no_backend(argv):
    """--help and --version answer without loading the solvers (the benchmark times them:
    benchmarks/cli_startup.py); the library's names still load on first use."""
    code = ("import sys; from qportfolio.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('dimod', 'cvxpy', 'qiskit', 'pandas', 'scipy', 'pyscipopt', 'qportfolio.solvers') "
            "if m in sys.modules)\nprint('HEAVY', heavy)")
    proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120)
    assert "HEAVY []" in proc.stdout, proc.stdout[-500:]
    if argv == ["--version"]:
        assert proc.stdout.startswith("qportfolio 0.")


def test_lazy_package_names_resolve():
    import qportfolio as qp

    assert qp.__all__ == sorted(qp._EXPORTS)
    for name in qp.__all__:
        assert getattr(qp, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        qp.nope  # noqa: B018


def test_version_is_the_installed_distributions(capsys):
    from importlib.metadata import version

    import qportfolio as qp

    assert qp.__version__ == version("qportfolio")
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.strip() == f"qportfolio {qp.__version__}"



def test_python_dash_m_is_the_command():
    proc = subprocess.run([sys.executable, "-m", "qportfolio.cli", "--version"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("qportfolio ")


def subcommand_options(parser, command: str) -> set[str]:
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(sub.choices[command]._option_string_actions)


def test_the_parser_of_a_run_builds_only_its_command():
    parser = build_parser("demo")
    assert subcommand_options(parser, "demo") > {"--time-budget", "-h"}
    assert subcommand_options(parser, "solve") == {"-h", "--help"}  # listed, not built
    assert set(COMMANDS) <= set(next(a for a in build_parser("")._actions if a.dest == "command").choices)


def test_solve_declares_the_chosen_solvers_flags_and_every_flag_when_needed():
    from qportfolio.cli.flags import flag_options

    every = {"--" + n.replace("_", "-") for n in flag_options()}
    sa = {"--" + n.replace("_", "-") for n in flag_options("sa")}
    default = {"--" + n.replace("_", "-") for n in flag_options("qubo")}
    assert sa < every and default < every and "--num-reads" in sa - default
    base = ["solve", "--synthetic", "6", "--k", "3"]
    assert subcommand_options(parser_for(base, "solve"), "solve") & every == default
    assert subcommand_options(parser_for([*base, "--solver", "sa"], "solve"), "solve") & every == sa
    assert subcommand_options(parser_for([*base, "--solver=sa", "--num-reads", "3"], "solve"), "solve") & every == sa
    for more in (["--num-reads", "3"], ["--bogus"], ["--help"], ["--num-r", "3"], ["--solv", "sa"]):
        assert subcommand_options(parser_for([*base, *more], "solve"), "solve") & every == every, more


@pytest.mark.parametrize("argv", [
    ["solve", "--synthetic", "6", "--k", "3", "--solver", "sa", "--num-reads", "3", "--seed", "2", "--polish"],
    ["solve", "spec.json", "--encoding", "unary", "--time-budget", "0.5", "-o", "patience=3", "--json"],
    ["solve", "--orlib", "port1", "--solver=qaoa-fast", "--reps", "2", "--mixer", "xy-ring", "-q"],
])
def test_a_run_parses_as_every_flag_would(argv):
    """The chosen solver's parser and the full one read a command line the same (oracle: the full parser)."""
    def given(ns):
        return {k: v for k, v in vars(ns).items() if v not in (None, False) and k not in ("solver_flags", "func")}

    assert given(parser_for(argv, "solve").parse_args(argv)) == given(build_parser("solve").parse_args(argv))
