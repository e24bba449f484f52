"""The end-of-play debrief as data: what happened, and what it teaches (no UI here).

The caller passes in the exploration of the scenario (engine.explore) when it wants the
comparison with the best possible play and the endings that can still be reached.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.conversation import Conversation
from engine.events import Step
from engine.explore import Exploration
from engine.feedback.coaching import RungNote, ScoreEarned, rung_notes
from engine.feedback.layout import flat
from engine.feedback.scoring import DimensionResult, percent_of, ranked
from engine.model import Choice

SWING_COUNT = 3


@dataclass(frozen=True, slots=True)
class Swing:
    """One of the biggest trust changes of the play."""

    turn: int
    choice: str
    said: str  # the player's line
    delta: int
    trust_before: int
    trust_after: int
    reaction_node: str | None
    reaction_speaker: str | None  # name
    reaction: str | None  # what the counterpart said next

    def as_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "choice": self.choice,
            "said": self.said,
            "delta": self.delta,
            "trust_before": self.trust_before,
            "trust_after": self.trust_after,
            "reaction": None
            if self.reaction is None
            else {
                "node": self.reaction_node,
                "speaker": self.reaction_speaker,
                "text": self.reaction,
            },
        }


@dataclass(frozen=True, slots=True)
class RoadNotTaken:
    """A decision where an offered choice scored higher than the one made."""

    turn: int
    node: str
    chosen: str
    chosen_text: str
    chosen_total: int
    chosen_trust: int  # the choice's own trust effect
    better: str
    better_text: str
    better_total: int
    better_trust: int
    better_scores: tuple[ScoreEarned, ...]
    feedback: str | None  # the better choice's feedback

    def as_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "node": self.node,
            "chosen": {
                "choice": self.chosen,
                "text": self.chosen_text,
                "total": self.chosen_total,
                "trust": self.chosen_trust,
            },
            "better": {
                "choice": self.better,
                "text": self.better_text,
                "total": self.better_total,
                "trust": self.better_trust,
                "scores": {s.key: s.value for s in self.better_scores},
                "feedback": self.feedback,
            },
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """This play beside the best possible play of the scenario (from engine.explore)."""

    your_total: int
    best_total: int | None  # best framework total any play reaches (None: unbounded/none)
    best_unbounded: bool  # a loop in the scenario can raise the total without limit
    your_final_trust: int
    best_final_trust: int | None  # final trust of the best play
    best_play: tuple[str, ...]  # choice ids of one play reaching best_total
    complete: bool  # the exploration saw every reachable state
    states: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "your_total": self.your_total,
            "best_total": self.best_total,
            "best_unbounded": self.best_unbounded,
            "your_final_trust": self.your_final_trust,
            "best_final_trust": self.best_final_trust,
            "best_play": list(self.best_play),
            "complete": self.complete,
            "states": self.states,
        }


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything the end-of-play debrief shows, as data (texts in `lang`)."""

    scenario: str
    title: str
    lang: str
    framework: str  # framework id
    framework_name: str
    ended: bool
    ending: str | None  # ending node id
    ending_title: str | None
    outcome: str | None
    ending_debrief: str | None
    turns: int
    dimensions: tuple[DimensionResult, ...]
    total: int  # framework total of the play
    best: int  # best total achievable on the decisions faced
    worst: int
    percent: int
    strongest: DimensionResult | None
    weakest: DimensionResult | None
    counterpart: str  # name
    trust_start: int  # trust when the first answer was given
    trust_trajectory: tuple[int, ...]  # trust after each turn
    trust_final: int
    trust_level: str  # the level's id (JSON)
    trust_level_name: str  # the name a player reads, in `lang`
    swings: tuple[Swing, ...]  # biggest first
    rung_start: str  # ids (JSON); the names a player reads are in rung_names
    rung_final: str
    rung_path: tuple[RungNote, ...]  # moves made and blocked, in order
    road_not_taken: tuple[RoadNotTaken, ...]
    endings_not_reached: tuple[str, ...]  # titles
    comparison: Comparison | None  # None when the explorer is not available
    rung_names: Mapping[str, str] = field(default_factory=dict)  # rung id -> name, in `lang`

    def rung_name(self, rung: str) -> str:
        """The name a player reads for `rung`, in `lang`."""
        return self.rung_names.get(rung, rung)

    def as_dict(self) -> dict[str, Any]:
        """The `debrief` object of `parley play --json`."""

        def dim(d: DimensionResult | None) -> dict[str, Any] | None:
            return None if d is None else d.as_dict()

        return {
            "ended": self.ended,
            "ending": None
            if self.ending is None
            else {
                "id": self.ending,
                "title": self.ending_title,
                "outcome": self.outcome,
                "debrief": self.ending_debrief,
            },
            "framework": {"id": self.framework, "name": self.framework_name},
            "turns": self.turns,
            "dimensions": [d.as_dict() for d in self.dimensions],
            "total": {
                "total": self.total,
                "best": self.best,
                "worst": self.worst,
                "percent": self.percent,
            },
            "strongest": dim(self.strongest),
            "weakest": dim(self.weakest),
            "trust": {
                "start": self.trust_start,
                "trajectory": list(self.trust_trajectory),
                "final": self.trust_final,
                "level": self.trust_level,
                "swings": [s.as_dict() for s in self.swings],
            },
            "hierarchy": {
                "start": self.rung_start,
                "final": self.rung_final,
                "path": [m.as_dict() for m in self.rung_path],
            },
            "road_not_taken": [r.as_dict() for r in self.road_not_taken],
            "endings_not_reached": list(self.endings_not_reached),
            "best_possible": None if self.comparison is None else self.comparison.as_dict(),
        }


