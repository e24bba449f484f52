"""Export a play's transcript and debrief as a Markdown file (in the play's language)."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from engine.conversation import Conversation
from engine.feedback import Debrief, coaching_for, render_debrief_text
from engine.feedback.layout import decisive_lines
from engine.messages import outcome_word, t
from simulator.paths import data_dir
from simulator.widgets.story import opening_nodes, you_name


def _md(text: str) -> str:
    """Plain text safe in Markdown paragraphs."""
    out = " ".join(text.split())
    for ch in "\\`*_[]<#|":
        out = out.replace(ch, "\\" + ch)
    # '>' only quotes at the start of a line; mid-line ("45 -> 50") it is plain text
    return "\\" + out if out.startswith(">") else out


def _node_md(conv: Conversation, node_id: str) -> list[str]:
    sc = conv.scenario
    node = sc.nodes[node_id]
    out: list[str] = []
    if node.narration is not None:
        out.append(f"*{_md(node.narration.get(conv.lang))}*")
        out.append("")
    who = sc.speaker_name(node.speaker, conv.lang)
    out.append(f"**{_md(who)}:** {_md(node.text.get(conv.lang))}")
    out.append("")
    return out


def markdown(conv: Conversation, debrief: Debrief | None) -> str:
    """The transcript (with coaching) and the debrief of `conv` as one Markdown document."""
    sc = conv.scenario
    lang = conv.lang
    lines = [f"# {_md(sc.title.get(lang))}", "", _md(sc.summary.get(lang)), ""]
    lines += [f"## {t('export.transcript', lang)}", ""]
    for node_id in opening_nodes(conv):
        lines += _node_md(conv, node_id)
    for step in conv.history:
        choice = sc.choices.get(step.choice)
        said = choice.text.get(lang) if choice is not None else step.choice
        who = t("export.you_turn", lang, you=_md(you_name(conv)), turn=step.turn)
        lines += [f"> **{who}** {_md(said)}", ""]
        coach = coaching_for(conv, step).lines(lang)
        if coach:
            lines += [f"- {_md(line)}" for line in coach]
            lines.append("")
        for node_id in step.entered:
            lines += _node_md(conv, node_id)
    if conv.ending is not None:
        outcome = outcome_word(conv.ending.outcome, lang)
        lines += [
            f"**{t('export.ending', lang)}** {_md(conv.ending.title.get(lang))} ({outcome})",
            "",
        ]
    if debrief is not None:
        decisive = decisive_lines(debrief, 10_000)
        if decisive:
            head, *rest = decisive
            lines += [f"## {_md(head)}", ""] + [_md(x) for x in rest] + [""]
        if debrief.objectives:
            lines += [f"## {t('fb.objectives', lang)}", ""]
            lines += [f"- {_md(x)}" for x in debrief.objectives] + [""]
        lines += [f"## {t('export.debrief', lang)}", "", "```text"]
        lines += [render_debrief_text(debrief, width=88), "```", ""]
    return "\n".join(lines)


def export_markdown(
    conv: Conversation, debrief: Debrief | None, folder: Path | None = None
) -> Path:
    """Write the Markdown file atomically into `folder` (default: <data dir>/exports)."""
    folder = folder or data_dir() / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{conv.scenario.id}-{stamp}.md"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{conv.scenario.id}-{stamp}-{n}.md"
    fd, tmp = tempfile.mkstemp(prefix=".export.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(markdown(conv, debrief))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
