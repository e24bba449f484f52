"""The room's vote at one decision as a bar chart: one bar per answer, the chosen one marked."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from engine.messages import t
from simulator.room import RoomStep

BAR_STYLE = "$accent"
CHOSEN_STYLE = "$success"


class VoteSplit(Static):
    """Bars sized to the widget's width; under each, the answer's first words."""

    DEFAULT_CSS = "VoteSplit { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.step: RoomStep | None = None
        self.lang: str | None = None

    def show(self, step: RoomStep, lang: str | None) -> None:
        self.step, self.lang = step, lang
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        if self.step is None:
            return 0
        return 2 * len(self.step.options) + 1

    def render(self) -> Content:
        rs = self.step
        if rs is None:
            return Content("")
        lang = self.lang
        width = max(20, self.content_size.width)
        total = rs.total_votes
        lines: list[Content] = []
        for i, choice in enumerate(rs.options, start=1):
            chosen = choice.id == rs.step.choice
            style = CHOSEN_STYLE if chosen else BAR_STYLE
            mark = Content.styled("▶ " if chosen else "  ", f"bold {CHOSEN_STYLE}")
            number = Content.styled(f"{i} ", "bold")
            if rs.counts is None:
                tail = Content.styled(t("room.chosen", lang) if chosen else "", style)
                lines.append(Content.assemble(mark, number, tail))
            else:
                n = rs.counts[i - 1]
                share = n / total if total else 0.0
                figures = f" {n:>3}  {round(share * 100):>3}%"
                size = max(4, width - 4 - len(figures))
                filled = round(share * size)
                lines.append(
                    Content.assemble(
                        mark,
                        number,
                        ("█" * filled, style),
                        ("░" * (size - filled), "$foreground 25%"),
                        (figures, f"bold {style}" if chosen else ""),
                    )
                )
            text = " ".join(choice.text.get(lang).split())
            lines.append(
                Content.styled(text, "$foreground 60%")
                .truncate(width - 4, ellipsis=True)
                .pad_left(4)
            )
        note = ""
        if rs.counts is None:
            note = t("room.majority_only", lang)
        elif rs.tie:
            note = t("room.tie_picked", lang)
        lines.append(Content.styled(note, "italic $foreground 60%"))
        return Content("\n").join(lines)
