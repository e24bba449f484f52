"""A scenario's translatable texts as a translator sees them, and writing translations back.

Every Text in a scenario file gets a stable id from where it sits, with list items named by
their `id` where they have one: ``nodes.opening.text``, ``nodes.opening.choices.cave.feedback``,
``characters.dana.role``. `entries()` lists them with the source text (the scenario's
language), the current translation and the hash of the source; `apply()` writes translations
into the YAML text by editing only the translated values (comments, order and formatting of
everything else stay as they were) and records, beside each translation, the hash of the
source it was made from as a comment: ``nl: "…"  # parley:nl=1a2b3c4d``. `stale()` finds
translations whose source has changed since (Yarn Spinner's lock hashes do the same).

The file is read through engine.yamlsafe first (size, depth and alias bounds); only then is
it composed again with PyYAML's safe composer for the exact spans of each value. Nothing here
constructs Python objects from the file. New values are written as double-quoted YAML
scalars (JSON string syntax, which YAML accepts).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.diagnostics import Diagnostic
from engine.errors import Location, ParleyError
from engine.yamlsafe import YamlProblem, read_yaml

LANG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
# keys whose plain-string value is a Text in the scenario's language
TEXT_KEYS = frozenset(
    {
        "title",
        "summary",
        "text",
        "narration",
        "feedback",
        "debrief",
        "name",
        "role",
        "label",
        "question",
        "why",
        "requires_why",
        "trainer_notes",
        "trade_off",
    }
)
TEXT_LISTS = frozenset({"objectives", "reflection"})
# subtrees that never hold Text (flags, conditions, effects, scores)
NOT_TEXT = frozenset({"effects", "set", "requires", "when", "to", "next", "id", "tags"})
_ANY_HASH = re.compile(r"#\s*parley:")
COMMENT = re.compile(r"#\s*parley:((?:[A-Za-z0-9-]+=[0-9a-f]{8},?)+)\s*$")


class I18nError(ParleyError):
    """A translation file or request that cannot be used."""

    code = "P100"


def source_hash(text: str) -> str:
    """Eight hex digits that change whenever the source text changes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@dataclass
class Spot:
    """One Text in the file: where it is and what it holds."""

    id: str
    key_line: int  # 0-based line of the key that holds the Text
    node: Node  # a MappingNode (languages) or a ScalarNode (plain string)
    values: dict[str, ScalarNode] = field(default_factory=dict)

    def text(self, lang: str) -> str | None:
        v = self.values.get(lang)
        return None if v is None else str(v.value)


@dataclass(frozen=True)
class Entry:
    """What a translator gets for one Text."""

    id: str
    source: str
    translation: str | None
    hash: str  # of the source now
    recorded: str | None  # the source hash stored beside the translation, if any
    line: int  # 1-based line of the Text in the file

    @property
    def stale(self) -> bool:
        return (
            self.translation is not None
            and self.recorded is not None
            and self.recorded != self.hash
        )


@dataclass(frozen=True)
class Document:
    """A scenario text with its Texts located."""

    text: str
    file: str
    language: str
    spots: tuple[Spot, ...]

    def lines(self) -> list[str]:
        return self.text.split("\n")

    def recorded(self, spot: Spot, lang: str) -> str | None:
        """The source hash written beside `lang`'s translation of `spot`, if any.

        One line may hold several translations into the same language (a flow mapping of
        texts); their hashes are written in the order the translations appear on the line.
        """
        value = spot.values.get(lang)
        if value is None:
            return None
        line = _comment_line(spot, value)
        m = COMMENT.search(self.lines()[line])
        if not m:
            return None
        hashes = [p.split("=", 1)[1] for p in m.group(1).split(",") if p.startswith(lang + "=")]
        same_line = sorted(
            int(v.start_mark.index)
            for s in self.spots
            for lg, v in s.values.items()
            if lg == lang and _comment_line(s, v) == line
        )
        at = same_line.index(int(value.start_mark.index))
        return hashes[at] if at < len(hashes) else None

    def entries(self, lang: str) -> list[Entry]:
        out = []
        for s in self.spots:
            src = s.text(self.language)
            if src is None:
                continue
            out.append(
                Entry(
                    s.id,
                    src,
                    s.text(lang),
                    source_hash(src),
                    self.recorded(s, lang),
                    s.key_line + 1,
                )
            )
        return out

    def languages(self) -> list[str]:
        seen = {lang for s in self.spots for lang in s.values}
        return sorted(seen - {self.language})


def _comment_line(spot: Spot, value: ScalarNode) -> int:
    """The line whose trailing comment holds `value`'s hash."""
    node = spot.node
    if isinstance(node, MappingNode) and node.flow_style:
        return int(node.end_mark.line)
    if value.style in ("|", ">"):
        return int(value.start_mark.line)
    return int(value.end_mark.line)


