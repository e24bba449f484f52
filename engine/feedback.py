"""Coaching after each answer and the end-of-play debrief, as data (no UI here).

Two feedback modes (learning design: immediate feedback for novices, delayed for
experienced players):

- ``immediate``: after each answer the player sees its Coaching: the choice's feedback
  text, the framework scores it earned (signed), the trust change and any trust-level
  change ("Dana is now guarded"), and any move on the hierarchy ladder, made or blocked
  (with the `requires` condition that stopped it).
- ``debrief``: nothing until the end; then the Debrief.

The scenario's top-level ``feedback_mode`` is the default; the player overrides it
(``parley play --feedback``); see :func:`resolve_mode`.

The Debrief shows consequences rather than "right/wrong":

- per framework dimension: the player's total, and the best total achievable on the
  decisions the player actually faced (at each decision, the best score among the choices
  offered at that moment, i.e. whose ``when`` held), and a percentage;
- the strongest and the weakest dimension, each with the framework's question;
- the trust trajectory (trust after each turn), the three biggest swings (largest change
  first, ties to the earlier turn) with the player's line and the reaction: the first line
  the counterpart says in the nodes that answer led to, or, when the counterpart says
  nothing there, the first line anyone else says (named);
- the rung path including blocked climbs;
- the road not taken: each decision where an offered choice scored higher (framework
  total; ties broken by its trust effect), with that choice and its feedback;
- the endings not reached (titles only: a reason to replay);
- a comparison with the best possible play of the scenario (engine.explore).

Percentages (``DimensionResult.percent``, rounded to the nearest whole number, halves up):

- ``best > 0``: ``100 * total / best``, but never below 0: a negative total shows 0% (the
  signed total beside it shows how far below zero it went).
- ``best <= 0`` (no positive score was on offer in that dimension at any decision faced):
  the share of the avoidable loss the player avoided, ``100 * (total - worst) / (best -
  worst)``, where ``worst`` is the sum of the lowest offered scores; when ``best == worst``
  nothing was at stake and the percentage is 100. There is never a division by zero.

The total's best (worst) is the sum over the decisions faced of the highest (lowest)
framework total on offer there: the measure the road not taken uses, so a play that took
the top-scoring answer at every decision scores 100%.

Strongest and weakest: the dimensions at stake (``best != worst``) ranked by
(percent, total), ties to the first in the framework's order. ``strongest`` is None when
no dimension is at stake or none reached above 0% with a positive total; ``weakest`` is None when it would be
the strongest dimension itself or when it reached 100% (nothing left to improve).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from engine.conversation import Conversation
from engine.errors import ParleyError
from engine.events import BlockedMove, Event, RungChanged, Step
from engine.messages import outcome_word, t
from engine.model import Choice, Scenario, Text

if TYPE_CHECKING:
    from engine.explore import Exploration

FeedbackMode = Literal["immediate", "debrief"]
FEEDBACK_MODES: tuple[FeedbackMode, ...] = ("immediate", "debrief")
SWING_COUNT = 3
EXPLORE_MAX_STATES = 200_000


def resolve_mode(scenario: Scenario, override: str | None = None) -> FeedbackMode:
    """The feedback mode of a play: the player's override, else the scenario's default."""
    if override is None:
        return scenario.feedback_mode
    if override not in FEEDBACK_MODES:
        raise ParleyError(
            f"feedback mode '{override}' is not one of: {', '.join(FEEDBACK_MODES)}",
            hint="use --feedback immediate (coaching after each answer) or "
            "--feedback debrief (only the debrief at the end)",
        )
    return override


# ---------------------------------------------------------------- small parts


@dataclass(frozen=True, slots=True)
class ScoreEarned:
    """One framework dimension's score for one choice (signed, -2..2)."""

    key: str
    label: str
    value: int

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "value": self.value}


@dataclass(frozen=True, slots=True)
class RungNote:
    """One move on the hierarchy ladder: made, or blocked by the rung's `requires`."""

    turn: int  # 0 = before the first answer (the opening node's effects)
    choice: str | None  # the choice that caused it (None for a node's own effects)
    from_rung: str
    to_rung: str
    up: bool  # toward the top of the ladder
    blocked: bool
    condition: str | None  # for a blocked move: the condition that stopped it

    def text(self, lang: str | None = None) -> str:
        """The move in words, in `lang` (English by default)."""
        if self.blocked:
            return t("coach.rung_blocked", lang, rung=self.to_rung, condition=self.condition)
        key = "coach.rung_up" if self.up else "coach.rung_down"
        return t(key, lang, before=self.from_rung, after=self.to_rung)

    def as_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "choice": self.choice,
            "from": self.from_rung,
            "to": self.to_rung,
            "direction": "up" if self.up else "down",
            "blocked": self.blocked,
            "condition": self.condition,
        }


