"""Headless play: the `parley play --json` contract and a plain-text transcript."""

from __future__ import annotations

from typing import Any

from engine.conversation import Conversation
from engine.events import BlockedMove, LevelChanged, RungChanged, Step
from engine.feedback import (
    FeedbackMode,
    build_debrief,
    coaching_for,
    render_debrief_text,
    wrap,
)

WIDTH = 80


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
    }
    if conv.ended:
        out["debrief"] = build_debrief(conv, explore=explore).as_dict()
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
    out: list[str] = []
    if step.trust_delta:
        out.append(f"trust {step.trust_delta:+d} -> {step.trust_after}")
    for ev in step.events:
        if isinstance(ev, LevelChanged):
            out.append(f"{who} is now {ev.after}")
        elif isinstance(ev, RungChanged):
            out.append(f"you are now {ev.after} (was {ev.before})")
        elif isinstance(ev, BlockedMove):
            out.append(f"your move to {ev.to_rung} did not happen: it needs {ev.condition}")
    return out


def standing_lines(conv: Conversation, scores: bool = True, width: int = WIDTH) -> list[str]:
    """Where an unfinished play stands: turns, trust, rung (and scores so far)."""
    sc = conv.scenario
    who = sc.speaker_name(sc.counterpart, conv.lang)
    out = wrap(f"Where it stands after {conv.turns} turn{'s' if conv.turns != 1 else ''}:", width)
    out += wrap(f"Trust {conv.trust}: {who} is {conv.trust_level}.", width, "  ", "    ")
    out += wrap(f"You are {conv.rung} on the ladder.", width, "  ", "    ")
    if scores:
        fw = sc.framework
        parts = ", ".join(
            f"{d.label.get(conv.lang)} {conv.scores.get(d.key, 0):+d}" for d in fw.dimensions
        )
        out += wrap(f"{fw.name.get(conv.lang)} so far: {parts}", width, "  ", "    ")
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
    you = sc.speaker_name("you", conv.lang) if "you" in sc.characters else "You"
    lines: list[str] = []
    title = " ".join(sc.title.get(conv.lang).split())
    lines += wrap(title, width)
    lines += ["=" * min(width, max(len(x) for x in lines)), ""]
    first = conv.path[: len(conv.path) - sum(len(s.entered) for s in conv.history)]
    for node_id in first:
        lines += node_lines(conv, node_id, width)
    for step in conv.history:
        choice = sc.choices.get(step.choice)
        said = choice.text.get(conv.lang) if choice else step.choice
        lines.append("")
        lines += wrap(f"> {you}: {said}", width, "", "    ")
        if coaching:
            for line in coaching_for(conv, step).lines():
                lines += wrap(line, width, "  | ", "  |   ")
        lines.append("")
        for node_id in step.entered:
            lines += node_lines(conv, node_id, width)
    lines.append("")
    if conv.ending is not None:
        if debrief:
            lines += render_debrief_text(build_debrief(conv, explore=explore), width).split("\n")
        else:
            ending = conv.ending
            lines += wrap(f"Ending: {ending.title.get(conv.lang)} ({ending.outcome})", width)
            lines += wrap(ending.debrief.get(conv.lang), width, "  ")
    elif conv.stalled:
        lines += wrap("The conversation stalled: no `next` branch holds here.", width)
        lines.append("")
        lines += standing_lines(conv, coaching, width)
    else:
        lines += standing_lines(conv, coaching, width)
        lines.append("")
        lines += wrap(
            "Your options now (the play has not ended, so there is no debrief yet):", width
        )
        for c in conv.offered():
            lines += wrap(f"[{c.id}] {c.text.get(conv.lang)}", width, "  ", "      ")
    return lines


def mode_transcript(conv: Conversation, mode: FeedbackMode, width: int = WIDTH) -> list[str]:
    """The transcript for a feedback mode: coaching after each answer only when immediate."""
    return transcript_lines(conv, coaching=mode == "immediate", debrief=True, width=width)
