"""Findings as data: every load error and checker warning has a stable code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.errors import Location


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    code: str
    severity: Severity
    title: str


_CATALOGUE: tuple[tuple[str, Severity, str], ...] = (
    ("P100", Severity.ERROR, "file not found or unreadable"),
    ("P101", Severity.ERROR, "YAML syntax error"),
    ("P102", Severity.ERROR, "file too large"),
    ("P103", Severity.ERROR, "YAML anchors and aliases are not allowed"),
    ("P104", Severity.ERROR, "nesting too deep"),
    ("P105", Severity.ERROR, "file is not UTF-8 text"),
    ("P106", Severity.ERROR, "empty file"),
    ("P107", Severity.ERROR, "top level is not a mapping"),
    ("P108", Severity.ERROR, "duplicate key"),
    ("P110", Severity.ERROR, "unknown key"),
    ("P111", Severity.ERROR, "missing required key"),
    ("P112", Severity.ERROR, "wrong type or invalid value"),
    ("P113", Severity.ERROR, "unsupported format version"),
    ("P114", Severity.ERROR, "flag value is not true/false, a number or a text"),
    ("P115", Severity.ERROR, "mapping key is not a plain name"),
    ("P116", Severity.ERROR, "framework id does not match its file name"),
    ("P117", Severity.ERROR, "reserved name used as a flag"),
    ("P120", Severity.ERROR, "duplicate node id"),
    ("P121", Severity.ERROR, "duplicate choice id"),
    ("P122", Severity.ERROR, "start names no node"),
    ("P123", Severity.ERROR, "`to` names no node"),
    ("P124", Severity.ERROR, "node needs exactly one of choices, next, ending"),
    ("P125", Severity.ERROR, "speaker not in characters"),
    ("P126", Severity.ERROR, "characters must contain `you` and one other"),
    ("P127", Severity.ERROR, "`model` names no choice of its node"),
    ("P128", Severity.ERROR, "`trade_off` outside two or more success endings"),
    ("P130", Severity.ERROR, "condition does not parse"),
    ("P131", Severity.ERROR, "condition names an unknown name"),
    ("P132", Severity.ERROR, "condition names an unknown node or choice"),
    ("P133", Severity.ERROR, "condition names a level or rung that does not exist"),
    ("P134", Severity.ERROR, "condition uses something the language does not have"),
    ("P140", Severity.ERROR, "score key not in the framework"),
    ("P141", Severity.ERROR, "score outside -2..2"),
    ("P142", Severity.ERROR, "framework not found"),
    ("P143", Severity.ERROR, "scores under a key that is not the scenario's framework"),
    ("P144", Severity.ERROR, "framework scores are not a map of dimension to score"),
    ("P150", Severity.ERROR, "hierarchy rung not on the ladder"),
    ("P151", Severity.ERROR, "trust levels not ascending from 0"),
    ("P152", Severity.ERROR, "invalid hierarchy ladder"),
    ("P153", Severity.ERROR, "`trust.names` names no trust level"),
    ("P201", Severity.WARNING, "node unreachable from start"),
    ("P202", Severity.WARNING, "trap: no ending reachable from this node"),
    ("P203", Severity.WARNING, "ending unreachable from start"),
    ("P204", Severity.WARNING, "`next` can stall: its last entry has a `when`"),
    ("P205", Severity.WARNING, "choice whose `when` never holds"),
    ("P206", Severity.WARNING, "missing translation"),
    ("P207", Severity.WARNING, "choice has no framework scores"),
    ("P208", Severity.WARNING, "choice has no feedback"),
    ("P209", Severity.WARNING, "ending no play reaches"),
    ("P210", Severity.WARNING, "a play can stall here: no `next` branch holds"),
    ("P211", Severity.INFO, "state exploration incomplete"),
    ("P212", Severity.WARNING, "node no play reaches"),
    ("P214", Severity.WARNING, "no objectives or reflection (reported under --strict)"),
    ("P213", Severity.ERROR, "more automatic `next` steps in a row than a play follows"),
    ("P240", Severity.WARNING, "control character in a text"),
    ("P241", Severity.WARNING, "id with invisible or direction-changing characters"),
    ("P220", Severity.WARNING, "tell: the best option is the only question"),
    ("P221", Severity.WARNING, "tell: the best option is the only one without a hedge word"),
    ("P222", Severity.WARNING, "tell: the best option is the longest by a margin"),
    ("P223", Severity.WARNING, "tell: the best option is the longest too often"),
    ("P224", Severity.WARNING, "tell: the best option is one of the two longest too often"),
    ("P225", Severity.WARNING, "tell: the test-wise rule finds the best option too often"),
    ("P226", Severity.WARNING, "too few decisions with a partly-right option"),
    ("P227", Severity.WARNING, "tell: the worst option is the longest too often"),
    ("P228", Severity.WARNING, "declared difficulty disagrees with random-play evidence"),
    ("P230", Severity.WARNING, "translation made from an older source text"),
)

CODES: dict[str, CodeInfo] = {c: CodeInfo(c, s, t) for c, s, t in _CATALOGUE}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: what, where and how to fix it."""

    code: str
    message: str
    location: Location
    hint: str | None = None
    severity: Severity | None = None

    @property
    def level(self) -> Severity:
        if self.severity is not None:
            return self.severity
        info = CODES.get(self.code)
        return info.severity if info else Severity.ERROR

    def format(self) -> str:
        head = f"{self.location}: {self.level.value}[{self.code}]: {self.message}"
        return f"{head}\n  hint: {self.hint}" if self.hint else head

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "col": self.location.col,
            "severity": self.level.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }
