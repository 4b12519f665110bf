"""utils/versions.py: the versions recorded with a result are the installed ones; absent packages are left out."""

import platform
from importlib import metadata

import numpy as np

from qportfolio.utils import versions


def test_versions_are_the_installed_ones():
    found = versions.package_versions()
    assert found["python"] == platform.python_version()
    assert found["numpy"] == metadata.version("numpy") and np.__version__ == found["numpy"]
    assert found["qportfolio"] == metadata.version("qportfolio")
    assert set(found) <= {"python", *versions.PACKAGES}
    assert versions.package_versions() is found  # computed once per process


def test_absent_packages_are_left_out(monkeypatch):
    monkeypatch.setattr(versions, "PACKAGES", ("numpy", "no-such-package-qportfolio-test"))
    found = versions.package_versions.__wrapped__()
    assert set(found) == {"python", "numpy"}
