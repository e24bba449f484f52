"""The app's own words in the play's language: what a screen speaks, and how its keys read.

The words are engine.messages (UI-free); this module applies them to Textual. A screen's
BINDINGS are class-level, so `Localized` overrides `active_bindings` (the public property
the footer and the key panel read) to describe each key in the screen's language; which
keys exist and what they do is untouched. The help screen and the command palette take
each action's title from `palette_entry`.

A screen names its messages with `WORDS` (``key.<WORDS>.<action>`` for the footer,
``palette.<WORDS>.<action>`` and ``.detail`` for the palette and help) and speaks
`ui_lang`: the play's language on play screens, else the app's `--lang` (English if none).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual.binding import ActiveBinding, Binding
from textual.screen import Screen

from engine.messages import has, t


def action_name(action: str) -> str:
    """'choose(1)' -> 'choose', 'app.quit' -> 'quit'."""
    return action.partition("(")[0].rpartition(".")[2]


def ui_lang(screen: Screen[Any] | None) -> str | None:
    """The language `screen` speaks (its `ui_lang`), else the app's `--lang`."""
    if screen is None:
        return None
    lang = getattr(screen, "ui_lang", None)
    if isinstance(lang, str):
        return lang
    app_lang = getattr(screen.app, "lang", None)
    return app_lang if isinstance(app_lang, str) else None


def key_description(words: str, binding: Binding, lang: str | None) -> str:
    """How the footer names `binding` in `lang` (its own description when Parley has none)."""
    name = action_name(binding.action)
    for key in (f"key.{words}.{name}", f"key.{name}"):
        if binding.description and has(key):
            return t(key, lang)
    return binding.description


def palette_entry(screen: Screen[Any], action: str) -> tuple[str, str] | None:
    """(title, detail) of `action` on `screen` for the palette and help, or None."""
    words = getattr(screen, "WORDS", "")
    key = f"palette.{words}.{action_name(action)}"
    if not words or not has(key):
        return None
    lang = ui_lang(screen)
    detail = f"{key}.detail"
    return t(key, lang), t(detail, lang) if has(detail) else ""


class Localized:
    """Mixin for a Screen whose footer describes its keys in `ui_lang` (see the module)."""

    WORDS: ClassVar[str] = ""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        lang = ui_lang(self)  # type: ignore[arg-type]
        out: dict[str, ActiveBinding] = {}
        for key, active in bindings.items():
            binding = active.binding
            description = key_description(self.WORDS, binding, lang)
            if description != binding.description:
                binding = replace(binding, description=description)
            out[key] = active._replace(binding=binding)
        return out
