"""Catalogues as read before, kept in the user's cache folder: a play's words without polib.

Parsing PO files with polib costs milliseconds each time a command shows words (the
template and one language: ~5-8 ms on an idle machine, plus importing polib). The first
process that reads a catalogue keeps the usable messages engine.messages.po made of it as
a JSON entry (engine.diskcache: a private folder, atomic writes, a digest checked on
reading); a later process finds the entry for the same bytes and reads that instead
(a fraction of a millisecond, no polib). The entry is named by the bytes of the template
and of the catalogue and by the reader's own modules, so an edited catalogue, a new
template or a new reader never meets an old entry. The entry is data: a dict of key to
text in `marshal` format (built in, so nothing to import, and it cannot run code), read
only when engine.diskcache trusts the file (this user's, nobody else's, its SHA-256
intact) and checked to be a map of text to text; anything else is ignored and the
catalogue parsed again.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable
from pathlib import Path

from engine.diskcache import fingerprint, listing, read_entry, write_entry
from engine.messages import MAX_BYTES
from engine.safefile import read_capped

MAGIC = b"parley messages, format 1 (marshal)\n"


def cached(
    folder: Path | None, sources: tuple[Path, ...], build: Callable[[], dict[str, str]]
) -> dict[str, str]:
    """`build()`, or what it gave before for the same bytes of `sources`, kept in `folder`.

    `folder` None: no cache. A source that cannot be read is left to `build()`, which says
    what is wrong with it.
    """
    if folder is None:
        return build()
    data = bytearray()
    try:
        for source in sources:
            raw = read_capped(source, MAX_BYTES)
            data += len(raw).to_bytes(8, "big") + raw
    except OSError:  # unreadable or too large: the reader says so
        return build()
    key = fingerprint((MAGIC, listing(Path(__file__).parent, ".py")), bytes(data))
    entry = folder / f"{key}.words"
    payload = read_entry(entry, MAGIC)
    if payload is not None:
        found = _messages(payload)
        if found is not None:
            return found
    messages = build()
    write_entry(entry, MAGIC, marshal.dumps(messages))
    return messages


def _messages(payload: bytes) -> dict[str, str] | None:
    try:
        found = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(found, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in found.items()):
        return None
    return found
