"""The docs hold together: no link leaves the repository, every relative link reaches a file, the
solver table is the registry's own rendering, the API page names public entry points only, and
every page is in the site's navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import qportfolio as qp
from qportfolio.errors import ValidationError
from qportfolio.solvers import catalog, unregister

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
CHECKED = [*PAGES, ROOT / "README.md", ROOT / "benchmarks" / "RESULTS.md"]
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def relative_links(text: str) -> list[str]:
    """Targets of the Markdown links and images in ``text`` that are relative paths (code left out)."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    targets = [t.split("#")[0] for t in LINK.findall(text)]
    return [t for t in targets if t and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", t)]


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    """The relative links of ``page`` that leave ``root`` or name no file or folder."""
    problems = []
    for target in relative_links(page.read_text()):
        resolved = (page.parent / target).resolve()
        if not resolved.is_relative_to(root.resolve()):
            problems.append(f"{target}: leaves the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
    return problems


def test_the_link_checker_sees_links_that_leave_or_are_missing(tmp_path):
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "there.md").write_text("# there\n")
    page = repo / "docs" / "page.md"
    page.write_text("[ok](there.md#top) [out](../../shared/STYLE.md) [gone](missing.md) ![img](img/x.png)\n"
                    "[web](https://example.org) [anchor](#here) `[code](../../nope.md)`\n"
                    "```\n[fenced](../../nope.md)\n```\n")
    assert broken_links(page, repo) == ["../../shared/STYLE.md: leaves the repository", "missing.md: no such file",
                                        "img/x.png: no such file"]


@pytest.mark.parametrize("page", CHECKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_link_leaves_the_repository_and_every_target_exists(page):
    assert broken_links(page) == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_site_pages_link_inside_the_docs(page):
    """mkdocs --strict refuses links out of docs/: name other repository files as plain text."""
    for target in relative_links(page.read_text()):
        assert (page.parent / target).resolve().is_relative_to(DOCS.resolve()), (page.name, target)


def test_every_page_is_in_the_navigation():
    nav = (ROOT / "mkdocs.yml").read_text()
    assert [p.name for p in PAGES if not re.search(rf":\s*{re.escape(p.name)}\s*$", nav, flags=re.M)] == []


def test_the_solver_table_is_generated_from_the_registry():
    page = (DOCS / "solvers.md").read_text()
    assert catalog.with_tables(page) == page, "run: python -m qportfolio.solvers.catalog --write docs/solvers.md"


def test_the_new_backend_example_runs_and_its_option_is_typed():
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / "solvers.md").read_text(), flags=re.S)
    example = next(b for b in blocks if "class Exhaustive" in b)
    namespace: dict = {}
    exec(compile(example, "docs/solvers.md", "exec"), namespace)
    try:
        problem = qp.synthetic_problem(4, seed=1, cardinality=2, weight_step=0.25, min_weight=0.25)
        result = qp.solve(problem, "exhaustive", keep=20, seed=1)
        assert result.feasible and result.info["enumerated"]
        with pytest.raises(ValidationError, match="keep"):
            qp.solve(problem, "exhaustive", keep="all")
    finally:
        unregister("exhaustive")


#: the modules the API page may document: the package and its documented subpackages
PUBLIC_MODULES = ("qportfolio", "qportfolio.solvers", "qportfolio.data", "qportfolio.classic", "qportfolio.bench",
                  "qportfolio.lp")


def test_the_api_page_documents_the_public_surface_only():
    import importlib

    text = (DOCS / "api.md").read_text()
    documented = re.findall(r"^::: (\S+)", text, flags=re.M)
    assert documented and set(documented) <= set(PUBLIC_MODULES)
    sections = re.split(r"^::: ", text, flags=re.M)[1:]
    for section in sections:
        module = importlib.import_module(section.split()[0])
        members = re.findall(r"^\s+- (\w+)\s*$", section, flags=re.M)
        assert set(members) <= set(module.__all__), (module.__name__, set(members) - set(module.__all__))
    top = re.findall(r"^\s+- (\w+)\s*$", sections[0], flags=re.M)
    assert sorted(top) == sorted(qp.__all__)  # every public name of the package, documented


def test_the_results_page_is_short_and_the_notebook_keeps_its_dates():
    assert len((DOCS / "results.md").read_text().splitlines()) <= 80
    notebook = (ROOT / "benchmarks" / "RESULTS.md").read_text()
    assert len(notebook.splitlines()) > 400 and notebook.count("2026-") > 20