def read(text: str, file: str = "<string>") -> Document:
    """Locate every Text of a scenario file. Raises I18nError for a file that is not YAML."""
    try:
        data, _ = read_yaml(text.encode("utf-8"), file)  # the bounds come first
    except YamlProblem as exc:
        raise I18nError(exc.diagnostic.message, exc.diagnostic.location) from None
    if not isinstance(data, dict):
        raise I18nError("the file is not a scenario (its top level is not a mapping)")
    language = str(data.get("language", "en"))
    # bounds and aliases were refused by read_yaml above; the C composer keeps the marks
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    spots = tuple(_walk(root, (), language)) if root is not None else ()
    return Document(text, file, language, spots)


def _is_text_mapping(node: MappingNode, language: str, key: str) -> bool:
    if not node.value:
        return False
    keys = []
    for k, v in node.value:
        if not isinstance(k, ScalarNode) or not isinstance(v, ScalarNode):
            return False
        if v.tag != "tag:yaml.org,2002:str" and v.style is None and v.tag.endswith(("int", "bool")):
            return False
        keys.append(str(k.value))
    if not all(LANG.match(k) for k in keys):
        return False
    return language in keys or key in TEXT_KEYS


def _walk(node: Node, path: tuple[str, ...], language: str) -> Iterator[Spot]:
    key = path[-1] if path else ""
    if key in NOT_TEXT:
        return
    if isinstance(node, MappingNode):
        if path and _is_text_mapping(node, language, key):
            values = {str(k.value): v for k, v in node.value if isinstance(v, ScalarNode)}
            yield Spot(".".join(path), int(node.start_mark.line), node, values)
            return
        for k, v in node.value:
            if isinstance(k, ScalarNode):
                yield from _walk(v, (*path, str(k.value)), language)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            name = str(i)
            if isinstance(item, MappingNode):
                for k, v in item.value:
                    if isinstance(k, ScalarNode) and k.value == "id" and isinstance(v, ScalarNode):
                        name = str(v.value)
            if key in TEXT_LISTS and isinstance(item, ScalarNode):
                yield Spot(
                    ".".join((*path, name)), int(item.start_mark.line), item, {language: item}
                )
            else:
                yield from _walk(item, (*path, name), language)
    elif isinstance(node, ScalarNode) and key in TEXT_KEYS and path[:1] != ("format",):
        if node.tag == "tag:yaml.org,2002:str" or node.style is not None:
            yield Spot(".".join(path), int(node.start_mark.line), node, {language: node})


# ---------------------------------------------------------------- writing translations back


