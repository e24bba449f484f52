"""Translation files for translators: gettext PO (polib) and XLIFF 2.0.

A PO entry's `msgctxt` is the Text's stable id, `msgid` the source text, `msgstr` the
translation, and an extracted comment (`#.`) says where it is and the source's hash; an entry
whose translation was made from an older source is marked `fuzzy`, with the old source hash
noted. XLIFF 2.0: one `<unit id=…>` per Text with `<source>` and `<target>`, the hash in
`<notes>`. Reading gives id -> (source the translator saw, translation).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import polib

from engine.i18n import Entry, I18nError

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MAX_BYTES = 8 * 1024 * 1024


def to_po(entries: list[Entry], lang: str, scenario_id: str, source_lang: str) -> str:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"parley scenario {scenario_id}",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": source_lang,
        "PO-Revision-Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000"),
    }
    for e in entries:
        flags = ["fuzzy"] if e.stale else []
        note = f"line {e.line}; source hash {e.hash}"
        if e.stale:
            note += f"; translated from source {e.recorded} (the source has changed since)"
        po.append(
            polib.POEntry(
                msgctxt=e.id,
                msgid=e.source,
                msgstr=e.translation or "",
                comment=note,
                flags=flags,
            )
        )
    return str(po) + "\n"


def from_po(text: str, file: str) -> tuple[str | None, dict[str, tuple[str, str]]]:
    """(language from the header, id -> (source, translation)) of a PO file's text."""
    if len(text) > MAX_BYTES:
        raise I18nError(f"{file}: the file is larger than {MAX_BYTES:,} bytes")
    try:
        po = polib.pofile(text)
    except (OSError, ValueError) as exc:
        raise I18nError(f"{file}: not a readable PO file ({exc})") from None
    out: dict[str, tuple[str, str]] = {}
    for e in po:
        if e.obsolete or not e.msgctxt:
            continue
        out[e.msgctxt] = (e.msgid, e.msgstr)
    lang = po.metadata.get("Language") or None
    return lang, out


def to_xliff(entries: list[Entry], lang: str, scenario_id: str, source_lang: str) -> str:
    ET.register_namespace("", XLIFF_NS)
    root = ET.Element(
        f"{{{XLIFF_NS}}}xliff", {"version": "2.0", "srcLang": source_lang, "trgLang": lang}
    )
    file_el = ET.SubElement(root, f"{{{XLIFF_NS}}}file", {"id": scenario_id})
    for e in entries:
        unit = ET.SubElement(file_el, f"{{{XLIFF_NS}}}unit", {"id": e.id})
        notes = ET.SubElement(unit, f"{{{XLIFF_NS}}}notes")
        note = ET.SubElement(notes, f"{{{XLIFF_NS}}}note", {"category": "source-hash"})
        note.text = e.hash
        seg = ET.SubElement(
            unit,
            f"{{{XLIFF_NS}}}segment",
            {"state": "initial" if not e.translation or e.stale else "translated"},
        )
        ET.SubElement(seg, f"{{{XLIFF_NS}}}source").text = e.source
        if e.translation is not None:
            ET.SubElement(seg, f"{{{XLIFF_NS}}}target").text = e.translation
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def from_xliff(text: str, file: str) -> tuple[str | None, dict[str, tuple[str, str]]]:
    if len(text) > MAX_BYTES:
        raise I18nError(f"{file}: the file is larger than {MAX_BYTES:,} bytes")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise I18nError(f"{file}: XLIFF with a DOCTYPE or entities is not accepted")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise I18nError(f"{file}: not well-formed XML ({exc})") from None
    if root.tag != f"{{{XLIFF_NS}}}xliff":
        raise I18nError(f"{file}: not an XLIFF 2.0 file (root element {root.tag})")
    ns = {"x": XLIFF_NS}
    out: dict[str, tuple[str, str]] = {}
    for unit in root.iterfind(".//x:unit", ns):
        uid = unit.get("id")
        source = "".join(s.text or "" for s in unit.iterfind("x:segment/x:source", ns))
        target = "".join(s.text or "" for s in unit.iterfind("x:segment/x:target", ns))
        if uid:
            out[uid] = (source, target)
    return root.get("trgLang"), out
