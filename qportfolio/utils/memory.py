"""Memory guards: refuse, before allocating, an object larger than the machine can hold.

Every large allocation (dense QUBO matrices, covariance matrices of synthetic instances, grid
reachability tables, brute-force enumeration, statevectors) asks :func:`check_allocation` first,
with the number of bytes it is about to need and the way out. The default limit is half of the
machine's physical memory (``QPORTFOLIO_MAX_MEMORY_GB`` overrides it), so a mistyped size fails
in microseconds with a message instead of swapping the machine to a halt or being OOM-killed.
"""

from __future__ import annotations

import os

from ..errors import SolverError, ValidationError

GIB = 2**30
#: fallback when the physical memory cannot be read (non-POSIX systems)
DEFAULT_LIMIT_BYTES = 8 * GIB


def physical_memory_bytes() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None


def default_limit_bytes() -> int:
    """The allocation limit: ``QPORTFOLIO_MAX_MEMORY_GB`` if set, else half the physical memory."""
    env = os.environ.get("QPORTFOLIO_MAX_MEMORY_GB")
    if env:
        try:
            value = float(env)
        except ValueError:
            value = -1.0
        if not value > 0:
            raise ValidationError(f"QPORTFOLIO_MAX_MEMORY_GB must be a positive number of GiB, got {env!r}")
        return int(value * GIB)
    total = physical_memory_bytes()
    return total // 2 if total else DEFAULT_LIMIT_BYTES


def check_allocation(what: str, nbytes: float, way_out: str, *, limit_bytes: int | None = None) -> None:
    """Raise :class:`SolverError` when ``nbytes`` exceed the limit; ``what`` says what was to be
    built and ``way_out`` how to make it smaller."""
    limit = default_limit_bytes() if limit_bytes is None else int(limit_bytes)
    if nbytes > limit:
        raise SolverError(f"{what} would need about {nbytes / GIB:,.1f} GiB, over the limit of {limit / GIB:,.1f} GiB "
                          f"(QPORTFOLIO_MAX_MEMORY_GB); {way_out}")


def release_free_memory() -> None:
    """Hand the allocator's free pages back to the system (glibc ``malloc_trim``), so that a worker's
    resident size after a large job drops to what it still uses; nothing where there is no glibc."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _status_bytes(field: str) -> int | None:
    """A ``kB`` field of /proc/self/status (VmRSS, VmHWM) in bytes, or None without /proc."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def current_rss_bytes() -> int | None:
    """Resident set size of this process now (VmRSS), or None without /proc."""
    return _status_bytes("VmRSS")


def reset_peak_rss() -> bool:
    """Reset this process's peak resident set size (Linux: ``5`` into /proc/self/clear_refs), so that
    :func:`peak_rss_bytes` measures from here (after :func:`release_free_memory`, so that what an
    earlier job freed does not count); False where the system has no such reset."""
    release_free_memory()
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_rss_bytes() -> int | None:
    """Peak resident set size of this process (VmHWM; since the last :func:`reset_peak_rss`), or
    ``ru_maxrss`` (since the start) where /proc is missing; None when neither is available."""
    peak = _status_bytes("VmHWM")
    if peak is not None:
        return peak
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024
    except (ImportError, OSError):
        return None
