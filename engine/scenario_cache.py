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

Only Parley writes the cache folder (made with mode 0700) and its entries (0600). An entry
is read only when the folder and the file belong to this user and nobody else may read or
write them, the file is a regular file (never through a symlink), its header and SHA-256
of the contents match, and it unpickles with only the model's own classes (a restricted
unpickler); anything else (corrupt, truncated, foreign, from an older Parley) is ignored
and rebuilt. A cache that cannot be written (read-only folder, full disk) is simply not
used: the scenario loads as without it. The cache never lives in a folder the scenario's
author controls (unlike __pycache__ beside the source).
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import stat
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from engine.model import Scenario
from engine.safefile import MAX_YAML_BYTES as MAX_BYTES
from engine.safefile import read_capped

FORMAT = b"parley compiled scenario, format 1\n"
MAX_ENTRIES = 256  # beyond this, the older half is removed when an entry is written
_DIGEST = hashlib.sha256().digest_size
_PRIVATE = 0o077  # no permission bit for the group or others

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
    if len(data) > MAX_BYTES:
        return _load(p, data)
    key = cache_key(p, data, cache.version)
    found = _read_entry(cache, key)
    if found is not None:
        return found
    scenario = _load(p, data)
    _write_entry(cache, key, scenario)
    return scenario


def _load(p: Path, data: bytes | None) -> Scenario:
    from engine.loader import load_scenario, load_scenario_bytes

    if data is None:
        return load_scenario(p)
    return load_scenario_bytes(data, str(p), base_dir=p.parent)


def cache_key(p: Path, data: bytes, version: str) -> str:
    """The entry's name: everything that changes what the loader builds from this file."""
    h = hashlib.sha256()
    parts: tuple[Any, ...] = (
        FORMAT,
        version,
        sys.version,
        sys.implementation.cache_tag,
        str(p),
        os.path.abspath(p),
        _code_fingerprint(),
        _frameworks_fingerprint(p.parent),
    )
    h.update(repr(parts).encode("utf-8", "surrogateescape"))
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def _listing(folder: Path, suffix: str) -> tuple[tuple[str, int, int], ...]:
    """(name, size, modification time) of each file in `folder` ending with `suffix`."""
    out = []
    try:
        with os.scandir(folder) as it:
            for e in it:
                if e.name.endswith(suffix):
                    try:
                        st = e.stat()
                    except OSError:
                        continue
                    out.append((e.name, st.st_size, st.st_mtime_ns))
    except OSError:
        return ()
    return tuple(sorted(out))


@cache
def _code_fingerprint() -> tuple[Any, ...]:
    """The engine's modules and the libraries that read and validate a file, as files."""
    from importlib.util import find_spec

    libraries: list[Any] = []
    for name in ("pydantic", "pydantic_core", "yaml"):
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        folder = Path(spec.origin).parent if spec is not None and spec.origin else None
        libraries.append((name, _listing(folder, ".py") if folder else ()))
    return (_listing(Path(__file__).parent, ".py"), tuple(libraries))


def _frameworks_fingerprint(scenario_dir: Path) -> tuple[Any, ...]:
    from engine.library import bundled_frameworks_dir

    folders = (scenario_dir / "frameworks", bundled_frameworks_dir())
    return tuple((os.path.abspath(f), _listing(f, ".yaml")) for f in folders)


# ---------------------------------------------------------------- reading an entry


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


def _private_to_me(st: os.stat_result) -> bool:
    owner = getattr(os, "getuid", None)
    return (owner is None or st.st_uid == owner()) and not st.st_mode & _PRIVATE


def _read_entry(cache: ScenarioCache, key: str) -> Scenario | None:
    """The cached scenario, or None when there is none we can trust."""
    try:
        folder = os.lstat(cache.folder)
        if not stat.S_ISDIR(folder.st_mode) or not _private_to_me(folder):
            return None
        fd = os.open(cache.entry(key), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or not _private_to_me(st):
                return None
            blob = f.read()
    except OSError:
        return None
    head = len(FORMAT) + _DIGEST
    if len(blob) < head or not blob.startswith(FORMAT):
        return None
    payload = memoryview(blob)[head:]
    if hashlib.sha256(payload).digest() != blob[len(FORMAT) : head]:
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


# ---------------------------------------------------------------- writing an entry


def _write_entry(cache: ScenarioCache, key: str, scenario: Scenario) -> None:
    """Keep `scenario` under `key`; a cache that cannot be written is left alone."""
    try:
        payload = pickle.dumps(scenario, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # something in the model that does not pickle: no entry
        return
    try:
        import tempfile

        _private_folder(cache.folder)
        fd, tmp = tempfile.mkstemp(prefix=".new-", dir=cache.folder)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(FORMAT)
                f.write(hashlib.sha256(payload).digest())
                f.write(payload)
            os.replace(tmp, cache.entry(key))
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        _prune(cache.folder)
    except OSError:
        return


def _private_folder(folder: Path) -> None:
    """Make the cache folder (0700), or make ours private again; refuse anyone else's."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise NotADirectoryError(str(folder))
    if st.st_mode & _PRIVATE:
        os.chmod(folder, 0o700)  # (raises when it is not ours)
        st = os.lstat(folder)
    if not _private_to_me(st):
        raise PermissionError(str(folder))


def _prune(folder: Path) -> None:
    """Beyond MAX_ENTRIES entries, remove the older half (by modification time)."""
    entries = []
    with os.scandir(folder) as it:
        for e in it:
            if e.name.endswith(".pickle"):
                try:
                    entries.append((e.stat(follow_symlinks=False).st_mtime_ns, e.path))
                except OSError:
                    continue
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort()
    for _, old in entries[: len(entries) // 2]:
        try:
            os.unlink(old)
        except OSError:
            continue
