"""A time and memory budget for long searches (state exploration in `parley check`).

`Budget.spent()` is cheap enough to call every few thousand steps: it reads the clock and,
on Linux, the process's resident memory (/proc/self/statm); elsewhere the peak resident
size (resource.getrusage). It says what ran out ("time" or "memory"), or None.
"""

from __future__ import annotations

import os
import time

DEFAULT_MAX_STATES = 1_000_000  # the same bound as engine.reach's and engine.explore's
DEFAULT_MAX_SECONDS = 10.0
DEFAULT_MAX_MEMORY_MB = 600

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb() -> float:
    """The process's resident memory now (or its peak, where "now" cannot be read), in MB."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE / 1e6
    except (OSError, IndexError, ValueError):
        try:
            import resource

            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # KB on Linux
        except (ImportError, OSError):  # pragma: no cover - no way to tell
            return 0.0


class Budget:
    """Seconds of wall time and MB of memory growth from now; None means unbounded."""

    def __init__(self, seconds: float | None = None, memory_mb: float | None = None) -> None:
        self.seconds = seconds
        self.memory_mb = memory_mb
        self._start = time.monotonic()
        self._base = resident_mb() if memory_mb is not None else 0.0

    def spent(self) -> str | None:
        """ "time", "memory", or None while there is budget left."""
        if self.seconds is not None and time.monotonic() - self._start > self.seconds:
            return "time"
        if self.memory_mb is not None and resident_mb() - self._base > self.memory_mb:
            return "memory"
        return None

    def describe(self, what: str) -> str:
        if what == "time":
            return f"the time budget of {self.seconds:g} s"
        return f"the memory budget of {self.memory_mb:g} MB"
