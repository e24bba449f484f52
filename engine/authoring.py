"""What an editor needs to know about a scenario file as written: where each node and choice
id is defined and where it is named, so an editor can jump, list references and rename.

The index reads the text through the same bounded reader as the loader (engine.yamlsafe),
so it works on a buffer that does not load as a scenario yet, as long as it is YAML.
Positions are 0-based (line, character) spans on one line, the way editors count; the
character offsets are code points of the line (the language server converts them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from engine.yamlsafe import PathKey, SourceMap, YamlProblem, read_yaml

# a name inside visited('…') / chose('…') in a condition
_CALL = re.compile(r"""\b(visited|chose)\(\s*(['"])([^'"]*)\2\s*\)""")


@dataclass(frozen=True, slots=True)
class Span:
    """One identifier's place in the text: 0-based line, start and end character."""

    line: int
    start: int
    end: int

    def contains(self, line: int, character: int) -> bool:
        return line == self.line and self.start <= character <= self.end


@dataclass(frozen=True, slots=True)
class Symbol:
    """A definition or a reference of a node or choice id."""

    kind: str  # "node" or "choice"
    name: str
    span: Span
    path: PathKey  # where in the document it sits
    definition: bool


@dataclass
class Index:
    """Every node and choice id in a file, defined and referenced."""

    data: Any = None
    symbols: list[Symbol] = field(default_factory=list)

    def definitions(self, kind: str) -> dict[str, Symbol]:
        return {s.name: s for s in self.symbols if s.definition and s.kind == kind}

    def at(self, line: int, character: int) -> Symbol | None:
        """The id under the cursor, if any."""
        for s in self.symbols:
            if s.span.contains(line, character):
                return s
        return None

    def occurrences(self, kind: str, name: str) -> list[Symbol]:
        return [s for s in self.symbols if s.kind == kind and s.name == name]

    def node_of_choice(self, choice_id: str) -> tuple[str, int] | None:
        """(node id, index in its choices) of a defined choice."""
        for s in self.symbols:
            if s.definition and s.kind == "choice" and s.name == choice_id:
                return str(s.path[1]), int(s.path[3])
        return None


def index_text(text: str, file: str = "<buffer>") -> Index:
    """Index a scenario text. A text that is not YAML gives an empty index (no exception)."""
    try:
        data, smap = read_yaml(text.encode("utf-8"), file)
    except YamlProblem:
        return Index()
    lines = text.splitlines()
    return Index(data=data, symbols=list(_symbols(data, smap, lines)))


def _span(smap: SourceMap, path: PathKey, lines: list[str], name: str, key: bool) -> Span | None:
    """Where `name` is written at `path` (the key or the value), on its line."""
    loc = smap.key_if_known(path) if key else smap.value(path)
    if loc is None or loc.line <= 0 or loc.line > len(lines):
        return None
    line = lines[loc.line - 1]
    at = line.find(name, max(loc.col - 1, 0))
    if at < 0:
        return None
    return Span(loc.line - 1, at, at + len(name))


def _calls_in(cond: str, smap: SourceMap, path: PathKey, lines: list[str]) -> Iterator[Symbol]:
    loc = smap.value(path)
    if loc.line <= 0 or loc.line > len(lines):
        return
    line = lines[loc.line - 1]
    for m in _CALL.finditer(cond):
        kind = "node" if m.group(1) == "visited" else "choice"
        name = m.group(3)
        # find this call on the condition's line (conditions are one line in practice)
        found = line.find(m.group(0), max(loc.col - 1, 0))
        if found < 0:
            continue
        start = found + m.group(0).index(name, len(m.group(1)))
        yield Symbol(kind, name, Span(loc.line - 1, start, start + len(name)), path, False)


def _symbols(data: Any, smap: SourceMap, lines: list[str]) -> Iterator[Symbol]:
    if not isinstance(data, dict):
        return
    start = data.get("start")
    if isinstance(start, str) and (sp := _span(smap, ("start",), lines, start, False)):
        yield Symbol("node", start, sp, ("start",), False)
    hierarchy = data.get("hierarchy")
    if isinstance(hierarchy, dict) and isinstance(hierarchy.get("requires"), dict):
        for rung, cond in hierarchy["requires"].items():
            if isinstance(cond, str):
                yield from _calls_in(cond, smap, ("hierarchy", "requires", rung), lines)
    nodes = data.get("nodes")
    if not isinstance(nodes, dict):
        return
    for nid, node in nodes.items():
        path: PathKey = ("nodes", nid)
        if sp := _span(smap, path, lines, str(nid), True):
            yield Symbol("node", str(nid), sp, path, True)
        if not isinstance(node, dict):
            continue
        choices = node.get("choices")
        if isinstance(choices, list):
            for i, choice in enumerate(choices):
                if not isinstance(choice, dict):
                    continue
                cpath: PathKey = (*path, "choices", i)
                cid = choice.get("id")
                if isinstance(cid, str) and (sp := _span(smap, (*cpath, "id"), lines, cid, False)):
                    yield Symbol("choice", cid, sp, cpath, True)
                to = choice.get("to")
                if isinstance(to, str) and (sp := _span(smap, (*cpath, "to"), lines, to, False)):
                    yield Symbol("node", to, sp, (*cpath, "to"), False)
                when = choice.get("when")
                if isinstance(when, str):
                    yield from _calls_in(when, smap, (*cpath, "when"), lines)
        nxt = node.get("next")
        if isinstance(nxt, str) and (sp := _span(smap, (*path, "next"), lines, nxt, False)):
            yield Symbol("node", nxt, sp, (*path, "next"), False)
        elif isinstance(nxt, list):
            for i, branch in enumerate(nxt):
                if not isinstance(branch, dict):
                    continue
                bpath: PathKey = (*path, "next", i)
                to = branch.get("to")
                if isinstance(to, str) and (sp := _span(smap, (*bpath, "to"), lines, to, False)):
                    yield Symbol("node", to, sp, (*bpath, "to"), False)
                when = branch.get("when")
                if isinstance(when, str):
                    yield from _calls_in(when, smap, (*bpath, "when"), lines)


# ---------------------------------------------------------------- editor services

CONDITION_WORDS = ("trust", "hierarchy", "turns", "and", "or", "not")


@dataclass(frozen=True, slots=True)
class Completion:
    """One thing an editor may offer at the cursor."""

    label: str
    kind: str  # node, choice, function, level, rung, dimension, keyword, flag
    detail: str = ""


_TO = re.compile(r"^\s*(?:-\s*)?(?:to|start|next)\s*:\s*['\"]?([\w.-]*)$")
_IN_CALL = re.compile(r"""\b(visited|chose)\(\s*['"]([\w.-]*)$""")
_WHEN = re.compile(r"^\s*(?:-\s*)?(?:when|[\w-]+)\s*:\s*['\"]?(.*)$")
_HIER = re.compile(r"^\s*(?:-\s*)?hierarchy\s*:\s*([\w-]*)$|\bhierarchy\s*:\s*([\w-]*)$")
_KEY = re.compile(r"^(\s+)([\w-]*)$")


_ID = re.compile(r"^[A-Za-z_][\w-]*$")


def valid_id(name: str) -> bool:
    """Whether `name` can be a node or choice id."""
    return bool(_ID.match(name))


def _functions() -> tuple[str, ...]:
    from engine import conditions

    names = getattr(conditions, "FUNCTION_NAMES", None)
    return tuple(names) if names else ("visited", "chose")


def _dimension_keys(data: Any, base_dir: Any) -> list[Completion]:
    from pathlib import Path

    from engine.errors import ParleyError
    from engine.framework_loader import find_framework, load_framework

    fid = data.get("framework", "sore") if isinstance(data, dict) else "sore"
    path = find_framework(str(fid), Path(base_dir) if base_dir else None)
    if path is None:
        return []
    try:
        fw = load_framework(path)
    except ParleyError:
        return []
    return [Completion(d.key, "dimension", d.label.get("en") or "") for d in fw.dimensions]


def _levels_and_rungs(data: Any) -> tuple[list[str], list[str]]:
    levels: list[str] = []
    rungs = ["order-taker", "service-provider", "peer", "trusted-advisor"]
    if isinstance(data, dict):
        trust = data.get("trust")
        if isinstance(trust, dict) and isinstance(trust.get("levels"), list):
            for lv in trust["levels"]:
                if isinstance(lv, dict) and isinstance(lv.get("name"), str):
                    levels.append(lv["name"])
                elif isinstance(lv, str):
                    levels.append(lv)
        hier = data.get("hierarchy")
        if isinstance(hier, dict) and isinstance(hier.get("ladder"), list):
            rungs = [str(r) for r in hier["ladder"]]
    return levels, rungs


def _flags(data: Any) -> list[str]:
    out: set[str] = set()
    nodes = data.get("nodes") if isinstance(data, dict) else None
    if not isinstance(nodes, dict):
        return []
    for node in nodes.values():
        if not isinstance(node, dict):
            continue
        found = [node.get("effects")]
        for ch in node.get("choices") or []:
            if isinstance(ch, dict):
                found.append(ch.get("effects"))
        for eff in found:
            if isinstance(eff, dict) and isinstance(eff.get("set"), dict):
                out.update(str(k) for k in eff["set"])
    return sorted(out)


def _parent_key(lines: list[str], line: int, indent: int) -> str | None:
    """The key of the nearest line above that is indented less than `indent`."""
    for i in range(line - 1, -1, -1):
        raw = lines[i]
        stripped = raw.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        ind = len(raw) - len(stripped)
        if ind < indent:
            key = stripped.lstrip("- ").split(":", 1)[0].strip()
            return key or None
    return None


def complete(
    text: str, line: int, character: int, base_dir: Any = None, previous: Index | None = None
) -> list[Completion]:
    """What may be typed at (line, character), 0-based. `previous` is the last index that
    parsed, used while the buffer is half-typed and does not parse."""
    ix = index_text(text)
    if ix.data is None and previous is not None:
        ix = previous
    lines = text.splitlines()
    before = lines[line][:character] if line < len(lines) else ""
    nodes = sorted(ix.definitions("node"))
    choices = sorted(ix.definitions("choice"))
    if m := _IN_CALL.search(before):
        names = nodes if m.group(1) == "visited" else choices
        kind = "node" if m.group(1) == "visited" else "choice"
        return [Completion(n, kind) for n in names]
    if _TO.match(before):
        return [Completion(n, "node", first_line(ix.data, n)) for n in nodes]
    if m := _HIER.search(before):
        _, rungs = _levels_and_rungs(ix.data)
        return [Completion(r, "rung") for r in [*rungs, "up", "down"]]
    if (m := _KEY.match(before)) and line > 0:
        parent = _parent_key(lines, line, len(m.group(1)))
        fid = ix.data.get("framework", "sore") if isinstance(ix.data, dict) else "sore"
        if parent == str(fid):
            return _dimension_keys(ix.data, base_dir)
    stripped = before.lstrip().lstrip("- ")
    if stripped.startswith(("when:", "when :")) or _in_requires(lines, line):
        levels, rungs = _levels_and_rungs(ix.data)
        out = [Completion(f, "function", f"{f}('…')") for f in _functions()]
        out += [Completion(w, "keyword") for w in CONDITION_WORDS]
        out += [Completion(lv, "level") for lv in levels]
        out += [Completion(r, "rung") for r in rungs]
        out += [Completion(f, "flag") for f in _flags(ix.data)]
        return out
    return []


def _in_requires(lines: list[str], line: int) -> bool:
    if line >= len(lines):
        return False
    raw = lines[line]
    indent = len(raw) - len(raw.lstrip())
    return indent > 0 and _parent_key(lines, line, indent) == "requires"


def _text_of(value: Any, data: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        lang = data.get("language", "en") if isinstance(data, dict) else "en"
        got = value.get(lang) or next((v for v in value.values() if isinstance(v, str)), "")
        return str(got)
    return ""


def first_line(data: Any, node_id: str) -> str:
    node = _node(data, node_id)
    if node is None:
        return ""
    return _text_of(node.get("text"), data).strip().split("\n", 1)[0]


def _node(data: Any, node_id: str) -> dict[str, Any] | None:
    nodes = data.get("nodes") if isinstance(data, dict) else None
    node = nodes.get(node_id) if isinstance(nodes, dict) else None
    return node if isinstance(node, dict) else None


def hover(text: str, line: int, character: int) -> str | None:
    """Markdown about the node or choice id under the cursor, or None."""
    ix = index_text(text)
    sym = ix.at(line, character)
    if sym is None or ix.data is None:
        return None
    if sym.kind == "node":
        node = _node(ix.data, sym.name)
        if node is None:
            return f"**{sym.name}**: no such node"
        speaker = str(node.get("speaker", ""))
        chars = ix.data.get("characters") if isinstance(ix.data, dict) else None
        if isinstance(chars, dict) and isinstance(chars.get(speaker), dict):
            speaker = _text_of(chars[speaker].get("name"), ix.data) or speaker
        first = first_line(ix.data, sym.name)
        kind = "ending" if "ending" in node else "choices" if "choices" in node else "next"
        return f"**{sym.name}** ({kind}) — {speaker}:\n\n> {first}"
    where = ix.node_of_choice(sym.name)
    if where is None:
        return f"**{sym.name}**: no such choice"
    node = _node(ix.data, where[0]) or {}
    choice = (node.get("choices") or [])[where[1]]
    fid = str(ix.data.get("framework", "sore")) if isinstance(ix.data, dict) else "sore"
    scores = choice.get(fid) if isinstance(choice, dict) else None
    parts = [f"**{sym.name}** (in `{where[0]}`)"]
    if isinstance(scores, dict):
        total = sum(v for v in scores.values() if isinstance(v, int))
        shown = ", ".join(f"{k} {v:+d}" for k, v in scores.items() if isinstance(v, int))
        parts.append(f"{fid}: {shown} (total {total:+d})")
    feedback = _text_of(choice.get("feedback"), ix.data) if isinstance(choice, dict) else ""
    if feedback:
        parts.append(f"Coaching: {feedback.strip()}")
    return "\n\n".join(parts)


def buffer_diagnostics(text: str, file: str, base_dir: Any = None) -> list[Any]:
    """Every load error and checker finding for an unsaved buffer, as `parley check` gives."""
    from pathlib import Path

    from engine.check import check_scenario
    from engine.diagnostics import Diagnostic
    from engine.errors import Location, ParleyError, ScenarioLoadError
    from engine.loader import load_scenario_text

    try:
        scenario = load_scenario_text(text, file, base_dir=Path(base_dir) if base_dir else None)
    except ScenarioLoadError as exc:
        return list(exc.diagnostics)
    except ParleyError as exc:
        return [Diagnostic(exc.code, exc.message, exc.location or Location(file, 1, 1), exc.hint)]
    from engine.i18n import stale_findings

    return [*check_scenario(scenario), *stale_findings(text, file)]