# ---------------------------------------------------------------- building the debrief


def offered_at_each_turn(conv: Conversation) -> list[list[Choice]]:
    """The choices offered at each decision of `conv` (each Step records them)."""
    choices = conv.scenario.choices
    return [[choices[cid] for cid in step.offered] for step in conv.history]


def _choice_key(c: Choice) -> tuple[int, int]:
    return (c.total, c.effects.trust)


def _reaction(conv: Conversation, step: Step) -> tuple[str | None, str | None, str | None]:
    """The first line the counterpart says after this answer: node id, speaker, text."""
    sc = conv.scenario
    nodes = [sc.nodes[n] for n in step.entered]
    pick = next((n for n in nodes if n.speaker == sc.counterpart), None)
    if pick is None:
        pick = next((n for n in nodes if n.speaker != "you"), None)
    if pick is None:
        return None, None, None
    return pick.id, sc.speaker_name(pick.speaker, conv.lang), flat(pick.text.get(conv.lang))


def _comparison(conv: Conversation, ex: Exploration | None) -> Comparison | None:
    if ex is None:
        return None
    return Comparison(
        your_total=sum(conv.scores.values()),
        best_total=ex.best_total,
        best_unbounded="total" in ex.best_unbounded,
        your_final_trust=conv.trust,
        best_final_trust=ex.best_final_trust,
        best_play=tuple(ex.best_play),
        complete=ex.complete,
        states=ex.states,
    )


