"""The room-mode screens (simulator/room_app.py runs them): one conversation on a projector.

Made for 1280×720 to 1920×1080 projectors (about 110×32 to 200×50 cells). The top line keeps
the scenario, the counterpart's trust and the room's rung in view; the conversation reads on
the left at a comfortable measure (wrapped by the screen, never broken in advance); the right
shows the last vote as a bar chart with the coaching for it; the answers to vote on run
across the bottom, each with its count field.

The facilitator types a count per answer (Tab moves to the next) and presses Enter, or types
only the majority's answer number in the last field. On a tie, they press the number of the
answer they pick. The end shows the room's path with every split.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from engine.errors import ParleyError
from engine.messages import t
from simulator.localize import Localized
from simulator.room import (
    RoomPlay,
    RoomTie,
    Vote,
    VoteError,
    coaching_lines,
    debrief_lines,
)
from simulator.widgets.hanging import Hanging
from simulator.widgets.story import Story
from simulator.widgets.trust import BAND_STYLES, bar, delta_text, trust_band
from simulator.widgets.votes import VoteSplit


class VoteRow(Horizontal):
    """One answer to vote on: its count field, then its number and text."""

    def __init__(self, number: int, text: str) -> None:
        super().__init__(classes="vote-row")
        self.number = number
        self.text = text

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="0",
            type="integer",
            compact=True,
            valid_empty=True,
            id=f"count-{self.number}",
        )
        yield Static(self._label(), classes="vote-text")

    def _label(self) -> Hanging:
        return Hanging(Content.styled(f"{self.number}. ", "bold $accent"), Content(self.text))

    def show(self, text: str) -> None:
        """Reuse the row for the next decision's answer number `self.number`."""
        self.text = text
        self.query_one(".vote-text", Static).update(self._label())
        self.query_one(Input).value = ""


