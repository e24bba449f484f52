"""Headless play: the `parley play --json` contract and a plain-text transcript.

The JSON is English (a contract); the transcript speaks the play's language
(engine.messages for Parley's own words).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.conversation import Conversation
from engine.errors import ParleyError
from engine.events import BlockedMove, LevelChanged, RungChanged, Step
from engine.feedback.layout import wrap
from engine.learning import blocked_why
from engine.messages import outcome_word, t, tn
from engine.model import Scenario

if TYPE_CHECKING:  # the debrief and the explorer are imported when a play has ended
    from engine.explore import Exploration
    from engine.feedback import Debrief, FeedbackMode

WIDTH = 80
EXPLORE_MAX_STATES = 200_000  # the debrief's exploration gives up (no comparison) beyond this


# the last scenario explored and its exploration: the recorder works out the decisive
# moment when a play ends (engine.records.decisive), then the debrief needs the same graph
_LAST: tuple[Scenario, Exploration | None] | None = None


def debrief_exploration(scenario: Scenario) -> Exploration | None:
    """The exploration the debrief compares with (bounded), or None when it cannot be made.
    The last scenario's is kept (by identity: a reloaded file is explored again)."""
    global _LAST
    last = _LAST
    if last is not None and last[0] is scenario:
        return last[1]
    from engine.explore import explore as explore_states

    try:
        ex: Exploration | None = explore_states(scenario, max_states=EXPLORE_MAX_STATES)
    except ParleyError:  # e.g. an automatic loop: the debrief still shows, without comparison
        ex = None
    _LAST = (scenario, ex)
    return ex


def debrief_for(conv: Conversation, explore: bool = True) -> Debrief:
    """The debrief of `conv`; `explore=False` leaves out what needs the state graph."""
    from engine.feedback.debrief import build_debrief

    return build_debrief(conv, debrief_exploration(conv.scenario) if explore else None)


def play_json(conv: Conversation, explore: bool = True) -> dict[str, Any]:
    """Exactly the keys of the `parley play --json` contract, plus `debrief` when ended."""
    out: dict[str, Any] = {
        "scenario": conv.scenario.id,
        "ended": conv.ended,
        "ending": conv.node.id if conv.ended else None,
        "outcome": conv.outcome,
        "trust": conv.trust,
        "trust_level": conv.trust_level,
        "hierarchy": conv.rung,
        "flags": dict(conv.flags),
        "turns": conv.turns,
        "scores": dict(conv.scores),
        "path": list(conv.path),
        "choices": list(conv.choices_made),
        "offered": [c.id for c in conv.offered()],
        "blocked": [b.as_dict() for b in conv.blocked],
        "seed": conv.seed,  # the option order (engine.order); null: file order
        "shown": [c.id for c in conv.presented()],  # `offered` in the order shown
    }
    if conv.ended:
        out["debrief"] = debrief_for(conv, explore).as_dict()
    return out


def node_lines(conv: Conversation, node_id: str, width: int = WIDTH) -> list[str]:
    """What a node shows: narration, then 'Speaker: line' (wrapped to `width`)."""
    sc = conv.scenario
    node = sc.nodes[node_id]
    out: list[str] = []
    if node.narration is not None:
        out += wrap(f"({node.narration.get(conv.lang)})", width, "  ", "   ")
    name = sc.speaker_name(node.speaker, conv.lang)
    out += wrap(f"{name}: {node.text.get(conv.lang)}", width, "", "    ")
    return out


def step_notes(conv: Conversation, step: Step) -> list[str]:
    """Trust, level and rung consequences of one answer, in words."""
    sc = conv.scenario
    who = sc.speaker_name(sc.counterpart, conv.lang)
    lang = conv.lang
    out: list[str] = []
    if step.trust_delta:
        out.append(
            t("play.note_trust", lang, delta=f"{step.trust_delta:+d}", trust=step.trust_after)
        )
    for ev in step.events:
        if isinstance(ev, LevelChanged):
            level = sc.level_label(ev.after, lang)
            out.append(t("coach.level_change", lang, who=who, level=level))
        elif isinstance(ev, RungChanged):
            after, before = sc.rung_label(ev.after, lang), sc.rung_label(ev.before, lang)
            out.append(t("play.note_rung", lang, rung=after, before=before))
        elif isinstance(ev, BlockedMove):
            why = blocked_why(sc, ev.to_rung, lang)
            out.append(t("play.note_blocked", lang, rung=sc.rung_label(ev.to_rung, lang), why=why))
    return out


