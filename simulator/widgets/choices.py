"""The numbered answers the player may give now."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.conversation import Conversation
from engine.messages import t
from simulator.widgets.hanging import Hanging

DEBRIEF_OPTION = "__debrief__"


class ChoiceList(OptionList):
    """Offered choices numbered 1..n; picked with 1–9, arrows + Enter, or the mouse."""

    def show(self, conv: Conversation) -> None:
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
