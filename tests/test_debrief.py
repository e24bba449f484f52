"""The debrief's numbers, checked against an independent walk of the scenario file.

`Walk` below reads the YAML with yaml.safe_load and plays the rules of the format
(SCENARIO-FORMAT.md) itself: it never uses the engine. Each debrief figure is then
recomputed from the walk and compared with engine.feedback.build_debrief.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.conversation import Conversation
from engine.feedback import Debrief, percent_of, render_debrief_text
from engine.library import bundled_dir, list_scenarios
from engine.loader import load_scenario
from engine.play import debrief_for, play_json
from tests.cli import parley

FIX = Path(__file__).parent / "fixtures"
SORE = FIX / "feedback_sore.yaml"
GROW = FIX / "feedback_grow.yaml"
FRAMEWORKS = bundled_dir() / "frameworks"

LEVELS = {"hostile": 0, "guarded": 20, "neutral": 40, "open": 60, "trusting": 80}
LADDER = ["order-taker", "service-provider", "peer", "trusted-advisor"]


# ------------------------------------------------------------------ an independent walk


class Rank:
    """A level or rung name compared by its position on a scale."""

    def __init__(self, index: int, scale: list[str]) -> None:
        self.index, self.scale = index, scale

    def _i(self, other: Any) -> int:
        return other.index if isinstance(other, Rank) else self.scale.index(other)

    def __eq__(self, other: object) -> bool:
        return self.index == self._i(other)

    def __ne__(self, other: object) -> bool:
        return self.index != self._i(other)

    def __lt__(self, other: Any) -> bool:
        return self.index < self._i(other)

    def __le__(self, other: Any) -> bool:
        return self.index <= self._i(other)

    def __gt__(self, other: Any) -> bool:
        return self.index > self._i(other)

    def __ge__(self, other: Any) -> bool:
        return self.index >= self._i(other)

    __hash__ = None  # type: ignore[assignment]


def text(value: Any, lang: str, default: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang, value.get(default, next(iter(value.values())))))
    return str(value)


@dataclass
class Turn:
    node: str
    offered: list[dict[str, Any]]
    choice: dict[str, Any]
    trust_before: int
    trust_after: int = 0
    entered: list[str] = field(default_factory=list)
    rungs: list[tuple[str, str, bool, str | None]] = field(default_factory=list)


class Walk:
    """One play of a scenario file by the rules of the format, from the YAML alone."""

    def __init__(self, path: Path, lang: str = "en") -> None:
        self.doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = self.doc
        self.lang = lang
        self.default = doc.get("language", "en")
        self.fw_id = doc.get("framework", "sore")
        fw_path = path.parent / "frameworks" / f"{self.fw_id}.yaml"
        if not fw_path.is_file():
            fw_path = FRAMEWORKS / f"{self.fw_id}.yaml"
        self.fw = yaml.safe_load(fw_path.read_text(encoding="utf-8"))
        self.keys = [d["key"] for d in self.fw["dimensions"]]
        trust = doc.get("trust") or {}
        self.levels = list((trust.get("levels") or LEVELS).items())
        h = doc.get("hierarchy") or {}
        self.ladder = list(h.get("ladder") or LADDER)
        self.requires = dict(h.get("requires") or {})
        self.flag_names = self._flags()
        self.nodes: dict[str, Any] = doc["nodes"]
        for nid, node in self.nodes.items():
            for i, c in enumerate(node.get("choices") or [], start=1):
                c.setdefault("id", f"{nid}.{i}")
        self.trust = int(trust.get("start", 50))
        self.rung = h.get("start", self.ladder[1])
        self.flags: dict[str, Any] = {}
        self.visited: set[str] = set()
        self.chosen: set[str] = set()
        self.turns = 0
        self.history: list[Turn] = []
        self.opening_rungs: list[tuple[str, str, bool, str | None]] = []
        self.node = doc["start"]
        self._sink = self.opening_rungs
        self._enter(doc["start"], [])

    def _flags(self) -> set[str]:
        names: set[str] = set()
        for node in self.doc["nodes"].values():
            effs = [node.get("effects")] + [c.get("effects") for c in node.get("choices") or []]
            for e in effs:
                if e and e.get("set"):
                    names.update(e["set"])
        return names

    def level(self, trust: int | None = None) -> int:
        t = self.trust if trust is None else trust
        return max(i for i, (_, floor) in enumerate(self.levels) if t >= floor)

    def holds(self, cond: str | None) -> bool:
        if cond is None:
            return True
        env: dict[str, Any] = dict.fromkeys(self.flag_names, False)
        env.update(self.flags)
        env.update(
            true=True,
            false=False,
            trust=self.trust,
            turns=self.turns,
            trust_level=Rank(self.level(), [n for n, _ in self.levels]),
            hierarchy=Rank(self.ladder.index(self.rung), self.ladder),
            visited=lambda n: n in self.visited,
            chose=lambda c: c in self.chosen,
        )
        return bool(eval(cond, {"__builtins__": {}}, env))  # test oracle on our own fixture

    def offered(self) -> list[dict[str, Any]]:
        node = self.nodes[self.node]
        return [c for c in node.get("choices") or [] if self.holds(c.get("when"))]

    @property
    def ended(self) -> bool:
        return "ending" in self.nodes[self.node]

    def _apply(self, eff: dict[str, Any] | None) -> None:
        if not eff:
            return
        if eff.get("trust"):
            self.trust = min(100, max(0, self.trust + int(eff["trust"])))
        move = eff.get("hierarchy")
        if move is not None:
            cur = self.ladder.index(self.rung)
            target = (
                cur + 1 if move == "up" else cur - 1 if move == "down" else self.ladder.index(move)
            )
            if 0 <= target < len(self.ladder) and target != cur:
                dest = self.ladder[target]
                if self.holds(self.requires.get(dest)):
                    self._sink.append((self.rung, dest, False, None))
                    self.rung = dest
                else:
                    self._sink.append((self.rung, dest, True, self.requires[dest]))
        for k, v in (eff.get("set") or {}).items():
            self.flags[k] = v

    def _enter(self, nid: str, entered: list[str]) -> None:
        while True:
            self.node = nid
            node = self.nodes[nid]
            self.visited.add(nid)
            entered.append(nid)
            self._apply(node.get("effects"))
            if "ending" in node or "choices" in node:
                return
            for b in node["next"]:
                if self.holds(b.get("when")):
                    nid = b["to"]
                    break
            else:
                return

    def choose(self, cid: str) -> None:
        offered = self.offered()
        choice = next(c for c in offered if c["id"] == cid)
        turn = Turn(self.node, offered, choice, self.trust)
        self._sink = turn.rungs
        self.turns += 1
        self.chosen.add(cid)
        self._apply(choice.get("effects"))
        self._enter(choice["to"], turn.entered)
        turn.trust_after = self.trust
        self.history.append(turn)

    # helpers on the file
    def score(self, c: dict[str, Any], key: str) -> int:
        return int((c.get(self.fw_id) or {}).get(key, 0))

    def total(self, c: dict[str, Any]) -> int:
        return sum(self.score(c, k) for k in self.keys)

    def t(self, value: Any) -> str:
        return " ".join(text(value, self.lang, self.default).split())


def walk(path: Path, choices: list[str], lang: str = "en") -> Walk:
    w = Walk(path, lang)
    for c in choices:
        w.choose(c)
    return w


def expected_percent(earned: int, model: int, worst: int) -> int | None:
    """The rule documented in docs/scoring.md, written out again."""
    if model == worst:
        return None
    return min(100, math.floor(100 * (earned - worst) / (model - worst) + 0.5))


@cache
def all_plays(path: Path) -> tuple[tuple[tuple[str, ...], int, int, str], ...]:
    """Every complete play of a small acyclic file: (choices, total, final trust, ending)."""
    out: list[tuple[tuple[str, ...], int, int, str]] = []

    def go(prefix: list[str]) -> None:
        w = walk(path, prefix)
        if w.ended:
            total = sum(w.total(t.choice) for t in w.history)
            out.append((tuple(prefix), total, w.trust, w.node))
            return
        for c in w.offered():
            go([*prefix, c["id"]])

    go([])
    return tuple(out)


# ------------------------------------------------------------------ the checks


def check_debrief(
    path: Path, choices: list[str], lang: str = "en", explore: bool = True
) -> Debrief:
    """Build the debrief with the engine and check every figure against the walk."""
    sc = load_scenario(path)
    conv = Conversation.replay(sc, choices, lang=lang)
    d = debrief_for(conv, explore)
    w = walk(path, choices, lang)

    # the ending
    assert d.ended == w.ended
    if w.ended:
        end = w.nodes[w.node]["ending"]
        assert (d.ending, d.outcome) == (w.node, end["outcome"])
        assert d.ending_title == w.t(end["title"])

    # the model answer at each decision: the node's `model:` if offered, else the first
    # choice with the best (total, trust effect)
    def key(c: dict[str, Any]) -> tuple[int, int]:
        return (w.total(c), int((c.get("effects") or {}).get("trust", 0)))

    def model(t: Turn) -> dict[str, Any]:
        named = w.nodes[t.node].get("model")
        for c in t.offered:
            if c["id"] == named:
                return c
        return max(t.offered, key=key)

    # per dimension: what the player earned, what the model answer and the worst on offer
    # earn at the same decisions, and the percentage between them
    assert [x.key for x in d.dimensions] == w.keys
    for x in d.dimensions:
        total = sum(w.score(t.choice, x.key) for t in w.history)
        best = sum(w.score(model(t), x.key) for t in w.history)
        worst = sum(min(w.score(c, x.key) for c in t.offered) for t in w.history)
        assert (x.total, x.model, x.worst) == (total, best, worst), x.key
        assert x.percent == expected_percent(total, best, worst), x.key
        q = next(dim["question"] for dim in w.fw["dimensions"] if dim["key"] == x.key)
        assert x.question == text(q, lang, "en")
    total = sum(w.total(t.choice) for t in w.history)
    best = sum(w.total(model(t)) for t in w.history)
    worst = sum(min(w.total(c) for c in t.offered) for t in w.history)
    assert (d.total.total, d.total.model, d.total.worst) == (total, best, worst)
    assert d.total.percent == expected_percent(total, best, worst)

    # trust: the value after each turn; the swings are turns that changed the level or
    # the rung (or the endings within reach, or trust by 10 or more), in play order
    assert list(d.trust_trajectory) == [t.trust_after for t in w.history]
    assert d.trust_final == w.trust
    changed = [
        i + 1
        for i, t in enumerate(w.history)
        if w.level(t.trust_before) != w.level(t.trust_after) or any(not r[2] for r in t.rungs)
    ]
    listed = [s.turn for s in d.swings]
    assert listed == sorted(listed) and len(listed) <= 3
    assert set(changed[:3]) <= set(listed) or len(listed) == 3
    assert d.steady == (w.history != [] and listed == [])
    counterpart = next(k for k in w.doc["characters"] if k != "you")
    for s in d.swings:
        t = w.history[s.turn - 1]
        assert s.said == w.t(t.choice["text"])
        assert s.delta == t.trust_after - t.trust_before
        assert s.turn in changed or s.reach or s.blocked or abs(s.delta) >= 10

        # the counterpart's next line in what the answer led to; else whoever spoke next
        def speaker(n: str) -> str:
            return str(w.nodes[n].get("speaker", counterpart))

        said_next = [n for n in t.entered if speaker(n) == counterpart]
        said_next += [n for n in t.entered if speaker(n) != "you"]
        assert s.reaction == (w.t(w.nodes[said_next[0]]["text"]) if said_next else None)
        if said_next:
            name = w.doc["characters"][speaker(said_next[0])]["name"]
            assert s.reaction_speaker == text(name, lang, w.default)

    # the rung path, blocked climbs included
    rungs = [(0, *r) for r in w.opening_rungs] + [
        (i + 1, *r) for i, t in enumerate(w.history) for r in t.rungs
    ]
    assert [(m.turn, m.from_rung, m.to_rung, m.blocked, m.condition) for m in d.rung_path] == rungs

    # the road not taken: where the model answer earned more (or the author named it)
    roads = []
    for i, t in enumerate(w.history):
        alt = model(t)
        named = w.nodes[t.node].get("model") == alt["id"]
        if alt["id"] != t.choice["id"] and (named or key(alt) > key(t.choice)):
            fb = w.t(alt["feedback"]) if "feedback" in alt else None
            roads.append((i + 1, t.choice["id"], alt["id"], w.total(alt), fb))
    assert [
        (r.turn, r.chosen, r.better, r.better_total, r.feedback) for r in d.road_not_taken
    ] == roads
    return d


PLAYS_SORE = {
    "best-road": ["facts", "options", "advise"],
    "hedge": ["hedge", "options", "ask"],
    "cave-silent": ["cave", "silent"],
    "cave-back": ["cave", "retract", "ask"],
    "escalate": ["facts", "recommend", "escalate"],
    "climb": ["facts", "recommend", "advise"],
    "unfinished": ["facts", "blame"],
}


@pytest.mark.parametrize("name", list(PLAYS_SORE))
def test_fixture_debrief_matches_the_independent_walk(name: str) -> None:
    check_debrief(SORE, PLAYS_SORE[name])


@pytest.mark.parametrize(
    "choices", [["ask_goal", "explore", "commit"], ["fix_it", "judge", "take_over"]]
)
def test_grow_fixture_debrief_matches_the_independent_walk(choices: list[str]) -> None:
    d = check_debrief(GROW, choices)
    assert d.framework == "grow" and d.framework_name == "GROW"
    assert [x.label for x in d.dimensions] == ["Goal", "Reality", "Options", "Way forward"]


def test_the_numbers_worked_out_by_hand_for_the_best_road() -> None:
    """facts, options, advise: see the comments in tests/fixtures/feedback_sore.yaml.

    Model answers: t1 facts (+3), t2 recommend (+2, ties with options on total and wins on
    trust +10 against +5), t3 advise (+3). Worst on offer: t1 cave, t2 blame, t3 promise
    or escalate per dimension.
    """
    d = check_debrief(SORE, ["facts", "options", "advise"])
    got = {x.key: (x.total, x.model, x.worst, x.percent) for x in d.dimensions}
    assert got == {
        "situation": (2, 2, -3, 100),
        "options": (2, 0, 0, None),  # the model answers earn no options: nothing at stake
        "recommendation": (2, 4, -3, 71),  # (2 + 3) / (4 + 3)
        "engagement": (2, 2, -4, 100),
    }
    # the whole: the model answers earn 3 + 2 + 3 = 8, and so did this play
    assert (d.total.total, d.total.model, d.total.worst, d.total.percent) == (8, 8, -9, 100)
    # situation and engagement tie at 100%; engagement is further above the worst (6 > 5)
    assert d.strongest is not None and d.strongest.key == "engagement"
    assert d.weakest is not None and d.weakest.key == "recommendation"
    assert d.weakest.question.startswith("Did you step up and say what you advise")
    assert (d.trust_start, d.trust_trajectory, d.trust_final) == (50, (62, 67, 77), 77)
    # turn 1 changed the level and the rung; turn 3's climb was blocked; turn 2 (+5)
    # changed nothing and is not listed
    assert [(s.turn, s.delta, s.level, s.rung, s.blocked) for s in d.swings] == [
        (1, 12, "open", "peer", None),
        (3, 10, None, None, "trusted-advisor"),
    ]
    assert d.swings[0].reaction == "Go on."
    assert [(m.turn, m.to_rung, m.blocked, m.condition) for m in d.rung_path] == [
        (1, "peer", False, None),
        (3, "trusted-advisor", True, "trust >= 80"),
    ]
    [road] = d.road_not_taken
    assert (road.turn, road.chosen, road.better, road.better_trust) == (
        2,
        "options",
        "recommend",
        10,
    )
    assert road.feedback == "A clear recommendation, offered while she trusts you."
    # advise at trust 67 takes trust to 77 >= 70: only the success ending is left
    assert d.decisive is not None
    assert (d.decisive.kind, d.decisive.turn, d.decisive.choice) == ("locked_in", 3, "advise")
    # end_orphan is unreachable, so it is no reason to replay
    assert d.endings_not_reached == (
        "A plan, half-owned",
        "Lost her",
        "Testing cut, risk unspoken",
        "Escalated into a wall",
    )


def test_a_hidden_choice_is_never_the_model_answer() -> None:
    """hedge keeps trust at 50, so `recommend` (when trust >= 60) is not offered at t2."""
    d = check_debrief(SORE, ["hedge", "options", "ask"])
    rec = next(x for x in d.dimensions if x.key == "recommendation")
    assert (rec.total, rec.model) == (0, 2)  # only advise (+2) at t3; not recommend at t2
    assert [r.better for r in d.road_not_taken] == ["facts", "advise"]
    assert d.ending == "end_partial"


def test_percentages_when_the_play_took_the_worst_on_offer() -> None:
    """cave, silent: the worst on offer on every dimension, so 0% on each."""
    d = check_debrief(SORE, ["cave", "silent"])
    got = {x.key: (x.total, x.model, x.worst, x.percent) for x in d.dimensions}
    assert got == {
        "situation": (-1, 3, -1, 0),
        "options": (-1, 0, -1, 0),
        "recommendation": (-2, 0, -2, 0),
        "engagement": (-1, 1, -1, 0),
    }
    assert d.total.percent == 0
    # every dimension is equally low: neither a strongest nor a weakest is true
    assert d.strongest is None and d.weakest is None


def test_the_percent_rule_places_earned_between_worst_and_model() -> None:
    assert percent_of(0, 0, 0) is None  # nothing at stake
    assert percent_of(-2, -2, -2) is None
    assert percent_of(3, 0, 0) is None  # earned more, but the model aims elsewhere
    assert percent_of(-1, 0, -2) == 50
    assert percent_of(-3, 0, -3) == 0
    assert percent_of(1, 3, -1) == 50
    assert percent_of(2, 3, 0) == 67
    assert percent_of(-2, 2, -4) == 33  # a negative total is a place on the same scale
    assert percent_of(5, 3, 0) == 100  # above the model answer tops out at 100


def test_endings_not_reached_are_those_some_play_reaches() -> None:
    d = check_debrief(SORE, ["hedge", "options", "ask"])
    plays = all_plays(SORE)
    # every ending some play reaches, except this one, and never an unreachable one
    reached = {end for _, _, _, end in plays} - {"end_partial"}
    titles = {walk(SORE, []).t(SORE_DOC()["nodes"][e]["ending"]["title"]) for e in reached}
    assert set(d.endings_not_reached) == titles
    assert "A door nobody opens" not in d.endings_not_reached


def SORE_DOC() -> dict[str, Any]:  # noqa: N802
    return dict(yaml.safe_load(SORE.read_text()))


def test_the_debrief_speaks_the_players_language() -> None:
    d = check_debrief(SORE, ["facts", "options", "advise"], lang="nl")
    assert d.ending_title == "Een test die de datum beschermt"
    assert d.swings[0].said == "Laat me eerst de cijfers zien."
    assert d.road_not_taken[0].better_text == "Ik adviseer de gerichte cyclus."


def test_an_unfinished_play_is_labelled_and_has_no_ending() -> None:
    d = check_debrief(SORE, ["facts", "blame"])
    assert not d.ended and d.ending is None
    assert render_debrief_text(d).startswith("Debrief so far (the conversation has not ended)")


# ------------------------------------------------------------------ text and JSON


def test_the_debrief_text_fits_80_columns_and_says_what_happened() -> None:
    conv = Conversation.replay(load_scenario(SORE), ["facts", "options", "advise"])
    out = render_debrief_text(debrief_for(conv))
    assert max(len(line) for line in out.splitlines()) <= 80
    for words in [
        "Ending: A test that protects the date (success)",
        'The decisive moment\n  Turn 3 decided it: after you said "My advice: the focused',
        "  Dimension         You  Model      %",
        "  Options            +2     +0      -",
        "  Recommendation     +2     +4    71%",
        "  Total              +8     +8   100%",
        "Strongest: Engagement (100%)",
        "Weakest: Recommendation (71%)",
        "Trust (Dana): 50 -> 62 -> 67 -> 77 (final 77, open)",
        "Turns that changed things:",
        "  Turn 1, trust +12 (50 -> 62), Dana became open, you became peer: you said",
        'Dana: "Go on."',
        "turn 3: climb to trusted-advisor blocked. Dana was not ready",
        'You could have said "I recommend the focused cycle." (total +2, trust +10)',
        "Coach: A clear recommendation, offered while she trusts you.",
        "The model conversation (what you could have said, turn by turn):",
        "  Turn 2. Sam: I recommend the focused cycle.",
        "  - Escalated into a wall",
    ]:
        assert words in out, words
    assert "A door nobody opens" not in out
    assert "best possible" not in out  # the exhaustive figure is for authors only


def test_narrow_layout_keeps_every_line_within_the_width() -> None:
    conv = Conversation.replay(load_scenario(SORE), ["cave", "retract", "promise"])
    for width in (40, 60, 80):
        out = render_debrief_text(debrief_for(conv), width=width)
        assert max(len(line) for line in out.splitlines()) <= width, width


def test_play_json_has_every_part_of_the_debrief_under_debrief() -> None:
    out = parley("play", str(SORE), "--choices", "facts,options,advise", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data) == [
        "scenario",
        "ended",
        "ending",
        "outcome",
        "trust",
        "trust_level",
        "hierarchy",
        "flags",
        "turns",
        "scores",
        "path",
        "choices",
        "offered",
        "blocked",
        "seed",
        "shown",
        "debrief",
    ]
    d = data["debrief"]
    assert list(d) == [
        "ended",
        "ending",
        "decisive",
        "framework",
        "turns",
        "dimensions",
        "total",
        "strongest",
        "weakest",
        "trust",
        "hierarchy",
        "road_not_taken",
        "model_conversation",
        "endings_not_reached",
        "objectives",
        "reflection",
    ]
    assert d["ending"] == {
        "id": "end_good",
        "title": "A test that protects the date",
        "outcome": "success",
        "debrief": "The focused cycle catches two defects in time.",
    }
    assert d["decisive"]["kind"] == "locked_in" and d["decisive"]["turn"] == 3
    assert [(x["key"], x["total"], x["model"], x["percent"]) for x in d["dimensions"]] == [
        ("situation", 2, 2, 100),
        ("options", 2, 0, None),
        ("recommendation", 2, 4, 71),
        ("engagement", 2, 2, 100),
    ]
    assert d["total"] == {"total": 8, "model": 8, "worst": -9, "percent": 100}
    assert d["strongest"]["key"] == "engagement" and d["strongest"]["question"].endswith("?")
    assert d["weakest"]["key"] == "recommendation"
    assert d["trust"]["trajectory"] == [62, 67, 77]
    assert [s["delta"] for s in d["trust"]["swings"]] == [12, 10]
    assert d["trust"]["steady"] is False
    assert d["trust"]["swings"][0]["reaction"]["text"] == "Go on."
    assert d["hierarchy"]["path"][1] == {
        "turn": 3,
        "choice": "advise",
        "from": "peer",
        "to": "trusted-advisor",
        "direction": "up",
        "blocked": True,
        "condition": "trust >= 80",
    }
    assert d["road_not_taken"][0]["better"]["choice"] == "recommend"
    assert d["road_not_taken"][0]["better"]["feedback"].startswith("A clear recommendation")
    assert d["model_conversation"]["choices"] == ["facts", "recommend", "advise"]
    assert d["model_conversation"]["outcome"] == "success"
    assert "A door nobody opens" not in d["endings_not_reached"]


def test_play_json_of_an_unfinished_play_has_no_debrief() -> None:
    data = play_json(Conversation.replay(load_scenario(SORE), ["facts"]))
    assert "debrief" not in data and data["ended"] is False


# ------------------------------------------------------------------ bundled scenarios


def bundled(name: str) -> Path:
    path = bundled_dir() / f"{name}.yaml"
    if not path.is_file():
        pytest.fail(f"bundled scenario {name} is missing")
    return path


def some_plays(path: Path, n: int = 4) -> list[list[str]]:
    """A few complete plays chosen by the walk: always the first, last, or middle choice."""
    plays = []
    for pick in range(n):
        w = Walk(path)
        choices: list[str] = []
        while not w.ended and w.offered() and len(choices) < 60:
            offered = w.offered()
            c = offered[(0, -1, len(offered) // 2, (len(choices) % len(offered)))[pick]]
            w.choose(c["id"])
            choices.append(c["id"])
        plays.append(choices)
    return plays


@pytest.mark.parametrize("lang", ["en", "nl", "sv"])
def test_budget_cut_debriefs_match_the_walk_in_every_language(lang: str) -> None:
    path = bundled("budget-cut")
    for choices in some_plays(path):
        d = check_debrief(path, choices, lang=lang, explore=False)
        assert d.framework == "sore" and d.ended


def test_stuck_delivery_is_scored_on_grow_and_its_debriefs_match_the_walk() -> None:
    path = bundled("stuck-delivery")
    for choices in some_plays(path):
        d = check_debrief(path, choices, explore=False)
        assert d.framework == "grow"
        assert [x.key for x in d.dimensions] == ["goal", "reality", "options", "way_forward"]


@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.stem)
def test_every_bundled_scenario_debriefs_match_the_walk_and_fit_80_columns(path: Path) -> None:
    for choices in some_plays(path, 3):
        d = check_debrief(path, choices, explore=False)
        out = render_debrief_text(d)
        assert max(len(line) for line in out.splitlines()) <= 80


def test_a_steady_play_is_called_steady_instead_of_listing_small_changes() -> None:
    from engine.loader import load_scenario_text

    turn = {
        "text": "Go on.",
        "choices": [
            {"id": "a{}", "text": "Yes.", "effects": {"trust": 3}, "to": "{}"},
            {"id": "b{}", "text": "Hm.", "effects": {"trust": 2}, "to": "{}"},
        ],
    }
    nodes: dict[str, Any] = {}
    for i, nxt in enumerate(["n1", "n2", "end"]):
        node = yaml.safe_load(yaml.safe_dump(turn))
        for c in node["choices"]:
            c["id"] = c["id"].format(i)
            c["to"] = nxt
        nodes[f"n{i}"] = node
    nodes["end"] = {"text": "Bye.", "ending": {"outcome": "success", "title": "E", "debrief": "D"}}
    doc = {
        "format": 1,
        "id": "steady",
        "title": "Steady",
        "summary": "S",
        "characters": {"you": {"name": "Sam"}, "dana": {"name": "Dana"}},
        "trust": {"start": 45},
        "start": "n0",
        "nodes": nodes,
    }
    sc = load_scenario_text(yaml.safe_dump(doc, sort_keys=False), "steady.yaml")
    d = debrief_for(Conversation.replay(sc, ["a0", "b1", "a2"]))
    assert d.swings == () and d.steady
    text = render_debrief_text(d)
    assert "A steady play: no single answer changed Dana's trust level" in text
    assert "Turn 1, trust +3" not in text
