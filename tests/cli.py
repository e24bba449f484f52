"""Run the real `parley` command as a user would: a fresh process, pipes (so no terminal)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parley(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`parley ARGS` from the repository root (or `cwd`), with `env` added to the environment.

    PARLEY_DEBUG is taken out, so errors look as a user sees them (one line, no traceback).
    `stdin` is what the user types (default: nothing to read).
    """
    full = {**os.environ, **(env or {})}
    full.pop("PARLEY_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "simulator.cli.main", *args],
        capture_output=True,
        input=stdin if stdin is not None else "",
        text=True,
        cwd=cwd or ROOT,
        env=full,
        timeout=timeout,
    )
