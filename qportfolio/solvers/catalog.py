"""The solver catalogue: one row per registered solver, read from the registry, for the docs.

The docs' solver table is rendered from these rows (``python -m qportfolio.solvers.catalog``), and a
test compares the committed table with a fresh rendering, so the table cannot drift from the
declarations: names from :func:`~.registry.available` (old names from :func:`~.registry.aliases`), what runs from each solver's
``description``, options from its declared :class:`~.options.Option` records.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .options import Option
from .qubo_solver import DimodSamplerSolver, QuboSolver
from .registry import BUILTIN_SOLVERS, DEFAULT_SOLVER, aliases, available, get


@dataclass(frozen=True)
class SolverRow:
    """One solver as the docs list it."""

    name: str
    description: str
    takes_qubo_options: bool  #: it accepts the options every QUBO solver shares (encoding, penalties, budget, ...)
    options: tuple[str, ...]  #: its own typed options (the shared QUBO options left out)
    default: bool = False
    aliases: tuple[str, ...] = ()  #: older names that still reach it


def builtin_names() -> list[str]:
    """The solvers qportfolio ships, by name: the documented ones (a plug-in registered in this
    process, e.g. by a test, is not part of the package's docs)."""
    return [name for name in available() if name in BUILTIN_SOLVERS]


def shared_qubo_options() -> dict[str, Option]:
    """The options every registered QUBO solver takes (encoding, penalties, stopping rules, repair,
    polish), seed aside: the declarations QuboSolver adds to each backend's own. Where a backend
    declares one with another default (``decompose``'s encoding), the most common record is shown."""
    declared = [get(name).options for name in builtin_names() if isinstance(get(name), QuboSolver)]
    if not declared:
        return {}
    common = set.intersection(*(set(options) for options in declared)) - {"seed"}
    return {name: Counter(options[name] for options in declared).most_common(1)[0][0]
            for name in declared[0] if name in common}


def _row(name: str, options: Mapping[str, Option], description: str, shared: Mapping[str, Option]) -> SolverRow:
    takes = bool(shared) and set(shared) <= set(options)
    own = tuple(o.name for o in options.values() if o.check is not None and not (takes and o.name in shared))
    old = tuple(alias for alias, current in aliases().items() if current == name)
    return SolverRow(name, description, takes, own, default=name == DEFAULT_SOLVER, aliases=old)


def rows() -> list[SolverRow]:
    """Every built-in solver, by name, then the row for a dimod sampler object."""
    shared = shared_qubo_options()
    out = [_row(name, (s := get(name)).options, s.description, shared) for name in builtin_names()]
    out.append(SolverRow(DimodSamplerSolver.description, "the sampler on the QUBO: `qp.solve(problem, sampler, **params)`",
                         bool(shared), ()))
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def markdown_table() -> str:
    """The solver table in Markdown (what ``docs/solvers.md`` holds between its markers)."""
    lines = ["| name | what runs | QUBO options | its own options |", "|---|---|---|---|"]
    for row in rows():
        name = f"`{row.name}`" if row.name in available() else row.name
        own = ", ".join(f"`{o}`" for o in row.options) or ("the sampler's parameters" if name == row.name else "—")
        old = f" (formerly {', '.join(f'`{a}`' for a in row.aliases)})" if row.aliases else ""
        lines.append(f"| {name}{' (default)' if row.default else ''}{old} | {_cell(row.description)} | "
                     f"{'yes' if row.takes_qubo_options else '—'} | {own} |")
    return "\n".join(lines) + "\n"


def markdown_shared_options() -> str:
    """The options every QUBO solver shares, as a Markdown table."""
    lines = ["| option | what it does [type; default] |", "|---|---|"]
    lines += [f"| `{o.name}` | {_cell(o.describe())} |" for o in shared_qubo_options().values()]
    return "\n".join(lines) + "\n"


def markdown() -> str:
    """Both tables, as the docs hold them."""
    return f"{markdown_table()}\nThe options every QUBO solver shares:\n\n{markdown_shared_options()}"


#: the lines between which a Markdown page holds the generated tables
MARKERS = ("<!-- solver-table:start -->", "<!-- solver-table:end -->")


def with_tables(page: str, tables: str | None = None) -> str:
    """``page`` with the text between its :data:`MARKERS` replaced by ``tables`` (default: :func:`markdown`)."""
    start, end = MARKERS
    head, found, rest = page.partition(start + "\n")
    _, found_end, tail = rest.partition(end)
    if not (found and found_end):
        raise ValueError(f"the page has no {start} ... {end} block")
    return f"{head}{start}\n{markdown() if tables is None else tables}{end}{tail}"


def main(argv: list[str]) -> int:
    """``python -m qportfolio.solvers.catalog [--write PAGE.md]``: print the tables, or put them into a page."""
    if argv[:1] == ["--write"] and len(argv) == 2:
        path = Path(argv[1])
        path.write_text(with_tables(path.read_text()))
    elif argv:
        sys.stderr.write("usage: python -m qportfolio.solvers.catalog [--write PAGE.md]\n")
        return 2
    else:
        sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
