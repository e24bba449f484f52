"""Parley's own words (not the scenario's) in the player's language.

``t(key, lang, **fields)`` is message ``key`` in ``lang`` with its ``{placeholders}``
filled; ``tn(key, n, lang, **fields)`` picks the singular (``key.one``) or plural
(``key.other``) form for ``n`` and passes ``n`` as a field. A language Parley has no
catalogue for falls back to English, and so does a message a catalogue lacks; a regional
code (``nl-BE``, ``sv_FI``) uses its base language. An unknown key is a programming error
(KeyError).

The words are gettext PO catalogues (engine.messages.po): ``locales/parley.pot`` is the
template with every message in English, ``locales/nl.po`` and ``sv.po`` ship with Parley,
and a trainer adds a language by putting ``<lang>.po`` into a folder given to
``use_locale_dir`` (the CLI gives ``<data folder>/locales``; ``parley i18n app`` writes and
installs one). A trainer's catalogue for a shipped language overrides it message by message.
Shipped and trainer catalogues go through the same reader. A catalogue is read the first
time its language is asked for, so a command that shows no words never reads one (nor
imports polib). tests/test_messages.py checks that every shipped catalogue has every key,
with the English placeholders.

Trust level names and rung names are ids the scenario defines (``trust.levels``,
``hierarchy.ladder``); Parley's translations of the default ones (``level.open``,
``rung.peer``) are used when the scenario names them no other way (``default_name``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

DEFAULT_LANG = "en"
LOCALES = Path(__file__).parent / "locales"  # the shipped catalogues
TEMPLATE = LOCALES / "parley.pot"
MAX_BYTES = 4 * 1024 * 1024  # a larger catalogue is not read

_english: dict[str, str] | None = None
_read: dict[str, dict[str, str]] = {}  # language -> its messages (only languages asked for)
_absent: set[str] = set()  # languages looked for and not found
_locale_dirs: list[Path] = []
_cache_dir: list[Path] = []  # where catalogues read before are kept (engine.messages.cache)


def use_locale_dir(folder: Path) -> None:
    """Also speak the languages whose catalogue (`<lang>.po`) a trainer put in `folder`."""
    if folder not in _locale_dirs:
        _locale_dirs.append(folder)
        _read.clear()
        _absent.clear()


def use_cache_dir(folder: Path | None) -> None:
    """Keep what was read of each catalogue in `folder`, so a later process reads that
    instead of parsing the PO file again (engine.messages.cache); None: no cache."""
    _cache_dir[:] = [] if folder is None else [folder]


def _read_cached(sources: tuple[Path, ...], build: Callable[[], dict[str, str]]) -> dict[str, str]:
    if not _cache_dir:
        return build()
    from engine.messages.cache import cached

    return cached(_cache_dir[0], sources, build)


def _template() -> dict[str, str]:
    from engine.messages.po import read_template

    return read_template(TEMPLATE)


def english() -> Mapping[str, str]:
    """Every message (key -> English text), from the template, in its order."""
    global _english
    if _english is None:
        _english = _read_cached((TEMPLATE,), _template)
    return _english


def _catalogue(path: Path) -> dict[str, str]:
    from engine.messages.po import read_catalogue

    return read_catalogue(path, english()).messages


def shipped_languages() -> tuple[str, ...]:
    """The languages besides English whose catalogue ships with Parley."""
    return tuple(sorted(p.stem for p in LOCALES.glob("*.po")))


def _safe_code(code: str) -> bool:
    """A language code (`de`, `pt-BR`, `sv_FI`), so never a path: `ab`..`abc` then parts."""
    head, *parts = code.replace("_", "-").split("-")
    return (
        2 <= len(head) <= 3
        and head.isascii()
        and head.isalpha()
        and all(2 <= len(p) <= 8 and p.isascii() and p.isalnum() for p in parts)
    )


def catalogue_files(code: str) -> list[Path]:
    """The catalogue files for language `code`, shipped first, then each trainer folder's."""
    if not _safe_code(code):
        return []
    found = [folder / f"{code}.po" for folder in (LOCALES, *_locale_dirs)]
    return [path for path in found if path.is_file()]


def _find(code: str) -> bool:
    if code == DEFAULT_LANG or code in _read:
        return True
    if code in _absent:
        return False
    files = catalogue_files(code)
    if files:
        messages: dict[str, str] = {}
        for path in files:  # a later (trainer's) file overrides an earlier one's messages
            messages.update(_read_cached((TEMPLATE, path), partial(_catalogue, path)))
        if messages:
            _read[code] = messages
            return True
    _absent.add(code)
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


def translations(lang: str | None) -> Mapping[str, str]:
    """The messages Parley has in `lang`'s catalogue (none for English or an unknown one)."""
    code = language(lang)
    return {} if code == DEFAULT_LANG else _read.get(code, {})


def has(key: str) -> bool:
    """Whether `key` is a message (in the template, which every catalogue follows)."""
    return key in english()


def word(key: str, lang: str | None) -> str:
    """Message `key` in `lang` as written, its `{placeholders}` not filled in."""
    text = translations(lang).get(key)
    return english()[key] if text is None else text


def t(key: str, lang: str | None, /, **fields: object) -> str:
    """Message `key` in `lang` (English when Parley does not speak it), fields filled in."""
    return word(key, lang).format(**fields)


def tn(key: str, n: int, lang: str | None, /, **fields: object) -> str:
    """The singular (`n == 1`) or plural form of message `key`, with `n` among the fields."""
    return t(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **fields)


def outcome_word(outcome: str, lang: str | None) -> str:
    """An ending's outcome (success, partial, failure) as the player reads it."""
    key = f"outcome.{outcome}"
    return t(key, lang) if has(key) else outcome


def default_name(kind: str, name: str, lang: str | None, scenario_lang: str) -> str:
    """Parley's name for a default trust level (`kind` "level") or rung ("rung") `name` in
    `lang`, else in the scenario's language; `name` itself when Parley has none for it."""
    key = f"{kind}.{name}"
    if not has(key):
        return name
    for code in (lang, scenario_lang):
        if code and (language(code) != DEFAULT_LANG or code.lower().startswith(DEFAULT_LANG)):
            return t(key, code)
    return t(key, DEFAULT_LANG)
