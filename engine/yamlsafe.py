"""Bounded, safe YAML reading that remembers where every key and value came from.

Only this module touches PyYAML. Files are untrusted: size is capped, anchors and
aliases are refused (no "billion laughs"), nesting depth is capped, duplicate keys
are errors, and mapping keys always stay strings (so `no:` is Norwegian, not False).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Protocol, TypeAlias

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

try:  # libyaml's parser, when PyYAML was built with it
    from yaml._yaml import CParser as _CParser

    _HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _CParser = Parser  # type: ignore[assignment,misc]
    _HAVE_LIBYAML = False

from engine.diagnostics import Diagnostic
from engine.errors import Location
from engine.safefile import MAX_YAML_BYTES

MAX_BYTES = MAX_YAML_BYTES
MAX_DEPTH = 64
MAX_NODES = 300_000  # a 2 MB scenario of 5,000 nodes holds ~240,000
EXACT_MESSAGES_UP_TO = 64 * 1024  # characters; see read_yaml
MAX_NUMBER_CHARS = 100  # a number written with more characters is refused, not converted
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})
_SURROGATE = re.compile("[\ud800-\udfff]")

PathKey = tuple[str | int, ...]


class Mark(Protocol):
    """A position as the parser gives it (0-based); PyYAML's and libyaml's marks fit."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


# The positions inside a value: a mapping's entries by key, a sequence's by index, or
# None for a scalar. An entry is (the key's mark, or None in a sequence; the value's mark;
# the positions inside the value).
Inner: TypeAlias = "dict[str | int, Entry] | None"
Entry: TypeAlias = "tuple[Mark | None, Mark, Inner]"


class SourceMap:
    """Where each key path sits in the file: the key's position and the value's.

    The positions form a tree shaped like the data, with the parser's marks as they come:
    the readers build it as they go for a fraction of the cost of a dict keyed by whole
    paths, and most positions are never asked for. `key()` and `value()` make 1-based
    Locations of those that are.
    """

    def __init__(self, file: str, root: Entry | None = None) -> None:
        self.file = file
        self.root = root  # the document's entry (no key)

    def _find(self, path: PathKey) -> Entry | None:
        entry = self.root
        for part in path:
            inner = entry[2] if entry is not None else None
            if inner is None:  # a scalar (or nothing) on the way
                return None
            entry = inner.get(part)
        return entry

    def key(self, path: PathKey) -> Location:
        """Location of the key at `path` (or of the nearest enclosing thing we know)."""
        p = tuple(path)
        while p:
            entry = self._find(p)
            if entry is not None:
                mark = entry[0] if entry[0] is not None else entry[1]
                return Location(self.file, mark.line + 1, mark.column + 1)
            p = p[:-1]
        return Location(self.file, 1, 1)

    def value(self, path: PathKey) -> Location:
        """Location of the value at `path` (falls back to its key)."""
        entry = self._find(tuple(path))
        if entry is None:
            return self.key(path)
        mark = entry[1]
        return Location(self.file, mark.line + 1, mark.column + 1)

    def has_value(self, path: PathKey) -> bool:
        """Whether the file has a value at exactly `path`."""
        return self._find(tuple(path)) is not None

    def key_if_known(self, path: PathKey) -> Location | None:
        """Location of the key at exactly `path`, or None when there is no such key."""
        entry = self._find(tuple(path))
        mark = entry[0] if entry is not None else None
        return Location(self.file, mark.line + 1, mark.column + 1) if mark is not None else None

    def _entries(self) -> Iterator[tuple[PathKey, Entry]]:
        stack: list[tuple[PathKey, Entry]] = [((), self.root)] if self.root is not None else []
        while stack:
            path, entry = stack.pop()
            yield path, entry
            if entry[2] is not None:
                stack.extend(((*path, k), e) for k, e in entry[2].items())

    @property
    def keys(self) -> dict[PathKey, tuple[int, int]]:
        """(line, col), 1-based, of the key at each path (a new dict on every call)."""
        return {p: (e[0].line + 1, e[0].column + 1) for p, e in self._entries() if e[0] is not None}

    @property
    def values(self) -> dict[PathKey, tuple[int, int]]:
        """(line, col), 1-based, of the value at each path (a new dict on every call)."""
        return {p: (e[1].line + 1, e[1].column + 1) for p, e in self._entries()}


