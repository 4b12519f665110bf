"""The layering STYLE.md asks for, checked on the source: no import cycles among qportfolio's
modules (function-level imports included), backends reach the registry only through
``solvers/registry.py``, only the registry loads ``solvers/dwave_samplers.py``, and no module imports
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
    ("result", ("result",)),
    ("simulators", ("qaoa",)),
    ("solvers", ("solvers",)),
    ("classical toolkit", ("classic",)),
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


def test_only_the_registry_loads_the_backend_modules():
    from qportfolio.solvers.registry import BUILTIN_MODULES

    for backend in BUILTIN_MODULES:
        importers = sorted(m for m, deps in GRAPH.items() if f"qportfolio.solvers.{backend}" in deps)
        assert importers == [], (backend, importers)  # the registry imports built-ins by name, nothing else does


def test_backends_do_not_import_the_package_init_or_each_other():
    from qportfolio.solvers.registry import BUILTIN_MODULES

    backends = set(BUILTIN_MODULES)
    for name in backends:
        deps = GRAPH[f"qportfolio.solvers.{name}"]
        assert "qportfolio.solvers" not in deps, name
        assert not {f"qportfolio.solvers.{b}" for b in backends} & deps, name


def test_cli_and_runner_know_no_backend():
    backend_modules = {m for m in MODULES if m.startswith("qportfolio.solvers.") and
                       m.rpartition(".")[2] not in ("registry", "base", "qubo_solver", "options")}
    for user in ("qportfolio.cli", "qportfolio.cli.classic", "qportfolio.bench.runner"):
        assert not GRAPH[user] & backend_modules, (user, GRAPH[user] & backend_modules)
