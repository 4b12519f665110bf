"""The layering STYLE.md asks for, checked on the source: no import cycles among qportfolio's
modules (function-level imports included), backends reach the registry only through
``solvers/registry.py``, only the registry loads a backend module (``solvers/dwave_samplers.py``,
``solvers/dwave/qpu.py``), a backend package's modules are its own, and no module imports
from a higher layer (the layers of STYLE.md: problem -> formulations -> solver -> result users)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "qportfolio"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """qportfolio modules that ``path`` imports anywhere in its body (absolute names)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("qportfolio")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("qportfolio"):
                continue
            for alias in node.names:  # `from . import x` may name a submodule
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
    return {m for m in found if m in MODULES and m != name}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


#: STYLE.md's layers, lowest first: a module imports only from its own layer or lower ones.
LAYERS = (
    ("foundation", ("errors", "utils", "status", "examples")),
    ("problem", ("problem", "grid", "encodings", "numerics", "bounds", "data")),
    ("formulations", ("formulations",)),
    ("result", ("result", "diagnostics")),
    ("simulators", ("qaoa",)),
    ("solvers", ("solvers",)),
    ("classical toolkit", ("classic",)),
    ("allocation models", ("lp",)),
    ("benchmarks", ("bench",)),
    ("front ends", ("cli", "serve", "")),
)


def layer_of(module: str) -> int:
    """The layer index of a module (the most specific prefix wins: classic.cli is a front end)."""
    name = module.removeprefix("qportfolio").removeprefix(".")
    best, depth = None, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".") or (prefix == "" and name == "")) and \
                    len(prefix) > depth:
                best, depth = index, len(prefix)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best


def find_cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(GRAPH):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_checker_sees_relative_and_lazy_imports():
    assert "qportfolio.solvers.registry" in GRAPH["qportfolio.solvers.dwave_samplers"]
    assert "qportfolio.cli.args" in GRAPH["qportfolio.cli.classic"]
    assert "qportfolio.solvers.qubo_solver" in GRAPH["qportfolio.solvers.registry"]  # imported inside get()


def test_no_import_cycle_among_modules():
    assert find_cycle() is None, " -> ".join(find_cycle() or [])


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return [f"{m} ({LAYERS[layer_of(m)][0]}) imports {d} ({LAYERS[layer_of(d)][0]})"
            for m, deps in graph.items() for d in deps if layer_of(d) > layer_of(m)]


def test_no_import_runs_up_a_layer():
    assert upward_imports(GRAPH) == []


def test_the_layer_check_sees_an_upward_import():
    assert layer_of("qportfolio.cli.classic") > layer_of("qportfolio.classic.frontier") > layer_of("qportfolio.data.prices")
    # the import issue 22 found: price reading in the classical toolkit, used by a lower layer
    assert upward_imports({"qportfolio.data.spec": {"qportfolio.classic.portfolios"}}) != []


def backend_rooms(builtins: tuple[str, ...]) -> dict[str, str]:
    """Each built-in backend module and its room: the module itself, or for a backend inside a package
    (``dwave.qpu``) the whole package, whose other modules are that backend family's own."""
    return {f"qportfolio.solvers.{b}": f"qportfolio.solvers.{b.partition('.')[0]}" for b in builtins}


def in_room(module: str, room: str) -> bool:
    return module == room or module.startswith(room + ".")


def backend_violations(graph: dict[str, set[str]], builtins: tuple[str, ...]) -> list[str]:
    """Imports that break the registry's rules: a backend module imported by anyone (the registry loads
    them by name), a backend package's module imported from outside that package, a backend importing
    the solvers package init, its own package's init, another backend, or another backend's room."""
    rooms = backend_rooms(builtins)
    found = [f"{m} imports the backend {d}" for m, deps in graph.items() for d in deps if d in rooms]
    for room in {r for b, r in rooms.items() if b != r}:  # backend packages: their modules are their own
        found += [f"{m} imports {d} from the backend package {room}" for m, deps in graph.items()
                  if not in_room(m, room) for d in deps if in_room(d, room)]
    for backend, room in rooms.items():
        deps = graph.get(backend, set())
        inits = {"qportfolio.solvers"} | ({room} if room != backend else set())
        found += [f"{backend} imports the package init {d}" for d in sorted(deps & inits)]
        found += [f"{backend} imports {d} of another backend" for d in sorted(deps)
                  if any(in_room(d, r) for r in set(rooms.values()) - {room}) or (d in rooms and d != backend)]
    return sorted(set(found))


