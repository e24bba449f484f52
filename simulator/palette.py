"""The command palette's entries for a screen's keys, in the screen's language."""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from engine.messages import t
from simulator.localize import key_description, palette_entry, ui_lang


def binding_commands(screen: Screen[Any], skip: Collection[str] = ()) -> list[SystemCommand]:
    """A palette entry for every described key binding of `screen` the screen allows now
    (except the actions named in `skip`), in the screen's language."""
    out: list[SystemCommand] = []
    seen: set[str] = set()
    lang = ui_lang(screen)
    words = getattr(screen, "WORDS", "")
    for binding in getattr(screen, "BINDINGS", []):
        if not isinstance(binding, Binding) or not binding.description:
            continue
        action = binding.action
        name, _, _ = action.partition("(")
        if action in seen or name in skip or screen.check_action(name, ()) is False:
            continue
        seen.add(action)
        keys = binding.key_display or ", ".join(
            screen.app.get_key_display(Binding(k, action)) for k in binding.key.split(",")
        )
        entry = palette_entry(screen, action)
        title, help_text = entry or (key_description(words, binding, lang), "")
        out.append(
            SystemCommand(
                title,
                t("palette.with_key", lang, help=help_text, keys=keys)
                if help_text
                else t("palette.key_only", lang, keys=keys),
                partial(screen.run_action, action),
            )
        )
    return out
