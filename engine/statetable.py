"""A scenario compiled into a state table that a web page can walk without knowing the rules.

The engine plays every reachable state once (the states are engine.fastplay's, as the
explorer enumerates them; each transition is made by the reference player, `Conversation`,
so the coaching is the engine's own) and writes down, per state: where the play stands
(node, trust, trust level, rung, ending), which choices are offered, and for each offered
choice the next state, the nodes it passes through, the coaching lines in every language,
and the road not taken. The web player (engine.webplayer) only looks things up in it:
no condition, effect or score is ever computed in JavaScript.

The table grows with the number of reachable states; above `MAX_STATES` it is refused with
a clear message (the page would be too large to load comfortably).
"""

from __future__ import annotations

import hashlib
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.conversation import Conversation
from engine.errors import ParleyError
from engine.events import BlockedMove, RungChanged
from engine.explore import explore
from engine.feedback import coaching_for
from engine.feedback.model_answer import model_choice
from engine.messages import outcome_word, word
from engine.model import Choice, Scenario, Text
from engine.order import node_order
from engine.xapi import ScoreBounds, passed, score_bounds

MAX_STATES = 5_000  # ~2 MB of page; compiling replays each state in the reference player
FORMAT = 1
ORDERS = 8  # option orders a page carries: each play picks one (engine.order's shuffling)

# Parley's own words the page shows (engine.messages keys), per language.
WORD_KEYS = (
    "coach.feedback",
    "debrief.head",
    "debrief.ending",
    "debrief.scores_intro",
    "debrief.col_dimension",
    "debrief.col_you",
    "debrief.col_best",
    "debrief.total",
    "debrief.trust",
    "debrief.swings",
    "debrief.swing",
    "debrief.hierarchy",
    "debrief.hierarchy_stayed",
    "debrief.road",
    "debrief.road_said",
    "debrief.road_could",
    "debrief.road_none",
    "debrief.endings_missed",
    "debrief.compare",
    "debrief.best_possible",
    "debrief.framework_total",
    "debrief.final_trust",
    "fb.defensible_head",
    "fb.defensible_item",
    "fb.defensible_yours",
    "play.stalled",
)


class TooManyStates(ParleyError):
    """The scenario has more reachable states than a web page can carry."""


@dataclass(frozen=True)
class StateTable:
    """The compiled table (`data` is JSON-able) and its size."""

    scenario_id: str
    states: int
    edges: int
    langs: tuple[str, ...]
    data: dict[str, Any]


def _text(text: Text | None, langs: Sequence[str]) -> dict[str, str] | None:
    if text is None:
        return None
    return {lang: " ".join(text.get(lang).split()) for lang in langs}


def _para(text: Text, langs: Sequence[str]) -> dict[str, str]:
    """Paragraphs kept (blank lines), each paragraph on one line."""
    out = {}
    for lang in langs:
        paras = [" ".join(p.split()) for p in text.get(lang).strip().split("\n\n")]
        out[lang] = "\n\n".join(p for p in paras if p)
    return out


def compile_table(
    scenario: Scenario, langs: Sequence[str] | None = None, max_states: int = MAX_STATES
) -> StateTable:
    """Compile `scenario` for the web player, in `langs` (default: every language it has)."""
    sc = scenario
    if langs is None:
        langs = sorted(sc.languages, key=lambda x: (x != sc.language, x))
    langs = list(dict.fromkeys(langs)) or [sc.language]
    ex = explore(sc, max_states=max_states + 1)
    if not ex.complete or ex.states > max_states:
        raise TooManyStates(
            f"'{sc.id}' has more than {max_states:,} reachable states; a web page this "
            "large would not load comfortably",
            hint="simplify the scenario (fewer flags or trust-dependent branches), "
            "or let learners play it in the app or with `parley serve`",
        )
    sg = ex.graph
    if sg is None:  # explore() always keeps its graph; this only narrows the type
        raise TooManyStates(f"'{sc.id}' has no state graph to compile")
    level_names = sc.level_names
    dims = sc.framework.dimensions
    strings: list[str] = []
    string_ids: dict[str, int] = {}

    def intern(s: str) -> int:
        i = string_ids.get(s)
        if i is None:
            i = string_ids[s] = len(strings)
            strings.append(s)
        return i

    rows: list[dict[str, Any]] = [
        {
            "n": sg.node(s),
            "t": sg.trust(s),
            "lv": level_names[sc.level_of(sg.trust(s))],
            "r": sg.rung(s),
            "s": sg.status(s),
            "o": [],
        }
        for s in range(len(sg))
    ]
    start_conv = Conversation(sc, lang=langs[0])
    start_entered = list(start_conv.path)
    # breadth first from the start; each state is played by the reference player along the
    # first path that reaches it, so the coaching is the engine's own
    queue: deque[tuple[int, list[str]]] = deque([(0, [])])
    seen = {0}
    edges = 0
    while queue:
        sid, path = queue.popleft()
        moves = sg.moves(sid)
        r = rows[sid]
        if r["s"] != "decide":
            continue
        if not moves:
            r["s"] = "dead"
            continue
        offered = [sc.choices[cid] for cid, _ in moves]
        conv = Conversation(sc, lang=langs[0])
        for cid in path:
            conv.choose(cid)
        model = model_choice(sc.nodes[r["n"]], offered)  # the debrief's "model" column
        assert model is not None
        r["b"] = [model.scores.get(d.key, 0) for d in dims]
        r["w"] = [min(c.scores.get(d.key, 0) for c in offered) for d in dims]
        r["tb"] = model.total
        r["tw"] = min(c.total for c in offered)
        for ch, (cid, to) in zip(offered, moves, strict=True):
            step = conv.choose(cid)
            coach = coaching_for(conv, step)
            others = [c for c in offered if c.id != cid]
            alt = max(others, key=_road_key) if others else None
            edge: dict[str, Any] = {
                "c": cid,
                "to": to,
                "e": list(step.entered),
                "k": {lang: [intern(line) for line in coach.lines(lang)] for lang in langs},
                "d": step.trust_after - step.trust_before,
            }
            if alt is not None and _road_key(alt) > _road_key(ch):
                edge["alt"] = alt.id
            if any(isinstance(ev, (RungChanged, BlockedMove)) for ev in step.events):
                edge["rm"] = 1
            if (step.trust_after, step.rung_after) != (sg.trust(to), sg.rung(to)):
                raise AssertionError(f"state graph and Conversation disagree at {cid}")
            r["o"].append(edge)
            edges += 1
            conv.undo()
            if to not in seen:
                seen.add(to)
                queue.append((to, [*path, cid]))

    choices: dict[str, Any] = {}
    nodes: dict[str, Any] = {}
    endings: dict[str, Any] = {}
    for nid, node in sc.nodes.items():
        if nid not in ex.nodes_reached:
            continue
        nodes[nid] = {
            "who": {lang: sc.speaker_name(node.speaker, lang) for lang in langs},
            "text": _para(node.text, langs),
            "nar": _text(node.narration, langs),
            "cp": node.speaker == sc.counterpart,
        }
        if node.ending is not None:
            e = node.ending
            endings[nid] = {
                "outcome": e.outcome,
                "passes": passed(sc, 0, e.outcome, None),
                "word": {lang: outcome_word(e.outcome, lang) for lang in langs},
                "title": _text(e.title, langs),
                "debrief": _para(e.debrief, langs),
            }
            if e.trade_off is not None:  # one of several equally defensible endings
                endings[nid]["trade"] = _text(e.trade_off, langs)
        for c in node.choices:
            choices[c.id] = {
                "text": _text(c.text, langs),
                "fb": _text(c.feedback, langs),
                "sc": [c.scores.get(d.key, 0) for d in dims],
                "tot": c.total,
                "tr": c.effects.trust or 0,
            }
    bounds = score_bounds(sc)
    data: dict[str, Any] = {
        "format": FORMAT,
        "scenario": sc.id,
        "hash": sc.content_hash,
        "langs": langs,
        "title": _text(sc.title, langs),
        "summary": _text(sc.summary, langs),
        "counterpart": {lang: sc.speaker_name(sc.counterpart, lang) for lang in langs},
        "you": {lang: sc.speaker_name("you", lang) for lang in langs},
        "trust_start": sc.trust_start,
        "trust_levels": [[lv.name, lv.floor] for lv in sc.trust_levels],
        "rung_start": sc.hierarchy_start,
        "dims": [
            {"key": d.key, "label": _text(d.label, langs), "q": _text(d.question, langs)}
            for d in dims
        ],
        "framework": {lang: sc.framework.name.get(lang) for lang in langs},
        "nodes": nodes,
        "choices": choices,
        "endings": endings,
        "reachable_endings": sorted(ex.endings_reachable),
        "strings": strings,
        "start": {"state": 0, "entered": start_entered},
        "states": rows,
        "best_total": ex.best_total,
        "best_final_trust": ex.best_final_trust,
        "mode": sc.feedback_mode,
        "orders": _orders(sc, rows),
        "score": _score(sc, bounds),
        "words": {lang: {k: word(k, lang) for k in WORD_KEYS} for lang in langs},
        "ui": {lang: _ui(lang) for lang in langs},
    }
    return StateTable(sc.id, len(rows), edges, tuple(langs), data)


def _orders(sc: Scenario, rows: list[dict[str, Any]]) -> list[dict[str, list[str]]]:
    """ORDERS option orders, each engine.order's order for one play seed (derived from the
    scenario's content, so one file always exports the same page): node -> choice ids."""
    nodes = {r["n"] for r in rows if r["o"]}
    out = []
    for k in range(ORDERS):
        digest = hashlib.sha256(f"{sc.content_hash}:{k}".encode()).digest()
        seed = int.from_bytes(digest[:4], "big")
        out.append({n: [c.id for c in node_order(sc.nodes[n], seed)] for n in sorted(nodes)})
    return out


def _road_key(c: Choice) -> tuple[int, int]:
    """How the debrief ranks an option for the road not taken: total, then trust effect."""
    return (c.total, c.effects.trust or 0)


def _score(sc: Scenario, bounds: ScoreBounds | None) -> dict[str, Any] | None:
    """Every total a play can reach, with its scaled score and (with a pass mark) whether it
    passes: the page looks its verdict up instead of computing it."""
    if bounds is None:
        return None
    totals = range(bounds.worst, bounds.best + 1)
    return {
        "min": bounds.worst,
        "max": bounds.best,
        "pass_mark": sc.pass_mark,
        "scaled": {str(x): bounds.scaled(x) for x in totals},
        # SCORM 1.2 scores run 0..100: the scaled score as a whole percentage, below 0 as 0
        "percent": {str(x): max(0, math.floor(100 * bounds.scaled(x) + 0.5)) for x in totals},
        "passing": None
        if sc.pass_mark is None
        else [x for x in totals if passed(sc, x, None, bounds)],
    }


# The page's own labels (engine.messages keys web.<name>), per language.
UI_KEYS = (
    "turn",
    "answer",
    "trust",
    "trust_text",
    "rung",
    "coaching",
    "again",
    "language",
    "conversation",
    "standing",
    "keys",
    "debrief",
)


def _ui(lang: str) -> dict[str, str]:
    return {k: word(f"web.{k}", lang) for k in UI_KEYS}