def _rung_notes(scenario: Scenario, turn: int, events: Iterable[Event]) -> list[RungNote]:
    ladder = scenario.ladder
    out: list[RungNote] = []
    for ev in events:
        if isinstance(ev, RungChanged):
            up = ladder.index(ev.after) > ladder.index(ev.before)
            out.append(RungNote(turn, None, ev.before, ev.after, up, False, None))
        elif isinstance(ev, BlockedMove):
            up = ladder.index(ev.to_rung) > ladder.index(ev.from_rung)
            out.append(RungNote(turn, ev.choice, ev.from_rung, ev.to_rung, up, True, ev.condition))
    return out


def _signed(value: int) -> str:
    return f"{value:+d}"


# ---------------------------------------------------------------- coaching


@dataclass(frozen=True, slots=True)
class Coaching:
    """What the player learns right after one answer (shown in `immediate` mode)."""

    turn: int
    node: str
    choice: str
    said: Text  # the player's line
    feedback: Text | None  # the choice's coaching text
    scored: bool  # the choice carries framework scores
    scores: tuple[ScoreEarned, ...]  # every framework dimension, in framework order
    trust_before: int
    trust_after: int
    level_before: str
    level_after: str
    counterpart: str  # the counterpart's name
    rung_before: str
    rung_after: str
    rung_moves: tuple[RungNote, ...]  # moves made and blocked, in order
    lang: str

    @property
    def trust_delta(self) -> int:
        return self.trust_after - self.trust_before

    @property
    def level_change(self) -> str | None:
        """'Dana is now guarded' when the trust level changed, else None (English: JSON)."""
        return self.level_change_text("en")

    def level_change_text(self, lang: str | None = None) -> str | None:
        """The trust level change in `lang` (default: the play's), or None."""
        if self.level_after == self.level_before:
            return None
        return t(
            "coach.level_change", lang or self.lang, who=self.counterpart, level=self.level_after
        )

    @property
    def earned(self) -> tuple[ScoreEarned, ...]:
        """The dimensions this choice moved (non-zero scores)."""
        return tuple(s for s in self.scores if s.value != 0)

    @property
    def total(self) -> int:
        return sum(s.value for s in self.scores)

    def feedback_text(self, lang: str | None = None) -> str | None:
        return None if self.feedback is None else self.feedback.get(lang or self.lang)

    def score_line(self, lang: str | None = None) -> str | None:
        """'Situation +2, Engagement +1', or None when the choice is not scored."""
        if not self.scored:
            return None
        earned = self.earned
        if not earned:
            return t("coach.no_dimension_moved", lang or self.lang)
        return ", ".join(f"{s.label} {_signed(s.value)}" for s in earned)

    def trust_line(self, lang: str | None = None) -> str:
        """The trust change and any level change, in `lang` (default: the play's)."""
        lang = lang or self.lang
        if self.trust_delta == 0:
            line = t("coach.trust_unchanged", lang, trust=self.trust_after)
        else:
            line = t(
                "coach.trust_changed",
                lang,
                delta=_signed(self.trust_delta),
                before=self.trust_before,
                after=self.trust_after,
            )
        change = self.level_change_text(lang)
        return f"{line}; {change}." if change else f"{line}."

    def lines(self, lang: str | None = None) -> list[str]:
        """The coaching as logical lines (not wrapped): feedback, scores, trust, ladder.

        Parley's own words follow `lang` too (default: the play's language).
        """
        lang = lang or self.lang
        out: list[str] = []
        fb = self.feedback_text(lang)
        if fb:
            out.append(t("coach.feedback", lang, text=_flat(fb)))
        scores = self.score_line(lang)
        if scores is not None:
            out.append(t("coach.scores", lang, scores=scores))
        out.append(self.trust_line(lang))
        out.extend(m.text(lang) for m in self.rung_moves)
        return out

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        return {
            "turn": self.turn,
            "node": self.node,
            "choice": self.choice,
            "said": self.said.get(lang),
            "feedback": self.feedback_text(lang),
            "scores": {s.key: s.value for s in self.scores} if self.scored else {},
            "trust": {
                "before": self.trust_before,
                "after": self.trust_after,
                "delta": self.trust_delta,
            },
            "level": {
                "before": self.level_before,
                "after": self.level_after,
                "change": self.level_change,
            },
            "hierarchy": {
                "before": self.rung_before,
                "after": self.rung_after,
                "moves": [m.as_dict() for m in self.rung_moves],
            },
        }


