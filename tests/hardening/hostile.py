"""Hostile inputs, generated: each test draws its own from these, with its own seed."""

from __future__ import annotations

import json
import random
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SMALL = FIXTURES / "tui_small.yaml"

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
FORMULA_BODIES = ['HYPERLINK("http://evil.example","x")', "SUM(1,2)", "cmd|' /C calc'!A0", "1+1"]
MARKUP = [
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![pixel](http://evil.example/p.png)",
    "<script>alert(1)</script>",
    "**bold** _it_ `code` | pipe",
    "<a href='javascript:alert(1)'>x</a>",
]
# control characters a terminal acts on: ESC sequences, C1 CSI, bell, backspace, CR
CONTROLS = ["\x1b[2J", "\x1b]0;pwned\x07", "\x9b31m", "\x08\x08", "\r", "\x1b[?1049h", "\x7f"]


def formula(rng: random.Random) -> str:
    return rng.choice(FORMULA_STARTS) + rng.choice(FORMULA_BODIES)


def markup(rng: random.Random) -> str:
    return rng.choice(MARKUP)


def control(rng: random.Random) -> str:
    words = ["Ann", "budget", "ok"]
    return rng.choice(words) + rng.choice(CONTROLS) + rng.choice(words)


def yaml_str(text: str) -> str:
    """`text` as a YAML double-quoted string (JSON's escapes are YAML's)."""
    return json.dumps(text)


def small_with(replacements: dict[str, str]) -> str:
    """tui_small.yaml with some English texts replaced (keys: the text as written)."""
    src = SMALL.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert f'"{old}"' in src, old
        src = src.replace(f'"{old}"', yaml_str(new), 1)
    return src