class YamlProblem(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _Bounds(Composer):
    """Composing with the checks: no anchors or aliases, bounded depth and size, no
    duplicate keys (a duplicate under `nodes:` is a duplicate node id)."""

    def _setup(self, file: str) -> None:
        self._file = file
        self._depth = 0
        self._count = 0
        self._keys: list[object] = []  # the key (or index) of each node being composed

    def _fail(self, code: str, message: str, mark: Any, hint: str | None = None) -> None:
        loc = Location(self._file, mark.line + 1, mark.column + 1)
        raise YamlProblem(Diagnostic(code, message, loc, hint))

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            self._fail(
                "P103",
                f"YAML alias '*{event.anchor}' is not allowed in scenario files",
                event.start_mark,
                "write the value out in full; anchors and aliases are refused for safety",
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._fail(
                "P103",
                f"YAML anchor '&{anchor}' is not allowed in scenario files",
                event.start_mark,
                "remove the anchor and write repeated values out in full",
            )
        self._depth += 1
        self._count += 1
        if self._depth > MAX_DEPTH:
            self._fail(
                "P104",
                f"nesting deeper than {MAX_DEPTH} levels",
                event.start_mark,
                "scenario files are shallow; check for runaway brackets",
            )
        if self._count > MAX_NODES:
            self._fail("P102", f"more than {MAX_NODES} YAML values", event.start_mark)
        self._keys.append(index.value if isinstance(index, ScalarNode) else index)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._keys.pop()

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        node: MappingNode = super().compose_mapping_node(anchor)
        seen: dict[object, Any] = {}
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else id(key_node)
            if key in seen:
                first = seen[key]
                if self._keys[1:] == ["nodes"]:
                    self._fail(
                        "P120",
                        f"node id '{key}' is used twice (first at line {first.line + 1})",
                        key_node.start_mark,
                        "node ids must be unique: rename one of the two nodes",
                    )
                self._fail(
                    "P108",
                    f"duplicate key '{key}' (first at line {first.line + 1})",
                    key_node.start_mark,
                    "YAML keeps only one of them; rename or merge the two",
                )
            seen[key] = key_node.start_mark
        return node


class _BoundedLoader(_Bounds, Reader, Scanner, Parser, SafeConstructor, Resolver):
    """Pure-Python reading: the reference, whose error messages users see."""

    def __init__(self, text: str, file: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._setup(file)


class _EventReader(_CParser, SafeConstructor, Resolver):
    """libyaml's scanner and parser, with PyYAML's (Python) tag resolution and scalars."""

    def __init__(self, text: str) -> None:
        _CParser.__init__(self, text)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


class _Start:
    line = 0
    column = 0


class _Retry(Exception):
    """The fast reader met something it does not report itself (any error at all)."""


_STR_TAG = "tag:yaml.org,2002:str"
# where libyaml and PyYAML read differently: tabs (libyaml allows more of them), the
# Unicode line breaks NEL, LS and PS, and a byte order mark after the start
_ODD_CHARS = re.compile("[\t\x85\u2028\u2029\ufeff]")


def _fast_read(text: str, file: str, exact: bool = True) -> tuple[Any, SourceMap]:
    """Build the data and SourceMap straight from libyaml's events (no node tree).

    It gives the same result as composing with _BoundedLoader and then _convert for every
    file that reads without a problem; at the first problem of any kind it raises _Retry,
    and the reference reader runs instead, so every error message and location users see
    comes from one place.
    """
    reader = _EventReader(text)

    def fail(code: str, message: str, mark: Any, hint: str | None = None) -> None:
        """A problem the reference reader would report the same way: said at once, so a
        large hostile file is refused in a moment, not after a slow second reading."""
        loc = Location(file, mark.line + 1, mark.column + 1)
        raise YamlProblem(Diagnostic(code, message, loc, hint))

    get: Any = reader.get_event
    resolve: Any = reader.resolve
    constructors = reader.yaml_constructors
    count = 0

    plain: dict[str, Any] = {}  # a plain scalar's text -> its value (they repeat a lot)
    # the first characters of plain scalars that may be something else than a string;
    # PyYAML's resolver looks at no other (unless wildcard or path resolvers were added)
    starts: Any = reader.yaml_implicit_resolvers
    typed_starts = (
        frozenset(starts) if None not in starts and not reader.yaml_path_resolvers else None
    )

    def refuse_tag(ev: Any) -> None:
        """A large file with a tag no scenario has: said at once (see `fail`)."""
        if not exact and ev.tag not in _PLAIN_TAGS and ev.tag != "!":
            fail(
                "P101",
                f"YAML tag '{ev.tag}' is not allowed in scenario files",
                ev.start_mark,
                "remove the tag; scenario files hold plain text, numbers, lists and maps",
            )
        raise _Retry

    def scalar(ev: Any) -> Any:
        value = ev.value
        if ev.tag is not None:
            refuse_tag(ev)
        if not value and not ev.style:
            # an explicit tag (rare; PyYAML and libyaml differ on `!`), or an empty plain
            # value (libyaml places it elsewhere than PyYAML): the reference reader decides
            raise _Retry
        implicit = ev.implicit
        if not implicit[0]:  # quoted or block text
            if ev.style == '"' and _SURROGATE.search(value):  # "\ud800": say where
                _check_scalar(ScalarNode(_STR_TAG, value, ev.start_mark, None, '"'), file)
            return value
        if value in plain:
            return plain[value]
        if typed_starts is not None and value[0] not in typed_starts:
            return value  # a string, such as most texts: no need to resolve or remember it
        tag = resolve(ScalarNode, value, implicit)
        if tag == _STR_TAG:
            result: Any = value
        elif tag in _NUMBER_TAGS and len(value) > MAX_NUMBER_CHARS:
            _check_scalar(ScalarNode(tag, value, ev.start_mark, None), file)
        elif tag not in _PLAIN_TAGS:
            raise _Retry
        else:
            node = ScalarNode(tag, value, ev.start_mark, ev.end_mark, ev.style)
            construct: Any = constructors[tag]
            result = construct(reader, node)
        if tag != "tag:yaml.org,2002:timestamp":
            plain[value] = result
        return result

    def build(ev: Any, depth: int, under: object = None) -> tuple[Any, Inner]:
        """The value that starts with node event `ev`, and the positions inside it."""
        nonlocal count
        count += 1
        cls = type(ev)
        if ev.anchor is not None:  # (every node event has `anchor`; an alias's is never None)
            if cls is yaml.AliasEvent:
                fail(
                    "P103",
                    f"YAML alias '*{ev.anchor}' is not allowed in scenario files",
                    ev.start_mark,
                    "write the value out in full; anchors and aliases are refused for safety",
                )
            fail(
                "P103",
                f"YAML anchor '&{ev.anchor}' is not allowed in scenario files",
                ev.start_mark,
                "remove the anchor and write repeated values out in full",
            )
        if depth > MAX_DEPTH:
            fail(
                "P104",
                f"nesting deeper than {MAX_DEPTH} levels",
                ev.start_mark,
                "scenario files are shallow; check for runaway brackets",
            )
        if count > MAX_NODES:
            fail("P102", f"more than {MAX_NODES} YAML values", ev.start_mark)
        if cls is yaml.ScalarEvent:
            return scalar(ev), None
        if cls is yaml.MappingStartEvent:
            if ev.tag is not None:
                refuse_tag(ev)
            out: dict[str, Any] = {}
            entries: dict[str | int, Entry] = {}
            while True:
                kev = get()
                if type(kev) is yaml.MappingEndEvent:
                    return out, entries
                if (
                    type(kev) is not yaml.ScalarEvent
                    or kev.anchor is not None
                    or kev.tag is not None
                    or not kev.value
                ):
                    raise _Retry
                if kev.style == '"' and _SURROGATE.search(kev.value):
                    mark: Any = kev.start_mark
                    _check_scalar(ScalarNode(_STR_TAG, kev.value, mark, None, '"'), file)
                count += 1
                key = kev.value
                if key in out:
                    first = entries[key][0]
                    line = first.line + 1 if first is not None else 0
                    if depth == 2 and under == "nodes":
                        fail(
                            "P120",
                            f"node id '{key}' is used twice (first at line {line})",
                            kev.start_mark,
                            "node ids must be unique: rename one of the two nodes",
                        )
                    fail(
                        "P108",
                        f"duplicate key '{key}' (first at line {line})",
                        kev.start_mark,
                        "YAML keeps only one of them; rename or merge the two",
                    )
                vev = get()
                out[key], inner = build(vev, depth + 1, key)
                entries[key] = (kev.start_mark, vev.start_mark, inner)
        if cls is yaml.SequenceStartEvent:
            if ev.tag is not None:
                refuse_tag(ev)
            items: list[Any] = []
            item_entries: dict[str | int, Entry] = {}
            while True:
                iev = get()
                if type(iev) is yaml.SequenceEndEvent:
                    return items, item_entries
                item, inner = build(iev, depth + 1)
                item_entries[len(items)] = (None, iev.start_mark, inner)
                items.append(item)
        raise _Retry  # an alias, or anything unexpected

    try:
        get()  # StreamStart
        if type(get()) is not yaml.DocumentStartEvent:
            raise _Retry  # empty: the reference reader says so
        root = get()
        value, inner = build(root, 1)
        if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
            raise _Retry
    except (_Retry, YamlProblem):
        raise
    except yaml.MarkedYAMLError as exc:
        if exact:  # the reference reader says it, in the words users know
            raise _Retry from None
        # a large file: reading it again in pure Python would take many seconds
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "invalid Unicode character escape" in problem:  # libyaml on "\ud800"
            fail(
                "P105",
                "the text holds an escape that is not a character (such as a lone surrogate)",
                mark or _Start(),
                "remove the escape, or write the character itself",
            )
        fail("P101", f"YAML syntax error: {problem}", mark or _Start(), _yaml_hint(problem))
    except Exception:  # anything else: the reference reader reports it
        raise _Retry from None
    finally:
        # `build` refers to itself through its closure: break that cycle, or the reader
        # and the whole source map wait for the cyclic garbage collector
        build = None  # type: ignore[assignment]
    return value, SourceMap(file, (None, root.start_mark, inner))


def _pos(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_PLAIN_TAGS = frozenset(
    {
        "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:timestamp",
    }
)


def _convert(loader: _BoundedLoader, node: Node, path: PathKey, smap: SourceMap) -> Any:
    """The data of the document's root `node` (`path` is ()); its positions go in `smap`."""
    value, inner = _convert_node(loader, node, smap.file)
    smap.root = (None, node.start_mark, inner)
    return value


def _convert_node(loader: _BoundedLoader, node: Node, file: str) -> tuple[Any, Inner]:
    """The data of `node` and the positions inside it; YamlProblem for a tag or a key
    that is not a scalar."""
    if node.tag not in _PLAIN_TAGS:
        line, col = _pos(node)
        raise YamlProblem(
            Diagnostic(
                "P101",
                f"YAML tag '{node.tag}' is not allowed in scenario files",
                Location(file, line, col),
                "remove the tag; scenario files hold plain text, numbers, lists and maps",
            )
        )
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        entries: dict[str | int, Entry] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                _check_scalar(key_node, file)
                key = str(key_node.value)
            else:
                line, col = _pos(key_node)
                raise YamlProblem(
                    Diagnostic(
                        "P115",
                        "a mapping key must be a plain name, not a list or mapping",
                        Location(file, line, col),
                    )
                )
            out[key], inner = _convert_node(loader, value_node, file)
            entries[key] = (key_node.start_mark, value_node.start_mark, inner)
        return out, entries
    if isinstance(node, SequenceNode):
        items: list[Any] = []
        item_entries: dict[str | int, Entry] = {}
        for i, item in enumerate(node.value):
            value, inner = _convert_node(loader, item, file)
            items.append(value)
            item_entries[i] = (None, item.start_mark, inner)
        return items, item_entries
    if isinstance(node, ScalarNode):
        _check_scalar(node, file)
    return loader.construct_object(node, deep=False), None


def _check_scalar(node: ScalarNode, file: str) -> None:
    """A number too long to be meant, or text with a lone surrogate: a YamlProblem there."""
    line, col = _pos(node)
    if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
        raise YamlProblem(
            Diagnostic(
                "P112",
                f"a number written with {len(node.value):,} characters; numbers in a scenario "
                f"have at most {MAX_NUMBER_CHARS}",
                Location(file, line, col),
                "write a small number, or quote the value if it is text",
            )
        )
    if node.style == '"' and isinstance(node.value, str):
        found = _SURROGATE.search(node.value)
        if found:
            raise YamlProblem(
                Diagnostic(
                    "P105",
                    f"the text holds \\u{ord(found.group()):04x}, half of a UTF-16 pair "
                    "(a lone surrogate), which is not a character",
                    Location(file, line, col),
                    "remove the escape, or write the character itself",
                )
            )


def read_yaml(data: bytes, file: str) -> tuple[Any, SourceMap]:
    """Parse untrusted YAML bytes into plain data plus a SourceMap. Raises YamlProblem."""
    here = Location(file, 1, 1)
    if len(data) > MAX_BYTES:
        raise YamlProblem(
            Diagnostic(
                "P102",
                f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}",
                here,
                "split the scenario or remove pasted binary data",
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            Diagnostic(
                "P105",
                f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
                Location(file, line, col),
                "save the file as UTF-8",
            )
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise YamlProblem(
            Diagnostic("P105", "file contains NUL bytes; it is not a text file", here)
        )
    # a small file with a problem is read again by the reference reader for its message;
    # a large one is not (pure Python reads ~100 KB/s): libyaml's message is given instead
    exact = len(text) <= EXACT_MESSAGES_UP_TO
    if _HAVE_LIBYAML and (not exact or not _ODD_CHARS.search(text)):
        try:
            return _fast_read(text, file, exact)
        except _Retry:
            pass  # read again with the reference reader, for its message
    smap = SourceMap(file)
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text, file)  # the Reader checks the characters here
        root = loader.get_single_node()
        if root is None:
            raise YamlProblem(
                Diagnostic("P106", "the file is empty", here, "start from `parley new ID`")
            )
        value = _convert(loader, root, (), smap)
    except yaml.MarkedYAMLError as exc:
        from engine.yamlhints import explain_syntax  # the likely cause, in the author's terms

        raise YamlProblem(explain_syntax(exc, text, file)) from None
    except yaml.reader.ReaderError as exc:
        upto = text[: exc.position]
        where = Location(file, upto.count("\n") + 1, exc.position - upto.rfind("\n"))
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise YamlProblem(
            Diagnostic(
                "P105",
                f"character U+{ord(char):04X} is not allowed in a YAML file",
                where,
                "remove the control character (it is often pasted by accident)",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Diagnostic("P101", f"YAML error: {exc}", here)) from None
    except RecursionError:
        raise YamlProblem(Diagnostic("P104", "nesting too deep", here)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return value, smap


def _yaml_hint(problem: str) -> str | None:
    if "mapping values are not allowed" in problem:
        return "a text containing ': ' must be quoted"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "check the indentation and quoting of the lines above"
    return None
