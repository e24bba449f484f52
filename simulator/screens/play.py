"""The conversation screen: the line, the answers, trust, the ladder, coaching, the transcript."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from engine.conversation import Conversation, StartPoint
from engine.errors import ParleyError, SaveError
from engine.events import Step
from engine.feedback import resolve_mode
from engine.learning import blocked_why
from engine.messages import t
from engine.model import Scenario
from engine.startpoint import can_occur
from simulator.localize import Localized
from simulator.saves import restore_play, save_path, set_aside
from simulator.session import AfterDebrief, CoachingChosen, LanguageChosen, SessionOf
from simulator.watch import Reload, reload, replay_by_id, stamp
from simulator.widgets.choices import DEBRIEF_OPTION, ChoiceList
from simulator.widgets.coaching import CoachingPanel
from simulator.widgets.ladder import Ladder
from simulator.widgets.story import Story
from simulator.widgets.trust import StatusLine, TrustMeter, trust_band

if TYPE_CHECKING:
    from simulator.screens.author import EdgesPanel

WATCH_INTERVAL = 0.5


def _edges_panel() -> type[EdgesPanel]:
    """The author's panel (--author only: it brings the scenario graph, networkx)."""
    from simulator.screens.author import EdgesPanel

    return EdgesPanel


class PlayScreen(Localized, Screen[None]):
    """One play. Keys: 1–9 answer, u undo, l language, f coaching mode, ? help, q quit.

    Its own words (footer, notices, widgets) follow the play's language (engine.messages).
    """

    WORDS = "play"
    session = SessionOf()

    BINDINGS = [
        Binding("1", "choose(1)", "answer", key_display="1-9"),
        *[Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)],
        Binding("u,ctrl+z", "undo", "undo"),
        Binding("l", "language", "lang"),
        Binding("f", "feedback", "coach"),
        Binding("d", "debrief", "debrief"),
        Binding("1", "debrief", show=False),  # at the end, 1 opens the debrief (answers are off)
        Binding("t", "transcript", "transcript", show=False),
        Binding("question_mark,f1", "help", "help"),
        Binding("escape", "back", "scenarios", show=False),
        Binding("q", "quit", "quit"),
        Binding("ctrl+j", "author_jump", "jump"),  # author mode only (check_action)
        Binding("ctrl+e", "author_state", "state"),
    ]

    def __init__(
        self,
        scenario: Scenario | None,
        *,
        resume: bool = True,
        watch_path: Path | None = None,
        load_error: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.conv: Conversation | None = None
        self.mode = "immediate"
        self.resume = resume
        self.watch_path = watch_path
        self.load_error: tuple[str, ...] = tuple(load_error)
        self._stamp: tuple[int, int] | None = None
        self._can_occur: bool | None = True  # author mode: can a play be in the start state

    @property
    def author(self) -> bool:
        """`parley play --author`: jump to nodes, edit the state, see the edges."""
        return bool(self.session.settings.author)

    @property
    def ui_lang(self) -> str | None:
        """The play's language; before a play exists, the one it will have."""
        if self.conv is not None:
            return self.conv.lang
        lang = self.session.lang
        sc = self.scenario
        if sc is not None and lang not in sc.languages:
            return sc.language
        return lang

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="top-title")
            yield Static(id="top-meta")
        yield Static(id="load-error")
        yield StatusLine(id="status")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Story(id="story")
                yield CoachingPanel(id="coach-inline", classes="coach")
                yield ChoiceList(id="choices")
            with Vertical(id="side"):
                yield TrustMeter(id="trust")
                yield Ladder(id="ladder")
                yield CoachingPanel(id="coach", classes="coach")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        if self.watch_path is not None:
            self._stamp = stamp(self.watch_path)
            self.set_interval(WATCH_INTERVAL, self._poll_file)
        self._show_load_error()
        if self.author:
            await self.query_one("#side", Vertical).mount(_edges_panel()(id="edges"))
        if self.scenario is not None:
            await self._begin(self.scenario, self.resume and not self.author)
        else:
            self._draw_empty()

    async def _begin(self, scenario: Scenario, resume: bool) -> None:
        """Start (or resume) a play of `scenario`; a damaged save means a fresh start."""
        self.scenario = scenario
        feedback = self.session.feedback
        try:
            self.mode = resolve_mode(scenario, feedback)
        except ParleyError:
            self.mode = scenario.feedback_mode
        conv: Conversation | None = None
        participant = self.session.settings.participant
        if resume:
            self._report(self.session.hooks.flush())
            try:
                conv = restore_play(scenario, participant)
            except SaveError as exc:
                set_aside(save_path(scenario, participant))
                self.notify(
                    t("screen.fresh_start", self.ui_lang, problem=exc.message),
                    title=t("screen.save_damaged", self.ui_lang),
                    severity="warning",
                    timeout=8,
                    markup=False,
                )
            except ParleyError as exc:
                self.notify(
                    t("screen.fresh_start", self.ui_lang, problem=exc),
                    severity="warning",
                    markup=False,
                )
        asked = self.session.lang
        if asked is not None and asked not in scenario.languages:  # say so, once per play
            self.notify(
                t(
                    "screen.no_such_language",
                    scenario.language,
                    lang=asked,
                    title=scenario.title.get(scenario.language),
                    used=scenario.language,
                    langs=", ".join(sorted(scenario.languages)),
                ),
                timeout=8,
                markup=False,
            )
        resumed = conv is not None and bool(conv.choices_made)
        try:
            if conv is None:
                # each play shows the options in its own order (engine.order)
                seed = self.session.settings.play_seed()
                conv = Conversation(scenario, lang=self.session.lang, seed=seed)
            elif self.session.lang in scenario.languages:
                conv.lang = self.session.lang
        except ParleyError as exc:
            self.load_error = (str(exc),)
            self._show_load_error()
            self._draw_empty()
            return
        if resumed:
            self.notify(
                t("screen.resumed", conv.lang, turn=conv.turns + 1),
                title=t("screen.welcome_back", conv.lang),
            )
        self.conv = conv
        self._report(self.session.hooks.start(conv))
        await self.redraw(rebuild=True)
        self.query_one("#choices", ChoiceList).focus()

    def _report(self, problems: Sequence[str]) -> None:
        """A play hook's trouble (autosave, records): say so; the play goes on."""
        for problem in problems:
            title = t("screen.could_not_save", self.ui_lang)
            self.notify(problem, title=title, severity="error", markup=False)

    # ------------------------------------------------------------------ drawing
    def _draw_empty(self) -> None:
        self.query_one("#top-title", Static).update(Content.styled("Parley", "bold $accent"))
        self.query_one("#top-meta", Static).update("")
        self.query_one("#choices", ChoiceList).set_options([])

    def _show_load_error(self) -> None:
        box = self.query_one("#load-error", Static)
        if self.load_error:
            lines = [Content.styled("The scenario file does not load:", "bold")]
            lines += [Content(e) for e in self.load_error]
            if self.watch_path is not None:
                lines.append(
                    Content.styled("Fix the file and save it: Parley reloads it.", "italic")
                )
            box.update(Content("\n").join(lines))
        box.set_class(bool(self.load_error), "-visible")

    async def redraw(self, rebuild: bool = False, step: Step | None = None) -> None:
        """Draw everything from the Conversation (the only state), in one frame."""
        conv = self.conv
        if conv is None:
            return
        self.refresh_bindings()  # the footer follows the play: answers while on, debrief at the end
        sc = conv.scenario
        lang = conv.lang
        self.query_one("#top-title", Static).update(
            Content.assemble(("Parley", "bold $accent"), "  ", (sc.title.get(lang), "bold"))
        )
        meta = t("screen.meta_turn", lang, turn=conv.turns + (0 if conv.ended else 1), lang=lang)
        if conv.ended:
            meta = t("screen.meta_ended", lang, lang=lang)
        self.query_one("#top-meta", Static).update(Content.styled(meta, "$foreground 70%"))
        story = self.query_one("#story", Story)
        if rebuild:
            await story.rebuild(conv)
        else:
            await story.sync(conv)
        self.query_one("#choices", ChoiceList).show(conv)
        delta = step.trust_delta if step is not None else 0
        band = trust_band(sc, conv.level_index)
        who = sc.speaker_name(sc.counterpart, lang)
        level = sc.level_label(conv.trust_level, lang)
        self.query_one("#trust", TrustMeter).set_trust(
            conv.trust, level, band, delta, who, animate=step is not None, lang=lang
        )
        moved = 0
        blocked: str | None = None
        if step is not None:
            before, after = sc.ladder.index(step.rung_before), sc.ladder.index(step.rung_after)
            moved = (after > before) - (after < before)
            if step.blocked:
                b = step.blocked[-1]
                why = blocked_why(sc, b.to_rung, lang)
                blocked = t("ladder.blocked", lang, rung=sc.rung_label(b.to_rung, lang), why=why)
        rungs = tuple(sc.rung_label(r, lang) for r in sc.ladder)
        rung = sc.rung_label(conv.rung, lang)
        self.query_one("#ladder", Ladder).set_ladder(rungs, rung, moved, blocked, lang)
        position = f"{sc.ladder.index(conv.rung) + 1}/{len(sc.ladder)}"
        self.query_one("#status", StatusLine).set_status(
            conv.trust, level, band, delta, rung, position, lang=lang
        )
        for panel in self.query(CoachingPanel):
            panel.show(conv, self.mode)
        if self.author:
            self.query_one("#edges", _edges_panel()).show(sc, conv.node.id, self._can_occur)

    # ------------------------------------------------------------------ answering
    async def action_choose(self, number: int) -> None:
        conv = self.conv
        if conv is None:
            return
        if conv.ended:
            if number == 1:
                self.action_debrief()
            return
        offered = conv.presented()  # the keys follow the order on screen
        if 1 <= number <= len(offered):
            await self.answer(offered[number - 1].id)

    @on(OptionList.OptionSelected, "#choices")
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == DEBRIEF_OPTION:
            self.action_debrief()
        elif event.option.id is not None:
            await self.answer(event.option.id)

    async def answer(self, choice_id: str) -> None:
        conv = self.conv
        if conv is None:
            return
        try:
            step = conv.choose(choice_id)
        except ParleyError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.app.clear_notifications()  # an old notice is about the turn before
        self._report(self.session.hooks.step(conv, step))
        await self.redraw(step=step)

    async def action_undo(self) -> None:
        conv = self.conv
        if conv is None:
            return
        if not conv.choices_made:
            self.notify(t("screen.nothing_to_undo", conv.lang))
            return
        conv.undo(1)
        self._report(self.session.hooks.undo(conv))
        await self.redraw()
        self.notify(t("screen.undone", conv.lang, turn=conv.turns + 1), timeout=2)

    async def rewind_to(self, turn: int) -> None:
        """Go back to just before answer number `turn` (from the debrief)."""
        conv = self.conv
        if conv is None:
            return
        conv.rewind_to(turn)
        self._report(self.session.hooks.undo(conv))
        await self.redraw()
        self.query_one("#choices", ChoiceList).focus()
        self.notify(t("screen.rewound", conv.lang, turn=turn), timeout=3)

    async def restart(self) -> None:
        """Play again from the start."""
        conv = self.conv
        if conv is None:
            return
        conv.undo(len(conv.choices_made))
        self._report(self.session.hooks.undo(conv))
        await self.redraw()
        self.query_one("#choices", ChoiceList).focus()

    # ------------------------------------------------------------------ author mode
    def action_author_jump(self) -> None:
        if self.conv is not None:
            from simulator.screens.author import NodeJump

            self.app.push_screen(NodeJump(self.conv.scenario, self.conv.lang), self._jump)

    def action_author_state(self) -> None:
        if self.conv is not None:
            from simulator.screens.author import StateEditor

            self.app.push_screen(StateEditor(self.conv), self._play_from)

    async def _jump(self, node_id: str | None) -> None:
        conv = self.conv
        if node_id is None or conv is None:
            return
        flags = dict(conv.flags)
        await self._play_from(StartPoint(node_id, conv.trust, conv.hierarchy, flags))

    async def _play_from(self, point: StartPoint | None) -> None:
        conv = self.conv
        if point is None or conv is None:
            return
        try:
            self.conv = Conversation(conv.scenario, lang=conv.lang, start=point)
        except ParleyError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._can_occur = can_occur(conv.scenario, self.conv)
        await self.redraw(rebuild=True)
        self.query_one("#choices", ChoiceList).focus()

    # ------------------------------------------------------------------ other keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        conv = self.conv
        if action == "language":
            return conv is not None and len(conv.scenario.languages) > 1
        if action == "debrief":
            return conv is not None and conv.ended
        if action == "choose":  # hidden at the end, so the footer has room for the debrief
            return conv is None or not conv.ended
        if action == "back":
            return not self.session.direct
        if action in ("undo", "feedback", "transcript"):
            return conv is not None
        if action in ("author_jump", "author_state"):
            return self.author and conv is not None
        return True

    async def action_language(self) -> None:
        conv = self.conv
        if conv is None or len(conv.scenario.languages) < 2:
            return
        langs = sorted(conv.scenario.languages)
        conv.lang = (
            langs[(langs.index(conv.lang) + 1) % len(langs)] if conv.lang in langs else langs[0]
        )
        self.post_message(LanguageChosen(conv.lang))
        await self.redraw(rebuild=True)
        self.notify(t("screen.language", conv.lang, lang=conv.lang), timeout=2)

    def action_feedback(self) -> None:
        self.mode = "debrief" if self.mode == "immediate" else "immediate"
        self.post_message(CoachingChosen(self.mode))
        if self.conv is not None:
            for panel in self.query(CoachingPanel):
                panel.show(self.conv, self.mode)
        mode = t(f"screen.mode.{self.mode}", self.ui_lang)
        self.notify(t("screen.coaching_mode", self.ui_lang, mode=mode), timeout=2)

    def action_debrief(self) -> None:
        if self.conv is None or not self.conv.ended:
            return
        from simulator.screens.debrief import DebriefScreen

        self.app.push_screen(DebriefScreen(self.conv), callback=self._after_debrief)

    async def _after_debrief(self, result: AfterDebrief | None) -> None:
        """The debrief closed: back to the ending, or play again, or rewind to a turn."""
        if result is None:
            return
        if result.action == "replay":
            await self.restart()
        elif result.action == "rewind":
            await self.rewind_to(result.turn)

    def action_transcript(self) -> None:
        self.query_one("#story", Story).focus()

    def action_help(self) -> None:
        self.app.push_screen("help")

    def action_back(self) -> None:
        if not self.session.direct:
            self.dismiss()

    def action_quit(self) -> None:
        self.app.exit()

    def palette_commands(self) -> list[SystemCommand]:
        from simulator.palette import binding_commands

        out: list[SystemCommand] = []
        conv = self.conv
        if conv is not None and not conv.ended:
            for n, choice in enumerate(conv.presented(), start=1):
                text = " ".join(choice.text.get(conv.lang).split())
                short = text if len(text) <= 60 else text[:59].rstrip() + "…"
                lang = conv.lang
                help_text = t("palette.with_key", lang, help=text, keys=n) if n <= 9 else text
                out.append(
                    SystemCommand(
                        t("screen.answer_command", lang, n=n, text=short),
                        help_text,
                        partial(self.answer, choice.id),
                    )
                )
        out += binding_commands(self, skip=("choose",))
        return out

    # ------------------------------------------------------------------ --watch
    def _poll_file(self) -> None:
        if self.watch_path is None:
            return
        now = stamp(self.watch_path)
        if now is None or now == self._stamp:
            return
        self._stamp = now
        self._reload()

    @work(thread=True, exclusive=True, group="watch")
    def _reload(self) -> None:
        assert self.watch_path is not None
        self.post_message(self.Reloaded(reload(self.watch_path)))  # thread-safe

    class Reloaded(Message):
        """The watched file was read again (in a worker thread)."""

        def __init__(self, result: Reload) -> None:
            super().__init__()
            self.result = result

    async def on_play_screen_reloaded(self, message: Reloaded) -> None:
        await self._apply_reload(message.result)

    async def _apply_reload(self, result: Reload) -> None:
        if result.scenario is None:
            self.load_error = result.errors
            self._show_load_error()
            return
        had_error = bool(self.load_error)
        self.load_error = ()
        self._show_load_error()
        if self.conv is None:
            await self._begin(result.scenario, resume=False)
            self.notify("The scenario loads now.", title="Reloaded", timeout=3)
            return
        old = self.conv
        try:
            replayed = replay_by_id(
                result.scenario, list(old.choices_made), old.lang, old.start_point, keep=old
            )
        except ParleyError as exc:
            self.load_error = (str(exc),)
            self._show_load_error()
            return
        self.scenario = result.scenario
        self.conv = replayed.conv
        if replayed.replayed < len(old.choices_made):
            self._report(self.session.hooks.undo(self.conv))
        await self.redraw(rebuild=True)
        message = f"Replayed {replayed.replayed} of {len(old.choices_made)} answers."
        if replayed.problem:
            message += f" Stopped: {replayed.problem}."
        title = "Reloaded (fixed)" if had_error else "Reloaded"
        self.notify(message, title=title, timeout=4, markup=False)

    def on_unmount(self) -> None:
        self.workers.cancel_group(self, "watch")
