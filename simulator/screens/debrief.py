"""The debrief: ending, framework dimensions, trust over the play, turning points, roads not taken."""

from __future__ import annotations

from functools import partial

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Sparkline, Static
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from engine.conversation import Conversation
from engine.feedback import Debrief
from engine.feedback.layout import decisive_lines, defensible_items, percent_text
from engine.messages import outcome_word, t, tn
from engine.play import debrief_for
from simulator.localize import Localized
from simulator.session import AfterDebrief
from simulator.widgets.choices import MoreList
from simulator.widgets.trust import bar

OUTCOME_STYLE = {"success": "bold $success", "partial": "bold $warning", "failure": "bold $error"}


def turning_points(d: Debrief) -> list[tuple[int, str]]:
    """(turn, why) for every turn the debrief singles out, in play order (in `d.lang`)."""
    lang = d.lang
    why: dict[int, list[str]] = {}
    for s in d.swings:
        if s.delta:
            why.setdefault(s.turn, []).append(t("dscreen.why_trust", lang, delta=f"{s.delta:+d}"))
        if s.level is not None:
            what = t("fb.swing_level", lang, who=d.counterpart, level=s.level)
            why.setdefault(s.turn, []).append(what)
        if s.reach is not None:
            lost = t(f"fb.reach.{s.reach.split(':', 1)[1]}", lang)
            why.setdefault(s.turn, []).append(t("fb.swing_lost", lang, lost=lost))
    for r in d.road_not_taken:
        why.setdefault(r.turn, []).append(t("dscreen.why_stronger", lang))
    for m in d.rung_path:
        if m.turn > 0:
            if m.blocked:
                what = t("dscreen.why_blocked", lang, rung=d.rung_name(m.to_rung))
            else:
                what = f"{d.rung_name(m.from_rung)} → {d.rung_name(m.to_rung)}"
            why.setdefault(m.turn, []).append(what)
    return [(turn, ", ".join(reasons)) for turn, reasons in sorted(why.items())]


def dimension_lines(d: Debrief, width: int) -> Content:
    lang = d.lang
    total_label = t("debrief.total", lang)
    label_w = max([len(x.label) for x in d.dimensions] + [5, len(total_label)])
    bar_w = max(6, min(30, width - label_w - 22))
    lines = [
        Content.assemble(
            (f"{d.framework_name}", "bold"),
            (f"  {t('dscreen.scores_intro', lang)}", "$foreground 60%"),
        )
    ]
    for x in d.dimensions:
        pct = x.percent
        style = (
            "$foreground 60%"
            if pct is None
            else "$success"
            if pct >= 75
            else "$warning"
            if pct >= 40
            else "$error"
        )
        lines.append(
            Content.assemble(
                (x.label.ljust(label_w), "bold"),
                " ",
                bar(0 if pct is None else pct, bar_w, style),
                (f" {x.total:+d}/{x.model:+d}".ljust(9), "$foreground 80%"),
                (percent_text(pct).rjust(5), style),
            )
        )
    lines.append(
        Content.assemble(
            (total_label.ljust(label_w), "bold"),
            " ",
            (" " * bar_w, ""),
            (f" {d.total.total:+d}/{d.total.model:+d}".ljust(9), "$foreground 80%"),
            (percent_text(d.total.percent).rjust(5), "bold"),
        )
    )
    if d.strongest is not None:
        head = f"{t('dscreen.strongest', lang)}: "
        lines.append(Content.assemble((head, "bold $success"), d.strongest.label))
        lines.append(Content.styled(d.strongest.question, "italic $foreground 70%"))
    if d.weakest is not None:
        head = f"{t('dscreen.weakest', lang)}: "
        lines.append(Content.assemble((head, "bold $error"), d.weakest.label))
        lines.append(Content.styled(d.weakest.question, "italic $foreground 70%"))
        if d.weakest.why:
            lines.append(Content.styled(t("fb.why", lang, why=d.weakest.why), "$foreground 80%"))
    elif d.turns and all(x.percent == 100 for x in d.dimensions if x.at_stake):
        lines.append(Content.styled(t("fb.all_model", lang), "$success"))
    return Content("\n").join(lines)


def decisive_content(d: Debrief) -> Content:
    """The decisive moment, leading the debrief (empty when there is none)."""
    lines = decisive_lines(d, 10_000)
    if not lines:
        return Content("")
    head, *rest = lines
    return Content("\n").join(
        [Content.styled(head, "bold $accent"), *(Content(x.strip()) for x in rest)]
    )


