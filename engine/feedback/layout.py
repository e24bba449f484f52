"""Text layout for the terminal: one-line paragraphs, wrapping, signs, the debrief as text."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from engine.messages import outcome_word, t

if TYPE_CHECKING:
    from engine.feedback.debrief import Debrief


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


def pct(value: int) -> str:
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
    rows += [(x.label, signed(x.total), signed(x.best), pct(x.percent)) for x in d.dimensions]
    rows.append((total_label, signed(d.total), signed(d.best), pct(d.percent)))
    for label, total, best, percent in rows:
        name = label if len(label) <= label_w else label[: label_w - 3] + "..."
        out.append(f"  {name:<{label_w}}  {total:>5}  {best:>5}  {percent:>5}")
    out.append("")
    if d.strongest is not None:
        s = d.strongest
        para(t("debrief.strongest", lang, label=s.label, percent=pct(s.percent)))
        para(s.question, "  ")
    if d.weakest is not None:
        w = d.weakest
        para(t("debrief.weakest", lang, label=w.label, percent=pct(w.percent)))
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
            level=d.trust_level_name,
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
                    delta=signed(sw.delta),
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
            best_text = t("debrief.best_possible", lang, total=signed(c.best_total))
        else:
            best_text = t("debrief.best_unbounded", lang)
        para(
            t("debrief.framework_total", lang, yours=signed(c.your_total), best=best_text),
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
