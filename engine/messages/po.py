"""Parley's own words as gettext PO catalogues, so a trainer adds a language without Python.

A catalogue entry's `msgctxt` is the message key (`coach.feedback`), its `msgid` the English
text and its `msgstr` the translation. `template()` writes one for a language (with the
words Parley already has in it, if any); `read_catalogue()` reads one back, keeping only
translations whose `{placeholders}` match the English ones (a wrong placeholder would break
the sentence at play time) and saying which it left out.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polib

MAX_BYTES = 4 * 1024 * 1024


@dataclass
class Catalogue:
    """What a PO file gave: usable messages, and the problems with the rest."""

    language: str | None = None
    messages: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    untranslated: int = 0


def _fields(text: str) -> set[str]:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}
    except ValueError:
        return {"<unbalanced braces>"}


def template(lang: str, english: Mapping[str, str], current: Mapping[str, str] | None) -> str:
    """A PO catalogue of every message, translated where `current` has it."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "parley",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for key, text in english.items():
        fields = sorted(_fields(text))
        note = (
            "keep these placeholders: " + ", ".join("{" + f + "}" for f in fields) if fields else ""
        )
        po.append(
            polib.POEntry(
                msgctxt=key,
                msgid=text,
                msgstr=(current or {}).get(key, ""),
                comment=note,
            )
        )
    return str(po) + "\n"


def read_catalogue(path: Path, english: Mapping[str, str]) -> Catalogue:
    """The usable messages of the PO file at `path` (never raises for a bad file)."""
    out = Catalogue()
    try:
        if path.stat().st_size > MAX_BYTES:
            out.problems.append(f"{path}: larger than {MAX_BYTES:,} bytes; not read")
            return out
        po = polib.pofile(str(path))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        out.problems.append(f"{path}: not a readable PO file ({exc})")
        return out
    out.language = po.metadata.get("Language") or None
    for e in po:
        if e.obsolete or not e.msgctxt or e.msgctxt not in english:
            continue
        if not e.msgstr or "fuzzy" in e.flags:
            out.untranslated += 1
            continue
        want, got = _fields(english[e.msgctxt]), _fields(e.msgstr)
        if want != got:
            out.problems.append(
                f"{path}:{e.linenum}: {e.msgctxt}: the translation has placeholders "
                f"{sorted(got)} where the English has {sorted(want)}; English is used"
            )
            continue
        out.messages[e.msgctxt] = e.msgstr
    return out
