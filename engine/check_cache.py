"""Stored results of `parley check`, the way ruff and mypy keep theirs.

A file checked before with the same bytes, options and code gets its findings from the
cache instead of being loaded and analysed again. The key (engine.diskcache) is made of:
the file's bytes (SHA-256); the path as given and as an absolute path (findings name it);
whether it is a framework; `--max-states`, `--max-seconds`, `--tells`; the frameworks and
tells data a scenario there may use (name, size, modification time of each file in
`frameworks/` and `tells/` beside it and in the bundled library); Parley's version,
Python's, and the code (every module of `engine/`, pydantic, PyYAML, networkx).
`--strict` is applied after the cache, so one entry serves both.

Findings that depend on the clock or on memory (P211: the exploration stopped at a time
or memory budget) are never stored. An entry is JSON (findings only, nothing that runs);
one that is damaged or does not read as findings is ignored and the file checked again.
`parley check --no-cache` (or `parley --no-cache`, PARLEY_NO_CACHE=1) checks every file
afresh. The first (cold) check of a file costs what it always did.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.diagnostics import Diagnostic, Severity
from engine.diskcache import code_fingerprint, fingerprint, listing, read_entry, write_entry
from engine.errors import Location
from engine.safefile import MAX_YAML_BYTES, read_capped

FORMAT = b"parley check results, format 1\n"
NOT_STORED = frozenset({"P211"})  # found only when a time or memory budget ran out


@dataclass(frozen=True)
class CheckCache:
    """Where check results are kept (`folder`), for code of version `version`."""

    folder: Path
    version: str

    def key(
        self,
        path: Path,
        is_framework: bool,
        max_states: int,
        max_seconds: float | None,
        tells: bool,
    ) -> str | None:
        """The entry's name for checking `path` so; None when the file cannot be read
        (the check itself says why)."""
        try:
            data = read_capped(path, MAX_YAML_BYTES)
        except OSError:
            return None
        parts: tuple[Any, ...] = (
            FORMAT,
            self.version,
            str(path),
            os.path.abspath(path),
            is_framework,
            max_states,
            max_seconds,
            tells,
            code_fingerprint(),
            _data_fingerprint(path.parent),
        )
        return fingerprint(parts, data)

    def get(self, key: str) -> list[Diagnostic] | None:
        """The stored findings, or None (no entry, or one that cannot be trusted)."""
        payload = read_entry(self._entry(key), FORMAT)
        if payload is None:
            return None
        try:
            return [_diagnostic(d) for d in json.loads(payload)]
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def put(self, key: str, found: list[Diagnostic]) -> None:
        """Store `found` (unless it depends on a budget); a failure to write is ignored."""
        if any(d.code in NOT_STORED for d in found):
            return
        rows = [_row(d) for d in found]
        write_entry(self._entry(key), FORMAT, json.dumps(rows, ensure_ascii=False).encode())

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.json"


def _data_fingerprint(folder: Path) -> tuple[Any, ...]:
    """Frameworks and tells data beside the file and in the bundled library."""
    from engine.library import bundled_dir

    places = []
    for base in (folder, bundled_dir()):
        for sub in ("frameworks", "tells"):
            place = base / sub
            places.append((os.path.abspath(place), listing(place, ".yaml")))
    return tuple(places)


def _row(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "message": d.message,
        "file": d.location.file,
        "line": d.location.line,
        "col": d.location.col,
        "hint": d.hint,
        "severity": d.severity.value if d.severity is not None else None,
    }


def _diagnostic(row: Any) -> Diagnostic:
    severity = row["severity"]
    hint = row["hint"]
    return Diagnostic(
        str(row["code"]),
        str(row["message"]),
        Location(str(row["file"]), int(row["line"]), int(row["col"])),
        None if hint is None else str(hint),
        None if severity is None else Severity(severity),
    )
