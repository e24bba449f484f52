"""Headless play: the `parley play --json` contract and a plain-text transcript."""

from __future__ import annotations

from typing import Any

from engine.conversation import Conversation
from engine.events import BlockedMove, LevelChanged, RungChanged, Step


def play_json(conv: Conversation) -> dict[str, Any]:
    """Exactly the keys of the `parley play --json` contract."""
    return {
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


def node_lines(conv: Conversation, node_id: str) -> list[str]:
    """What a node shows: narration, then 'Speaker: line'."""
    sc = conv.scenario
    node = sc.nodes[node_id]
    out: list[str] = []
    if node.narration is not None:
        out.append(f"  ({node.narration.get(conv.lang)})")
    out.append(f"{sc.speaker_name(node.speaker, conv.lang)}: {node.text.get(conv.lang)}")
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


def transcript_lines(conv: Conversation, coaching: bool = True) -> list[str]:
    """The play so far as plain text lines: lines said, answers, coaching, ending."""
    sc = conv.scenario
    you = sc.speaker_name("you", conv.lang) if "you" in sc.characters else "You"
    lines: list[str] = []
    title = sc.title.get(conv.lang)
    lines += [title, "=" * len(title), ""]
    first = conv.path[: len(conv.path) - sum(len(s.entered) for s in conv.history)]
    for node_id in first:
        lines += node_lines(conv, node_id)
    for step in conv.history:
        choice = sc.choices[step.choice] if step.choice in sc.choices else None
        said = choice.text.get(conv.lang) if choice else step.choice
        lines += ["", f"> {you}: {said}"]
        if coaching and choice is not None:
            if choice.feedback is not None:
                lines.append(f"  coach: {choice.feedback.get(conv.lang)}")
            notes = step_notes(conv, step)
            if notes:
                lines.append("  " + "; ".join(notes))
        lines.append("")
        for node_id in step.entered:
            lines += node_lines(conv, node_id)
    lines.append("")
    if conv.ending is not None:
        ending = conv.ending
        lines.append(f"Ending: {ending.title.get(conv.lang)} ({ending.outcome})")
        lines.append(ending.debrief.get(conv.lang))
    elif conv.stalled:
        lines.append("The conversation stalled: no `next` branch holds here.")
    else:
        offered = conv.offered()
        lines.append("Your options now:")
        for c in offered:
            lines.append(f"  [{c.id}] {c.text.get(conv.lang)}")
    return lines
