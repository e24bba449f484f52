"""Help: every key of the screen underneath, and what it does (in that screen's language)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from engine.messages import has, t
from simulator.localize import key_description, palette_entry, ui_lang


def key_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, what) for every described binding of `screen`, then the app-wide ones."""
    app = screen.app
    lang = ui_lang(screen)
    words = getattr(screen, "WORDS", "")
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
        entry = palette_entry(screen, binding.action)
        title, detail = entry or (key_description(words, binding, lang).capitalize(), "")
        what = f"{title}: {detail}" if detail else title
        if screen.check_action(binding.action.partition("(")[0], ()) is False:
            what = t("help.not_available", lang, what=what)
        rows.append((keys, what))
    rows.append(("^p", t("help.palette", lang)))
    rows.append(("^q", t("help.quit", lang)))
    return rows


def help_intro(screen: Screen[Any]) -> str:
    """What the screen is for and how to use it (`help.intro.<WORDS>`), or ''."""
    key = f"help.intro.{getattr(screen, 'WORDS', '')}"
    return t(key, ui_lang(screen)) if has(key) else ""


class HelpScreen(ModalScreen[None]):
    """A modal list of the keys of the screen underneath; escape, q, ? or F1 closes it.

    Registered once in the app's SCREENS (`push_screen("help")`): each time it opens it
    reads the screen it covers.
    """

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]

    def __init__(self) -> None:
        super().__init__()
        self.ui_lang: str | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(id="help-text")

    def on_screen_resume(self) -> None:
        stack = self.app.screen_stack
        under = stack[stack.index(self) - 1] if self in stack and stack.index(self) > 0 else None
        if under is not None:
            self.show_keys_of(under)

    def show_keys_of(self, under: Screen[Any]) -> None:
        rows = key_rows(under)
        intro = help_intro(under)
        self.ui_lang = ui_lang(under)
        width = max(len(k) for k, _ in rows) + 2
        lines = [Content.styled(t("help.title", self.ui_lang), "bold $accent")]
        if intro:
            lines.append(Content(intro))
            lines.append(Content(""))
        for keys, what in rows:
            lines.append(Content.assemble((keys.ljust(width), "bold $accent"), what))
        lines.append(Content(""))
        lines.append(Content.styled(t("help.close", self.ui_lang), "italic $foreground 70%"))
        self.query_one("#help-text", Static).update(Content("\n").join(lines))
        self.query_one("#help-box", VerticalScroll).scroll_home(animate=False)
