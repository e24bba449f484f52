"""`parley check` findings about text and ids that would mislead or harm (#16):

- P240: a control character in a Text (an escape sequence such as "\\e[2J" written in a
  double-quoted string). Parley shows it as a visible sign (engine.textsafety), never
  acts on it, but it is almost certainly a mistake.
- P241: an id (node, choice, character, flag) with an invisible or bidirectional control
  character: it looks like another id, or like nothing at all.
- P213: a run of automatic `next` links longer than a play follows
  (engine.conversation.MAX_AUTOMATIC_STEPS): every play reaching it stops with an error,
  so check and play agree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

from engine.conversation import MAX_AUTOMATIC_STEPS
from engine.diagnostics import Diagnostic
from engine.errors import Location
from engine.model import Scenario, Text
from engine.textsafety import control_chars

# zero-width and joiners, bidirectional embeddings/overrides/isolates/marks, BOM, word joiner
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\u00ad\u180e"
)


def _name(ch: str) -> str:
    return unicodedata.name(ch, f"U+{ord(ch):04X}")


def invisible_chars(text: str) -> list[str]:
    """Characters of `text` that are invisible or reorder text (Cf format characters too)."""
    return [c for c in text if c in _INVISIBLE or unicodedata.category(c) in ("Cf", "Cc")]


def control_findings(
    texts: Iterable[tuple[str, Text | None, str]], locate: Callable[[str], Location]
) -> list[Diagnostic]:
    """P240 for each Text holding a control character (other than newline and tab)."""
    out: list[Diagnostic] = []
    for key, text, what in texts:
        if text is None:
            continue
        for lang, value in text.values.items():
            found = control_chars(value)
            if found:
                shown = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(found))
                out.append(
                    Diagnostic(
                        "P240",
                        f"{what} ({lang}) holds a control character ({shown}); it is shown "
                        "as a visible sign, not acted on",
                        locate(key),
                        'remove it: an escape such as "\\e" or "\\x1b" in a double-quoted '
                        "string is rarely meant",
                    )
                )
    return out


def lookalike_findings(scenario: Scenario) -> list[Diagnostic]:
    """P241 for each id holding an invisible or bidirectional control character."""
    out: list[Diagnostic] = []
    file = str(scenario.path) if scenario.path is not None else "<scenario>"
    ids: list[tuple[str, str, Location]] = []
    for nid, node in scenario.nodes.items():
        ids.append(("node", nid, node.loc))
        for ch in node.choices:
            ids.append(("choice", ch.id, getattr(ch, "loc", None) or node.loc))
    for cid in scenario.characters:
        ids.append(("character", cid, Location(file, 1, 1)))
    for flag in scenario.flags:
        ids.append(("flag", flag, Location(file, 1, 1)))
    for kind, value, loc in ids:
        bad = invisible_chars(value)
        if bad:
            names = ", ".join(_name(c) for c in dict.fromkeys(bad))
            visible = "".join(f"<U+{ord(c):04X}>" if c in bad else c for c in value)
            out.append(
                Diagnostic(
                    "P241",
                    f"{kind} id '{visible}' holds invisible or direction-changing "
                    f"characters ({names}): it looks like another id",
                    loc,
                    "retype the id with plain letters, digits, '-' and '_'",
                )
            )
    return out


def next_chain_findings(scenario: Scenario) -> list[Diagnostic]:
    """P213 where a run of automatic `next` links is longer than a play follows."""
    nodes = scenario.nodes
    auto = {nid for nid, n in nodes.items() if n.ending is None and not n.choices and n.next}
    longest: dict[str, int] = {}  # automatic steps from a node until a choice or an ending
    for start in auto:
        if start in longest:
            continue
        # iterative depth-first walk; a cycle counts as "no end" (left to the explorer)
        stack: list[tuple[str, int]] = [(start, 0)]
        on_path: set[str] = set()
        while stack:
            nid, i = stack.pop()
            succ = [b.to for b in nodes[nid].next if b.to in auto]
            if i == 0:
                on_path.add(nid)
            if i < len(succ):
                stack.append((nid, i + 1))
                nxt = succ[i]
                if nxt not in longest and nxt not in on_path:
                    stack.append((nxt, 0))
                continue
            on_path.discard(nid)
            longest[nid] = 1 + max((longest.get(s, 0) for s in succ), default=0)
    out: list[Diagnostic] = []
    heads = [n for n in auto if longest.get(n, 0) > MAX_AUTOMATIC_STEPS]
    # report the start of each over-long run only (not every node along it)
    inner = {b.to for n in heads for b in nodes[n].next}
    for nid in sorted(set(heads) - inner):
        out.append(
            Diagnostic(
                "P213",
                f"{longest[nid]:,} automatic `next` steps in a row from '{nid}': a play "
                f"follows at most {MAX_AUTOMATIC_STEPS:,} without a choice, so every play "
                "that gets here stops with an error",
                nodes[nid].loc,
                "give the run a choice, or shorten it",
            )
        )
    return out