def build_debrief(conv: Conversation, exploration: Exploration | None = None) -> Debrief:
    """The debrief of `conv` (normally an ended play; works on any play, `ended` says which).

    `exploration` is `engine.explore.explore(conv.scenario)` (the caller runs it, and may
    keep it for the next play); without it the debrief has no comparison with the best
    possible play and lists every ending not reached.
    """
    sc = conv.scenario
    lang = conv.lang
    fw = sc.framework
    offered = offered_at_each_turn(conv)

    # per dimension: total, best and worst achievable on the decisions faced
    best = dict.fromkeys(fw.keys, 0)
    worst = dict.fromkeys(fw.keys, 0)
    for choices in offered:
        for key in fw.keys:
            values = [c.scores.get(key, 0) for c in choices]
            best[key] += max(values, default=0)
            worst[key] += min(values, default=0)
    dims = tuple(
        DimensionResult(
            key=d.key,
            label=d.label.get(lang),
            question=d.question.get(lang),
            total=conv.scores.get(d.key, 0),
            best=best[d.key],
            worst=worst[d.key],
            percent=percent_of(conv.scores.get(d.key, 0), best[d.key], worst[d.key]),
        )
        for d in fw.dimensions
    )
    total = sum(d.total for d in dims)
    # the whole: the best (worst) framework total on offer at each decision, summed; the
    # same measure as the road not taken, so picking the top answer every time is 100%
    best_sum = sum(max((c.total for c in choices), default=0) for choices in offered)
    worst_sum = sum(min((c.total for c in choices), default=0) for choices in offered)
    strongest, weakest = ranked(dims)

    # trust
    history = conv.history
    trust_start = history[0].trust_before if history else conv.trust
    trajectory = tuple(s.trust_after for s in history)
    swings: list[Swing] = []
    for step in sorted(
        (s for s in history if s.trust_delta != 0), key=lambda s: (-abs(s.trust_delta), s.turn)
    )[:SWING_COUNT]:
        choice = sc.choices.get(step.choice)
        node_id, speaker, text = _reaction(conv, step)
        swings.append(
            Swing(
                turn=step.turn,
                choice=step.choice,
                said=flat(choice.text.get(lang)) if choice is not None else step.choice,
                delta=step.trust_delta,
                trust_before=step.trust_before,
                trust_after=step.trust_after,
                reaction_node=node_id,
                reaction_speaker=speaker,
                reaction=text,
            )
        )

    # hierarchy
    rung_path = rung_notes(sc, 0, conv.opening)
    for step in history:
        rung_path += rung_notes(sc, step.turn, step.events, step.choice)

    # the road not taken
    roads: list[RoadNotTaken] = []
    for step, choices in zip(history, offered, strict=True):
        made = sc.choices[step.choice]
        others = [c for c in choices if c.id != made.id]
        if not others:
            continue
        alt = max(others, key=_choice_key)
        if _choice_key(alt) <= _choice_key(made):
            continue
        roads.append(
            RoadNotTaken(
                turn=step.turn,
                node=step.node,
                chosen=made.id,
                chosen_text=flat(made.text.get(lang)),
                chosen_total=made.total,
                chosen_trust=made.effects.trust,
                better=alt.id,
                better_text=flat(alt.text.get(lang)),
                better_total=alt.total,
                better_trust=alt.effects.trust,
                better_scores=tuple(
                    ScoreEarned(d.key, d.label.get(lang), alt.scores.get(d.key, 0))
                    for d in fw.dimensions
                ),
                feedback=flat(alt.feedback.get(lang)) if alt.feedback is not None else None,
            )
        )

    # endings not reached, and the best possible play
    ex = exploration
    reachable: frozenset[str] | None = None
    if ex is not None and ex.complete:
        reachable = ex.endings_reachable
    reached = conv.node.id if conv.ended else None
    titles: list[str] = []
    for node in sc.endings:
        if node.id == reached or node.ending is None:
            continue
        if reachable is not None and node.id not in reachable:
            continue
        title = flat(node.ending.title.get(lang))
        if title not in titles:
            titles.append(title)

    ending = conv.ending
    return Debrief(
        scenario=sc.id,
        title=flat(sc.title.get(lang)),
        lang=lang,
        framework=fw.id,
        framework_name=fw.name.get(lang),
        ended=conv.ended,
        ending=reached,
        ending_title=flat(ending.title.get(lang)) if ending else None,
        outcome=ending.outcome if ending else None,
        ending_debrief=ending.debrief.get(lang).strip() if ending else None,
        turns=conv.turns,
        dimensions=dims,
        total=total,
        best=best_sum,
        worst=worst_sum,
        percent=percent_of(total, best_sum, worst_sum),
        strongest=strongest,
        weakest=weakest,
        counterpart=sc.speaker_name(sc.counterpart, lang),
        trust_start=trust_start,
        trust_trajectory=trajectory,
        trust_final=conv.trust,
        trust_level=conv.trust_level,
        trust_level_name=sc.level_label(conv.trust_level, lang),
        swings=tuple(swings),
        rung_start=sc.hierarchy_start,
        rung_final=conv.rung,
        rung_path=tuple(rung_path),
        road_not_taken=tuple(roads),
        endings_not_reached=tuple(titles),
        comparison=_comparison(conv, ex),
        rung_names={r: sc.rung_label(r, lang) for r in sc.ladder},
    )
