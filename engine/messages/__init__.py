"""Parley's own words (not the scenario's) in the player's language: en, nl, sv.

``t(key, lang, **fields)`` is message ``key`` in ``lang`` with its ``{placeholders}``
filled; ``tn(key, n, lang, **fields)`` picks the singular (``key.one``) or plural
(``key.other``) form for ``n`` and passes ``n`` as a field. A language Parley has no
catalogue for falls back to English; a regional code (``nl-BE``, ``sv_FI``) uses its base
language. An unknown key is a programming error (KeyError); a test checks that every
catalogue has every key of the English one, with the same placeholders.

The catalogues are Python dicts (``engine/messages/en.py``, ``nl.py``, ``sv.py``) rather
than stdlib gettext, because gettext needs compiled .mo files and a build step, while
three small dicts ship as source, are type-checked, and keep the engine free of build
tools and of any UI (the engine renders the debrief text; the app only draws).

Trust level names and rung names are not here: they are ids the scenario defines
(``trust.levels``, ``hierarchy.ladder``) and are shown as the scenario gives them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from engine.messages.en import MESSAGES as EN
from engine.messages.nl import MESSAGES as NL
from engine.messages.sv import MESSAGES as SV

DEFAULT_LANG = "en"
BUILT_IN: Mapping[str, Mapping[str, str]] = {"en": EN, "nl": NL, "sv": SV}
# the built-in catalogues plus any a trainer added as <locale folder>/<lang>.po
CATALOGUES: dict[str, Mapping[str, str]] = dict(BUILT_IN)
_locale_dirs: list[Path] = []
_looked: set[str] = set()


def use_locale_dir(folder: Path) -> None:
    """Also speak the languages whose catalogue (`<lang>.po`) a trainer put in `folder`.

    Catalogues are read when a language is first asked for (see engine.messages.po).
    """
    if folder not in _locale_dirs:
        _locale_dirs.append(folder)
        _looked.clear()


def _find(code: str) -> bool:
    if code in CATALOGUES:
        return True
    if code in _looked or not _locale_dirs:
        return False
    _looked.add(code)
    for folder in _locale_dirs:
        path = folder / f"{code}.po"
        if path.is_file():
            from engine.messages.po import read_catalogue

            found = read_catalogue(path, EN)
            if found.messages:
                CATALOGUES[code] = found.messages
                return True
    return False


def language(lang: str | None) -> str:
    """The catalogue Parley speaks for `lang`: its own, its base language's, else English."""
    if lang:
        if _find(lang):
            return lang
        base = lang.replace("_", "-").split("-")[0].lower()
        if _find(base):
            return base
    return DEFAULT_LANG


def has(key: str) -> bool:
    """Whether `key` is a message (in the English catalogue, which every other one mirrors)."""
    return key in CATALOGUES[DEFAULT_LANG]


def t(key: str, lang: str | None, /, **fields: object) -> str:
    """Message `key` in `lang` (English when Parley does not speak it), fields filled in."""
    text = CATALOGUES[language(lang)].get(key)
    if text is None:
        text = CATALOGUES[DEFAULT_LANG][key]
    return text.format(**fields)


def tn(key: str, n: int, lang: str | None, /, **fields: object) -> str:
    """The singular (`n == 1`) or plural form of message `key`, with `n` among the fields."""
    return t(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **fields)


def outcome_word(outcome: str, lang: str | None) -> str:
    """An ending's outcome (success, partial, failure) as the player reads it."""
    key = f"outcome.{outcome}"
    return t(key, lang) if has(key) else outcome