class RoomScreen(Localized, Screen[None]):
    """The play on the projector; its words follow the play's language."""

    WORDS = "room"
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
        Binding("escape", "clear", "Clear counts"),
    ]

    def __init__(self, play: RoomPlay) -> None:
        super().__init__()
        self.play = play
        self.tied: tuple[str, ...] = ()
        self.last_delta = 0

    @property
    def ui_lang(self) -> str:
        return self.play.conv.lang

    def compose(self) -> ComposeResult:
        sc = self.play.conv.scenario
        lang = self.ui_lang
        with Horizontal(id="room-top"):
            yield Static(t("room.title", lang, title=sc.title.get(lang)), id="room-title")
            yield Static(id="room-standing")
        with Horizontal(id="room-main"):
            yield Story(id="room-story", said_key="room.said_label")
            with VerticalScroll(id="room-side"):
                yield Static(id="room-split-heading")
                yield VoteSplit(id="room-split")
                yield Static(id="room-coaching")
        with VerticalScroll(id="room-vote"):
            with Horizontal(id="room-majority"):
                yield Static(id="room-majority-label")
                yield Input(
                    placeholder="#", type="integer", compact=True, valid_empty=True, id="majority"
                )
            yield Static(id="room-message")
        yield Footer()

    async def on_mount(self) -> None:
        conv = self.play.conv
        self.query_one("#room-split-heading", Static).update(
            Content.styled(t("room.waiting_split", conv.lang), "italic $foreground 60%")
        )
        await self.query_one(Story).rebuild(conv)
        self._show_standing()
        await self._build_vote()

    # ------------------------------------------------------------------ drawing
    def _show_standing(self) -> None:
        """Whose trust, how much, its level and the room's rung: always on the top line."""
        conv = self.play.conv
        sc = conv.scenario
        lang = conv.lang
        style = BAND_STYLES[trust_band(sc, conv.level_index)]
        who = sc.speaker_name(sc.counterpart, lang)
        position = f"{sc.ladder.index(conv.rung) + 1}/{len(sc.ladder)}"
        standing = Content.assemble(
            (t("trust.whose", lang, who=who), "bold"),
            " ",
            (str(conv.trust), f"bold {style}"),
            " ",
            bar(conv.trust, 10, style),
            " ",
            (sc.level_label(conv.trust_level, lang), style),
            " ",
            delta_text(self.last_delta),
            ("  ·  ", "$foreground 50%"),
            (f"{t('room.rung', lang)} ", "bold"),
            (sc.rung_label(conv.rung, lang), "bold $accent"),
            (f" {position}", "$foreground 60%"),
        )
        self.query_one("#room-standing", Static).update(standing)

    async def _build_vote(self) -> None:
        """The answers of the decision now, each with its count field (rows are reused, so
        the first field has the focus as soon as the screen shows the new answers)."""
        box = self.query_one("#room-vote", VerticalScroll)
        conv = self.play.conv
        if conv.ended:
            box.display = False
            return
        lang = conv.lang
        box.border_title = t("room.votes_title", lang, turn=conv.turns + 1)
        box.border_subtitle = t("room.counts_hint", lang)
        texts = [" ".join(c.text.get(lang).split()) for c in conv.presented()]
        rows = list(self.query(VoteRow).results(VoteRow))
        for row in rows[len(texts) :]:
            await row.remove()
        for row, text in zip(rows, texts, strict=False):
            row.show(text)
        fresh = [VoteRow(n, text) for n, text in enumerate(texts, start=1)][len(rows) :]
        if fresh:
            await box.mount_all(fresh, before="#room-majority")
        self.query_one("#room-majority-label", Static).update(
            Content.styled(t("room.majority_field", lang), "$foreground 70%")
        )
        self.query_one("#majority", Input).value = ""
        box.scroll_home(animate=False)
        self._focus_first()

    def _focus_first(self) -> None:
        self.query_one("#count-1", Input).focus()

    def _message(self, text: str) -> None:
        self.query_one("#room-message", Static).update(
            Content.styled(text, "bold $warning") if text else Content("")
        )

    # ------------------------------------------------------------------ voting
    def _read_vote(self) -> Vote:
        n = len(self.play.offered)
        raw = [self.query_one(f"#count-{i}", Input).value.strip() for i in range(1, n + 1)]
        majority = self.query_one("#majority", Input).value.strip()
        if any(raw):
            return Vote(tuple(int(v or 0) for v in raw), majority or None)
        if majority:
            return Vote(None, majority)
        raise VoteError(t("room.enter_counts", "en"), key="room.enter_counts")

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.submit()

    async def submit(self, pick: str | None = None) -> None:
        try:
            vote = self._read_vote()
            if pick is not None:
                vote = Vote(vote.counts, pick)
            rs = self.play.vote(vote)
        except RoomTie as tie:
            options = self.play.offered
            self.tied = tuple(str(options.index(c) + 1) for c in tie.tied)
            keys = t("room.or", self.ui_lang).join(self.tied)
            self._message(
                t("room.tie_prompt", self.ui_lang, problem=tie.text(self.ui_lang), keys=keys)
            )
            self.set_focus(None)  # the next key is the pick, not a count
            return
        except VoteError as exc:
            self._message(exc.text(self.ui_lang))
            return
        except (ParleyError, ValueError) as exc:
            self._message(str(getattr(exc, "message", exc)))
            return
        if self.play.problem:  # records trouble: show it, the room plays on
            title = t("room.could_not_record", self.ui_lang)
            self.notify(self.play.problem, title=title, severity="error", markup=False)
        self.tied = ()
        self._message("")
        conv = self.play.conv
        lang = conv.lang
        self.last_delta = rs.step.trust_delta
        await self.query_one(Story).sync(conv)
        self._show_standing()
        self.query_one("#room-split-heading", Static).update(
            Content.styled(t("room.split_heading", lang, turn=rs.step.turn), "bold")
        )
        self.query_one(VoteSplit).show(rs, lang)
        coaching = [Content(line) for line in coaching_lines(self.play, rs)]
        self.query_one("#room-coaching", Static).update(Content("\n").join(coaching))
        self.query_one("#room-side", VerticalScroll).scroll_home(animate=False)
        await self._build_vote()
        if conv.ended:
            self.post_message(self.Ended())

    class Ended(Message):
        """The room's conversation reached an ending: the app shows the room's debrief."""

    async def on_key(self, event: Any) -> None:
        if self.tied and event.key in self.tied:
            event.stop()
            event.prevent_default()
            await self.submit(pick=event.key)

    def action_clear(self) -> None:
        for widget in self.query("#room-vote Input").results(Input):
            widget.value = ""
        self._message("")
        self._focus_first()


class RoomDebrief(Localized, Screen[None]):
    """The room's path and the ending, in the play's language."""

    WORDS = "room"
    BINDINGS = [Binding("q,ctrl+q,escape", "app.quit", "Quit")]

    def __init__(self, play: RoomPlay) -> None:
        super().__init__()
        self.play = play

    @property
    def ui_lang(self) -> str:
        return self.play.conv.lang

    def compose(self) -> ComposeResult:
        yield Static(t("room.debrief_title", self.ui_lang), id="room-title")
        with VerticalScroll(id="room-debrief"):
            yield Static("\n".join(debrief_lines(self.play)), markup=False, id="debrief-text")
        yield Footer()
