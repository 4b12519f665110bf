"""Installable anywhere: a wheel built from this tree, installed into a fresh environment outside the
repository, solves an OR-Library point and expands the OR-Library suites from its own data."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory) -> Path:
    """A fresh venv holding only the built wheel; the dependencies come from this environment's
    site-packages by a plain path entry (nested .pth files, such as the editable install's, are not
    processed there, so ``import qportfolio`` can only find the wheel)."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist),
                    str(ROOT)], check=True, cwd=base, capture_output=True)
    wheel = next(dist.glob("qportfolio-*.whl"))
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True)
    return env_dir


def _run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QPORTFOLIO_ORLIB_DIR", "PYTHONPATH")}
    return subprocess.run([str(env_dir / "bin" / "qportfolio"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_wheel_solves_an_orlib_point_outside_the_repository(installed_wheel, tmp_path):
    where = subprocess.run([str(installed_wheel / "bin" / "python"), "-c", "import qportfolio; print(qportfolio.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert str(installed_wheel) in where and str(ROOT) not in where  # the wheel, not this checkout
    out = _run(installed_wheel, "solve", "--orlib", "port1", "--k", "10", "--step", "0.05", "--min-weight", "0.05",
               "--solver", "exact-discrete", "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert '"status": "optimal"' in out.stdout


@pytest.mark.parametrize("suite", ["orlib", pytest.param("chang2000", marks=pytest.mark.slow)])  # chang2000: ~10 s more
def test_the_wheel_expands_the_orlib_suites(installed_wheel, tmp_path, suite):
    out = _run(installed_wheel, "bench", "run", suite, "--dry-run", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert f"suite {suite}:" in out.stdout and "pending" in out.stdout


def test_the_shipped_files_match_their_published_checksums():
    from qportfolio.data.orlib import BUNDLED_DIR, CHECKSUMS, verify

    assert verify(BUNDLED_DIR) == dict.fromkeys(CHECKSUMS, True)
    listed = (BUNDLED_DIR / "SOURCE.md").read_text()
    assert all(digest in listed and name in listed for name, digest in CHECKSUMS.items())
    shared = ROOT.parent / "shared" / "data" / "orlib"
    if shared.is_dir():  # the workspace's copy, where there is one, is the same data
        assert verify(shared) == dict.fromkeys(CHECKSUMS, True)
