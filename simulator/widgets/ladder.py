"""The hierarchy ladder, highest rung on top, the player's rung marked."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from engine.messages import t


class Ladder(Widget):
    """Draws the ladder and, when the last answer's move was blocked, why."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rungs: tuple[str, ...] = ()
        self.current = ""
        self.moved = 0  # +1 up, -1 down, 0 none (last answer)
        self.blocked: str | None = None
        self.lang: str | None = None

    def set_ladder(
        self,
        rungs: tuple[str, ...],
        current: str,
        moved: int,
        blocked: str | None,
        lang: str | None = None,
    ) -> None:
        """Show `rungs` with `current` marked; `blocked` says why a climb did not happen."""
        self.rungs, self.current, self.moved, self.blocked = rungs, current, moved, blocked
        self.lang = lang
        self.refresh(layout=True)

    def render(self) -> Content:
        lines: list[Content] = [Content.styled(t("ladder.title", self.lang), "bold")]
        arrow = {1: " ▲", -1: " ▼"}.get(self.moved, "")
        for rung in reversed(self.rungs):
            if rung == self.current:
                lines.append(
                    Content.assemble(
                        ("▶ ", "bold $accent"), (rung, "bold reverse $accent"), (arrow, "bold")
                    )
                )
            else:
                lines.append(Content.styled(f"  {rung}", "$foreground 60%"))
        if self.blocked:
            lines.append(Content.styled(f"✗ {self.blocked}", "$warning"))
        return Content("\n").join(lines)
