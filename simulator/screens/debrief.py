"""The debrief: ending, framework dimensions, trust over the play, turning points, roads not taken."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Sparkline, Static
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from engine.feedback import Debrief, build_debrief
from simulator.widgets.trust import bar

if TYPE_CHECKING:
    from simulator.screens.play import PlayScreen

OUTCOME_STYLE = {"success": "bold $success", "partial": "bold $warning", "failure": "bold $error"}


def turning_points(d: Debrief) -> list[tuple[int, str]]:
    """(turn, why) for every turn the debrief singles out, in play order."""
    why: dict[int, list[str]] = {}
    for s in d.swings:
        why.setdefault(s.turn, []).append(f"trust {s.delta:+d}")
    for r in d.road_not_taken:
        why.setdefault(r.turn, []).append("a stronger answer was on offer")
    for m in d.rung_path:
        if m.turn > 0:
            what = f"climb to {m.to_rung} blocked" if m.blocked else f"{m.from_rung} → {m.to_rung}"
            why.setdefault(m.turn, []).append(what)
    return [(turn, ", ".join(reasons)) for turn, reasons in sorted(why.items())]


def dimension_lines(d: Debrief, width: int) -> Content:
    label_w = max([len(x.label) for x in d.dimensions] + [5])
    bar_w = max(6, min(30, width - label_w - 22))
    lines = [
        Content.assemble(
            (f"{d.framework_name}", "bold"),
            ("  your score against the best on the decisions you faced", "$foreground 60%"),
        )
    ]
    for x in d.dimensions:
        style = "$success" if x.percent >= 75 else "$warning" if x.percent >= 40 else "$error"
        lines.append(
            Content.assemble(
                (x.label.ljust(label_w), "bold"),
                " ",
                bar(max(0, min(100, x.percent)), bar_w, style),
                (f" {x.total:+d}/{x.best:+d}".ljust(9), "$foreground 80%"),
                (f"{x.percent:>4}%", style),
            )
        )
    lines.append(
        Content.assemble(
            ("Total".ljust(label_w), "bold"),
            " ",
            (" " * bar_w, ""),
            (f" {d.total:+d}/{d.best:+d}".ljust(9), "$foreground 80%"),
            (f"{d.percent:>4}%", "bold"),
        )
    )
    if d.strongest is not None:
        lines.append(Content.assemble(("Strongest: ", "bold $success"), d.strongest.label))
        lines.append(Content.styled(d.strongest.question, "italic $foreground 70%"))
    if d.weakest is not None:
        lines.append(Content.assemble(("Weakest: ", "bold $error"), d.weakest.label))
        lines.append(Content.styled(d.weakest.question, "italic $foreground 70%"))
    return Content("\n").join(lines)


class DebriefScreen(Screen[None]):
    """Keys: p play again, r rewind to a turning point, e export Markdown, escape back, q quit."""

    BINDINGS = [
        Binding("p", "play_again", "replay"),
        Binding("r", "rewind", "rewind"),
        Binding("e", "export", "export"),
        Binding("escape,b", "back", "back"),
        Binding("question_mark,f1", "help", "help", show=False),  # footer fits 60 columns
        Binding("q", "quit", "quit"),
    ]
    PALETTE = {
        "play_again": ("Play again", "Start this scenario again from the first line"),
        "rewind": ("Rewind to a turning point", "Pick a turn, go back there, answer differently"),
        "export": ("Export as Markdown", "Write the transcript and debrief to a Markdown file"),
        "back": ("Back to the conversation", "Close the debrief"),
        "help": ("Help", "Every key and what it does"),
        "quit": ("Quit", "Quit Parley"),
    }

    def __init__(self, play: PlayScreen) -> None:
        super().__init__()
        self.play = play
        self.debrief: Debrief | None = None
        self.turns: list[tuple[int, str]] = []
        self.exported: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="top-title")
            yield Static(id="top-meta")
        with VerticalScroll(id="debrief-body"):
            yield Static(Content.styled("Working out your debrief…", "italic"), id="ending")
            yield Static(id="dimensions")
            yield Static(Content.styled("Trust over the play", "bold"), classes="heading")
            yield PlotextPlot(id="trust-chart")
            yield Sparkline([], id="trust-spark")
            yield Static(id="trust-text")
            yield Static(
                Content.assemble(
                    ("Turning points", "bold"), ("  Enter: go back there", "$foreground 60%")
                ),
                classes="heading",
            )
            yield OptionList(id="turning")
            yield Static(id="road")
            yield Static(id="export-path")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        conv = self.play.conv
        assert conv is not None
        self.query_one("#top-title", Static).update(
            Content.assemble(
                ("Debrief", "bold $accent"), "  ", (conv.scenario.title.get(conv.lang), "bold")
            )
        )
        self.query_one("#top-meta", Static).update(
            Content.styled(f"{conv.turns} answers", "$foreground 70%")
        )
        self.build()

    @work(thread=True, exclusive=True, group="debrief")
    def build(self) -> None:
        """The debrief compares with the best possible play: work it out off the UI thread."""
        conv = self.play.conv
        assert conv is not None
        try:
            d = build_debrief(conv)
        except Exception:  # the comparison is a bonus; the debrief must still show
            d = build_debrief(conv, explore=False)
        self.app.call_from_thread(self.show, d)

    def show(self, d: Debrief) -> None:
        self.debrief = d
        width = max(40, self.size.width - 4)
        parts: list[Content] = []
        if d.ending_title is not None:
            parts.append(
                Content.assemble(
                    ("■ ", OUTCOME_STYLE.get(d.outcome or "", "bold")),
                    (d.ending_title, "bold"),
                    "  ",
                    (f"{d.outcome}", OUTCOME_STYLE.get(d.outcome or "", "bold")),
                )
            )
        if d.ending_debrief:
            parts.append(Content(" ".join(d.ending_debrief.split())))
        self.query_one("#ending", Static).update(Content("\n").join(parts))
        self.query_one("#dimensions", Static).update(dimension_lines(d, width))

        points = [d.trust_start, *d.trust_trajectory]
        plot = self.query_one("#trust-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.plot(list(range(len(points))), points, marker="braille")
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100])
        plt.xticks(list(range(len(points))))
        plt.xlabel("turn")
        plot.refresh()
        self.query_one("#trust-spark", Sparkline).data = [float(p) for p in points]
        journey = " → ".join(str(p) for p in points)
        self.query_one("#trust-text", Static).update(
            Content.assemble(
                (f"{d.counterpart}: ", "bold"),
                journey,
                (f"  (now {d.trust_level})", "$foreground 70%"),
            )
        )

        self.turns = turning_points(d) or ([(1, "the first answer")] if d.turns else [])
        options: list[Option] = []
        conv = self.play.conv
        assert conv is not None
        for turn, why in self.turns:
            step = conv.history[turn - 1]
            choice = conv.scenario.choices.get(step.choice)
            said = " ".join(choice.text.get(conv.lang).split()) if choice else step.choice
            options.append(
                Option(
                    Content.assemble(
                        (f"Turn {turn}", "bold $accent"),
                        (f"  {why}", "$warning"),
                        "\n",
                        (f"you said: {said}", "$foreground 80%"),
                    ),
                    id=str(turn),
                )
            )
        if not options:
            options.append(
                Option(Content.styled("No answers to go back to.", "italic"), disabled=True)
            )
        turning = self.query_one("#turning", OptionList)
        turning.set_options(options)
        turning.highlighted = 0 if self.turns else None

        road: list[Content] = [Content.styled("The road not taken", "bold")]
        if not d.road_not_taken:
            road.append(Content("None: no answer on offer scored higher than yours."))
        for r in d.road_not_taken:
            road.append(
                Content.assemble(
                    (f"Turn {r.turn}: ", "bold"),
                    (f"you said “{r.chosen_text}” ({r.chosen_total:+d})", "$foreground 70%"),
                )
            )
            road.append(
                Content.assemble(
                    ("  could have said ", "$foreground 70%"),
                    (f"“{r.better_text}” ({r.better_total:+d})", "$success"),
                )
            )
            if r.feedback:
                road.append(Content.styled(f"  {r.feedback}", "italic $foreground 70%"))
        if d.endings_not_reached:
            road.append(Content(""))
            road.append(Content.styled("Endings you did not reach", "bold"))
            road += [Content(f"  · {t}") for t in d.endings_not_reached]
        c = d.comparison
        if c is not None and c.best_total is not None:
            road.append(Content(""))
            road.append(
                Content.assemble(
                    ("Best possible play: ", "bold"),
                    f"framework total {c.best_total:+d} (yours {c.your_total:+d})",
                )
            )
        self.query_one("#road", Static).update(Content("\n").join(road))

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        self.dismiss()

    async def action_play_again(self) -> None:
        self.dismiss()
        await self.play.restart()

    def action_rewind(self) -> None:
        turning = self.query_one("#turning", OptionList)
        turning.focus()
        turning.scroll_visible()
        if self.turns and turning.highlighted is not None:
            self.notify("Pick a turning point and press Enter.", timeout=3)

    @on(OptionList.OptionSelected, "#turning")
    async def _rewind_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        await self.rewind_to(int(event.option.id))

    async def rewind_to(self, turn: int) -> None:
        self.dismiss()
        await self.play.rewind_to(turn)

    def action_export(self) -> None:
        from simulator.markdown_export import export_markdown

        conv = self.play.conv
        assert conv is not None
        try:
            path = export_markdown(conv, self.debrief)
        except OSError as exc:
            self.notify(f"Could not export: {exc}", severity="error", markup=False)
            return
        self.exported = str(path)
        self.query_one("#export-path", Static).update(
            Content.assemble(("Exported to ", "bold $success"), str(path))
        )
        self.notify(str(path), title="Transcript and debrief exported", timeout=8, markup=False)

    def action_help(self) -> None:
        from simulator.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_quit(self) -> None:
        self.app.exit()

    def palette_commands(self) -> list[SystemCommand]:
        from simulator.app import binding_commands

        out = binding_commands(self)
        for turn, why in self.turns:
            out.append(SystemCommand(f"Rewind to turn {turn}", why, partial(self.rewind_to, turn)))
        return out
