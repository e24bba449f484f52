"""Text layout for the terminal: one-line paragraphs, wrapping, signs, the debrief as text."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from engine.messages import outcome_word, t

if TYPE_CHECKING:
    from engine.feedback.debrief import Debrief, Swing


def flat(text: str) -> str:
    """One paragraph on one line (YAML block scalars keep newlines)."""
    return " ".join(text.split())


def signed(value: int) -> str:
    return f"{value:+d}"


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


def percent_text(value: int | None) -> str:
    """A percentage under the scoring rule; '-' when nothing was at stake."""
    return "-" if value is None else f"{value}%"


def decisive_lines(d: Debrief, width: int = 80) -> list[str]:
    """The decisive moment in words (empty when there is none)."""
    m = d.decisive
    if m is None:
        return []
    lang = d.lang
    out = wrap(t("fb.decisive_head", lang), width)
    if m.kind == "no_return":
        lost = t(f"fb.reach.{m.within_reach}", lang)
        out += wrap(
            t("fb.decisive_lost", lang, turn=m.turn, said=m.said, lost=lost), width, "  ", "    "
        )
        if m.alternatives:
            alt = m.alternatives[0]
            out += wrap(t("fb.decisive_alt", lang, text=alt.text), width, "  ", "    ")
    else:
        got = t(f"fb.reach.{m.outcome}", lang)
        out += wrap(
            t("fb.decisive_locked", lang, turn=m.turn, said=m.said, got=got), width, "  ", "    "
        )
    return out


def defensible_items(d: Debrief, width: int = 80, bullet: str = "  - ") -> list[tuple[bool, str]]:
    """(reached, the item wrapped to `width` under its bullet) per equally defensible ending."""
    lang = d.lang
    hang = " " * len(bullet)
    out = []
    for x in d.defensible:
        key = "fb.defensible_yours" if x.reached else "fb.defensible_item"
        line = t(key, lang, title=x.title, trade_off=x.trade_off)
        out.append((x.reached, "\n".join(wrap(line, width, bullet, hang))))
    return out


def defensible_lines(d: Debrief, width: int = 80) -> list[str]:
    """The equally defensible endings, each with its trade-off (empty when none declared)."""
    if not d.defensible:
        return []
    out = wrap(t("fb.defensible_head", d.lang), width)
    for _, item in defensible_items(d, width):
        out += item.split("\n")
    return out


def model_script_lines(d: Debrief, width: int = 80) -> list[str]:
    """The model conversation as a script: who says what, turn by turn."""
    lang = d.lang
    mp = d.model_play
    out = wrap(t("fb.model_head", lang), width)
    for line in mp.lines:
        if line.you:
            out += wrap(
                f"{t('turn', lang, turn=line.turn)}. {line.speaker}: {line.text}",
                width,
                "  ",
                "      ",
            )
        else:
            out += wrap(f"{line.speaker}: {line.text}", width, "    ", "      ")
    if mp.ending_title is not None and mp.outcome is not None:
        outcome = outcome_word(mp.outcome, lang)
        out += wrap(
            t("fb.model_end", lang, title=mp.ending_title, outcome=outcome), width, "  ", "    "
        )
    return out


def swing_what(d: Debrief, sw: Swing) -> str:
    """What a swing changed, in words."""
    lang = d.lang
    parts: list[str] = []
    if sw.reach is not None:
        lost = t(f"fb.reach.{sw.reach.split(':', 1)[1]}", lang)
        parts.append(t("fb.swing_lost", lang, lost=lost))
    if sw.level is not None:
        parts.append(t("fb.swing_level", lang, who=d.counterpart, level=sw.level))
    if sw.rung is not None:
        parts.append(t("fb.swing_rung", lang, rung=sw.rung))
    if sw.blocked is not None:
        parts.append(t("fb.swing_blocked", lang, rung=sw.blocked))
    if not parts:
        parts.append(t("fb.swing_big", lang))
    return ", ".join(parts)


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
    if d.defensible:
        out.append("")
        out += defensible_lines(d, width)
    out.append("")
    if d.decisive is not None:
        out += decisive_lines(d, width)
        out.append("")

    # scores
    para(t("fb.scores_intro", lang, framework=d.framework_name))
    header, total_label = t("debrief.col_dimension", lang), t("debrief.total", lang)
    label_w = max([len(x.label) for x in d.dimensions] + [len(header), len(total_label)])
    label_w = max(5, min(label_w, width - 25))
    rows: list[tuple[str, str, str, str]] = [
        (header, t("debrief.col_you", lang), t("fb.col_model", lang), "%")
    ]
    rows += [
        (x.label, signed(x.total), signed(x.model), percent_text(x.percent)) for x in d.dimensions
    ]
    rows.append(
        (total_label, signed(d.total.total), signed(d.total.model), percent_text(d.total.percent))
    )
    you_w, model_w = (max([5, *(len(r[i]) for r in rows)]) for i in (1, 2))
    for label, total, model, percent in rows:
        name = label if len(label) <= label_w else label[: label_w - 3] + "..."
        out.append(f"  {name:<{label_w}}  {total:>{you_w}}  {model:>{model_w}}  {percent:>5}")
    if any(x.percent is None for x in d.dimensions):
        para(t("fb.no_stake", lang), "  ", "    ")
    out.append("")
    if d.strongest is not None:
        s = d.strongest
        para(t("debrief.strongest", lang, label=s.label, percent=percent_text(s.percent)))
        para(s.question, "  ")
    if d.weakest is not None:
        w = d.weakest
        para(t("debrief.weakest", lang, label=w.label, percent=percent_text(w.percent)))
        para(w.question, "  ")
        if w.why:
            para(t("fb.why", lang, why=w.why), "  ", "  ")
    elif d.turns and all(x.percent == 100 for x in d.dimensions if x.at_stake):
        para(t("fb.all_model", lang))
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
            level=d.trust_level_name,
        ),
        "",
        "  ",
    )
    if d.swings:
        out.append(t("fb.swings", lang))
        for sw in d.swings:
            para(
                t(
                    "fb.swing",
                    lang,
                    turn=sw.turn,
                    delta=signed(sw.delta),
                    before=sw.trust_before,
                    after=sw.trust_after,
                    what=swing_what(d, sw),
                    said=sw.said,
                ),
                "  ",
                "    ",
            )
            if sw.reaction is not None:
                para(f'{sw.reaction_speaker}: "{sw.reaction}"', "    ", "      ")
    elif d.steady:
        para(t("fb.steady", lang, who=d.counterpart), "  ", "  ")
    out.append("")

    # hierarchy
    if d.rung_path:
        start, final = d.rung_name(d.rung_start), d.rung_name(d.rung_final)
        para(t("debrief.hierarchy", lang, start=start, final=final))
        for m in d.rung_path:
            if m.turn == 0:
                when = t("debrief.before_you_spoke", lang)
            else:
                when = t("debrief.at_turn", lang, turn=m.turn)
            if m.blocked:
                text = t(
                    "debrief.rung_blocked",
                    lang,
                    when=when,
                    rung=d.rung_name(m.to_rung),
                    why=m.why(lang),
                )
            else:
                text = f"{when}: {d.rung_name(m.from_rung)} -> {d.rung_name(m.to_rung)}"
            para(text, "  ", "    ")
    else:
        para(t("debrief.hierarchy_stayed", lang, rung=d.rung_name(d.rung_final)))
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
                    total=signed(r.chosen_total),
                    trust=signed(r.chosen_trust),
                ),
                "  ",
                "    ",
            )
            para(
                t(
                    "debrief.road_could",
                    lang,
                    text=r.better_text,
                    total=signed(r.better_total),
                    trust=signed(r.better_trust),
                ),
                "    ",
                "      ",
            )
            if r.feedback:
                para(t("coach.feedback", lang, text=r.feedback), "    ", "      ")
    elif d.turns:
        para(t("fb.road_none", lang))
    out.append("")

    # the model conversation (when this play was not it)
    if d.model_play.lines and d.model_play.choices != d.choices:
        out += model_script_lines(d, width)
        out.append("")

    # endings not reached
    if d.endings_not_reached:
        para(t("debrief.endings_missed", lang))
        for title in d.endings_not_reached:
            para(title, "  - ", "    ")
        out.append("")

    # reflection
    if d.reflection:
        para(t("fb.reflection", lang))
        for prompt in d.reflection:
            para(prompt, "  - ", "    ")
        out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
