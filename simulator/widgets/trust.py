"""The trust meter and the one-line status used when the side panel is folded away."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from engine.messages import t
from engine.model import Scenario

# theme variables for the five colour bands, lowest trust first
BAND_STYLES: tuple[str, ...] = ("$error", "$warning", "$foreground", "$success", "$accent")


def trust_band(scenario: Scenario, level_index: int) -> int:
    """Which of the five colour bands a trust level falls in (levels may be more or fewer)."""
    count = len(scenario.trust_levels)
    if count <= 1:
        return 2
    return round(level_index * (len(BAND_STYLES) - 1) / (count - 1))


def bar(value: float, width: int, style: str) -> Content:
    """A 0..100 bar `width` cells wide."""
    width = max(1, width)
    filled = round(max(0.0, min(100.0, value)) * width / 100)
    return Content.assemble(("█" * filled, style), ("░" * (width - filled), "$foreground 30%"))


def delta_text(delta: int) -> Content:
    if delta > 0:
        return Content.styled(f"▲ +{delta}", "bold $success")
    if delta < 0:
        return Content.styled(f"▼ {delta}", "bold $error")
    return Content("")


class TrustMeter(Widget):
    """Trust value, level name and a bar coloured by level; the number moves on change."""

    shown: reactive[float] = reactive(0.0)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.value = 0
        self.level = ""
        self.band = 2
        self.delta = 0
        self.who = ""
        self.lang: str | None = None

    def set_trust(
        self,
        value: int,
        level: str,
        band: int,
        delta: int,
        who: str,
        animate: bool = True,
        lang: str | None = None,
    ) -> None:
        self.value, self.level, self.band, self.delta, self.who = value, level, band, delta, who
        self.lang = lang
        for b in range(len(BAND_STYLES)):
            self.set_class(b == band, f"-band-{b}")
        if animate and self.is_mounted:
            self.animate("shown", float(value), duration=0.6, easing="out_cubic")
        else:
            self.shown = float(value)
        self.refresh()

    def render(self) -> Content:
        """'Trust 45 guarded ▼ -5', the bar, whose trust it is. Nothing is dropped or cut:
        a line longer than the panel (a longer word for trust, a long name) wraps."""
        style = BAND_STYLES[self.band]
        width = max(4, self.content_size.width)
        label = Content.styled(f"{t('trust.label', self.lang)} ", "bold")
        value = round(self.shown)
        rest = Content.assemble(" ", (self.level, style), " ", delta_text(self.delta))
        head = Content.assemble(label, (f"{value:>3}", f"bold {style}"), rest)
        if 0 < self.content_size.width < head.cell_length:
            head = Content.assemble(label, (f"{value}", f"bold {style}"), rest)
        who = Content.styled(t("trust.whose", self.lang, who=self.who), "$foreground 60%")
        return Content("\n").join([head, bar(self.shown, width, style), who])


class StatusLine(Widget):
    """Trust and rung on one line, for narrow terminals where the side panel folds."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.value = 0
        self.level = ""
        self.band = 2
        self.delta = 0
        self.rung = ""
        self.rung_pos = ""
        self.lang: str | None = None

    def set_status(
        self,
        value: int,
        level: str,
        band: int,
        delta: int,
        rung: str,
        rung_pos: str,
        lang: str | None = None,
    ) -> None:
        self.value, self.level, self.band, self.delta = value, level, band, delta
        self.rung, self.rung_pos = rung, rung_pos
        self.lang = lang
        self.refresh()

    def render(self) -> Content:
        style = BAND_STYLES[self.band]
        head = Content.assemble(
            (f"{t('trust.label', self.lang)} ", "bold"),
            (f"{self.value}", f"bold {style}"),
            " ",
            (self.level, style),
            " ",
        )
        tail = Content.assemble(
            delta_text(self.delta),
            ("  · ", "$foreground 50%"),
            (self.rung, "$accent"),
            (f" {self.rung_pos}", "$foreground 60%"),
        )
        room = self.content_size.width - head.cell_length - tail.cell_length - 1
        meter = bar(self.value, min(10, room), style) if room >= 4 else Content("")
        return Content.assemble(head, meter, " ", tail)
