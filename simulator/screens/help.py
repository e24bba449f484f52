"""Help: every key of the screen underneath, and what it does."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def key_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, what) for every described binding of `screen`, then the app-wide ones."""
    app = screen.app
    rows: list[tuple[str, str]] = []
    for binding in getattr(screen, "BINDINGS", []):
        if not isinstance(binding, Binding) or not binding.description:
            continue
        if binding.key_display:
            keys = binding.key_display
        else:
            keys = " / ".join(
                app.get_key_display(Binding(k, binding.action)) for k in binding.key.split(",")
            )
        palette = getattr(screen, "PALETTE", {})
        title, detail = palette.get(binding.action, (binding.description.capitalize(), ""))
        what = f"{title}: {detail}" if detail else title
        if screen.check_action(binding.action.partition("(")[0], ()) is False:
            what += " (not available now)"
        rows.append((keys, what))
    rows.append(("^p", "Command palette: every action by name"))
    rows.append(("^q", "Quit Parley"))
    return rows


HELP_TEXT = {
    "PickerScreen": "Type to filter the list. ↑ ↓ move, Enter plays the highlighted scenario "
    "(or resumes your saved play). A file that does not load is listed with its error.",
    "PlayScreen": "Answer with 1–9, or ↑ ↓ and Enter, or a click. Trust, your rung on the "
    "ladder and coaching are drawn beside the conversation (on top when the window is narrow). "
    "Every answer is saved: quit any time and resume from the picker.",
    "DebriefScreen": "How the conversation went. Pick a turning point and press Enter to go "
    "back there and answer differently.",
}


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; any of escape, q, ? or F1 closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.rows = key_rows(under)
        self.intro = HELP_TEXT.get(type(under).__name__, "")

    def compose(self) -> ComposeResult:
        width = max(len(k) for k, _ in self.rows) + 2
        lines = [Content.styled("Keys", "bold $accent")]
        if self.intro:
            lines.append(Content(self.intro))
            lines.append(Content(""))
        for keys, what in self.rows:
            lines.append(Content.assemble((keys.ljust(width), "bold $accent"), what))
        lines.append(Content(""))
        lines.append(Content.styled("Press escape to close.", "italic $foreground 70%"))
        with VerticalScroll(id="help-box"):
            yield Static(Content("\n").join(lines), id="help-text")
