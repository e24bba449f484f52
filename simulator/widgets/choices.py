"""The numbered answers the player may give now."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.conversation import Conversation
from engine.messages import t
from simulator.widgets.hanging import Hanging

DEBRIEF_OPTION = "__debrief__"


class MoreList(OptionList):
    """An OptionList whose bottom border says when options are out of view (below or
    above), so the way to them is visible on a small terminal, not only a thin scrollbar."""

    lang: str | None = None
    MORE_KEY = "choices.more"

    def show_more(self) -> None:
        """Name the options out of view in the bottom border (or nothing when all fit)."""
        if self.scroll_y < self.max_scroll_y:
            self.border_subtitle = t(f"{self.MORE_KEY}_below", self.lang)
        elif self.scroll_y > 0:
            self.border_subtitle = t(f"{self.MORE_KEY}_above", self.lang)
        else:
            self.border_subtitle = None

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.show_more()

    def on_resize(self) -> None:
        self.call_after_refresh(self.show_more)


class ChoiceList(MoreList):
    """Offered choices numbered 1..n; picked with 1–9, arrows + Enter, or the mouse."""

    def show(self, conv: Conversation) -> None:
        self.lang = conv.lang
        options: list[Option] = []
        if conv.ended:
            options.append(
                Option(
                    Content.styled(f"▸ {t('choices.see_debrief', conv.lang)}", "bold $accent"),
                    id=DEBRIEF_OPTION,
                )
            )
        elif conv.stalled:
            options.append(
                Option(
                    Content.styled(t("choices.stalled", conv.lang), "$warning"),
                    disabled=True,
                )
            )
        else:
            for number, choice in enumerate(conv.presented(), start=1):
                key = f"{number} " if number <= 9 else "  "
                # the number on the first line; a wrapped answer continues under its text
                prompt = Hanging(
                    Content.styled(key, "bold $accent"), Content(choice.text.get(conv.lang))
                )
                options.append(Option(prompt, id=choice.id))
        self.set_options(options)
        self.highlighted = 0 if options and not options[0].disabled else None
        self.call_after_refresh(self.show_more)
