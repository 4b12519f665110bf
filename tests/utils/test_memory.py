"""Peak-memory measurement used by the benchmark runner (Linux /proc; skipped elsewhere)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from qportfolio.utils.memory import current_rss_bytes, peak_rss_bytes, reset_peak_rss


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmHWM and clear_refs are Linux's")
def test_peak_rss_sees_an_allocation_and_resets_after_it():
    reset_peak_rss()
    before = peak_rss_bytes()
    block = np.ones(200 * 2**20 // 8)  # 200 MiB, touched
    during = peak_rss_bytes()
    assert during - before > 150 * 2**20
    del block
    assert reset_peak_rss()
    assert peak_rss_bytes() < during - 150 * 2**20  # the freed block no longer counts
    assert current_rss_bytes() <= peak_rss_bytes()
