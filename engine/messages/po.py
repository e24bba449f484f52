"""Parley's own words as gettext PO catalogues: the one reader, the checks, the writer.

The template `locales/parley.pot` holds every message: `msgctxt` is the message key
(`coach.feedback`), `msgid` the English text, `#.` comments the notes for translators
(which `{placeholders}` to keep). A language's catalogue (`nl.po`, shipped with Parley or
added by a trainer) has the same entries with the translation in `msgstr`.

`read_template()` and `read_catalogue()` read them (with polib); `read_catalogue()` keeps
only translations Parley can use (known key, the English placeholders, not fuzzy) and says,
with file:line, what it left out and why. `merge()` writes a language's catalogue from the
template and the translations it already has (what `msgmerge` does): a translation made
from English that has since changed is kept but marked fuzzy, with the old English beside it.

polib is imported here only: engine.messages reads a catalogue when a language is first
asked for, so commands that print no words (`--version`, `--help`, `play --json`) never
import it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polib

from engine.errors import Location, ParleyError
from engine.messages import MAX_BYTES
from engine.safefile import TooLarge, read_capped

FUZZY = "fuzzy"


class CatalogueError(ParleyError):
    """A file that is not a PO catalogue Parley can read (too large, not UTF-8, bad syntax)."""

    code = "P100"


@dataclass(frozen=True)
class Translated:
    """One entry of a language's catalogue as the file has it."""

    source: str  # msgid: the English it was translated from
    text: str  # msgstr ("" when untranslated)
    note: str = ""  # the translator's own comment (`# ...`)
    fuzzy: bool = False


@dataclass
class Catalogue:
    """What a language's PO file gave: usable messages, and the problems with the rest."""

    path: Path
    readable: bool = True  # False: not a PO file Parley can read (problems[0] says why)
    language: str | None = None
    messages: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # "file:line: key: what"; not used
    warnings: list[str] = field(default_factory=list)  # used, but worth a look
    untranslated: int = 0
    entries: dict[str, Translated] = field(default_factory=dict)  # every keyed entry


def fields(text: str) -> frozenset[str]:
    """The `{placeholders}` of a message (a message with unbalanced braces has a marker)."""
    try:
        return frozenset(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)
    except ValueError:
        return frozenset({"<unbalanced braces>"})


def _braced(names: frozenset[str]) -> str:
    return ", ".join("{" + f + "}" for f in sorted(names)) or "none"


def load(path: Path) -> polib.POFile:
    """The PO file at `path`, or a CatalogueError saying what is wrong and where."""
    where = Location(str(path))
    try:
        text = read_capped(path, MAX_BYTES).decode("utf-8")
    except TooLarge:
        raise CatalogueError(
            f"larger than {MAX_BYTES:,} bytes; not read", where, "is this a PO file?"
        ) from None
    except UnicodeDecodeError:
        raise CatalogueError(
            "not UTF-8 text", where, "save the catalogue as UTF-8 (any PO editor can)"
        ) from None
    except OSError as exc:  # missing, a folder, a FIFO, no permission
        raise CatalogueError(f"cannot read: {exc.strerror or exc}", where) from None
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        # polib says "Syntax error in po file (line N)"; put the line where editors jump to
        message = str(exc)
        line = 0
        if "(line " in message:
            tail = message.rsplit("(line ", 1)[1].rstrip(")")
            line = int(tail) if tail.isdigit() else 0
        raise CatalogueError(
            "not valid PO syntax" if line else f"not a readable PO file ({message})",
            Location(str(path), line),
            "every msgctxt, msgid and msgstr is followed by one double-quoted string; "
            'a quote inside the text is written \\"',
        ) from None


def read_template(path: Path) -> dict[str, str]:
    """Every message of the template (key -> English), in the template's order."""
    return {e.msgctxt: e.msgid for e in load(path) if e.msgctxt and not e.obsolete}


def _msgstr_line(lines: list[str], start: int) -> int:
    """The line (1-based) of the msgstr of the entry that starts at line `start`."""
    for i in range(max(start - 1, 0), min(len(lines), start + 200)):
        if lines[i].startswith("msgstr"):
            return i + 1
    return start


def read_catalogue(path: Path, english: Mapping[str, str]) -> Catalogue:
    """The usable messages of the language catalogue at `path`; never raises for a bad file
    (an unreadable one gives no messages and one problem)."""
    out = Catalogue(path)
    try:
        po = load(path)
    except CatalogueError as exc:
        out.readable = False
        out.problems.append(str(exc))
        return out
    lines: list[str] = []  # read only when a problem needs a line number
    out.language = po.metadata.get("Language") or None

    def where(e: polib.POEntry) -> str:
        nonlocal lines
        if not lines:
            lines = path.read_text(encoding="utf-8").splitlines()
        return f"{path}:{_msgstr_line(lines, e.linenum)}"

    for e in po:
        if e.obsolete:
            continue
        if not e.msgctxt:
            if e.msgstr:
                out.problems.append(
                    f"{where(e)}: '{e.msgid[:40]}' has no msgctxt (the message key); ignored"
                )
            continue
        key = e.msgctxt
        if key in out.entries:
            out.problems.append(f"{where(e)}: {key}: a second entry for this key; ignored")
            continue
        fuzzy = FUZZY in e.flags
        out.entries[key] = Translated(e.msgid, e.msgstr, e.tcomment or "", fuzzy)
        if key not in english:
            out.problems.append(
                f"{where(e)}: {key}: Parley has no message with this key; ignored "
                "(written for another version of Parley? `parley i18n app` writes a "
                "current catalogue with your translations in it)"
            )
            continue
        if not e.msgstr or fuzzy:
            out.untranslated += 1
            continue
        want, got = fields(english[key]), fields(e.msgstr)
        if want != got:
            missing, extra = want - got, got - want
            what = "; ".join(
                part
                for part in (
                    f"missing {_braced(missing)}" if missing else "",
                    f"unknown {_braced(extra)}" if extra else "",
                )
                if part
            )
            out.problems.append(
                f"{where(e)}: {key}: placeholders differ from the English ({what}); "
                f"English is used (keep exactly {_braced(want)})"
            )
            continue
        if e.msgid != english[key]:
            out.warnings.append(
                f"{where(e)}: {key}: translated from older English (now: "
                f"{english[key]!r}); still used, check that it says the same"
            )
        out.messages[key] = e.msgstr
    return out


HEADER = (
    "Parley's own words (not a scenario's), {what}.\n"
    "msgctxt is the message key, msgid the English, msgstr the translation.\n"
    "Keep every {{placeholder}} of the English exactly (the #. comment lists them);\n"
    "plural forms are two keys, <key>.one (n == 1) and <key>.other.\n"
    "Each screen's footer must fit 60 columns: keep key.* words short.\n"
    "Check with: parley i18n app --lang LANG --check FILE"
)


def merge(template: Path, lang: str, current: Mapping[str, Translated]) -> str:
    """The catalogue for `lang`: every template entry, with the translations in `current`
    (key -> entry; a translation of English that has since changed is kept but marked
    fuzzy, with the English it was made from as `#| msgid`)."""
    po = load(template)
    po.wrapwidth = 0
    po.header = HEADER.format(what=f"in {lang}")
    po.metadata = {**po.metadata, "Language": lang}
    for e in po:
        old = current.get(e.msgctxt or "")
        if old is None:
            continue
        e.msgstr = old.text
        e.tcomment = old.note
        if old.text and (old.fuzzy or old.source != e.msgid):
            e.flags = [*e.flags, FUZZY]
            if old.source != e.msgid:
                e.previous_msgid = old.source
    return str(po) + "\n"