@dataclass
class ApplyReport:
    """What `apply` did."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # ids the file no longer has
    outdated: list[str] = field(default_factory=list)  # translated from a source since changed


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def apply(
    doc: Document,
    lang: str,
    translations: Mapping[str, tuple[str, str]],
    confirm_unchanged: bool = False,
) -> tuple[str, ApplyReport]:
    """Write `translations` (id -> (source the translator saw, translation)) for `lang`.

    Returns the new file text and a report. An empty translation is skipped (untranslated).
    A translation equal to the one in the file is left alone (so the file's diff shows only
    what the translator changed), unless `confirm_unchanged`: then its source hash is
    recorded too. A translation made from a source that has changed since is written with
    the hash of the source the translator saw, so `parley check` flags it as stale.
    """
    if lang == doc.language:
        raise I18nError(f"'{lang}' is the scenario's own language; translations go into others")
    if not LANG.match(lang):
        raise I18nError(f"'{lang}' is not a language code (en, nl, sv, pt-BR …)")
    report = ApplyReport()
    by_id = {s.id: s for s in doc.spots}
    # the hash each translation should carry afterwards: what is recorded now, plus new ones
    hashes: dict[tuple[str, str], str] = {}
    for s in doc.spots:
        for other in s.values:
            if other != doc.language and (h := doc.recorded(s, other)):
                hashes[(s.id, other)] = h
    edits: list[tuple[int, int, str]] = []
    for tid, (seen_source, translated) in translations.items():
        spot = by_id.get(tid)
        if spot is None:
            report.unknown.append(tid)
            continue
        source = spot.text(doc.language)
        if source is None or not translated.strip():
            continue
        digest = source_hash(seen_source or source)
        if seen_source and seen_source != source:
            report.outdated.append(tid)
        recorded = doc.recorded(spot, lang)
        if spot.text(lang) == translated and (
            recorded == digest or (recorded is None and not confirm_unchanged)
        ):
            report.unchanged.append(tid)
            continue
        report.written.append(tid)
        hashes[(tid, lang)] = digest
        edits.append(_edit_for(doc, spot, lang, translated))
    out = _splice(doc.text, edits)
    return _with_comments(read(out, doc.file), hashes), report


def _splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _with_comments(doc: Document, hashes: Mapping[tuple[str, str], str]) -> str:
    """Rewrite the `# parley:` comment of every line that holds a hashed translation."""
    per_line: dict[int, list[tuple[int, str, str]]] = {}
    for s in doc.spots:
        for lang, value in s.values.items():
            h = hashes.get((s.id, lang))
            if h is not None:
                line = _comment_line(s, value)
                per_line.setdefault(line, []).append((int(value.start_mark.index), lang, h))
    lines = doc.lines()
    for line, found in per_line.items():
        body = ",".join(f"{lang}={h}" for _, lang, h in sorted(found))
        m = COMMENT.search(lines[line])
        kept = lines[line][: m.start()].rstrip() if m else lines[line].rstrip()
        lines[line] = f"{kept}  # parley:{body}"
    return "\n".join(lines)


def _folded(translated: str, header: str, indent: str, width: int = 92) -> str | None:
    """`translated` as a folded block scalar (same header and indent), or None when the text
    cannot be folded faithfully (inner line breaks, runs of spaces, edge spaces)."""
    body = translated[:-1] if header == ">" and translated.endswith("\n") else translated
    if header == ">" and not translated.endswith("\n"):
        return None
    if "\n" in body or "  " in body or body != body.strip() or not body:
        return None
    out: list[str] = []
    line = ""
    for word in body.split(" "):
        if line and len(indent) + len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    return header + "\n" + "\n".join(indent + x for x in out) + "\n"


def _edit_for(doc: Document, spot: Spot, lang: str, translated: str) -> tuple[int, int, str]:
    text = doc.text
    node = spot.node
    existing = spot.values.get(lang)
    if existing is not None:  # replace the translation in place
        start, end = int(existing.start_mark.index), int(existing.end_mark.index)
        if existing.style == ">":
            header_end = _line_end(text, start)
            header = text[start:header_end].split("#", 1)[0].strip()
            first = text[header_end + 1 : _line_end(text, header_end + 1)]
            indent = first[: len(first) - len(first.lstrip())]
            folded = _folded(translated, header, indent)
            if folded is not None and text[start:end].endswith("\n"):
                return (start, end, folded)
        if existing.style in ("|", ">"):
            tail = "\n" if text[start:end].endswith("\n") else ""
            return (start, end, _quoted(translated) + tail)
        return (start, end, _quoted(translated))
    if isinstance(node, MappingNode) and node.flow_style:
        at = int(node.value[-1][1].end_mark.index)
        return (at, at, f", {lang}: {_quoted(translated)}")
    if isinstance(node, MappingNode):  # a block mapping of languages: add a line
        indent = " " * int(node.value[0][0].start_mark.column)
        at = int(node.value[-1][1].end_mark.index)
        line = f"{indent}{lang}: {_quoted(translated)}"
        if at > 0 and text[at - 1] == "\n":
            return (at, at, line + "\n")
        eol = _line_end(text, at)
        return (eol, eol, "\n" + line)
    # a plain string in the scenario's language becomes a map of languages
    assert isinstance(node, ScalarNode)
    start, end = int(node.start_mark.index), int(node.end_mark.index)
    written = text[start:end]
    if node.style in ("|", ">") or "\n" in written.rstrip("\n"):
        indent = " " * (_key_column(text, start) + 2)
        if node.style in ("|", ">"):  # keep the source block as written, one step deeper
            head, _, rest = written.partition("\n")
            body = "\n".join(("  " + x) if x.strip() else x for x in rest.split("\n"))
            src = f"{head}\n{body}"
        else:
            src = _quoted(str(node.value)) + "\n"
        while start > 0 and text[start - 1] == " ":
            start -= 1
        new = f"\n{indent}{doc.language}: {src}{indent}{lang}: {_quoted(translated)}"
        return (start, end, new + ("\n" if written.endswith("\n") else ""))
    plain = not node.style and any(c in written for c in ",[]{}#:")  # libyaml says "" for plain
    src = _quoted(str(node.value)) if plain else written
    return (start, end, f"{{ {doc.language}: {src}, {lang}: {_quoted(translated)} }}")


def _key_column(text: str, value_start: int) -> int:
    """Column of the key on the line where a value starts."""
    line = text[_line_start(text, value_start) : value_start]
    return len(line) - len(line.lstrip(" -"))


# ---------------------------------------------------------------- what check reports


def stale_findings(text: str, file: str) -> list[Diagnostic]:
    """A warning (P230) for every translation whose source changed after it was translated."""
    if not _ANY_HASH.search(text):  # no recorded hash, nothing can be stale: skip the reading
        return []
    try:
        doc = read(text, file)
    except (I18nError, yaml.YAMLError):
        return []
    out = []
    for lang in doc.languages():
        for e in doc.entries(lang):
            if e.stale:
                out.append(
                    Diagnostic(
                        "P230",
                        f"the {lang} translation of {e.id} was made from an older source text",
                        Location(file, e.line, 1),
                        f"update the {lang} text, then refresh its hash with "
                        f"`parley i18n import` (or export it for the translator again)",
                    )
                )
    return out