def standing_lines(conv: Conversation, scores: bool = True, width: int = WIDTH) -> list[str]:
    """Where an unfinished play stands: turns, trust, rung (and scores so far)."""
    sc = conv.scenario
    lang = conv.lang
    who = sc.speaker_name(sc.counterpart, lang)
    out = wrap(tn("play.standing", conv.turns, lang), width)
    level = sc.level_label(conv.trust_level, lang)
    trust = t("play.standing_trust", lang, trust=conv.trust, who=who, level=level)
    out += wrap(trust, width, "  ", "    ")
    rung = sc.rung_label(conv.rung, lang)
    out += wrap(t("play.standing_rung", lang, rung=rung), width, "  ", "    ")
    if scores:
        fw = sc.framework
        parts = ", ".join(
            f"{d.label.get(lang)} {conv.scores.get(d.key, 0):+d}" for d in fw.dimensions
        )
        line = t("play.standing_scores", lang, framework=fw.name.get(lang), scores=parts)
        out += wrap(line, width, "  ", "    ")
    return out


def transcript_lines(
    conv: Conversation,
    coaching: bool = True,
    debrief: bool = True,
    width: int = WIDTH,
    explore: bool = True,
) -> list[str]:
    """The play as plain text lines, none longer than `width`.

    `coaching` shows the coaching after each answer (feedback mode `immediate`);
    `debrief` ends an ended play with the debrief. A play that has not ended shows
    where it stands and the options now, and no debrief.
    """
    sc = conv.scenario
    you = sc.speaker_name("you", conv.lang) if "you" in sc.characters else t("you", conv.lang)
    lines: list[str] = []
    title = " ".join(sc.title.get(conv.lang).split())
    lines += wrap(title, width)
    lines += ["=" * min(width, max(len(x) for x in lines)), ""]
    if sc.objectives:
        lines += wrap(t("fb.objectives", conv.lang), width)
        for goal in sc.objectives:
            lines += wrap(goal.get(conv.lang), width, "  - ", "    ")
        lines.append("")
    first = conv.path[: len(conv.path) - sum(len(s.entered) for s in conv.history)]
    for node_id in first:
        lines += node_lines(conv, node_id, width)
    for step in conv.history:
        choice = sc.choices.get(step.choice)
        said = choice.text.get(conv.lang) if choice else step.choice
        lines.append("")
        lines += wrap(f"> {you}: {said}", width, "", "    ")
        if coaching:
            from engine.feedback.coaching import coaching_for

            for line in coaching_for(conv, step).lines():
                lines += wrap(line, width, "  | ", "  |   ")
        lines.append("")
        for node_id in step.entered:
            lines += node_lines(conv, node_id, width)
    lines.append("")
    if conv.ending is not None:
        if debrief:
            from engine.feedback.layout import render_debrief_text

            lines += render_debrief_text(debrief_for(conv, explore), width).split("\n")
        else:
            ending = conv.ending
            outcome = outcome_word(ending.outcome, conv.lang)
            title = ending.title.get(conv.lang)
            lines += wrap(t("debrief.ending", conv.lang, title=title, outcome=outcome), width)
            lines += wrap(ending.debrief.get(conv.lang), width, "  ")
    elif conv.stalled:
        lines += wrap(t("play.stalled", conv.lang), width)
        lines.append("")
        lines += standing_lines(conv, coaching, width)
    else:
        lines += standing_lines(conv, coaching, width)
        lines.append("")
        lines += wrap(t("play.options_now", conv.lang), width)
        for n, c in enumerate(conv.presented(), start=1):
            lines += wrap(f"{n}. {c.text.get(conv.lang)}", width, "  ", "     ")
    return lines


def mode_transcript(conv: Conversation, mode: FeedbackMode, width: int = WIDTH) -> list[str]:
    """The transcript for a feedback mode: coaching after each answer only when immediate."""
    return transcript_lines(conv, coaching=mode == "immediate", debrief=True, width=width)
