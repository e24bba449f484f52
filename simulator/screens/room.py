"""The room-mode screens (simulator/room_app.py runs them): the conversation on a projector, the facilitator types the votes.

Enter a count per option (Tab moves between them) and press Enter; or type only the
majority's option number in the last field. On a tie, press the number of the option the
facilitator picks. The split and the coaching appear on the right; the end shows the
room's path with every split.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from engine.errors import ParleyError
from engine.messages import t
from engine.play import node_lines
from simulator.localize import Localized
from simulator.room import (
    RoomPlay,
    RoomTie,
    Vote,
    VoteError,
    coaching_lines,
    debrief_lines,
    split_lines,
)
from simulator.widgets.hanging import Hanging


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

    @property
    def ui_lang(self) -> str:
        return self.play.conv.lang

    def compose(self) -> ComposeResult:
        sc = self.play.conv.scenario
        lang = self.ui_lang
        yield Static(t("room.title", lang, title=sc.title.get(lang)), id="room-title")
        with Horizontal(id="room-main"):
            yield VerticalScroll(id="room-story")
            with VerticalScroll(id="room-side"):  # scrolls on short screens
                yield Vertical(id="room-vote")
                yield Static("", id="room-message")
                yield Static("", id="room-split")
                yield Static("", id="room-coaching")
        yield Footer()

    async def on_mount(self) -> None:
        conv = self.play.conv
        for node_id in conv.path:
            self._say("\n".join(node_lines(conv, node_id)))
        await self._build_vote()

    # ------------------------------------------------------------------ drawing
    def _say(self, text: str, classes: str = "") -> None:
        story = self.query_one("#room-story", VerticalScroll)
        story.mount(Static(text, classes=classes, markup=False))
        story.scroll_end(animate=False)

    async def _build_vote(self) -> None:
        box = self.query_one("#room-vote", Vertical)
        await box.remove_children()
        conv = self.play.conv
        if conv.ended:
            box.display = False
            return
        box.border_title = t("room.votes_title", conv.lang, turn=conv.turns + 1)
        rows: list[Any] = []
        for i, c in enumerate(conv.presented(), start=1):
            rows.append(
                Horizontal(
                    Label(Hanging(Content(f"{i}. "), Content(c.text.get(conv.lang)))),
                    Input(placeholder="0", type="integer", id=f"count-{i}"),
                    classes="vote-row",
                )
            )
        rows.append(
            Horizontal(
                Label(t("room.majority_field", conv.lang)),
                Input(placeholder="#", type="integer", id="majority"),
                classes="vote-row",
                id="room-majority",
            )
        )
        rows.append(Label(t("room.enter", conv.lang)))
        await box.mount_all(rows)
        self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        inputs = self.query("#room-vote Input").results(Input)
        for widget in inputs:
            widget.focus()
            break

    def _message(self, text: str) -> None:
        self.query_one("#room-message", Static).update(text)

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
        said = conv.scenario.choices[rs.step.choice].text.get(lang)
        self._say(t("room.the_room", lang, text=said), classes="said")
        for node_id in rs.step.entered:
            self._say("\n".join(node_lines(conv, node_id)))
        heading = t("room.split_heading", lang, turn=rs.step.turn)
        self.query_one("#room-split", Static).update(
            heading + "\n" + "\n".join(split_lines(rs, lang, width=10, label=0))
        )
        self.query_one("#room-coaching", Static).update("\n".join(coaching_lines(self.play, rs)))
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