def coaching_for(conv: Conversation, step: Step) -> Coaching:
    """The coaching for one answer of `conv` (a Step it returned or from conv.history)."""
    sc = conv.scenario
    choice = sc.choices.get(step.choice)
    said = choice.text if choice is not None else Text({conv.lang: step.choice}, conv.lang)
    fw = sc.framework
    scores = tuple(
        ScoreEarned(d.key, d.label.get(conv.lang), int(step.scores.get(d.key, 0)))
        for d in fw.dimensions
    )
    notes = _rung_notes(sc, step.turn, step.events)
    notes = [RungNote(n.turn, n.choice or step.choice, *_rest(n)) for n in notes]
    return Coaching(
        turn=step.turn,
        node=step.node,
        choice=step.choice,
        said=said,
        feedback=choice.feedback if choice is not None else None,
        scored=choice.has_scores if choice is not None else False,
        scores=scores,
        trust_before=step.trust_before,
        trust_after=step.trust_after,
        level_before=step.level_before,
        level_after=step.level_after,
        counterpart=sc.speaker_name(sc.counterpart, conv.lang),
        rung_before=step.rung_before,
        rung_after=step.rung_after,
        rung_moves=tuple(notes),
        lang=conv.lang,
    )


def _rest(n: RungNote) -> tuple[str, str, bool, bool, str | None]:
    return (n.from_rung, n.to_rung, n.up, n.blocked, n.condition)


# ---------------------------------------------------------------- debrief parts


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """One framework dimension over a whole play."""

    key: str
    label: str
    question: str
    total: int  # the player's total
    best: int  # best achievable on the decisions faced (sum of the best offered score)
    worst: int  # worst achievable on the decisions faced (sum of the lowest offered score)
    percent: int  # see the module docstring

    @property
    def at_stake(self) -> bool:
        """Some decision offered different scores on this dimension."""
        return self.best != self.worst

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "question": self.question,
            "total": self.total,
            "best": self.best,
            "worst": self.worst,
            "percent": self.percent,
            "at_stake": self.at_stake,
        }


def percent_of(total: int, best: int, worst: int) -> int:
    """The documented percentage (module docstring); never divides by zero."""
    if best > 0:
        ratio = max(0.0, 100 * total / best)
    elif best == worst:
        return 100
    else:
        ratio = 100 * (total - worst) / (best - worst)
    return math.floor(ratio + 0.5)


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
    trust_level: str
    swings: tuple[Swing, ...]  # biggest first
    rung_start: str
    rung_final: str
    rung_path: tuple[RungNote, ...]  # moves made and blocked, in order
    road_not_taken: tuple[RoadNotTaken, ...]
    endings_not_reached: tuple[str, ...]  # titles
    comparison: Comparison | None  # None when the explorer is not available

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
    return pick.id, sc.speaker_name(pick.speaker, conv.lang), _flat(pick.text.get(conv.lang))


def _ranked(
    dims: Sequence[DimensionResult],
) -> tuple[DimensionResult | None, DimensionResult | None]:
    stake = [d for d in dims if d.at_stake]
    if not stake:
        return None, None
    strongest = stake[0]
    for d in stake[1:]:
        if (d.percent, d.total) > (strongest.percent, strongest.total):
            strongest = d
    weakest = stake[0]
    for d in stake[1:]:
        if (d.percent, d.total) < (weakest.percent, weakest.total):
            weakest = d
    top = strongest if strongest.percent > 0 and strongest.total > 0 else None
    if weakest is strongest or weakest.percent >= 100:
        return top, None
    return top, weakest


_EXPLORED: dict[tuple[str, str, str], Exploration | None] = {}


def _exploration(scenario: Scenario) -> Exploration | None:
    """engine.explore's result for `scenario` (cached), or None when it is not available."""
    key = (scenario.id, scenario.content_hash, str(scenario.path))
    if key in _EXPLORED:
        return _EXPLORED[key]
    try:
        from engine.explore import explore
    except ImportError:
        return None
    try:
        result: Exploration | None = explore(scenario, max_states=EXPLORE_MAX_STATES)
    except ParleyError:  # e.g. an automatic loop: the debrief still shows, without comparison
        result = None
    if len(_EXPLORED) > 32:
        _EXPLORED.clear()
    _EXPLORED[key] = result
    return result


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


