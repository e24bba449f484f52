"""Compiled scenarios kept on disk: a file that loaded once starts again without YAML or pydantic.

`load_scenario_cached(path, cache)` gives the same `Scenario` as `engine.loader.load_scenario`.
The first load of a file (and every load after it changes) goes through the loader as always:
the bounded YAML reader (engine.yamlsafe) and every validation pass. What it built is then
kept as a pickle in the user's cache folder, under a key made of:

- the file's bytes (SHA-256), the path as given and as an absolute path (locations and
  `Scenario.path` hold it; frameworks are looked for beside it);
- the frameworks that may be used: name, size and modification time of every *.yaml in
  the `frameworks/` folder beside the scenario and in the bundled library;
- the code that builds the model: the caller's version (Parley's), Python's version, and
  the name, size and modification time of every module of `engine/` and of the pydantic
  and PyYAML packages.

Only Parley writes the cache folder (made with mode 0700) and its entries (0600); how an
entry is kept and when it is trusted is engine.diskcache. On top of that, an entry
unpickles with only the model's own classes (a restricted unpickler); anything else
(corrupt, truncated, foreign, from an older Parley) is ignored and rebuilt. A cache that cannot be written (read-only folder, full disk) is simply not
used: the scenario loads as without it. The cache never lives in a folder the scenario's
author controls (unlike __pycache__ beside the source).
"""

from __future__ import annotations

import gc
import io
import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.diskcache import code_fingerprint, fingerprint, listing, read_entry, write_entry
from engine.model import Scenario
from engine.safefile import MAX_YAML_BYTES as MAX_BYTES
from engine.safefile import read_capped

FORMAT = b"parley compiled scenario, format 1\n"

# what an entry may name: the model's classes, the compiled conditions' parts, a path
_CLASS_MODULES = ("engine.model", "engine.errors")
_NAMES = {
    "engine.conditions": frozenset(
        {"Condition", "_const", "_flag", "_has", "_not", "_all", "_any", "_compare"}
    ),
    "functools": frozenset({"partial"}),
    "operator": frozenset({"attrgetter", "eq", "ne", "lt", "le", "gt", "ge"}),
    "_operator": frozenset({"eq", "ne", "lt", "le", "gt", "ge"}),
    "pathlib": frozenset({"PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"}),
}


@dataclass(frozen=True)
class ScenarioCache:
    """Where compiled scenarios are kept (`folder`), for code of version `version`."""

    folder: Path
    version: str

    def entry(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"


def load_scenario_cached(path: str | Path, cache: ScenarioCache | None) -> Scenario:
    """`engine.loader.load_scenario(path)`, from the cache when the file loaded before.

    `cache` None: no cache (always the loader). Raises ScenarioLoadError like the loader.
    """
    p = Path(path)
    if cache is None:
        return _load(p, None)
    try:
        data = read_capped(p, MAX_BYTES)
    except OSError:  # missing, not a file, too large...: the loader says so
        return _load(p, None)
    key = cache_key(p, data, cache.version)
    found = _read(cache.entry(key))
    if found is not None:
        return found
    scenario = _load(p, data)
    try:
        payload = pickle.dumps(scenario, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # something in the model that does not pickle: no entry
        return scenario
    write_entry(cache.entry(key), FORMAT, payload)
    return scenario


def _load(p: Path, data: bytes | None) -> Scenario:
    from engine.loader import load_scenario, load_scenario_bytes

    if data is None:
        return load_scenario(p)
    return load_scenario_bytes(data, str(p), base_dir=p.parent)


def cache_key(p: Path, data: bytes, version: str) -> str:
    """The entry's name: everything that changes what the loader builds from this file."""
    parts: tuple[Any, ...] = (
        FORMAT,
        version,
        str(p),
        os.path.abspath(p),
        code_fingerprint(),
        frameworks_fingerprint(p.parent),
    )
    return fingerprint(parts, data)


def frameworks_fingerprint(scenario_dir: Path) -> tuple[Any, ...]:
    """The frameworks a scenario in `scenario_dir` may use (beside it, then bundled)."""
    from engine.library import bundled_frameworks_dir

    folders = (scenario_dir / "frameworks", bundled_frameworks_dir())
    return tuple((os.path.abspath(f), listing(f, ".yaml")) for f in folders)


class _Unpickler(pickle.Unpickler):
    """Unpickles only the model's own classes and the parts of a compiled condition."""

    def find_class(self, module: str, name: str) -> Any:
        allowed = _NAMES.get(module)
        if allowed is not None and name in allowed:
            return super().find_class(module, name)
        if module in _CLASS_MODULES:
            found = getattr(sys.modules.get(module), name, None)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"an entry may not name {module}.{name}")


def _read(entry: Path) -> Scenario | None:
    """The cached scenario, or None when there is none we can trust."""
    payload = read_entry(entry, FORMAT)
    if payload is None:
        return None
    was_enabled = gc.isenabled()
    gc.disable()  # many small acyclic objects (see engine.loader.gc_paused)
    try:
        found = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # corrupt or foreign: rebuilt by the caller, never a traceback
        return None
    finally:
        if was_enabled:
            gc.enable()
    return found if isinstance(found, Scenario) else None