def test_only_the_registry_loads_the_backend_modules():
    from qportfolio.solvers.registry import BUILTIN_MODULES

    for backend in BUILTIN_MODULES:
        assert f"qportfolio.solvers.{backend}" in MODULES, backend  # a name the registry can import
        importers = sorted(m for m, deps in GRAPH.items() if f"qportfolio.solvers.{backend}" in deps)
        assert importers == [], (backend, importers)  # the registry imports built-ins by name, nothing else does


def test_backends_do_not_import_the_package_init_or_each_other():
    from qportfolio.solvers.registry import BUILTIN_MODULES

    assert backend_violations(GRAPH, BUILTIN_MODULES) == []


def test_the_backend_check_sees_package_backends_and_their_violations():
    from qportfolio.solvers.registry import BUILTIN_MODULES

    assert {"dwave.qpu", "dwave.leap"} <= set(BUILTIN_MODULES) and "dwave" not in BUILTIN_MODULES
    assert "qportfolio.solvers.dwave.sampler" in GRAPH["qportfolio.solvers.dwave.qpu"]  # siblings may share helpers
    builtins = ("dwave.qpu", "dwave.leap", "exact")
    for graph in ({"qportfolio.solvers.dwave.leap": {"qportfolio.solvers.dwave.qpu"}},  # siblings are backends too
                  {"qportfolio.solvers.exact": {"qportfolio.solvers.dwave.embedding"}},  # another backend's room
                  {"qportfolio.solvers.subproblems": {"qportfolio.solvers.dwave.mock"}},  # the package's own helper
                  {"qportfolio.solvers.dwave.qpu": {"qportfolio.solvers.dwave"}},  # its package's init
                  {"qportfolio.solvers.dwave.sampler": {"qportfolio.solvers.exact"}},  # a helper loading a backend
                  {"qportfolio.solvers.dwave.leap": {"qportfolio.solvers"}}):
        assert backend_violations(graph, builtins) != [], graph
    assert backend_violations({"qportfolio.solvers.dwave.qpu": {"qportfolio.solvers.dwave.sampler",
                                                                "qportfolio.solvers.registry"}}, builtins) == []


def test_cli_and_runner_know_no_backend():
    backend_modules = {m for m in MODULES if m.startswith("qportfolio.solvers.") and
                       m.rpartition(".")[2] not in ("registry", "base", "qubo_solver", "options")}
    users = sorted(m for m in MODULES if m == "qportfolio.cli" or m.startswith("qportfolio.cli."))
    assert "qportfolio.cli.solve" in users
    for user in (*users, "qportfolio.bench.runner"):
        assert not GRAPH[user] & backend_modules, (user, GRAPH[user] & backend_modules)


#: Share of public modules that must have a mirrored test file (issue 34's done-when).
MIRROR_SHARE = 0.90


def public_modules() -> list[Path]:
    """``qportfolio/**/*.py`` whose name does not start with ``_`` (so no __init__/__main__)."""
    return sorted(p for p in PACKAGE.rglob("*.py") if not p.name.startswith("_"))


def mirrored_test(path: Path) -> Path:
    """Where a module's tests live: ``tests/<same folder>/test_<name>.py``."""
    rel = path.relative_to(PACKAGE)
    return PACKAGE.parent / "tests" / rel.parent / f"test_{rel.name}"


def test_tests_mirror_the_tree():
    modules = public_modules()
    missing = [str(p.relative_to(PACKAGE.parent)) for p in modules if not mirrored_test(p).is_file()]
    share = 1 - len(missing) / len(modules)
    assert share >= MIRROR_SHARE, (f"{share:.0%} of {len(modules)} public modules have tests/<folder>/test_<name>.py "
                                   f"(need {MIRROR_SHARE:.0%}); missing: {', '.join(missing)}")


def test_the_mirror_check_finds_modules_and_their_test_paths():
    assert mirrored_test(PACKAGE / "qaoa" / "basis.py") == PACKAGE.parent / "tests" / "qaoa" / "test_basis.py"
    assert mirrored_test(PACKAGE / "errors.py") == PACKAGE.parent / "tests" / "test_errors.py"
    names = {p.name for p in public_modules()}
    assert "problem.py" in names and "__init__.py" not in names and "__main__.py" not in names