def model_content(d: Debrief) -> Content:
    """The model conversation as a script, and the reflection prompts."""
    lang = d.lang
    parts: list[Content] = []
    if d.model_play.lines and d.model_play.choices != d.choices:
        parts.append(Content.styled(t("fb.model_head", lang), "bold"))
        for line in d.model_play.lines:
            if line.you:
                parts.append(
                    Content.assemble(
                        (f"{t('turn', lang, turn=line.turn)}. ", "bold $accent"),
                        (f"{line.speaker}: ", "bold"),
                        (line.text, "$success"),
                    )
                )
            else:
                parts.append(Content.styled(f"  {line.speaker}: {line.text}", "$foreground 70%"))
    if d.reflection:
        if parts:
            parts.append(Content(""))
        parts.append(Content.styled(t("fb.reflection", lang), "bold"))
        parts += [Content(f"  · {x}") for x in d.reflection]
    return Content("\n").join(parts)


class TurningList(MoreList):
    """The turning points; the bottom border says when more are out of view."""

    MORE_KEY = "dscreen.more"


class DebriefScreen(Localized, Screen[AfterDebrief | None]):
    """Keys: p play again, r rewind to a turning point, e export Markdown, escape back, q quit.

    Its words follow the play's language (engine.messages).
    """

    WORDS = "debrief"

    BINDINGS = [
        Binding("p", "play_again", "replay"),
        Binding("r", "rewind", "rewind"),
        Binding("e", "export", "export"),
        Binding("escape,b", "back", "back"),
        Binding("question_mark,f1", "help", "help", show=False),  # footer fits 60 columns
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, conv: Conversation) -> None:
        super().__init__()
        self.conv = conv
        self.debrief: Debrief | None = None
        self.turns: list[tuple[int, str]] = []
        self.exported: str | None = None

    @property
    def ui_lang(self) -> str | None:
        return self.conv.lang

    def compose(self) -> ComposeResult:
        lang = self.ui_lang
        with Horizontal(id="topbar"):
            yield Static(id="top-title")
            yield Static(id="top-meta")
        with VerticalScroll(id="debrief-body"):
            yield Static(Content.styled(t("dscreen.working", lang), "italic"), id="ending")
            yield Static(id="decisive")
            yield Static(id="dimensions")
            yield Static(
                Content.styled(t("dscreen.trust_heading", lang), "bold"), classes="heading"
            )
            yield PlotextPlot(id="trust-chart")
            yield Sparkline([], id="trust-spark")
            yield Static(id="trust-text")
            yield Static(
                Content.assemble(
                    (t("dscreen.turning_heading", lang), "bold"),
                    (f"  {t('dscreen.turning_hint', lang)}", "$foreground 60%"),
                ),
                classes="heading",
            )
            yield TurningList(id="turning")
            yield Static(id="road")
            yield Static(id="model-play")
            yield Static(id="export-path")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        conv = self.conv
        self.query_one("#top-title", Static).update(
            Content.assemble(
                (t("dscreen.title", conv.lang), "bold $accent"),
                "  ",
                (conv.scenario.title.get(conv.lang), "bold"),
            )
        )
        self.query_one("#top-meta", Static).update(
            Content.styled(tn("dscreen.answers", conv.turns, conv.lang), "$foreground 70%")
        )
        self.build()

    @work(thread=True, exclusive=True, group="debrief")
    def build(self) -> None:
        """The debrief compares with the best possible play: work it out off the UI thread."""
        conv = self.conv
        try:
            d = debrief_for(conv)
        except Exception:  # the comparison is a bonus; the debrief must still show
            d = debrief_for(conv, explore=False)
        self.app.call_from_thread(self.show, d)

    def show(self, d: Debrief) -> None:
        self.debrief = d
        lang = d.lang
        width = max(40, self.size.width - 4)
        parts: list[Content] = []
        if d.ending_title is not None:
            parts.append(
                Content.assemble(
                    ("■ ", OUTCOME_STYLE.get(d.outcome or "", "bold")),
                    (d.ending_title, "bold"),
                    "  ",
                    (
                        outcome_word(d.outcome or "", lang),
                        OUTCOME_STYLE.get(d.outcome or "", "bold"),
                    ),
                )
            )
        if d.ending_debrief:
            parts.append(Content(" ".join(d.ending_debrief.split())))
        ending = self.query_one("#ending", Static)
        if d.defensible:  # several equally defensible endings: each with what it gives up
            parts.append(Content.styled(t("fb.defensible_head", lang), "bold"))
            # wrapped here (to the body's width, at most the widget's max-width) so that a
            # long item hangs under its bullet
            cap = ending.styles.max_width
            item_width = min(width, int(cap.value)) if cap is not None and cap.is_cells else width
            for reached, text in defensible_items(d, item_width, "  · "):
                parts.append(Content.styled(text, "$success") if reached else Content(text))
        ending.update(Content("\n").join(parts))
        self.query_one("#decisive", Static).update(decisive_content(d))
        self.query_one("#dimensions", Static).update(dimension_lines(d, width))

        points = [d.trust_start, *d.trust_trajectory]
        plot = self.query_one("#trust-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.plot(list(range(len(points))), points, marker="braille")
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100])
        plt.xticks(list(range(len(points))))
        plt.xlabel(t("dscreen.chart_turn", lang))
        plot.refresh()
        self.query_one("#trust-spark", Sparkline).data = [float(p) for p in points]
        journey = " → ".join(str(p) for p in points)
        self.query_one("#trust-text", Static).update(
            Content.assemble(
                (f"{d.counterpart}: ", "bold"),
                journey,
                (f"  {t('dscreen.now_level', lang, level=d.trust_level_name)}", "$foreground 70%"),
            )
        )

        first = t("dscreen.first_answer", lang)
        self.turns = turning_points(d) or ([(1, first)] if d.turns else [])
        options: list[Option] = []
        conv = self.conv
        for turn, why in self.turns:
            step = conv.history[turn - 1]
            choice = conv.scenario.choices.get(step.choice)
            said = " ".join(choice.text.get(conv.lang).split()) if choice else step.choice
            options.append(
                Option(
                    Content.assemble(
                        (t("turn", lang, turn=turn), "bold $accent"),
                        (f"  {why}", "$warning"),
                        "\n",
                        (t("dscreen.you_said", lang, said=said), "$foreground 80%"),
                    ),
                    id=str(turn),
                )
            )
        if not options:
            options.append(
                Option(Content.styled(t("dscreen.no_answers", lang), "italic"), disabled=True)
            )
        turning = self.query_one("#turning", TurningList)
        turning.lang = lang
        turning.set_options(options)
        turning.call_after_refresh(turning.show_more)
        turning.highlighted = 0 if self.turns else None

        road: list[Content] = [Content.styled(t("dscreen.road_heading", lang), "bold")]
        if not d.road_not_taken:
            road.append(Content(t("dscreen.road_none", lang)))
        for r in d.road_not_taken:
            said = t(
                "dscreen.road_you_said", lang, text=r.chosen_text, total=f"{r.chosen_total:+d}"
            )
            road.append(
                Content.assemble(
                    (f"{t('turn', lang, turn=r.turn)}: ", "bold"), (said, "$foreground 70%")
                )
            )
            better = t("dscreen.quoted", lang, text=r.better_text, total=f"{r.better_total:+d}")
            road.append(
                Content.assemble(
                    (f"  {t('dscreen.could_have_said', lang)} ", "$foreground 70%"),
                    (better, "$success"),
                )
            )
            if r.feedback:
                road.append(Content.styled(f"  {r.feedback}", "italic $foreground 70%"))
        if d.endings_not_reached:
            road.append(Content(""))
            road.append(Content.styled(t("dscreen.endings_heading", lang), "bold"))
            road += [Content(f"  · {t}") for t in d.endings_not_reached]
        self.query_one("#road", Static).update(Content("\n").join(road))
        self.query_one("#model-play", Static).update(model_content(d))

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        self.dismiss(None)

    def action_play_again(self) -> None:
        self.dismiss(AfterDebrief("replay"))

    def action_rewind(self) -> None:
        turning = self.query_one("#turning", OptionList)
        turning.focus()
        turning.scroll_visible()
        if self.turns and turning.highlighted is not None:
            self.notify(t("dscreen.pick_turn", self.ui_lang), timeout=3)

    @on(OptionList.OptionSelected, "#turning")
    def _rewind_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.rewind_to(int(event.option.id))

    def rewind_to(self, turn: int) -> None:
        self.dismiss(AfterDebrief("rewind", turn))

    def action_export(self) -> None:
        from simulator.markdown_export import export_markdown

        conv = self.conv
        try:
            path = export_markdown(conv, self.debrief)
        except OSError as exc:
            message = t("dscreen.export_failed", self.ui_lang, error=exc)
            self.notify(message, severity="error", markup=False)
            return
        self.exported = str(path)
        self.query_one("#export-path", Static).update(
            Content.assemble(
                (f"{t('dscreen.exported_to', self.ui_lang)} ", "bold $success"), str(path)
            )
        )
        title = t("dscreen.exported_title", self.ui_lang)
        self.notify(str(path), title=title, timeout=8, markup=False)

    def action_help(self) -> None:
        self.app.push_screen("help")

    def action_quit(self) -> None:
        self.app.exit()

    def palette_commands(self) -> list[SystemCommand]:
        from simulator.palette import binding_commands

        out = binding_commands(self)
        for turn, why in self.turns:
            title = t("dscreen.rewind_command", self.ui_lang, turn=turn)
            out.append(SystemCommand(title, why, partial(self.rewind_to, turn)))
        return out
