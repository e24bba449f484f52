"""Private cache entries on disk: what engine.scenario_cache and engine.check_cache share.

An entry is `<magic><SHA-256 of the payload><payload>` in a folder only this user may
enter (mode 0700; the entries 0600). It is read only when the folder and the file belong
to this user and nobody else has any permission on them, the file is a regular file
(opened without following a symlink), and its header and digest match; anything else
reads as "no entry" and is written again. Writing is atomic (a temporary file renamed
over the entry); a folder that cannot be made or written is left alone (no entry, no
error). Beyond `MAX_ENTRIES` entries in a folder the older half is removed.

Keys: `fingerprint(...)` hashes what changes a result; `code_fingerprint()` stands for
the code that computes it (every module of `engine/` and the libraries that read and
validate a file, by name, size and modification time), `listing()` for a folder of data
files (frameworks, tells data).
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from functools import cache
from pathlib import Path
from typing import Any

MAX_ENTRIES = 256
_DIGEST = hashlib.sha256().digest_size
_OTHERS = 0o077  # any permission bit for the group or others


def listing(folder: Path, suffix: str) -> tuple[tuple[str, int, int], ...]:
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
def code_fingerprint() -> tuple[Any, ...]:
    """The engine's modules and the libraries that read and validate a file, as files."""
    from importlib.util import find_spec

    engine = Path(__file__).parent
    parts: list[Any] = [listing(engine, ".py"), listing(engine / "feedback", ".py")]
    for name in ("pydantic", "pydantic_core", "yaml", "networkx"):
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        folder = Path(spec.origin).parent if spec is not None and spec.origin else None
        parts.append((name, listing(folder, ".py") if folder else ()))
    return (sys.version, sys.implementation.cache_tag, tuple(parts))


def fingerprint(parts: tuple[Any, ...], data: bytes) -> str:
    """An entry's name: the SHA-256 of `parts` (their repr) and the file's bytes."""
    h = hashlib.sha256()
    h.update(repr(parts).encode("utf-8", "surrogateescape"))
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def _mine(st: os.stat_result) -> bool:
    owner = getattr(os, "getuid", None)
    return (owner is None or st.st_uid == owner()) and not st.st_mode & _OTHERS


def read_entry(entry: Path, magic: bytes) -> bytes | None:
    """The payload of `entry`, or None when there is none this user can trust."""
    try:
        folder = os.lstat(entry.parent)
        if not stat.S_ISDIR(folder.st_mode) or not _mine(folder):
            return None
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or not _mine(st):
                return None
            blob = f.read()
    except OSError:
        return None
    head = len(magic) + _DIGEST
    if len(blob) < head or not blob.startswith(magic):
        return None
    payload = blob[head:]
    if hashlib.sha256(payload).digest() != blob[len(magic) : head]:
        return None
    return payload


def write_entry(entry: Path, magic: bytes, payload: bytes) -> None:
    """Keep `payload` as `entry`; a cache that cannot be written is left alone."""
    import tempfile

    try:
        _private_folder(entry.parent)
        fd, tmp = tempfile.mkstemp(prefix=".new-", dir=entry.parent)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(magic)
                f.write(hashlib.sha256(payload).digest())
                f.write(payload)
            os.replace(tmp, entry)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        _prune(entry.parent, entry.suffix)
    except OSError:
        return


def _private_folder(folder: Path) -> None:
    """Make the folder (0700), or make ours private again; refuse anyone else's."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise NotADirectoryError(str(folder))
    if st.st_mode & _OTHERS:
        os.chmod(folder, 0o700)  # (raises when it is not ours)
        st = os.lstat(folder)
    if not _mine(st):
        raise PermissionError(str(folder))


def _prune(folder: Path, suffix: str) -> None:
    """Beyond MAX_ENTRIES entries, remove the older half (by modification time)."""
    entries = []
    with os.scandir(folder) as it:
        for e in it:
            if e.name.endswith(suffix):
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
