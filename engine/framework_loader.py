"""Feedback frameworks (SORE, GROW, …): finding one beside a scenario or in the bundled
library, and loading it (cached by file and modification time)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from engine.diagnostics import Diagnostic
from engine.errors import ScenarioLoadError
from engine.library import bundled_frameworks_dir
from engine.load_common import _parse, _pydantic_diagnostics, _read, _text
from engine.model import (
    Dimension,
    Framework,
    Text,
)
from engine.schema import FrameworkDoc

# ---------------------------------------------------------------- frameworks


def find_framework(framework_id: str, scenario_dir: Path | None) -> Path | None:
    """frameworks/<id>.yaml beside the scenario first, then the bundled library."""
    candidates = []
    if scenario_dir is not None:
        candidates.append(scenario_dir / "frameworks" / f"{framework_id}.yaml")
    candidates.append(bundled_frameworks_dir() / f"{framework_id}.yaml")
    for c in candidates:
        if c.is_file():
            return c
    return None


def known_frameworks(scenario_dir: Path | None) -> list[str]:
    ids: set[str] = set()
    for folder in (scenario_dir / "frameworks" if scenario_dir else None, bundled_frameworks_dir()):
        if folder is not None and folder.is_dir():
            ids.update(p.stem for p in folder.glob("*.yaml"))
    return sorted(ids)


def load_framework(path: str | Path) -> Framework:
    """Load and validate a framework file; raises ScenarioLoadError with locations."""
    p = Path(path)
    stat = _stat(p)
    return _load_framework_cached(str(p), stat)


def _stat(p: Path) -> tuple[int, int]:
    try:
        st = p.stat()
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return (0, 0)


@lru_cache(maxsize=64)
def _load_framework_cached(file: str, _stat_key: tuple[int, int]) -> Framework:
    p = Path(file)
    data, smap = _parse(_read(p), file)
    try:
        doc = FrameworkDoc.model_validate(data)
    except ValidationError as exc:
        raise ScenarioLoadError(_pydantic_diagnostics(exc, smap, FrameworkDoc)) from None
    seen: dict[str, int] = {}
    problems: list[Diagnostic] = []
    for i, dim in enumerate(doc.dimensions):
        if dim.key in seen:
            problems.append(
                Diagnostic(
                    "P108",
                    f"dimension key '{dim.key}' appears twice",
                    smap.value(("dimensions", i, "key")),
                )
            )
        seen[dim.key] = i
    if p.stem != doc.id:
        problems.append(
            Diagnostic(
                "P116",
                f"framework id '{doc.id}' does not match the file name '{p.name}'",
                smap.value(("id",)),
                f"rename the file to {doc.id}.yaml or the id to '{p.stem}'",
            )
        )
    if problems:
        raise ScenarioLoadError(problems)
    dims = tuple(
        Dimension(
            d.key,
            _text(d.label, "en") or Text({}),
            _text(d.question, "en") or Text({}),
            _text(d.why, "en"),
        )
        for d in doc.dimensions
    )
    return Framework(
        id=doc.id,
        name=_text(doc.name, "en") or Text({}),
        summary=_text(doc.summary, "en") or Text({}),
        dimensions=dims,
        path=p,
    )
