"""Every notebook in notebooks/ runs top to bottom (nbclient, a fresh kernel)."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.slow  # ~3 min for the four; the library calls they make are tested one by one elsewhere
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path):
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for cell in nb.cells if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    if path.name == "qaoa.ipynb":  # its first code cell ends with a Result: Jupyter shows our HTML table
        html = [o["data"]["text/html"] for o in nb.cells[1].get("outputs", []) if "text/html" in o.get("data", {})]
        assert html and "class='qportfolio'" in html[0] and "<th>asset</th>" in html[0] and "optimal" in html[0]