def build_debrief(conv: Conversation, explore: bool = True) -> Debrief:
    """The debrief of `conv` (normally an ended play; works on any play, `ended` says which).

    `explore=False` skips the comparison with the best possible play (engine.explore).
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
    strongest, weakest = _ranked(dims)

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
                said=_flat(choice.text.get(lang)) if choice is not None else step.choice,
                delta=step.trust_delta,
                trust_before=step.trust_before,
                trust_after=step.trust_after,
                reaction_node=node_id,
                reaction_speaker=speaker,
                reaction=text,
            )
        )

    # hierarchy
    rung_path = _rung_notes(sc, 0, conv.opening)
    for step in history:
        notes = _rung_notes(sc, step.turn, step.events)
        rung_path += [RungNote(n.turn, n.choice or step.choice, *_rest(n)) for n in notes]

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
                chosen_text=_flat(made.text.get(lang)),
                chosen_total=made.total,
                chosen_trust=made.effects.trust,
                better=alt.id,
                better_text=_flat(alt.text.get(lang)),
                better_total=alt.total,
                better_trust=alt.effects.trust,
                better_scores=tuple(
                    ScoreEarned(d.key, d.label.get(lang), alt.scores.get(d.key, 0))
                    for d in fw.dimensions
                ),
                feedback=_flat(alt.feedback.get(lang)) if alt.feedback is not None else None,
            )
        )

    # endings not reached, and the best possible play
    ex = _exploration(sc) if explore else None
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
        title = _flat(node.ending.title.get(lang))
        if title not in titles:
            titles.append(title)

    ending = conv.ending
    return Debrief(
        scenario=sc.id,
        title=_flat(sc.title.get(lang)),
        lang=lang,
        framework=fw.id,
        framework_name=fw.name.get(lang),
        ended=conv.ended,
        ending=reached,
        ending_title=_flat(ending.title.get(lang)) if ending else None,
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
        swings=tuple(swings),
        rung_start=sc.hierarchy_start,
        rung_final=conv.rung,
        rung_path=tuple(rung_path),
        road_not_taken=tuple(roads),
        endings_not_reached=tuple(titles),
        comparison=_comparison(conv, ex),
    )


# ---------------------------------------------------------------- text layout


def _flat(text: str) -> str:
    """One paragraph on one line (YAML block scalars keep newlines)."""
    return " ".join(text.split())


def wrap(text: str, width: int = 80, indent: str = "", hang: str | None = None) -> list[str]:
    """Wrap text to `width` columns; paragraphs (blank-line separated) are kept apart."""
    hang = indent if hang is None else hang
    width = max(width, len(hang) + 10, len(indent) + 10)
    paragraphs = [p for p in text.strip().split("\n\n")] if text.strip() else [""]
    out: list[str] = []
    for i, para in enumerate(paragraphs):
        words = " ".join(para.split())
        lines = textwrap.wrap(
            words,
            width=width,
            initial_indent=indent if i == 0 else hang,
            subsequent_indent=hang,
            break_on_hyphens=False,
        )
        out.extend(lines or [indent.rstrip()])
    return out


def _pct(value: int) -> str:
    return f"{value}%"


def render_debrief_text(d: Debrief, width: int = 80) -> str:
    """The debrief laid out for a terminal: no line longer than `width`, in `d.lang`."""
    lang = d.lang
    out: list[str] = []

    def para(text: str, indent: str = "", hang: str | None = None) -> None:
        out.extend(wrap(text, width, indent, hang))

    head = "debrief.head" if d.ended else "debrief.head_unfinished"
    para(t(head, lang, title=d.title))
    out.append("=" * min(width, max(len(line) for line in out)))
    if d.ended and d.ending_title is not None:
        outcome = outcome_word(d.outcome or "", lang)
        para(t("debrief.ending", lang, title=d.ending_title, outcome=outcome))
        if d.ending_debrief:
            para(d.ending_debrief, "  ")
    out.append("")

    # scores
    para(t("debrief.scores_intro", lang, framework=d.framework_name))
    header, total_label = t("debrief.col_dimension", lang), t("debrief.total", lang)
    label_w = max([len(x.label) for x in d.dimensions] + [len(header), len(total_label)])
    label_w = max(5, min(label_w, width - 25))
    rows: list[tuple[str, str, str, str]] = [
        (header, t("debrief.col_you", lang), t("debrief.col_best", lang), "%")
    ]
    rows += [(x.label, _signed(x.total), _signed(x.best), _pct(x.percent)) for x in d.dimensions]
    rows.append((total_label, _signed(d.total), _signed(d.best), _pct(d.percent)))
    for label, total, best, percent in rows:
        name = label if len(label) <= label_w else label[: label_w - 3] + "..."
        out.append(f"  {name:<{label_w}}  {total:>5}  {best:>5}  {percent:>5}")
    out.append("")
    if d.strongest is not None:
        s = d.strongest
        para(t("debrief.strongest", lang, label=s.label, percent=_pct(s.percent)))
        para(s.question, "  ")
    if d.weakest is not None:
        w = d.weakest
        para(t("debrief.weakest", lang, label=w.label, percent=_pct(w.percent)))
        para(w.question, "  ")
    elif d.strongest is not None and all(x.percent >= 100 for x in d.dimensions if x.at_stake):
        para(t("debrief.weakest_none", lang))
    if d.strongest is not None or d.weakest is not None:
        out.append("")

    # trust
    journey = " -> ".join(str(v) for v in (d.trust_start, *d.trust_trajectory))
    para(
        t(
            "debrief.trust",
            lang,
            who=d.counterpart,
            journey=journey,
            final=d.trust_final,
            level=d.trust_level,
        ),
        "",
        "  ",
    )
    if d.swings:
        out.append(t("debrief.swings", lang))
        for sw in d.swings:
            para(
                t(
                    "debrief.swing",
                    lang,
                    turn=sw.turn,
                    delta=_signed(sw.delta),
                    before=sw.trust_before,
                    after=sw.trust_after,
                    said=sw.said,
                ),
                "  ",
                "    ",
            )
            if sw.reaction is not None:
                para(f'{sw.reaction_speaker}: "{sw.reaction}"', "    ", "      ")
    out.append("")

    # hierarchy
    if d.rung_path:
        para(t("debrief.hierarchy", lang, start=d.rung_start, final=d.rung_final))
        for m in d.rung_path:
            if m.turn == 0:
                when = t("debrief.before_you_spoke", lang)
            else:
                when = t("debrief.at_turn", lang, turn=m.turn)
            if m.blocked:
                text = t(
                    "debrief.rung_blocked", lang, when=when, rung=m.to_rung, condition=m.condition
                )
            else:
                text = f"{when}: {m.from_rung} -> {m.to_rung}"
            para(text, "  ", "    ")
    else:
        para(t("debrief.hierarchy_stayed", lang, rung=d.rung_final))
    out.append("")

    # road not taken
    if d.road_not_taken:
        out.append(t("debrief.road", lang))
        for r in d.road_not_taken:
            para(
                t(
                    "debrief.road_said",
                    lang,
                    turn=r.turn,
                    text=r.chosen_text,
                    total=_signed(r.chosen_total),
                    trust=_signed(r.chosen_trust),
                ),
                "  ",
                "    ",
            )
            para(
                t(
                    "debrief.road_could",
                    lang,
                    text=r.better_text,
                    total=_signed(r.better_total),
                    trust=_signed(r.better_trust),
                ),
                "    ",
                "      ",
            )
            if r.feedback:
                para(t("coach.feedback", lang, text=r.feedback), "    ", "      ")
    else:
        para(t("debrief.road_none", lang))
    out.append("")

    # endings not reached
    if d.endings_not_reached:
        para(t("debrief.endings_missed", lang))
        for title in d.endings_not_reached:
            para(title, "  - ", "    ")
        out.append("")

    # comparison
    c = d.comparison
    if c is not None and (c.best_total is not None or c.best_unbounded):
        para(t("debrief.compare" if c.complete else "debrief.compare_incomplete", lang))
        if c.best_total is not None:
            best_text = t("debrief.best_possible", lang, total=_signed(c.best_total))
        else:
            best_text = t("debrief.best_unbounded", lang)
        para(
            t("debrief.framework_total", lang, yours=_signed(c.your_total), best=best_text),
            "  ",
            "    ",
        )
        if c.best_total is not None:
            para(t("debrief.best_note", lang), "  ", "    ")
        if c.best_final_trust is not None:
            para(
                t("debrief.final_trust", lang, yours=c.your_final_trust, best=c.best_final_trust),
                "  ",
                "    ",
            )
        out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
