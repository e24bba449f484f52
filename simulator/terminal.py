"""What the `parley` command writes to stdout and stderr is made safe here, in one place.

`guard_streams()` wraps sys.stdout and sys.stderr for the CLI so that:

- every C0/C1 control character except newline and tab is shown, not acted on
  (engine.textsafety.visible): an escape sequence written into a scenario, a name given
  on the command line or a record never reaches the terminal;
- a character the stream's encoding cannot hold (a latin-1 terminal) is replaced, not
  raised.

The Textual app draws through sys.__stderr__ (its driver), which is left alone.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import Any, TextIO

from engine.textsafety import visible


class SafeStream(io.TextIOBase):
    """A text stream that passes text through `visible` to the stream it wraps."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    @property
    def inner(self) -> TextIO:
        return self._inner

    def write(self, s: str) -> int:
        if isinstance(s, bytes | bytearray):  # click writes bytes for some output
            s = bytes(s).decode(self.encoding, errors="replace")
        self._inner.write(visible(s))
        return len(s)

    @property
    def buffer(self) -> Any:
        """The byte stream underneath, for programs that speak bytes (a language server's
        protocol, shell completion scripts): bytes are data for a program, not a terminal."""
        return self._inner.buffer

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not getattr(self._inner, "closed", False):  # (a protocol server closed it)
            self._inner.flush()

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._inner, "errors", None)


def _tolerant(stream: TextIO) -> TextIO:
    """The stream, set to replace characters its encoding cannot hold (when it can be)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if callable(reconfigure):
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError):
            pass
    return stream


def guard_streams() -> None:
    """Wrap sys.stdout and sys.stderr (once) for the CLI."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or isinstance(stream, SafeStream):
            continue
        setattr(sys, name, SafeStream(_tolerant(stream)))


def unguard_streams() -> None:
    """Undo guard_streams (tests that call main() in-process)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, SafeStream):
            setattr(sys, name, stream.inner)


_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def output_failed(exc: OSError) -> str | None:
    """The message for an OSError writing the output (a full disk), or None for any other.

    The unwritten output is dropped (stdout is pointed at the null device), so Python
    does not fail again, with a traceback, when it flushes at exit."""
    if exc.errno not in _NO_SPACE:
        return None
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass
    return (
        f"no space left on the device: the output could not be written ({exc.strerror})\n"
        "  hint: free some space, or write somewhere else with -o FILE"
    )
