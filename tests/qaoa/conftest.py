"""The QAOA package runs on numba kernels when installed and on a pure-numpy path otherwise: the
``backend`` fixture runs a test on both."""

import pytest


@pytest.fixture(params=["compiled", "numpy"])
def backend(request, monkeypatch):
    from qportfolio.qaoa import kernels

    if request.param == "numpy":
        monkeypatch.setattr(kernels, "HAVE_NUMBA", False)
    elif not kernels.HAVE_NUMBA:
        pytest.skip("numba not installed")
    return request.param
