"""Text from untrusted places (scenario files, names typed by players, records) made safe
for where it goes: a terminal, a spreadsheet, a Markdown or HTML page.

- `visible(text)`: every C0/C1 control character except newline and tab is shown as a
  visible stand-in (ESC as `␛`, other C0 as their Control Pictures, DEL as `␡`, C1 as
  `\\x9b`), so no escape sequence written into a scenario or a name reaches a terminal.
- `csv_cell(value)`: a cell that a spreadsheet would run as a formula (starting with
  = + - @, tab or carriage return) gets a leading `'` (the OWASP advice); numbers stay
  numbers.
- `md_text(text)`: Markdown and HTML in a text cell are shown, not interpreted (no
  `<img onerror>`, no links, no remote images); `md_code(text)` is a code span that
  cannot be broken out of.
- `control_chars(text)`: the control characters `visible` would replace (for `check`).
"""

from __future__ import annotations

import html
import re
from typing import Any

# C0 except \t and \n, DEL, C1
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (ESC is ␛)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}"  # C1: no picture exists; say which


def visible(text: str) -> str:
    """`text` with every control character but newline and tab made visible."""
    return _CONTROL.sub(_picture, text) if _CONTROL.search(text) else text


def control_chars(text: str) -> list[str]:
    """The control characters (other than newline and tab) in `text`, in order."""
    return _CONTROL.findall(text)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?%?")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text, never runs (numbers pass unchanged)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_row(row: list[Any]) -> list[Any]:
    return [csv_cell(c) for c in row]


# Markdown punctuation that can start emphasis, links, images, code, headings, tables
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~])")


def md_text(text: str) -> str:
    """`text` for a Markdown table cell or paragraph: shown literally, on one line."""
    one_line = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


def md_code(text: str) -> str:
    """`text` as a Markdown code span (HTML inside a code span is not interpreted)."""
    return "`" + " ".join(text.split()).replace("`", "'").replace("|", "\\|") + "`"
