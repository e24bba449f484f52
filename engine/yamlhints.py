"""YAML mistakes explained in an author's terms.

PyYAML says what its parser expected ("expected <block end>, but found '?'"); an author
needs the likely cause and the line to look at. `explain_syntax` turns a PyYAML error into
one P101 diagnostic that names both (for an unclosed quote, the line where it opens);
`comma_key_hint` explains an unknown key that is really the rest of a value cut at a comma
inside `{ }`. The readers call them from their error paths (engine/yamlsafe.py,
engine/loader.py); nothing here reads a file.
"""

from __future__ import annotations

import re

import yaml

from engine.diagnostics import Diagnostic
from engine.errors import Location

KEY = re.compile(r"^(\s*)(-\s+)?([A-Za-z_][\w-]*)\s*:")


def _line(lines: list[str], n: int) -> str:
    return lines[n] if 0 <= n < len(lines) else ""


def _key_above(lines: list[str], n: int) -> tuple[int, int, str] | None:
    """(line index, column of the key, key) of the nearest line above `n` holding a key."""
    for i in range(n - 1, -1, -1):
        m = KEY.match(lines[i])
        if m and not lines[i].lstrip().startswith("#"):
            col = len(m.group(1)) + (len(m.group(2)) if m.group(2) else 0)
            return i, col, m.group(3)
    return None


def _dash_above(lines: list[str], n: int, before: int) -> tuple[int, int] | None:
    """(line index, column) of the nearest list item above `n` indented at most `before`+4."""
    for i in range(n - 1, -1, -1):
        stripped = lines[i].lstrip()
        if stripped.startswith("- "):
            return i, len(lines[i]) - len(stripped)
    return None


def explain_syntax(exc: yaml.MarkedYAMLError, text: str, file: str) -> Diagnostic:
    """One P101 diagnostic for a YAML syntax error: the likely cause and where to look."""
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    lines = text.splitlines()

    def at(m: yaml.Mark | None) -> Location:
        return Location(file, m.line + 1, m.column + 1) if m else Location(file, 1, 1)

    # an unclosed quote: PyYAML stops where the file (or the line) ends; the author must
    # look where the quote opens
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        opened = exc.context_mark
        quote = _line(lines, opened.line)[opened.column : opened.column + 1] or '"'
        return Diagnostic(
            "P101",
            f"a {quote} opened here is never closed (YAML read on to line "
            f"{(exc.problem_mark.line + 1) if exc.problem_mark else '?'} looking for it)",
            at(opened),
            f"close the text with {quote} on this line, or quote it with the other kind of quote "
            "if it contains this one",
        )

    # a quote that does not close on its line runs on to the next quote in the file and
    # the parser fails later: point at the line where it opened
    if mark is not None:
        for n in range(min(mark.line, len(lines) - 1), -1, -1):
            line = lines[n]
            if line.lstrip().startswith("#"):
                continue
            if len(re.findall(r'(?<!\\)"', line)) % 2 == 1:
                column = line.index('"') if line.count('"') == 1 else line.rindex('"')
                return Diagnostic(
                    "P101",
                    f'a " opened on line {n + 1} is not closed on that line (YAML read on to '
                    f"line {mark.line + 1} looking for it)",
                    Location(file, n + 1, column + 1),
                    'close the text with " on this line, or quote it with \' if it contains "',
                )

    if mark is not None and "expected <block end>" in problem:
        here = _line(lines, mark.line)
        found = KEY.match(here)
        if "<block sequence start>" in problem or here.lstrip().startswith("- "):
            above = _dash_above(lines, mark.line, mark.column)
            column = len(here) - len(here.lstrip()) + 1
            if above is not None:
                return Diagnostic(
                    "P101",
                    f"this list item ('{here.strip()[:30]}') starts in column {column}, but the "
                    f"items above it start in column {above[1] + 1} (line {above[0] + 1})",
                    at(mark),
                    f"indent the '-' to column {above[1] + 1}, like the item on line {above[0] + 1}",
                )
        if found is not None:
            key = found.group(3)
            above_key = _key_above(lines, mark.line)
            column = mark.column + 1
            if above_key is not None:
                line_no, col, other = above_key
                return Diagnostic(
                    "P101",
                    f"'{key}:' starts in column {column}, but '{other}:' on line {line_no + 1} "
                    f"starts in column {col + 1}: keys of one block must line up",
                    at(mark),
                    f"indent '{key}:' to column {col + 1}, like '{other}:' (or check the "
                    "indentation of the lines above)",
                )

    if mark is not None and "mapping values are not allowed" in problem:
        here = _line(lines, mark.line)
        found = KEY.match(here)
        above_key = _key_above(lines, mark.line)
        if found is not None and above_key is not None:
            column = len(found.group(1)) + 1
            line_no, col, other = above_key
            if column > col + 1:
                return Diagnostic(
                    "P101",
                    f"'{found.group(3)}:' is indented more than '{other}:' on line {line_no + 1}, "
                    f"so YAML reads it as more of the text of '{other}'",
                    Location(file, mark.line + 1, column),
                    f"indent '{found.group(3)}:' to column {col + 1}, like '{other}:'",
                )
        return Diagnostic(
            "P101",
            f"YAML syntax error: {problem}",
            at(mark),
            "a text containing ': ' must be quoted",
        )

    hint = None
    if "found character '\\t'" in problem:
        hint = "indent with spaces, not tabs"
    elif "could not find expected ':'" in problem:
        hint = "check the indentation and quoting of the lines above"
    elif "expected <block end>" in problem:
        hint = "a line is indented differently from the lines of its block above it"
    return Diagnostic("P101", f"YAML syntax error: {problem}", at(mark), hint)


def comma_key_hint(key: str, value: object) -> str | None:
    """A hint for an unknown key like 'Data Platform' (no value) that is most likely the
    rest of a value cut at a comma inside `{ }` (`role: Team Lead, Data Platform`)."""
    if value is None and " " in key.strip():
        return (
            f"'{key}' looks like the rest of a value cut at a comma: inside {{ }} a comma "
            f'starts a new key, so quote a value that has one (role: "Team Lead, {key}")'
        )
    return None


WRONG_OPERATORS = (
    ("=>", ">=", "at least"),
    ("=<", "<=", "at most"),
    ("<>", "!=", "is not"),
    ("&&", " and ", "and"),
    ("||", " or ", "or"),
)


def operator_hint(condition: str) -> str | None:
    """A hint for a condition written with an operator from another language (`trust => 50`,
    `a && b`, `x = 3`): the condition as it should read."""
    for wrong, right, meaning in WRONG_OPERATORS:
        if wrong in condition:
            fixed = " ".join(condition.replace(wrong, right).split())
            return f"'{wrong}' is not an operator here; for '{meaning}' write: {fixed}"
    single = re.search(r"(?<![<>=!])=(?!=)", condition)
    if single:
        fixed = condition[: single.start()] + "==" + condition[single.end() :]
        return f"'=' sets nothing in a condition; to compare, write: {' '.join(fixed.split())}"
    return None
