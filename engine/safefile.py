"""Reading untrusted files with a size cap: regular files only, never more than cap+1 bytes.

A path may name a FIFO (opening it for reading would wait for a writer forever), a device
such as /dev/zero (endless), a folder or a socket, often through a symlink named
`something.yaml`. `read_capped` opens without blocking, asks the open file what it is
(fstat, so there is no race between looking and reading) and reads only a regular file,
and only up to the cap plus one byte, so "too large" is known without reading the rest.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_YAML_BYTES = 2 * 1024 * 1024  # the cap on a scenario or framework file (engine.yamlsafe)


class NotAFile(OSError):
    """The path exists but is not a regular file (FIFO, device, folder, socket)."""

    def __init__(self, path: str | Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"this is {kind}, not a regular file", str(path))
        self.kind = kind


class TooLarge(OSError):
    """The file holds more than the cap."""

    def __init__(self, path: str | Path, cap: int) -> None:
        super().__init__(errno.EFBIG, f"the file is larger than {cap:,} bytes", str(path))
        self.cap = cap


def kind_of(mode: int) -> str:
    """What a file with this st_mode is, in words."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def describe(path: str | Path) -> str | None:
    """None for a regular file (or one that is missing), else what the path is, in words
    (a symlink is followed and said)."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        return None
    if stat.S_ISREG(st.st_mode):
        return None
    kind = kind_of(st.st_mode)
    if p.is_symlink():
        try:
            target = os.readlink(p)
        except OSError:
            target = "?"
        return f"a link to {target}, {kind}"
    return kind


def read_capped(path: str | Path, cap: int) -> bytes:
    """The bytes of the regular file at `path`, at most `cap` of them.

    Raises NotAFile (FIFO, device, folder, socket; a symlink is followed), TooLarge
    (more than `cap` bytes, found by reading cap+1 bytes at most) or another OSError
    (FileNotFoundError, PermissionError, ...). Never blocks on a FIFO.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise NotAFile(path, "a folder") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO without a writer on some systems
            raise NotAFile(path, describe(path) or "not a regular file") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotAFile(path, describe(path) or kind_of(st.st_mode))
        if st.st_size > cap:
            raise TooLarge(path, cap)
        chunks: list[bytes] = []
        left = cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > cap:
        raise TooLarge(path, cap)
    return data
