"""Coaching: what the player learns right after one answer (shown in `immediate` mode).

The choice's feedback text, the framework scores it earned (signed), the trust change and
any trust-level change ("Dana is now guarded"), and any move on the hierarchy ladder,
made or blocked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from engine.conversation import Conversation
from engine.events import BlockedMove, Event, RungChanged, Step
from engine.feedback.layout import flat, signed
from engine.learning import blocked_why
from engine.messages import t
from engine.model import Scenario, Text


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
    condition: str | None  # for a blocked move: the condition that stopped it (authors only)
    scenario: Scenario = field(compare=False, repr=False)  # for the words a player reads

    def rung_name(self, rung: str, lang: str | None = None) -> str:
        return self.scenario.rung_label(rung, lang)

    def why(self, lang: str | None = None) -> str:
        """Why a blocked climb did not happen, in the scenario's words (no condition text)."""
        return blocked_why(self.scenario, self.to_rung, lang)

    def text(self, lang: str | None = None) -> str:
        """The move in words, in `lang` (English by default)."""
        to = self.rung_name(self.to_rung, lang)
        if self.blocked:
            return t("coach.rung_blocked", lang, rung=to, why=self.why(lang))
        key = "coach.rung_up" if self.up else "coach.rung_down"
        return t(key, lang, before=self.rung_name(self.from_rung, lang), after=to)

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


def rung_notes(
    scenario: Scenario, turn: int, events: Iterable[Event], choice: str | None = None
) -> list[RungNote]:
    """The ladder moves (made and blocked) among `events`, caused by `choice` at `turn`."""
    ladder = scenario.ladder
    out: list[RungNote] = []
    for ev in events:
        if isinstance(ev, RungChanged):
            up = ladder.index(ev.after) > ladder.index(ev.before)
            out.append(RungNote(turn, choice, ev.before, ev.after, up, False, None, scenario))
        elif isinstance(ev, BlockedMove):
            up = ladder.index(ev.to_rung) > ladder.index(ev.from_rung)
            who = ev.choice or choice
            out.append(
                RungNote(turn, who, ev.from_rung, ev.to_rung, up, True, ev.condition, scenario)
            )
    return out


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
    scenario: Scenario = field(compare=False, repr=False)  # for the words a player reads

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
        lang = lang or self.lang
        level = self.scenario.level_label(self.level_after, lang)
        return t("coach.level_change", lang, who=self.counterpart, level=level)

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
        return ", ".join(f"{s.label} {signed(s.value)}" for s in earned)

    def trust_line(self, lang: str | None = None) -> str:
        """The trust change and any level change, in `lang` (default: the play's)."""
        lang = lang or self.lang
        if self.trust_delta == 0:
            line = t("coach.trust_unchanged", lang, trust=self.trust_after)
        else:
            line = t(
                "coach.trust_changed",
                lang,
                delta=signed(self.trust_delta),
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
            out.append(t("coach.feedback", lang, text=flat(fb)))
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
    notes = rung_notes(sc, step.turn, step.events, step.choice)
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
        scenario=sc,
    )
